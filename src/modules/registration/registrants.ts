import type { Db } from '../../db/index.ts';
import { FormError, type FieldIssue } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { enqueueJob, type JobContext } from '../notify/index.ts';
import { regionsOf, sessionsOf } from '../series/index.ts';
import { messagesOffUrl } from './registration.mail.ts';

/** Which registrants a coordinator looks at (every part optional). */
export interface RegistrantFilter {
  sessionId?: string;
  status?: string;
  language?: string;
  country?: string;
  region?: string;
  attended?: 'yes' | 'no';
}

const STATUSES = ['confirmed', 'waitlisted', 'cancelled', 'attended'];

/** The filter from query parameters; unknown values are dropped, never passed to SQL as they are. */
export function filterFromQuery(q: Record<string, unknown>): RegistrantFilter {
  const s = (k: string) => (typeof q[k] === 'string' ? q[k].trim() : '');
  const f: RegistrantFilter = {};
  if (STATUSES.includes(s('status'))) f.status = s('status');
  if (/^[a-z]{2,3}$/.test(s('language'))) f.language = s('language');
  if (/^[A-Za-z]{2}$/.test(s('country'))) f.country = s('country').toUpperCase();
  if (/^[\w-]{1,64}$/.test(s('region'))) f.region = s('region');
  if (s('attended') === 'yes' || s('attended') === 'no') f.attended = s('attended') as 'yes' | 'no';
  return f;
}

/**
 * The registrants of a series (or one session) that match a filter, with their session and region.
 * Sessions and regions come from the series module, which owns them; registrations are ours.
 */
export async function listRegistrants(db: Db, seriesId: string, f: RegistrantFilter, limit = 10_000) {
  const [sessions, regions] = await Promise.all([sessionsOf(db, seriesId), regionsOf(db, seriesId)]);
  const regionById = new Map(regions.map((g) => [g.id, g]));
  const sessionById = new Map(sessions.map((s) => [s.id, s]));
  const order = new Map(sessions.map((s, i) => [s.id, i]));
  let sessionIds = sessions.map((s) => s.id);
  if (f.sessionId) sessionIds = sessionIds.filter((id) => id === f.sessionId);
  if (f.region)
    sessionIds = sessionIds.filter(
      (id) => regionById.get(sessionById.get(id)?.region_id ?? '')?.key === f.region,
    );
  if (!sessionIds.length) return [];
  let q = db
    .selectFrom('registration as r')
    .select([
      'r.id',
      'r.name',
      'r.email',
      'r.country',
      'r.affiliation',
      'r.language',
      'r.status',
      'r.attended_minutes',
      'r.messages_off',
      'r.created_at',
      'r.session_id',
    ])
    .where('r.series_id', '=', seriesId)
    .where('r.session_id', 'in', sessionIds);
  if (f.status) q = q.where('r.status', '=', f.status as 'confirmed');
  if (f.language) q = q.where('r.language', '=', f.language);
  if (f.country) q = q.where('r.country', '=', f.country);
  if (f.attended === 'yes') q = q.where('r.attended_minutes', '>', 0);
  if (f.attended === 'no')
    q = q.where((eb) => eb.or([eb('r.attended_minutes', 'is', null), eb('r.attended_minutes', '=', 0)]));
  const rows = await q.orderBy('r.created_at').orderBy('r.id').execute();
  return rows
    .map((r) => {
      const s = sessionById.get(r.session_id);
      const g = s?.region_id ? regionById.get(s.region_id) : undefined;
      return {
        ...r,
        session_id: r.session_id,
        session_title: s?.title ?? '',
        starts_at: s?.starts_at ?? '',
        region_key: g?.key ?? null,
        region_name: g?.name ?? null,
      };
    })
    .sort((a, b) => (order.get(a.session_id) ?? 0) - (order.get(b.session_id) ?? 0))
    .slice(0, limit);
}
export type Registrant = Awaited<ReturnType<typeof listRegistrants>>[number];

/** A message to registrants: a subject and a body per language (at least one language). */
export type MessageTexts = Record<string, { subject: string; body: string }>;

/** Checks a message form: every language with a subject needs a body and the reverse; all errors at once. */
export function checkMessage(languages: string[], texts: MessageTexts): MessageTexts {
  const issues: FieldIssue[] = [];
  const out: MessageTexts = {};
  for (const l of languages) {
    const { subject = '', body = '' } = texts[l] ?? {};
    const sub = subject.trim();
    const txt = body.trim();
    if (!sub && !txt) continue;
    if (!sub)
      issues.push({ field: `subject_${l}`, code: 'required', message: 'Give this language a subject too.' });
    else if (sub.length > 200)
      issues.push({
        field: `subject_${l}`,
        code: 'too_long',
        message: 'A subject has at most 200 characters.',
      });
    if (!txt)
      issues.push({ field: `body_${l}`, code: 'required', message: 'Give this language a text too.' });
    else if (txt.length > 20_000)
      issues.push({ field: `body_${l}`, code: 'too_long', message: 'A text has at most 20,000 characters.' });
    out[l] = { subject: sub, body: txt };
  }
  if (!Object.keys(out).length && !issues.length)
    issues.push({
      field: `subject_${languages[0] ?? 'en'}`,
      code: 'required',
      message: 'Write a subject and a text in at least one language.',
    });
  if (issues.length) throw new FormError(issues);
  return out;
}

/** The job kind that sends a message written to registrants. */
export const MESSAGE_JOB = 'registrants.message';

/**
 * Writes one message to each person (one e-mail per address) among the registrants: in their
 * language when the message has it, else in the first language written. The request only records
 * who gets what (status `queued`) and schedules one job, so a list of thousands does not hold the
 * request; the job sends the mails (see `sendQueuedMessage`). People who stopped these messages, or
 * whose data was erased, are skipped. Returns how many were queued.
 */
export async function writeToRegistrants(
  db: Db,
  opts: {
    seriesId: string;
    seriesTitle: string;
    sentBy: string;
    recipients: Registrant[];
    texts: MessageTexts;
  },
): Promise<{ queued: number; skipped: number; messageId: string }> {
  const messageId = newId();
  const seen = new Set<string>();
  const fallback = Object.keys(opts.texts)[0];
  const now = new Date().toISOString();
  const rows = [];
  let skipped = 0;
  for (const r of opts.recipients) {
    if (seen.has(r.email)) continue;
    seen.add(r.email);
    if (Number(r.messages_off) === 1 || r.email.endsWith('@erased.invalid')) {
      skipped++;
      continue;
    }
    const language = opts.texts[r.language] ? r.language : fallback;
    rows.push({
      id: newId(),
      message_id: messageId,
      series_id: opts.seriesId,
      registration_id: r.id,
      email: r.email,
      language,
      subject: opts.texts[language].subject,
      sent_by: opts.sentBy,
      status: 'queued',
      created_at: now,
    });
  }
  // Several rows per statement, under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 50)
    await db
      .insertInto('registrant_mail')
      .values(rows.slice(i, i + 50))
      .execute();
  if (rows.length)
    await enqueueJob(db, {
      kind: MESSAGE_JOB,
      uniqueKey: `${MESSAGE_JOB}:${messageId}`,
      payload: { messageId, seriesTitle: opts.seriesTitle, texts: opts.texts },
      runAt: now,
    });
  return { queued: rows.length, skipped, messageId };
}

/**
 * The job: sends each still-queued mail of a message and records its outcome one by one, so a
 * crash part-way resends nothing already sent. Each mail carries the link that stops these messages.
 */
export async function sendQueuedMessage(
  ctx: JobContext,
  payload: { messageId: string; seriesTitle: string; texts: MessageTexts },
): Promise<number> {
  const { db, mailer } = ctx;
  const queued = await db
    .selectFrom('registrant_mail')
    .select(['id', 'registration_id', 'email', 'language'])
    .where('message_id', '=', payload.messageId)
    .where('status', '=', 'queued')
    .orderBy('created_at')
    .execute();
  for (const r of queued) {
    const t = payload.texts[r.language] ?? Object.values(payload.texts)[0];
    if (!r.registration_id) continue; // erased since it was queued
    const unsubscribeUrl = await messagesOffUrl(db, ctx.config.publicUrl, r.registration_id);
    const res = await mailer.send(db, {
      kind: MESSAGE_JOB,
      to: r.email,
      subject: t.subject,
      text: `${t.body}\n\n— ${payload.seriesTitle}\n${unsubscribeUrl}\n`,
      unsubscribeUrl,
    });
    await db.updateTable('registrant_mail').set({ status: res.status }).where('id', '=', r.id).execute();
  }
  return queued.length;
}

/** What was written to whom in a series, newest first. */
export async function sentMessages(db: Db, seriesId: string, limit = 200) {
  return db
    .selectFrom('registrant_mail')
    .select(['message_id', 'email', 'language', 'subject', 'status', 'created_at'])
    .where('series_id', '=', seriesId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
