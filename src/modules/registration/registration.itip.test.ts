import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { login, testServer } from '../../../test/support/server.ts';
import { startSmtp } from '../../../test/support/smtp.ts';
import { loadConfig } from '../../server/config.ts';
import { createServer, type Running } from '../../server/index.ts';
import { runDueJobs } from '../notify/index.ts';
import { jobContext } from './registration.routes.ts';

// The iTIP walk of RFC 5546 as one attendee's calendar sees it: every message for the session's one
// UID must be newer (higher SEQUENCE) than the one before, or the calendar ignores it.

let srv: Running;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  srv = await testServer({ SMTP_URL: smtp.url, COLLOQUY_JOBS: '0', PUBLIC_URL: 'https://one.example.org' });
});
afterAll(async () => {
  await srv?.close();
  await smtp?.close();
});

interface Seen {
  mail: ParsedMail;
  method: string;
  uid: string;
  sequence: number;
  status: string;
}

/** The newest mail to `email`, parsed by mailparser, with its calendar part read by ical.js. */
async function lastMailTo(email: string, count: number): Promise<Seen> {
  await smtp.waitFor(count);
  const raw = smtp.mails.filter((m) => m.to.includes(email));
  expect(raw).toHaveLength(count);
  const mail = await simpleParser(raw.at(-1)!.raw);
  const cal = mail.attachments.find((a) => a.contentType === 'text/calendar');
  expect(cal, 'a text/calendar part').toBeTruthy();
  const comp = new ICAL.Component(ICAL.parse(cal!.content.toString('utf8')) as unknown[]);
  const ev = comp.getFirstSubcomponent('vevent')!;
  return {
    mail,
    method: String(comp.getFirstPropertyValue('method')),
    uid: String(ev.getFirstPropertyValue('uid')),
    sequence: Number(ev.getFirstPropertyValue('sequence')),
    status: String(ev.getFirstPropertyValue('status')),
  };
}

async function feedEvent(slug: string, sessionId: string, server = srv) {
  const res = await server.app.inject({ url: `/series/${slug}/calendar.ics` });
  expect(res.statusCode).toBe(200);
  const comp = new ICAL.Component(ICAL.parse(res.body) as unknown[]);
  const ev = comp
    .getAllSubcomponents('vevent')
    .find((e) => String(e.getFirstPropertyValue('url')).endsWith(sessionId))!;
  return {
    uid: String(ev.getFirstPropertyValue('uid')),
    sequence: Number(ev.getFirstPropertyValue('sequence')),
    status: String(ev.getFirstPropertyValue('status')),
  };
}

describe('calendar invitations (iTIP, RFC 5546)', () => {
  it('walks request → update → withdraw → register again → session cancelled on one UID with rising SEQUENCE', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const sessionId = await makeSession(srv.ctx.db, s, { daysAhead: 5 });
    const email = `${unique('ines')}@example.org`;
    const body = {
      name: 'Inès Okafor',
      email,
      country: 'NG',
      affiliation: 'Lagos Public Library',
      answers: { career_stage: 'mid' },
      language: 'de',
      timeZone: 'Africa/Lagos',
      consent: true,
      newsOptIn: false,
      sessionIds: [sessionId],
    };
    const seen: Seen[] = [];

    // 1. request
    const reg = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: body,
    });
    expect(reg.statusCode, reg.body).toBe(201);
    seen.push(await lastMailTo(email, 1));
    expect(seen[0]).toMatchObject({ method: 'REQUEST', status: 'CONFIRMED' });
    // The feed and the invitation name the same event, so a subscriber who accepts sees it once.
    expect((await feedEvent(s.slug, sessionId)).uid).toBe(seen[0].uid);
    expect(seen[0].uid).not.toContain('one.example.org');

    // 2. update: the session moves by an hour
    const admin = await login(srv, s.admin.email);
    const sess = await srv.ctx.db
      .selectFrom('session')
      .selectAll()
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const later = (iso: string) => new Date(new Date(iso).getTime() + 3_600_000).toISOString();
    const patch = await admin.request('PATCH', `/api/sessions/${sessionId}`, {
      startsAt: later(sess.starts_at),
      endsAt: later(sess.ends_at),
    });
    expect(patch.statusCode, patch.body).toBe(200);
    await runDueJobs(jobContext(srv.app), undefined, { kinds: ['registration.session_changed'] });
    seen.push(await lastMailTo(email, 2));
    expect(seen[1]).toMatchObject({ method: 'REQUEST', status: 'CONFIRMED' });

    // 3. withdraw through the manage link
    const token = /\/registrations\/([A-Za-z0-9_-]+)/.exec(seen[0].mail.text ?? '')![1];
    const cancel = await srv.app.inject({
      method: 'POST',
      url: `/api/registrations/${token}/cancel`,
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    seen.push(await lastMailTo(email, 3));
    expect(seen[2]).toMatchObject({ method: 'CANCEL', status: 'CANCELLED' });
    expect(seen[2].mail.text).not.toMatch(/trägt die Sitzung in Ihren Kalender ein/);

    // 4. register again
    const again = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: body,
    });
    expect(again.statusCode, again.body).toBeLessThan(300);
    seen.push(await lastMailTo(email, 4));
    expect(seen[3]).toMatchObject({ method: 'REQUEST', status: 'CONFIRMED' });

    // 5. the coordinator cancels the session
    await admin.request('PATCH', `/api/sessions/${sessionId}`, { status: 'cancelled' });
    await runDueJobs(jobContext(srv.app), undefined, { kinds: ['registration.session_changed'] });
    seen.push(await lastMailTo(email, 5));
    expect(seen[4]).toMatchObject({ method: 'CANCEL', status: 'CANCELLED' });
    expect(seen[4].mail.text).toContain('entfernt sie aus Ihrem Kalender');
    expect(seen[4].mail.text).not.toMatch(/trägt die Sitzung in Ihren Kalender ein/);

    expect(new Set(seen.map((x) => x.uid)).size).toBe(1);
    const sequences = seen.map((x) => x.sequence);
    for (let i = 1; i < sequences.length; i++) expect(sequences[i]).toBeGreaterThan(sequences[i - 1]);
    expect(seen.map((x) => x.method)).toEqual(['REQUEST', 'REQUEST', 'CANCEL', 'REQUEST', 'CANCEL']);

    // The feed is never older than what was mailed, and shows the cancellation.
    const feed = await feedEvent(s.slug, sessionId);
    expect(feed).toEqual({ uid: seen[0].uid, sequence: sequences.at(-1), status: 'CANCELLED' });

    // Moving the site to another address keeps the UID: later updates still reach the same event.
    const moved = await createServer(
      loadConfig(
        { port: 0, dataDir: srv.ctx.config.dataDir, demo: false },
        { ...process.env, LOG_LEVEL: 'warn', COLLOQUY_JOBS: '0', PUBLIC_URL: 'https://two.example.net' },
      ),
      { logger: false },
    );
    try {
      expect((await feedEvent(s.slug, sessionId, moved)).uid).toBe(seen[0].uid);
    } finally {
      await moved.close();
    }
  });
});

describe('reminder e-mails (RFC 8058 one-click unsubscribe)', () => {
  it('carries List-Unsubscribe headers, no attachment and no word of one; the one-click POST stops the next reminder', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const sessionId = await makeSession(srv.ctx.db, s, { daysAhead: 2 });
    const email = `${unique('jonas')}@example.org`;
    const res = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: {
        name: 'Jonas Weber',
        email,
        country: 'DE',
        affiliation: 'Stadtbibliothek',
        answers: { career_stage: 'new' },
        language: 'de',
        timeZone: 'Europe/Berlin',
        consent: true,
        newsOptIn: false,
        sessionIds: [sessionId],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    await smtp.waitFor(smtp.mails.length);
    const before = smtp.mails.filter((m) => m.to.includes(email)).length;
    const regId = (
      await srv.ctx.db
        .selectFrom('registration')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).id;
    const jobs = await srv.ctx.db
      .selectFrom('job')
      .select(['id', 'run_at'])
      .where('unique_key', 'like', `reminder:${regId}:%`)
      .orderBy('run_at')
      .execute();
    expect(jobs).toHaveLength(2);
    const [first, second] = jobs;
    await runDueJobs(jobContext(srv.app), () => new Date(new Date(first.run_at).getTime() + 1000), {
      ids: [first.id],
    });
    await smtp.waitFor(before + 1);
    const raw = smtp.mails.filter((m) => m.to.includes(email));
    expect(raw).toHaveLength(before + 1);
    const mail = await simpleParser(raw.at(-1)!.raw);
    expect(mail.subject).toMatch(/^Erinnerung: /);
    expect(mail.attachments).toHaveLength(0);
    expect(mail.text).not.toMatch(/angehängte|invite\.ics/);
    expect(mail.html).toContain('lang="de"');
    // mailparser reads List-* headers into one "list" object (RFC 2369 / RFC 8058).
    const list = mail.headers.get('list') as {
      unsubscribe?: { url?: string };
      'unsubscribe-post'?: { name?: string };
    };
    const url = list.unsubscribe!.url!;
    expect(url).toMatch(new RegExp(`^https://one\\.example\\.org/registrations/${regId}/reminders-off/`));
    expect(list['unsubscribe-post']?.name).toBe('List-Unsubscribe=One-Click');
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );

    // A wrong signature changes nothing; the GET only shows the button.
    const path = new URL(url).pathname;
    const forged = await srv.app.inject({
      method: 'POST',
      url: path.replace(/[^/]+$/, 'x'.repeat(32)),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(forged.statusCode).toBe(404);
    const look = await srv.app.inject({ url: path });
    expect(look.statusCode).toBe(200);
    expect(look.body).toContain('Keine Erinnerungen mehr');
    // What a mail client sends (RFC 8058 §3.1): a cookie-less form POST.
    const click = await srv.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(click.statusCode, click.body).toBe(200);
    const row = await srv.ctx.db
      .selectFrom('registration')
      .select(['reminders_off', 'status'])
      .where('id', '=', regId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ reminders_off: 1, status: 'confirmed' });
    await runDueJobs(jobContext(srv.app), () => new Date(new Date(second.run_at).getTime() + 1000), {
      ids: [second.id],
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.mails.filter((m) => m.to.includes(email))).toHaveLength(before + 1);
    expect((await srv.app.inject({ url: path })).body).toContain('Sie erhalten keine Erinnerungen mehr');
  });
});
