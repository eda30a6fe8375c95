import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../db/index.ts';
import { DIALECT } from '../../../test/support/db.ts';
import { makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { login, testServer } from '../../../test/support/server.ts';
import { startSmtp } from '../../../test/support/smtp.ts';
import type { Running } from '../../server/index.ts';
import { createMailer, runDueJobs, type JobContext } from '../notify/index.ts';
import { jobContext } from './registration.routes.ts';
import { register } from './registration.service.ts';
import { deliver } from './registration.mail.ts';

let srv: Running;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let other: DbHandle;

beforeAll(async () => {
  smtp = await startSmtp();
  srv = await testServer({ SMTP_URL: smtp.url, COLLOQUY_JOBS: '0' });
  other =
    DIALECT === 'postgres'
      ? openDatabase({ databaseUrl: process.env.DATABASE_URL })
      : openDatabase({ sqliteFile: srv.ctx.sqlite!.name });
});
afterAll(async () => {
  await srv?.close();
  await other?.close();
  await smtp?.close();
});

const person = (sessionIds: string[], over: Record<string, unknown> = {}) => ({
  name: 'Amara Okafor',
  email: `${unique('amara')}@example.org`,
  country: 'NG',
  affiliation: '',
  answers: { career_stage: 'senior' },
  language: 'en',
  timeZone: 'Africa/Lagos',
  sessionIds,
  consent: true,
  newsOptIn: false,
  ...over,
});

describe('reminders and retention', () => {
  it('sends each reminder once, even with two scheduler loops on two connections, and the job survives a restart', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const sessionId = await makeSession(srv.ctx.db, s, { daysAhead: 2 });
    const p = person([sessionId]);
    const res = await srv.ctx.db.transaction().execute((trx) => register(trx, s.id, p));
    await deliver(jobContext(srv.app), res.mails);
    const regId = res.registrations[0].id;
    const jobs = await srv.ctx.db
      .selectFrom('job')
      .selectAll()
      .where('unique_key', 'like', `reminder:${regId}:%`)
      .orderBy('run_at')
      .execute();
    expect(jobs.map((j) => j.unique_key)).toEqual([
      `reminder:${regId}:${sessionId}:1440`,
      `reminder:${regId}:${sessionId}:60`,
    ]);

    // "Restart": a fresh mailer and database connection read the same queue; both loops race.
    const sess = await srv.ctx.db
      .selectFrom('session')
      .select('starts_at')
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const at = () => new Date(new Date(sess.starts_at).getTime() - 1439 * 60_000);
    const ctx2: JobContext = {
      db: other.db,
      mailer: createMailer(smtp.url, 'colloquy@example.org'),
      config: srv.ctx.config,
    };
    const only = { ids: jobs.map((j) => j.id) };
    await Promise.all([
      runDueJobs(jobContext(srv.app), at, only),
      runDueJobs(ctx2, at, only),
      runDueJobs(jobContext(srv.app), at, only),
    ]);
    await runDueJobs(ctx2, at, only);
    ctx2.mailer.close();
    const reminders = () =>
      smtp.mails.filter((m) => m.to.includes(p.email) && m.subject.startsWith('Reminder'));
    await smtp.waitFor(2);
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0].subject).toMatch(/starts in 24 hours$/);
    expect(reminders()[0].text).toContain('Your time (Africa/Lagos)');
    const done = await srv.ctx.db
      .selectFrom('job')
      .select(['unique_key', 'done_at', 'attempts'])
      .where('id', 'in', only.ids)
      .orderBy('run_at')
      .execute();
    expect(done.map((d) => [d.done_at !== null, d.attempts])).toEqual([
      [true, 1],
      [false, 0],
    ]);
  });

  it('tells people already marked attended when their session moves, and keeps their attendance', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const sessionId = await makeSession(srv.ctx.db, s, { daysAhead: 2 });
    const p = person([sessionId]);
    const res = await srv.ctx.db.transaction().execute((trx) => register(trx, s.id, p));
    // As an attendance import leaves it (the import itself is tested in attendance.test.ts).
    await srv.ctx.db
      .updateTable('registration')
      .set({ status: 'attended' })
      .where('id', '=', res.registrations[0].id)
      .execute();
    const admin = await login(srv, s.admin.email);
    const later = new Date(Date.now() + 9 * 86400_000);
    later.setUTCMinutes(0, 0, 0);
    const moved = await admin.request('PATCH', `/api/sessions/${sessionId}`, {
      startsAt: later.toISOString(),
      endsAt: new Date(later.getTime() + 90 * 60_000).toISOString(),
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const job = await srv.ctx.db
      .selectFrom('job')
      .select('id')
      .where('kind', '=', 'registration.session_changed')
      .where('unique_key', 'like', `session-changed:${sessionId}:%`)
      .executeTakeFirstOrThrow();
    await runDueJobs(jobContext(srv.app), () => new Date(), { ids: [job.id] });
    const mails = await srv.ctx.db
      .selectFrom('mail_log')
      .select('kind')
      .where('to_address', '=', p.email)
      .where('kind', '=', 'registration.updated')
      .execute();
    expect(mails).toHaveLength(1);
    const after = await srv.ctx.db
      .selectFrom('registration')
      .select('status')
      .where('id', '=', res.registrations[0].id)
      .executeTakeFirstOrThrow();
    expect(after.status).toBe('attended');
  });

  it('does not remind a cancelled registration', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const sessionId = await makeSession(srv.ctx.db, s, { daysAhead: 2 });
    const res = await srv.ctx.db.transaction().execute((trx) => register(trx, s.id, person([sessionId])));
    const token = res.token;
    await srv.app.inject({ method: 'POST', url: `/api/registrations/${token}/cancel`, payload: {} });
    const left = await srv.ctx.db
      .selectFrom('job')
      .select('id')
      .where('unique_key', 'like', `reminder:${res.registrations[0].id}:%`)
      .execute();
    expect(left).toHaveLength(0);
  });

  it('purges a series once its retention period after the last session has passed', async () => {
    const s = await makeSeries(srv.ctx.db);
    await srv.ctx.db
      .updateTable('series')
      .set({ registration_mode: 'session', retention_days: 1 })
      .where('id', '=', s.id)
      .execute();
    const sessionId = await makeSession(srv.ctx.db, s, { daysAhead: 1 });
    const marker = unique('purgemark').replace(/-/g, '');
    const p = person([sessionId], { name: `Amara ${marker}` });
    const res = await srv.ctx.db.transaction().execute((trx) => register(trx, s.id, p));
    await deliver(jobContext(srv.app), res.mails);
    const job = await srv.ctx.db
      .selectFrom('job')
      .selectAll()
      .where('unique_key', 'like', `retention:${s.id}:%`)
      .executeTakeFirstOrThrow();
    // Not yet due: nothing happens.
    await runDueJobs(jobContext(srv.app), () => new Date(), { ids: [job.id] });
    expect(
      await srv.ctx.db.selectFrom('registration').select('id').where('series_id', '=', s.id).execute(),
    ).toHaveLength(1);
    // The session happens; a day later the data falls due.
    await srv.ctx.db
      .updateTable('session')
      .set({
        starts_at: new Date(Date.now() - 3 * 86400_000).toISOString(),
        ends_at: new Date(Date.now() - 2.9 * 86400_000).toISOString(),
      })
      .where('id', '=', sessionId)
      .execute();
    await srv.ctx.db
      .updateTable('job')
      .set({ run_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', job.id)
      .execute();
    await runDueJobs(jobContext(srv.app), () => new Date(), { ids: [job.id] });
    expect(
      await srv.ctx.db.selectFrom('registration').select('id').where('series_id', '=', s.id).execute(),
    ).toHaveLength(0);
    expect(
      await srv.ctx.db.selectFrom('mail_log').select('id').where('to_address', '=', p.email).execute(),
    ).toHaveLength(0);
    // The purge checkpoints the write-ahead log: no byte of the SQLite files names the person.
    if (DIALECT === 'sqlite') {
      const file = srv.ctx.sqlite!.name;
      const bytes = Buffer.concat([
        readFileSync(file),
        existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0),
      ]);
      expect(bytes.includes(Buffer.from(marker))).toBe(false);
    }
  });
});

describe('the scheduler loop of a server', () => {
  // On PostgreSQL the run's database is shared by every test file; a live loop could take their jobs.
  it.skipIf(DIALECT === 'postgres')('starts when the server is ready and stops when it closes', async () => {
    process.env.JOB_POLL_MS = '50';
    process.env.COLLOQUY_JOBS = '1';
    const own = await testServer();
    try {
      await own.app.ready();
      const s = await makeSeries(own.ctx.db, { registrationMode: 'session' });
      const sessionId = await makeSession(own.ctx.db, s, { daysAhead: 2 });
      const res = await own.ctx.db.transaction().execute((trx) => register(trx, s.id, person([sessionId])));
      // Make the 24-hour reminder due now: the loop sends it without anyone calling it.
      await own.ctx.db
        .updateTable('session')
        .set({ starts_at: new Date(Date.now() + 1440 * 60_000 + 30_000).toISOString() })
        .where('id', '=', sessionId)
        .execute();
      await own.ctx.db
        .updateTable('job')
        .set({ run_at: new Date().toISOString() })
        .where('unique_key', '=', `reminder:${res.registrations[0].id}:${sessionId}:1440`)
        .execute();
      const until = Date.now() + 5000;
      let sent = 0;
      while (Date.now() < until && !sent) {
        await new Promise((r) => setTimeout(r, 50));
        sent = (
          await own.ctx.db
            .selectFrom('mail_log')
            .select('id')
            .where('kind', '=', 'registration.reminder')
            .execute()
        ).length;
      }
      expect(sent).toBe(1);
    } finally {
      await own.close();
      delete process.env.JOB_POLL_MS;
      delete process.env.COLLOQUY_JOBS;
    }
  });
});
