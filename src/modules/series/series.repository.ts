import { sql } from 'kysely';
import { dialectOf, type Db } from '../../db/index.ts';
import { UUID_RE } from '../../lib/ids.ts';

/** A series by id or slug. */
export async function findSeries(db: Db, idOrSlug: string) {
  const q = db.selectFrom('series').selectAll();
  return (
    UUID_RE.test(idOrSlug) ? q.where('id', '=', idOrSlug) : q.where('slug', '=', idOrSlug)
  ).executeTakeFirst();
}

export async function listSeries(db: Db, filter: { publishedOrIds: string[] | 'all' }) {
  let q = db.selectFrom('series').selectAll().orderBy('created_at', 'desc');
  if (filter.publishedOrIds !== 'all') {
    const ids = filter.publishedOrIds;
    q = q.where((eb) =>
      ids.length
        ? eb.or([eb('status', '=', 'published'), eb('id', 'in', ids)])
        : eb('status', '=', 'published'),
    );
  }
  return q.execute();
}

/** How many series the instance holds (the demo seeds only an empty one). */
export async function countSeries(db: Db): Promise<number> {
  const r = await db
    .selectFrom('series')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function regionsOf(db: Db, seriesId: string) {
  return db.selectFrom('region').selectAll().where('series_id', '=', seriesId).orderBy('position').execute();
}

export async function sessionsOf(db: Db, seriesId: string) {
  return db
    .selectFrom('session')
    .selectAll()
    .where('series_id', '=', seriesId)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
}

export async function findSession(db: Db, id: string) {
  if (!UUID_RE.test(id)) return undefined;
  return db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
}

/** These sessions (any series), in no particular order. */
export async function sessionsByIds(db: Db, ids: readonly string[]) {
  if (!ids.length) return [];
  return db
    .selectFrom('session')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

/**
 * Locks a session's row until the transaction ends (PostgreSQL), so that two registrations for its
 * last seat are counted one after the other; SQLite transactions are serial already.
 */
export async function lockSession(db: Db, sessionId: string): Promise<void> {
  if (dialectOf(db) === 'postgres')
    await sql`select id from session where id = ${sessionId} for update`.execute(db);
}

export async function presentationsOf(db: Db, sessionIds: string[]) {
  if (!sessionIds.length) return [];
  return db
    .selectFrom('presentation')
    .selectAll()
    .where('session_id', 'in', sessionIds)
    .orderBy('position')
    .execute();
}

export async function presentersOf(db: Db, presentationIds: string[]) {
  if (!presentationIds.length) return [];
  return db
    .selectFrom('presentation_person as pp')
    .innerJoin('person as p', 'p.id', 'pp.person_id')
    .select([
      'pp.presentation_id',
      'pp.position',
      'p.id',
      'p.name',
      'p.email',
      'p.affiliation',
      'p.organisation_id',
      'p.bio',
    ])
    .where('pp.presentation_id', 'in', presentationIds)
    .orderBy('pp.position')
    .execute();
}

export async function findPresentation(db: Db, id: string) {
  if (!UUID_RE.test(id)) return undefined;
  return db
    .selectFrom('presentation as p')
    .innerJoin('session as s', 's.id', 'p.session_id')
    .selectAll('p')
    .select(['s.series_id', 's.region_id'])
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export async function peopleOf(db: Db, seriesId: string) {
  return db.selectFrom('person').selectAll().where('series_id', '=', seriesId).orderBy('name').execute();
}

export async function organisationsOf(db: Db, seriesId: string) {
  return db
    .selectFrom('organisation')
    .selectAll()
    .where('series_id', '=', seriesId)
    .orderBy('name')
    .execute();
}

export async function findPerson(db: Db, id: string) {
  if (!UUID_RE.test(id)) return undefined;
  return db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findOrganisation(db: Db, id: string) {
  if (!UUID_RE.test(id)) return undefined;
  return db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touchSeries(db: Db, seriesId: string) {
  await db
    .updateTable('series')
    .set({ updated_at: new Date().toISOString() })
    .where('id', '=', seriesId)
    .execute();
}
