import type { Db } from '../../db/index.ts';
import { conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { authorize, canManageSeries, type Actor } from '../accounts/index.ts';
import { resolveInstant } from '../series/index.ts';
import { managedSeries } from './posts.service.ts';
import type { CongressInput } from './publishing.schema.ts';
import { requireSnapshotInSeries } from './snapshot.ts';

async function checked(db: Db, seriesId: string, input: CongressInput, exceptId?: string) {
  let q = db
    .selectFrom('congress_session')
    .select('id')
    .where('series_id', '=', seriesId)
    .where('slug', '=', input.slug);
  if (exceptId) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst())
    throw conflict('slug_taken', 'Another congress session of this series uses this short name.', 'slug');
  if (input.snapshotId) await requireSnapshotInSeries(db, input.snapshotId, seriesId);
  const startsAt = resolveInstant(input.startsAt, input.timeZone, 'startsAt');
  const endsAt = resolveInstant(input.endsAt, input.timeZone, 'endsAt');
  if (endsAt <= startsAt)
    throw invalid('session_ends_before_start', 'The session must end after it starts.', 'endsAt');
  return { startsAt, endsAt };
}

/** Adds a congress session (times: ISO with offset, or wall-clock time in its zone). */
export async function createCongressSession(
  db: Db,
  actor: Actor | null,
  seriesIdOrSlug: string,
  input: CongressInput,
): Promise<string> {
  const s = await managedSeries(db, actor, seriesIdOrSlug);
  const { startsAt, endsAt } = await checked(db, s.id, input);
  const id = newId();
  const now = new Date().toISOString();
  await db
    .insertInto('congress_session')
    .values({
      id,
      series_id: s.id,
      slug: input.slug,
      title: input.title,
      event_name: input.eventName,
      description: input.description,
      starts_at: startsAt,
      ends_at: endsAt,
      time_zone: input.timeZone,
      venue: input.venue,
      guiding_questions: JSON.stringify(input.guidingQuestions),
      speakers: JSON.stringify(input.speakers),
      snapshot_id: input.snapshotId,
      sequence: 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** A congress session the actor coordinates. */
export async function editableCongress(db: Db, actor: Actor | null, id: string) {
  const c = await db.selectFrom('congress_session').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw notFound('This congress session', 'id');
  authorize(actor, canManageSeries(actor, c.series_id), 'Only the coordinators of this series can do this.');
  return c;
}

/** Replaces a congress session's details (the calendar SEQUENCE goes up). */
export async function updateCongressSession(
  db: Db,
  actor: Actor | null,
  id: string,
  input: CongressInput,
): Promise<void> {
  const c = await editableCongress(db, actor, id);
  const { startsAt, endsAt } = await checked(db, c.series_id, input, id);
  await db
    .updateTable('congress_session')
    .set({
      slug: input.slug,
      title: input.title,
      event_name: input.eventName,
      description: input.description,
      starts_at: startsAt,
      ends_at: endsAt,
      time_zone: input.timeZone,
      venue: input.venue,
      guiding_questions: JSON.stringify(input.guidingQuestions),
      speakers: JSON.stringify(input.speakers),
      snapshot_id: input.snapshotId,
      sequence: c.sequence + 1,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .execute();
}

/** The congress sessions of a series, soonest first. */
export async function congressSessionsOf(db: Db, seriesId: string) {
  return db
    .selectFrom('congress_session')
    .selectAll()
    .where('series_id', '=', seriesId)
    .orderBy('starts_at')
    .execute();
}

/** One congress session by id, or undefined. */
export async function findCongressById(db: Db, id: string) {
  return db.selectFrom('congress_session').selectAll().where('id', '=', id).executeTakeFirst();
}

/** One congress session by series and slug. */
export async function findCongress(db: Db, seriesId: string, slug: string) {
  const c = await db
    .selectFrom('congress_session')
    .selectAll()
    .where('series_id', '=', seriesId)
    .where('slug', '=', slug)
    .executeTakeFirst();
  if (!c) throw notFound('This congress session', 'slug');
  return c;
}
