import type { Db } from '../../db/index.ts';
import './live.tables.ts';
import type { LivePromptTable, LiveResponseTable, LiveRoomPromptTable } from './live.tables.ts';
import type { AnswerOut, PromptOut, PromptType, ResponseStatus } from './live.events.ts';

const parse = <T>(s: string | null, fallback: T): T => {
  if (!s) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

/** Shapes a prompt row (and its state in a room) for JSON and events. */
export function promptOut(
  p: LivePromptTable,
  rp?: Pick<LiveRoomPromptTable, 'status' | 'revealed'> | null,
): PromptOut {
  return {
    id: p.id,
    type: p.type as PromptType,
    kind: p.kind,
    text: parse(p.text, {}),
    choices: parse(p.choices, []),
    settings: parse(p.settings, {}),
    status: (rp?.status ?? 'draft') as PromptOut['status'],
    revealed: !!rp?.revealed,
    seriesLevel: p.session_id === null,
    position: p.position,
  };
}

/** Shapes a response row for JSON and events (never with participant or client key). */
export function answerOut(
  r: Pick<
    LiveResponseTable,
    | 'id'
    | 'prompt_id'
    | 'text'
    | 'choices'
    | 'value'
    | 'language'
    | 'status'
    | 'pinned'
    | 'answered'
    | 'upvotes'
    | 'created_at'
  >,
): AnswerOut {
  return {
    id: r.id,
    promptId: r.prompt_id,
    text: r.text,
    choices: parse<string[] | null>(r.choices, null),
    value: r.value,
    language: r.language,
    status: r.status as ResponseStatus,
    pinned: !!r.pinned,
    answered: !!r.answered,
    upvotes: r.upvotes,
    createdAt: r.created_at,
  };
}

export const findRoomByCode = (db: Db, code: string) =>
  db.selectFrom('live_room').selectAll().where('code', '=', code.toUpperCase()).executeTakeFirst();
export const findRoomById = (db: Db, id: string) =>
  db.selectFrom('live_room').selectAll().where('id', '=', id).executeTakeFirst();
export const findRoomBySession = (db: Db, sessionId: string) =>
  db.selectFrom('live_room').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
export const findPrompt = (db: Db, id: string) =>
  db.selectFrom('live_prompt').selectAll().where('id', '=', id).executeTakeFirst();

/** The prompts of a room in order: the session's own and the series-level ones, with their state here. */
export async function roomPrompts(
  db: Db,
  room: { id: string; series_id: string; session_id: string },
): Promise<PromptOut[]> {
  const rows = await db
    .selectFrom('live_prompt as p')
    .leftJoin('live_room_prompt as rp', (j) =>
      j.onRef('rp.prompt_id', '=', 'p.id').on('rp.room_id', '=', room.id),
    )
    .selectAll('p')
    .select(['rp.status as rp_status', 'rp.revealed as rp_revealed'])
    .where('p.series_id', '=', room.series_id)
    .where((eb) => eb.or([eb('p.session_id', '=', room.session_id), eb('p.session_id', 'is', null)]))
    .orderBy('p.position')
    .orderBy('p.created_at')
    .execute();
  return rows.map((r) =>
    promptOut(r, r.rp_status ? { status: r.rp_status, revealed: r.rp_revealed ?? 0 } : null),
  );
}

/** Creates or updates the state of a prompt in a room. */
export async function upsertRoomPrompt(
  db: Db,
  roomId: string,
  promptId: string,
  patch: { status?: string; revealed?: number; opened_at?: string },
) {
  const existing = await db
    .selectFrom('live_room_prompt')
    .select('status')
    .where('room_id', '=', roomId)
    .where('prompt_id', '=', promptId)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('live_room_prompt')
      .set(patch)
      .where('room_id', '=', roomId)
      .where('prompt_id', '=', promptId)
      .execute();
  } else {
    await db
      .insertInto('live_room_prompt')
      .values({
        room_id: roomId,
        prompt_id: promptId,
        position: 0,
        status: patch.status ?? 'draft',
        revealed: patch.revealed ?? 0,
        opened_at: patch.opened_at ?? null,
      })
      .execute();
  }
}

export const answerColumns = [
  'id',
  'prompt_id',
  'text',
  'choices',
  'value',
  'language',
  'status',
  'pinned',
  'answered',
  'upvotes',
  'created_at',
] as const;

/** Responses of a prompt in a room (optionally only some statuses), newest first. */
export async function responsesOf(
  db: Db,
  roomId: string,
  promptId: string,
  statuses?: string[],
  limit = 100000,
) {
  let q = db
    .selectFrom('live_response')
    .select(answerColumns)
    .where('room_id', '=', roomId)
    .where('prompt_id', '=', promptId);
  if (statuses) q = q.where('status', 'in', statuses);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export const blockedWordsOf = async (db: Db, seriesId: string) =>
  (
    await db
      .selectFrom('live_blocked_word')
      .select('word')
      .where('series_id', '=', seriesId)
      .orderBy('word')
      .execute()
  ).map((r) => r.word);

export const countParticipants = async (db: Db, roomId: string) =>
  Number(
    (
      await db
        .selectFrom('live_participant')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('room_id', '=', roomId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Every room code in use is unique; this checks one. */
export const codeTaken = async (db: Db, code: string) =>
  !!(await db.selectFrom('live_room').select('id').where('code', '=', code).executeTakeFirst());

export type PromptType_ = PromptType;

/** Keys of the custom kinds of open-text prompt of a series. */
export const kindsOf = async (db: Db, seriesId: string) =>
  (await db.selectFrom('live_kind').select('key').where('series_id', '=', seriesId).execute()).map(
    (k) => k.key,
  );

/** Join codes of the rooms of these sessions (sessions without a room are missing). */
export async function roomCodesOf(db: Db, sessionIds: string[]): Promise<Map<string, string>> {
  if (!sessionIds.length) return new Map();
  const rows = await db
    .selectFrom('live_room')
    .select(['session_id', 'code'])
    .where('session_id', 'in', sessionIds)
    .execute();
  return new Map(rows.map((r) => [r.session_id, r.code]));
}

/** The votes (poll, scale, ranking) already given in a room by the participant with this key hash. */
export async function votesOf(db: Db, roomId: string, keyHash: string) {
  return db
    .selectFrom('live_response as r')
    .innerJoin('live_participant as p', 'p.id', 'r.participant_id')
    .select(['r.prompt_id', 'r.choices', 'r.value'])
    .where('p.room_id', '=', roomId)
    .where('p.key_hash', '=', keyHash)
    .where('r.room_id', '=', roomId)
    .where('r.vote_key', 'is not', null)
    .execute();
}
