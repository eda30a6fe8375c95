// What other modules ask the live module for, through its index.ts: the answers of a series for
// analysis (with the attributes marked for analysis, never names), answers given in the past (the demo
// seeds a series the way its rooms would have filled it), and export and erasure of the answers given
// through registration links. The live tables stay the live module's own.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { regionsOf, sessionsOf } from '../series/index.ts';
import './live.tables.ts';

/**
 * The participant attributes an analysis may carry (from a registration link or a poll); anything else a
 * registration holds (free-text answers, names, e-mails) never leaves the person's registration.
 */
export const ANALYSIS_ATTRIBUTES = ['career_stage', 'country', 'language', 'attended'] as const;

/** Only the attributes marked for analysis. */
export function analysisAttributes(attrs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ANALYSIS_ATTRIBUTES) if (attrs[k] !== undefined && attrs[k] !== null) out[k] = attrs[k];
  return out;
}

/** One visible open-text answer of a series, as an analysis sees it. */
export interface AnswerForAnalysis {
  id: string;
  text: string;
  language: string;
  createdAt: string;
  sessionId: string;
  sessionTitle: string;
  regionKey: string | null;
  promptId: string;
  promptKind: string | null;
  registrationId: string | null;
  /**
   * A pseudonym of the participant within this series (the same for all of one person's answers, and
   * not the participant's id), so an analysis tool can group answers by person without knowing who.
   */
  participantKey: string | null;
  attributes: Record<string, unknown>;
}

/** The participant's pseudonym in one series: a hash of series and participant ids, 16 hex digits. */
export function participantKey(seriesId: string, participantId: string): string {
  return createHash('sha256')
    .update(`colloquy:participant:${seriesId}:${participantId}`)
    .digest('hex')
    .slice(0, 16);
}

const parse = (s: string | null): Record<string, unknown> => {
  try {
    return s ? (JSON.parse(s) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** Every visible open-text answer of a series with its session, region and analysis attributes. */
export async function answersForAnalysis(db: Db, seriesId: string): Promise<AnswerForAnalysis[]> {
  const [rows, sessions, regions] = await Promise.all([
    db
      .selectFrom('live_response as r')
      .innerJoin('live_prompt as p', 'p.id', 'r.prompt_id')
      .leftJoin('live_participant as a', 'a.id', 'r.participant_id')
      .select([
        'r.id',
        'r.text',
        'r.language',
        'r.created_at',
        'r.session_id',
        'p.kind',
        'p.id as prompt_id',
        'a.attributes',
        'a.registration_id',
        'r.participant_id',
      ])
      .where('p.series_id', '=', seriesId)
      .where('p.type', '=', 'open_text')
      .where('r.status', '=', 'visible')
      .where('r.text', 'is not', null)
      .execute(),
    sessionsOf(db, seriesId),
    regionsOf(db, seriesId),
  ]);
  const regionKey = new Map(regions.map((g) => [g.id, g.key]));
  const session = new Map(sessions.map((s) => [s.id, s]));
  return rows.flatMap((r) => {
    const s = session.get(r.session_id);
    if (!s) return [];
    return [
      {
        id: r.id,
        text: r.text ?? '',
        language: r.language,
        createdAt: r.created_at,
        sessionId: r.session_id,
        sessionTitle: s.title,
        regionKey: s.region_id ? (regionKey.get(s.region_id) ?? null) : null,
        promptId: r.prompt_id,
        promptKind: r.kind,
        registrationId: r.registration_id ?? null,
        participantKey: r.participant_id ? participantKey(seriesId, r.participant_id) : null,
        attributes: analysisAttributes(parse(r.attributes)),
      },
    ];
  });
}

/** Answers given in a closed room in the past (the demo's rooms, or an archive brought back). */
export interface PastRoom {
  seriesId: string;
  sessionId: string;
  openedAt: string;
  prompts: { id: string; position: number }[];
  participants: { attributes: Record<string, unknown>; language: string }[];
  answers: { promptId: string; participant: number; text: string; language: string; at: string }[];
}

/** Prompts asked in every session of a series; returns their ids in order. */
export async function addSeriesPrompts(
  db: Db,
  seriesId: string,
  prompts: { kind: string; text: Record<string, string>; position: number; createdAt: string }[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const p of prompts) {
    const id = newId();
    ids.push(id);
    await db
      .insertInto('live_prompt')
      .values({
        id,
        series_id: seriesId,
        session_id: null,
        type: 'open_text',
        kind: p.kind,
        text: JSON.stringify(p.text),
        choices: '[]',
        settings: '{}',
        position: p.position,
        created_at: p.createdAt,
      })
      .execute();
  }
  return ids;
}

/**
 * Records what a session's room held once it closed: its prompts, participants and their answers. The room
 * itself came with the session; it is closed and dated from when it opened.
 */
export async function recordPastRoom(db: Db, room: PastRoom): Promise<string> {
  const existing = await db
    .selectFrom('live_room')
    .select('id')
    .where('session_id', '=', room.sessionId)
    .where('series_id', '=', room.seriesId)
    .executeTakeFirst();
  if (!existing) throw new Error(`live: session ${room.sessionId} of this series has no room`);
  const roomId = existing.id;
  await db
    .updateTable('live_room')
    .set({ state: 'closed', created_at: room.openedAt })
    .where('id', '=', roomId)
    .execute();
  for (const p of room.prompts)
    await db
      .insertInto('live_room_prompt')
      .values({
        room_id: roomId,
        prompt_id: p.id,
        position: p.position,
        status: 'closed',
        revealed: 1,
        opened_at: room.openedAt,
      })
      .execute();
  const participantIds = room.participants.map(() => newId());
  if (participantIds.length)
    await db
      .insertInto('live_participant')
      .values(
        room.participants.map((p, i) => ({
          id: participantIds[i],
          room_id: roomId,
          key_hash: randomBytes(16).toString('hex'),
          registration_id: null,
          attributes: JSON.stringify(analysisAttributes(p.attributes)),
          language: p.language,
          created_at: room.openedAt,
        })),
      )
      .execute();
  if (room.answers.length)
    await db
      .insertInto('live_response')
      .values(
        room.answers.map((a) => ({
          id: newId(),
          prompt_id: a.promptId,
          room_id: roomId,
          session_id: room.sessionId,
          participant_id: participantIds[a.participant],
          client_key: newId(),
          vote_key: null,
          text: a.text,
          choices: null,
          value: null,
          language: a.language,
          status: 'visible',
          pinned: 0,
          answered: 0,
          upvotes: 0,
          created_at: a.at,
        })),
      )
      .execute();
  return roomId;
}

/** The code of a session's live room, if it has one. */
export async function roomCodeOfSession(db: Db, sessionId: string): Promise<string | null> {
  const r = await db
    .selectFrom('live_room')
    .select('code')
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
  return r?.code ?? null;
}

/** The ids of the answers given through these registrations' links. */
export async function answerIdsOfRegistrations(
  db: Db,
  registrationIds: readonly string[],
): Promise<string[]> {
  if (!registrationIds.length) return [];
  const rows = await db
    .selectFrom('live_response as r')
    .innerJoin('live_participant as p', 'p.id', 'r.participant_id')
    .select('r.id')
    .where('p.registration_id', 'in', registrationIds)
    .execute();
  return rows.map((r) => r.id);
}

/** The answers given through these registrations' links, for the person's export. */
export async function exportAnswersOfRegistrations(db: Db, registrationIds: readonly string[]) {
  if (!registrationIds.length) return [];
  return db
    .selectFrom('live_response as r')
    .innerJoin('live_participant as p', 'p.id', 'r.participant_id')
    .select([
      'r.id',
      'r.prompt_id',
      'r.session_id',
      'r.text',
      'r.choices',
      'r.value',
      'r.language',
      'r.created_at',
    ])
    .where('p.registration_id', 'in', registrationIds)
    .execute();
}

/**
 * Erases what live holds about these registrations' participants. `delete` removes their answers and
 * votes; `anonymise` removes their own words (free-text answers) and keeps their choices and scale
 * values, unlinked from the person and without attributes.
 */
export async function eraseParticipantsOfRegistrations(
  db: Db,
  registrationIds: readonly string[],
  mode: 'delete' | 'anonymise',
): Promise<void> {
  if (!registrationIds.length) return;
  const participants = db
    .selectFrom('live_participant')
    .select('id')
    .where('registration_id', 'in', registrationIds);
  if (mode === 'delete') {
    await db.deleteFrom('live_upvote').where('participant_id', 'in', participants).execute();
    await db.deleteFrom('live_response').where('participant_id', 'in', participants).execute();
  } else {
    // Upvotes on those answers go with them (cascade).
    await db
      .deleteFrom('live_response')
      .where('participant_id', 'in', participants)
      .where('text', 'is not', null)
      .execute();
  }
  await db
    .updateTable('live_participant')
    .set({ registration_id: null, attributes: '{}' })
    .where('registration_id', 'in', registrationIds)
    .execute();
}
