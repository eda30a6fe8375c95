import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from './live-proc.ts';

/** A Redis of the test's own (Debian's redis-server) on its own port, without persistence. */
export interface OwnRedis {
  port: number;
  url: string;
  /** Stops it (SIGKILL: the fault a crash or a network cut looks like). */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
}

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Starts redis-server on a free port and waits until it accepts connections. */
export async function startRedis(): Promise<OwnRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await reachable(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not start on port ${port}`);
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
    child = null;
  };
  await start();
  return { port, url: `redis://127.0.0.1:${port}`, stop, start };
}
