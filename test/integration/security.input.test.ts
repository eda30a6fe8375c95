import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { grant, makeAccount, makeSeries, PASSWORD, unique } from '../support/factories.ts';
import { anonymous, login, testServer, type Client } from '../support/server.ts';

/** Bad input gets a 4xx with a stable code, never a 500; partial updates change only what was sent. */
let srv: Running;
let series: Awaited<ReturnType<typeof makeSeries>>;
let admin: Client;

beforeAll(async () => {
  process.env.COMMENT_RATE_LIMIT = '100000';
  srv = await testServer();
  series = await makeSeries(srv.ctx.db);
  admin = await login(srv, series.admin.email);
});
afterAll(async () => srv.close());

describe('dates that do not exist', () => {
  for (const asOf of ['9999-99-99', '2022-13-45', '2022-02-30', '2022-2-3', 'yesterday']) {
    it(`refuses asOf=${asOf} on the compare API, page and export with invalid_date`, async () => {
      const q = `asOf=${encodeURIComponent(asOf)}`;
      const api = await admin.request('GET', `/api/series/${series.id}/workbench/compare?${q}`);
      expect(api.statusCode, api.body).toBe(422);
      expect(api.json().error).toMatchObject({ code: 'invalid_date', field: 'asOf' });
      const exp = await admin.request('GET', `/api/series/${series.id}/workbench/export?format=csv&${q}`);
      expect(exp.statusCode, exp.body).toBe(422);
      expect(exp.json().error.code).toBe('invalid_date');
      const pageRes = await admin.request('GET', `/console/series/${series.id}/workbench/compare?${q}`);
      expect(pageRes.statusCode).toBe(422);
      expect(pageRes.body).toContain('Use a date like 2022-05-31.');
    });
  }

  it('still accepts a real day (2024-02-29) and an empty one', async () => {
    for (const asOf of ['2024-02-29', '']) {
      const api = await admin.request('GET', `/api/series/${series.id}/workbench/compare?asOf=${asOf}`);
      expect(api.statusCode, api.body).toBe(200);
    }
  });
});

describe('Markdown nested beyond reason', () => {
  const deep = ['>'.repeat(2000) + ' x', '- '.repeat(2000) + 'x', '*'.repeat(3000) + 'x' + '*'.repeat(1000)];
  it('refuses a post or a comment nested 2,000 levels deep with markdown_too_deep', async () => {
    for (const body of deep) {
      const post = await admin.request('POST', `/api/series/${series.id}/posts`, {
        slug: unique('deep').toLowerCase(),
        title: 'Deep',
        bodyMd: body,
        status: 'published',
      });
      expect(post.statusCode, post.body).toBe(422);
      expect(post.json().error).toMatchObject({ code: 'markdown_too_deep', field: 'bodyMd' });
    }
    const ok = await admin.request('POST', `/api/series/${series.id}/posts`, {
      slug: unique('ok').toLowerCase(),
      title: 'Nested a little',
      bodyMd: '> a\n> > b\n\n- one\n  - two\n    - three',
      status: 'published',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const postId = ok.json<{ id: string }>().id;
    for (const body of deep) {
      const c = await anonymous(srv).request('POST', `/api/posts/${postId}/comments`, {
        name: 'Deep',
        email: `${unique('d')}@example.org`,
        body: body.slice(0, 5000),
      });
      expect(c.statusCode, c.body).toBe(422);
      expect(c.json().error).toMatchObject({ code: 'markdown_too_deep', field: 'body' });
    }
    // The server still answers.
    expect((await srv.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('unknown series', () => {
  it('answers 404 on blocked words and kinds of a series that does not exist', async () => {
    const unknown = '00000000-0000-7000-8000-000000000000';
    const words = await admin.request('PUT', `/api/series/${unknown}/live/blocked-words`, { words: ['x'] });
    expect(words.statusCode, words.body).toBe(404);
    expect(words.json().error.code).toBe('not_found');
    const kinds = await admin.request('POST', `/api/series/${unknown}/live/kinds`, {
      key: 'idea',
      label: { en: 'Idea' },
    });
    expect(kinds.statusCode, kinds.body).toBe(404);
    const ok = await admin.request('PUT', `/api/series/${series.id}/live/blocked-words`, { words: ['x'] });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('login with an odd next', () => {
  it('redirects to a safe, encoded local address whatever next holds', async () => {
    const cases: [string, string][] = [
      ['/console/ü?x=é', '/console/%C3%BC?x=%C3%A9'],
      ['/çà', '/%C3%A7%C3%A0'],
      ['//evil.example.org', '/console'],
      ['https://evil.example.org', '/console'],
      ['/\\evil', '/console'],
      ['/a\u0000b', '/a%00b'],
    ];
    for (const [next, expected] of cases) {
      const form = await srv.app.inject({ url: '/login' });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1];
      const cookie = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      const res = await srv.app.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          _csrf: csrf,
          email: series.admin.email,
          password: PASSWORD,
          next,
        }).toString(),
      });
      expect(res.statusCode, `${next}: ${res.body.slice(0, 200)}`).toBe(303);
      expect(res.headers.location).toBe(expected);
    }
  });
});

describe('partial updates', () => {
  it('PATCH of a title keeps status, language, tags, cover and translation', async () => {
    const created = await admin.request('POST', `/api/series/${series.id}/posts`, {
      slug: unique('keep').toLowerCase(),
      language: 'fr',
      title: 'Avant',
      summary: 'Résumé',
      bodyMd: 'Corps',
      status: 'published',
      tags: ['mentorat', 'réseau'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    const before = (await admin.request('GET', `/api/posts/${id}`)).json();
    const res = await admin.request('PATCH', `/api/posts/${id}`, { title: 'Après' });
    expect(res.statusCode, res.body).toBe(200);
    const after = (await admin.request('GET', `/api/posts/${id}`)).json();
    expect(after).toMatchObject({
      title: 'Après',
      status: 'published',
      language: 'fr',
      summary: 'Résumé',
      tags: ['mentorat', 'réseau'],
    });
    const { title: _t1, updatedAt: _u1, ...restBefore } = before;
    const { title: _t2, updatedAt: _u2, ...restAfter } = after;
    expect(restAfter).toEqual(restBefore);
  });
});

describe('forms the caller may not submit', () => {
  it('answers 403 to presenters, facilitators and region-less co-organisers; shows them to those who may', async () => {
    const db = srv.ctx.db;
    const roles = {
      presenter: await grant(db, await makeAccount(db), series.id, 'presenter'),
      facilitator: await grant(db, await makeAccount(db), series.id, 'facilitator'),
      coNoRegion: await grant(db, await makeAccount(db), series.id, 'co_organiser'),
      coEurope: await grant(db, await makeAccount(db), series.id, 'co_organiser', series.region('europe').id),
    };
    const seen: Record<string, [number, number]> = {};
    for (const [name, actor] of Object.entries(roles)) {
      const c = await login(srv, actor.email);
      const newSeries = await c.request('GET', '/console/series/new');
      const newSession = await c.request('GET', `/console/series/${series.id}/sessions/new`);
      seen[name] = [newSeries.statusCode, newSession.statusCode];
    }
    const a = await admin.request('GET', `/console/series/${series.id}/sessions/new`);
    expect(seen).toEqual({
      presenter: [403, 403],
      facilitator: [403, 403],
      coNoRegion: [403, 403],
      coEurope: [403, 200],
    });
    expect(a.statusCode).toBe(200);
    expect((await admin.request('GET', '/console/series/new')).statusCode).toBe(200);
  });
});
