import type { Generated } from 'kysely';
import type { Instant } from '../../db/schema.ts';

export interface RegistrationQuestionTable {
  id: string;
  series_id: string;
  key: string;
  label: string; // JSON {lang: text}
  type: 'select' | 'text' | 'checkbox';
  options: string; // JSON [{value, label: {lang: text}}]
  required: number;
  position: number;
}
export interface RegistrationSettingsTable {
  series_id: string;
  reminder_offsets: Generated<string>; // JSON number[] of minutes before the start
  /** 1 once a coordinator set the questions: an empty list then means no questions. */
  questions_customised: Generated<number>;
  updated_at: Instant;
}
export type RegistrationStatus = 'confirmed' | 'waitlisted' | 'cancelled' | 'attended';
export interface RegistrationTable {
  id: string;
  series_id: string;
  session_id: string;
  name: string;
  email: string;
  country: string;
  affiliation: string;
  answers: string; // JSON {key: string | boolean}
  language: string;
  time_zone: string;
  status: RegistrationStatus;
  waitlisted_at: Instant | null;
  manage_token_hash: string;
  manage_token_expires_at: Instant;
  consent_at: Instant;
  news_opt_in: number;
  attended_minutes: number | null;
  /** 1 once the registrant turned reminders off (one-click link of a reminder). */
  reminders_off: number;
  /** 1 once the registrant turned the coordinators' messages off (link in such a message). */
  messages_off: number;
  created_at: Instant;
  updated_at: Instant;
}
export interface AttendanceTable {
  id: string;
  session_id: string;
  email: string;
  name: string;
  minutes: number;
  joins: number;
  first_join_at: Instant | null;
  registration_id: string | null;
  imported_at: Instant;
}

/** One message a coordinator wrote to one registrant: who, when, which subject (personal data). */
export interface RegistrantMailTable {
  id: string;
  message_id: string;
  series_id: string;
  registration_id: string | null;
  email: string;
  language: string;
  subject: string;
  sent_by: string | null;
  status: string;
  created_at: Instant;
}

declare module '../../db/schema.ts' {
  interface Database {
    registrant_mail: RegistrantMailTable;
    registration_question: RegistrationQuestionTable;
    registration_settings: RegistrationSettingsTable;
    registration: RegistrationTable;
    attendance: AttendanceTable;
  }
}
