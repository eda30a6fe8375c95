import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { DIALECT, secondConnection, testDb } from '../../../test/support/db.ts';
import { jobContextFor } from '../../../test/support/jobs.ts';
import { grant, makeAccount, makeSeries } from '../../../test/support/factories.ts';
import { MAX_JOB_ATTEMPTS, runDueJobs } from '../notify/index.ts';
import { CODING_JOB, scheduleCoding } from './coding.job.ts';
import { cachedEngine, dropEngine, labelsOf, loadEngine } from './engine.ts';
import { importSource } from './sources.import.ts';
import { jobBanner } from './workbench.pages.ts';
import { learnFromDecision, openWorkbench, recordDecision } from './workbench.service.ts';

let h: DbHandle;
let h2: DbHandle;
beforeAll(async () => {
  h = await testDb();
  h2 = secondConnection(h);
});
afterAll(async () => {
  await h2?.close();
  await h?.close();
});

const ctx = jobContextFor;
const LEASE_MS = 60_000;
const later = (ms: number) => () => new Date(Date.now() + ms);

const TOPICS = [
  'a mentor who met me every month',
  'leadership training for new managers',
  'funding for courses abroad',
  'better communication with the board',
];

async function seriesWithUnits(n = 40) {
  const s = await makeSeries(h.db);
  await openWorkbench(h.db, s.id);
  const rows = Array.from(
    { length: n },
    (_, i) => `u${i},europe,need,"We asked for ${TOPICS[i % TOPICS.length]} (note ${i})."`,
  );
  await importSource(h.db, s.id, {
    kind: 'csv',
    name: 'units.csv',
    data: Buffer.from(`id,region,prompt_kind,text\n${rows.join('\n')}\n`),
  });
  return s;
}

const jobRow = (seriesId: string) =>
  h.db
    .selectFrom('job')
    .selectAll()
    .where('unique_key', '=', `${CODING_JOB}:${seriesId}`)
    .executeTakeFirstOrThrow();
const wbJob = (id: string) =>
  h.db.selectFrom('wb_job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const only = (seriesId: string) => ({ uniqueKeys: [`${CODING_JOB}:${seriesId}`] });

describe(`coding a series on the durable job table (${DIALECT})`, () => {
  it('codes a series once when two runners on two connections race for it', async () => {
    const s = await seriesWithUnits();
    const first = await scheduleCoding(h.db, s.id);
    // Asking again while it is queued gives the same job, not a second one.
    expect(await scheduleCoding(h2.db, s.id)).toBe(first);
    const runs = await Promise.all([
      runDueJobs(ctx(h.db), undefined, only(s.id)),
      runDueJobs(ctx(h2.db), undefined, only(s.id)),
    ]);
    expect(runs[0] + runs[1]).toBe(1);
    const j = await wbJob(first);
    expect([j.status, j.done, j.total]).toEqual(['done', 40, 40]);
    expect(await h.db.selectFrom('wb_job').select('id').where('series_id', '=', s.id).execute()).toHaveLength(
      1,
    );
    // Once done, the next coding of the series is a new job.
    const again = await scheduleCoding(h.db, s.id);
    expect(again).not.toBe(first);
    expect((await wbJob(again)).status).toBe('queued');
  });

  it('lets another process finish the job of a worker that died holding the lease', async () => {
    const s = await seriesWithUnits();
    const id = await scheduleCoding(h.db, s.id);
    // A worker claims the job, reports some progress and dies: its lease is never renewed.
    const leaseEnd = new Date(Date.now() + LEASE_MS).toISOString();
    await h.db
      .updateTable('job')
      .set({ locked_until: leaseEnd, attempts: 1 })
      .where('unique_key', '=', `${CODING_JOB}:${s.id}`)
      .execute();
    await h.db
      .updateTable('wb_job')
      .set({ status: 'running', done: 10, total: 40 })
      .where('id', '=', id)
      .execute();
    // While the lease holds, no one else takes the job.
    expect(await runDueJobs(ctx(h2.db), undefined, only(s.id))).toBe(0);
    expect((await wbJob(id)).status).toBe('running');
    // After it ran out, another process takes it over and finishes it.
    expect(await runDueJobs(ctx(h2.db), later(LEASE_MS + 5_000), only(s.id))).toBe(1);
    const j = await wbJob(id);
    expect([j.status, j.done, j.total]).toEqual(['done', 40, 40]);
    const row = await jobRow(s.id);
    expect(row.done_at).not.toBeNull();
    expect(row.attempts).toBe(2);
    const uncoded = await h.db
      .selectFrom('wb_item')
      .select('id')
      .where('series_id', '=', s.id)
      .where('engine_confidence', 'is', null)
      .execute();
    expect(uncoded).toEqual([]);
  });

  it('retries a failed coding with backoff, shows it on the page, and gives up as failed, never running forever', async () => {
    const s = await seriesWithUnits(8);
    const id = await scheduleCoding(h.db, s.id);
    // The series' codebook state is unreadable: every attempt fails.
    await h.db.updateTable('wb_theme').set({ terms: '{not json' }).where('series_id', '=', s.id).execute();
    const t0 = Date.now();
    expect(await runDueJobs(ctx(h.db), undefined, only(s.id))).toBe(1);
    let j = await wbJob(id);
    expect(j.status).toBe('retrying');
    expect(j.error).toBeTruthy();
    const row = await jobRow(s.id);
    expect(row.attempts).toBe(1);
    // The retry waits (backoff): not due now, due half a minute later.
    expect(new Date(row.run_at).getTime()).toBeGreaterThanOrEqual(t0 + 30_000);
    expect(await runDueJobs(ctx(h.db), undefined, only(s.id))).toBe(0);
    const app = { ctx: { db: h.db } } as unknown as FastifyInstance;
    const shown = await jobBanner(app, s.id);
    expect(String(shown.banner)).toContain('tried again');
    expect(shown.head).toBeDefined(); // the page refreshes itself while the job is not over
    // Each retry waits longer; after the last attempt the job is given up and shown as failed.
    for (let attempt = 2; attempt <= MAX_JOB_ATTEMPTS; attempt++)
      await runDueJobs(ctx(h.db), later(attempt * 3_600_000), only(s.id));
    await runDueJobs(ctx(h.db), later(24 * 3_600_000), only(s.id));
    j = await wbJob(id);
    expect(j.status).toBe('failed');
    expect((await jobRow(s.id)).done_at).not.toBeNull();
    expect(String((await jobBanner(app, s.id)).banner)).toContain('Coding failed');
  });

  it('marks the job failed when its worker died on the last attempt', async () => {
    const s = await seriesWithUnits(8);
    const id = await scheduleCoding(h.db, s.id);
    await h.db
      .updateTable('job')
      .set({ locked_until: new Date(Date.now() + LEASE_MS).toISOString(), attempts: MAX_JOB_ATTEMPTS })
      .where('unique_key', '=', `${CODING_JOB}:${s.id}`)
      .execute();
    await h.db.updateTable('wb_job').set({ status: 'running' }).where('id', '=', id).execute();
    await runDueJobs(ctx(h.db), later(LEASE_MS + 5_000), only(s.id));
    const j = await wbJob(id);
    expect(j.status).toBe('failed');
    expect(j.error).toContain('stopped');
  });
});

describe(`the trained engine is saved and reloaded (${DIALECT})`, () => {
  it('gives the same codes after eviction and reload, without retraining', async () => {
    const s = await seriesWithUnits();
    const actor = await grant(h.db, await makeAccount(h.db), s.id, 'coordinator');
    const e = await loadEngine(h.db, s.id);
    expect(e.restored).toBe(false);
    // People teach it: the saved state follows each decision.
    for (const [i, themeKey] of [
      [0, 'mentoring'],
      [1, 'leadership_training'],
    ] as const) {
      const example = await recordDecision(h.db, actor, s.id, e.ids[i], {
        themeKey,
        decision: 'accept',
      });
      await learnFromDecision(h.db, s.id, example);
    }
    const before = cachedEngine(s.id, e.codebookVersion)!;
    const codes = before.coded.map(labelsOf);
    dropEngine(s.id);
    expect(cachedEngine(s.id, e.codebookVersion)).toBeUndefined();
    const reloaded = await loadEngine(h.db, s.id);
    expect(reloaded.restored).toBe(true);
    expect(reloaded.decisions).toBe(2);
    expect(reloaded.coded.map(labelsOf)).toEqual(codes);
    // A decision the saved state has not seen (made elsewhere) makes it retrain instead.
    await recordDecision(h.db, actor, s.id, e.ids[2], { themeKey: 'funding', decision: 'accept' });
    dropEngine(s.id);
    expect((await loadEngine(h.db, s.id)).restored).toBe(false);
  });

  it('keeps at most WB_ENGINE_CACHE engines in memory and reloads an evicted one from the database', async () => {
    const series = [await seriesWithUnits(12), await seriesWithUnits(12), await seriesWithUnits(12)];
    const versions = [];
    for (const s of series) versions.push((await loadEngine(h.db, s.id)).codebookVersion);
    // The default limit is two: the first series' engine was evicted.
    expect(cachedEngine(series[0].id, versions[0])).toBeUndefined();
    expect(cachedEngine(series[2].id, versions[2])).toBeDefined();
    expect((await loadEngine(h.db, series[0].id)).restored).toBe(true);
  });
});
