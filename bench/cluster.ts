// Cluster benchmark: three Colloquy processes behind HAProxy (round robin, no stickiness) on the
// machine's PostgreSQL (a fresh database of its own, dropped after) and a Redis of its own. N
// attendees hold event streams (each on one of the processes directly, spread evenly) and answer
// through the balancer at R answers/s in total (paced, open loop) for D seconds; a presenter stream through the balancer times each answer to the screen.
// Prints ONE JSON object.
//   npm run bench:cluster -- --participants 10000 --rate 1000 --duration 60 [--clients 2]
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { startCluster } from '../test/support/cluster.ts';
import { openPromptRoom } from '../test/support/factories.ts';
import { cpuBetween, cpuReading, machineDuring, machineNow } from './machine.ts';
import { cpuSecondsOf, now, percentile, sleep, startCrowds, watchPresenter } from './support.ts';

const machine = machineDuring();

const { values } = parseArgs({
  options: {
    participants: { type: 'string', default: process.env.BENCH_PARTICIPANTS ?? '10000' },
    rate: { type: 'string', default: process.env.BENCH_RATE ?? '1000' },
    duration: { type: 'string', default: process.env.BENCH_DURATION ?? '60' },
    clients: { type: 'string', default: '2' },
    processes: { type: 'string', default: '3' },
    warmup: { type: 'string', default: process.env.BENCH_WARMUP ?? '15' },
  },
});
const participants = Number(values.participants);
const rate = Number(values.rate);
const durationS = Number(values.duration);
const clients = Number(values.clients);
const processes = Number(values.processes);
const warmupS = Number(values.warmup);
const processCpuS = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function main() {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `colloquy_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(base);
  u.pathname = `/${name}`;
  const databaseUrl = u.toString();
  let cluster: Awaited<ReturnType<typeof startCluster>> | null = null;
  let crowds: ReturnType<typeof startCrowds> | null = null;
  try {
    const h = openDatabase({ databaseUrl });
    await migrateToLatest(h.db);
    const { room, promptId } = await openPromptRoom(h.db, 'best_practice', 'What works for you?');
    // The warm-up answers go to a room of another series: the measured room, its attendees and
    // their first answers stay new to every process.
    const warmRoom = warmupS > 0 ? await openPromptRoom(h.db, 'best_practice', 'Warming up') : null;

    cluster = await startCluster({
      n: processes,
      databaseUrl,
      maxconn: 4000,
      startWaitMs: 180_000,
      env: {
        // Every request comes through the balancer from 127.0.0.1: the per-address limit would
        // count the whole crowd as one address. The per-participant limit still holds.
        LIVE_ADDRESS_LIMIT: '100000000',
        LIVE_PARTICIPANT_BURST: '1000',
      },
    });
    const c = cluster;
    const presenter = watchPresenter(c.port, room.code);
    crowds = startCrowds({
      // Answers go through HAProxy; each attendee's event stream connects to one process directly,
      // spread over the three: 10,000 streams through HAProxy need more than this machine's
      // 20,000 open files (two per proxied connection), and a stream is a read, not what is measured.
      ports: [c.port],
      streamPorts: c.backends,
      code: room.code,
      promptId,
      participants,
      rate,
      durationS,
      clients,
      warmup: warmRoom
        ? { code: warmRoom.room.code, promptId: warmRoom.promptId, durationS: warmupS }
        : undefined,
    });
    const heldStreams = await crowds.ready;
    await sleep(1500);
    let warmup: { seconds: number; sent: number; acknowledged: number; ackMs: object } | null = null;
    if (warmRoom) {
      crowds.go();
      const w = await crowds.warmed;
      warmup = {
        seconds: warmupS,
        sent: w.sent,
        acknowledged: w.ackMs.length,
        ackMs: { p50: percentile(w.ackMs, 50), p99: percentile(w.ackMs, 99) },
      };
      await sleep(1000);
    }
    const loaderCpu0 = processCpuS() + crowds.pids().reduce((n, p) => n + cpuSecondsOf(p), 0);
    const crowdPids = crowds.pids();
    const cpu0 = cpuReading();
    crowds.go();
    const t0 = now();
    const machineWhenSending = machineNow();
    // Sampled while sending, before the crowds end (their CPU is gone with them once killed).
    let crowdCpuS = 0;
    // Colloquy's cores in each 5 s of sending, beside the acknowledgement times of that window.
    const colloquyCores: number[] = [];
    let lastCpu = cpu0;
    const windowTimer = setInterval(() => {
      const r = cpuReading();
      colloquyCores.push(cpuBetween(lastCpu, r, 5).coresUsedByProgram.colloquy ?? 0);
      lastCpu = r;
    }, 5000);
    const cpuTimer = setInterval(() => {
      crowdCpuS = Math.max(
        crowdCpuS,
        crowdPids.reduce((n, p) => n + cpuSecondsOf(p), 0),
      );
    }, 500);
    const { acked, ackMs, timed, sent, duplicates, errors } = await crowds.finished;
    const cpuWhileSending = cpuBetween(cpu0, cpuReading(), (now() - t0) / 1000);
    clearInterval(cpuTimer);
    clearInterval(windowTimer);
    crowdCpuS = Math.max(
      crowdCpuS,
      crowdPids.reduce((n, p) => n + cpuSecondsOf(p), 0),
    );
    const elapsed = (now() - t0) / 1000;
    const loaderCpuS = processCpuS() + crowdCpuS - loaderCpu0;
    for (let i = 0; i < 50 && [...acked.keys()].some((id) => !presenter.arrivals.has(id)); i++)
      await sleep(100);
    presenter.close();

    const delivery: number[] = [];
    let notShown = 0;
    for (const [id, sentAt] of acked) {
      const a = presenter.arrivals.get(id);
      if (!a) notShown++;
      else delivery.push(a.at - sentAt);
    }
    delivery.sort((a, b) => a - b);
    const rows = await h.db
      .selectFrom('live_response')
      .select(['id', 'client_key'])
      .where('room_id', '=', room.id)
      .execute();
    const storedIds = new Set(rows.map((r) => r.id));
    const ackedStored = [...acked.keys()].filter((id) => storedIds.has(id)).length;
    const storedTwice = rows.length - new Set(rows.map((r) => r.client_key)).size;
    await h.close();

    const out = {
      mode: `${processes} processes behind HAProxy (round robin), PostgreSQL + Redis`,
      // Before the measured answers, the processes answered another room at the same rate for this
      // long (compiled code and connections warm, as on a server that has been running); the
      // measured room, its attendees and their first answers were new to them. --warmup 0: cold.
      warmup,
      participants,
      heldAttendeeStreams: heldStreams,
      durationS: Math.round(elapsed * 10) / 10,
      targetRate: rate,
      answers: {
        sent,
        acknowledged: acked.size,
        acknowledgedPerS: Math.round(acked.size / elapsed),
        duplicatesAcknowledged: duplicates,
        stored: rows.length,
        acknowledgedAndStored: ackedStored,
        storedTwice,
        storedNotAcknowledged: rows.length - ackedStored,
      },
      ackMs: {
        p50: percentile(ackMs, 50),
        p95: percentile(ackMs, 95),
        p99: percentile(ackMs, 99),
        max: ackMs.length ? Math.round(ackMs[ackMs.length - 1]) : null,
      },
      // The same acknowledgements by when they were sent, in 5-second windows: a backlog at the
      // start (cold processes) reads differently from one that keeps growing.
      ackMsBySecondsSent: timeline(timed, t0, 5).map((w, i) => ({
        ...w,
        colloquyCores: colloquyCores[i] ?? null,
      })),
      presenterDeliveryMs: {
        p50: percentile(delivery, 50),
        p95: percentile(delivery, 95),
        p99: percentile(delivery, 99),
        max: delivery.length ? Math.round(delivery[delivery.length - 1]) : null,
        notShown,
        shownTwice: [...presenter.arrivals.values()].filter((a) => a.n > 1).length,
      },
      errorsByStatus: errors,
      // Where the two cores went while sending: the three processes, PostgreSQL, Redis, HAProxy and
      // the loaders all share them; a busy share near 1 means the machine, not one part, is the limit.
      cpuWhileSending: {
        ...cpuWhileSending,
        colloquyCpuMsPerAnswer:
          Math.round(
            (((cpuWhileSending.coresUsedByProgram.colloquy ?? 0) * elapsed * 1000) /
              Math.max(1, acked.size)) *
              100,
          ) / 100,
      },
      loaderCpuS: Math.round(loaderCpuS * 10) / 10,
      loaderCpuShareOfOneCore: Math.round((loaderCpuS / elapsed) * 100) / 100,
      // Measured, not described: a 1-minute load above the core count means other work shared the
      // machine, and the latencies include waiting for a CPU.
      machine: { ...machine(), whenSending: machineWhenSending },
    };
    console.log(JSON.stringify(out));
  } finally {
    crowds?.kill();
    await cluster?.stop();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
  process.exit(0);
}
/** p50/p99 of the acknowledgement time per window of `stepS` seconds of sending. */
function timeline(timed: [number, number][], t0: number, stepS: number) {
  const windows = new Map<number, number[]>();
  for (const [at, ms] of timed) {
    const w = Math.max(0, Math.floor((at - t0) / 1000 / stepS));
    const list = windows.get(w);
    if (list) list.push(ms);
    else windows.set(w, [ms]);
  }
  return [...windows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([w, list]) => {
      list.sort((a, b) => a - b);
      return { from: w * stepS, answers: list.length, p50: percentile(list, 50), p99: percentile(list, 99) };
    });
}
void main();
