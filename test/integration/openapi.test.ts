import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { operationIdFor } from '../../src/server/openapi.ts';
import { DIALECT } from '../support/db.ts';
import { grant, makeAccount, makeSeries, makeSession, unique } from '../support/factories.ts';
import { fillOperationPath, operationsOf, sample } from '../support/openapi-cases.ts';
import { anonymous, login, testServer } from '../support/server.ts';

interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, unknown> };
}

let srv: Running;
let doc: Doc;
beforeAll(async () => {
  srv = await testServer();
  doc = (await anonymous(srv).request('GET', '/api/openapi.json')).json<Doc>();
});
afterAll(async () => srv?.close());

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path, method, op })),
  );

describe(`the OpenAPI document (${DIALECT})`, () => {
  it('gives every operation a unique operationId, its responses and its own security requirement', () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(50);
    const ids = all.map((o) => o.op.operationId);
    expect(ids.filter((id) => !id)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, op } of all) {
      expect(op.responses, `${method} ${path}`).toBeTruthy();
      expect(Array.isArray(op.security), `${method} ${path} security`).toBe(true);
      for (const req of op.security!)
        for (const scheme of Object.keys(req))
          expect(doc.components.securitySchemes, `${method} ${path}`).toHaveProperty(scheme);
    }
  });

  it('documents what every GET answers', () => {
    const missing = operations()
      .filter((o) => o.method === 'get')
      .filter(
        (o) => !Object.entries(o.op.responses ?? {}).some(([code, r]) => code.startsWith('2') && r.content),
      )
      .map((o) => o.path);
    expect(missing).toEqual([]);
  });

  it('says which operations need a session and CSRF, and which are public', () => {
    const op = (method: string, path: string) => doc.paths[path][method];
    expect(op('post', '/api/series/{id}/registrations').security).toEqual([]);
    expect(op('post', '/api/series').security).toEqual([{ session: [], csrf: [] }]);
    expect(op('get', '/api/series/{id}/registrations').security).toEqual([{ session: [] }]);
    expect(op('get', '/api/series/{id}/registrations').operationId).toBe('getSeriesByIdRegistrations');
    expect(operationIdFor('POST', '/api/live/rooms/:roomId/prompts/:promptId/actions')).toBe(
      'postLiveRoomsByRoomIdPromptsByPromptIdActions',
    );
  });

  it('lists a series registrants in camelCase, as its schema says', async () => {
    const s = await makeSeries(srv.ctx.db, { registrationMode: 'session' });
    const sessionId = await makeSession(srv.ctx.db, s);
    const email = `${unique('kofi')}@example.org`;
    const reg = await anonymous(srv).request('POST', `/api/series/${s.id}/registrations`, {
      name: 'Kofi Boateng',
      email,
      country: 'GH',
      affiliation: 'Accra Library',
      answers: { career_stage: 'mid' },
      language: 'en',
      timeZone: 'Africa/Accra',
      consent: true,
      newsOptIn: true,
      sessionIds: [sessionId],
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const coordinator = await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'coordinator');
    const client = await login(srv, coordinator.email);
    const res = await client.request('GET', `/api/series/${s.id}/registrations`);
    expect(res.statusCode, res.body).toBe(200);
    const [row] = res.json<{ registrations: Record<string, unknown>[] }>().registrations;
    expect(row).toMatchObject({
      seriesId: s.id,
      sessionId,
      email,
      timeZone: 'Africa/Accra',
      status: 'confirmed',
      newsOptIn: true,
      remindersOff: false,
    });
    expect(Object.keys(row).filter((k) => k.includes('_'))).toEqual([]);
    expect(row).not.toHaveProperty('manageTokenHash');
    expect((await anonymous(srv).request('GET', `/api/series/${s.id}/registrations`)).statusCode).toBe(401);
  });

  it('declares `security: []` exactly for the operations the server answers without sign-in', async () => {
    // Objects of a published series for every path to aim at, so a public read finds what it reads.
    const db = srv.ctx.db;
    const a = await makeSeries(db);
    const session = await makeSession(db, a, { regionKey: 'asia_oceania' });
    const c = await login(srv, (await grant(db, await makeAccount(db), a.id, 'coordinator')).email);
    const made = async (method: string, url: string, body?: unknown) => {
      const r = await c.request(method, url, body);
      expect(r.statusCode, `${method} ${url}: ${r.body.slice(0, 200)}`).toBeLessThan(300);
      return r.json<Record<string, string>>();
    };
    const post = await made('POST', `/api/series/${a.id}/posts`, {
      slug: unique('p').toLowerCase(),
      title: 'Post',
      bodyMd: 'Body',
      status: 'published',
    });
    const congress = await made('POST', `/api/series/${a.id}/congress`, {
      slug: unique('c').toLowerCase(),
      title: 'Congress session',
      eventName: 'Congress',
      startsAt: '2030-07-27T08:30',
      endsAt: '2030-07-27T10:00',
      timeZone: 'Europe/Dublin',
    });
    const live = await made('GET', `/api/sessions/${session}/live`);
    const ids: Record<string, string> = {
      'series.id': a.id,
      'sessions.id': session,
      'posts.id': post.id!,
      'congress.id': congress.id!,
      'rooms.roomId': live.roomId!,
      'rooms.code': live.code!,
    };
    await srv.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
    const ops = operationsOf((await anonymous(srv).request('GET', '/api/openapi.json')).json());
    const wrong: string[] = [];
    let publicOps = 0;
    for (const op of ops) {
      // Every query parameter given a valid value, so a refusal is about the caller, not the input.
      const query = new URLSearchParams(op.query.map((q) => [q.name, String(sample(q.schema, q.name))]));
      const url = `${fillOperationPath(op.path, ids)}${op.query.length ? `?${query}` : ''}`;
      let status: number;
      let code = '';
      if (op.method === 'GET' && op.path.endsWith('/events')) {
        // An event stream: opened over a socket and closed as soon as its headers arrive.
        const abort = new AbortController();
        const res = await fetch(`${base}${url}`, { signal: abort.signal });
        status = res.status;
        if (status >= 400) code = ((await res.json()) as { error?: { code?: string } }).error?.code ?? '';
        abort.abort();
      } else {
        const res = await anonymous(srv).request(op.method, url, op.body ? sample(op.body) : undefined);
        status = res.statusCode;
        if (status >= 400) code = res.json<{ error?: { code?: string } }>().error?.code ?? '';
      }
      // A refusal for want of a signed-in caller (a wrong password at login is not one).
      const refused = status === 403 || (status === 401 && code === 'unauthenticated');
      if (op.isPublic) publicOps++;
      if (op.isPublic === refused)
        wrong.push(
          `${op.method} ${op.path}: ${op.isPublic ? 'public' : 'signed in'} but anonymous → ${status}`,
        );
    }
    console.log(
      JSON.stringify({ openapiSecurity: { operations: ops.length, public: publicOps, wrong: wrong.length } }),
    );
    expect(wrong).toEqual([]);
  }, 120_000);
});
