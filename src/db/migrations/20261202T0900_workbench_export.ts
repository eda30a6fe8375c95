import { Kysely, PostgresAdapter, sql } from 'kysely';

// Workbench export files built by a background job: the request (format, filters, language), its
// progress, and the file itself until it expires. Deleted with their series, on expiry, and when a
// person whose words they may hold is erased. Written against Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;
  const bytes = pg ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('wb_export')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('request_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('phase', 'text')
    .addColumn('units', 'integer')
    .addColumn('file_name', 'text')
    .addColumn('content_type', 'text')
    .addColumn('size', 'integer')
    .addColumn('body', bytes)
    .addColumn('requested_by', 'text', (c) => c.references('account.id').onDelete('set null'))
    .addColumn('error', 'text')
    .addColumn('created_at', instant, (c) => c.notNull())
    .addColumn('finished_at', instant)
    .addColumn('expires_at', instant)
    .execute();
  await db.schema
    .createIndex('wb_export_series')
    .on('wb_export')
    .columns(['series_id', 'created_at'])
    .execute();
  await db.schema.createIndex('wb_export_expires').on('wb_export').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wb_export').execute();
}
