// The ids the page list's URLs need, read from a seeded series (the demo's founding series in the tests).
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.ts';
import type { PageFixture } from '../../src/server/pages.list.ts';

/** The page fixture of a series: its first post, congress session, live room and person, and its snapshot. */
export async function pageFixtureOf(
  db: Kysely<Database>,
  seriesId: string,
  registrationToken: string,
): Promise<PageFixture & { roomId: string }> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const any = db as any;
  const one = (table: string) =>
    any.selectFrom(table).selectAll().where('series_id', '=', seriesId).executeTakeFirstOrThrow();
  const series = await db
    .selectFrom('series')
    .select(['id', 'slug'])
    .where('id', '=', seriesId)
    .executeTakeFirstOrThrow();
  const [post, congress, room, person] = await Promise.all(
    ['post', 'congress_session', 'live_room', 'person'].map(one),
  );
  const snapshot = await any
    .selectFrom('snapshot')
    .select('id')
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  return {
    seriesId: series.id,
    slug: series.slug,
    sessionId: room.session_id,
    personId: person.id,
    postId: post.id,
    postSlug: post.slug,
    translationGroup: post.translation_group,
    congressId: congress.id,
    congressSlug: congress.slug,
    roomCode: room.code,
    roomId: room.id,
    registrationToken,
    snapshotId: snapshot?.id ?? 'none',
  };
}
