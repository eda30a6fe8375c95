import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

// Calendar identity (notify): one instance id made at first start, so calendar UIDs do not depend
// on PUBLIC_URL, and the last SEQUENCE sent per UID, so every iTIP message to a calendar is newer
// than the one before. Also the secret of signed one-click links and the registrant's reminder opt-out. Written against Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('instance_setting')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('instance_setting')
    .values([
      { name: 'instance_id', value: randomUUID() },
      // Signs one-click unsubscribe links (RFC 8058), which must work without a login or a cookie.
      { name: 'link_secret', value: randomBytes(32).toString('base64url') },
    ])
    .execute();
  await db.schema
    .createTable('calendar_sequence')
    .addColumn('uid', 'text', (c) => c.primaryKey())
    .addColumn('sequence', 'integer', (c) => c.notNull())
    .execute();
  // registration: the registrant turned reminders off through the one-click link of a reminder.
  await db.schema
    .alterTable('registration')
    .addColumn('reminders_off', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('registration').dropColumn('reminders_off').execute();
  await db.schema.dropTable('calendar_sequence').execute();
  await db.schema.dropTable('instance_setting').execute();
}
