/**
 * A small durable job queue on the `job` table: jobs survive restarts, a unique key keeps a job
 * from being scheduled twice, and a conditional UPDATE (portable to SQLite and PostgreSQL) lets
 * exactly one worker claim a due job, so no job runs twice. A claim is a lease that the runner
 * renews while the handler works (heartbeat); when a worker dies its lease runs out and another
 * process takes the job over. Failures are retried with backoff; after the last attempt the job
 * is given up (done, with its error) and the kind's `onGiveUp` runs, so nothing stays "running".
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
  /** Renews the lease; false when this worker lost it (another took the job over): stop then. */
  heartbeat(): Promise<boolean>;
}

/** A handler may ask to run again later (for example when a purge date moved). */
export type JobHandler = (ctx: JobContext, job: ClaimedJob) => Promise<void | { rescheduleAt: string }>;

/** How a kind of job is leased and retried. */
export interface JobOptions {
  /** How long a claim holds without a heartbeat (default 5 minutes); the runner renews it every third of it. */
  leaseMs?: number;
  /** Retry n waits n times this (default a minute). */
  backoffMs?: number;
  /** Runs once when the job is given up after its last attempt (failed or its worker died). */
  onGiveUp?: (ctx: JobContext, job: { id: string; payload: unknown; error: string }) => Promise<void>;
}

interface Registered extends Required<Omit<JobOptions, 'onGiveUp'>> {
  handler: JobHandler;
  onGiveUp?: JobOptions['onGiveUp'];
}

const handlers = new Map<string, Registered>();
/** Attempts a job gets before it is given up. */
export const MAX_JOB_ATTEMPTS = 5;

/** Registers the handler of a job kind (once per process; later registrations replace it). */
export function registerJobHandler(kind: string, handler: JobHandler, options: JobOptions = {}): void {
  handlers.set(kind, {
    handler,
    leaseMs: options.leaseMs ?? 5 * 60_000,
    backoffMs: options.backoffMs ?? 60_000,
    onGiveUp: options.onGiveUp,
  });
}

/**
 * Schedules a job; with a unique key, scheduling it again does nothing (returns false). With
 * `again`, a finished job of that key is scheduled anew, so the key means "at most one pending or
 * running" (one build per series) rather than "once ever".
 */
export async function enqueueJob(
  db: Db,
  job: { kind: string; uniqueKey?: string; payload?: unknown; runAt: Date | string; again?: boolean },
): Promise<boolean> {
  const runAt = new Date(job.runAt).toISOString();
  const payload = JSON.stringify(job.payload ?? {});
  const res = await db
    .insertInto('job')
    .values({
      id: newId(),
      kind: job.kind,
      unique_key: job.uniqueKey ?? null,
      payload,
      run_at: runAt,
      locked_until: null,
      last_error: null,
      done_at: null,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) =>
      job.again
        ? oc
            .column('unique_key')
            .doUpdateSet({
              payload,
              run_at: runAt,
              locked_until: null,
              last_error: null,
              done_at: null,
              attempts: 0,
            })
            .where('job.done_at', 'is not', null)
        : oc.column('unique_key').doNothing(),
    )
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
  ctx: JobContext,
  now: Date,
  only: JobFilter | undefined,
  seen: Set<string>,
): Promise<(Omit<ClaimedJob, 'heartbeat'> & { lease: string }) | null> {
  const db = ctx.db;
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
    .where('kind', 'in', kinds);
  if (only?.ids) q = q.where('id', 'in', only.ids);
  if (only?.uniqueKeys) q = q.where('unique_key', 'in', only.uniqueKeys.length ? only.uniqueKeys : ['']);
  // A job rescheduled during this run waits for the next tick.
  if (seen.size) q = q.where('id', 'not in', [...seen]);
  const candidates = await q.orderBy('run_at').limit(10).execute();
  for (const c of candidates) {
    const kind = handlers.get(c.kind)!;
    // Out of attempts (the last one failed, or its worker died holding the lease): give it up, once.
    if (c.attempts >= MAX_JOB_ATTEMPTS) {
      await giveUp(ctx, c, nowIso);
      continue;
    }
    const lease = new Date(now.getTime() + kind.leaseMs + Math.floor(Math.random() * 1000)).toISOString();
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

async function giveUp(
  ctx: JobContext,
  c: { id: string; kind: string; payload: string; attempts: number },
  nowIso: string,
): Promise<void> {
  const row = await ctx.db.selectFrom('job').select('last_error').where('id', '=', c.id).executeTakeFirst();
  const error = row?.last_error ?? `its worker stopped during attempt ${c.attempts}`;
  const res = await ctx.db
    .updateTable('job')
    .set({ done_at: nowIso, locked_until: null, last_error: error })
    .where('id', '=', c.id)
    .where('done_at', 'is', null)
    .where('attempts', '=', c.attempts)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) return;
  ctx.log?.error({ job: c.kind, id: c.id, attempts: c.attempts, error }, 'job given up');
  await handlers.get(c.kind)?.onGiveUp?.(ctx, { id: c.id, payload: JSON.parse(c.payload) as unknown, error });
}

/** Narrows which jobs a run may take (tests sharing one database use it; so does running one job now). */
export interface JobFilter {
  kinds?: string[];
  ids?: string[];
  uniqueKeys?: string[];
}

/** Runs every due job once; returns how many ran. Safe to call from several loops or processes. */
export async function runDueJobs(ctx: JobContext, now = () => new Date(), only?: JobFilter): Promise<number> {
  let ran = 0;
  const seen = new Set<string>();
  for (;;) {
    const claimed = await claim(ctx, now(), only, seen);
    if (!claimed) return ran;
    seen.add(claimed.id);
    const kind = handlers.get(claimed.kind)!;
    let lease = claimed.lease;
    let lost = false;
    // Renews the lease only while it is still ours: a worker that lost it learns so and stops.
    const heartbeat = async (): Promise<boolean> => {
      if (lost) return false;
      const next = new Date(now().getTime() + kind.leaseMs).toISOString();
      const res = await ctx.db
        .updateTable('job')
        .set({ locked_until: next })
        .where('id', '=', claimed.id)
        .where('locked_until', '=', lease)
        .where('done_at', 'is', null)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) lease = next;
      else lost = true;
      return !lost;
    };
    const timer = setInterval(() => {
      heartbeat().catch((e: unknown) => ctx.log?.warn({ err: e, id: claimed.id }, 'job heartbeat failed'));
    }, kind.leaseMs / 3);
    timer.unref();
    const job: ClaimedJob = { ...claimed, heartbeat };
    try {
      const out = await kind.handler(ctx, job);
      clearInterval(timer);
      const q = ctx.db.updateTable('job').where('id', '=', job.id).where('locked_until', '=', lease);
      if (out && 'rescheduleAt' in out)
        await q.set({ run_at: out.rescheduleAt, locked_until: null, attempts: 0 }).execute();
      else await q.set({ done_at: new Date().toISOString(), locked_until: null, last_error: null }).execute();
    } catch (e) {
      clearInterval(timer);
      const message = e instanceof Error ? e.message : String(e);
      ctx.log?.warn({ err: e, job: job.kind, id: job.id, attempt: job.attempts, lost }, 'job failed');
      // Back off: retry after backoff times the attempt number; the last failure is given up at once.
      // Only while the lease is ours: a worker that lost it must not undo its successor's work.
      const retryIn = job.attempts >= MAX_JOB_ATTEMPTS ? 0 : kind.backoffMs * job.attempts;
      await ctx.db
        .updateTable('job')
        .set({
          locked_until: null,
          last_error: message.slice(0, 500),
          run_at: new Date(now().getTime() + retryIn).toISOString(),
        })
        .where('id', '=', job.id)
        .where('locked_until', '=', lease)
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

// Jobs run outside the scheduler (a request running its own job now) send no mail.
const noMail: Mailer = {
  mode: 'outbox',
  send: () => Promise.reject(new Error('a job run outside the scheduler sends no mail')),
  close: () => {},
};

/**
 * Runs the due jobs the filter names now, in this call, for work a request waits for (a small
 * series' coding); a job another process holds is left to it. Failures are logged through `log`.
 */
export function runJobsNow(db: Db, only: JobFilter, log?: (e: unknown) => void): Promise<number> {
  const report = (o: unknown) => log?.(o);
  return runDueJobs(
    {
      db,
      mailer: noMail,
      config: { publicUrl: '', mailFrom: '' },
      log: { info: () => {}, warn: report, error: report },
    },
    undefined,
    only,
  );
}
