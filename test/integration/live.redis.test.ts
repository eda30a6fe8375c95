import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { openPromptRoom } from '../support/factories.ts';
import { freePort, postJson, startColloquy } from '../support/live-proc.ts';

const PG = (process.env.DATABASE_URL ?? '').startsWith('postgres');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
if (!PG)
  console.log(
    'live.redis.test: skipped — two processes sharing a room need PostgreSQL (set DATABASE_URL=postgres://…) and Redis',
  );

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

describe.skipIf(!PG)('several Colloquy processes share live rooms through Redis', () => {
  it('shows an answer given on process A on the presenter screen of process B', async () => {
    const h = openDatabase({ databaseUrl: process.env.DATABASE_URL });
    await migrateToLatest(h.db);
    const { room, promptId } = await openPromptRoom(h.db, 'best_practice', 'Best practice?');
    await h.close();

    const env = { DATABASE_URL: process.env.DATABASE_URL, REDIS_URL };
    const [pa, pb] = [await freePort(), await freePort()];
    children.push(
      await startColloquy({ port: pa, dataDir: mkdtempSync(join(tmpdir(), 'colloquy-a-')), env }),
    );
    children.push(
      await startColloquy({ port: pb, dataDir: mkdtempSync(join(tmpdir(), 'colloquy-b-')), env }),
    );

    const seen: string[] = [];
    const req = http.get(
      { host: '127.0.0.1', port: pb, path: `/api/rooms/${room.code}/events?channel=screen` },
      (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const m of chunk.matchAll(/event: answers\.new\ndata: (.*)\n/g))
            for (const a of (JSON.parse(m[1]) as { answers: { text: string }[] }).answers) seen.push(a.text);
        });
      },
    );
    req.on('error', () => undefined);
    await new Promise((r) => setTimeout(r, 500));
    const agent = new http.Agent({ keepAlive: true });
    const res = await postJson(
      agent,
      pa,
      `/api/rooms/${room.code}/responses`,
      { promptId, clientKey: 'two-proc-1', text: 'Answered on A' },
      { 'x-participant-key': 'redis-participant-0123456789' },
    );
    expect(res?.status).toBe(201);
    const deadline = Date.now() + 5000;
    while (!seen.includes('Answered on A') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    agent.destroy();
    expect(seen.filter((t) => t === 'Answered on A')).toHaveLength(1);
  }, 60_000);
});
