import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import { newId, newToken } from '../../lib/ids.ts';
import { memoryBus, redisBus, type LiveBus } from './live.bus.ts';
import type { AnswerOut, PromptOut } from './live.events.ts';
import { memoryLimits, perWindow, type CombinedLimiter, type LimitStore } from '../../server/limits.ts';
import { LiveHub, type HubLog } from './live.hub.ts';
import { answerOut } from './live.repository.ts';
import type { ResponseInput } from './live.schema.ts';
import * as svc from './live.service.ts';
import type { LiveParticipantTable, LiveRoomTable } from './live.tables.ts';
import { SqliteWorkerWriter } from './live.sqlite-writer.ts';
import { ResponseWriter, type AnswerWriter, type NewResponse, type Resolved } from './live.writer.ts';

export const PARTICIPANT_COOKIE = 'colloquy_p';
export { LANG_COOKIE } from '../../lib/i18n.ts';

/** Resolves a registration link token to the registrant (the registration module plugs in here). */
export type RegistrationResolver = (
  db: Kysely<Database>,
  token: string,
) => Promise<{ registrationId: string; attributes: Record<string, unknown> } | null>;
let registrationResolver: RegistrationResolver | null = null;
/** Lets the registration module tell the live module who a `?reg=TOKEN` link belongs to. */
export function setRegistrationResolver(fn: RegistrationResolver | null) {
  registrationResolver = fn;
}

/** The live machinery of one process: bus, hub, group writer, and small caches on the hot path. */
export class LiveRuntime {
  hub: LiveHub;
  writer: AnswerWriter;
  private codes = new Map<string, { roomId: string; at: number }>();
  private participants = new Map<string, string>();
  /** An answer's address and participant limits, in one step (one Redis round trip). */
  private answerLimits: CombinedLimiter;
  constructor(
    public db: Kysely<Database>,
    bus: LiveBus,
    sqliteFile?: string,
    log?: HubLog,
    limits: LimitStore = memoryLimits(),
  ) {
    this.hub = new LiveHub(db, bus, log);
    // Per participant: a burst of answers, then a steady rate (environment, read when the app
    // starts), counted across processes when the store is Redis.
    const perParticipant = {
      burst: Number(process.env.LIVE_PARTICIPANT_BURST ?? 20),
      perSecond: Number(process.env.LIVE_PARTICIPANT_RATE ?? 2),
    };
    // Per address (LIVE_ADDRESS_LIMIT a minute: a room of phones behind one NAT shares it).
    this.answerLimits = limits.combined([
      { name: 'live-address', rule: perWindow(Number(process.env.LIVE_ADDRESS_LIMIT ?? 6000), 60_000) },
      { name: 'live-answer', rule: perParticipant },
    ]);
    const onCommitted = (rows: NewResponse[], people: Resolved[]) => this.committed(rows, people);
    // What other processes' commits resolved: the next answer of that person here needs no lookup.
    bus.subscribe((m) => {
      if (m.t === 'answers' && m.people) for (const [h, id] of m.people) this.remember(m.roomId, h, id);
    });
    // On an SQLite file, commits (and their fsync) happen on a worker thread; otherwise through Kysely.
    this.writer =
      sqliteFile && sqliteFile !== ':memory:' && process.env.LIVE_WRITER !== 'kysely'
        ? new SqliteWorkerWriter(sqliteFile, onCommitted)
        : new ResponseWriter(db, onCommitted, undefined, sqliteFile ? 1 : 4);
  }

  static async create(
    db: Kysely<Database>,
    redisUrl: string | undefined,
    log: HubLog,
    sqliteFile?: string,
    limits?: LimitStore,
  ): Promise<LiveRuntime> {
    const bus = redisUrl
      ? await redisBus(redisUrl, (e) => log.warn({ err: e }, 'live bus error'))
      : memoryBus();
    return new LiveRuntime(db, bus, sqliteFile, log, limits);
  }

  /**
   * One bus message per room and commit: the answers, how many people joined with them (10,000
   * newcomers answering the first question are then not 10,000 more messages for every process),
   * and who the commit resolved from a key, for every process's participant cache.
   */
  private committed(rows: NewResponse[], people: Resolved[]) {
    const byRoom = new Map<string, { answers: AnswerOut[]; joined: number; people: [string, string][] }>();
    const of = (roomId: string) => {
      let e = byRoom.get(roomId);
      if (!e) byRoom.set(roomId, (e = { answers: [], joined: 0, people: [] }));
      return e;
    };
    for (const r of rows) of(r.room_id).answers.push(answerOut({ ...r, pinned: 0, answered: 0, upvotes: 0 }));
    for (const p of people) {
      const e = of(p.roomId);
      if (p.joined) e.joined++;
      e.people.push([p.keyHash, p.id]);
    }
    for (const [roomId, e] of byRoom) {
      if (e.answers.length)
        this.hub.publish({
          t: 'answers',
          roomId,
          answers: e.answers,
          ...(e.joined ? { joined: e.joined } : {}),
          ...(e.people.length ? { people: e.people } : {}),
        });
      else if (e.joined) this.hub.publish({ t: 'joined', roomId, n: e.joined });
    }
  }

  /** Remembers who a key is in a room (bounded: cleared beyond half a million). */
  private remember(roomId: string, keyHash: string, id: string) {
    if (this.participants.size > 500_000) this.participants.clear();
    this.participants.set(`${roomId}:${keyHash}`, id);
  }

  /** A room and its live state by code, from memory after the first request. */
  async room(code: string): Promise<{ row: LiveRoomTable; prompts: PromptOut[] }> {
    const key = code.toUpperCase();
    let hit = this.codes.get(key);
    if (!hit || Date.now() - hit.at > 60_000) {
      const row = await svc.roomByCode(this.db, key);
      hit = { roomId: row.id, at: Date.now() };
      this.codes.set(key, hit);
    }
    const r = await this.hub.loaded(hit.roomId);
    if (!r.row || !r.state) {
      this.codes.delete(key);
      throw new AppError(404, 'room_not_found', 'There is no conversation with this code.', 'code');
    }
    return { row: r.row, prompts: r.state.prompts };
  }

  /** After a facilitator's change: reload here now (so the next request sees it), then tell the others. */
  async changed(roomId: string) {
    await this.hub.refresh(roomId);
  }

  /** The participant of this request: cookie, `x-participant-key` header or body field; created on first answer. */
  async participant(
    req: FastifyRequest,
    reply: FastifyReply,
    room: LiveRoomTable,
    bodyKey?: string,
  ): Promise<string> {
    const r = await this.participantOrNew(req, reply, room, bodyKey);
    if (!r.fresh) return r.id;
    const p = await svc.participantFor(this.db, room.id, r.key, r.fresh.language, r.reg);
    if (p.created) this.hub.publish({ t: 'joined', roomId: room.id });
    this.remember(room.id, r.fresh.key_hash, p.id);
    return p.id;
  }

  /**
   * The participant of this request, or a new participant row to create together with the first
   * answer (cookie, `x-participant-key` header or body field; a fresh cookie otherwise).
   */
  async participantOrNew(
    req: FastifyRequest,
    reply: FastifyReply,
    room: LiveRoomTable,
    bodyKey?: string,
  ): Promise<{
    id: string;
    key: string;
    fresh?: LiveParticipantTable;
    reg?: Awaited<ReturnType<RegistrationResolver>>;
  }> {
    let key =
      (req.headers['x-participant-key'] as string | undefined) ?? bodyKey ?? req.cookies[PARTICIPANT_COOKIE];
    if (!key || key.length < 16 || key.length > 128) {
      key = newToken(18);
      void reply.setCookie(PARTICIPANT_COOKIE, key, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: req.server.ctx.config.secureCookies,
        maxAge: 60 * 60 * 24 * 30,
      });
    }
    const key_hash = svc.hashKey(key);
    const cached = this.participants.get(`${room.id}:${key_hash}`);
    if (cached) return { id: cached, key };
    // No lookup here: the writer inserts the participant with ON CONFLICT DO NOTHING in the same
    // commit as the answer and resolves an existing one there (one query less per newcomer).
    const reg =
      typeof (req.query as { reg?: string }).reg === 'string' && registrationResolver
        ? await registrationResolver(this.db, (req.query as { reg: string }).reg)
        : null;
    const fresh: LiveParticipantTable = {
      id: newId(),
      room_id: room.id,
      key_hash,
      registration_id: reg?.registrationId ?? null,
      attributes: JSON.stringify(reg?.attributes ?? {}),
      language: languageOf(req),
      created_at: new Date().toISOString(),
    };
    return { id: fresh.id, key, fresh, reg };
  }

  /**
   * An answer's limits: its address's and its participant's token buckets (a burst, then a steady
   * rate; 429 beyond), in one step. A null key skips its limit.
   */
  async limitAnswer(address: string | null, participantId: string | null) {
    tooFast(await this.answerLimits.hit([address, participantId]));
  }

  /** The room of an answer by code; an unknown code counts against the address (guessing is limited). */
  async answerRoom(code: string, address: string) {
    return this.room(code).catch(async (e: unknown) => {
      await this.limitAnswer(address, null);
      throw e;
    });
  }

  /** Records an answer durably; resolves after the commit with its id (or the earlier one for a resend). */
  async submit(
    room: LiveRoomTable,
    prompts: PromptOut[],
    who: string | { id: string; key: string; fresh?: LiveParticipantTable },
    body: ResponseInput,
    language: string,
    /** The request's address: its limit is counted with the participant's (one step). */
    address?: string,
  ): Promise<{ id: string; duplicate: boolean; status: string }> {
    const participantId = typeof who === 'string' ? who : who.id;
    const fresh = typeof who === 'string' ? undefined : who.fresh;
    const prompt = prompts.find((p) => p.id === body.promptId);
    if (!prompt)
      throw new AppError(
        404,
        'prompt_not_found',
        'This question is not part of this conversation.',
        'promptId',
      );
    if (prompt.status !== 'open') {
      // A resend of an answer acknowledged before the prompt closed is still just a duplicate.
      const known = fresh
        ? (
            await this.db
              .selectFrom('live_participant')
              .select('id')
              .where('room_id', '=', room.id)
              .where('key_hash', '=', fresh.key_hash)
              .executeTakeFirst()
          )?.id
        : participantId;
      const id = known ? await svc.existingByClientKey(this.db, room.id, body.clientKey, known) : null;
      if (id) return { id, duplicate: true, status: 'visible' };
    }
    await this.limitAnswer(address ?? null, participantId);
    const row = await svc.prepareResponse(this.db, room, prompt, participantId, body, language);
    const r = await this.writer.write(row, fresh);
    if (fresh) this.remember(room.id, fresh.key_hash, r.row.participant_id);
    return { id: r.id, duplicate: r.duplicate, status: r.row.status };
  }

  async close() {
    await this.writer.close();
    await this.hub.close();
  }
}

/** 429 with Retry-After when a limit says to wait. */
function tooFast(wait: number) {
  if (wait)
    throw new AppError(
      429,
      'rate_limited',
      `You are answering very fast. Please wait ${wait} seconds.`,
      undefined,
      { 'retry-after': String(wait) },
    );
}

/** The attendee's language: the request's (?lang=, cookie, account, Accept-Language; see app.ts). */
export function languageOf(req: FastifyRequest): string {
  return req.lang;
}
