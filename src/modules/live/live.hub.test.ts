import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../../../test/support/factories.ts';
import { DIALECT, testDb } from '../../../test/support/db.ts';
import { startRedis, type OwnRedis } from '../../../test/support/redis-proc.ts';
import { memoryBus, redisBus } from './live.bus.ts';
import type { AnswerOut } from './live.events.ts';
import { LiveHub } from './live.hub.ts';
import * as svc from './live.service.ts';

let h: DbHandle;
let hub: LiveHub;
const warnings: string[] = [];
beforeAll(async () => {
  h = await testDb();
  hub = new LiveHub(h.db, memoryBus(), { warn: (_o, msg) => warnings.push(msg) });
});
afterAll(async () => {
  await hub.close();
  await h.close();
});

async function room() {
  const series = await makeSeries(h.db);
  const session = await makeSession(h.db, series);
  const host = await grant(h.db, await makeAccount(h.db), series.id, 'facilitator');
  return svc.roomOfSession(h.db, host, session);
}

/** Enough of a ServerResponse for a subscriber. */
function fakeResponse(): ServerResponse & { text: string } {
  const res = new EventEmitter() as ServerResponse & { text: string };
  res.text = '';
  res.write = ((chunk: string) => {
    res.text += chunk;
    return true;
  }) as ServerResponse['write'];
  return res;
}

describe(`live rooms in one process stay bounded (${DIALECT})`, () => {
  it('unloads a room nobody watches once it has been idle, and loads it again on demand', async () => {
    const r = await room();
    await hub.loaded(r.id);
    expect(hub.rooms.has(r.id)).toBe(true);
    expect(hub.unloadIdle(60_000)).toBe(0); // just used
    expect(hub.unloadIdle(0, Date.now() + 1)).toBeGreaterThanOrEqual(1);
    expect(hub.rooms.has(r.id)).toBe(false);
    const again = await hub.loaded(r.id);
    expect(again.row?.code).toBe(r.code);
  });

  it('keeps a room while a screen is connected, and unloads it after the screen leaves', async () => {
    const r = await room();
    const res = fakeResponse();
    await hub.attach(r.id, 'screen', res, undefined);
    expect(res.text).toContain('event: room.state');
    hub.unloadIdle(0, Date.now() + 1);
    expect(hub.rooms.has(r.id)).toBe(true);
    res.emit('close');
    hub.unloadIdle(0, Date.now() + 1);
    expect(hub.rooms.has(r.id)).toBe(false);
  });

  it('logs a bus message that fails and keeps handling the next ones', async () => {
    const r = await room();
    const res = fakeResponse();
    await hub.attach(r.id, 'console', res, undefined);
    const loadedRoom = hub.rooms.get(r.id)!;
    // A message whose handling throws (a malformed list from another process).
    hub.publish({ t: 'moderation', roomId: r.id, answers: null as never });
    await new Promise((done) => setTimeout(done, 20));
    expect(warnings).toContain('live bus message failed');
    hub.publish({ t: 'joined', roomId: r.id });
    await new Promise((done) => setTimeout(done, 20));
    expect(loadedRoom.participants).toBe(1);
    res.emit('close');
  });
});

describe(`an event stream resumes on another process (${DIALECT})`, () => {
  let redis: OwnRedis;
  const hubs: LiveHub[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const x of hubs) await x.close();
    await redis.stop();
  });

  const answer = (id: string, text: string, status = 'visible') =>
    ({ id, promptId: 'p', text, status }) as unknown as AnswerOut;
  const texts = (frames: string) =>
    [...frames.matchAll(/event: answers\.new\ndata: (.*)\n/g)].flatMap((m) =>
      (JSON.parse(m[1]) as { answers: { text: string }[] }).answers.map((a) => a.text),
    );
  const lastId = (frames: string) => [...frames.matchAll(/^id: (.+)$/gm)].pop()?.[1];
  const settle = () => new Promise((done) => setTimeout(done, 400));

  it('sends the answers missed while away, once, then the new ones', async () => {
    const log = { warn: () => {} };
    const a = new LiveHub(h.db, await redisBus(redis.url, () => {}), log);
    const b = new LiveHub(h.db, await redisBus(redis.url, () => {}), log);
    hubs.push(a, b);
    const r = await room();
    await b.loaded(r.id); // process B already serves this room (another screen there)

    const first = fakeResponse();
    await a.attach(r.id, 'screen', first, undefined);
    a.publish({ t: 'answers', roomId: r.id, answers: [answer('1', 'Before the drop')] });
    await settle();
    const resumeFrom = lastId(first.text);
    first.emit('close');
    expect(texts(first.text)).toEqual(['Before the drop']);

    a.publish({ t: 'answers', roomId: r.id, answers: [answer('2', 'During the drop')] });
    a.publish({ t: 'answers', roomId: r.id, answers: [answer('3', 'Held for review', 'held')] });
    await settle();

    const second = fakeResponse();
    await b.attach(r.id, 'screen', second, resumeFrom);
    a.publish({ t: 'answers', roomId: r.id, answers: [answer('4', 'After the reconnect')] });
    await settle();
    second.emit('close');
    expect(texts(second.text)).toEqual(['During the drop', 'After the reconnect']);
  });
});
