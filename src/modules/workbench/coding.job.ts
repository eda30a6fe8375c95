// Coding a series (loading or training its engine and coding every unit) runs on notify's durable
// job table: one job per series at a time across processes (a unique key and a lease), a heartbeat
// while it works, retry with backoff, and another process takes it over when its worker dies.
// wb_job holds what people see: queued, running (done of total), retrying, done or failed.
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { envLimit } from '../../lib/lru.ts';
import { enqueueJob, registerJobHandler, runJobsNow, type ClaimedJob } from '../notify/index.ts';
import { cachedEngine, loadEngine, type SeriesEngine } from './engine.ts';

export const CODING_JOB = 'workbench.code';
const keyOf = (seriesId: string) => `${CODING_JOB}:${seriesId}`;
const ACTIVE = ['queued', 'running', 'retrying'];

interface Payload {
  seriesId: string;
  wbJobId: string;
}

/** Thrown inside a build whose worker lost its lease: it stops and leaves the job to its successor. */
class LeaseLost extends Error {
  constructor() {
    super('another worker took this coding job over');
  }
}

async function setJob(
  db: Db,
  id: string,
  fields: { status?: string; done?: number; total?: number; error?: string | null },
): Promise<void> {
  await db
    .updateTable('wb_job')
    .set({ ...fields, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

async function runCoding(db: Kysely<Database>, job: ClaimedJob, log?: (e: unknown) => void): Promise<void> {
  const { seriesId, wbJobId } = job.payload as Payload;
  await setJob(db, wbJobId, { status: 'running', error: null });
  let beat = 0;
  try {
    await loadEngine(
      db,
      seriesId,
      async (done, total) => {
        // The heartbeat runs at most once a second; a worker that lost its lease stops here.
        if (Date.now() - beat >= 1000 || done === total) {
          beat = Date.now();
          if (!(await job.heartbeat())) throw new LeaseLost();
        }
        await setJob(db, wbJobId, { done, total });
      },
      log,
    );
    if (!(await job.heartbeat())) throw new LeaseLost();
    await setJob(db, wbJobId, { status: 'done', error: null });
  } catch (e) {
    if (!(e instanceof LeaseLost))
      await setJob(db, wbJobId, { status: 'retrying', error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

/** Registers the coding job's handler in this process (idempotent). */
export function registerCodingJob(): void {
  registerJobHandler(
    CODING_JOB,
    (ctx, job) => runCoding(ctx.db, job, (e) => ctx.log?.warn({ err: e }, 'coding')),
    {
      leaseMs: envLimit('WB_JOB_LEASE_MS', 60_000),
      backoffMs: envLimit('WB_JOB_BACKOFF_MS', 30_000),
      onGiveUp: async (ctx, job) => {
        const { wbJobId } = job.payload as Payload;
        await setJob(ctx.db, wbJobId, { status: 'failed', error: job.error });
      },
    },
  );
}
registerCodingJob();

/** The wb_job of the series' active coding, if one is queued, running or retrying. */
async function activeJob(db: Db, seriesId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('wb_job')
    .select('id')
    .where('series_id', '=', seriesId)
    .where('status', 'in', ACTIVE)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Schedules coding the series; returns its wb_job id. While one is queued or running (in any
 * process) the same job is returned instead of a second one.
 */
export async function scheduleCoding(db: Kysely<Database>, seriesId: string): Promise<string> {
  const id = newId();
  const t = new Date().toISOString();
  // The progress row comes first, so the worker that claims the job always finds it.
  await db
    .insertInto('wb_job')
    .values({
      id,
      series_id: seriesId,
      kind: 'code',
      status: 'queued',
      done: 0,
      total: 0,
      error: null,
      created_at: t,
      updated_at: t,
    })
    .execute();
  const payload: Payload = { seriesId, wbJobId: id };
  if (await enqueueJob(db, { kind: CODING_JOB, uniqueKey: keyOf(seriesId), payload, runAt: t, again: true }))
    return id;
  await db.deleteFrom('wb_job').where('id', '=', id).execute();
  return (await activeJob(db, seriesId)) ?? id;
}

/** Starts coding the series in the background (this process, or whichever claims it first); returns the wb_job id. */
export async function startCodingJob(
  db: Kysely<Database>,
  seriesId: string,
  log?: (e: unknown) => void,
): Promise<string> {
  const id = await scheduleCoding(db, seriesId);
  // Started now rather than at the scheduler's next poll; a job another process holds is left to it.
  runJobsNow(db, { uniqueKeys: [keyOf(seriesId)] }, log).catch((e: unknown) => log?.(e));
  return id;
}

/**
 * Codes the series within this call when no other process is at it (small series, exports);
 * returns the engine, or the wb_job id of the coding that another process runs.
 */
export async function codeNow(
  db: Kysely<Database>,
  seriesId: string,
  codebookVersion: number,
  log?: (e: unknown) => void,
): Promise<{ engine?: SeriesEngine; jobId?: string }> {
  const jobId = await scheduleCoding(db, seriesId);
  await runJobsNow(db, { uniqueKeys: [keyOf(seriesId)] }, log);
  const engine = cachedEngine(seriesId, codebookVersion);
  return engine ? { engine } : { jobId };
}
