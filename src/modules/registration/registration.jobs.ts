/** Background work of registration: reminders, calendar updates after a session change, retention purge. */
import { checkpointAfterErasure, type Db } from '../../db/index.ts';
import {
  findSeries,
  findSession,
  onSessionChanged,
  onSessionDeleting,
  sessionsOf,
  type SessionChange,
} from '../series/index.ts';
import { conflict } from '../../lib/errors.ts';
import { enqueueJob, registerJobHandler, type JobContext } from '../notify/index.ts';
import { sendRegistrationMail } from './registration.mail.ts';
import { promoteWaitlisted, scheduleReminders } from './registration.service.ts';
import { deliver } from './registration.mail.ts';
import { purgeSeries } from './privacy.ts';
import { MESSAGE_JOB, sendQueuedMessage } from './registrants.ts';

const DAY = 86_400_000;

/** A changed session: one job per new SEQUENCE sends every registrant the updated invitation. */
async function sessionChanged(db: Db, change: SessionChange): Promise<void> {
  const after = await findSession(db, change.id);
  if (!after) return;
  if (change.changed) {
    await enqueueJob(db, {
      kind: 'registration.session_changed',
      uniqueKey: `session-changed:${change.id}:${after.sequence}`,
      payload: { sessionId: change.id, sequence: after.sequence },
      runAt: new Date(),
    });
  }
  if (after.capacity !== change.before.capacity) {
    await enqueueJob(db, {
      kind: 'registration.promote',
      uniqueKey: `promote:${change.id}:${Date.now()}`,
      payload: { sessionId: change.id },
      runAt: new Date(),
    });
  }
}

/** Deleting a session would drop its registrations silently: cancel it first, so everyone is told. */
async function refuseDeletingWithRegistrants(db: Db, sessionId: string): Promise<void> {
  const session = await findSession(db, sessionId);
  if (!session || session.status === 'cancelled') return;
  const active = await db
    .selectFrom('registration')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .where('status', 'in', ['confirmed', 'waitlisted'])
    .executeTakeFirstOrThrow();
  const n = Number(active.n);
  if (n > 0) {
    throw conflict(
      'session_has_registrations',
      `${n} ${n === 1 ? 'person is' : 'people are'} registered for this session. Cancel the session first (set its status to cancelled): they receive a calendar cancellation. Then you can delete it.`,
      'id',
    );
  }
}

/** Registers the job handlers and the session listener (idempotent; once per process is enough). */
export function registerRegistrationJobs(): void {
  onSessionChanged(sessionChanged);
  onSessionDeleting(refuseDeletingWithRegistrants);

  registerJobHandler(MESSAGE_JOB, async (ctx, job) => {
    await sendQueuedMessage(ctx, job.payload as Parameters<typeof sendQueuedMessage>[1]);
  });

  registerJobHandler('registration.reminder', async (ctx, job) => {
    const { registrationId, offset } = job.payload as {
      registrationId: string;
      sessionId: string;
      offset: number;
    };
    const reg = await ctx.db
      .selectFrom('registration')
      .select(['id', 'status', 'session_id', 'reminders_off'])
      .where('id', '=', registrationId)
      .executeTakeFirst();
    if (!reg || reg.status !== 'confirmed' || Number(reg.reminders_off) === 1) return;
    const session = await findSession(ctx.db, reg.session_id);
    if (!session || session.status === 'cancelled') return;
    const due = new Date(session.starts_at).getTime() - offset * 60_000;
    // The session moved later: wait for the new time instead of reminding too early.
    if (due - job.now.getTime() > 60_000) return { rescheduleAt: new Date(due).toISOString() };
    if (job.now.getTime() >= new Date(session.starts_at).getTime()) return;
    await sendRegistrationMail(ctx, ctx.db, reg.id, 'reminder', { offsetMinutes: offset });
  });

  registerJobHandler('registration.session_changed', async (ctx, job) => {
    const { sessionId, sequence } = job.payload as { sessionId: string; sequence: number };
    const session = await findSession(ctx.db, sessionId);
    // A newer change has its own job that sends the newest invitation.
    if (!session || session.sequence !== sequence) return;
    const cancelled = session.status === 'cancelled';
    const regs = await ctx.db
      .selectFrom('registration')
      .select(['id', 'series_id', 'session_id', 'status'])
      .where('session_id', '=', sessionId)
      // People already marked attended are told of the move too (their attendance record stays as imported).
      .where('status', 'in', cancelled ? ['confirmed', 'waitlisted', 'attended'] : ['confirmed', 'attended'])
      .execute();
    for (const r of regs) {
      await sendRegistrationMail(ctx, ctx.db, r.id, cancelled ? 'session_cancelled' : 'updated');
      if (!cancelled) await scheduleReminders(ctx.db, r, session.starts_at);
    }
  });

  registerJobHandler('registration.promote', async (ctx, job) => {
    const { sessionId } = job.payload as { sessionId: string };
    const mails = await ctx.db.transaction().execute((trx) => promoteWaitlisted(trx, sessionId));
    await deliver(ctx, mails);
  });

  registerJobHandler('registration.retention', async (ctx: JobContext, job) => {
    const { seriesId } = job.payload as { seriesId: string };
    const series = await findSeries(ctx.db, seriesId);
    if (!series) return;
    const sessions = await sessionsOf(ctx.db, seriesId);
    const lastEnd = sessions.reduce((m, s) => Math.max(m, new Date(s.ends_at).getTime()), 0);
    const due = lastEnd + series.retention_days * DAY;
    if (due > job.now.getTime()) return { rescheduleAt: new Date(due).toISOString() };
    const n = await ctx.db.transaction().execute((trx) => purgeSeries(trx, seriesId));
    checkpointAfterErasure(ctx.db);
    ctx.log?.info({ seriesId, people: n }, 'retention purge done');
  });
}
