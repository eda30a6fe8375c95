import { Kysely, PostgresAdapter, sql } from 'kysely';

// The trained engine of a series, saved so a process can reload it without retraining (workbench).
// Its training examples are people's answers: erased with them (eraseCopiesOfAnswers) and with the series.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const instant = pg ? sql`timestamptz` : sql`text`;
  await db.schema
    .createTable('wb_engine')
    .addColumn('series_id', 'text', (c) => c.primaryKey().references('series.id').onDelete('cascade'))
    .addColumn('codebook_version', 'integer', (c) => c.notNull())
    .addColumn('decisions', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', instant, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wb_engine').execute();
}
