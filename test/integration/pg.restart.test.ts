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
import { postgresBin, startPostgres, type OwnPostgres } from '../support/pg-proc.ts';
import { startRedis, type OwnRedis } from '../support/redis-proc.ts';

// A PostgreSQL of its own, restarted in the middle: the machine's shared one is never touched. It
// runs in the PostgreSQL pass only (the same test twice would prove nothing more).
const PG = (process.env.DATABASE_URL ?? '').startsWith('postgres');
const BIN = postgresBin();
if (!PG) console.log('pg.restart.test: skipped — runs in the PostgreSQL pass (set DATABASE_URL)');
else if (!BIN)
  console.log('pg.restart.test: skipped — PostgreSQL server binaries (initdb, pg_ctl) are not installed');

let pgsrv: OwnPostgres | null = null;
let redis: OwnRedis | null = null;
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await redis?.stop();
  await pgsrv?.destroy();
}, 60_000);

const health = (port: number) =>
  new Promise<number>((resolve) =>
    http
      .get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', () => resolve(0)),
  );

describe.skipIf(!PG || !BIN)('PostgreSQL restarting during a live flood', () => {
  it('keeps serving, refuses clearly while it is away, and stores every acknowledged answer exactly once', async () => {
    const t0 = Date.now();
    const phases: string[] = [];
    const mark = (what: string) => phases.push(`${what} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    pgsrv = await startPostgres();
    mark('postgres up');
    const h = openDatabase({ databaseUrl: pgsrv.url, onIdleError: () => undefined });
    await migrateToLatest(h.db);
    const { room, promptId } = await openPromptRoom(h.db, 'need', 'What would help you most?');
    await h.close();

    // Two processes on it, sharing a Redis of their own, as in production with several nodes.
    redis = await startRedis();
    const ports = [await freePort(), await freePort()];
    const logs: string[] = [];
    // One after the other: two starting at once on a busy machine can outlast startColloquy's wait.
    for (const [i, port] of ports.entries())
      children.push(
        await startColloquy({
          port,
          dataDir: mkdtempSync(join(tmpdir(), `colloquy-pgrestart-${i}-`)),
          env: {
            DATABASE_URL: pgsrv.url,
            REDIS_URL: redis.url,
            LIVE_ADDRESS_LIMIT: '100000',
            LIVE_PARTICIPANT_BURST: '100000',
          },
          onLog: (t) => logs.push(`node${i}: ${t}`),
        }),
      );
    mark('colloquy up');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const acked = new Map<string, string>(); // clientKey → id
    const statuses = new Map<number, number>();
    const refusals: { status: number; code: unknown; ms: number }[] = [];
    let stop = false;
    let n = 0;
    // 24 attendees; each resends an unacknowledged answer with the same key, as phones do.
    const attendee = async (w: number) => {
      while (!stop) {
        const clientKey = `restart-${w}-${n++}`;
        for (let attempt = 0; attempt < 200 && !acked.has(clientKey); attempt++) {
          const t0 = Date.now();
          const res = await postJson(
            agent,
            ports[(w + attempt) % ports.length],
            `/api/rooms/${room.code}/responses`,
            { promptId, clientKey, text: `Peer support ${clientKey}` },
            { 'x-participant-key': `restart-participant-${w}-0123456789` },
          );
          const status = res?.status ?? 0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (res && (status === 201 || status === 200)) acked.set(clientKey, String(res.body.id));
          else {
            refusals.push({
              status,
              code: (res?.body.error as { code?: unknown } | undefined)?.code,
              ms: Date.now() - t0,
            });
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      }
    };
    const flood = Array.from({ length: 24 }, (_, w) => attendee(w));
    await new Promise((r) => setTimeout(r, 2000));
    const beforeRestart = acked.size;
    await pgsrv.stop();
    mark('postgres stopped');
    await new Promise((r) => setTimeout(r, 2000));
    const duringOutage = refusals.length;
    await pgsrv.start();
    mark('postgres started');
    const restartedAt = Date.now();
    await new Promise((r) => setTimeout(r, 3000));
    const beforeEnd = acked.size;
    await new Promise((r) => setTimeout(r, 1500));
    stop = true;
    await Promise.all(flood);
    mark('flood over');
    agent.destroy();
    console.log(
      `pg restart test: ${acked.size} answers acknowledged (${beforeRestart} before the restart), ` +
        `${refusals.length} refusals, statuses ${JSON.stringify([...statuses])}, ` +
        `codes ${JSON.stringify([...new Set(refusals.map((r) => `${r.status}:${String(r.code)}`))])}; ${phases.join(', ')}`,
    );
    if (process.env.CLUSTER_LOGS) console.log(logs.join(''));

    // Answering worked before, was refused while PostgreSQL was away, and works again after.
    expect(beforeRestart).toBeGreaterThan(20);
    expect(duringOutage).toBeGreaterThan(0);
    expect(acked.size).toBeGreaterThan(beforeEnd);
    expect(Date.now() - restartedAt).toBeLessThan(30_000);
    // Refusals are a clear 503 with a stable code, quickly: no 500, no hang, no dropped connection.
    for (const r of refusals) {
      expect(r.status).toBe(503);
      expect(r.code).toBe('database_unavailable');
      expect(r.ms).toBeLessThan(10_000);
    }
    for (const p of ports) expect(await health(p)).toBe(200);
    expect(children.every((c) => c.exitCode === null)).toBe(true);

    // Every acknowledged answer is stored exactly once, with the id it was acknowledged with.
    const check = openDatabase({ databaseUrl: pgsrv.url });
    const rows = await check.db
      .selectFrom('live_response')
      .select(['id', 'client_key'])
      .where('room_id', '=', room.id)
      .execute();
    await check.close();
    expect(new Set(rows.map((r) => r.client_key)).size).toBe(rows.length);
    const byKey = new Map(rows.map((r) => [r.client_key, r.id]));
    for (const [key, id] of acked) expect(byKey.get(key)).toBe(id);
  }, 120_000);
});
