// Soak benchmark: one Colloquy process (SQLite) used like a series that runs for months, compressed:
// 500 live rooms opened, used and closed (20 series of 25 sessions), 2,000 distinct attendees
// (4 per room, each holding an event stream and answering 3 times), and after each series its
// analysis (pull live answers into the workbench, code them, review queue, compare). Measures the
// server's RSS after warm-up (the first series) and at the end. Prints ONE JSON object.
//   npm run bench:soak                    (about 20 minutes)
//   SOAK_MINUTES=3 npm run bench:soak     (shortened; the work is the same, paced faster)
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import * as svc from '../src/modules/live/live.service.ts';
import { makeSeries, makeSession, PASSWORD } from '../test/support/factories.ts';
import { freePort, postJson, startColloquy } from '../test/support/live-proc.ts';
import { machineDuring } from './machine.ts';

const machine = machineDuring();

const MINUTES = Number(process.env.SOAK_MINUTES ?? 20);
const SERIES = 20;
const ROOMS_PER_SERIES = 25;
const PER_ROOM = 4; // 500 rooms × 4 = 2,000 distinct attendees
const ANSWERS_EACH = 3;
const CONCURRENT_ROOMS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const rssOf = (pid: number) => {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};
const mb = (b: number) => Math.round(b / 1048576);

// Words attendees use; each answer is distinct (its room, attendee and number), so nothing is cached.
const WORDS = [
  'mentoring by a senior colleague',
  'leadership training for new managers',
  'funding for courses and travel',
  'clearer communication with the board',
  'time set aside for learning',
  'networking at regional meetings',
  'coaching calls every month',
  'recognition of volunteer work',
];

function request(
  agent: http.Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.setTimeout(120_000, () => req.destroy());
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

/** An attendee's event stream, held until the room closes. */
function openStream(port: number, code: string, key: string): Promise<http.ClientRequest> {
  return new Promise((resolve) => {
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/api/rooms/${code}/events?channel=attendee`,
        agent: false,
        headers: { 'x-participant-key': key },
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('error', () => undefined);
        resolve(req);
      },
    );
    req.on('error', () => resolve(req));
  });
}

/** A server log line (pino JSON) cut to its message, error code and first frames in our own code. */
function logSummary(line: string): object {
  try {
    const o = JSON.parse(line) as {
      msg?: string;
      reqId?: string;
      err?: { type?: string; code?: string; message?: string; stack?: string };
    };
    const frames = (o.err?.stack ?? '')
      .split('\n')
      .filter((f) => f.trim().startsWith('at ') && !f.includes('node_modules') && !f.includes('node:'))
      .slice(0, 4)
      .map((f) => f.trim());
    return {
      msg: o.msg,
      reqId: o.reqId,
      ...(o.err ? { err: { type: o.err.type, code: o.err.code, message: o.err.message, frames } } : {}),
    };
  } catch {
    return { line: line.slice(0, 600) };
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'colloquy-soak-'));
  const h = openDatabase({ sqliteFile: join(dataDir, 'colloquy.sqlite') });
  await migrateToLatest(h.db);

  // The plan: 20 series of 25 sessions, each with a room and an open prompt (written before the
  // server starts, as coordinators would have prepared them).
  const plan: { seriesId: string; rooms: { id: string; code: string; promptId: string }[] }[] = [];
  let adminEmail = '';
  for (let s = 0; s < SERIES; s++) {
    const series = await makeSeries(h.db, { status: 'published' });
    adminEmail ||= series.admin.email;
    const rooms = [];
    for (let r = 0; r < ROOMS_PER_SERIES; r++) {
      const session = await makeSession(h.db, series, { daysAhead: -1 });
      const room = await svc.roomOfSession(h.db, series.admin, session);
      const promptId = await svc.createPrompt(h.db, series.admin, room, {
        type: 'open_text',
        kind: 'need',
        text: { en: 'What do you need to grow as a leader?' },
      });
      await svc.promptAction(h.db, series.admin, room, promptId, 'open');
      rooms.push({ id: room.id, code: room.code, promptId });
    }
    plan.push({ seriesId: series.id, rooms });
  }
  // Every series' admin may be another account: one administrator of all is enough to drive it.
  await h.db.updateTable('account').set({ is_admin: 1 }).where('email', '=', adminEmail).execute();
  await h.close();

  const port = await freePort();
  // The server's first error and warning log lines, shortened to what finds a cause (message, code,
  // the first stack frames in Colloquy's own code); printed when any request was not a 2xx.
  const serverErrors: object[] = [];
  const serverWarnings: object[] = [];
  const server: ChildProcess = await startColloquy({
    port,
    dataDir,
    onLog: (text) => {
      for (const line of text.split('\n')) {
        const level = /"level":(\d+)/.exec(line)?.[1];
        const into = level === '50' || level === '60' ? serverErrors : level === '40' ? serverWarnings : null;
        if (into && into.length < 3) into.push(logSummary(line));
      }
    },
    env: {
      LIVE_ADDRESS_LIMIT: '100000000',
      LIVE_PARTICIPANT_BURST: '1000',
      // Rooms closed a while ago are unloaded within the run, as they would be over months.
      LIVE_ROOM_IDLE_MS: process.env.LIVE_ROOM_IDLE_MS ?? '30000',
    },
  });
  const pid = server.pid!;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });

  // One sign-in (the sign-in limit is per address): its cookie and CSRF token drive the staff side.
  const { cookie, csrf } = await new Promise<{ cookie: string; csrf: string }>((resolve, reject) => {
    const data = JSON.stringify({ email: adminEmail, password: PASSWORD });
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/auth/login',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let t = '';
        res.on('data', (c: Buffer) => (t += c.toString()));
        res.on('end', () => {
          const c = (res.headers['set-cookie'] ?? []).find((x) => x.startsWith('colloquy_session='));
          if (res.statusCode !== 200 || !c)
            return reject(new Error(`sign-in failed: ${res.statusCode} ${t}`));
          resolve({
            cookie: c.split(';')[0],
            csrf: String((JSON.parse(t) as { csrfToken: string }).csrfToken),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
  const staff = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };

  const totalRooms = SERIES * ROOMS_PER_SERIES;
  const roomEveryMs = (MINUTES * 60_000) / totalRooms;
  const t0 = performance.now();
  const statuses = new Map<string, number>();
  const count = (what: string, s: number) =>
    statuses.set(`${what} ${s}`, (statuses.get(`${what} ${s}`) ?? 0) + 1);
  let answers = 0;
  let roomIndex = 0;
  let warm = { rss: 0, atS: 0 };
  const analysisMs: number[] = [];
  const errors: string[] = [];
  const rssSamples: number[] = [];

  const useRoom = async (room: { id: string; code: string; promptId: string }, index: number) => {
    const keys = Array.from(
      { length: PER_ROOM },
      (_, a) => `soak-attendee-${index * PER_ROOM + a}-0123456789`,
    );
    const streams = await Promise.all(keys.map((k) => openStream(port, room.code, k)));
    for (let n = 0; n < ANSWERS_EACH; n++)
      await Promise.all(
        keys.map(async (k, a) => {
          const res = await postJson(
            agent,
            port,
            `/api/rooms/${room.code}/responses`,
            {
              promptId: room.promptId,
              clientKey: `r${index}-a${a}-n${n}`,
              text: `We need ${WORDS[(index + a + n) % WORDS.length]} (room ${index}, person ${a}, ${n}).`,
            },
            { 'x-participant-key': k },
          );
          count('answer', res?.status ?? 0);
          if (res?.status !== 201 && errors.length < 3)
            errors.push(`answer ${res?.status ?? 0}: ${JSON.stringify(res?.body ?? null).slice(0, 300)}`);
          if (res?.status === 201) answers++;
        }),
      );
    // The facilitator closes the prompt; the attendees leave.
    const closed = await postJson(
      agent,
      port,
      `/api/live/rooms/${room.id}/prompts/${room.promptId}/actions`,
      { action: 'close' },
      staff,
    );
    count('close', closed?.status ?? 0);
    if (closed?.status !== 200 && errors.length < 3)
      errors.push(`close ${closed?.status ?? 0}: ${JSON.stringify(closed?.body ?? null).slice(0, 300)}`);
    for (const s of streams) s.destroy();
  };

  for (let s = 0; s < SERIES; s++) {
    const rooms = plan[s].rooms;
    for (let r = 0; r < rooms.length; r += CONCURRENT_ROOMS) {
      const batch = rooms.slice(r, r + CONCURRENT_ROOMS);
      await Promise.all(batch.map((room, k) => useRoom(room, roomIndex + k)));
      roomIndex += batch.length;
      // Paced to spread the 500 rooms over the run.
      const due = roomIndex * roomEveryMs - (performance.now() - t0);
      if (due > 0) await sleep(due);
    }
    // The series is analysed: its answers pulled into the workbench and coded, then reviewed and compared.
    const a0 = performance.now();
    const base = `/api/series/${plan[s].seriesId}/workbench`;
    count('refresh', await request(agent, port, 'POST', `${base}/refresh`, staff));
    count('review', await request(agent, port, 'GET', `${base}/review`, staff));
    count('compare', await request(agent, port, 'GET', `${base}/compare`, staff));
    analysisMs.push(Math.round(performance.now() - a0));
    rssSamples.push(rssOf(pid));
    if (s === 0) warm = { rss: rssOf(pid), atS: Math.round((performance.now() - t0) / 1000) };
  }
  // Idle rooms unload after LIVE_ROOM_IDLE_MS: wait for it, as the months after the last session do.
  await sleep(Number(process.env.LIVE_ROOM_IDLE_MS ?? 30_000) + 5_000);
  const endRss = rssOf(pid);
  const elapsedS = Math.round((performance.now() - t0) / 1000);
  agent.destroy();
  server.kill('SIGTERM');

  // Any status that is not a 2xx (0: the connection failed) brings the server's log lines along.
  let nonOk = 0;
  for (const [key, n] of statuses) if (!/ 2\d\d$/.test(key)) nonOk += n;
  if (nonOk && !serverErrors.length && !serverWarnings.length)
    errors.push('no error or warning line in the server log (LOG_LEVEL=warn)');
  console.log(
    JSON.stringify({
      bench: 'soak',
      note: 'one process on SQLite; the load average says whether other work shared the machine',
      machine: machine(),
      minutesTarget: MINUTES,
      elapsedS,
      series: SERIES,
      rooms: roomIndex,
      attendees: roomIndex * PER_ROOM,
      answersAcknowledged: answers,
      statuses: Object.fromEntries(statuses),
      ...(nonOk
        ? {
            nonOk,
            firstErrors: errors,
            serverErrors,
            serverWarnings,
          }
        : {}),
      analysisMs: {
        first: analysisMs[0],
        median: [...analysisMs].sort((x, y) => x - y)[Math.floor(analysisMs.length / 2)],
        max: Math.max(...analysisMs),
      },
      rssMB: {
        afterWarmUp: mb(warm.rss),
        warmUpAtS: warm.atS,
        perSeries: rssSamples.map(mb),
        end: mb(endRss),
      },
      endOverWarmUp: Math.round((endRss / warm.rss) * 100) / 100,
      withinTwentyPercent: endRss <= warm.rss * 1.2,
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
