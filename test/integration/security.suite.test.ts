import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import {
  fillOperationPath,
  fuzzBodies,
  operationsOf,
  sample,
  type Operation,
} from '../support/openapi-cases.ts';
import { listRoutes } from '../support/routes.ts';
import { anonymous, login, testServer, type Client } from '../support/server.ts';

/**
 * The security suite over the generated OpenAPI document (every operation, none listed by hand):
 * (b) CSRF matrix: every cookie-session write without or with a wrong token is refused;
 * (c) schema-driven fuzz: wrong types, huge and odd strings, missing fields, unknown ids: no 5xx.
 * Each prints its figures as one JSON line.
 */
type Role =
  | 'anonymous'
  | 'reader'
  | 'attendee'
  | 'presenter'
  | 'facilitator'
  | 'coOrganiserOtherRegion'
  | 'coOrganiserOtherSeries'
  | 'coordinatorOtherSeries'
  | 'coordinator'
  | 'admin';

let srv: Running;
let ops: Operation[];
let clients: Record<Role, Client>;
let ids: Record<string, string>;

beforeAll(async () => {
  srv = await testServer({ COMMENT_RATE_LIMIT: '100000' });
  ops = operationsOf((await srv.app.inject({ url: '/api/openapi.json' })).json());
  const db = srv.ctx.db;
  const a = await makeSeries(db);
  const b = await makeSeries(db);
  const acct = async (seriesId?: string, role?: Parameters<typeof grant>[3], regionId?: string) => {
    const x = await makeAccount(db);
    if (seriesId && role) await grant(db, x, seriesId, role, regionId ?? null);
    return login(srv, x.email);
  };
  clients = {
    anonymous: anonymous(srv),
    reader: await acct(),
    attendee: await acct(),
    presenter: await acct(a.id, 'presenter'),
    facilitator: await acct(a.id, 'facilitator'),
    coOrganiserOtherRegion: await acct(a.id, 'co_organiser', a.region('europe').id),
    coOrganiserOtherSeries: await acct(b.id, 'co_organiser', b.region('asia_oceania').id),
    coordinatorOtherSeries: await acct(b.id, 'coordinator'),
    coordinator: await acct(a.id, 'coordinator'),
    admin: await login(srv, a.admin.email),
  };
  // The objects every case aims at: series A's, in the Asia-Oceania region.
  const session = await makeSession(db, a, { regionKey: 'asia_oceania' });
  const c = clients.coordinator;
  const made = async (method: string, url: string, body: unknown) => {
    const r = await c.request(method, url, body);
    return r.statusCode < 300 ? (r.json() as Record<string, string | undefined>) : {};
  };
  const org = await made('POST', `/api/series/${a.id}/organisations`, { name: 'Org' });
  const person = await made('POST', `/api/series/${a.id}/people`, { name: 'Person' });
  const pres = await made('POST', `/api/sessions/${session}/presentations`, { title: 'Talk' });
  const post = await made('POST', `/api/series/${a.id}/posts`, {
    slug: `p-${Date.now().toString(36)}`,
    title: 'Post',
    bodyMd: 'Body',
  });
  const congress = await made(
    'POST',
    `/api/series/${a.id}/congress`,
    sample(bodyOf('/api/series/{id}/congress')),
  );
  const live = await made('GET', `/api/sessions/${session}/live`, undefined);
  const room = (live.room ?? live) as { id?: string; code?: string };
  ids = {
    'series.id': a.id,
    'sessions.id': session,
    'organisations.id': org.id ?? '',
    'people.id': person.id ?? '',
    'presentations.id': pres.id ?? '',
    'posts.id': post.id ?? '',
    'congress.id': congress.id ?? '',
    'rooms.roomId': String(room.id ?? ''),
    'rooms.code': String(room.code ?? ''),
  };
  for (const k of Object.keys(ids)) if (!ids[k]) delete ids[k];
}, 120_000);
afterAll(async () => srv.close());

const bodyOf = (path: string) => ops.find((o) => o.path === path && o.method === 'POST')?.body;

describe(`security suite (${DIALECT})`, () => {
  it('(b) refuses every cookie-session write without or with a wrong CSRF token', async () => {
    const c = clients.coordinator;
    const signedLinks = /\/(messages|reminders)-off\/:sig$/;
    const forms = listRoutes(srv.app).filter((r) => r.method !== 'GET' && !r.path.startsWith('/api/'));
    let cases = 0;
    const accepted: string[] = [];
    const send = async (method: string, url: string, json: boolean, token?: string, cookie = c.cookie) => {
      cases++;
      const res = await srv.app.inject({
        method: method as 'POST',
        url,
        headers: {
          ...(cookie ? { cookie } : {}),
          ...(token && json ? { 'x-csrf-token': token } : {}),
          'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
        },
        payload: json
          ? JSON.stringify({})
          : new URLSearchParams(token ? { _csrf: token } : { a: 'b' }).toString(),
      });
      if (res.statusCode !== 403 && res.statusCode !== 401 && res.statusCode !== 429)
        accepted.push(`${method} ${url} ${token ? 'wrong' : 'none'} → ${res.statusCode}`);
    };
    for (const op of ops.filter((o) => o.isWrite)) {
      const url = fillOperationPath(op.path, ids);
      await send(op.method, url, true);
      await send(op.method, url, true, 'wrong-token');
    }
    for (const f of forms.filter((r) => !signedLinks.test(r.path))) {
      const url = f.path.replace(
        /:(\w+)/g,
        (_, n: string) => ids[`series.${n}`] ?? '00000000-0000-7000-8000-000000000000',
      );
      await send(f.method, url, false);
      await send(f.method, url, false, 'wrong-token');
      // An anonymous form without the double-submit cookie's token is refused the same way.
      await send(f.method, url, false, undefined, '');
    }
    console.log(
      JSON.stringify({
        csrfMatrix: {
          apiWrites: ops.filter((o) => o.isWrite).length,
          formRoutes: forms.length,
          cases,
          accepted: accepted.length,
          exemptSignedLinks: forms.filter((r) => signedLinks.test(r.path)).length,
        },
      }),
    );
    expect(accepted).toEqual([]);
  }, 240_000);

  it('(c) answers no 5xx to wrong types, huge and odd strings, missing fields and unknown ids', async () => {
    let cases = 0;
    const fivexx: string[] = [];
    const oddIds = ['x'.repeat(400), '..%2F..%2Fetc%2Fpasswd', '%00', 'ٴ١٢٣', '-1', '1e999'];
    const oddQuery = ['9999-99-99', '2022-13-45', 'x'.repeat(5000), '%F0%9F%98%80%00', '-1', '[]'];
    const callers: Client[] = [clients.coordinator, clients.anonymous];
    for (const op of ops)
      for (const c of callers) {
        const url = fillOperationPath(op.path, ids);
        const tries: { url: string; body?: unknown }[] = [];
        const stream = op.path.endsWith('/events'); // answered with a stream that never ends: bad ids only
        if (op.isWrite) for (const body of fuzzBodies(op.body).slice(0, 24)) tries.push({ url, body });
        if (!stream)
          for (const q of op.query)
            for (const v of oddQuery) tries.push({ url: `${url}?${q.name}=${encodeURIComponent(v)}` });
        for (const bad of op.pathParams.length ? oddIds : [])
          tries.push({
            url: op.path.replace(/\{\w+\}/g, encodeURIComponent(bad)),
            body: op.body ? sample(op.body) : undefined,
          });
        for (const t of tries) {
          cases++;
          const res = await c.request(op.method, t.url, t.body);
          if (res.statusCode >= 500)
            fivexx.push(`${op.method} ${t.url.slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
    console.log(JSON.stringify({ fuzz: { operations: ops.length, cases, fivexx: fivexx.length } }));
    expect(fivexx).toEqual([]);
  }, 400_000);
});
