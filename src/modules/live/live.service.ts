import { createHash, randomInt } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { AppError, conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { Translations } from '../../lib/translations.ts';
import { authorize, canFacilitate, type Actor } from '../accounts/index.ts';
import { findSeries, findSession } from '../series/index.ts';
import type { AnswerOut, PromptOut } from './live.events.ts';
import * as repo from './live.repository.ts';
import { BUILTIN_KINDS, MAX_TEXT, type PromptInput, type ResponseInput } from './live.schema.ts';
import { blockedMatcher, randomCode } from './live.text.ts';
import type { LiveRoomTable } from './live.tables.ts';
import type { NewResponse } from './live.writer.ts';

const now = () => new Date().toISOString();
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Finds a room by its code or fails with a 404 an attendee understands. */
export async function roomByCode(db: Db, code: string): Promise<LiveRoomTable> {
  const room = /^[A-Za-z0-9]{3,12}$/.test(code) ? await repo.findRoomByCode(db, code) : undefined;
  if (!room)
    throw new AppError(
      404,
      'room_not_found',
      'There is no conversation with this code. Check the code and try again.',
      'code',
    );
  return room;
}

/**
 * The room of a session, for a facilitator (403 otherwise). Every session has one from the moment it
 * exists (`createRoomForSession`, and a migration for older sessions), so this only reads.
 */
export async function roomOfSession(db: Db, actor: Actor | null, sessionId: string): Promise<LiveRoomTable> {
  const session = await findSession(db, sessionId);
  if (!session) throw notFound('The session', 'sessionId');
  authorize(actor, canFacilitate(actor, session.series_id));
  const room = await repo.findRoomBySession(db, session.id);
  if (!room)
    throw new AppError(
      404,
      'live_room_missing',
      'This session has no live room. Please tell the administrator of this Colloquy.',
      'sessionId',
    );
  return room;
}

const randomRoomCode = () => randomCode(() => randomInt(1 << 30) / (1 << 30));

/**
 * Creates the live room of a new session with a fresh unique join code, in the caller's transaction
 * (series calls it through the session-created hook wired in src/server/wiring.ts).
 */
export async function createRoomForSession(
  db: Db,
  session: { id: string; series_id: string },
): Promise<LiveRoomTable> {
  let code = randomRoomCode();
  while (await repo.codeTaken(db, code)) code = randomRoomCode();
  const room: LiveRoomTable = {
    id: newId(),
    code,
    session_id: session.id,
    series_id: session.series_id,
    current_prompt_id: null,
    state: 'open',
    pre_moderation: 0,
    created_at: now(),
  };
  await db.insertInto('live_room').values(room).execute();
  return room;
}

/** Loads a room a facilitator may run (403/404 otherwise). */
export async function facilitatedRoom(db: Db, actor: Actor | null, roomId: string): Promise<LiveRoomTable> {
  const room = await repo.findRoomById(db, roomId);
  if (!room) throw notFound('The room');
  authorize(actor, canFacilitate(actor, room.series_id));
  return room;
}

async function kindsOf(db: Db, seriesId: string): Promise<string[]> {
  return [...BUILTIN_KINDS, ...(await repo.kindsOf(db, seriesId))];
}

/** A prompt's texts in other languages: per offered language its text, each choice's and the scale labels. */
export interface PromptTranslations {
  /** The languages the form offered: each one is set, or removed when left empty. */
  langs: readonly string[];
  text: Translations;
  choices: Record<string, Translations>;
  minLabel: Translations;
  maxLabel: Translations;
}

/**
 * Sets a prompt's texts in other languages. The source language (the prompt's first) never changes
 * here, and languages the form did not offer keep what they had.
 */
export async function translatePrompt(
  db: Db,
  actor: Actor | null,
  room: LiveRoomTable,
  promptId: string,
  input: PromptTranslations,
): Promise<void> {
  authorize(actor, canFacilitate(actor, room.series_id));
  const row = await db
    .selectFrom('live_prompt')
    .selectAll()
    .where('id', '=', promptId)
    .where('series_id', '=', room.series_id)
    .executeTakeFirst();
  if (!row) throw notFound('This prompt', 'promptId');
  const p = repo.promptOut(row);
  const source = Object.keys(p.text)[0] ?? 'en';
  const langs = input.langs.filter((l) => l !== source);
  const merged = (cur: Record<string, string> | undefined, given: Translations, field: string) => {
    const out: Record<string, string> = { ...cur };
    for (const l of langs) {
      const v = given[l]?.trim();
      if (v && v.length > (field === 'text' ? 500 : 80))
        throw invalid(
          'too_long',
          `This text has at most ${field === 'text' ? 500 : 80} characters.`,
          `${field}_${l}`,
        );
      if (v) out[l] = v;
      else delete out[l];
    }
    return out;
  };
  const settings = { ...p.settings };
  if (p.type === 'scale') {
    const min = merged(p.settings.minLabel, input.minLabel, 'minLabel');
    const max = merged(p.settings.maxLabel, input.maxLabel, 'maxLabel');
    if (Object.keys(min).length) settings.minLabel = min;
    else delete settings.minLabel;
    if (Object.keys(max).length) settings.maxLabel = max;
    else delete settings.maxLabel;
  }
  await db
    .updateTable('live_prompt')
    .set({
      text: JSON.stringify(merged(p.text, input.text, 'text')),
      choices: JSON.stringify(
        p.choices.map((c) => ({ ...c, text: merged(c.text, input.choices[c.id] ?? {}, `choice_${c.id}`) })),
      ),
      settings: JSON.stringify(settings),
    })
    .where('id', '=', row.id)
    .execute();
}

/** Adds a prompt to a session, or to the whole series (asked again in every session). */
export async function createPrompt(
  db: Db,
  actor: Actor | null,
  room: LiveRoomTable,
  input: PromptInput,
): Promise<string> {
  authorize(actor, canFacilitate(actor, room.series_id));
  if (input.type === 'open_text') {
    const kind = input.kind ?? 'best_practice';
    if (!(await kindsOf(db, room.series_id)).includes(kind))
      throw invalid(
        'unknown_kind',
        'This kind is not defined for the series. Add it as a custom kind first.',
        'kind',
      );
  }
  const needsChoices = input.type === 'poll' || input.type === 'ranking';
  const choices = (input.choices ?? []).map((c, i) => ({ id: c.id ?? `c${i + 1}`, text: c.text }));
  if (needsChoices && choices.length < 2)
    throw invalid('too_few_choices', 'Give at least two choices.', 'choices');
  if (new Set(choices.map((c) => c.id)).size !== choices.length)
    throw invalid('duplicate_choice', 'Choice ids must differ.', 'choices');
  const settings = { ...(input.settings ?? {}) };
  if (input.type === 'scale') {
    settings.min ??= 1;
    settings.max ??= 5;
    if (settings.min >= settings.max)
      throw invalid('invalid_scale', 'The scale needs a minimum below its maximum.', 'settings.max');
  }
  const max = await db
    .selectFrom('live_prompt')
    .select((eb) => eb.fn.max('position').as('m'))
    .where('series_id', '=', room.series_id)
    .executeTakeFirst();
  const id = newId();
  await db
    .insertInto('live_prompt')
    .values({
      id,
      series_id: room.series_id,
      session_id: input.seriesLevel ? null : room.session_id,
      type: input.type,
      kind: input.type === 'open_text' ? (input.kind ?? 'best_practice') : null,
      text: JSON.stringify(input.text),
      choices: JSON.stringify(needsChoices ? choices : []),
      settings: JSON.stringify(settings),
      position: input.position ?? Number(max?.m ?? 0) + 1,
      created_at: now(),
    })
    .execute();
  return id;
}

/** Deletes a prompt of this room's session (series-level prompts only by a series-level edit). */
export async function deletePrompt(db: Db, actor: Actor | null, room: LiveRoomTable, promptId: string) {
  authorize(actor, canFacilitate(actor, room.series_id));
  const p = await repo.findPrompt(db, promptId);
  if (!p || p.series_id !== room.series_id) throw notFound('The prompt');
  await db
    .updateTable('live_room')
    .set({ current_prompt_id: null })
    .where('current_prompt_id', '=', promptId)
    .execute();
  await db.deleteFrom('live_prompt').where('id', '=', promptId).execute();
}

async function promptInRoom(db: Db, room: LiveRoomTable, promptId: string): Promise<PromptOut> {
  const p = (await repo.roomPrompts(db, room)).find((x) => x.id === promptId);
  if (!p)
    throw new AppError(
      404,
      'prompt_not_found',
      'This question is not part of this conversation.',
      'promptId',
    );
  return p;
}

/** Open, close, reveal or hide the results of a prompt in a room. */
export async function promptAction(
  db: Db,
  actor: Actor | null,
  room: LiveRoomTable,
  promptId: string,
  action: 'open' | 'close' | 'reveal' | 'unreveal',
) {
  authorize(actor, canFacilitate(actor, room.series_id));
  await promptInRoom(db, room, promptId);
  if (action === 'open') {
    await repo.upsertRoomPrompt(db, room.id, promptId, { status: 'open', opened_at: now() });
    await db
      .updateTable('live_room')
      .set({ current_prompt_id: promptId })
      .where('id', '=', room.id)
      .execute();
  } else if (action === 'close') await repo.upsertRoomPrompt(db, room.id, promptId, { status: 'closed' });
  else await repo.upsertRoomPrompt(db, room.id, promptId, { revealed: action === 'reveal' ? 1 : 0 });
}

/** Makes a prompt the current one (the presenter screen and the phones follow it), opening it if needed. */
export async function makeCurrent(db: Db, actor: Actor | null, room: LiveRoomTable, promptId: string) {
  authorize(actor, canFacilitate(actor, room.series_id));
  const p = await promptInRoom(db, room, promptId);
  if (p.status !== 'open')
    await repo.upsertRoomPrompt(db, room.id, promptId, { status: 'open', opened_at: now() });
  await db.updateTable('live_room').set({ current_prompt_id: promptId }).where('id', '=', room.id).execute();
}

/**
 * Steps through the run of show like slides: closes the prompt being left and makes the next
 * (dir 1) or previous (dir -1) prompt in order current and open. Without a current prompt, Next
 * starts at the first prompt. At either end nothing changes: a current prompt is never lost.
 * Returns the current prompt afterwards.
 */
export async function stepPrompt(
  db: Db,
  actor: Actor | null,
  room: LiveRoomTable,
  dir: 1 | -1,
): Promise<string | null> {
  authorize(actor, canFacilitate(actor, room.series_id));
  const fresh = (await repo.findRoomById(db, room.id)) ?? room;
  const prompts = await repo.roomPrompts(db, fresh);
  const i = prompts.findIndex((p) => p.id === fresh.current_prompt_id);
  const target = i < 0 ? (dir === 1 ? prompts[0] : prompts.at(-1)) : prompts[i + dir];
  if (!target) return i < 0 ? null : prompts[i].id;
  if (i >= 0 && prompts[i].status === 'open')
    await repo.upsertRoomPrompt(db, room.id, prompts[i].id, { status: 'closed' });
  await makeCurrent(db, actor, fresh, target.id);
  return target.id;
}

/** The "next" button: the next prompt in order becomes current (see stepPrompt). */
export async function nextPrompt(db: Db, actor: Actor | null, room: LiveRoomTable): Promise<string | null> {
  return stepPrompt(db, actor, room, 1);
}

/** Pre-moderation: when on, new text answers wait for a facilitator's approval. */
export async function setPreModeration(db: Db, actor: Actor | null, room: LiveRoomTable, on: boolean) {
  authorize(actor, canFacilitate(actor, room.series_id));
  await db
    .updateTable('live_room')
    .set({ pre_moderation: on ? 1 : 0 })
    .where('id', '=', room.id)
    .execute();
}

/** Approve, hide, pin or mark answered; returns the answer as it now is. */
export async function moderate(
  db: Db,
  actor: Actor | null,
  room: LiveRoomTable,
  responseId: string,
  action: 'approve' | 'hide' | 'pin' | 'unpin' | 'answered',
): Promise<AnswerOut> {
  authorize(actor, canFacilitate(actor, room.series_id));
  const r = await db
    .selectFrom('live_response')
    .select(repo.answerColumns)
    .where('id', '=', responseId)
    .where('room_id', '=', room.id)
    .executeTakeFirst();
  if (!r) throw notFound('The answer');
  const patch =
    action === 'approve'
      ? { status: 'visible' }
      : action === 'hide'
        ? { status: 'hidden', pinned: 0 }
        : action === 'pin'
          ? { pinned: 1, status: 'visible' }
          : action === 'unpin'
            ? { pinned: 0 }
            : { answered: 1 };
  await db.updateTable('live_response').set(patch).where('id', '=', responseId).execute();
  return repo.answerOut({ ...r, ...patch });
}

/** Replaces the series' blocked words (any language); answers matching them are held. */
/** An unknown series is a 404, not a foreign-key failure at insert time. */
async function requireSeries(db: Db, seriesId: string): Promise<void> {
  const s = await findSeries(db, seriesId);
  if (!s || s.id !== seriesId) throw notFound('The series');
}

export async function setBlockedWords(db: Db, actor: Actor | null, seriesId: string, list: string[]) {
  authorize(actor, canFacilitate(actor, seriesId));
  await requireSeries(db, seriesId);
  const words = [...new Set(list.map((w) => w.trim()).filter(Boolean))];
  await db.deleteFrom('live_blocked_word').where('series_id', '=', seriesId).execute();
  if (words.length)
    await db
      .insertInto('live_blocked_word')
      .values(words.map((word) => ({ series_id: seriesId, word })))
      .execute();
  matcherCache.delete(seriesId);
}

/** Defines a custom kind of open-text prompt on a series (beside best practice, recommendation, need). */
export async function addKind(
  db: Db,
  actor: Actor | null,
  seriesId: string,
  key: string,
  label: Record<string, string>,
) {
  authorize(actor, canFacilitate(actor, seriesId));
  await requireSeries(db, seriesId);
  if ((BUILTIN_KINDS as readonly string[]).includes(key))
    throw conflict('kind_exists', 'This kind already exists.', 'key');
  await db
    .insertInto('live_kind')
    .values({ series_id: seriesId, key, label: JSON.stringify(label) })
    .onConflict((oc) => oc.columns(['series_id', 'key']).doUpdateSet({ label: JSON.stringify(label) }))
    .execute();
}

const matcherCache = new Map<string, { at: number; match: (t: string) => boolean }>();
/** The blocked-word matcher of a series, cached for a few seconds (edits elsewhere show up soon). */
export async function blockedFor(db: Db, seriesId: string): Promise<(t: string) => boolean> {
  const c = matcherCache.get(seriesId);
  if (c && Date.now() - c.at < 5000) return c.match;
  const match = blockedMatcher(await repo.blockedWordsOf(db, seriesId));
  matcherCache.set(seriesId, { at: Date.now(), match });
  return match;
}

/**
 * Checks an answer against its prompt and builds the row to write (not yet written: the group
 * writer does that). Throws the errors an attendee can hit: closed prompt, too long, wrong choice.
 */
export async function prepareResponse(
  db: Db,
  room: LiveRoomTable,
  prompt: PromptOut,
  participantId: string,
  body: ResponseInput,
  language: string,
): Promise<NewResponse> {
  if (prompt.status !== 'open')
    throw conflict('prompt_closed', 'This question is not open for answers right now.', 'promptId');
  let text: string | null = null;
  let choices: string[] | null = null;
  let value: number | null = null;
  const ids = new Set(prompt.choices.map((c) => c.id));
  switch (prompt.type) {
    case 'open_text':
    case 'word_cloud':
    case 'qa': {
      text = (body.text ?? '').trim();
      if (!text) throw invalid('required', 'Write an answer first.', 'text');
      const max = prompt.type === 'word_cloud' ? 60 : MAX_TEXT;
      if (text.length > max)
        throw new AppError(413, 'too_long', `Answers can be at most ${max} characters long.`, 'text');
      break;
    }
    case 'poll': {
      choices = body.choices ?? (body.choice ? [body.choice] : []);
      if (!choices.length) throw invalid('required', 'Pick an option first.', 'choice');
      if (!prompt.settings.multiple && choices.length > 1)
        throw invalid('single_choice', 'Pick only one option.', 'choices');
      choices = [...new Set(choices)];
      if (choices.some((c) => !ids.has(c)))
        throw invalid('invalid_choice', 'This option is not part of the question.', 'choice');
      break;
    }
    case 'ranking': {
      choices = body.choices ?? [];
      if (
        choices.length !== ids.size ||
        new Set(choices).size !== ids.size ||
        choices.some((c) => !ids.has(c))
      )
        throw invalid('invalid_ranking', 'Put every option in order exactly once.', 'choices');
      break;
    }
    case 'scale': {
      value = body.value ?? null;
      const min = prompt.settings.min ?? 1;
      const max = prompt.settings.max ?? 5;
      if (value === null) throw invalid('required', 'Pick a value first.', 'value');
      if (value < min || value > max)
        throw invalid('out_of_range', `Pick a value from ${min} to ${max}.`, 'value');
      break;
    }
  }
  let status = 'visible';
  if (text !== null) {
    if (room.pre_moderation) status = 'held';
    else if ((await blockedFor(db, room.series_id))(text)) status = 'held';
  }
  const single = prompt.type === 'poll' || prompt.type === 'scale' || prompt.type === 'ranking';
  return {
    id: newId(),
    prompt_id: prompt.id,
    room_id: room.id,
    session_id: room.session_id,
    participant_id: participantId,
    client_key: body.clientKey,
    vote_key: single ? `${prompt.id}:${participantId}` : null,
    text,
    choices: choices ? JSON.stringify(choices) : null,
    value,
    language,
    status,
    created_at: now(),
  };
}

/** A participant of a room for a participant key (created on first use); never stores the IP address. */
export async function participantFor(
  db: Db,
  roomId: string,
  key: string,
  language: string,
  reg?: { registrationId: string; attributes: Record<string, unknown> } | null,
): Promise<{ id: string; created: boolean }> {
  const key_hash = hashKey(key);
  const found = await db
    .selectFrom('live_participant')
    .select('id')
    .where('room_id', '=', roomId)
    .where('key_hash', '=', key_hash)
    .executeTakeFirst();
  if (found) return { id: found.id, created: false };
  const id = newId();
  const inserted = await db
    .insertInto('live_participant')
    .values({
      id,
      room_id: roomId,
      key_hash,
      registration_id: reg?.registrationId ?? null,
      attributes: JSON.stringify(reg?.attributes ?? {}),
      language,
      created_at: now(),
    })
    .onConflict((oc) => oc.columns(['room_id', 'key_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id, created: true };
  const again = await db
    .selectFrom('live_participant')
    .select('id')
    .where('room_id', '=', roomId)
    .where('key_hash', '=', key_hash)
    .executeTakeFirstOrThrow();
  return { id: again.id, created: false };
}

/** Q&A: one upvote per participant per question; returns the new count. */
export async function upvote(
  db: Db,
  room: LiveRoomTable,
  participantId: string,
  responseId: string,
): Promise<{ promptId: string; upvotes: number }> {
  const r = await db
    .selectFrom('live_response')
    .select(['id', 'prompt_id', 'status'])
    .where('id', '=', responseId)
    .where('room_id', '=', room.id)
    .executeTakeFirst();
  if (!r || r.status !== 'visible') throw notFound('The question');
  const ins = await db
    .insertInto('live_upvote')
    .values({ response_id: responseId, participant_id: participantId })
    .onConflict((oc) => oc.doNothing())
    .returning('response_id')
    .executeTakeFirst();
  if (ins)
    await db
      .updateTable('live_response')
      .set((eb) => ({ upvotes: eb('upvotes', '+', 1) }))
      .where('id', '=', responseId)
      .execute();
  const after = await db
    .selectFrom('live_response')
    .select('upvotes')
    .where('id', '=', responseId)
    .executeTakeFirstOrThrow();
  return { promptId: r.prompt_id, upvotes: after.upvotes };
}

/** An already stored answer with this client key (a resend after a lost acknowledgement). */
export async function existingByClientKey(db: Db, roomId: string, clientKey: string, participantId: string) {
  const r = await db
    .selectFrom('live_response')
    .select(['id', 'participant_id'])
    .where('room_id', '=', roomId)
    .where('client_key', '=', clientKey)
    .executeTakeFirst();
  return r && r.participant_id === participantId ? r.id : null;
}
