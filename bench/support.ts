// What bench/live.ts and bench/cluster.ts share: the presenter stream that times each answer, the
// CPU time of a process, and percentiles.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Holds a presenter stream; `arrivals` maps each shown answer id to when it arrived and how often. */
export function watchPresenter(port: number, code: string) {
  const arrivals = new Map<string, { n: number; at: number }>();
  const req = http.get(
    { host: '127.0.0.1', port, path: `/api/rooms/${code}/events?channel=screen`, agent: false },
    (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (!frame.includes('event: answers.new')) continue;
          const at = now();
          const data = /^data: (.*)$/m.exec(frame)![1];
          for (const a of (JSON.parse(data) as { answers: { id: string }[] }).answers) {
            const seen = arrivals.get(a.id);
            if (seen) seen.n++;
            else arrivals.set(a.id, { n: 1, at });
          }
        }
      });
    },
  );
  req.on('error', () => undefined);
  return { arrivals, close: () => req.destroy() };
}

/** User + system CPU seconds a process has used so far (Linux /proc; 0 once it is gone). */
export const cpuSecondsOf = (pid: number) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (100 Hz)
  } catch {
    return 0;
  }
};

/** The p-th percentile (nearest rank) of sorted values, rounded to a millisecond; null when empty. */
export const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))])
    : null;

interface CrowdDone {
  sent: number;
  duplicates: number;
  errors: Record<string, number>;
  connected: number;
}

/**
 * Forks `clients` simulated crowds (bench/live-client.ts) sharing `participants` attendees and
 * `rate` answers/s. `ready` resolves with the attendee streams held; `go()` starts the answers;
 * `finished` resolves when every crowd has sent for `durationS` and heard back from each request.
 */
export function startCrowds(job: {
  ports: number[];
  streamPorts?: number[];
  code: string;
  promptId: string;
  participants: number;
  rate: number;
  durationS: number;
  clients: number;
  /** Answers to another room first (see bench/live-client.ts); `warmed` resolves after them. */
  warmup?: { code: string; promptId: string; durationS: number };
}) {
  const acked = new Map<string, number>(); // answer id → when it was sent
  const ackMs: number[] = [];
  /** [when sent, ms to the acknowledgement] per answer, in arrival order (for a timeline). */
  const timed: [number, number][] = [];
  const done: CrowdDone[] = [];
  let connected = 0;
  const workers = Array.from({ length: job.clients }, (_, c) => {
    const share = Math.floor(job.participants / job.clients) + (c < job.participants % job.clients ? 1 : 0);
    return fork('bench/live-client.ts', [], {
      execArgv: ['--import', 'tsx'],
      env: {
        ...process.env,
        BENCH_JOB: JSON.stringify({
          port: job.ports[0],
          ports: job.ports,
          streamPorts: job.streamPorts,
          code: job.code,
          promptId: job.promptId,
          participants: share,
          offset: c * 1_000_000,
          rate: job.rate / job.clients,
          durationS: job.durationS,
          warmup: job.warmup,
        }),
      },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
  });
  type Message = {
    t: string;
    connected?: number;
    acks?: [string, number, number][];
    ackMs?: number[];
  } & Partial<CrowdDone>;
  const warmMs: number[] = [];
  let warmSent = 0;
  const warmed = Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) =>
          w.on('message', (m: Message) => {
            if (m.t !== 'warmed') return;
            warmMs.push(...m.ackMs!);
            warmSent += m.sent ?? 0;
            resolve();
          }),
        ),
    ),
  ).then(() => ({ sent: warmSent, ackMs: warmMs.sort((a, b) => a - b) }));
  const ready = Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) =>
          w.on('message', (m: Message) => m.t === 'ready' && ((connected += m.connected ?? 0), resolve())),
        ),
    ),
  ).then(() => connected);
  const finished = Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) =>
          w.on('message', (m: Message) => {
            if (m.t === 'acks')
              for (const [id, t0, ms] of m.acks!) {
                acked.set(id, t0);
                ackMs.push(ms);
                timed.push([t0, ms]);
              }
            if (m.t === 'done') {
              done.push(m as CrowdDone);
              resolve();
            }
          }),
        ),
    ),
  ).then(() => {
    const errors: Record<string, number> = {};
    for (const d of done) for (const [k, v] of Object.entries(d.errors)) errors[k] = (errors[k] ?? 0) + v;
    return {
      acked,
      ackMs: ackMs.sort((a, b) => a - b),
      timed,
      sent: done.reduce((n, d) => n + d.sent, 0),
      duplicates: done.reduce((n, d) => n + d.duplicates, 0),
      errors,
    };
  });
  return {
    ready,
    /** Starts the warm-up when there is one (then, once `warmed`, the answers), else the answers. */
    go: () => workers.forEach((w) => w.send('go')),
    warmed,
    finished,
    pids: () => workers.map((w) => w.pid!),
    kill: () => workers.forEach((w) => w.kill('SIGKILL')),
  };
}

/** Waits until a Colloquy process answers /healthz (up to 30 s), or throws. */
export async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/healthz' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`Colloquy on ${port} did not start`);
}
