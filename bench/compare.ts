// npm run bench:compare — latency of the workbench's compare page on a series of 50,000 distinct responses
// (SQLite by default, PostgreSQL when DATABASE_URL is set), compared by the engine's own `compare`.
// Texts are generated here from our own fragments, every one different (checked), spread over six
// regions, three prompt kinds, sessions, career stages and dates. Prints one JSON object.
// BENCH_ITEMS and BENCH_REPEAT shorten a run while developing.
import { dropEngine, learn, loadEngine } from '../src/modules/workbench/engine.ts';
import { clearCompareCache } from '../src/modules/workbench/compare.service.ts';
import { loadCube } from '../src/modules/workbench/compare.cube.ts';
import { compare } from '../src/modules/analysis/index.ts';
import { machineDuring } from './machine.ts';
import { benchSeries } from './workbench-series.ts';

const machine = machineDuring();

const N = Number(process.env.BENCH_ITEMS ?? 50_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 30);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10;
};
const stats = (xs: number[]) => ({
  n: xs.length,
  p50: pct(xs, 50),
  p99: pct(xs, 99),
  max: Math.round(Math.max(...xs) * 10) / 10,
});

async function main(): Promise<void> {
  const { srv, config, db, email, password, seriesId, items, insertMs } = await benchSeries(N, 'compare');

  // The background coding job: prepare and code every response, store the engine's labels.
  const t1 = performance.now();
  const engine = await loadEngine(db, seriesId);
  const codingMs = performance.now() - t1;
  // One human decision: incremental learning and re-coding of the whole series.
  const recode: number[] = [];
  for (let i = 0; i < 5; i++) {
    await learn(db, engine, { text: items[i].text, labels: ['mentoring'] });
    recode.push(engine.lastRecodeMs);
  }

  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = srv.app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const get = async (path: string): Promise<number> => {
    const s = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    const body = await res.text();
    if (res.status !== 200 || !body.includes('Compare regions'))
      throw new Error(`compare page answered ${res.status}`);
    return performance.now() - s;
  };
  const page = `/console/series/${seriesId}/workbench/compare`;
  dropEngine(seriesId); // as after a restart: the page must not need the engine in memory
  const cold: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    clearCompareCache();
    cold.push(await get(page));
  }
  const warm: number[] = [];
  for (let i = 0; i < REPEAT; i++) warm.push(await get(page));
  // A new filter set: rows cached, the comparison itself computed afresh.
  const filtered: number[] = [];
  const stages = ['new', 'mid', 'senior'];
  for (let i = 0; i < REPEAT; i++)
    filtered.push(
      await get(
        `${page}?careerStage=${stages[i % 3]}&asOf=2022-${String(3 + (i % 4)).padStart(2, '0')}-${String(1 + i).padStart(2, '0')}`,
      ),
    );
  // Where a cold answer's time goes: loading the aggregated units (SQL) and the engine's compare on them.
  const loadParts: number[] = [];
  const compareParts: number[] = [];
  let cubeRows = 0;
  for (let i = 0; i < 5; i++) {
    clearCompareCache();
    const a = performance.now();
    const cube = await loadCube(db, seriesId);
    const b = performance.now();
    compare(cube.rows, { themeIds: cube.codebook.themes.map((t) => t.id) });
    compareParts.push(performance.now() - b);
    loadParts.push(b - a);
    cubeRows = cube.rows.length;
  }
  await srv.close();
  const mem = process.memoryUsage();
  console.log(
    JSON.stringify({
      benchmark: 'workbench compare page',
      database: config.databaseUrl ? 'postgres' : 'sqlite',
      responses: N,
      distinctTexts: new Set(items.map((i) => i.text)).size,
      comparedBy: 'analysis compare (one pass, weighted rows from the SQL aggregate)',
      machine: machine(),
      insertMs: Math.round(insertMs),
      codingJobMs: Math.round(codingMs),
      recodeAfterOneDecisionMs: stats(recode),
      coldParts: { aggregatedRows: cubeRows, loadMs: stats(loadParts), compareMs: stats(compareParts) },
      comparePageMs: { cold: stats(cold), warm: stats(warm), newFilters: stats(filtered) },
      budgetMs: 500,
      withinBudget: pct(cold, 99) <= 500 && pct(warm, 99) <= 500 && pct(filtered, 99) <= 500,
      rssMb: Math.round(mem.rss / 1e6),
      heapUsedMb: Math.round(mem.heapUsed / 1e6),
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
