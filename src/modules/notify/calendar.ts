/**
 * Calendar identity: the instance id that makes session UIDs, and the last SEQUENCE sent per UID.
 * notify owns `instance_setting` and `calendar_sequence`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';

export interface InstanceSettingTable {
  name: string;
  value: string;
}
export interface CalendarSequenceTable {
  uid: string;
  sequence: number;
}

declare module '../../db/schema.ts' {
  interface Database {
    instance_setting: InstanceSettingTable;
    calendar_sequence: CalendarSequenceTable;
  }
}

/** The id this installation made at its first start (stays when PUBLIC_URL changes). */
export async function instanceId(db: Db): Promise<string> {
  const row = await db
    .selectFrom('instance_setting')
    .select('value')
    .where('name', '=', 'instance_id')
    .executeTakeFirstOrThrow();
  return row.value;
}

/**
 * The one UID of a session, shared by the mailed invitations and the feeds, so a person who both
 * subscribes and accepts sees the session once.
 */
export function sessionUid(instance: string, sessionId: string): string {
  return `${sessionId}@${instance}.colloquy`;
}

/**
 * The SEQUENCE of the next REQUEST or CANCEL for a UID: one more than any sent before and never
 * below `floor` (the session's own revision), in one atomic statement.
 */
export async function nextSequence(db: Db, uid: string, floor: number): Promise<number> {
  const row = await db
    .insertInto('calendar_sequence')
    .values({ uid, sequence: floor })
    .onConflict((oc) =>
      oc.column('uid').doUpdateSet({
        sequence: sql<number>`case when calendar_sequence.sequence + 1 > ${floor} then calendar_sequence.sequence + 1 else ${floor} end`,
      }),
    )
    .returning('sequence')
    .executeTakeFirstOrThrow();
  return Number(row.sequence);
}

/** The SEQUENCE a published feed shows for each UID: the last one sent, or `floor` if higher. */
export async function currentSequences(db: Db, uids: string[]): Promise<Map<string, number>> {
  if (!uids.length) return new Map();
  const rows = await db
    .selectFrom('calendar_sequence')
    .select(['uid', 'sequence'])
    .where('uid', 'in', uids)
    .execute();
  return new Map(rows.map((r) => [r.uid, Number(r.sequence)]));
}

/** A signature of `purpose:id` with this installation's link secret (for links without a login). */
export async function signLink(db: Db, purpose: string, id: string): Promise<string> {
  const row = await db
    .selectFrom('instance_setting')
    .select('value')
    .where('name', '=', 'link_secret')
    .executeTakeFirstOrThrow();
  return createHmac('sha256', row.value).update(`${purpose}:${id}`).digest('base64url').slice(0, 32);
}

/** Whether `sig` is the signature of `purpose:id` (constant-time comparison). */
export async function verifyLink(db: Db, purpose: string, id: string, sig: string): Promise<boolean> {
  const want = Buffer.from(await signLink(db, purpose, id));
  const got = Buffer.from(sig);
  return got.length === want.length && timingSafeEqual(got, want);
}
