// Durable ingest, side by side in ONE run: (A) a minimal server doing the same durable work —
// node:http, JSON parsing, a new participant and its answer inserted with prepared better-sqlite3
// statements inside one transaction per 2 ms batch, WAL, synchronous=FULL, reply after COMMIT — and
// (B) one Colloquy process on SQLite. Each in its own child process; one loader process (keep-alive
// agent, a fixed number of requests in flight) sends answers to an open-text prompt in an open room,
// every answer from a NEW participant: no cookie, no participant key, exactly what a phone sends with
// its first answer (web/src/attendee.ts; the server creates the participant with that answer, there
// is no join request). Rounds alternate A, B, A, B… so drift in the machine's load hits both.
// After each round, every acknowledged answer must be stored exactly once. Prints ONE JSON object.
//   npm run bench:ingest -- [--rounds 5] [--seconds 8] [--concurrency 64]
//   BENCH_SERVER_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the Colloquy process.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { waitHealthy } from './support.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'main' },
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS ?? '5' },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '8' },
    concurrency: { type: 'string', default: process.env.BENCH_CONCURRENCY ?? '64' },
  },
});
const PRAGMAS = ['journal_mode', 'synchronous', 'foreign_keys'];

// ---------------------------------------------------------------------------------------------
// (A) The minimal server: everything Colloquy must do durably for a first answer, nothing else.
// It writes into a database migrated with Colloquy's own migrations (same tables, indexes, keys).
// ---------------------------------------------------------------------------------------------
function minimalServer() {
  const env = JSON.parse(process.env.BENCH_MINIMAL!) as {
    file: string;
    roomId: string;
    sessionId: string;
    promptId: string;
  };
  const db = new SQLite(env.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const insertParticipant = db.prepare(
    'INSERT INTO live_participant (id, room_id, key_hash, registration_id, attributes, language, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?)',
  );
  const insertAnswer = db.prepare(
    "INSERT INTO live_response (id, prompt_id, room_id, session_id, participant_id, client_key, vote_key, text, choices, value, language, status, pinned, answered, upvotes, created_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL, NULL, ?, 'visible', 0, 0, 0, ?)",
  );
  interface Item {
    body: { promptId: string; clientKey: string; text: string };
    res: http.ServerResponse;
  }
  let batch: Item[] = [];
  let timer: NodeJS.Timeout | null = null;
  const write = db.transaction((items: Item[]) =>
    items.map((it) => {
      const participantId = randomUUID();
      const at = new Date().toISOString();
      const keyHash = createHash('sha256').update(randomBytes(18)).digest('hex');
      insertParticipant.run(participantId, env.roomId, keyHash, '{}', 'en', at);
      const id = randomUUID();
      insertAnswer.run(
        id,
        it.body.promptId,
        env.roomId,
        env.sessionId,
        participantId,
        it.body.clientKey,
        it.body.text,
        'en',
        at,
      );
      return id;
    }),
  );
  const flush = () => {
    timer = null;
    const items = batch;
    batch = [];
    let ids: string[];
    try {
      ids = write.immediate(items);
    } catch (e) {
      process.stderr.write(`minimal: ${String(e)}\n`);
      for (const it of items) it.res.writeHead(500).end(String(e));
      return;
    }
    items.forEach((it, i) => {
      const out = JSON.stringify({ id: ids[i], duplicate: false });
      it.res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      it.res.end(out);
    });
  };
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      let body: Item['body'];
      try {
        body = JSON.parse(text) as Item['body'];
      } catch {
        res.writeHead(400).end();
        return;
      }
      if (
        body.promptId !== env.promptId ||
        typeof body.text !== 'string' ||
        typeof body.clientKey !== 'string'
      ) {
        res.writeHead(422).end();
        return;
      }
      batch.push({ body, res });
      timer ??= setTimeout(flush, 2);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    const pragmas = Object.fromEntries(PRAGMAS.map((p) => [p, db.pragma(p, { simple: true })]));
    pragmas.synchronous = ['off', 'normal', 'full', 'extra'][Number(pragmas.synchronous)];
    pragmas.foreign_keys = pragmas.foreign_keys ? 'on' : 'off';
    process.send!({ t: 'ready', port: (server.address() as { port: number }).port, pragmas });
  });
}

// ---------------------------------------------------------------------------------------------
// The loader: a fixed number of requests in flight over keep-alive sockets for a given time.
// ---------------------------------------------------------------------------------------------
interface Round {
  port: number;
  path: string;
  promptId: string;
  prefix: string;
  ms: number;
  concurrency: number;
}
function loader() {
  process.on('message', (job: Round) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
    const ids: string[] = [];
    const latencies: number[] = [];
    const errors: Record<string, number> = {};
    let seq = 0;
    let open = 0;
    const start = performance.now();
    const end = start + job.ms;
    let finish: () => void;
    const finished = new Promise<void>((r) => (finish = r));
    const one = () => {
      if (performance.now() >= end) {
        if (--open === 0) finish();
        return;
      }
      const clientKey = `${job.prefix}-${seq++}`;
      const body = JSON.stringify({
        promptId: job.promptId,
        clientKey,
        text: `Pair each newcomer with a mentor for the first month (${clientKey})`,
      });
      const t0 = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port: job.port,
          path: job.path,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'accept-language': 'en-GB,en;q=0.9',
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            if (res.statusCode === 201) {
              ids.push((JSON.parse(text) as { id: string }).id);
              latencies.push(performance.now() - t0);
            } else errors[String(res.statusCode)] = (errors[String(res.statusCode)] ?? 0) + 1;
            one();
          });
        },
      );
      req.on('error', (e) => {
        errors[e.message] = (errors[e.message] ?? 0) + 1;
        setTimeout(one, 10);
      });
      req.end(body);
    };
    for (let i = 0; i < job.concurrency; i++) {
      open++;
      one();
    }
    void finished.then(() => {
      const elapsedMs = performance.now() - start;
      agent.destroy();
      process.send!({ ids, latencies, errors, elapsedMs, sent: seq });
    });
  });
  process.send!({ t: 'ready' });
}

// ---------------------------------------------------------------------------------------------
// The orchestrator.
// ---------------------------------------------------------------------------------------------
const cpuMsOf = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, clock ticks of 10 ms
};
const pct = (sorted: number[], p: number) =>
  sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] * 10) / 10
    : null;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Migrates a fresh SQLite file and opens a room with one open-text prompt (Colloquy's own services). */
async function seed(file: string) {
  const { openDatabase } = await import('../src/db/index.ts');
  const { migrateToLatest } = await import('../src/db/migrate.ts');
  const f = await import('../test/support/factories.ts');
  const h = openDatabase({ sqliteFile: file });
  await migrateToLatest(h.db);
  const { room, promptId } = await f.openPromptRoom(h.db, 'best_practice', 'What helps newcomers most?');
  await h.close();
  return { roomId: room.id, code: room.code, sessionId: room.session_id, promptId };
}

/** Every acknowledged id stored once, and nothing stored for the round that was not acknowledged. */
function verify(file: string, prefix: string, ids: string[]) {
  const db = new SQLite(file, { readonly: true });
  const rows = db
    .prepare('SELECT id, client_key FROM live_response WHERE client_key LIKE ?')
    .all(`${prefix}-%`) as { id: string; client_key: string }[];
  const participants = (
    db
      .prepare(
        'SELECT count(*) AS n FROM live_participant WHERE id IN (SELECT participant_id FROM live_response WHERE client_key LIKE ?)',
      )
      .get(`${prefix}-%`) as { n: number }
  ).n;
  db.close();
  const stored = new Set(rows.map((r) => r.id));
  const keys = new Set(rows.map((r) => r.client_key));
  const missing = ids.filter((id) => !stored.has(id)).length;
  return {
    acknowledged: ids.length,
    stored: rows.length,
    missing,
    duplicated: rows.length - keys.size + Math.max(0, rows.length - ids.length),
    newParticipants: participants,
  };
}

/** The pragmas Colloquy's answer writer sets on its connection (read from its source, as it runs). */
async function colloquyDurability() {
  const { WORKER_SOURCE } = await import('../src/modules/live/live.writer.worker.ts');
  const out: Record<string, string> = { connection: 'answer writer (worker thread)' };
  for (const m of WORKER_SOURCE.matchAll(/db\.pragma\('(\w+) = (\w+)'\)/g)) out[m[1]] = m[2].toLowerCase();
  return out;
}

async function main() {
  const rounds = Number(values.rounds);
  const ms = Number(values.seconds) * 1000;
  const concurrency = Number(values.concurrency);
  const dir = mkdtempSync(join(tmpdir(), 'colloquy-ingest-'));
  const minimalFile = join(dir, 'minimal.sqlite');
  const colloquyDir = join(dir, 'colloquy');
  const colloquyFile = join(colloquyDir, 'colloquy.sqlite');
  const a = await seed(minimalFile);
  const b = await seed(colloquyFile);

  const minimal = fork(process.argv[1], ['--role', 'minimal'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_MINIMAL: JSON.stringify({ file: minimalFile, ...a }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const minimalReady = await new Promise<{ port: number; pragmas: Record<string, unknown> }>((resolve) =>
    minimal.once('message', resolve),
  );
  const { freePort } = await import('../test/support/live-proc.ts');
  const colloquyPort = await freePort();
  // ulimit is per shell: exec node so the server keeps this pid (for its CPU time).
  const colloquy: ChildProcess = spawn(
    'bash',
    [
      '-c',
      `exec node ${process.env.BENCH_SERVER_NODE_FLAGS ?? ''} bin/colloquy.mjs serve --port ${colloquyPort} --host 127.0.0.1 --data ${colloquyDir} --no-demo`,
    ],
    {
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        // The loader is one address standing for thousands of phones; the per-address limit still
        // runs on every request, with room for the whole run (the per-participant bucket is as shipped).
        LIVE_ADDRESS_LIMIT: '100000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitHealthy(colloquyPort);

  const load = fork(process.argv[1], ['--role', 'loader'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve) => load.once('message', resolve));
  const run = (job: Round) =>
    new Promise<{ ids: string[]; latencies: number[]; errors: Record<string, number>; elapsedMs: number }>(
      (resolve) => {
        load.once('message', resolve);
        load.send(job);
      },
    );
  const targets = {
    minimal: {
      port: minimalReady.port,
      path: '/answers',
      promptId: a.promptId,
      pid: minimal.pid!,
      file: minimalFile,
    },
    colloquy: {
      port: colloquyPort,
      path: `/api/rooms/${b.code}/responses`,
      promptId: b.promptId,
      pid: colloquy.pid!,
      file: colloquyFile,
    },
  };
  type Name = keyof typeof targets;
  const results: Record<
    Name,
    {
      rates: number[];
      latencies: number[];
      cpuMs: number;
      acked: number;
      errors: Record<string, number>;
      checks: ReturnType<typeof verify>[];
    }
  > = {
    minimal: { rates: [], latencies: [], cpuMs: 0, acked: 0, errors: {}, checks: [] },
    colloquy: { rates: [], latencies: [], cpuMs: 0, acked: 0, errors: {}, checks: [] },
  };
  const loadBefore = loadavg();
  // A short warm-up each (JIT, caches, first WAL growth), not counted.
  for (const name of ['minimal', 'colloquy'] as Name[]) {
    const t = targets[name];
    const r = await run({ ...t, prefix: `warm-${name}`, ms: 2000, concurrency });
    verify(t.file, `warm-${name}`, r.ids);
  }
  for (let round = 0; round < rounds; round++) {
    for (const name of ['minimal', 'colloquy'] as Name[]) {
      const t = targets[name];
      const prefix = `r${round}-${name}`;
      const cpu0 = cpuMsOf(t.pid);
      const r = await run({ ...t, prefix, ms, concurrency });
      const res = results[name];
      res.cpuMs += cpuMsOf(t.pid) - cpu0;
      res.rates.push(r.ids.length / (r.elapsedMs / 1000));
      res.acked += r.ids.length;
      for (const l of r.latencies) res.latencies.push(l);
      for (const [k, v] of Object.entries(r.errors)) res.errors[k] = (res.errors[k] ?? 0) + v;
      const check = verify(t.file, prefix, r.ids);
      res.checks.push(check);
      if (check.missing || check.duplicated || check.stored !== check.acknowledged)
        process.stderr.write(`round ${round} ${name}: ${JSON.stringify(check)}\n`);
    }
  }
  const loadAfter = loadavg();
  load.kill('SIGKILL');
  minimal.kill('SIGKILL');
  await new Promise(
    (resolve) => (colloquy.once('exit', resolve), colloquy.kill('SIGTERM'), setTimeout(resolve, 15_000)),
  );
  rmSync(dir, { recursive: true, force: true });

  const summary = (name: Name) => {
    const r = results[name];
    const lat = r.latencies.sort((x, y) => x - y);
    return {
      answersPerS: Math.round(median(r.rates)),
      roundsPerS: r.rates.map((x) => Math.round(x)),
      p50Ms: pct(lat, 50),
      p99Ms: pct(lat, 99),
      acknowledged: r.acked,
      errors: r.errors,
      storedOnce: r.checks.every((c) => !c.missing && !c.duplicated && c.stored === c.acknowledged),
      missing: r.checks.reduce((n, c) => n + c.missing, 0),
      duplicated: r.checks.reduce((n, c) => n + c.duplicated, 0),
      newParticipants: r.checks.reduce((n, c) => n + c.newParticipants, 0),
      serverCpuS: Math.round(r.cpuMs / 100) / 10,
      serverCpuMsPerAnswer: Math.round((r.cpuMs / Math.max(1, r.acked)) * 1000) / 1000,
    };
  };
  const A = summary('minimal');
  const B = summary('colloquy');
  console.log(
    JSON.stringify({
      unit: 'one answer from a new participant (no cookie, no key): participant row + answer row, acknowledged after COMMIT',
      rounds,
      secondsPerRound: ms / 1000,
      concurrency,
      order: 'warm-up A, B; then A, B alternating',
      ratio: Math.round((B.answersPerS / A.answersPerS) * 100) / 100,
      // CPU time per answer, minimal ÷ Colloquy: what the throughput ratio tends to when the CPU
      // is the limit (a quiet machine); less sensitive than throughput to other jobs' load.
      cpuRatio: Math.round((A.serverCpuMsPerAnswer / B.serverCpuMsPerAnswer) * 100) / 100,
      minimal: { ...A, durability: { connection: 'main thread', ...minimalReady.pragmas } },
      colloquy: { ...B, durability: await colloquyDurability() },
      loadavgBefore: loadBefore.map((x) => Math.round(x * 100) / 100),
      loadavgAfter: loadAfter.map((x) => Math.round(x * 100) / 100),
      cpus: (await import('node:os')).cpus().length,
    }),
  );
  process.exit(0);
}

if (values.role === 'minimal') minimalServer();
else if (values.role === 'loader') loader();
else void main();
