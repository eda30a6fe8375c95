import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { DIALECT, secondConnection, testDb } from '../../../test/support/db.ts';
import { jobContextFor } from '../../../test/support/jobs.ts';
import { makeSeries } from '../../../test/support/factories.ts';
import { MAX_JOB_ATTEMPTS, runDueJobs } from '../notify/index.ts';
import { exportSeries } from './export.ts';
import {
  EXPORT_EXPIRY_JOB,
  exportFile,
  exportOf,
  exportTtlMs,
  recentExports,
  requestExport,
  type ExportRequest,
} from './export.job.ts';
import { eraseItems } from './privacy.ts';
import { findSeries } from '../series/index.ts';
import { importSource } from './sources.import.ts';
import { openWorkbench } from './workbench.service.ts';

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
const LEASE_MS = 120_000;
const later = (ms: number) => () => new Date(Date.now() + ms);
const only = (jobKey: string) => ({ uniqueKeys: [jobKey] });

async function seriesWithUnits(n = 30) {
  const s = await makeSeries(h.db);
  await openWorkbench(h.db, s.id);
  const rows = Array.from(
    { length: n },
    (_, i) =>
      `u${i},${i % 2 ? 'europe' : 'asia_oceania'},need,"We need mentoring and training (note ${i}).",${i % 3 ? 'new' : 'senior'}`,
  );
  await importSource(h.db, s.id, {
    kind: 'csv',
    name: 'units.csv',
    data: Buffer.from(`id,region,prompt_kind,text,career_stage\n${rows.join('\n')}\n`),
  });
  return s;
}
const csv = (over: Partial<ExportRequest> = {}): ExportRequest => ({
  format: 'csv',
  filters: {},
  lang: 'en',
  requestedBy: null,
  ...over,
});

describe(`workbench exports on the durable job table (${DIALECT})`, () => {
  it('builds the file in a job: same bytes as exportSeries, progress, size, expiry', async () => {
    const s = await seriesWithUnits();
    for (const format of ['csv', 'md'] as const) {
      const { id, reused, jobKey } = await requestExport(h.db, s.id, csv({ format, lang: 'fr' }));
      expect(reused).toBe(false);
      expect((await exportOf(h.db, s.id, id)).status).toBe('queued');
      await expect(exportFile(h.db, s.id, id)).rejects.toMatchObject({
        status: 409,
        code: 'export_not_ready',
      });
      expect(await runDueJobs(ctx(h.db), undefined, only(jobKey))).toBe(1);
      const e = await exportOf(h.db, s.id, id);
      expect([e.status, Number(e.units)]).toEqual(['done', 30]);
      const direct = await exportSeries(h.db, (await findSeries(h.db, s.id))!, format, {}, 'fr');
      const file = await exportFile(h.db, s.id, id);
      expect(file.body.equals(direct.body), format).toBe(true);
      expect([file.fileName, file.type]).toEqual([direct.fileName, direct.type]);
      expect(Number(e.size)).toBe(direct.body.length);
      const ttl = new Date(e.expires_at!).getTime() - new Date(e.finished_at!).getTime();
      expect(ttl).toBe(exportTtlMs());
    }
  });

  it('reuses an identical export while it is queued or running, and builds anew once it is done', async () => {
    const s = await seriesWithUnits(6);
    const first = await requestExport(h.db, s.id, csv({ filters: { careerStage: 'new' } }));
    const again = await requestExport(h2.db, s.id, csv({ filters: { careerStage: 'new' } }));
    expect(again).toMatchObject({ id: first.id, reused: true });
    // Other filters or another language are another file.
    const other = await requestExport(h.db, s.id, csv({ filters: { careerStage: 'senior' } }));
    const french = await requestExport(h.db, s.id, csv({ filters: { careerStage: 'new' }, lang: 'fr' }));
    expect(new Set([first.id, other.id, french.id]).size).toBe(3);
    // Two processes race for the job: one build.
    const runs = await Promise.all([
      runDueJobs(ctx(h.db), undefined, only(first.jobKey)),
      runDueJobs(ctx(h2.db), undefined, only(first.jobKey)),
    ]);
    expect(runs[0] + runs[1]).toBe(1);
    expect((await exportOf(h.db, s.id, first.id)).status).toBe('done');
    const next = await requestExport(h.db, s.id, csv({ filters: { careerStage: 'new' } }));
    expect(next.reused).toBe(false);
    expect(next.id).not.toBe(first.id);
    expect((await recentExports(h.db, s.id)).map((e) => e.id)).toContain(first.id);
  });

  it('lets another process finish the export of a worker that died holding the lease', async () => {
    const s = await seriesWithUnits();
    const { id, jobKey } = await requestExport(h.db, s.id, csv());
    // A worker claims the job, starts loading and dies: its lease is never renewed.
    await h.db
      .updateTable('job')
      .set({ locked_until: new Date(Date.now() + LEASE_MS).toISOString(), attempts: 1 })
      .where('unique_key', '=', jobKey)
      .execute();
    await h.db
      .updateTable('wb_export')
      .set({ status: 'running', phase: 'loading' })
      .where('id', '=', id)
      .execute();
    // While the lease holds, no one else takes it.
    expect(await runDueJobs(ctx(h2.db), undefined, only(jobKey))).toBe(0);
    expect((await exportOf(h.db, s.id, id)).status).toBe('running');
    // After it ran out, another process takes it over and finishes it.
    expect(await runDueJobs(ctx(h2.db), later(LEASE_MS + 5_000), only(jobKey))).toBe(1);
    expect((await exportOf(h.db, s.id, id)).status).toBe('done');
    const row = await h.db
      .selectFrom('job')
      .selectAll()
      .where('unique_key', '=', jobKey)
      .executeTakeFirstOrThrow();
    expect([row.attempts, row.done_at !== null]).toEqual([2, true]);
    expect((await exportFile(h.db, s.id, id)).body.toString('utf8')).toContain('note 29');
  });

  it('retries a failing build with backoff and ends as failed with a message', async () => {
    const s = await seriesWithUnits(4);
    const { id, jobKey } = await requestExport(h.db, s.id, csv());
    // The series' codebook is unreadable: every attempt fails.
    await h.db.updateTable('wb_theme').set({ terms: '{not json' }).where('series_id', '=', s.id).execute();
    expect(await runDueJobs(ctx(h.db), undefined, only(jobKey))).toBe(1);
    const e = await exportOf(h.db, s.id, id);
    expect(e.status).toBe('retrying');
    expect(e.error).toBeTruthy();
    expect(await runDueJobs(ctx(h.db), undefined, only(jobKey))).toBe(0);
    for (let attempt = 2; attempt <= MAX_JOB_ATTEMPTS + 1; attempt++)
      await runDueJobs(ctx(h.db), later(attempt * 3_600_000), only(jobKey));
    const failed = await exportOf(h.db, s.id, id);
    expect(failed.status).toBe('failed');
    expect(failed.expires_at).not.toBeNull();
    await expect(exportFile(h.db, s.id, id)).rejects.toMatchObject({ status: 409, code: 'export_failed' });
  });

  it('deletes expired files through the scheduler’s expiry job, and 404s them', async () => {
    const s = await seriesWithUnits(4);
    const { id, jobKey } = await requestExport(h.db, s.id, csv());
    await runDueJobs(ctx(h.db), undefined, only(jobKey));
    expect((await exportOf(h.db, s.id, id)).status).toBe('done');
    const expiry = { uniqueKeys: [`${EXPORT_EXPIRY_JOB}:${s.id}`] };
    // Not due before the file expires.
    expect(await runDueJobs(ctx(h.db), undefined, expiry)).toBe(0);
    expect(await runDueJobs(ctx(h.db), later(exportTtlMs() + 60_000), expiry)).toBe(1);
    expect(await h.db.selectFrom('wb_export').select('id').where('id', '=', id).execute()).toEqual([]);
    await expect(exportOf(h.db, s.id, id)).rejects.toMatchObject({ status: 404 });
  });

  it('deletes the stored files of a series when words in it are erased, and cancels its pending builds', async () => {
    const s = await seriesWithUnits(4);
    const done = await requestExport(h.db, s.id, csv());
    await runDueJobs(ctx(h.db), undefined, only(done.jobKey));
    const pending = await requestExport(h.db, s.id, csv({ format: 'md' }));
    const item = await h.db
      .selectFrom('wb_item')
      .select(['id', 'series_id'])
      .where('series_id', '=', s.id)
      .executeTakeFirstOrThrow();
    await eraseItems(h.db, [item]);
    expect(await h.db.selectFrom('wb_export').select('id').where('series_id', '=', s.id).execute()).toEqual(
      [],
    );
    const jobs = await h.db
      .selectFrom('job')
      .select('id')
      .where('unique_key', '=', pending.jobKey)
      .where('done_at', 'is', null)
      .execute();
    expect(jobs).toEqual([]);
    // Asking again builds a new file, without the erased unit.
    const fresh = await requestExport(h.db, s.id, csv({ format: 'md' }));
    expect(fresh.reused).toBe(false);
  });
});
