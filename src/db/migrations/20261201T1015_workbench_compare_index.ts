import { PostgresAdapter, type Kysely } from 'kysely';

// workbench: a covering index for the compare page's aggregate (compare.cube.ts groups a series' units by
// kind, region, session, career stage, language, engine labels and day). On SQLite the aggregate then
// reads this narrow index instead of every unit's row with its text: on 50,000 units about 2.3 times
// less CPU. SQLite only: PostgreSQL keeps long texts out of line already, and a B-tree entry there is
// limited to about 2.7 kB, which imported session or career-stage cells could exceed.
// Written against Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await db.schema
    .createIndex('wb_item_compare')
    .on('wb_item')
    .columns([
      'series_id',
      'prompt_kind',
      'region',
      'session',
      'career_stage',
      'language',
      'engine_labels',
      'submitted_at',
      'id',
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await db.schema.dropIndex('wb_item_compare').execute();
}
