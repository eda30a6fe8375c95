import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { login, testServer } from '../../../test/support/server.ts';
import { startSmtp } from '../../../test/support/smtp.ts';
import type { Running } from '../../server/index.ts';
import { instanceId, runDueJobs, sessionUid } from '../notify/index.ts';
import { jobContext } from './registration.routes.ts';

let srv: Running;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  smtp = await startSmtp();
  srv = await testServer({
    SMTP_URL: smtp.url,
    COLLOQUY_JOBS: '0',
    PUBLIC_URL: 'https://colloquy.example.org',
  });
});
afterAll(async () => {
  await srv?.close();
  await smtp?.close();
});

const person = (over: Record<string, unknown> = {}) => ({
  name: 'Lucía Paredes',
  email: `${unique('lucia')}@example.org`,
  country: 'PE',
  affiliation: 'Biblioteca Nacional',
  answers: { career_stage: 'new' },
  language: 'es',
  timeZone: 'America/Lima',
  consent: true,
  newsOptIn: false,
  ...over,
});

async function sessionMode() {
  const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
  return s;
}

/** An iCalendar text parsed by Mozilla's ical.js. */
const ical = (text: string) => new ICAL.Component(ICAL.parse(text) as unknown[]);
type Json = { registrations: { status: string }[]; error: { code: string; field?: string } };

const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email));

describe('registration over HTTP with a real SMTP server', () => {
  it('confirms by e-mail in the registrant language with an ICS invitation, and the manage link cancels', async () => {
    const s = await sessionMode();
    const sessionId = await makeSession(srv.ctx.db, s, { capacity: 10 });
    const p = person({ sessionIds: [sessionId] });
    const res = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: p,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Json>().registrations[0].status).toBe('confirmed');
    const [mail] = await smtp.waitFor(smtp.mails.length).then(() => mailsTo(p.email));
    expect(mail.subject).toMatch(/^Inscripción confirmada/);
    expect(mail.text).toContain('Su hora (America/Lima)');
    expect(mail.calendars.length).toBeGreaterThan(0);
    const cal = mail.calendars[0];
    expect(cal.method).toBe('REQUEST');
    const comp = ical(cal.content);
    expect(comp.getFirstPropertyValue('method')).toBe('REQUEST');
    const ev = new ICAL.Event(comp.getFirstSubcomponent('vevent')!);
    const reg = await srv.ctx.db
      .selectFrom('registration')
      .selectAll()
      .where('email', '=', p.email)
      .executeTakeFirstOrThrow();
    const uid = sessionUid(await instanceId(srv.ctx.db), sessionId);
    expect(ev.uid).toBe(uid);
    expect(reg.id).toBeTruthy();
    expect(ev.sequence).toBe(0);
    const sess = await srv.ctx.db
      .selectFrom('session')
      .selectAll()
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    expect(ev.startDate.toJSDate().toISOString()).toBe(sess.starts_at);
    expect(ev.endDate.toJSDate().toISOString()).toBe(sess.ends_at);

    const token = /\/registrations\/([A-Za-z0-9_-]+)/.exec(mail.text)![1];
    const manage = await srv.app.inject({ method: 'GET', url: `/api/registrations/${token}` });
    expect(manage.statusCode).toBe(200);
    expect(manage.json<Json>().registrations[0].status).toBe('confirmed');
    const cancel = await srv.app.inject({
      method: 'POST',
      url: `/api/registrations/${token}/cancel`,
      payload: {},
    });
    expect(cancel.json()).toEqual({ cancelled: 1 });
    const withdrawn = mailsTo(p.email).at(-1)!;
    expect(withdrawn.calendars[0].method).toBe('CANCEL');
    expect(
      ical(withdrawn.calendars[0].content).getFirstSubcomponent('vevent')!.getFirstPropertyValue('uid'),
    ).toBe(uid);
  });

  it('resends the existing confirmation for the same e-mail instead of duplicating', async () => {
    const s = await sessionMode();
    const sessionId = await makeSession(srv.ctx.db, s);
    const p = person({ sessionIds: [sessionId] });
    expect(
      (await srv.app.inject({ method: 'POST', url: `/api/series/${s.id}/registrations`, payload: p }))
        .statusCode,
    ).toBe(201);
    const again = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: { ...p, email: p.email.toUpperCase() },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ outcome: 'resent', registrations: [] });
    const rows = await srv.ctx.db
      .selectFrom('registration')
      .select('id')
      .where('email', '=', p.email)
      .execute();
    expect(rows).toHaveLength(1);
    expect(mailsTo(p.email)).toHaveLength(2);
    // Both mails carry the same manage link, and the first one still opens the registration.
    const links = mailsTo(p.email).map((m) => /\/registrations\/([\w-]{16,64})(?=\s|$)/m.exec(m.text)?.[1]);
    expect(links[0]).toBeTruthy();
    expect(links[1]).toBe(links[0]);
    const first = await srv.app.inject({ method: 'GET', url: `/api/registrations/${links[0]}` });
    expect(first.statusCode).toBe(200);
    expect(first.json<Json>().registrations).toHaveLength(1);
    // A second person's link is another one.
    const other = person({ sessionIds: [sessionId] });
    await srv.app.inject({ method: 'POST', url: `/api/series/${s.id}/registrations`, payload: other });
    const otherLink = /\/registrations\/([\w-]{16,64})(?=\s|$)/m.exec(mailsTo(other.email)[0].text)?.[1];
    expect(otherLink).toBeTruthy();
    expect(otherLink).not.toBe(links[0]);
  });

  it('gives each kind of bad input a clear error on its field', async () => {
    const s = await sessionMode();
    const sessionId = await makeSession(srv.ctx.db, s);
    const past = await makeSession(srv.ctx.db, s, { daysAhead: -1 });
    const post = (over: Record<string, unknown>) =>
      srv.app.inject({
        method: 'POST',
        url: `/api/series/${s.id}/registrations`,
        payload: person({ sessionIds: [sessionId], ...over }),
      });
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ email: 'not-an-address' }, 422, 'invalid_email', 'email'],
      [{ country: 'XX' }, 422, 'unknown_country', 'country'],
      [{ answers: {} }, 422, 'required', 'answers.career_stage'],
      [{ answers: { career_stage: 'emperor' } }, 422, 'invalid_choice', 'answers.career_stage'],
      [{ consent: false }, 422, 'consent_required', 'consent'],
      [{ sessionIds: [past] }, 422, 'registration_closed', 'sessionIds'],
      [{ website: 'http://spam.example' }, 422, 'honeypot', 'website'],
    ];
    for (const [over, status, code, fieldName] of cases) {
      const res = await post(over);
      expect(res.statusCode, JSON.stringify(over)).toBe(status);
      expect(res.json<Json>().error).toMatchObject({ code, field: fieldName });
    }
    expect(
      (
        await srv.app.inject({ method: 'GET', url: '/api/registrations/wrong-token-wrong-token' })
      ).json<Json>().error.code,
    ).toBe('manage_link_invalid');
  });

  it('sends every registrant an update with a raised SEQUENCE when a session is rescheduled, and CANCEL when it is cancelled', async () => {
    const s = await sessionMode();
    const sessionId = await makeSession(srv.ctx.db, s);
    const p = person({ sessionIds: [sessionId], language: 'fr', timeZone: 'Europe/Paris' });
    await srv.app.inject({ method: 'POST', url: `/api/series/${s.id}/registrations`, payload: p });
    const admin = await login(srv, s.admin.email);
    const sess = await srv.ctx.db
      .selectFrom('session')
      .selectAll()
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();
    const newStart = new Date(new Date(sess.starts_at).getTime() + 3600_000).toISOString();
    const newEnd = new Date(new Date(sess.ends_at).getTime() + 3600_000).toISOString();
    const patch = await admin.request('PATCH', `/api/sessions/${sessionId}`, {
      startsAt: newStart,
      endsAt: newEnd,
    });
    expect(patch.statusCode, patch.body).toBe(200);
    await runDueJobs(jobContext(srv.app), undefined, { kinds: ['registration.session_changed'] });
    const update = mailsTo(p.email).at(-1)!;
    expect(update.subject).toMatch(/^Mise à jour/);
    const ev = new ICAL.Event(ical(update.calendars[0].content).getFirstSubcomponent('vevent')!);
    expect(ev.sequence).toBe(1);
    expect(ev.startDate.toJSDate().toISOString()).toBe(newStart);

    await admin.request('PATCH', `/api/sessions/${sessionId}`, { status: 'cancelled' });
    await runDueJobs(jobContext(srv.app), undefined, { kinds: ['registration.session_changed'] });
    const cancel = mailsTo(p.email).at(-1)!;
    expect(cancel.calendars[0].method).toBe('CANCEL');
    const comp = ical(cancel.calendars[0].content);
    expect(comp.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(comp.getFirstSubcomponent('vevent')!.getFirstPropertyValue('sequence')).toBe(2);
    expect(mailsTo(p.email)).toHaveLength(3);
  });
});

describe('the registration form without JavaScript', () => {
  it('shows every wrong field at once, each named and linked in the summary, in the reader’s language', async () => {
    const s = await sessionMode();
    const sessionId = await makeSession(srv.ctx.db, s);
    const csrf = 'form-test-token-0123456789';
    const body = new URLSearchParams({
      _csrf: csrf,
      language: 'es',
      sessionIds: sessionId,
      name: '',
      email: 'no-es-una-direccion',
      country: 'XX',
    });
    const res = await srv.app.inject({
      method: 'POST',
      url: `/series/${s.slug}/register`,
      headers: {
        cookie: `colloquy_csrf=${csrf}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      },
      payload: body.toString(),
    });
    expect(res.statusCode).toBe(422);
    for (const f of ['name', 'email', 'country', 'consent']) {
      expect(res.body, f).toContain(`id="f-${f}-err"`);
      expect(res.body, f).toContain(`href="#f-${f}"`);
    }
    expect(res.body).toContain('Corrija lo siguiente:');
    // The summary names the field in Spanish, then the message.
    expect(res.body).toMatch(/href="#f-email">[^<]*:\s*Escriba una dirección válida/);
    const none = await srv.ctx.db
      .selectFrom('registration')
      .select('id')
      .where('email', '=', 'no-es-una-direccion')
      .execute();
    expect(none).toEqual([]);
  });
});
