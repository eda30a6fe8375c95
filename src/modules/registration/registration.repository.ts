import { createHash } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { idFromName, newId } from '../../lib/ids.ts';
import { DEFAULT_QUESTIONS } from './registration.i18n.ts';
import './registration.tables.ts';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Seats taken in a session: confirmed and attended registrations. */
export async function seatsTaken(db: Db, sessionId: string): Promise<number> {
  const r = await db
    .selectFrom('registration')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .where('status', 'in', ['confirmed', 'attended'])
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The first waitlisted registrations of a session, in the order they joined the list. */
export async function firstWaitlisted(db: Db, sessionId: string, limit: number) {
  return db
    .selectFrom('registration')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('status', '=', 'waitlisted')
    .orderBy('waitlisted_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** 1-based place on the waiting list. */
export async function waitlistPosition(
  db: Db,
  reg: { session_id: string; waitlisted_at: string | null; id: string },
): Promise<number | null> {
  if (!reg.waitlisted_at) return null;
  const r = await db
    .selectFrom('registration')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', reg.session_id)
    .where('status', '=', 'waitlisted')
    .where((eb) =>
      eb.or([
        eb('waitlisted_at', '<', reg.waitlisted_at),
        eb.and([eb('waitlisted_at', '=', reg.waitlisted_at), eb('id', '<=', reg.id)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function registrationsByToken(db: Db, token: string) {
  return db
    .selectFrom('registration')
    .selectAll()
    .where('manage_token_hash', '=', hashToken(token))
    .orderBy('created_at')
    .execute();
}

export async function findRegistration(db: Db, id: string) {
  return db.selectFrom('registration').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The series' questions: its own, or the default questions until a coordinator edits them. */
export async function questionsOf(db: Db, seriesId: string) {
  let rows = await db
    .selectFrom('registration_question')
    .selectAll()
    .where('series_id', '=', seriesId)
    .orderBy('position')
    .execute();
  if (!rows.length) {
    const settings = await db
      .selectFrom('registration_settings')
      .select('questions_customised')
      .where('series_id', '=', seriesId)
      .executeTakeFirst();
    if (settings?.questions_customised === 1) return [];
    // The defaults are read from the code, not stored: a page that shows the form writes nothing, and
    // answers are kept by question key, so storing them would add nothing until a coordinator edits them.
    rows = DEFAULT_QUESTIONS.map((q, i) => ({
      id: idFromName(`registration_question:${seriesId}:${q.key}`),
      series_id: seriesId,
      key: q.key,
      label: JSON.stringify(q.label),
      type: q.type,
      options: JSON.stringify(q.options ?? []),
      required: q.required ? 1 : 0,
      position: i,
    }));
  }
  return rows.map((q) => ({
    ...q,
    label: JSON.parse(q.label) as Record<string, string>,
    options: JSON.parse(q.options) as { value: string; label: Record<string, string> }[],
    required: q.required === 1,
  }));
}
export type Question = Awaited<ReturnType<typeof questionsOf>>[number];

/** Reminder offsets of a series in minutes before the start (default 24 h and 1 h). */
export async function reminderOffsets(db: Db, seriesId: string): Promise<number[]> {
  const r = await db
    .selectFrom('registration_settings')
    .select('reminder_offsets')
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  return r ? (JSON.parse(r.reminder_offsets) as number[]) : [1440, 60];
}

export async function setReminderOffsets(db: Db, seriesId: string, offsets: number[]) {
  const now = new Date().toISOString();
  await db
    .insertInto('registration_settings')
    .values({ series_id: seriesId, reminder_offsets: JSON.stringify(offsets), updated_at: now })
    .onConflict((oc) =>
      oc.column('series_id').doUpdateSet({ reminder_offsets: JSON.stringify(offsets), updated_at: now }),
    )
    .execute();
}

/** Replaces a series' questions (answers already given keep their keys). */
export async function replaceQuestions(
  db: Db,
  seriesId: string,
  questions: {
    key: string;
    label: Record<string, string>;
    type: 'select' | 'text' | 'checkbox';
    options: { value: string; label: Record<string, string> }[];
    required: boolean;
  }[],
) {
  await db.deleteFrom('registration_question').where('series_id', '=', seriesId).execute();
  // Remember the choice, so that an empty list does not bring the defaults back.
  await db
    .insertInto('registration_settings')
    .values({ series_id: seriesId, questions_customised: 1, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('series_id').doUpdateSet({ questions_customised: 1 }))
    .execute();
  if (!questions.length) return;
  await db
    .insertInto('registration_question')
    .values(
      questions.map((q, i) => ({
        id: newId(),
        series_id: seriesId,
        key: q.key,
        label: JSON.stringify(q.label),
        type: q.type,
        options: JSON.stringify(q.options),
        required: q.required ? 1 : 0,
        position: i,
      })),
    )
    .execute();
}

/** Every registration of a series (the first `limit` when given), oldest first (coordinators' list). */
export async function registrationsOfSeries(db: Db, seriesId: string, limit?: number) {
  let q = db.selectFrom('registration').selectAll().where('series_id', '=', seriesId).orderBy('created_at');
  if (limit !== undefined) q = q.limit(limit);
  return q.execute();
}
