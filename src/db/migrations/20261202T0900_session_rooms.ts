import { randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';

// live: every session has its live room (and join code) from the moment it exists. Rooms used to be made
// the first time a facilitator opened the session's live page; this gives each older session without one
// its room, so that page only reads. Written against Kysely<any>, importing nothing from the app: the
// code alphabet and length and the id layout are copied here, frozen.

/** Room codes: easy to read aloud and type on a phone (no 0/O, 1/I), six characters. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;
/** Rows per insert: well under SQLite's and PostgreSQL's limits on bound parameters. */
const BATCH = 200;

function randomCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** A UUIDv7 (time-ordered), the layout of the app's ids. */
function uuidv7(): string {
  const b = randomBytes(16);
  b.writeUIntBE(Date.now(), 0, 6);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export async function up(db: Kysely<any>): Promise<void> {
  const sessions = (await db
    .selectFrom('session as s')
    .leftJoin('live_room as r', 'r.session_id', 's.id')
    .where('r.id', 'is', null)
    .select(['s.id as id', 's.series_id as series_id'])
    .orderBy('s.id')
    .execute()) as { id: string; series_id: string }[];
  if (!sessions.length) return;
  const taken = new Set(
    ((await db.selectFrom('live_room').select('code').execute()) as { code: string }[]).map((r) =>
      r.code.toUpperCase(),
    ),
  );
  const createdAt = new Date().toISOString();
  const rows = sessions.map((s) => {
    let code = randomCode();
    while (taken.has(code)) code = randomCode();
    taken.add(code);
    return {
      id: uuidv7(),
      code,
      session_id: s.id,
      series_id: s.series_id,
      current_prompt_id: null,
      state: 'open',
      pre_moderation: 0,
      created_at: createdAt,
    };
  });
  for (let i = 0; i < rows.length; i += BATCH)
    await db
      .insertInto('live_room')
      .values(rows.slice(i, i + BATCH))
      .execute();
}

// The rooms it made cannot be told from rooms made since (and may hold answers by then): they stay.
export async function down(): Promise<void> {}
