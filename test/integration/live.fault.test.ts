import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { STREAM } from '../../src/modules/live/live.bus.ts';
import { DIALECT } from '../support/db.ts';
import { openPromptRoom } from '../support/factories.ts';
import { freePort, postJson, startColloquy } from '../support/live-proc.ts';
import { startRedis, type OwnRedis } from '../support/redis-proc.ts';

let child: ChildProcess | null = null;
let redis: OwnRedis | null = null;
afterAll(async () => {
  child?.kill('SIGKILL');
  await redis?.stop();
});

const until = async (ok: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
};

describe(`one bad event does not end the process (${DIALECT})`, () => {
  it('keeps serving after a database error while handling a Redis room message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'colloquy-fault-'));
    const h = openDatabase(
      DIALECT === 'postgres'
        ? { databaseUrl: process.env.DATABASE_URL }
        : { sqliteFile: join(dataDir, 'colloquy.sqlite') },
    );
    await migrateToLatest(h.db);
    const { room, promptId } = await openPromptRoom(h.db, 'need', 'What do you need?');

    redis = await startRedis();
    const port = await freePort();
    let logs = '';
    child = await startColloquy({
      port,
      dataDir,
      env: { REDIS_URL: redis.url },
      onLog: (t) => (logs += t),
    });

    // A presenter screen on this process, so the room is loaded here and listens to the bus.
    const seen: string[] = [];
    const stream = http.get(
      { host: '127.0.0.1', port, path: `/api/rooms/${room.code}/events?channel=screen` },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/event: answers\.new\ndata: (.*)\n/g))
            for (const a of (JSON.parse(m[1]) as { answers: { text: string }[] }).answers) seen.push(a.text);
        });
      },
    );
    stream.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 300));

    // The database fails the room's reload: its table is away for a moment.
    await sql`alter table live_room rename to live_room_away`.execute(h.db);
    const pub = new Redis(redis.url);
    await pub.xadd(STREAM, '*', 'm', JSON.stringify({ t: 'room', roomId: room.id, from: 'another-process' }));
    await until(() => logs.includes('live room could not be reloaded'));
    await sql`alter table live_room_away rename to live_room`.execute(h.db);
    pub.disconnect();

    expect(child.exitCode).toBeNull();
    expect(logs).toContain('live room could not be reloaded');

    // Still serving: an answer is acknowledged, stored once and reaches the presenter screen.
    const agent = new http.Agent({ keepAlive: true });
    const res = await postJson(
      agent,
      port,
      `/api/rooms/${room.code}/responses`,
      { promptId, clientKey: 'after-fault-1', text: 'Mentoring after the fault' },
      { 'x-participant-key': 'fault-participant-0123456789' },
    );
    agent.destroy();
    expect(res?.status).toBe(201);
    await until(() => seen.includes('Mentoring after the fault'));
    stream.destroy();
    expect(seen.filter((t) => t === 'Mentoring after the fault')).toHaveLength(1);
    const stored = await h.db
      .selectFrom('live_response')
      .select('id')
      .where('room_id', '=', room.id)
      .where('client_key', '=', 'after-fault-1')
      .execute();
    expect(stored).toHaveLength(1);
    await h.close();
  }, 60_000);
});
