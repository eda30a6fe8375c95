import http from 'node:http';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { startCluster, watch, type Cluster } from '../support/cluster.ts';
import { openPromptRoom } from '../support/factories.ts';
import { postJson } from '../support/live-proc.ts';

const PG = (process.env.DATABASE_URL ?? '').startsWith('postgres');
if (!PG)
  console.log('cluster.haproxy.test: skipped — several processes share one PostgreSQL (set DATABASE_URL)');

let cluster: Cluster | null = null;
beforeAll(async () => {
  if (PG)
    cluster = await startCluster({
      n: 3,
      databaseUrl: process.env.DATABASE_URL!,
      env: { LIVE_ADDRESS_LIMIT: '5', LIVE_PARTICIPANT_BURST: '100000' },
    });
}, 90_000);
afterAll(async () => {
  if (process.env.CLUSTER_LOGS) console.log(cluster?.logs.join(''));
  await cluster?.stop();
});

const until = async (ok: () => boolean, ms = 8000) => {
  const deadline = Date.now() + ms;
  while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
};
const once = (xs: string[], x: string) => xs.filter((y) => y === x).length;

describe.skipIf(!PG)('three Colloquy processes behind HAProxy act as one', () => {
  it('shares answers, event streams and limits across the processes, losing and repeating nothing', async () => {
    const h = openDatabase({ databaseUrl: process.env.DATABASE_URL });
    await migrateToLatest(h.db);
    const { room, promptId } = await openPromptRoom(h.db, 'best_practice', 'A practice that works?');

    const c = cluster!;
    const path = `/api/rooms/${room.code}/events?channel=screen`;
    // No keep-alive: every request is a new connection, so round robin spreads them.
    const agent = new http.Agent({ keepAlive: false });
    const acked = new Map<string, string>(); // clientKey → id
    const send = async (i: number, text: string, address: string) => {
      const clientKey = `cluster-${i}`;
      const res = await postJson(
        agent,
        c.port,
        `/api/rooms/${room.code}/responses`,
        { promptId, clientKey, text },
        { 'x-participant-key': `cluster-participant-${i}-0123456789`, 'x-forwarded-for': address },
      );
      if (res && (res.status === 201 || res.status === 200)) acked.set(clientKey, String(res.body.id));
      return res?.status ?? 0;
    };

    // 1. An answer sent through any process reaches the presenter stream of every process.
    const screens = c.backends.map((p) => watch(p, path));
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < 9; i++) expect(await send(i, `Answer ${i}`, `10.0.0.${i + 1}`)).toBe(201);
    const all = Array.from({ length: 9 }, (_, i) => `Answer ${i}`);
    await until(() => screens.every((s) => all.every((t) => s.seen.includes(t))));
    for (const s of screens) for (const t of all) expect(once(s.seen, t)).toBe(1);

    // 2. An event stream resumes on another process with what it missed, once.
    const resumeFrom = screens[0].lastId();
    screens[0].close();
    for (let i = 9; i < 12; i++) expect(await send(i, `Missed ${i}`, `10.0.1.${i}`)).toBe(201);
    await until(() => ['Missed 9', 'Missed 10', 'Missed 11'].every((t) => screens[1].seen.includes(t)));
    await new Promise((r) => setTimeout(r, 300)); // process 2 has sent them out too
    const resumed = watch(c.backends[1], path, resumeFrom);
    expect(await send(12, 'After resuming', '10.0.2.1')).toBe(201);
    await until(() => resumed.seen.includes('After resuming'));
    expect(resumed.seen).toEqual(['Missed 9', 'Missed 10', 'Missed 11', 'After resuming']);

    // 3. A per-address limit (5 a minute) holds across the three processes, not three times over.
    const statuses: number[] = [];
    for (let i = 20; i < 29; i++) statuses.push(await send(i, `Same address ${i}`, '10.9.9.9'));
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5)).toEqual([429, 429, 429, 429]);

    // 4. Nothing lost or duplicated: every acknowledged answer is stored exactly once.
    for (const s of [...screens, resumed]) s.close();
    agent.destroy();
    const rows = await h.db
      .selectFrom('live_response')
      .select(['id', 'client_key'])
      .where('room_id', '=', room.id)
      .execute();
    expect(rows).toHaveLength(acked.size);
    expect(new Set(rows.map((r) => r.client_key)).size).toBe(rows.length);
    for (const r of rows) expect(acked.get(r.client_key!)).toBe(r.id);
    await h.close();
  }, 120_000);

  it('keeps serving through Redis stopping and PostgreSQL connections cut during a flood, storing each acknowledged answer once', async () => {
    const c = cluster!;
    const h = openDatabase({ databaseUrl: process.env.DATABASE_URL });
    const { room, promptId } = await openPromptRoom(h.db, 'need', 'What do you need?');

    const agent = new http.Agent({ keepAlive: false });
    const acked = new Map<string, string>();
    const statuses = new Map<number, number>();
    let stop = false;
    let n = 0;
    // Each attendee resends an answer that got no acknowledgement, with the same key, as phones do.
    const attendee = async (w: number) => {
      while (!stop) {
        const i = n++;
        const clientKey = `flood-${w}-${i}`;
        // One address per answer: the per-address limit of the first test is not what this one tests.
        const address = `10.${20 + w}.${(i >> 8) & 255}.${i & 255}`;
        for (let attempt = 0; attempt < 50 && !acked.has(clientKey); attempt++) {
          const res = await postJson(
            agent,
            c.port,
            `/api/rooms/${room.code}/responses`,
            { promptId, clientKey, text: `Need ${clientKey}` },
            { 'x-participant-key': `flood-participant-${w}-0123456789`, 'x-forwarded-for': address },
          );
          statuses.set(res?.status ?? 0, (statuses.get(res?.status ?? 0) ?? 0) + 1);
          if (res && (res.status === 201 || res.status === 200)) acked.set(clientKey, String(res.body.id));
          else await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const flood = Array.from({ length: 8 }, (_, w) => attendee(w));
    await new Promise((r) => setTimeout(r, 1000));
    const beforeFaults = acked.size;
    await c.redis.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await c.redis.start();
    await new Promise((r) => setTimeout(r, 1000));
    // Every other connection to this database (the three processes' pools) is cut.
    await sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(
      h.db,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const beforeEnd = acked.size;
    await new Promise((r) => setTimeout(r, 1000));
    stop = true;
    await Promise.all(flood);
    agent.destroy();

    expect(acked.size).toBeGreaterThan(beforeEnd); // still answering after both faults
    expect(beforeEnd).toBeGreaterThan(beforeFaults);
    for (const p of c.backends) {
      const ok = await new Promise<number>((resolve) =>
        http
          .get({ host: '127.0.0.1', port: p, path: '/healthz' }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', () => resolve(0)),
      );
      expect(ok).toBe(200);
    }
    const rows = await h.db
      .selectFrom('live_response')
      .select(['id', 'client_key'])
      .where('room_id', '=', room.id)
      .execute();
    expect(new Set(rows.map((r) => r.client_key)).size).toBe(rows.length);
    for (const [key, id] of acked) expect(rows.find((r) => r.client_key === key)?.id).toBe(id);
    console.log(
      `cluster fault test: ${acked.size} answers acknowledged and stored once (${beforeFaults} before the faults), statuses ${JSON.stringify([...statuses])}`,
    );
    await h.close();
  }, 120_000);
});
