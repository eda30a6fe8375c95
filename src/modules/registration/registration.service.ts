/**
 * Registering, cancelling and the waiting list. Every function takes the caller's transaction;
 * the mails to send are returned (sent after commit by `deliver`) so no mail leaves for a
 * registration that was rolled back.
 */
import type { Db } from '../../db/index.ts';
import { AppError, invalid, IssueCollector, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { SUPPORTED } from '../../lib/i18n.ts';
import { isValidTimeZone } from '../../lib/time.ts';
import { findSeries, findSession, lockSession, sessionsOf } from '../series/index.ts';
import { cancelJobs, enqueueJob, signLink } from '../notify/index.ts';
import type { RegistrationMailKind } from '../notify/index.ts';
import { isCountryCode } from '../../lib/countries.ts';
import * as repo from './registration.repository.ts';
import type { RegisterInput } from './registration.schema.ts';
import type { RegistrationTable } from './registration.tables.ts';

export interface PendingMail {
  registrationId: string;
  kind: RegistrationMailKind;
  /** Present when this mail carries the (fresh) manage link. */
  token?: string;
}

export interface RegisterResult {
  outcome: 'created' | 'resent';
  email: string;
  token: string;
  registrations: RegistrationTable[];
  mails: PendingMail[];
}

const EMAIL_RE = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;
const DAY = 86_400_000;

/** Checks the meaning of a registration: each problem names its field. */
export function validateRegistration(
  input: RegisterInput,
  questions: repo.Question[],
): { email: string; answers: Record<string, string | boolean> } {
  // Every wrong field is reported at once, so the form shows them all together.
  const c = new IssueCollector();
  const email = input.email.trim().toLowerCase();
  c.check(() => {
    if (!input.name.trim()) throw invalid('required', 'Please give your name.', 'name');
  });
  c.check(() => {
    if (!EMAIL_RE.test(email) || email.length > 254)
      throw invalid(
        'invalid_email',
        'This is not a valid e-mail address. Use the form name@example.org.',
        'email',
      );
  });
  c.check(() => {
    const country = input.country.trim().toUpperCase();
    if (!country) throw invalid('required', 'Please choose your country.', 'country');
    if (!isCountryCode(country))
      throw invalid(
        'unknown_country',
        `"${input.country}" is not an ISO 3166 country code we know. Choose a country from the list.`,
        'country',
      );
  });
  const answers: Record<string, string | boolean> = {};
  for (const q of questions) {
    c.check(() => {
      const v = input.answers[q.key];
      if (q.type === 'checkbox') {
        const on = v === true || v === 'on' || v === 'true';
        if (q.required && !on)
          throw invalid('required', `Please answer "${q.label.en ?? q.key}".`, `answers.${q.key}`);
        answers[q.key] = on;
        return;
      }
      const text = typeof v === 'string' ? v.trim() : '';
      if (!text) {
        if (q.required)
          throw invalid('required', `Please answer "${q.label.en ?? q.key}".`, `answers.${q.key}`);
        return;
      }
      if (q.type === 'select' && !q.options.some((o) => o.value === text))
        throw invalid(
          'invalid_choice',
          `Choose one of the answers offered for "${q.label.en ?? q.key}".`,
          `answers.${q.key}`,
        );
      answers[q.key] = text;
    });
  }
  c.check(() => {
    if (input.consent !== true)
      throw invalid('consent_required', 'Please agree to the data notice to register.', 'consent');
  });
  c.throwIfAny();
  return { email, answers };
}

/** Which sessions a registration covers, from the series' mode; closed sessions are refused. */
function targetSessions(
  all: Awaited<ReturnType<typeof sessionsOf>>,
  series: { id: string; registration_mode: string },
  wanted: string[],
  now: Date,
) {
  const open = (s: (typeof all)[number]) => s.status !== 'cancelled' && new Date(s.starts_at) > now;
  if (series.registration_mode === 'series') {
    const list = all.filter(open);
    if (!list.length)
      throw invalid(
        'registration_closed',
        'Registration is closed: every session of this series has started, ended or been cancelled.',
        'sessionIds',
      );
    return list;
  }
  const ids = [...new Set(wanted)];
  if (!ids.length) throw invalid('no_session', 'Choose at least one session.', 'sessionIds');
  if (series.registration_mode === 'session' && ids.length > 1)
    throw invalid('one_session_only', 'This series takes registrations one session at a time.', 'sessionIds');
  const chosen = ids.map((id) => all.find((s) => s.id === id));
  if (chosen.some((s) => !s))
    throw invalid('unknown_session', 'One of the sessions chosen is not part of this series.', 'sessionIds');
  for (const s of chosen)
    if (!open(s!))
      throw invalid(
        'registration_closed',
        `Registration is closed for "${s!.title}": it has started, ended or been cancelled.`,
        'sessionIds',
      );
  return chosen.map((s) => s!);
}

/** Confirms or waitlists a registration row depending on free seats (the session row is locked). */
async function placeRow(
  db: Db,
  session: { id: string; capacity: number | null },
  now: string,
): Promise<{ status: 'confirmed' | 'waitlisted'; waitlisted_at: string | null }> {
  if (session.capacity === null) return { status: 'confirmed', waitlisted_at: null };
  const taken = await repo.seatsTaken(db, session.id);
  // Anyone already waiting keeps their turn: a newcomer may not jump the queue.
  const waiting = await repo.firstWaitlisted(db, session.id, 1);
  return taken < session.capacity && !waiting.length
    ? { status: 'confirmed', waitlisted_at: null }
    : { status: 'waitlisted', waitlisted_at: now };
}

/** Gives a person's registrations in a series a fresh manage token (valid until the data is purged). */
/**
 * The manage link of a person in a series. It is derived (HMAC with the instance's link secret) from
 * the series and the e-mail, so registering again sends the same link: every earlier link keeps
 * working, and nobody can guess one without the secret.
 */
async function issueToken(db: Db, seriesId: string, email: string, retentionDays: number, lastEnd?: number) {
  const token = await signLink(db, 'manage', `${seriesId}:${email}`);
  lastEnd ??= lastSessionEnd(await sessionsOf(db, seriesId));
  await db
    .updateTable('registration')
    .set({
      manage_token_hash: repo.hashToken(token),
      manage_token_expires_at: new Date(Math.max(lastEnd, Date.now()) + retentionDays * DAY).toISOString(),
    })
    .where('series_id', '=', seriesId)
    .where('email', '=', email)
    .execute();
  return token;
}

const lastSessionEnd = (sessions: { ends_at: string }[]) =>
  sessions.reduce((m, s) => Math.max(m, new Date(s.ends_at).getTime()), 0);

/** Schedules a confirmed registration's reminders (unique keys: never twice). */
export async function scheduleReminders(
  db: Db,
  reg: { id: string; series_id: string; session_id: string },
  startsAt: string,
  now = new Date(),
  offsets?: number[],
) {
  for (const offset of offsets ?? (await repo.reminderOffsets(db, reg.series_id))) {
    const at = new Date(new Date(startsAt).getTime() - offset * 60_000);
    if (at <= now) continue;
    await enqueueJob(db, {
      kind: 'registration.reminder',
      uniqueKey: `reminder:${reg.id}:${reg.session_id}:${offset}`,
      payload: { registrationId: reg.id, sessionId: reg.session_id, offset },
      runAt: at,
    });
  }
}

/** Schedules the series' retention purge for the day its data falls due. */
export async function scheduleRetention(db: Db, seriesId: string, retentionDays: number, lastEnd?: number) {
  lastEnd ??= lastSessionEnd(await sessionsOf(db, seriesId));
  const due = new Date(lastEnd + retentionDays * DAY);
  await enqueueJob(db, {
    kind: 'registration.retention',
    uniqueKey: `retention:${seriesId}:${due.toISOString().slice(0, 10)}`,
    payload: { seriesId },
    runAt: due,
  });
}

/**
 * Registers a person for the sessions the series' mode gives. The same e-mail for the same
 * session never makes a second row: the existing registration's confirmation is sent again.
 */
export async function register(
  db: Db,
  seriesIdOrSlug: string,
  input: RegisterInput,
  now = new Date(),
): Promise<RegisterResult> {
  const series = await findSeries(db, seriesIdOrSlug);
  if (!series || series.status !== 'published') throw notFound('This series', 'seriesId');
  const questions = await repo.questionsOf(db, series.id);
  const all = await sessionsOf(db, series.id);
  const c = new IssueCollector();
  const valid = c.check(() => validateRegistration(input, questions));
  const chosen = c.check(() => targetSessions(all, series, input.sessionIds, now));
  c.throwIfAny();
  const { email, answers } = valid!;
  const sessions = chosen!;
  const language = (SUPPORTED as readonly string[]).includes(input.language) ? input.language : 'en';
  const nowIso = now.toISOString();
  // Everything that does not depend on the seat count happens before the session rows are locked,
  // so the locked part of the transaction (and the queue behind it) stays short.
  const lastEnd = lastSessionEnd(all);
  const offsets = await repo.reminderOffsets(db, series.id);
  await scheduleRetention(db, series.id, series.retention_days, lastEnd);
  const touched: RegistrationTable[] = [];
  let created = false;
  // Lock in id order so that two registrations for several sessions cannot deadlock.
  for (const s of [...sessions].sort((a, b) => a.id.localeCompare(b.id))) {
    await lockSession(db, s.id);
    const timeZone = input.timeZone && isValidTimeZone(input.timeZone) ? input.timeZone : s.time_zone;
    const existing = await db
      .selectFrom('registration')
      .selectAll()
      .where('session_id', '=', s.id)
      .where('email', '=', email)
      .executeTakeFirst();
    if (existing && existing.status !== 'cancelled') {
      touched.push(existing);
      continue;
    }
    const place = await placeRow(db, s, nowIso);
    const fields = {
      name: input.name.trim(),
      country: input.country.trim().toUpperCase(),
      affiliation: input.affiliation.trim(),
      answers: JSON.stringify(answers),
      language,
      time_zone: timeZone,
      consent_at: nowIso,
      news_opt_in: input.newsOptIn ? 1 : 0,
      updated_at: nowIso,
      ...place,
    };
    if (existing) {
      await db.updateTable('registration').set(fields).where('id', '=', existing.id).execute();
      touched.push({ ...existing, ...fields });
    } else {
      const row: RegistrationTable = {
        id: newId(),
        series_id: series.id,
        session_id: s.id,
        email,
        manage_token_hash: '',
        manage_token_expires_at: nowIso,
        attended_minutes: null,
        reminders_off: 0,
        messages_off: 0,
        created_at: nowIso,
        ...fields,
      };
      await db.insertInto('registration').values(row).execute();
      touched.push(row);
    }
    created = true;
    if (place.status === 'confirmed')
      await scheduleReminders(db, touched[touched.length - 1], s.starts_at, now, offsets);
  }
  const token = await issueToken(db, series.id, email, series.retention_days, lastEnd);
  const order = new Map(sessions.map((s, i) => [s.id, i]));
  touched.sort((a, b) => (order.get(a.session_id) ?? 0) - (order.get(b.session_id) ?? 0));
  return {
    outcome: created ? 'created' : 'resent',
    email,
    token,
    registrations: touched,
    mails: touched.map((r) => ({
      registrationId: r.id,
      kind: r.status === 'waitlisted' ? 'waitlisted' : 'confirmed',
      token,
    })),
  };
}

/** The registrations a manage link opens; a wrong link is 404, an expired one 410. */
export async function byToken(db: Db, token: string, now = new Date()) {
  const rows = token.length >= 16 && token.length <= 64 ? await repo.registrationsByToken(db, token) : [];
  if (!rows.length)
    throw new AppError(
      404,
      'manage_link_invalid',
      'This link is not valid. Please use the link in an e-mail from us, or register again to receive it.',
      'token',
    );
  if (rows.every((r) => new Date(r.manage_token_expires_at) < now))
    throw new AppError(
      410,
      'manage_link_expired',
      'This link has expired: the series is over and its registration data has been deleted or is about to be.',
      'token',
    );
  return rows;
}

/**
 * Cancels registrations and promotes the first waitlisted people, in order, into the seats freed.
 * Returns the mails: a withdrawal (CANCEL) for the canceller unless `silent`, a promotion for each promoted.
 */
export async function cancelRegistrations(
  db: Db,
  rows: RegistrationTable[],
  opts: { silent?: boolean; now?: Date; cancelledIds?: string[] } = {},
): Promise<PendingMail[]> {
  const now = opts.now ?? new Date();
  const mails: PendingMail[] = [];
  for (const r of [...rows].sort((a, b) => a.session_id.localeCompare(b.session_id))) {
    if (r.status === 'cancelled') continue;
    await lockSession(db, r.session_id);
    const fresh = await repo.findRegistration(db, r.id);
    if (!fresh || fresh.status === 'cancelled') continue;
    await db
      .updateTable('registration')
      .set({ status: 'cancelled', waitlisted_at: null, updated_at: now.toISOString() })
      .where('id', '=', r.id)
      .execute();
    await cancelJobs(db, `reminder:${r.id}:`);
    opts.cancelledIds?.push(r.id);
    if (!opts.silent && fresh.status !== 'waitlisted')
      mails.push({ registrationId: r.id, kind: 'withdrawn' });
    if (fresh.status === 'confirmed') mails.push(...(await promoteWaitlisted(db, r.session_id, now)));
  }
  return mails;
}

/** Fills free seats from the waiting list, first come first served. */
export async function promoteWaitlisted(db: Db, sessionId: string, now = new Date()): Promise<PendingMail[]> {
  const session = await findSession(db, sessionId);
  if (!session || session.status === 'cancelled' || new Date(session.starts_at) <= now) return [];
  const free =
    session.capacity === null
      ? Number.MAX_SAFE_INTEGER
      : session.capacity - (await repo.seatsTaken(db, sessionId));
  if (free <= 0) return [];
  const promoted = await repo.firstWaitlisted(db, sessionId, Math.min(free, 1000));
  const mails: PendingMail[] = [];
  for (const p of promoted) {
    const res = await db
      .updateTable('registration')
      .set({ status: 'confirmed', waitlisted_at: null, updated_at: now.toISOString() })
      .where('id', '=', p.id)
      .where('status', '=', 'waitlisted')
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) continue;
    await scheduleReminders(db, p, session.starts_at, now);
    mails.push({ registrationId: p.id, kind: 'promoted' });
  }
  return mails;
}

/** In 'choose' mode: keeps the sessions chosen, cancels the others, registers the new ones. */
export async function changeSessions(
  db: Db,
  token: string,
  sessionIds: string[],
  now = new Date(),
): Promise<{ mails: PendingMail[]; token: string | null }> {
  const rows = await byToken(db, token, now);
  const series = await findSeries(db, rows[0].series_id);
  if (!series) throw notFound('This series');
  if (series.registration_mode !== 'choose')
    throw invalid(
      'not_choose_mode',
      'In this series you cannot pick sessions: cancel and register again instead.',
      'sessionIds',
    );
  const want = new Set(sessionIds);
  const drop = rows.filter(
    (r) => r.status !== 'cancelled' && !want.has(r.session_id) && r.status !== 'attended',
  );
  const mails = await cancelRegistrations(db, drop, { now });
  const have = new Set(rows.filter((r) => r.status !== 'cancelled').map((r) => r.session_id));
  const add = sessionIds.filter((id) => !have.has(id));
  if (!add.length) return { mails, token: null };
  const p = rows[0];
  const res = await register(
    db,
    series.id,
    {
      name: p.name,
      email: p.email,
      country: p.country,
      affiliation: p.affiliation,
      answers: JSON.parse(p.answers) as Record<string, string | boolean>,
      language: p.language,
      timeZone: p.time_zone,
      sessionIds: add,
      consent: true,
      newsOptIn: p.news_opt_in === 1,
    },
    now,
  );
  const added = new Set(add);
  return {
    mails: [
      ...mails,
      ...res.mails.filter((m) =>
        added.has(res.registrations.find((r) => r.id === m.registrationId)?.session_id ?? ''),
      ),
    ],
    token: res.token,
  };
}

/** Stops the reminders of one registration, now and after later session changes. */
export async function turnRemindersOff(db: Db, registrationId: string): Promise<void> {
  await db
    .updateTable('registration')
    .set({ reminders_off: 1, updated_at: new Date().toISOString() })
    .where('id', '=', registrationId)
    .execute();
  await cancelJobs(db, `reminder:${registrationId}:`);
}

/** Stops the coordinators' messages to a person in a series (all their registrations there). */
export async function turnMessagesOff(db: Db, seriesId: string, email: string): Promise<void> {
  await db
    .updateTable('registration')
    .set({ messages_off: 1, updated_at: new Date().toISOString() })
    .where('series_id', '=', seriesId)
    .where('email', '=', email)
    .execute();
}
