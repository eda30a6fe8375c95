import { z } from 'zod';
import { ATTENDANCE_REASONS } from './attendance.ts';

// The edge checks shapes and sizes; the service checks meaning (e-mail, country, answers, dates)
// so that the API and the HTML form give the same words for the same mistake.
const str = (max: number) => z.string().max(max, `At most ${max} characters.`);

export const RegisterBody = z.object({
  name: str(200).describe('Full name'),
  email: str(254).describe('E-mail address; stored in lower case'),
  country: str(2).describe('ISO 3166-1 alpha-2 code, e.g. "PE"'),
  affiliation: str(300).default(''),
  answers: z
    .record(z.string(), z.union([z.string().max(2000), z.boolean()]))
    .default({})
    .describe('Answers to the series questions, by question key'),
  language: str(10).default('en').describe('Language of e-mails: ar, zh, en, fr, de, ru or es'),
  timeZone: str(64)
    .optional()
    .describe("The registrant's IANA time zone (from the browser); default: the session's"),
  sessionIds: z
    .array(z.string().max(64))
    .max(100)
    .default([])
    .describe("Sessions: one in 'session' mode, a choice in 'choose' mode, ignored in 'series' mode"),
  consent: z.boolean().describe('Agreement to the data notice with the retention period'),
  newsOptIn: z.boolean().default(false),
  website: z.string().max(500).optional().describe('Honeypot: leave empty'),
});
export type RegisterInput = z.infer<typeof RegisterBody>;

export const RegistrationOut = z.object({
  id: z.string(),
  sessionId: z.string(),
  sessionTitle: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(['confirmed', 'waitlisted', 'cancelled', 'attended']),
  waitlistPosition: z.number().nullable(),
});

export const RegisterOut = z.object({
  outcome: z.enum(['created', 'resent']),
  email: z.string(),
  registrations: z
    .array(RegistrationOut)
    .describe('Only for a new registration; a resent one is only confirmed by e-mail'),
});

export const ManageOut = z.object({
  seriesId: z.string(),
  seriesTitle: z.string(),
  mode: z.string(),
  name: z.string(),
  email: z.string(),
  language: z.string(),
  timeZone: z.string(),
  registrations: z.array(RegistrationOut),
});

export const CancelBody = z.object({
  sessionIds: z
    .array(z.string().max(64))
    .max(100)
    .optional()
    .describe('Default: every registration of this link'),
});
export const SessionsBody = z.object({ sessionIds: z.array(z.string().max(64)).max(100) });
export const EraseBody = z.object({ mode: z.enum(['delete', 'anonymise']).default('delete') });

export const SettingsBody = z.object({
  reminderOffsetsMinutes: z
    .array(
      z
        .number()
        .int()
        .min(5, 'A reminder is at least 5 minutes before.')
        .max(60 * 24 * 30, 'A reminder is at most 30 days before.'),
    )
    .max(5, 'At most five reminders.'),
});

const Label = z
  .record(
    z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'Label keys are language codes such as "en" or "fr".'),
    z.string().trim().min(1).max(300),
  )
  .refine((l) => typeof l.en === 'string', {
    message: 'Every label needs an English text ("en"), the fallback.',
  });
export const QuestionIn = z.object({
  key: z
    .string()
    .regex(
      /^[a-z][a-z0-9_]{0,39}$/,
      'A question key uses lower-case letters, digits and underscores, like "career_stage".',
    ),
  label: Label,
  type: z.enum(['select', 'text', 'checkbox']),
  options: z
    .array(z.object({ value: z.string().trim().min(1).max(60), label: Label }))
    .max(50)
    .default([]),
  required: z.boolean().default(false),
});
export const QuestionsBody = z.object({
  questions: z
    .array(QuestionIn)
    .max(30, 'A series has at most 30 questions.')
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((q, i) => {
        if (seen.has(q.key))
          ctx.addIssue({
            code: 'custom',
            message: `The key "${q.key}" is used twice.`,
            path: [i, 'key'],
            params: { code: 'duplicate_question' },
          });
        seen.add(q.key);
        if (q.type === 'select' && !q.options.length)
          ctx.addIssue({
            code: 'custom',
            message: 'A select question needs options.',
            path: [i, 'options'],
            params: { code: 'options_required' },
          });
      });
    }),
});

/** One registrant as coordinators see it (GET /api/series/{id}/registrations), camelCase like the rest. */
export const RegistrantOut = z.object({
  id: z.string(),
  seriesId: z.string(),
  sessionId: z.string(),
  name: z.string(),
  email: z.string(),
  country: z.string(),
  affiliation: z.string(),
  answers: z.record(z.string(), z.union([z.string(), z.boolean()])),
  language: z.string(),
  timeZone: z.string(),
  status: z.enum(['confirmed', 'waitlisted', 'cancelled', 'attended']),
  waitlistedAt: z.string().nullable(),
  consentAt: z.string(),
  newsOptIn: z.boolean(),
  remindersOff: z.boolean(),
  attendedMinutes: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const RegistrantsOut = z.object({ registrations: z.array(RegistrantOut) });

/** Registered vs attended per session and per region. */
export const AttendanceStatsOut = z.object({
  sessions: z.array(
    z.object({
      sessionId: z.string(),
      title: z.string(),
      startsAt: z.string(),
      capacity: z.number().nullable(),
      regionKey: z.string().nullable(),
      regionName: z.string().nullable(),
      registered: z.number(),
      waitlisted: z.number(),
      cancelled: z.number(),
      attended: z.number(),
      attendedWithoutRegistration: z.number(),
    }),
  ),
  regions: z.array(
    z.object({
      regionKey: z.string().nullable(),
      regionName: z.string().nullable(),
      registered: z.number(),
      attended: z.number(),
    }),
  ),
});

/** The personal data export: the rows held about this e-mail address, as stored. */
export const PersonalExportOut = z.looseObject({
  exportedAt: z.string(),
  email: z.string(),
  registrations: z.array(z.record(z.string(), z.unknown())),
  attendance: z.array(z.record(z.string(), z.unknown())),
  mails: z.array(z.record(z.string(), z.unknown())),
});

/** What an attendance import did (or would do, as a preview), row by row. */
export const AttendanceImportOut = z.object({
  kind: z.enum(['webinar_attendees', 'webinar_registrations', 'meeting_participants']),
  rows: z.number(),
  people: z.number(),
  matched: z.number(),
  unmatched: z.number(),
  merged: z.number(),
  skipped: z.number(),
  withoutEmail: z.number(),
  written: z.boolean(),
  details: z.array(
    z.object({
      line: z.number(),
      role: z.enum(['host', 'panelist', 'attendee', 'participant', 'registrant']),
      email: z.string(),
      name: z.string(),
      outcome: z.enum(['matched', 'new', 'merged', 'skipped']),
      reason: z.enum(ATTENDANCE_REASONS),
      minutes: z.number().optional(),
      status: z.string().optional(),
      why: z.string(),
      registrationId: z.string().nullable(),
    }),
  ),
});
