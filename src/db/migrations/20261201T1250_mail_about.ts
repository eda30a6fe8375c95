import type { Kysely } from 'kysely';

// notify: the address of the person a mail is about when it is not the recipient (a held comment told
// to the coordinators, a reply told to the first commenter), so that person's export lists the mail
// and their erasure removes it. Written against Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mail_log').addColumn('about_address', 'text').execute();
  await db.schema.createIndex('mail_log_about').on('mail_log').column('about_address').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('mail_log_about').execute();
  await db.schema.alterTable('mail_log').dropColumn('about_address').execute();
}
