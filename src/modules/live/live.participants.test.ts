// Several processes behind a round-robin balancer: an attendee's answers land on each process in
// turn. The commit that resolves a participant from their key tells every process over the bus, so
// the next answer elsewhere needs no participant lookup (and no transaction), and a first answer
// counts as one person joining, once, on every process.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { makeSeries, makeSession } from '../../../test/support/factories.ts';
import { DIALECT, testDb } from '../../../test/support/db.ts';
import { memoryBus } from './live.bus.ts';
import { LiveRuntime } from './live.runtime.ts';
import * as svc from './live.service.ts';

let h: DbHandle;
let a: LiveRuntime;
let b: LiveRuntime;
beforeAll(async () => {
  h = await testDb();
  // Two "processes" on one database and one bus (what Redis is between real processes).
  const bus = memoryBus();
  a = new LiveRuntime(h.db, bus, h.sqlite?.name);
  b = new LiveRuntime(h.db, bus, h.sqlite?.name);
});
afterAll(async () => {
  await a.close();
  await b.close();
  await h.close();
});

const requestWith = (key: string) =>
  ({
    headers: { 'x-participant-key': key },
    cookies: {},
    query: {},
    lang: 'en',
    server: { ctx: { config: { secureCookies: false } } },
  }) as unknown as FastifyRequest;
const reply = { setCookie: () => reply } as unknown as FastifyReply;
const settle = () => new Promise((r) => setTimeout(r, 20));

describe(`a participant resolved on one process is known on the others (${DIALECT})`, () => {
  it('sends the second answer through another process without a new participant', async () => {
    const series = await makeSeries(h.db, { status: 'published' });
    const session = await makeSession(h.db, series, { daysAhead: -1 });
    const room = await svc.roomOfSession(h.db, series.admin, session);
    const ask = async (question: string) => {
      const id = await svc.createPrompt(h.db, series.admin, room, {
        type: 'open_text',
        kind: 'need',
        text: { en: question },
      });
      await svc.promptAction(h.db, series.admin, room, id, 'open');
      return id;
    };
    const first = await ask('What did your team try first?');
    const second = await ask('What would you keep?');
    const key = 'participant-key-for-two-processes';

    // Both processes hold the room (as when screens watch it on each).
    const onA = await a.room(room.code);
    const onB = await b.room(room.code);
    const hubA = await a.hub.loaded(room.id);
    const hubB = await b.hub.loaded(room.id);
    expect([hubA.participants, hubB.participants]).toEqual([0, 0]);

    // Process B has never seen this key: its first answer creates the participant.
    const whoOnB = await b.participantOrNew(requestWith(key), reply, onB.row);
    expect(whoOnB.fresh).toBeDefined();
    const one = await b.submit(
      onB.row,
      onB.prompts,
      whoOnB,
      { promptId: first, clientKey: 'c1', text: 'Pairing' },
      'en',
    );
    expect(one.duplicate).toBe(false);
    await settle();

    // Process A learned who the key is from B's commit: no new participant to create.
    const whoOnA = await a.participantOrNew(requestWith(key), reply, onA.row);
    expect(whoOnA.fresh).toBeUndefined();
    const [stored] = await h.db
      .selectFrom('live_response')
      .select('participant_id')
      .where('id', '=', one.id)
      .execute();
    expect(whoOnA.id).toBe(stored.participant_id);
    const two = await a.submit(
      onA.row,
      onA.prompts,
      whoOnA,
      { promptId: second, clientKey: 'c2', text: 'Reviews' },
      'en',
    );
    expect(two.duplicate).toBe(false);
    await settle();

    const people = await h.db
      .selectFrom('live_participant')
      .select('id')
      .where('room_id', '=', room.id)
      .execute();
    expect(people.map((p) => p.id)).toEqual([stored.participant_id]);
    const answers = await h.db
      .selectFrom('live_response')
      .select('participant_id')
      .where('room_id', '=', room.id)
      .execute();
    expect(answers.map((r) => r.participant_id)).toEqual([stored.participant_id, stored.participant_id]);
    // One person joined, counted once on each process (from the answers' own bus message).
    expect([hubA.participants, hubB.participants]).toEqual([1, 1]);

    // Another key is still new to both.
    const other = await a.participantOrNew(requestWith('another-participant-key'), reply, onA.row);
    expect(other.fresh).toBeDefined();
  });
});
