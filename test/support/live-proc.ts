import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Starts `colloquy serve` as a child process and waits until /healthz answers. */
export async function startColloquy(opts: {
  port: number;
  dataDir: string;
  env?: Record<string, string | undefined>;
  /** Receives the process's log lines (stdout); without it they are dropped. */
  onLog?: (text: string) => void;
  /** How long to wait for /healthz (30 s; a benchmark on a busy machine may need more). */
  startWaitMs?: number;
}): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      'bin/colloquy.mjs',
      'serve',
      '--port',
      String(opts.port),
      '--host',
      '127.0.0.1',
      '--data',
      opts.dataDir,
      '--no-demo',
    ],
    {
      env: { ...process.env, LOG_LEVEL: 'warn', ...opts.env },
      stdio: ['ignore', opts.onLog ? 'pipe' : 'ignore', 'pipe'],
    },
  );
  if (opts.onLog) child.stdout!.on('data', (d: Buffer) => opts.onLog!(d.toString()));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + (opts.startWaitMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`colloquy exited: ${err}`);
    try {
      const ok = await new Promise<boolean>((resolve) => {
        const req = http.get({ host: '127.0.0.1', port: opts.port, path: '/healthz' }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        });
        req.on('error', () => resolve(false));
      });
      if (ok) return child;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`colloquy did not start: ${err}`);
}

/** POSTs JSON; resolves with status and parsed body, or null when the connection failed. */
export function postJson(
  agent: http.Agent,
  port: number,
  path: string,
  body: object,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> } | null> {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(data),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: {} });
          }
        });
        res.on('error', () => resolve(null));
      },
    );
    req.on('error', () => resolve(null));
    // A request that gets no answer counts as failed (the caller may resend with the same key).
    req.setTimeout(15_000, () => req.destroy());
    req.end(data);
  });
}
