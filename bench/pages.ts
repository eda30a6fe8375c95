// npm run bench:pages — requests/s and p99 latency of the public series page, uncached (every
// request renders from the database: PAGE_CACHE_MS=0) and cached (the 5 s anonymous page cache),
// each on its own server process, and, when the publishing module provides it, of a post page
// with 200 comments, under autocannon, on SQLite. The uncached page is measured at 10, 20 and 50
// connections (BENCH_CONNECTIONS_SWEEP), one after another on the same server after one warm-up.
// BENCH_SECONDS shortens runs while developing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { machineDuring } from './machine.ts';

const machine = machineDuring();

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function startServer(port: number, env: Record<string, string> = {}): Promise<ChildProcess> {
  const data = mkdtempSync(join(tmpdir(), 'colloquy-bench-'));
  // The server runs in its own process so the load generator does not steal its event loop.
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/colloquy.mjs'), 'serve', '--port', String(port), '--data', data, '--host', '127.0.0.1'],
    {
      env: { ...process.env, LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => b.toString().includes('Colloquy is running') && resolve());
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return child;
}

export async function measure(url: string, title: string, connections = CONNECTIONS, warm = true) {
  if (warm) await autocannon({ url, connections: 10, duration: 2 });
  const r = await autocannon({ url, connections, duration: DURATION });
  return {
    page: title,
    url: new URL(url).pathname,
    requestsPerSecond: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    errors: r.errors + r.non2xx,
    connections,
    durationSeconds: DURATION,
  };
}

/**
 * Throughput and latency trade against each other with the number of connections kept busy (by
 * Little's law, 50 connections at 1,000 requests/s wait 50 ms on average), so the uncached page is
 * measured at several: each row says what it was measured at.
 */
const SWEEP = (process.env.BENCH_CONNECTIONS_SWEEP ?? '10,20,50').split(',').map(Number);

async function seriesPage(cacheMs: number, title: string, sweep = [CONNECTIONS]) {
  const port = 3900 + Math.floor(Math.random() * 90);
  const server = await startServer(port, { PAGE_CACHE_MS: String(cacheMs) });
  try {
    const rows = [];
    for (const [i, connections] of sweep.entries())
      rows.push({
        pageCacheMs: cacheMs,
        ...(await measure(
          `http://127.0.0.1:${port}/series/library-leaders-2022`,
          title,
          connections,
          i === 0,
        )),
      });
    return rows;
  } finally {
    server.kill('SIGTERM');
  }
}

async function main() {
  const results: unknown[] = [];
  const targets = { uncachedSeriesPage: { requestsPerSecond: 1000, latencyP99Ms: 50 } };
  for (const uncached of await seriesPage(0, 'public series page, uncached (demo, six sessions)', SWEEP))
    results.push({
      ...uncached,
      meetsTarget:
        uncached.requestsPerSecond >= targets.uncachedSeriesPage.requestsPerSecond &&
        uncached.latencyP99Ms <= targets.uncachedSeriesPage.latencyP99Ms,
    });
  results.push(...(await seriesPage(5000, 'public series page, cached 5 s for anonymous readers')));
  const postBench = join(ROOT, 'bench/post-page.ts');
  if (existsSync(postBench)) {
    const mod = (await import(postBench)) as { benchPostPage(): Promise<object> };
    results.push(await mod.benchPostPage());
  }
  console.log(
    JSON.stringify(
      {
        benchmark: 'pages',
        database: 'sqlite',
        // The load generator shares the machine with the server; the load average says when other work did too.
        machine: machine(),
        targets,
        results,
      },
      null,
      2,
    ),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
