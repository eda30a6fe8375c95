import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import { login, testServer } from '../support/server.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv.close());

const htmlTag = (body: string) => /<html lang="([^"]+)" dir="([^"]+)">/.exec(body)?.slice(1);
const get = (url: string, headers: Record<string, string> = {}) =>
  srv.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });

describe(`choosing the language (${DIALECT})`, () => {
  it('follows Accept-Language when nothing else is chosen, right to left in Arabic', async () => {
    const ar = await get('/nothing-here', { 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' });
    expect(ar.statusCode).toBe(404);
    expect(htmlTag(ar.body)).toEqual(['ar', 'rtl']);
    expect(ar.body).toContain('غير موجود'); // "Not found"
    expect(ar.body).not.toContain('>Not found<');
  });

  it('names regions in the reader’s language in the console’s sessions, team and registrants lists', async () => {
    const s = await makeSeries(srv.ctx.db);
    await makeSession(srv.ctx.db, s, { regionKey: 'asia_oceania' });
    const admin = await login(srv, s.admin.email);
    for (const path of ['sessions', 'team', 'registrants']) {
      const fr = await admin.request('GET', `/console/series/${s.id}/${path}?lang=fr`);
      expect(fr.statusCode, path).toBe(200);
      expect(fr.body, path).toContain('Asie-Océanie');
      expect(fr.body, path).not.toContain('>Asia-Oceania<');
    }
  });

  it('remembers ?lang= in a cookie and keeps it on the next page', async () => {
    const first = await get('/nothing-here?lang=fr', { 'accept-language': 'de' });
    expect(htmlTag(first.body)).toEqual(['fr', 'ltr']);
    const cookie = first.cookies.find((c) => c.name === 'colloquy_lang');
    expect(cookie).toMatchObject({ value: 'fr', path: '/', sameSite: 'Lax' });
    const next = await get('/other', { 'accept-language': 'de', cookie: `colloquy_lang=${cookie!.value}` });
    expect(htmlTag(next.body)).toEqual(['fr', 'ltr']);
    // An unknown ?lang= is ignored rather than trusted.
    const bogus = await get('/other?lang=xx', { 'accept-language': 'de' });
    expect(htmlTag(bogus.body)).toEqual(['de', 'ltr']);
    expect(bogus.cookies.find((c) => c.name === 'colloquy_lang')).toBeUndefined();
  });

  it('offers every language on every page, as links that keep the rest of the address', async () => {
    const res = await get('/nothing-here?x=1&lang=ru');
    for (const l of ['ar', 'zh', 'en', 'fr', 'de', 'ru', 'es'])
      expect(res.body).toContain(`href="/nothing-here?x=1&amp;lang=${l}"`);
    expect(res.body).toMatch(/<a[^>]*lang="ru"[^>]*aria-current="true"/);
  });

  it("uses the account's own language, saved on the account page, over the browser's", async () => {
    const a = await makeAccount(srv.ctx.db);
    const c = await login(srv, a.email);
    const headers = { cookie: c.cookie, 'accept-language': 'en' };
    expect(htmlTag((await get('/account', headers)).body)).toEqual(['en', 'ltr']);
    const save = await srv.app.inject({
      method: 'POST',
      url: '/account',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${c.csrf}&language=zh`,
    });
    expect(save.statusCode).toBe(303);
    const page = await get('/account', headers); // no language cookie sent: the account decides
    expect(htmlTag(page.body)).toEqual(['zh', 'ltr']);
    expect(page.body).toContain('您的账户');
    // An explicit ?lang= on a page still wins for that browser.
    expect(htmlTag((await get('/account?lang=es', headers)).body)).toEqual(['es', 'ltr']);
    const bad = await srv.app.inject({
      method: 'POST',
      url: '/account',
      headers: {
        ...headers,
        accept: 'application/json',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: `_csrf=${c.csrf}&language=klingon`,
    });
    expect(bad.statusCode).toBe(422);
  });

  it("names a wrong field of the region-names form in the reader's language", async () => {
    const s = await makeSeries(srv.ctx.db);
    const c = await login(srv, s.admin.email);
    const key = s.regions[0]!.key;
    const res = await srv.app.inject({
      method: 'POST',
      url: `/console/series/${s.id}/region-names?lang=fr`,
      headers: { cookie: c.cookie, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${c.csrf}&name_${key}_fr=${'y'.repeat(121)}`,
    });
    expect(res.statusCode).toBe(422);
    expect(htmlTag(res.body)).toEqual(['fr', 'ltr']);
    expect(res.body).toContain('Veuillez corriger les points suivants');
    expect(res.body).not.toContain('Please correct the following');
    expect(res.body).toContain(`href="#f-name_${key}_fr"`);
    expect(res.body).toContain('Un nom compte au plus 120 caractères.');
  });

  it("writes role mails in the invitee's language, or the inviter's for someone new", async () => {
    const coord = await makeAccount(srv.ctx.db, { admin: true, name: 'Coordinatrice' });
    const c = await login(srv, coord.email);
    await srv.app.inject({
      method: 'POST',
      url: '/account',
      headers: { cookie: c.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${c.csrf}&language=fr`,
    });
    const c2 = await login(srv, coord.email); // a new session reads the saved language
    const s = (
      await c2.request('POST', '/api/series', { slug: `lang-${Date.now()}`, title: 'Réseau' })
    ).json() as {
      id: string;
    };
    const email = `nouvelle-${Date.now()}@example.org`;
    const inv = await c2.request('POST', `/api/series/${s.id}/invitations`, { email, role: 'facilitator' });
    expect(inv.statusCode).toBe(201);
    const mail = await srv.ctx.db
      .selectFrom('mail_log')
      .selectAll()
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    expect(mail.subject).toBe('Invitation : animateur·rice de Réseau');
    expect(mail.text_body).toContain('Coordinatrice vous invite à être animateur·rice');

    // Someone with an account of their own in Russian gets the role note in Russian.
    const ru = await makeAccount(srv.ctx.db, { name: 'Irina' });
    await srv.ctx.db.updateTable('account').set({ language: 'ru' }).where('id', '=', ru.accountId).execute();
    await c2.request('POST', `/api/series/${s.id}/invitations`, { email: ru.email, role: 'presenter' });
    const note = await srv.ctx.db
      .selectFrom('mail_log')
      .selectAll()
      .where('to_address', '=', ru.email)
      .executeTakeFirstOrThrow();
    expect(note.subject).toBe('Теперь вы докладчик в серии «Réseau»');
  });

  it('translates API errors by their stable code', async () => {
    const res = await srv.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { 'accept-language': 'de' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: { code: 'unauthenticated', message: 'Bitte melden Sie sich zuerst an.' },
    });
  });
});
