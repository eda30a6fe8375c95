import type { Kysely } from 'kysely';

// Registrants (registration) and the session's public video flag (series). Written against Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  // registration: the registrant turned the coordinators' messages off through a message's link.
  await db.schema
    .alterTable('registration')
    .addColumn('messages_off', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // registration: what a coordinator wrote to which registrant (personal data: export and erasure).
  await db.schema
    .createTable('registrant_mail')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('series_id', 'text', (c) => c.notNull().references('series.id').onDelete('cascade'))
    .addColumn('registration_id', 'text', (c) => c.references('registration.id').onDelete('set null'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('registrant_mail_series')
    .on('registrant_mail')
    .columns(['series_id', 'created_at'])
    .execute();
  await db.schema.createIndex('registrant_mail_email').on('registrant_mail').column('email').execute();
  // session (series): show the video link on the public session page too (off: registrants only).
  await db.schema
    .alterTable('session')
    .addColumn('video_public', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('session').dropColumn('video_public').execute();
  await db.schema.dropTable('registrant_mail').execute();
  await db.schema.alterTable('registration').dropColumn('messages_off').execute();
}
