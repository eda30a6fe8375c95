/** Attendance from the video platform's report (Zoom CSV), matched to registrations by e-mail. */
import type { Db } from '../../db/index.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { findSession, regionsOf, sessionsOf } from '../series/index.ts';
import { newId } from '../../lib/ids.ts';
import './registration.tables.ts';
import { CsvError, readZoomReport, type ZoomReport, type ZoomReportKind, type ZoomRole } from './zoom.ts';

export interface AttendeeSummary {
  email: string;
  name: string;
  minutes: number;
  joins: number;
  firstJoinAt: string | null;
  role: ZoomRole;
}

export const ATTENDANCE_REASONS = [
  'registrant_registered',
  'registrant',
  'absent',
  'no_email',
  'rejoined',
  'registered',
  'cancelled',
  'not_registered',
] as const;
export type AttendanceReason = (typeof ATTENDANCE_REASONS)[number];

/** What an import does with one row of the report, and why. */
export interface AttendanceRowOutcome {
  line: number;
  role: ZoomRole;
  email: string;
  name: string;
  /** matched: a registration; new: no registration; merged: a rejoin added to an earlier row. */
  outcome: 'matched' | 'new' | 'merged' | 'skipped';
  /** Why, as a stable code the pages translate (`console.reason` in the registration catalogue). */
  reason: AttendanceReason;
  /** The minutes a rejoin added ('rejoined'), the registration's status ('registered'). */
  minutes?: number;
  status?: string;
  /** Why, in English (the API's readable text). */
  why: string;
  registrationId: string | null;
}

// Zoom's poll and Q&A reports also name people and addresses, but they say what people answered,
// not who attended: they belong in the workbench.
const FOR_THE_WORKBENCH =
  /^\uFEFF?"?(poll(ing)? report|question and answer report|q\s*&\s*a report)"?\s*(,|\r?\n|$)/i;

function readReport(csv: string): ZoomReport {
  if (FOR_THE_WORKBENCH.test(csv.trimStart()))
    throw invalid(
      'report_for_workbench',
      'This is a Zoom poll or Q&A report: it holds what people answered, not who attended. Import it in the series’ workbench, where its answers and questions become units to code.',
      'csv',
    );
  let report: ZoomReport | null;
  try {
    report = readZoomReport(csv);
  } catch (e) {
    if (e instanceof CsvError) throw invalid('unreadable_report', `Line ${e.line}: ${e.message}.`, 'csv');
    throw e;
  }
  if (!report)
    throw invalid(
      'unrecognised_report',
      'This does not look like a Zoom attendee report, registration report or participants export: no header with an e-mail column was found.',
      'csv',
    );
  return report;
}

/**
 * Reads a Zoom report into people: rejoins are merged per person (by e-mail, case-insensitive) and
 * their minutes summed; each row gets its outcome against the session's registrations.
 */
export function planAttendance(
  csv: string,
  registrations: { id: string; email: string; status: string }[],
): { kind: ZoomReportKind; people: AttendeeSummary[]; rows: AttendanceRowOutcome[] } {
  const report = readReport(csv);
  const byEmail = new Map(registrations.map((r) => [r.email.toLowerCase(), r]));
  const people = new Map<string, AttendeeSummary>();
  const rows: AttendanceRowOutcome[] = [];
  for (const r of report.rows) {
    const reg = byEmail.get(r.email);
    const base = {
      line: r.line,
      role: r.role,
      email: r.email,
      name: r.name,
      registrationId: reg?.id ?? null,
    };
    if (r.role === 'registrant') {
      rows.push({
        ...base,
        outcome: 'skipped',
        ...(reg
          ? {
              reason: 'registrant_registered' as const,
              why: 'registered here too; a registration report holds no attendance',
            }
          : { reason: 'registrant' as const, why: 'a registration report holds no attendance' }),
      });
      continue;
    }
    if (!r.attended) {
      rows.push({ ...base, outcome: 'skipped', reason: 'absent', why: 'did not attend' });
      continue;
    }
    if (!r.email.includes('@')) {
      rows.push({ ...base, outcome: 'skipped', reason: 'no_email', why: 'no e-mail address to match' });
      continue;
    }
    const seen = people.get(r.email);
    if (seen) {
      seen.minutes += r.minutes;
      seen.joins += 1;
      if (r.joinedAt && (!seen.firstJoinAt || r.joinedAt < seen.firstJoinAt)) seen.firstJoinAt = r.joinedAt;
      rows.push({
        ...base,
        outcome: 'merged',
        reason: 'rejoined',
        minutes: r.minutes,
        why: `rejoined: ${r.minutes} more minutes`,
      });
      continue;
    }
    people.set(r.email, {
      email: r.email,
      name: r.name,
      minutes: r.minutes,
      joins: 1,
      firstJoinAt: r.joinedAt,
      role: r.role,
    });
    rows.push(
      reg && reg.status !== 'cancelled'
        ? {
            ...base,
            outcome: 'matched',
            reason: 'registered',
            status: reg.status,
            why: `registered (${reg.status})`,
          }
        : reg
          ? { ...base, outcome: 'new', reason: 'cancelled', why: 'their registration was cancelled' }
          : { ...base, outcome: 'new', reason: 'not_registered', why: 'not registered' },
    );
  }
  return { kind: report.kind, people: [...people.values()], rows };
}

/** Reads a Zoom attendee report or participants export into people (rejoins merged). */
export function summariseZoomReport(csv: string): {
  rows: number;
  people: AttendeeSummary[];
  withoutEmail: number;
} {
  const plan = planAttendance(csv, []);
  return {
    rows: plan.rows.filter((r) => r.outcome !== 'skipped' || r.reason === 'no_email').length,
    people: plan.people,
    withoutEmail: plan.rows.filter((r) => r.reason === 'no_email').length,
  };
}

/**
 * Imports a report for a session, or only previews it (`dryRun`). Merging never lowers what is
 * recorded: minutes and joins keep the higher figure, and an "attended" registration stays attended.
 */
export async function importAttendance(
  db: Db,
  sessionId: string,
  csv: string,
  opts: { dryRun?: boolean } = {},
) {
  // A report can only describe a session that has begun: importing earlier would mark people as
  // attended for a date that may still move, so it is refused (preview included) with its own code.
  const session = await findSession(db, sessionId);
  if (!session) throw notFound('This session', 'sessionId');
  if (Date.parse(session.starts_at) > Date.now())
    throw new AppError(
      422,
      'session_not_started',
      'This session has not started yet. Import its attendee report after the session has begun.',
      'sessionId',
    );
  const regs = await db
    .selectFrom('registration')
    .select(['id', 'email', 'status'])
    .where('session_id', '=', sessionId)
    .execute();
  const plan = planAttendance(csv, regs);
  const count = (o: AttendanceRowOutcome['outcome']) => plan.rows.filter((r) => r.outcome === o).length;
  const summary = {
    kind: plan.kind,
    rows: plan.rows.length,
    people: plan.people.length,
    matched: count('matched'),
    unmatched: count('new'),
    merged: count('merged'),
    skipped: count('skipped'),
    withoutEmail: plan.rows.filter((r) => r.reason === 'no_email').length,
    written: false,
    details: plan.rows,
  };
  if (opts.dryRun || plan.kind === 'webinar_registrations') return summary;
  const now = new Date().toISOString();
  const existing = new Map(
    (await db.selectFrom('attendance').selectAll().where('session_id', '=', sessionId).execute()).map((a) => [
      a.email,
      a,
    ]),
  );
  const byEmail = new Map(regs.map((r) => [r.email.toLowerCase(), r]));
  for (const p of plan.people) {
    const reg = byEmail.get(p.email);
    const before = existing.get(p.email);
    const minutes = Math.max(p.minutes, before?.minutes ?? 0);
    if (before) {
      await db
        .updateTable('attendance')
        .set({
          name: before.name || p.name,
          minutes,
          joins: Math.max(p.joins, before.joins),
          first_join_at:
            before.first_join_at && (!p.firstJoinAt || before.first_join_at < p.firstJoinAt)
              ? before.first_join_at
              : p.firstJoinAt,
          registration_id: before.registration_id ?? reg?.id ?? null,
          imported_at: now,
        })
        .where('id', '=', before.id)
        .execute();
    } else {
      await db
        .insertInto('attendance')
        .values({
          id: newId(),
          session_id: sessionId,
          email: p.email,
          name: p.name,
          minutes,
          joins: p.joins,
          first_join_at: p.firstJoinAt,
          registration_id: reg?.id ?? null,
          imported_at: now,
        })
        .execute();
    }
    if (reg && reg.status !== 'cancelled') {
      const current = await db
        .selectFrom('registration')
        .select('attended_minutes')
        .where('id', '=', reg.id)
        .executeTakeFirstOrThrow();
      await db
        .updateTable('registration')
        .set({
          status: 'attended',
          attended_minutes: Math.max(minutes, current.attended_minutes ?? 0),
          updated_at: now,
        })
        .where('id', '=', reg.id)
        .execute();
    }
  }
  return { ...summary, written: true };
}

/** Registered vs attended per session, and per region. */
export async function attendanceStats(db: Db, seriesId: string) {
  const [rows, regionRows] = await Promise.all([sessionsOf(db, seriesId), regionsOf(db, seriesId)]);
  const regionById = new Map(regionRows.map((r) => [r.id, r]));
  const sessions = rows.map((s) => {
    const region = s.region_id ? regionById.get(s.region_id) : undefined;
    return { ...s, regionKey: region?.key ?? null, regionName: region?.name ?? null };
  });
  const sessionIds = sessions.map((s) => s.id);
  const counts = await db
    .selectFrom('registration')
    .select(['session_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('series_id', '=', seriesId)
    .groupBy(['session_id', 'status'])
    .execute();
  const unregistered = sessionIds.length
    ? await db
        .selectFrom('attendance')
        .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('session_id', 'in', sessionIds)
        .where('registration_id', 'is', null)
        .groupBy('session_id')
        .execute()
    : [];
  const n = (sid: string, st: string) =>
    Number(counts.find((c) => c.session_id === sid && c.status === st)?.n ?? 0);
  const perSession = sessions.map((s) => {
    const attended = n(s.id, 'attended');
    return {
      sessionId: s.id,
      title: s.title,
      startsAt: s.starts_at,
      capacity: s.capacity,
      regionKey: s.regionKey,
      regionName: s.regionName,
      registered: n(s.id, 'confirmed') + attended,
      waitlisted: n(s.id, 'waitlisted'),
      cancelled: n(s.id, 'cancelled'),
      attended,
      attendedWithoutRegistration: Number(unregistered.find((u) => u.session_id === s.id)?.n ?? 0),
    };
  });
  const regions = new Map<
    string,
    { regionKey: string | null; regionName: string | null; registered: number; attended: number }
  >();
  for (const s of perSession) {
    const k = s.regionKey ?? '';
    const r = regions.get(k) ?? {
      regionKey: s.regionKey,
      regionName: s.regionName,
      registered: 0,
      attended: 0,
    };
    r.registered += s.registered;
    r.attended += s.attended;
    regions.set(k, r);
  }
  return { sessions: perSession, regions: [...regions.values()] };
}

export interface RegistrationAttributes {
  registrationId: string;
  email: string;
  sessionId: string;
  career_stage: string | null;
  country: string;
  region: string | null;
  attended: boolean;
}

/**
 * Attributes of each registrant for the analysis: career stage, country, region (of the session)
 * and attendance. Keyed by registration id and by e-mail (the same object under both).
 */
export async function registrationAttributes(
  db: Db,
  seriesId: string,
): Promise<Map<string, RegistrationAttributes>> {
  const [rows, sessions, regions] = await Promise.all([
    db
      .selectFrom('registration')
      .select(['id', 'email', 'session_id', 'answers', 'country', 'status'])
      .where('series_id', '=', seriesId)
      .where('status', '!=', 'cancelled')
      .orderBy('created_at')
      .execute(),
    sessionsOf(db, seriesId),
    regionsOf(db, seriesId),
  ]);
  // The region of a registrant is their session's.
  const regionKey = new Map(regions.map((r) => [r.id, r.key]));
  const regionOfSession = new Map(
    sessions.map((s) => [s.id, s.region_id ? (regionKey.get(s.region_id) ?? null) : null]),
  );
  const out = new Map<string, RegistrationAttributes>();
  for (const r of rows) {
    const answers = JSON.parse(r.answers) as Record<string, unknown>;
    const a: RegistrationAttributes = {
      registrationId: r.id,
      email: r.email,
      sessionId: r.session_id,
      career_stage: typeof answers.career_stage === 'string' ? answers.career_stage : null,
      country: r.country,
      region: regionOfSession.get(r.session_id) ?? null,
      attended: r.status === 'attended',
    };
    out.set(r.id, a);
    const prev = out.get(r.email);
    if (!prev || (a.attended && !prev.attended)) out.set(r.email, a);
  }
  return out;
}
