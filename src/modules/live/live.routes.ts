import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../lib/errors.ts';
import { inTransaction } from '../../server/tx.ts';
import { authorize, canFacilitate } from '../accounts/index.ts';
import { findSession } from '../series/index.ts';
import type { Channel } from './live.hub.ts';
import * as repo from './live.repository.ts';
import { resultsOf } from './live.results.ts';
import { languageOf, type LiveRuntime } from './live.runtime.ts';
import * as S from './live.schema.ts';
import * as svc from './live.service.ts';
import { loadRoomState } from './live.state.ts';

const Err = S.ErrOut;
const errors = { 400: Err, 401: Err, 403: Err, 404: Err, 409: Err, 413: Err, 422: Err, 429: Err };
const writeSecurity = [{ session: [], csrf: [] }];
const Code = z.object({ code: z.string().min(1).max(12) });
const RoomId = z.object({ roomId: z.string().min(1).max(64) });
const SessionId = z.object({ id: z.string().min(1).max(64) });
const SeriesId = z.object({ id: z.string().min(1).max(64) });
const Ok = z.object({ ok: z.literal(true) });
const RoomStateOut = z.object({
  roomId: z.string(),
  code: z.string(),
  sessionId: z.string(),
  sessionTitle: z.string(),
  preModeration: z.boolean(),
  currentPromptId: z.string().nullable(),
  prompts: z.array(S.PromptOutSchema),
});

/** Opens a server-sent event stream on a hijacked reply (no compression, no buffering). */
export async function openStream(
  live: LiveRuntime,
  req: FastifyRequest,
  reply: FastifyReply,
  roomId: string,
  channel: Channel,
) {
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  const last =
    (req.headers['last-event-id'] as string | undefined) ??
    (req.query as { lastEventId?: string }).lastEventId;
  await live.hub.attach(roomId, channel, reply.raw, last);
}

/** The JSON API of live conversations: the public attendee contract and the facilitator's controls. */
export function liveApi(live: LiveRuntime) {
  return async (app: FastifyInstance): Promise<void> => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const { db } = app.ctx;

    r.get(
      '/api/rooms/:code',
      {
        config: { public: true },
        schema: {
          tags: ['live'],
          summary: 'A conversation by its join code: the session and its open prompts',
          params: Code,
          response: { 200: S.RoomOut, 404: Err },
        },
      },
      async (req) => {
        const { row, prompts } = await live.room(req.params.code);
        const session = await findSession(db, row.session_id);
        if (!session) throw notFound('This conversation', 'code');
        return {
          code: row.code,
          session: {
            id: session.id,
            title: session.title,
            startsAt: session.starts_at,
            endsAt: session.ends_at,
            timeZone: session.time_zone,
            language: session.language,
          },
          prompts: prompts.filter((p) => p.status === 'open'),
        };
      },
    );

    r.post(
      '/api/rooms/:code/responses',
      {
        // The address limit (LIVE_ADDRESS_LIMIT a minute) is counted with the participant's in
        // one step by `live.submit` (one Redis round trip per answer instead of two).
        config: { public: true },
        schema: {
          tags: ['live'],
          summary:
            'Answer an open prompt. Acknowledged (201) only after a durable commit; the same clientKey again returns 200 with the same id and duplicate:true',
          description:
            'Send `text` (open text, word cloud, Q&A), `choice` or `choices` (poll; ranking in order) or `value` (scale). The participant is the `colloquy_p` cookie, the `x-participant-key` header or `participantKey`.',
          params: Code,
          body: S.ResponseBody,
          response: {
            200: z.object({ id: z.string(), duplicate: z.literal(true) }),
            201: z.object({ id: z.string(), duplicate: z.literal(false), status: z.string() }),
            ...errors,
          },
        },
      },
      async (req, reply) => {
        const { row, prompts } = await live.answerRoom(req.params.code, req.ip);
        const who = await live.participantOrNew(req, reply, row, req.body.participantKey);
        const lang =
          req.body.language && /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/.test(req.body.language)
            ? req.body.language
            : languageOf(req);
        const res = await live.submit(row, prompts, who, req.body, lang, req.ip);
        if (res.duplicate) return reply.status(200).send({ id: res.id, duplicate: true as const });
        return reply.status(201).send({ id: res.id, duplicate: false as const, status: res.status });
      },
    );

    r.post(
      '/api/rooms/:code/responses/:id/upvote',
      {
        config: { public: true },
        schema: {
          tags: ['live'],
          summary: 'Up-vote a question (once per participant)',
          params: Code.extend({ id: z.string().max(64) }),
          response: { 200: z.object({ upvotes: z.number() }), ...errors },
        },
      },
      async (req, reply) => {
        const { row } = await live.room(req.params.code);
        const pid = await live.participant(req, reply, row);
        await live.limitAnswer(req.ip, pid);
        const res = await svc.upvote(db, row, pid, req.params.id);
        live.hub.publish({
          t: 'upvote',
          roomId: row.id,
          promptId: res.promptId,
          id: req.params.id,
          upvotes: res.upvotes,
        });
        return { upvotes: res.upvotes };
      },
    );

    r.get(
      '/api/rooms/:code/prompts/:promptId/results',
      {
        config: { public: true },
        schema: {
          tags: ['live'],
          summary:
            'Results of a prompt: counts per choice or value, word frequencies, approved answers, top questions. Details only once revealed (facilitators always)',
          params: Code.extend({ promptId: z.string().max(64) }),
          response: { 200: S.ResultsOut, 404: Err },
        },
      },
      async (req) => {
        const { row, prompts } = await live.room(req.params.code);
        const p = prompts.find((x) => x.id === req.params.promptId);
        if (!p) throw notFound('The prompt', 'promptId');
        const rows = await repo.responsesOf(db, row.id, p.id, ['visible', 'held']);
        const res = resultsOf(p, rows.map(repo.answerOut));
        return p.revealed || canFacilitate(req.actor, row.series_id)
          ? res
          : { promptId: p.id, type: p.type, total: res.total };
      },
    );

    r.get(
      '/api/rooms/:code/events',
      {
        config: { public: true },
        schema: {
          tags: ['live'],
          summary:
            'Live updates (text/event-stream). channel=attendee (≈1/s) or screen (presenter, ≈5/s). Resumes from Last-Event-ID',
          params: Code,
          querystring: z.object({
            channel: z.enum(['attendee', 'screen']).default('attendee'),
            lastEventId: z.string().max(100).optional(),
          }),
        },
      },
      async (req, reply) => {
        const { row } = await live.room(req.params.code);
        await openStream(live, req, reply, row.id, req.query.channel);
      },
    );

    // ---- facilitators ----
    const room = async (req: FastifyRequest, roomId: string) => svc.facilitatedRoom(db, req.actor, roomId);
    const stateOf = async (roomId: string) => loadRoomState(db, (await repo.findRoomById(db, roomId))!);

    r.get(
      '/api/sessions/:id/live',
      {
        schema: {
          tags: ['live'],
          summary: 'The live room of a session (made with the session) with its prompts',
          params: SessionId,
          response: { 200: RoomStateOut, ...errors },
        },
      },
      async (req) => {
        return loadRoomState(db, await svc.roomOfSession(db, req.actor, req.params.id));
      },
    );

    r.get(
      '/api/live/rooms/:roomId/events',
      {
        schema: {
          tags: ['live'],
          summary:
            'Facilitator feed (text/event-stream): state, every new answer with its status, results every ~100 ms',
          params: RoomId,
        },
      },
      async (req, reply) => {
        const rm = await room(req, req.params.roomId);
        await openStream(live, req, reply, rm.id, 'console');
      },
    );

    r.post(
      '/api/live/rooms/:roomId/prompts',
      {
        schema: {
          tags: ['live'],
          summary: 'Add a prompt to the session (or, with seriesLevel, to every session of the series)',
          security: writeSecurity,
          params: RoomId,
          body: S.PromptBody,
          response: { 201: RoomStateOut, ...errors },
        },
      },
      async (req, reply) => {
        const rm = await room(req, req.params.roomId);
        await inTransaction(db, (trx) => svc.createPrompt(trx, req.actor, rm, req.body));
        await live.changed(rm.id);
        return reply.status(201).send(await stateOf(rm.id));
      },
    );

    r.delete(
      '/api/live/rooms/:roomId/prompts/:promptId',
      {
        schema: {
          tags: ['live'],
          summary: 'Remove a prompt',
          security: writeSecurity,
          params: RoomId.extend({ promptId: z.string().max(64) }),
          response: { 200: RoomStateOut, ...errors },
        },
      },
      async (req) => {
        const rm = await room(req, req.params.roomId);
        await inTransaction(db, (trx) => svc.deletePrompt(trx, req.actor, rm, req.params.promptId));
        await live.changed(rm.id);
        return stateOf(rm.id);
      },
    );

    r.post(
      '/api/live/rooms/:roomId/prompts/:promptId/actions',
      {
        schema: {
          tags: ['live'],
          summary:
            'Open, close, reveal or unreveal a prompt, or make it current (opened if needed; screens and phones follow it)',
          security: writeSecurity,
          params: RoomId.extend({ promptId: z.string().max(64) }),
          body: S.PromptAction,
          response: { 200: RoomStateOut, ...errors },
        },
      },
      async (req) => {
        const rm = await room(req, req.params.roomId);
        const { action } = req.body;
        await inTransaction(db, (trx) =>
          action === 'current'
            ? svc.makeCurrent(trx, req.actor, rm, req.params.promptId)
            : svc.promptAction(trx, req.actor, rm, req.params.promptId, action),
        );
        await live.changed(rm.id);
        return stateOf(rm.id);
      },
    );

    r.post(
      '/api/live/rooms/:roomId/next',
      {
        schema: {
          tags: ['live'],
          summary:
            'Run of show: close the current prompt and make the next one current (the first one when none is); on the last prompt nothing changes',
          security: writeSecurity,
          params: RoomId,
          response: { 200: RoomStateOut, ...errors },
        },
      },
      async (req) => {
        const rm = await room(req, req.params.roomId);
        await inTransaction(db, (trx) => svc.stepPrompt(trx, req.actor, rm, 1));
        await live.changed(rm.id);
        return stateOf(rm.id);
      },
    );

    r.post(
      '/api/live/rooms/:roomId/previous',
      {
        schema: {
          tags: ['live'],
          summary:
            'Run of show: close the current prompt and make the previous one current; on the first prompt nothing changes',
          security: writeSecurity,
          params: RoomId,
          response: { 200: RoomStateOut, ...errors },
        },
      },
      async (req) => {
        const rm = await room(req, req.params.roomId);
        await inTransaction(db, (trx) => svc.stepPrompt(trx, req.actor, rm, -1));
        await live.changed(rm.id);
        return stateOf(rm.id);
      },
    );

    r.put(
      '/api/live/rooms/:roomId/settings',
      {
        schema: {
          tags: ['live'],
          summary: 'Turn pre-moderation on or off',
          security: writeSecurity,
          params: RoomId,
          body: S.RoomSettingsBody,
          response: { 200: RoomStateOut, ...errors },
        },
      },
      async (req) => {
        const rm = await room(req, req.params.roomId);
        await svc.setPreModeration(db, req.actor, rm, req.body.preModeration);
        await live.changed(rm.id);
        return stateOf(rm.id);
      },
    );

    r.get(
      '/api/live/rooms/:roomId/responses',
      {
        schema: {
          tags: ['live'],
          summary: 'Answers of a prompt for moderation (held first with status=held)',
          params: RoomId,
          querystring: z.object({
            promptId: z.string().max(64),
            status: z.enum(['visible', 'held', 'hidden']).optional(),
          }),
          response: { 200: z.object({ answers: z.array(S.AnswerOutSchema) }), ...errors },
        },
      },
      async (req) => {
        const rm = await room(req, req.params.roomId);
        const rows = await repo.responsesOf(
          db,
          rm.id,
          req.query.promptId,
          req.query.status ? [req.query.status] : undefined,
          500,
        );
        return { answers: rows.map(repo.answerOut) };
      },
    );

    r.post(
      '/api/live/rooms/:roomId/responses/:id/moderation',
      {
        schema: {
          tags: ['live'],
          summary: 'Approve, hide, pin, unpin or mark a question answered',
          security: writeSecurity,
          params: RoomId.extend({ id: z.string().max(64) }),
          body: S.ModerationAction,
          response: { 200: S.AnswerOutSchema, ...errors },
        },
      },
      async (req) => {
        const rm = await room(req, req.params.roomId);
        const a = await svc.moderate(db, req.actor, rm, req.params.id, req.body.action);
        live.hub.publish({ t: 'moderation', roomId: rm.id, answers: [a] });
        return a;
      },
    );

    r.get(
      '/api/series/:id/live/blocked-words',
      {
        schema: {
          tags: ['live'],
          summary: 'Blocked words of a series (answers containing them are held for review)',
          params: SeriesId,
          response: { 200: z.object({ words: z.array(z.string()) }), ...errors },
        },
      },
      async (req) => {
        authorize(req.actor, canFacilitate(req.actor, req.params.id));
        return { words: await repo.blockedWordsOf(db, req.params.id) };
      },
    );

    r.put(
      '/api/series/:id/live/blocked-words',
      {
        schema: {
          tags: ['live'],
          summary: 'Replace the blocked words of a series (any language; case and accents ignored)',
          security: writeSecurity,
          params: SeriesId,
          body: S.BlockedWordsBody,
          response: { 200: z.object({ words: z.array(z.string()) }), ...errors },
        },
      },
      async (req) => {
        await inTransaction(db, (trx) => svc.setBlockedWords(trx, req.actor, req.params.id, req.body.words));
        return { words: await repo.blockedWordsOf(db, req.params.id) };
      },
    );

    r.post(
      '/api/series/:id/live/kinds',
      {
        schema: {
          tags: ['live'],
          summary: 'Define a custom kind of open-text prompt on a series',
          security: writeSecurity,
          params: SeriesId,
          body: S.KindBody,
          response: { 200: Ok, ...errors },
        },
      },
      async (req) => {
        await svc.addKind(db, req.actor, req.params.id, req.body.key, req.body.label);
        return { ok: true as const };
      },
    );
  };
}
