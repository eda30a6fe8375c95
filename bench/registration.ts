/**
 * Registration benchmark: many people registering at once for one session (the rush when a
 * series is announced), ICS rendering, and the job queue draining reminders with two loops.
 * Registrations go over HTTP to a server in its own process with its rate limits on; each
 * registrant has its own address (X-Forwarded-For behind a proxy), and one address trying 60
 * times shows the limit holding. Prints one JSON object. Run: `npm run bench:registration`
 * (add DATABASE_URL for PostgreSQL; BENCH_REGISTRANTS to shorten).
 */
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { makeSeries, makeSession, unique } from '../test/support/factories.ts';
import { freePort, postJson, startColloquy } from '../test/support/live-proc.ts';
import {
  createMailer,
  icsCalendar,
  enqueueJob,
  registerJobHandler,
  runDueJobs,
} from '../src/modules/notify/index.ts';
import { machineDuring } from './machine.ts';

const machine = machineDuring();

const N = Number(process.env.BENCH_REGISTRANTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CAPACITY = Math.floor(N * 0.9);
const dataDir = mkdtempSync(join(tmpdir(), 'colloquy-bench-'));
const h = openDatabase(
  process.env.DATABASE_URL
    ? { databaseUrl: process.env.DATABASE_URL }
    : { sqliteFile: join(dataDir, 'colloquy.sqlite') },
);
await migrateToLatest(h.db);
const db = h.db;

const s = await makeSeries(db);
await db.updateTable('series').set({ registration_mode: 'session' }).where('id', '=', s.id).execute();
const sessionId = await makeSession(db, s, { capacity: CAPACITY });
const tag = unique('bench');

// The server in its own process, over HTTP, with its rate limits on (the default per address):
// every registrant comes from their own address, as behind a reverse proxy (TRUST_PROXY=1).
const port = await freePort();
const server = await startColloquy({ port, dataDir, env: { TRUST_PROXY: '1', COLLOQUY_JOBS: '0' } });
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const register = (i: number, address: string) =>
  postJson(
    agent,
    port,
    `/api/series/${s.id}/registrations`,
    {
      name: `P${i}`,
      email: `${tag}-${i}@example.org`,
      country: 'FR',
      answers: { career_stage: 'new' },
      language: 'fr',
      timeZone: 'Europe/Paris',
      sessionIds: [sessionId],
      consent: true,
    },
    { 'x-forwarded-for': address },
  );
const latencies: number[] = [];
const codes: number[] = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < N) {
      const i = next++;
      const a = performance.now();
      const res = await register(i, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      latencies.push(performance.now() - a);
      codes.push(res?.status ?? 0);
    }
  }),
);
const elapsed = performance.now() - t0;
// What the rush stored (a request that timed out on the client may still have been stored).
const rows = await db
  .selectFrom('registration')
  .select('status')
  .where('session_id', '=', sessionId)
  .execute();
// The limit is on: one address trying 60 times is refused after the configured number.
const sameAddress: number[] = [];
for (let i = 0; i < 60; i++) sameAddress.push((await register(N + i, '10.250.250.250'))?.status ?? 0);
agent.destroy();
server.kill('SIGTERM');
latencies.sort((x, y) => x - y);

const ev = {
  uid: 'x@y',
  sequence: 2,
  stamp: new Date(),
  start: new Date(),
  end: new Date(Date.now() + 3600_000),
  summary: 'Asia-Oceania, leaders; mentors',
  description: 'Long description '.repeat(20),
  url: 'https://example.org/s/1',
  location: 'https://video.example.org/x',
  organizer: { name: 'Org', email: 'o@example.org' },
  attendee: { name: 'Lucía', email: 'l@example.org' },
};
const i0 = performance.now();
for (let i = 0; i < 10_000; i++) icsCalendar('REQUEST', [ev]);
const icsPerSecond = Math.round(10_000 / ((performance.now() - i0) / 1000));

const kind = unique('bench.job');
let ran = 0;
registerJobHandler(kind, async () => void ran++);
for (let i = 0; i < 1000; i++)
  await enqueueJob(db, { kind, uniqueKey: `${kind}:${i}`, runAt: new Date(Date.now() - 1000) });
const j0 = performance.now();
const mailer = createMailer(undefined, 'bench@example.org');
const ctx = { db, mailer, config: { publicUrl: 'http://localhost' } as never };
await Promise.all([
  runDueJobs(ctx, undefined, { kinds: [kind] }),
  runDueJobs(ctx, undefined, { kinds: [kind] }),
]);
const jobsPerSecond = Math.round(1000 / ((performance.now() - j0) / 1000));

console.log(
  JSON.stringify({
    dialect: process.env.DATABASE_URL ? 'postgres' : 'sqlite',
    overHttp: true,
    rateLimitsOn: true,
    machine: machine(),
    registrants: N,
    connections: CONCURRENCY,
    capacity: CAPACITY,
    status201: codes.filter((c) => c === 201).length,
    confirmed: rows.filter((r) => r.status === 'confirmed').length,
    waitlisted: rows.filter((r) => r.status === 'waitlisted').length,
    registrationsPerSecond: Math.round(N / (elapsed / 1000)),
    latencyMs: {
      p50: Math.round(latencies[Math.floor(N * 0.5)]),
      p95: Math.round(latencies[Math.floor(N * 0.95)]),
      max: Math.round(latencies[N - 1]),
    },
    sameAddressRefused: sameAddress.filter((c) => c === 429).length,
    sameAddressTried: sameAddress.length,
    icsPerSecond,
    jobs: { ran, jobsPerSecond, loops: 2 },
  }),
);
mailer.close();
await h.close();
