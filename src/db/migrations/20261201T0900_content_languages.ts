import type { Kysely } from 'kysely';

// Content in several languages where people enter it. Each column holds a JSON object of language
// code → text ('{}' when nothing is translated); the existing text column stays the source.
export async function up(db: Kysely<any>): Promise<void> {
  // series: a region's name per language.
  await db.schema
    .alterTable('region')
    .addColumn('names', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  // workbench: a theme's label and description per language.
  await db.schema
    .alterTable('wb_theme')
    .addColumn('labels', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema
    .alterTable('wb_theme')
    .addColumn('descriptions', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('wb_theme').dropColumn('descriptions').execute();
  await db.schema.alterTable('wb_theme').dropColumn('labels').execute();
  await db.schema.alterTable('region').dropColumn('names').execute();
}
