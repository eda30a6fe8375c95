import type { Db } from '../../db/index.ts';

/** The newest mails first, for the admin outbox page. */
export async function listOutbox(db: Db, limit = 100) {
  return db.selectFrom('mail_log').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}

/** The mails sent to an address, oldest first (a person's data export lists them). */
export async function mailsTo(db: Db, email: string) {
  return db
    .selectFrom('mail_log')
    .select(['kind', 'to_address', 'subject', 'text_body', 'status', 'created_at', 'sent_at'])
    .where('to_address', '=', email)
    .orderBy('created_at')
    .execute();
}

/** Forgets every mail sent to an address (erasure of the person). */
export async function eraseMailsTo(db: Db, email: string): Promise<void> {
  await db.deleteFrom('mail_log').where('to_address', '=', email).execute();
}

/** The mails sent to others about an address (a held comment told to the coordinators), oldest first. */
export async function mailsAbout(db: Db, email: string) {
  return db
    .selectFrom('mail_log')
    .select(['kind', 'subject', 'text_body', 'status', 'created_at', 'sent_at'])
    .where('about_address', '=', email.trim().toLowerCase())
    .orderBy('created_at')
    .execute();
}

/** Forgets every mail sent to others about an address (erasure of the person). */
export async function eraseMailsAbout(db: Db, email: string): Promise<void> {
  await db.deleteFrom('mail_log').where('about_address', '=', email.trim().toLowerCase()).execute();
}
