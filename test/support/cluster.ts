import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startColloquy } from './live-proc.ts';
import { startRedis, type OwnRedis } from './redis-proc.ts';

/** Several Colloquy processes on one PostgreSQL and a Redis of their own, behind Debian's HAProxy. */
export interface Cluster {
  /** The load balancer's port (round robin, no stickiness). */
  port: number;
  /** Each process's own port. */
  backends: number[];
  redis: OwnRedis;
  /** What the processes logged (warnings and errors), for a failing test to show. */
  logs: string[];
  stop(): Promise<void>;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts `n` processes and HAProxy in front of them; stop() ends all of them. */
export async function startCluster(opts: {
  n: number;
  databaseUrl: string;
  env?: Record<string, string>;
  /** HAProxy's connection limit (each held event stream is one); 4,000 unless given. */
  maxconn?: number;
  /** Passed to startColloquy: how long each process may take to start. */
  startWaitMs?: number;
}): Promise<Cluster> {
  const redis = await startRedis();
  const children: ChildProcess[] = [];
  const backends: number[] = [];
  const logs: string[] = [];
  let haproxy: ChildProcess | null = null;
  const stop = async () => {
    haproxy?.kill('SIGKILL');
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null
          ? Promise.resolve()
          : new Promise<void>((resolve) => c.once('exit', () => resolve())),
      ),
    );
    await redis.stop();
  };
  try {
    for (let i = 0; i < opts.n; i++) {
      const port = await freePort();
      backends.push(port);
      children.push(
        await startColloquy({
          port,
          dataDir: mkdtempSync(join(tmpdir(), `colloquy-node${i}-`)),
          env: {
            DATABASE_URL: opts.databaseUrl,
            REDIS_URL: redis.url,
            // Two proxies in front: HAProxy, and the test client playing an outer proxy that names
            // each attendee's address in X-Forwarded-For (HAProxy appends the test's own).
            TRUST_PROXY: '2',
            ...opts.env,
          },
          onLog: (t) => logs.push(`node${i}: ${t}`),
          startWaitMs: opts.startWaitMs,
        }),
      );
    }
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'colloquy-haproxy-'));
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(
      cfg,
      [
        'global',
        `  maxconn ${opts.maxconn ?? 4000}`,
        'defaults',
        '  mode http',
        `  maxconn ${opts.maxconn ?? 4000}`,
        '  timeout connect 5s',
        '  timeout client 120s',
        '  timeout server 120s',
        '  option forwardfor',
        // Event streams are many small writes that must not wait: without this HAProxy sends with
        // MSG_MORE and a frame can sit in the kernel up to 200 ms (presenter p50 190 ms instead of 75).
        '  option http-no-delay',
        'frontend colloquy',
        `  bind 127.0.0.1:${port}`,
        '  default_backend nodes',
        'backend nodes',
        '  balance roundrobin',
        ...backends.map((p, i) => `  server node${i} 127.0.0.1:${p}`),
        '',
      ].join('\n'),
    );
    haproxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
    let haproxyErr = '';
    haproxy.stderr!.on('data', (d: Buffer) => (haproxyErr += d.toString()));
    const deadline = Date.now() + 10_000;
    while (!(await listening(port))) {
      if (Date.now() > deadline || haproxy.exitCode !== null)
        throw new Error(`haproxy did not start: ${haproxyErr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { port, backends, redis, logs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** An SSE client that collects answer texts and remembers the last event id. */
export function watch(port: number, path: string, lastEventId?: string) {
  const seen: string[] = [];
  let last = '';
  let buf = '';
  const req = http.get(
    { host: '127.0.0.1', port, path, headers: lastEventId ? { 'last-event-id': lastEventId } : {} },
    (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const id = /^id: (.+)$/m.exec(frame)?.[1];
          if (id) last = id;
          if (/^event: answers\.new$/m.test(frame))
            for (const a of (JSON.parse(/^data: (.*)$/m.exec(frame)![1]) as { answers: { text: string }[] })
              .answers)
              seen.push(a.text);
        }
      });
    },
  );
  req.on('error', () => undefined);
  return {
    seen,
    lastId: () => last,
    close: () => req.destroy(),
  };
}
