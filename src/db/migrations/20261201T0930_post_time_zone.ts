import type { Kysely } from 'kysely';

// The time zone a scheduled post's time was written in, so the form shows it back in that zone.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('post').addColumn('publish_time_zone', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('post').dropColumn('publish_time_zone').execute();
}
