// One simulated crowd for bench/live.ts: holds attendee SSE connections and submits answers at a
// steady rate over keep-alive sockets, reporting each acknowledgement to the parent over IPC.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

interface Job {
  port: number;
  ports: number[];
  /** Where attendee streams connect, when not to `ports` (bench:cluster: the processes themselves). */
  streamPorts?: number[];
  code: string;
  promptId: string;
  participants: number;
  offset: number;
  rate: number;
  durationS: number;
  /**
   * Before the measured answers: answers to another room for this long at the same rate, from
   * other participants (bench:cluster warms the processes' compiled code and connections, not the
   * measured room, its attendees or their caches).
   */
  warmup?: { code: string; promptId: string; durationS: number };
}
const job = JSON.parse(process.env.BENCH_JOB!) as Job;
const now = () => performance.timeOrigin + performance.now();
const send = (m: object) => process.send!(m);

// Attendee streams: one raw socket each; the data is read and dropped (clients pay little).
let connected = 0;
let streamErrors = 0;
function openStream(i: number, attempt = 0) {
  const streamPorts = job.streamPorts ?? job.ports;
  const port = streamPorts[i % streamPorts.length];
  const req = http.get(
    {
      host: '127.0.0.1',
      port,
      path: `/api/rooms/${job.code}/events?channel=attendee`,
      agent: false,
      headers: { 'x-participant-key': key(i), cookie: COOKIE },
    },
    (res) => {
      connected++;
      res.on('data', () => undefined);
      res.on('error', () => undefined);
    },
  );
  // Like EventSource: a refused connection (full accept queue) is retried after a pause.
  req.on('error', () =>
    attempt < 5 ? setTimeout(() => openStream(i, attempt + 1), 500 * (attempt + 1)) : streamErrors++,
  );
}
// Real phones carry the cookie the attendee page set; without it every request would mint a token.
const COOKIE = `colloquy_csrf=bench${job.offset}csrf0123456789abcdef`;
const key = (i: number) => `bench-participant-${job.offset + i}-0123456789`;

async function openAll() {
  for (let i = 0; i < job.participants; i++) {
    openStream(i);
    if (i % 200 === 199) await new Promise((r) => setTimeout(r, 40));
  }
  while (connected + streamErrors < job.participants) await new Promise((r) => setTimeout(r, 50));
}

const agents = job.ports.map(
  () => new http.Agent({ keepAlive: true, maxSockets: Number(process.env.BENCH_SOCKETS ?? 400) }),
);
let acks: [string, number, number][] = [];
let duplicates = 0;
const errors: Record<string, number> = {};
let inFlight = 0;
let seq = 0;

let warm: { code: string; promptId: string; ackMs: number[] } | null = null;

function submit() {
  const i = seq % job.participants;
  const clientKey = `b${job.offset}-${seq++}`;
  const target = warm ?? job;
  const body = JSON.stringify({
    promptId: target.promptId,
    clientKey,
    text: `Mentoring and coaching ${clientKey}`,
  });
  const w = warm;
  const t0 = now();
  const p = seq % job.ports.length;
  inFlight++;
  const req = http.request(
    {
      host: '127.0.0.1',
      port: job.ports[p],
      path: `/api/rooms/${target.code}/responses`,
      method: 'POST',
      agent: agents[p],
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-participant-key': w ? `warm-${key(i)}` : key(i),
        cookie: COOKIE,
      },
    },
    (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        inFlight--;
        if (w) {
          if (res.statusCode === 201) w.ackMs.push(now() - t0);
          else errors[`warmup ${res.statusCode}`] = (errors[`warmup ${res.statusCode}`] ?? 0) + 1;
        } else if (res.statusCode === 201)
          acks.push([(JSON.parse(text) as { id: string }).id, t0, now() - t0]);
        else if (res.statusCode === 200) duplicates++;
        else errors[String(res.statusCode)] = (errors[String(res.statusCode)] ?? 0) + 1;
      });
    },
  );
  req.on('error', (e) => {
    inFlight--;
    errors[e.message] = (errors[e.message] ?? 0) + 1;
  });
  req.end(body);
}

/** Sends answers at the job's rate for `durationS` seconds, then waits for every reply. */
async function paced(durationS: number) {
  const start = now();
  let due = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = (now() - start) / 1000;
      if (elapsed >= durationS) {
        clearInterval(tick);
        resolve();
        return;
      }
      const target = Math.floor(elapsed * job.rate);
      while (due < target) {
        submit();
        due++;
      }
    }, 5);
  });
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
}

const go = () => new Promise<void>((resolve) => process.once('message', () => resolve()));

async function main() {
  await openAll();
  send({ t: 'ready', connected, streamErrors });
  await go();
  if (job.warmup) {
    warm = { code: job.warmup.code, promptId: job.warmup.promptId, ackMs: [] };
    await paced(job.warmup.durationS);
    send({ t: 'warmed', ackMs: warm.ackMs, sent: seq });
    warm = null;
    seq = 0;
    await go();
  }
  const flush = setInterval(() => {
    if (acks.length) send({ t: 'acks', acks });
    acks = [];
  }, 250);
  await paced(job.durationS);
  clearInterval(flush);
  send({ t: 'acks', acks });
  send({ t: 'done', sent: seq, duplicates, errors, connected });
  await new Promise((r) => setTimeout(r, 3000000));
}
void main();
