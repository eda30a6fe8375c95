/** Attendance from the video platform's report (Zoom CSV), matched to registrations by e-mail. */
import type { Db } from '../../db/index.ts';
import { invalid } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import './registration.tables.ts';

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF; a BOM is ignored. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      cell = '';
      if (row.some((x) => x.trim() !== '')) rows.push(row);
      row = [];
    } else cell += c;
  }
  row.push(cell);
  if (row.some((x) => x.trim() !== '')) rows.push(row);
  return rows;
}

export interface AttendeeSummary {
  email: string;
  name: string;
  minutes: number;
  joins: number;
  firstJoinAt: string | null;
}

/**
 * Reads a Zoom attendee or participant report: one row per join. Rejoins are merged per person
 * (by e-mail, case-insensitive) and their minutes summed. Report preambles are skipped.
 */
export function summariseZoomReport(csv: string): {
  rows: number;
  people: AttendeeSummary[];
  withoutEmail: number;
} {
  const table = parseCsv(csv);
  const headerAt = table.findIndex(
    (r) => r.some((h) => /e-?mail/i.test(h)) && r.some((h) => /duration|time in session/i.test(h)),
  );
  if (headerAt < 0)
    throw invalid(
      'unrecognised_report',
      'This does not look like a Zoom attendee report: no header with an e-mail and a duration column was found.',
      'csv',
    );
  const header = table[headerAt].map((h) => h.trim());
  const col = (re: RegExp) => header.findIndex((h) => re.test(h));
  const emailCol = col(/e-?mail/i);
  const minutesCol = col(/duration|time in session/i);
  const nameCol = col(/^(user )?name|^first name/i);
  const lastNameCol = col(/^last name/i);
  const joinCol = col(/join time/i);
  const attendedCol = col(/^attended$/i);
  const people = new Map<string, AttendeeSummary>();
  let rows = 0;
  let withoutEmail = 0;
  for (const r of table.slice(headerAt + 1)) {
    if (r.length < header.length - 2) continue; // a section title between tables
    if (attendedCol >= 0 && /^no$/i.test((r[attendedCol] ?? '').trim())) continue;
    rows++;
    const email = (r[emailCol] ?? '').trim().toLowerCase();
    if (!email.includes('@')) {
      withoutEmail++;
      continue;
    }
    const minutes = Math.max(0, Math.round(Number((r[minutesCol] ?? '0').trim()) || 0));
    const name = [nameCol >= 0 ? r[nameCol] : '', lastNameCol >= 0 ? r[lastNameCol] : '']
      .join(' ')
      .replace(/\s*\(.*\)\s*$/, '')
      .trim();
    const joinRaw = joinCol >= 0 ? (r[joinCol] ?? '').trim() : '';
    const join = joinRaw && !Number.isNaN(Date.parse(joinRaw)) ? new Date(joinRaw).toISOString() : null;
    const p = people.get(email) ?? { email, name, minutes: 0, joins: 0, firstJoinAt: null };
    p.minutes += minutes;
    p.joins += 1;
    if (!p.name) p.name = name;
    if (join && (!p.firstJoinAt || join < p.firstJoinAt)) p.firstJoinAt = join;
    people.set(email, p);
  }
  return { rows, people: [...people.values()], withoutEmail };
}

/** Replaces a session's attendance with a report and marks matching registrations attended. */
export async function importAttendance(db: Db, sessionId: string, csv: string) {
  const { rows, people, withoutEmail } = summariseZoomReport(csv);
  const now = new Date().toISOString();
  const regs = await db
    .selectFrom('registration')
    .select(['id', 'email', 'status'])
    .where('session_id', '=', sessionId)
    .execute();
  const byEmail = new Map(regs.map((r) => [r.email, r]));
  await db.deleteFrom('attendance').where('session_id', '=', sessionId).execute();
  // A re-import starts from the registrations' own state again.
  await db
    .updateTable('registration')
    .set({ status: 'confirmed', attended_minutes: null })
    .where('session_id', '=', sessionId)
    .where('status', '=', 'attended')
    .execute();
  let matched = 0;
  for (const p of people) {
    const reg = byEmail.get(p.email);
    await db
      .insertInto('attendance')
      .values({
        id: newId(),
        session_id: sessionId,
        email: p.email,
        name: p.name,
        minutes: p.minutes,
        joins: p.joins,
        first_join_at: p.firstJoinAt,
        registration_id: reg?.id ?? null,
        imported_at: now,
      })
      .execute();
    if (reg && reg.status !== 'cancelled') {
      matched++;
      await db
        .updateTable('registration')
        .set({ status: 'attended', attended_minutes: p.minutes, updated_at: now })
        .where('id', '=', reg.id)
        .execute();
    }
  }
  return { rows, people: people.length, matched, unmatched: people.length - matched, withoutEmail };
}

/** Registered vs attended per session, and per region. */
export async function attendanceStats(db: Db, seriesId: string) {
  const sessions = await db
    .selectFrom('session')
    .leftJoin('region', 'region.id', 'session.region_id')
    .select([
      'session.id',
      'session.title',
      'session.starts_at',
      'session.capacity',
      'region.key as regionKey',
      'region.name as regionName',
    ])
    .where('session.series_id', '=', seriesId)
    .orderBy('session.starts_at')
    .execute();
  const counts = await db
    .selectFrom('registration')
    .select(['session_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('series_id', '=', seriesId)
    .groupBy(['session_id', 'status'])
    .execute();
  const unregistered = await db
    .selectFrom('attendance')
    .innerJoin('session', 'session.id', 'attendance.session_id')
    .select(['attendance.session_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('session.series_id', '=', seriesId)
    .where('attendance.registration_id', 'is', null)
    .groupBy('attendance.session_id')
    .execute();
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
  const rows = await db
    .selectFrom('registration')
    .innerJoin('session', 'session.id', 'registration.session_id')
    .leftJoin('region', 'region.id', 'session.region_id')
    .select([
      'registration.id',
      'registration.email',
      'registration.session_id',
      'registration.answers',
      'registration.country',
      'registration.status',
      'region.key as regionKey',
    ])
    .where('registration.series_id', '=', seriesId)
    .where('registration.status', '!=', 'cancelled')
    .orderBy('registration.created_at')
    .execute();
  const out = new Map<string, RegistrationAttributes>();
  for (const r of rows) {
    const answers = JSON.parse(r.answers) as Record<string, unknown>;
    const a: RegistrationAttributes = {
      registrationId: r.id,
      email: r.email,
      sessionId: r.session_id,
      career_stage: typeof answers.career_stage === 'string' ? answers.career_stage : null,
      country: r.country,
      region: r.regionKey,
      attended: r.status === 'attended',
    };
    out.set(r.id, a);
    const prev = out.get(r.email);
    if (!prev || (a.attended && !prev.attended)) out.set(r.email, a);
  }
  return out;
}
