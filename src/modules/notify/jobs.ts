/**
 * A small durable job queue on the `job` table: jobs survive restarts, a unique key keeps a job
 * from being scheduled twice, and a conditional UPDATE (portable to SQLite and PostgreSQL) lets
 * exactly one worker claim a due job, so no job runs twice.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import type { Mailer } from './mailer.ts';

/** What a job handler gets: the database, the mailer and the public base URL. */
export interface JobContext {
  db: Db;
  mailer: Mailer;
  config: { publicUrl: string; mailFrom: string };
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
}

export interface ClaimedJob {
  id: string;
  kind: string;
  uniqueKey: string | null;
  payload: unknown;
  attempts: number;
  /** The scheduler's clock when the job was claimed (tests move it). */
  now: Date;
}

/** A handler may ask to run again later (for example when a purge date moved). */
export type JobHandler = (ctx: JobContext, job: ClaimedJob) => Promise<void | { rescheduleAt: string }>;

const handlers = new Map<string, JobHandler>();
const LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;

/** Registers the handler of a job kind (once per process; later registrations replace it). */
export function registerJobHandler(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

/** Schedules a job; with a unique key, scheduling it again does nothing (returns false). */
export async function enqueueJob(
  db: Db,
  job: { kind: string; uniqueKey?: string; payload?: unknown; runAt: Date | string },
): Promise<boolean> {
  const res = await db
    .insertInto('job')
    .values({
      id: newId(),
      kind: job.kind,
      unique_key: job.uniqueKey ?? null,
      payload: JSON.stringify(job.payload ?? {}),
      run_at: new Date(job.runAt).toISOString(),
      locked_until: null,
      last_error: null,
      done_at: null,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('unique_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return !!res;
}

/** Moves a pending job to another time (a rescheduled session moves its reminders). */
export async function rescheduleJob(db: Db, uniqueKey: string, runAt: Date | string): Promise<void> {
  await db
    .updateTable('job')
    .set({ run_at: new Date(runAt).toISOString() })
    .where('unique_key', '=', uniqueKey)
    .where('done_at', 'is', null)
    .execute();
}

/** Drops pending jobs whose unique key starts with a prefix (a cancelled registration's reminders). */
export async function cancelJobs(db: Db, uniqueKeyPrefix: string): Promise<void> {
  await db
    .deleteFrom('job')
    .where('unique_key', 'like', `${uniqueKeyPrefix}%`)
    .where('done_at', 'is', null)
    .execute();
}

/**
 * Claims one due job: the UPDATE only succeeds while the job is still unclaimed (or its lease
 * ran out), so two workers racing for the same row cannot both win.
 */
async function claim(
  db: Db,
  now: Date,
  only: JobFilter | undefined,
  seen: Set<string>,
): Promise<(ClaimedJob & { lease: string }) | null> {
  const nowIso = now.toISOString();
  // A process only claims kinds it has a handler for (another version may run beside it).
  const kinds = [...handlers.keys()].filter((k) => !only?.kinds || only.kinds.includes(k));
  if (!kinds.length || only?.ids?.length === 0) return null;
  let q = db
    .selectFrom('job')
    .select(['id', 'kind', 'unique_key', 'payload', 'attempts'])
    .where('done_at', 'is', null)
    .where('run_at', '<=', nowIso)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
    .where('attempts', '<', MAX_ATTEMPTS)
    .where('kind', 'in', kinds);
  if (only?.ids) q = q.where('id', 'in', only.ids);
  // A job rescheduled during this run waits for the next tick.
  if (seen.size) q = q.where('id', 'not in', [...seen]);
  const candidates = await q.orderBy('run_at').limit(10).execute();
  for (const c of candidates) {
    const lease = new Date(now.getTime() + LEASE_MS + Math.floor(Math.random() * 1000)).toISOString();
    const res = await db
      .updateTable('job')
      .set((eb) => ({ locked_until: lease, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', c.id)
      .where('done_at', 'is', null)
      .where('attempts', '=', c.attempts)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 1) {
      return {
        id: c.id,
        kind: c.kind,
        uniqueKey: c.unique_key,
        payload: JSON.parse(c.payload) as unknown,
        attempts: c.attempts + 1,
        lease,
        now,
      };
    }
  }
  return null;
}

/** Narrows which jobs a run may take (tests sharing one database use it). */
export interface JobFilter {
  kinds?: string[];
  ids?: string[];
}

/** Runs every due job once; returns how many ran. Safe to call from several loops or processes. */
export async function runDueJobs(ctx: JobContext, now = () => new Date(), only?: JobFilter): Promise<number> {
  let ran = 0;
  const seen = new Set<string>();
  for (;;) {
    const job = await claim(ctx.db, now(), only, seen);
    if (!job) return ran;
    seen.add(job.id);
    const handler = handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const out = await handler(ctx, job);
      const q = ctx.db.updateTable('job').where('id', '=', job.id).where('locked_until', '=', job.lease);
      if (out && 'rescheduleAt' in out)
        await q.set({ run_at: out.rescheduleAt, locked_until: null, attempts: 0 }).execute();
      else await q.set({ done_at: new Date().toISOString(), locked_until: null, last_error: null }).execute();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      ctx.log?.warn({ job: job.kind, id: job.id, attempt: job.attempts }, 'job failed');
      // Back off: retry in a minute times the attempt number.
      await ctx.db
        .updateTable('job')
        .set({
          locked_until: null,
          last_error: message.slice(0, 500),
          run_at: new Date(now().getTime() + 60_000 * job.attempts).toISOString(),
        })
        .where('id', '=', job.id)
        .execute();
    }
    ran++;
  }
}

/** Starts the polling loop of this process; returns the function that stops it (and waits for it). */
export function startScheduler(
  ctx: JobContext,
  intervalMs = Number(process.env.JOB_POLL_MS ?? 2000),
): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    if (stopped) return;
    running = runDueJobs(ctx)
      .then(() => undefined)
      .catch((e: unknown) => ctx.log?.error({ err: e }, 'job scheduler tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, Math.min(intervalMs, 200));
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
