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
 * (a) authorisation matrix: every operation × ten kinds of caller, no unexpected 2xx (an event stream
 *     that opens counts as a 2xx; streams are opened over a real socket and closed at once);
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
/** The same kinds of object in a draft series nobody but the admin holds a role in. */
let draftIds: Record<string, string>;
let base: string;

beforeAll(async () => {
  srv = await testServer({ COMMENT_RATE_LIMIT: '100000' });
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
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
  const congress = await made('POST', `/api/series/${a.id}/congress`, {
    slug: 'probe-congress',
    title: 'Congress session',
    eventName: 'Congress',
    startsAt: '2030-07-27T08:30',
    endsAt: '2030-07-27T10:00',
    timeZone: 'Europe/Dublin',
  });
  const live = await made('GET', `/api/sessions/${session}/live`, undefined);
  const room = { id: live.roomId, code: live.code };
  ids = {
    'series.id': a.id,
    'sessions.id': session,
    'organisations.id': org.id ?? '',
    'people.id': person.id ?? '',
    'presentations.id': pres.id ?? '',
    'posts.id': post.id ?? '',
    'congress.id': congress.id ?? '',
    'rooms.roomId': room.id ?? '',
    'rooms.code': room.code ?? '',
  };
  const missing = Object.keys(ids).filter((k) => !ids[k]);
  expect(missing, 'fixtures the matrix aims at').toEqual([]);
  const d = await makeSeries(db, { status: 'draft' });
  const draftSession = await makeSession(db, d, { regionKey: 'asia_oceania' });
  draftIds = { 'series.id': d.id, 'sessions.id': draftSession };
}, 120_000);
afterAll(async () => srv.close());

/** Operations about the caller's own account (any signed-in caller may use them). */
const OWN = new Set(['GET /api/auth/me', 'POST /api/auth/logout', 'GET /api/series']);
/**
 * What the public site reads about a PUBLISHED series (the series, its sessions, published posts,
 * congress, registration form) and a live room by its join code (the code is the attendee's key).
 * Logging out without a session is a harmless no-op. The draft pass below checks the same reads of a
 * draft series are refused to everyone outside it.
 */
const PUBLIC_READS =
  /^(GET \/api\/(series|series\/\{id\}(\/registration-questions|\/posts|\/congress)?|sessions\/\{id\}|rooms\/\{code\}(\/events)?)|POST \/api\/auth\/logout)$/;
/** Series A's own people may read what they work on; nobody else outside may. */
const STAFF_READS: Record<string, RegExp> = {
  presenter: /^GET \/api\/(series\/\{id\}(\/directory)?|sessions\/\{id\})$/,
  facilitator: /^GET \/api\/(series\/\{id\}(\/directory)?|sessions\/\{id\}(\/live)?|live\/rooms\/.*)$/,
  coOrganiserOtherRegion:
    /^GET \/api\/(series\/\{id\}(\/directory|\/attendance|\/registrations)?|sessions\/\{id\})$/,
};

function expected(op: Operation, role: Role): boolean {
  const key = `${op.method} ${op.path}`;
  if (op.isPublic || role === 'admin' || role === 'coordinator') return true;
  if (PUBLIC_READS.test(key)) return true;
  if (role === 'anonymous') return false;
  if (OWN.has(key)) return true;
  return STAFF_READS[role]?.test(key) ?? false;
}

/** The status an event stream answers with: opened over a socket, closed as soon as headers arrive. */
async function streamStatus(c: Client, url: string): Promise<number> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 10_000);
  try {
    const res = await fetch(`${base}${url}`, {
      headers: c.cookie ? { cookie: c.cookie } : {},
      signal: abort.signal,
    });
    return res.status;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/** One request with a deadline: a route that answers and never ends fails the case instead of the run. */
async function within(c: Client, method: string, url: string, body: unknown): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(-1), 15_000);
  });
  const status = await Promise.race([c.request(method, url, body).then((r) => r.statusCode), late]);
  clearTimeout(timer);
  return status;
}

describe(`security suite (${DIALECT})`, () => {
  it('(a) gives no unexpected 2xx over every operation × ten kinds of caller', async () => {
    const roles = Object.keys(clients) as Role[];
    let cases = 0;
    let streams = 0;
    let reachedObject = 0;
    const unexpected: string[] = [];
    const hung: string[] = [];
    for (const role of roles)
      for (const op of ops) {
        // The allowed callers' writes would change the objects the others aim at: reads only.
        if (op.isWrite && (role === 'admin' || role === 'coordinator')) continue;
        const url = fillOperationPath(op.path, ids);
        const stream = op.method === 'GET' && op.path.endsWith('/events');
        const status = stream
          ? await streamStatus(clients[role], url)
          : await within(clients[role], op.method, url, op.body ? sample(op.body) : undefined);
        cases++;
        if (stream) streams++;
        if (status === -1) hung.push(`${role} ${op.method} ${op.path}`);
        if (status !== 404) reachedObject++;
        if (status >= 200 && status < 300 && !expected(op, role))
          unexpected.push(`${role} ${op.method} ${op.path} → ${status}`);
      }
    // Draft pass: the public reads of a draft series are refused to everyone who holds no role in it.
    let draftCases = 0;
    const draftOps = ops.filter(
      (o) => PUBLIC_READS.test(`${o.method} ${o.path}`) && o.method === 'GET' && /\{id\}/.test(o.path),
    );
    for (const role of roles.filter((r) => r !== 'admin'))
      for (const op of draftOps) {
        const status = await within(
          clients[role],
          op.method,
          fillOperationPath(op.path, draftIds),
          undefined,
        );
        draftCases++;
        if (status < 400) unexpected.push(`${role} ${op.method} ${op.path} (draft) → ${status}`);
      }
    for (const role of roles.filter((r) => r !== 'admin')) {
      draftCases++;
      const list = await clients[role].request('GET', '/api/series');
      if (list.body.includes(draftIds['series.id']!))
        unexpected.push(`${role} GET /api/series lists the draft`);
    }
    cases += draftCases;
    console.log(
      JSON.stringify({
        authzMatrix: {
          draftCases,
          operations: ops.length,
          roles: roles.length,
          cases,
          streams,
          reachedObject,
          unexpected2xx: unexpected.length,
          hung: hung.length,
        },
      }),
    );
    expect(unexpected).toEqual([]);
    expect(hung).toEqual([]);
  }, 240_000);

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
