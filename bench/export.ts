// npm run bench:export — time and memory of the durable export job on a series of 50,000 distinct
// responses (SQLite by default, PostgreSQL when DATABASE_URL is set), every format. The series is
// built and coded here (bench/workbench-series.ts); each export then runs in a process of its own,
// through the real job path (requestExport, then the job runner builds the file and stores it), so
// its peak resident memory is its own. A process that opens the same database and reads the series
// without exporting is measured in the same run as the baseline. Prints one JSON object.
// BENCH_ITEMS shortens a run while developing; BENCH_FORMATS picks formats (csv,xlsx,…).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/index.ts';
import { runJobsNow } from '../src/modules/notify/index.ts';
import { findSeries } from '../src/modules/series/index.ts';
import { loadEngine } from '../src/modules/workbench/engine.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../src/modules/workbench/export.ts';
import { requestExport } from '../src/modules/workbench/export.job.ts';
import { sqliteFile } from '../src/server/config.ts';
import { wireModules } from '../src/server/wiring.ts';
import { machineDuring } from './machine.ts';
import { benchSeries } from './workbench-series.ts';

const N = Number(process.env.BENCH_ITEMS ?? 50_000);
const FORMATS = (process.env.BENCH_FORMATS?.split(',') ?? [...EXPORT_FORMATS]) as ExportFormat[];
const mb = (kb: number) => Math.round(kb / 1024);

/** In a child process: open the database, then export one format (or, for the baseline, only read the series). */
async function child(
  target: { databaseUrl?: string; sqliteFile?: string },
  seriesId: string,
  format: string,
) {
  wireModules();
  const h = openDatabase(target);
  const series = await findSeries(h.db, seriesId);
  if (!series) throw new Error('no series');
  const rssBefore = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  let row: { status: string; size: number | null; units: number | null; error: string | null } | null = null;
  if (format !== 'none') {
    const { id, jobKey } = await requestExport(h.db, seriesId, {
      format: format as ExportFormat,
      filters: {},
      lang: 'en',
      requestedBy: null,
    });
    await runJobsNow(h.db, { uniqueKeys: [jobKey] }, (e) => console.error(e));
    row = await h.db
      .selectFrom('wb_export')
      .select(['status', 'size', 'units', 'error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }
  const ms = performance.now() - t0;
  await h.close();
  process.stdout.write(
    JSON.stringify({
      ms: Math.round(ms),
      peakRssMb: mb(process.resourceUsage().maxRSS),
      rssBeforeMb: mb(rssBefore),
      row,
    }),
  );
}

async function main() {
  const machine = machineDuring();
  const s = await benchSeries(N, 'export');
  // The coding job, as after an import: exports carry the engine's codes.
  const t1 = performance.now();
  await loadEngine(s.db, s.seriesId);
  const codingMs = performance.now() - t1;
  await s.srv.close();
  const target = s.config.databaseUrl
    ? { databaseUrl: s.config.databaseUrl }
    : { sqliteFile: sqliteFile(s.config) };
  const run = (format: string) => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        'child',
        JSON.stringify(target),
        s.seriesId,
        format,
      ],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    if (r.status !== 0) throw new Error(`export child (${format}) failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as {
      ms: number;
      peakRssMb: number;
      row: { status: string; size: number | null; units: number | null; error: string | null } | null;
    };
  };
  const baseline = run('none');
  const formats = FORMATS.map((format) => {
    const r = run(format);
    return {
      format,
      status: r.row?.status,
      units: r.row?.units,
      bytes: r.row?.size,
      ms: r.ms,
      peakRssMb: r.peakRssMb,
      peakRssAboveBaselineMb: r.peakRssMb - baseline.peakRssMb,
      error: r.row?.error ?? undefined,
    };
  });
  console.log(
    JSON.stringify({
      benchmark: 'workbench export job',
      database: s.config.databaseUrl ? 'postgres' : 'sqlite',
      responses: N,
      distinctTexts: new Set(s.items.map((i) => i.text)).size,
      machine: machine(),
      codingJobMs: Math.round(codingMs),
      baseline: {
        what: 'a process that opens the database and reads the series',
        peakRssMb: baseline.peakRssMb,
      },
      formats,
    }),
  );
}

if (process.argv[2] === 'child')
  await child(
    JSON.parse(process.argv[3]) as { databaseUrl?: string; sqliteFile?: string },
    process.argv[4],
    process.argv[5],
  );
else await main();
process.exit(0);
