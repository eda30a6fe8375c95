import { Kysely, PostgresAdapter, sql } from 'kysely';

// Analysis workbench: sources and units of a series, its codebook, people's codings, jobs,
// and the stored inputs of snapshots (so a published finding can be reproduced).
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;
  const real = pg ? sql`double precision` : sql`real`;

  await db.schema
    .createTable('wb_state')
    .addColumn('series_id', 'text', (c) => c.primaryKey().references('series.id').onDelete('cascade'))
    .addColumn('codebook_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('data_version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('coded_version', 'integer', (c) => c.notNull().defaultTo(0)) // codebook version the engine labels were computed with
    .addColumn('live_refreshed_at', instant)
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('wb_theme')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('terms', 'text', (c) => c.notNull().defaultTo('[]')) // JSON [{text, lang?}]
    .addColumn('parent_key', 'text')
    .addColumn('merged_into', 'text')
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', instant, (c) => c.notNull())
    .addUniqueConstraint('wb_theme_key', ['series_id', 'key'])
    .execute();

  await db.schema
    .createTable('wb_source')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull()) // live | csv | xlsx | vtt | srt | chat
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wb_source_series').on('wb_source').columns(['series_id', 'kind']).execute();

  await db.schema
    .createTable('wb_item')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('source_id', 'text', (c) => c.notNull().references('wb_source.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('region', 'text')
    .addColumn('session', 'text')
    .addColumn('prompt_kind', 'text')
    .addColumn('language', 'text')
    .addColumn('career_stage', 'text')
    .addColumn('speaker', 'text')
    .addColumn('submitted_at', instant)
    .addColumn('groups', 'text', (c) => c.notNull().defaultTo('{}')) // JSON: every mapped column
    .addColumn('engine_labels', 'text', (c) => c.notNull().defaultTo('')) // ';'-joined theme keys
    .addColumn('engine_confidence', real)
    .addColumn('created_at', instant, (c) => c.notNull())
    .addUniqueConstraint('wb_item_external', ['source_id', 'external_id'])
    .execute();
  await db.schema.createIndex('wb_item_series').on('wb_item').columns(['series_id', 'id']).execute();

  await db.schema
    .createTable('wb_coding')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('wb_item.id').onDelete('cascade'))
    .addColumn('theme_key', 'text', (c) => c.notNull())
    .addColumn('start_offset', 'integer')
    .addColumn('end_offset', 'integer')
    .addColumn('decision', 'text', (c) => c.notNull()) // accept | reject
    .addColumn('engine_said', 'integer', (c) => c.notNull().defaultTo(0)) // did the engine apply the theme when the person decided
    .addColumn('account_id', 'text', (c) => c.references('account.id').onDelete('set null'))
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wb_coding_item').on('wb_coding').columns(['series_id', 'item_id']).execute();

  await db.schema
    .createTable('wb_job')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // running | done | failed
    .addColumn('done', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wb_job_series').on('wb_job').columns(['series_id', 'created_at']).execute();

  await db.schema
    .createTable('wb_snapshot_input')
    .addColumn('snapshot_id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('codebook', 'text', (c) => c.notNull())
    .addColumn('codings', 'text', (c) => c.notNull())
    .addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('created_at', instant, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'wb_snapshot_input',
    'wb_job',
    'wb_coding',
    'wb_item',
    'wb_source',
    'wb_theme',
    'wb_state',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
