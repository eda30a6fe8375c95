import type { Db } from '../../db/index.ts';

/** The newest mails first, for the admin outbox page. */
export async function listOutbox(db: Db, limit = 100) {
  return db.selectFrom('mail_log').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}
