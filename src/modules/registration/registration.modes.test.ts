import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { login, testServer } from '../../../test/support/server.ts';
import { startSmtp } from '../../../test/support/smtp.ts';
import type { Running } from '../../server/index.ts';
import { runDueJobs } from '../notify/index.ts';
import { jobContext } from './registration.routes.ts';

let srv: Running;
let smtp: Awaited<ReturnType<typeof startSmtp>>;

beforeAll(async () => {
  process.env.REGISTRATION_RATE_LIMIT = '40';
  smtp = await startSmtp();
  srv = await testServer({ SMTP_URL: smtp.url, COLLOQUY_JOBS: '0' });
});
afterAll(async () => {
  await srv?.close();
  await smtp?.close();
  delete process.env.REGISTRATION_RATE_LIMIT;
});

const person = (email: string, sessionIds: string[] = []) => ({
  name: 'Omar Benali',
  email,
  country: 'MA',
  answers: { career_stage: 'senior' },
  language: 'ar',
  sessionIds,
  consent: true,
});
const tokenOf = (email: string) =>
  /\/registrations\/([A-Za-z0-9_-]+)/.exec(smtp.mails.filter((m) => m.to.includes(email)).at(-1)!.text)![1];

async function series(mode: 'series' | 'session' | 'choose') {
  const s = await makeSeries(srv.ctx.db);
  await srv.ctx.db.updateTable('series').set({ registration_mode: mode }).where('id', '=', s.id).execute();
  return s;
}

describe('registration modes and the manage link', () => {
  it("registers for every upcoming session in 'series' mode, with one invitation per session", async () => {
    const s = await series('series');
    const ids = [
      await makeSession(srv.ctx.db, s, { daysAhead: 3 }),
      await makeSession(srv.ctx.db, s, { daysAhead: 5, regionKey: 'asia_oceania' }),
      await makeSession(srv.ctx.db, s, { daysAhead: -2 }),
    ];
    const email = `${unique('omar')}@example.org`;
    const res = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: person(email),
    });
    expect(res.statusCode).toBe(201);
    expect(
      res.json<{ registrations: { sessionId: string }[] }>().registrations.map((r) => r.sessionId),
    ).toEqual(ids.slice(0, 2));
    const mails = (await smtp.waitFor(smtp.mails.length)).filter((m) => m.to.includes(email));
    expect(mails).toHaveLength(2);
    expect(mails[0].subject).toMatch(/^تم تأكيد التسجيل/);
  });

  it("lets a registrant change the sessions chosen in 'choose' mode", async () => {
    const s = await series('choose');
    const [a, b, c] = [
      await makeSession(srv.ctx.db, s, { daysAhead: 3 }),
      await makeSession(srv.ctx.db, s, { daysAhead: 4 }),
      await makeSession(srv.ctx.db, s, { daysAhead: 5 }),
    ];
    const email = `${unique('choose')}@example.org`;
    await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: person(email, [a, b]),
    });
    const token = tokenOf(email);
    const res = await srv.app.inject({
      method: 'PUT',
      url: `/api/registrations/${token}/sessions`,
      payload: { sessionIds: [b, c] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const fresh = res.json<{ token: string }>().token;
    const view = await srv.app.inject({ method: 'GET', url: `/api/registrations/${fresh}` });
    const regs = view.json<{ registrations: { sessionId: string; status: string }[] }>().registrations;
    expect(regs.map((r) => [r.sessionId, r.status])).toEqual([
      [a, 'cancelled'],
      [b, 'confirmed'],
      [c, 'confirmed'],
    ]);
    // The newest e-mail carries the same link, so the one the registrant used before keeps working.
    expect(fresh).toBe(token);
    expect((await srv.app.inject({ method: 'GET', url: `/api/registrations/${token}` })).statusCode).toBe(
      200,
    );
  });

  it('says when a manage link has expired', async () => {
    const s = await series('session');
    const a = await makeSession(srv.ctx.db, s);
    const email = `${unique('old')}@example.org`;
    await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: person(email, [a]),
    });
    await srv.ctx.db
      .updateTable('registration')
      .set({ manage_token_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('email', '=', email)
      .execute();
    const res = await srv.app.inject({ method: 'GET', url: `/api/registrations/${tokenOf(email)}` });
    expect(res.statusCode).toBe(410);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('manage_link_expired');
  });

  it('accepts and drops a form whose honeypot is filled, keeping nothing', async () => {
    const s = await series('session');
    const a = await makeSession(srv.ctx.db, s);
    const form = await srv.app.inject({
      method: 'GET',
      url: `/series/${s.slug}/register?session=${a}`,
      headers: { accept: 'text/html' },
    });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
    const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const email = `${unique('bot')}@example.org`;
    const body = new URLSearchParams({
      _csrf: csrf,
      language: 'en',
      sessionIds: a,
      name: 'Bot',
      email,
      country: 'US',
      a_career_stage: 'new',
      consent: 'yes',
      website: 'http://spam.example',
    });
    const res = await srv.app.inject({
      method: 'POST',
      url: `/series/${s.slug}/register`,
      payload: body.toString(),
      headers: { cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('We have sent an e-mail');
    expect(
      await srv.ctx.db.selectFrom('registration').select('id').where('email', '=', email).execute(),
    ).toHaveLength(0);
  });

  it('promotes the waiting list when the coordinator raises the capacity', async () => {
    const s = await series('session');
    const a = await makeSession(srv.ctx.db, s, { capacity: 1 });
    const first = `${unique('first')}@example.org`;
    const second = `${unique('second')}@example.org`;
    await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: person(first, [a]),
    });
    await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: person(second, [a]),
    });
    const admin = await login(srv, s.admin.email);
    expect((await admin.request('PATCH', `/api/sessions/${a}`, { capacity: 2 })).statusCode).toBe(200);
    await runDueJobs(jobContext(srv.app), undefined, { kinds: ['registration.promote'] });
    const row = await srv.ctx.db
      .selectFrom('registration')
      .select('status')
      .where('email', '=', second)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('confirmed');
  });
});

describe('custom questions', () => {
  it('lets the coordinator replace the questions; the form and the checks follow', async () => {
    const s = await series('session');
    const a = await makeSession(srv.ctx.db, s);
    const admin = await login(srv, s.admin.email);
    const questions = [
      {
        key: 'member',
        type: 'checkbox',
        required: true,
        label: {
          en: 'I am a member of a national association',
          fr: 'Je suis membre d’une association nationale',
        },
      },
      {
        key: 'division',
        type: 'select',
        required: false,
        label: { en: 'Division' },
        options: [{ value: 'd1', label: { en: 'Division 1' } }],
      },
    ];
    expect(
      (await admin.request('PUT', `/api/series/${s.id}/registration-questions`, { questions })).statusCode,
    ).toBe(200);
    const bad = await admin.request('PUT', `/api/series/${s.id}/registration-questions`, {
      questions: [{ key: 'x', type: 'select', label: { en: 'X' } }],
    });
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('options_required');
    const got = await srv.app.inject({ method: 'GET', url: `/api/series/${s.id}/registration-questions` });
    expect(got.json<{ questions: { key: string }[] }>().questions.map((q) => q.key)).toEqual([
      'member',
      'division',
    ]);
    const email = `${unique('member')}@example.org`;
    const missing = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: { ...person(email, [a]), answers: {} },
    });
    expect(missing.json<{ error: { field: string } }>().error.field).toBe('answers.member');
    const ok = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: { ...person(email, [a]), answers: { member: true } },
    });
    expect(ok.statusCode).toBe(201);
    const form = await srv.app.inject({
      method: 'GET',
      url: `/series/${s.slug}/register?session=${a}&lang=fr`,
      headers: { accept: 'text/html' },
    });
    expect(form.body).toContain('Je suis membre d’une association nationale');
    expect(form.body).not.toContain('a_career_stage');
    await admin.request('PUT', `/api/series/${s.id}/registration-questions`, { questions: [] });
    expect(
      (await srv.app.inject({ method: 'GET', url: `/api/series/${s.id}/registration-questions` })).json<{
        questions: unknown[];
      }>().questions,
    ).toEqual([]);
  });
});

describe('deleting a session', () => {
  it('is refused while people are registered, and allowed once the session is cancelled', async () => {
    const s = await series('session');
    const a = await makeSession(srv.ctx.db, s);
    await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: person(`${unique('del')}@example.org`, [a]),
    });
    const admin = await login(srv, s.admin.email);
    const refused = await admin.request('DELETE', `/api/sessions/${a}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { code: string } }>().error.code).toBe('session_has_registrations');
    await admin.request('PATCH', `/api/sessions/${a}`, { status: 'cancelled' });
    expect((await admin.request('DELETE', `/api/sessions/${a}`)).statusCode).toBe(204);
  });
});

describe('abuse', () => {
  it('rate-limits public registration', async () => {
    const s = await series('session');
    const a = await makeSession(srv.ctx.db, s);
    const codes: number[] = [];
    for (let i = 0; i < 45; i++)
      codes.push(
        (
          await srv.app.inject({
            method: 'POST',
            url: `/api/series/${s.id}/registrations`,
            payload: person('not-an-email', [a]),
          })
        ).statusCode,
      );
    expect(codes).toContain(429);
  });
});
