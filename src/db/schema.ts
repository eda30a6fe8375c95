/** Row types of every table, as the application reads and writes them through Kysely. */
import type { Generated } from 'kysely';

/** Instants are ISO 8601 UTC text on both dialects (pg's timestamptz parser is set to match). */
export type Instant = string;

export interface AccountTable {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  is_admin: number;
  created_at: Instant;
  last_login_at: Instant | null;
  /** The account's own language for pages and e-mails; null follows the browser. */
  language: string | null;
}
export interface AuthSessionTable {
  id: string;
  account_id: string;
  csrf_token: string;
  created_at: Instant;
  expires_at: Instant;
}
export interface SeriesTable {
  id: string;
  slug: string;
  title: string;
  description: string;
  guiding_questions: string; // JSON string[]
  languages: string; // JSON string[]
  time_zone: string;
  registration_mode: string;
  retention_days: number;
  status: string;
  created_at: Instant;
  updated_at: Instant;
}
export interface RegionTable {
  id: string;
  series_id: string;
  key: string;
  name: string;
  /** JSON object of language code → the region's name in that language (the source is `name`). */
  names: string;
  position: number;
}
export interface RoleGrantTable {
  id: string;
  account_id: string;
  series_id: string;
  role: string;
  region_id: string | null;
  created_at: Instant;
}
export interface InvitationTable {
  id: string;
  token_hash: string;
  email: string;
  series_id: string;
  role: string;
  region_id: string | null;
  invited_by: string | null;
  created_at: Instant;
  expires_at: Instant;
  accepted_at: Instant | null;
}
export interface OrganisationTable {
  id: string;
  series_id: string;
  name: string;
  country: string | null;
  website: string | null;
  created_at: Instant;
}
export interface PersonTable {
  id: string;
  series_id: string;
  name: string;
  email: string | null;
  affiliation: string;
  organisation_id: string | null;
  bio: string;
  created_at: Instant;
}
export interface SessionTable {
  id: string;
  series_id: string;
  region_id: string | null;
  title: string;
  description: string;
  starts_at: Instant;
  ends_at: Instant;
  time_zone: string;
  language: string;
  video_url: string | null;
  /** 1 when the public session page shows the video link (otherwise registrants only). */
  video_public: number;
  capacity: number | null;
  status: string;
  sequence: number;
  created_at: Instant;
  updated_at: Instant;
}
export interface PresentationTable {
  id: string;
  session_id: string;
  title: string;
  abstract: string;
  slides_url: string | null;
  organisation_id: string | null;
  position: number;
}
export interface PresentationPersonTable {
  presentation_id: string;
  person_id: string;
  position: number;
}
export interface MailLogTable {
  id: string;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  ics: string | null;
  status: string;
  error: string | null;
  created_at: Instant;
  sent_at: Instant | null;
  /** The person the mail is about when that is not the recipient (their export and erasure find it). */
  about_address: string | null;
}
export interface JobTable {
  id: string;
  kind: string;
  unique_key: string | null;
  payload: string;
  run_at: Instant;
  locked_until: Instant | null;
  attempts: Generated<number>;
  last_error: string | null;
  done_at: Instant | null;
  created_at: Instant;
}
export interface AuditLogTable {
  id: string;
  account_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  detail: string | null;
  at: Instant;
}

export interface Database {
  account: AccountTable;
  auth_session: AuthSessionTable;
  series: SeriesTable;
  region: RegionTable;
  role_grant: RoleGrantTable;
  invitation: InvitationTable;
  organisation: OrganisationTable;
  person: PersonTable;
  session: SessionTable;
  presentation: PresentationTable;
  presentation_person: PresentationPersonTable;
  mail_log: MailLogTable;
  job: JobTable;
  audit_log: AuditLogTable;
}
