// Live benchmark: one Colloquy process on SQLite (or two on PostgreSQL + Redis with --cluster),
// N attendees holding event streams, R answers per second for D seconds, a presenter stream
// timing each answer from submission to the screen. Prints ONE JSON object.
//   npm run bench:live -- --participants 10000 --rate 1000 --duration 60 [--cluster] [--clients 2]
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { openPromptRoom } from '../test/support/factories.ts';
import { freePort } from '../test/support/live-proc.ts';
import { cpuSecondsOf, now, percentile, sleep, startCrowds, waitHealthy, watchPresenter } from './support.ts';

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: process.env.BENCH_PARTICIPANTS ?? '10000' },
    rate: { type: 'string', default: process.env.BENCH_RATE ?? '1000' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '60' },
    clients: { type: 'string', default: '2' },
    cluster: { type: 'boolean', default: false },
  },
});
const participants = Number(values.participants);
const rate = Number(values.rate);
const durationS = Number(values.duration);
const clients = Number(values.clients);
const cluster = values.cluster;

function startServer(port: number, dataDir: string, env: Record<string, string>): ChildProcess {
  // ulimit is per shell: raise it, then exec node so the server keeps this pid (for RSS).
  return spawn(
    'bash',
    [
      '-c',
      `ulimit -n $(ulimit -Hn) 2>/dev/null; exec node ${process.env.BENCH_SERVER_NODE_FLAGS ?? ''} bin/colloquy.mjs serve --port ${port} --host 127.0.0.1 --data ${dataDir} --no-demo`,
    ],
    {
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        LIVE_PARTICIPANT_BURST: '1000',
        LIVE_ADDRESS_LIMIT: '100000000',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

const rssOf = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
  } catch {
    return 0;
  }
};

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'colloquy-bench-'));
  let databaseUrl: string | undefined;
  if (cluster) {
    const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `colloquy_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
  }
  const h = openDatabase(databaseUrl ? { databaseUrl } : { sqliteFile: join(dataDir, 'colloquy.sqlite') });
  await migrateToLatest(h.db);
  const { room, promptId } = await openPromptRoom(h.db, 'best_practice', 'Best practice?');

  const env: Record<string, string> = cluster
    ? {
        DATABASE_URL: databaseUrl!,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        PG_POOL_SIZE: '20',
      }
    : {};
  const ports = cluster ? [await freePort(), await freePort()] : [await freePort()];
  const servers = ports.map((p, i) => startServer(p, cluster ? join(dataDir, `s${i}`) : dataDir, env));
  for (const p of ports) await waitHealthy(p);

  // The presenter watches the last process: with --cluster, answers go to both and must cross Redis.
  const presenterPort = ports[ports.length - 1];
  const presenter = watchPresenter(presenterPort, room.code);
  const arrivals = presenter.arrivals;

  let maxRss = 0;
  const rssTimer = setInterval(() => {
    maxRss = Math.max(
      maxRss,
      servers.reduce((n, s) => n + rssOf(s.pid!), 0),
    );
  }, 1000);
  const crowds = startCrowds({ ports, code: room.code, promptId, participants, rate, durationS, clients });
  const heldConnections = await crowds.ready;
  await sleep(1500);
  const cpuBefore = servers.reduce((n, s) => n + cpuSecondsOf(s.pid!), 0);
  crowds.go();
  const t0 = now();
  const { acked, ackMs, sent, errors } = await crowds.finished;
  const elapsed = (now() - t0) / 1000;
  const serverCpuS = servers.reduce((n, s) => n + cpuSecondsOf(s.pid!), 0) - cpuBefore;
  // Let the last tick reach the presenter.
  for (let i = 0; i < 50 && [...acked.keys()].some((id) => !arrivals.has(id)); i++) await sleep(100);
  clearInterval(rssTimer);

  const latencies: number[] = [];
  let lost = 0;
  for (const [id, sentAt] of acked) {
    const a = arrivals.get(id);
    if (!a) lost++;
    else latencies.push(a.at - sentAt);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => percentile(latencies, p);
  const shownTwice = [...arrivals.values()].filter((a) => a.n > 1).length;
  const stored = Number(
    (
      await h.db
        .selectFrom('live_response')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('room_id', '=', room.id)
        .executeTakeFirstOrThrow()
    ).n,
  );

  presenter.close();
  crowds.kill();
  await Promise.all(
    servers.map(
      (s) =>
        new Promise((resolve) => (s.once('exit', resolve), s.kill('SIGTERM'), setTimeout(resolve, 10_000))),
    ),
  );
  await h.close();

  console.log(
    JSON.stringify({
      mode: cluster
        ? 'two processes, PostgreSQL + Redis'
        : 'one process, SQLite (WAL, synchronous=FULL, group commit)',
      participants,
      connectedAttendeeStreams: heldConnections,
      durationS: Math.round(elapsed * 10) / 10,
      targetRate: rate,
      sent,
      acknowledged: acked.size,
      submissionsPerS: Math.round(acked.size / elapsed),
      p50Ms: pct(50),
      p99Ms: pct(99),
      ackP50Ms: percentile(ackMs, 50) ?? 0,
      ackP99Ms: percentile(ackMs, 99) ?? 0,
      maxMs: latencies.length ? Math.round(latencies[latencies.length - 1]) : null,
      lost,
      duplicated: shownTwice + Math.max(0, stored - acked.size),
      storedRows: stored,
      errors,
      serverRssMB: Math.round(maxRss / 1048576),
      serverCpuS: Math.round(serverCpuS * 10) / 10,
      serverCpuMsPerAnswer: Math.round((serverCpuS * 1000 * 100) / Math.max(1, acked.size)) / 100,
      loadAverage1m: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    }),
  );
  process.exit(0);
}
void main();
