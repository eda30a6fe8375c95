import type { Kysely } from 'kysely';

// An account's own language for pages and e-mails (null: follow the browser).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('account').addColumn('language', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('account').dropColumn('language').execute();
}
