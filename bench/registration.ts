/**
 * Registration benchmark: many people registering at once for one session (the rush when a
 * series is announced), ICS rendering, and the job queue draining reminders with two loops.
 * Prints one JSON object. Run: `npx tsx bench/registration.ts` (add DATABASE_URL for PostgreSQL).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/server/config.ts';
import { createServer } from '../src/server/index.ts';
import { makeSeries, makeSession, unique } from '../test/support/factories.ts';
import { icsCalendar, enqueueJob, registerJobHandler, runDueJobs } from '../src/modules/notify/index.ts';

process.env.REGISTRATION_RATE_LIMIT = '1000000';
const N = Number(process.env.BENCH_REGISTRANTS ?? 1000);
const CAPACITY = Math.floor(N * 0.9);
const config = loadConfig(
  { port: 0, dataDir: mkdtempSync(join(tmpdir(), 'colloquy-bench-')), demo: false, host: '127.0.0.1' },
  { ...process.env, LOG_LEVEL: 'error', COLLOQUY_JOBS: '0', SMTP_URL: '' },
);
const srv = await createServer(config, { logger: false });
const db = srv.ctx.db;

const s = await makeSeries(db);
await db.updateTable('series').set({ registration_mode: 'session' }).where('id', '=', s.id).execute();
const sessionId = await makeSession(db, s, { capacity: CAPACITY });
const tag = unique('bench');
const t0 = performance.now();
const latencies: number[] = [];
const codes = await Promise.all(
  Array.from({ length: N }, async (_, i) => {
    const a = performance.now();
    const res = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: {
        name: `P${i}`,
        email: `${tag}-${i}@example.org`,
        country: 'FR',
        answers: { career_stage: 'new' },
        language: 'fr',
        timeZone: 'Europe/Paris',
        sessionIds: [sessionId],
        consent: true,
      },
    });
    latencies.push(performance.now() - a);
    return res.statusCode;
  }),
);
const elapsed = performance.now() - t0;
const rows = await db
  .selectFrom('registration')
  .select('status')
  .where('session_id', '=', sessionId)
  .execute();
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
const ctx = { db, mailer: srv.ctx.mailer, config: srv.ctx.config };
await Promise.all([
  runDueJobs(ctx, undefined, { kinds: [kind] }),
  runDueJobs(ctx, undefined, { kinds: [kind] }),
]);
const jobsPerSecond = Math.round(1000 / ((performance.now() - j0) / 1000));

console.log(
  JSON.stringify({
    dialect: srv.ctx.dialect,
    registrants: N,
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
    icsPerSecond,
    jobs: { ran, jobsPerSecond, loops: 2 },
  }),
);
await srv.close();
