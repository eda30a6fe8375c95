import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { makeAccount, PASSWORD } from '../support/factories.ts';
import { anonymous, login, testServer } from '../support/server.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv.close());

const cookieOf = (res: {
  cookies: { name: string; value: string; httpOnly?: boolean; sameSite?: string }[];
}) => res.cookies.find((c) => c.name === 'colloquy_session');

describe(`accounts and sessions (${DIALECT})`, () => {
  it('logs in with an HttpOnly, SameSite session cookie and a new id each time', async () => {
    const a = await makeAccount(srv.ctx.db);
    const first = await srv.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: a.email.toUpperCase(), password: PASSWORD },
    });
    expect(first.statusCode).toBe(200);
    const c1 = cookieOf(first)!;
    expect(c1.httpOnly).toBe(true);
    expect(c1.sameSite).toBe('Lax');
    // Logging in again with the old cookie rotates the id and kills the old session.
    const second = await srv.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: {
        cookie: `colloquy_session=${c1.value}`,
        'x-csrf-token': (first.json() as { csrfToken: string }).csrfToken,
      },
      payload: { email: a.email, password: PASSWORD },
    });
    const c2 = cookieOf(second)!;
    expect(c2.value).not.toBe(c1.value);
    const oldMe = await srv.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `colloquy_session=${c1.value}` },
    });
    expect(oldMe.statusCode).toBe(401);
    const me = await srv.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `colloquy_session=${c2.value}` },
    });
    expect(me.json()).toMatchObject({ account: { email: a.email } });
  });

  it('gives the same answer for a wrong password and an unknown address', async () => {
    const a = await makeAccount(srv.ctx.db);
    const wrong = await anonymous(srv).request('POST', '/api/auth/login', {
      email: a.email,
      password: 'not the password',
    });
    const unknown = await anonymous(srv).request('POST', '/api/auth/login', {
      email: 'nobody@example.org',
      password: 'not the password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('refuses a state-changing request without the CSRF token of the session', async () => {
    const a = await makeAccount(srv.ctx.db, { admin: true });
    const client = await login(srv, a.email);
    const noToken = await srv.app.inject({
      method: 'POST',
      url: '/api/series',
      headers: { cookie: client.cookie },
      payload: { slug: 'csrf-test-x', title: 'X' },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    const wrongToken = await srv.app.inject({
      method: 'POST',
      url: '/api/series',
      headers: { cookie: client.cookie, 'x-csrf-token': 'forged' },
      payload: { slug: 'csrf-test-y', title: 'X' },
    });
    expect(wrongToken.statusCode).toBe(403);
    const form = await srv.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${encodeURIComponent(a.email)}&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(form.statusCode).toBe(403);
  });

  it('logs in through the HTML form with the anonymous CSRF cookie', async () => {
    const a = await makeAccount(srv.ctx.db);
    const get = await srv.app.inject({ method: 'GET', url: '/login' });
    const csrfCookie = get.cookies.find((c) => c.name === 'colloquy_csrf')!;
    const token = /name="_csrf" value="([^"]+)"/.exec(get.body)![1];
    expect(token).toBe(csrfCookie.value);
    const bad = await srv.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: `colloquy_csrf=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${token}&email=${encodeURIComponent(a.email)}&password=wrong`,
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('The e-mail address or the password is not right.');
    expect(bad.body).toContain('aria-invalid="true"');
    const ok = await srv.app.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: `colloquy_csrf=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${token}&email=${encodeURIComponent(a.email)}&password=${encodeURIComponent(PASSWORD)}&next=/console`,
    });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/console');
  });

  it('rate-limits login attempts', async () => {
    const limited = await testServer({ LOGIN_RATE_LIMIT: '5' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 7; i++)
        codes.push(
          (
            await anonymous(limited).request('POST', '/api/auth/login', {
              email: 'x@example.org',
              password: 'guess',
            })
          ).statusCode,
        );
      expect(codes.slice(0, 5).every((c) => c === 401)).toBe(true);
      expect(codes[6]).toBe(429);
      const res = await anonymous(limited).request('POST', '/api/auth/login', {
        email: 'x@example.org',
        password: 'guess',
      });
      expect(res.json()).toMatchObject({ error: { code: 'rate_limited' } });
      expect(res.headers['retry-after']).toBeTruthy();
    } finally {
      await limited.close();
    }
  });

  it('invites a new person by e-mail; the link sets a password and grants the role once', async () => {
    const coord = await makeAccount(srv.ctx.db, { admin: true, name: 'Coordinator' });
    const client = await login(srv, coord.email);
    const s = (
      await client.request('POST', '/api/series', { slug: `inv-${Date.now()}`, title: 'Invites' })
    ).json() as { id: string };
    const email = `new-${Date.now()}@example.org`;
    const inv = await client.request('POST', `/api/series/${s.id}/invitations`, {
      email,
      role: 'co_organiser',
      regionKey: 'europe',
    });
    expect(inv.json()).toEqual({ status: 'invited', email, role: 'co_organiser' });
    const mail = await srv.ctx.db
      .selectFrom('mail_log')
      .selectAll()
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    const token = /\/invite\/([\w-]+)/.exec(mail.text_body)![1];
    const accept = await anonymous(srv).request('POST', `/api/invitations/${token}/accept`, {
      name: 'Nora',
      password: 'a long enough password',
    });
    expect(accept.statusCode).toBe(200);
    expect(accept.json()).toMatchObject({
      account: { email, grants: [{ seriesId: s.id, role: 'co_organiser' }] },
    });
    const again = await anonymous(srv).request('POST', `/api/invitations/${token}/accept`, {
      name: 'Nora',
      password: 'a long enough password',
    });
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ error: { code: 'invitation_used' } });
    const roles = (await client.request('GET', `/api/series/${s.id}/roles`)).json() as {
      roles: { email: string; role: string; regionName: string | null }[];
    };
    expect(roles.roles).toContainEqual(
      expect.objectContaining({ email, role: 'co_organiser', regionName: 'Europe' }),
    );
  });

  it('needs a region to invite a co-organiser', async () => {
    const coord = await makeAccount(srv.ctx.db, { admin: true });
    const client = await login(srv, coord.email);
    const s = (
      await client.request('POST', '/api/series', { slug: `inv2-${Date.now()}`, title: 'Invites' })
    ).json() as { id: string };
    const res = await client.request('POST', `/api/series/${s.id}/invitations`, {
      email: 'x@example.org',
      role: 'co_organiser',
    });
    expect(res.json()).toMatchObject({ error: { code: 'region_required', field: 'regionKey' } });
  });
});
