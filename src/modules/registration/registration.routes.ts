import { checkpointAfterErasure } from '../../db/index.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, notFound } from '../../lib/errors.ts';
import { inTransaction } from '../../server/tx.ts';
import { authorize, canEditSession, canManageSeries, canViewSeries } from '../accounts/index.ts';
import { findSeries, findSession, sessionPath, sessionsOf, visibleSeries } from '../series/index.ts';
import { icsCalendar, startScheduler, type IcsEvent, type JobContext } from '../notify/index.ts';
import { attendanceStats, importAttendance } from './attendance.ts';
import { deliver, publishedCalendar, publishedCalendars } from './registration.mail.ts';
import { eraseByToken, exportData } from './privacy.ts';
import { presentRegistrations, registrantOut } from './registration.presenter.ts';
import * as repo from './registration.repository.ts';
import * as S from './registration.schema.ts';
import { byToken, cancelRegistrations, changeSessions, register } from './registration.service.ts';
import { registerRegistrationJobs } from './registration.jobs.ts';
import type { SessionTable } from '../../db/schema.ts';

const Err = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
const errors = { 400: Err, 401: Err, 403: Err, 404: Err, 409: Err, 410: Err, 422: Err, 429: Err };
const IdParams = z.object({ id: z.string().max(100) });
const TokenParams = z.object({ token: z.string().max(100) });

/** Rate limit of public registration writes, per client address (not stored). */
export const registrationRateLimit = () => ({
  max: Number(process.env.REGISTRATION_RATE_LIMIT ?? 30),
  timeWindow: '1 minute',
});

/** The context job handlers and mail delivery get. */
export const jobContext = (app: FastifyInstance): JobContext => ({
  db: app.ctx.db,
  mailer: app.ctx.mailer,
  config: app.ctx.config,
  log: app.log,
});

/** The public calendar event of a session (no attendee), UID stable per session. */
function publicEvent(
  s: SessionTable,
  series: { title: string; slug: string },
  publicUrl: string,
  calendar: { uid: string; sequence: number },
): IcsEvent {
  const url = `${publicUrl}${sessionPath(series.slug, s.id)}`;
  return {
    uid: calendar.uid,
    sequence: calendar.sequence,
    stamp: new Date(),
    start: s.starts_at,
    end: s.ends_at,
    summary: `${s.title} (${series.title})`,
    description: `${s.description ? `${s.description}\n\n` : ''}${url}`,
    url,
    location: s.video_url ?? url,
    status: s.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
  };
}

/** Registration API, calendar feeds and the job scheduler of this process. */
export async function registrationRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const jobs = jobContext(app);
  registerRegistrationJobs();
  // Erased rows must not linger in free pages of the SQLite file.
  app.ctx.sqlite?.pragma('secure_delete = ON');

  // Tests share one PostgreSQL database: a stray loop would take other files' jobs, so under
  // vitest the loop only runs when a test asks for it (COLLOQUY_JOBS=1).
  const loop = process.env.COLLOQUY_JOBS ? process.env.COLLOQUY_JOBS !== '0' : !process.env.VITEST;
  if (loop) {
    let stop: (() => Promise<void>) | null = null;
    app.addHook('onReady', async () => {
      stop ??= startScheduler(jobs);
    });
    app.addHook('onClose', async () => {
      await stop?.();
    });
  }

  r.post(
    '/api/series/:id/registrations',
    {
      config: { public: true, rateLimit: registrationRateLimit() },
      schema: {
        tags: ['registration'],
        summary:
          'Register (public). The same e-mail twice resends the confirmation instead of duplicating it.',
        params: IdParams,
        body: S.RegisterBody,
        response: { 201: S.RegisterOut, 200: S.RegisterOut, ...errors },
      },
    },
    async (req, reply) => {
      if (req.body.website) throw new AppError(422, 'honeypot', 'This registration was refused.', 'website');
      const res = await inTransaction(db, (trx) => register(trx, req.params.id, req.body));
      await deliver(jobs, res.mails);
      const regs = res.outcome === 'created' ? await presentRegistrations(db, res.registrations) : [];
      return reply
        .status(res.outcome === 'created' ? 201 : 200)
        .send({ outcome: res.outcome, email: res.email, registrations: regs });
    },
  );

  r.get(
    '/api/registrations/:token',
    {
      config: { public: true },
      schema: {
        tags: ['registration'],
        summary: 'A registration, by the token of its manage link',
        params: TokenParams,
        response: { 200: S.ManageOut, ...errors },
      },
    },
    async (req) => {
      const rows = await byToken(db, req.params.token);
      const series = (await findSeries(db, rows[0].series_id))!;
      const p = rows[0];
      return {
        seriesId: series.id,
        seriesTitle: series.title,
        mode: series.registration_mode,
        name: p.name,
        email: p.email,
        language: p.language,
        timeZone: p.time_zone,
        registrations: await presentRegistrations(db, rows),
      };
    },
  );

  r.post(
    '/api/registrations/:token/cancel',
    {
      config: { public: true, rateLimit: registrationRateLimit() },
      schema: {
        tags: ['registration'],
        summary: 'Cancel registrations (all of the link, or some sessions); the waiting list moves up',
        params: TokenParams,
        body: S.CancelBody,
        response: { 200: z.object({ cancelled: z.number() }), ...errors },
      },
    },
    async (req) => {
      const { mails, n } = await inTransaction(db, async (trx) => {
        const rows = await byToken(trx, req.params.token);
        const pick = req.body.sessionIds
          ? rows.filter((x) => req.body.sessionIds!.includes(x.session_id))
          : rows;
        const active = pick.filter((x) => x.status === 'confirmed' || x.status === 'waitlisted');
        const cancelledIds: string[] = [];
        return { mails: await cancelRegistrations(trx, active, { cancelledIds }), n: cancelledIds.length };
      });
      await deliver(jobs, mails);
      return { cancelled: n };
    },
  );

  r.put(
    '/api/registrations/:token/sessions',
    {
      config: { public: true, rateLimit: registrationRateLimit() },
      schema: {
        tags: ['registration'],
        summary:
          "Change the sessions chosen ('choose' mode). A new manage token is returned when sessions were added.",
        params: TokenParams,
        body: S.SessionsBody,
        response: { 200: z.object({ token: z.string().nullable() }), ...errors },
      },
    },
    async (req) => {
      const res = await inTransaction(db, (trx) =>
        changeSessions(trx, req.params.token, req.body.sessionIds),
      );
      await deliver(jobs, res.mails);
      return { token: res.token };
    },
  );

  r.get(
    '/api/registrations/:token/export',
    {
      config: { public: true },
      schema: {
        tags: ['privacy'],
        summary: 'Everything held about the person behind this link (JSON)',
        params: TokenParams,
        response: { 200: S.PersonalExportOut, ...errors },
      },
    },
    async (req, reply) => {
      const data = await exportData(db, req.params.token);
      return reply
        .header('content-disposition', 'attachment; filename="my-colloquy-data.json"')
        .header('cache-control', 'no-store')
        .send(data);
    },
  );

  r.post(
    '/api/registrations/:token/erase',
    {
      config: { public: true, rateLimit: registrationRateLimit() },
      schema: {
        tags: ['privacy'],
        summary: 'Erase everything held about the person behind this link',
        params: TokenParams,
        body: S.EraseBody,
        response: { 200: z.object({ erased: z.literal(true) }), ...errors },
      },
    },
    async (req) => {
      const mails = await inTransaction(db, (trx) => eraseByToken(trx, req.params.token, req.body.mode));
      // The erased rows leave the write-ahead log too, not only the main file.
      checkpointAfterErasure(db);
      await deliver(jobs, mails);
      return { erased: true as const };
    },
  );

  r.get(
    '/api/series/:id/registrations',
    {
      schema: {
        tags: ['registration'],
        summary: 'Registrations of a series (coordinators)',
        params: IdParams,
        response: { 200: S.RegistrantsOut, ...errors },
      },
    },
    async (req) => {
      const s = await findSeries(db, req.params.id);
      if (!s) throw notFound('This series', 'id');
      authorize(req.actor, canManageSeries(req.actor, s.id));
      return { registrations: (await repo.registrationsOfSeries(db, s.id)).map(registrantOut) };
    },
  );

  r.put(
    '/api/series/:id/registration-settings',
    {
      schema: {
        tags: ['registration'],
        summary: 'Reminder offsets of a series (coordinators)',
        params: IdParams,
        body: S.SettingsBody,
        response: { 200: S.SettingsBody, ...errors },
      },
    },
    async (req) => {
      const s = await findSeries(db, req.params.id);
      if (!s) throw notFound('This series', 'id');
      authorize(req.actor, canManageSeries(req.actor, s.id));
      await inTransaction(db, (trx) => repo.setReminderOffsets(trx, s.id, req.body.reminderOffsetsMinutes));
      return req.body;
    },
  );

  r.get(
    '/api/series/:id/registration-questions',
    {
      config: { public: true },
      schema: {
        tags: ['registration'],
        summary: 'The questions of the registration form (with labels per language)',
        params: IdParams,
        response: { 200: S.QuestionsBody, ...errors },
      },
    },
    async (req) => {
      const s = await visibleSeries(db, req.actor, req.params.id);
      const qs = await inTransaction(db, (trx) => repo.questionsOf(trx, s.id));
      return {
        questions: qs.map((q) => ({
          key: q.key,
          label: q.label as { en: string },
          type: q.type,
          options: q.options as { value: string; label: { en: string } }[],
          required: q.required,
        })),
      };
    },
  );

  r.put(
    '/api/series/:id/registration-questions',
    {
      schema: {
        tags: ['registration'],
        summary: 'Replace the registration questions of a series (coordinators)',
        params: IdParams,
        body: S.QuestionsBody,
        response: { 200: S.QuestionsBody, ...errors },
      },
    },
    async (req) => {
      const s = await findSeries(db, req.params.id);
      if (!s) throw notFound('This series', 'id');
      authorize(req.actor, canManageSeries(req.actor, s.id));
      await inTransaction(db, (trx) => repo.replaceQuestions(trx, s.id, req.body.questions));
      return req.body;
    },
  );

  r.post(
    '/api/sessions/:id/attendance',
    {
      schema: {
        tags: ['attendance'],
        summary: "Import the video platform's attendee report (Zoom CSV) for a session",
        params: IdParams,
        body: z.object({
          csv: z.string().min(1, 'The report is empty.').max(5_000_000),
          dryRun: z.boolean().default(false).describe('Preview only: nothing is written'),
        }),
        response: { 200: S.AttendanceImportOut, ...errors },
      },
    },
    async (req) => {
      const sess = await findSession(db, req.params.id);
      if (!sess) throw notFound('This session', 'id');
      authorize(
        req.actor,
        canEditSession(req.actor, sess.series_id, sess.region_id),
        'Only the coordinators and the co-organisers of this region can import attendance.',
      );
      return inTransaction(db, (trx) =>
        importAttendance(trx, sess.id, req.body.csv, { dryRun: req.body.dryRun }),
      );
    },
  );

  r.get(
    '/api/series/:id/attendance',
    {
      schema: {
        tags: ['attendance'],
        summary: 'Registered vs attended per session and region',
        params: IdParams,
        response: { 200: S.AttendanceStatsOut, ...errors },
      },
    },
    async (req) => {
      const s = await findSeries(db, req.params.id);
      if (!s) throw notFound('This series', 'id');
      authorize(req.actor, canViewSeries(req.actor, s.id));
      return attendanceStats(db, s.id);
    },
  );

  app.get('/series/:slug/calendar.ics', { schema: { hide: true } }, async (req, reply) => {
    const series = await visibleSeries(db, req.actor, (req.params as { slug: string }).slug);
    const sessions = await sessionsOf(db, series.id);
    const calendars = await publishedCalendars(db, sessions);
    const body = icsCalendar(
      'PUBLISH',
      sessions.map((s) => publicEvent(s, series, app.ctx.config.publicUrl, calendars.get(s.id)!)),
      { name: series.title },
    );
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'no-cache').send(body);
  });

  app.get('/series/:slug/sessions/:id.ics', { schema: { hide: true } }, async (req, reply) => {
    const { slug, id } = req.params as { slug: string; id: string };
    const series = await visibleSeries(db, req.actor, slug);
    const s = await findSession(db, id);
    if (!s || s.series_id !== series.id) throw notFound('This session', 'id');
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="session-${s.id}.ics"`)
      .send(
        icsCalendar('PUBLISH', [
          publicEvent(s, series, app.ctx.config.publicUrl, await publishedCalendar(db, s)),
        ]),
      );
  });
}
