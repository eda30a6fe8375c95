// Exports of a series built in the background on notify's durable job table, as coding is
// (coding.job.ts): a lease renewed by a heartbeat, retry with backoff, another process takes over a job
// whose worker died, and one build at a time for the same series, format, filters and language (a
// unique key that is free again once the job is done). wb_export holds the request, its progress and
// the file until it expires; the expiry is a job of the same scheduler, one per series.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { envLimit } from '../../lib/lru.ts';
import { cancelJobs, enqueueJob, registerJobHandler, runJobsNow, type ClaimedJob } from '../notify/index.ts';
import { findSeries } from '../series/index.ts';
import type { Filters } from './compare.service.ts';
import { exportSeries, type ExportFormat } from './export.ts';
import { countOfSeries } from './workbench.repository.ts';
import type { WbExportTable } from './workbench.tables.ts';

export const EXPORT_JOB = 'workbench.export';
export const EXPORT_EXPIRY_JOB = 'workbench.export.expire';
const ACTIVE = ['queued', 'running', 'retrying'];

/** How long a finished export file is kept (WB_EXPORT_TTL_HOURS, default 24). */
export const exportTtlMs = (): number => envLimit('WB_EXPORT_TTL_HOURS', 24) * 3_600_000;
/** Above this many units the synchronous export answers 409 `export_too_large` (WB_EXPORT_SYNC_MAX_UNITS). */
export const syncExportMaxUnits = (): number => envLimit('WB_EXPORT_SYNC_MAX_UNITS', 2000);

/**
 * The synchronous export builds inside the request: above WB_EXPORT_SYNC_MAX_UNITS units it refuses
 * with 409 `export_too_large`, telling the caller to ask for an export job instead.
 */
export async function assertSyncExportable(db: Db, seriesId: string): Promise<void> {
  const units = await countOfSeries(db, 'wb_item', seriesId);
  const max = syncExportMaxUnits();
  if (units > max)
    throw conflict(
      'export_too_large',
      `This series has ${units} responses, more than ${max} can be exported within one request. Ask for an export job (POST /api/series/${seriesId}/workbench/exports) and download the file when it is done.`,
      'format',
    );
}

/** What an export is asked with. */
export interface ExportRequest {
  format: ExportFormat;
  filters: Filters;
  lang: string;
  requestedBy: string | null;
}

/** An export as people and the API see it (without its file). */
export type ExportRow = Omit<WbExportTable, 'body'>;

interface Payload {
  seriesId: string;
  exportId: string;
}

/** Thrown inside a build whose worker lost its lease: it stops and leaves the job to its successor. */
class LeaseLost extends Error {
  constructor() {
    super('another worker took this export over');
  }
}

/** Format, filters (keys sorted, empty ones out) and language as one short key. */
export function requestKeyOf(format: string, filters: Filters, lang: string): string {
  const f = Object.fromEntries(
    Object.entries(filters)
      .filter(([, v]) => typeof v === 'string' && v !== '')
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return createHash('sha256')
    .update(JSON.stringify([format, f, lang]))
    .digest('hex')
    .slice(0, 32);
}
const jobKeyOf = (seriesId: string, requestKey: string) => `${EXPORT_JOB}:${seriesId}:${requestKey}`;
const expiryKeyOf = (seriesId: string) => `${EXPORT_EXPIRY_JOB}:${seriesId}`;

const COLUMNS = [
  'id',
  'series_id',
  'format',
  'filters',
  'lang',
  'request_key',
  'status',
  'phase',
  'units',
  'file_name',
  'content_type',
  'size',
  'requested_by',
  'error',
  'created_at',
  'finished_at',
  'expires_at',
] as const;

async function setExport(db: Db, id: string, fields: Partial<Omit<WbExportTable, 'id'>>): Promise<void> {
  await db.updateTable('wb_export').set(fields).where('id', '=', id).execute();
}

/** Schedules the deletion of the series' expired files (one pending expiry job per series). */
async function scheduleExpiry(db: Db, seriesId: string, at: string): Promise<void> {
  await enqueueJob(db, {
    kind: EXPORT_EXPIRY_JOB,
    uniqueKey: expiryKeyOf(seriesId),
    payload: { seriesId },
    runAt: at,
    again: true,
  });
}

async function runExport(db: Db, job: ClaimedJob): Promise<void> {
  const { exportId } = job.payload as Payload;
  const row = await db.selectFrom('wb_export').select(COLUMNS).where('id', '=', exportId).executeTakeFirst();
  // Gone (erased with a person's words, or expired) or finished: nothing left to build.
  if (!row || row.status === 'done' || row.status === 'failed') return;
  const series = await findSeries(db, row.series_id);
  if (!series) return;
  await setExport(db, exportId, { status: 'running', phase: 'loading', error: null });
  try {
    const out = await exportSeries(
      db,
      series,
      row.format as ExportFormat,
      JSON.parse(row.filters) as Filters,
      row.lang,
      async (units) => {
        // A worker that lost its lease stops here; the file is built by whoever holds it now.
        if (!(await job.heartbeat())) throw new LeaseLost();
        await setExport(db, exportId, { phase: 'building', units });
      },
    );
    if (!(await job.heartbeat())) throw new LeaseLost();
    const now = Date.now();
    const expiresAt = new Date(now + exportTtlMs()).toISOString();
    // An erasure that deleted the row meanwhile wins: the UPDATE then finds nothing to fill.
    await setExport(db, exportId, {
      status: 'done',
      phase: null,
      error: null,
      body: out.body,
      size: out.body.length,
      file_name: out.fileName,
      content_type: out.type,
      finished_at: new Date(now).toISOString(),
      expires_at: expiresAt,
    });
    await scheduleExpiry(db, series.id, expiresAt);
  } catch (e) {
    if (!(e instanceof LeaseLost))
      await setExport(db, exportId, {
        status: 'retrying',
        phase: null,
        error: e instanceof Error ? e.message : String(e),
      });
    throw e;
  }
}

/** Deletes expired export files (of one series, or all); returns how many. */
export async function purgeExpiredExports(db: Db, now: string, seriesId?: string): Promise<number> {
  let q = db.deleteFrom('wb_export').where('expires_at', '<=', now);
  if (seriesId) q = q.where('series_id', '=', seriesId);
  const res = await q.executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Registers the export and expiry jobs' handlers in this process (idempotent). */
export function registerExportJobs(): void {
  registerJobHandler(EXPORT_JOB, (ctx, job) => runExport(ctx.db, job), {
    leaseMs: envLimit('WB_EXPORT_LEASE_MS', 120_000),
    backoffMs: envLimit('WB_EXPORT_BACKOFF_MS', 30_000),
    onGiveUp: async (ctx, job) => {
      const { exportId, seriesId } = job.payload as Payload;
      const now = Date.now();
      const expiresAt = new Date(now + exportTtlMs()).toISOString();
      await setExport(ctx.db, exportId, {
        status: 'failed',
        phase: null,
        error: job.error,
        finished_at: new Date(now).toISOString(),
        expires_at: expiresAt,
      });
      await scheduleExpiry(ctx.db, seriesId, expiresAt);
    },
  });
  registerJobHandler(EXPORT_EXPIRY_JOB, async (ctx, job) => {
    const { seriesId } = job.payload as { seriesId: string };
    await purgeExpiredExports(ctx.db, job.now.toISOString(), seriesId);
    // Runs again when the next file of the series expires.
    const next = await ctx.db
      .selectFrom('wb_export')
      .select((eb) => eb.fn.min('expires_at').as('at'))
      .where('series_id', '=', seriesId)
      .executeTakeFirst();
    if (next?.at) return { rescheduleAt: new Date(next.at).toISOString() };
  });
}
registerExportJobs();

/**
 * Schedules an export; while an identical one (same series, format, filters and language) is queued
 * or running, that one is returned instead of a second build. Expired files are deleted on the way.
 */
export async function requestExport(
  db: Db,
  seriesId: string,
  r: ExportRequest,
): Promise<{ id: string; reused: boolean; jobKey: string }> {
  const t = new Date().toISOString();
  await purgeExpiredExports(db, t);
  const requestKey = requestKeyOf(r.format, r.filters, r.lang);
  const jobKey = jobKeyOf(seriesId, requestKey);
  // Twice at most: the identical build may finish between our insert and our look-up.
  for (let attempt = 0; attempt < 2; attempt++) {
    const id = newId();
    // The row comes first, so the worker that claims the job always finds it.
    await db
      .insertInto('wb_export')
      .values({
        id,
        series_id: seriesId,
        format: r.format,
        filters: JSON.stringify(r.filters),
        lang: r.lang,
        request_key: requestKey,
        status: 'queued',
        phase: null,
        units: null,
        file_name: null,
        content_type: null,
        size: null,
        body: null,
        requested_by: r.requestedBy,
        error: null,
        created_at: t,
        finished_at: null,
        expires_at: null,
      })
      .execute();
    const payload: Payload = { seriesId, exportId: id };
    if (await enqueueJob(db, { kind: EXPORT_JOB, uniqueKey: jobKey, payload, runAt: t, again: true }))
      return { id, reused: false, jobKey };
    await db.deleteFrom('wb_export').where('id', '=', id).execute();
    const active = await db
      .selectFrom('wb_export')
      .select('id')
      .where('series_id', '=', seriesId)
      .where('request_key', '=', requestKey)
      .where('status', 'in', ACTIVE)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (active) return { id: active.id, reused: true, jobKey };
  }
  throw conflict('export_busy', 'The same export is being finished right now; ask again in a moment.');
}

/** Schedules an export and starts it now in this process (unless another process holds it). */
export async function startExport(
  db: Db,
  seriesId: string,
  r: ExportRequest,
  log?: (e: unknown) => void,
): Promise<{ id: string; reused: boolean }> {
  const { id, reused, jobKey } = await requestExport(db, seriesId, r);
  // Started now rather than at the scheduler's next poll: off the request, which answers at once.
  runJobsNow(db, { uniqueKeys: [jobKey] }, log).catch((e: unknown) => log?.(e));
  return { id, reused };
}

/** An export of this series that has not expired (without its file); 404 otherwise. */
export async function exportOf(db: Db, seriesId: string, exportId: string): Promise<ExportRow> {
  const row = await db
    .selectFrom('wb_export')
    .select(COLUMNS)
    .where('id', '=', exportId)
    .where('series_id', '=', seriesId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date().toISOString())]))
    .executeTakeFirst();
  if (!row) throw notFound('This export', 'exportId');
  return row;
}

/** The file of a finished export; 409 while it is not ready (or failed), 404 when unknown or expired. */
export async function exportFile(
  db: Db,
  seriesId: string,
  exportId: string,
): Promise<{ body: Buffer; fileName: string; type: string }> {
  const row = await exportOf(db, seriesId, exportId);
  if (row.status === 'failed')
    throw new AppError(
      409,
      'export_failed',
      `This export could not be built: ${row.error ?? ''}`,
      'exportId',
    );
  if (row.status !== 'done')
    throw new AppError(
      409,
      'export_not_ready',
      'This export is still being built; ask for its status and download it when it is done.',
      'exportId',
    );
  const file = await db.selectFrom('wb_export').select('body').where('id', '=', exportId).executeTakeFirst();
  if (!file?.body) throw notFound('This export', 'exportId');
  return { body: Buffer.from(file.body), fileName: row.file_name ?? 'export', type: row.content_type ?? '' };
}

/** The series' exports that have not expired, newest first (without their files). */
export async function recentExports(db: Db, seriesId: string, limit = 20): Promise<ExportRow[]> {
  return db
    .selectFrom('wb_export')
    .select(COLUMNS)
    .where('series_id', '=', seriesId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date().toISOString())]))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Erasure: export files hold what people said, so the series' files go (and builds not finished yet
 * are cancelled); asking again builds them without the erased words.
 */
export async function eraseExportsOfSeries(db: Db, seriesIds: readonly string[]): Promise<void> {
  if (!seriesIds.length) return;
  await db
    .deleteFrom('wb_export')
    .where('series_id', 'in', [...seriesIds])
    .execute();
  for (const seriesId of seriesIds) await cancelJobs(db, `${EXPORT_JOB}:${seriesId}:`);
}
