import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { grant, makeAccount, makeSeries, makeSession, unique } from '../support/factories.ts';
import { anonymous, login, testServer, type Client } from '../support/server.ts';

/**
 * Every route of the planning API, tried as anonymous, a presenter, a co-organiser of another
 * region (Europe, acting on an Asia-Oceania session) and the coordinator: only the intended succeed.
 */
type Who = 'anonymous' | 'presenter' | 'coOtherRegion' | 'coordinator';
const WHO: Who[] = ['anonymous', 'presenter', 'coOtherRegion', 'coordinator'];

let srv: Running;
let clients: Record<Who, Client>;
let series: Awaited<ReturnType<typeof makeSeries>>;
let fx: { asiaSession: string; person: string; org: string };

beforeAll(async () => {
  srv = await testServer();
  const db = srv.ctx.db;
  series = await makeSeries(db);
  const coordinator = await grant(db, await makeAccount(db), series.id, 'coordinator');
  const presenter = await grant(db, await makeAccount(db), series.id, 'presenter');
  const co = await grant(db, await makeAccount(db), series.id, 'co_organiser', series.region('europe').id);
  clients = {
    anonymous: anonymous(srv),
    presenter: await login(srv, presenter.email),
    coOtherRegion: await login(srv, co.email),
    coordinator: await login(srv, coordinator.email),
  };
  const asiaSession = await makeSession(db, series, { regionKey: 'asia_oceania' });
  const admin = await login(srv, series.admin.email);
  const org = (
    await admin.request('POST', `/api/series/${series.id}/organisations`, { name: 'Org' })
  ).json() as { id: string };
  const person = (
    await admin.request('POST', `/api/series/${series.id}/people`, { name: 'Person' })
  ).json() as { id: string };
  fx = { asiaSession, person: person.id, org: org.id };
});
afterAll(async () => srv.close());

interface Case {
  route: string;
  /** Builds a fresh request (objects that a success would consume are made anew each time). */
  make: () => Promise<{ url: string; body?: unknown }>;
  allowed: Who[];
}

const admin = () => login(srv, series.admin.email);
const freshSession = async () => makeSession(srv.ctx.db, series, { regionKey: 'asia_oceania' });
const freshPresentation = async () => {
  const a = await admin();
  const s = await freshSession();
  return (
    (await a.request('POST', `/api/sessions/${s}/presentations`, { title: 'P' })).json() as { id: string }
  ).id;
};
const freshGrant = async () => {
  const acc = await makeAccount(srv.ctx.db);
  return (await grant(srv.ctx.db, acc, series.id, 'presenter')).grants[0].id;
};
const session = { startsAt: '2027-01-10T10:00', endsAt: '2027-01-10T11:00', timeZone: 'Asia/Tokyo' };

/** Organisation names must be unique in a series, so each attempt names a new one. */
let orgNames = 1;
const CASES: Case[] = [
  { route: 'GET /api/series', make: async () => ({ url: '/api/series' }), allowed: WHO },
  {
    route: 'POST /api/series',
    make: async () => ({ url: '/api/series', body: { slug: unique('authz').toLowerCase(), title: 'New' } }),
    allowed: ['coordinator'],
  },
  { route: 'GET /api/series/{id}', make: async () => ({ url: `/api/series/${series.id}` }), allowed: WHO },
  {
    route: 'PATCH /api/series/{id}',
    make: async () => ({ url: `/api/series/${series.id}`, body: { description: 'changed' } }),
    allowed: ['coordinator'],
  },
  {
    route: 'PUT /api/series/{id}/regions',
    make: async () => ({
      url: `/api/series/${series.id}/regions`,
      body: { regions: series.regions.map((r) => ({ key: r.key, name: r.name })) },
    }),
    allowed: ['coordinator'],
  },
  {
    route: 'POST /api/series/{id}/sessions',
    make: async () => ({
      url: `/api/series/${series.id}/sessions`,
      body: { regionKey: 'asia_oceania', title: 'Tokyo', ...session },
    }),
    allowed: ['coordinator'],
  },
  {
    route: 'GET /api/sessions/{id}',
    make: async () => ({ url: `/api/sessions/${fx.asiaSession}` }),
    allowed: WHO,
  },
  {
    route: 'PATCH /api/sessions/{id}',
    make: async () => ({ url: `/api/sessions/${fx.asiaSession}`, body: { description: 'changed' } }),
    allowed: ['coordinator'],
  },
  {
    route: 'DELETE /api/sessions/{id}',
    make: async () => ({ url: `/api/sessions/${await freshSession()}` }),
    allowed: ['coordinator'],
  },
  {
    route: 'GET /api/series/{id}/directory',
    make: async () => ({ url: `/api/series/${series.id}/directory` }),
    allowed: ['presenter', 'coOtherRegion', 'coordinator'],
  },
  {
    route: 'POST /api/series/{id}/organisations',
    make: async () => ({
      url: `/api/series/${series.id}/organisations`,
      body: { name: `Org ${++orgNames}` },
    }),
    allowed: ['coOtherRegion', 'coordinator'],
  },
  {
    route: 'PUT /api/organisations/{id}',
    make: async () => ({ url: `/api/organisations/${fx.org}`, body: { name: 'Org renamed' } }),
    allowed: ['coOtherRegion', 'coordinator'],
  },
  {
    route: 'POST /api/series/{id}/people',
    make: async () => ({ url: `/api/series/${series.id}/people`, body: { name: 'Someone' } }),
    allowed: ['coOtherRegion', 'coordinator'],
  },
  {
    route: 'PUT /api/people/{id}',
    make: async () => ({ url: `/api/people/${fx.person}`, body: { name: 'Renamed' } }),
    allowed: ['coOtherRegion', 'coordinator'],
  },
  {
    route: 'POST /api/sessions/{id}/presentations',
    make: async () => ({ url: `/api/sessions/${fx.asiaSession}/presentations`, body: { title: 'Talk' } }),
    allowed: ['coordinator'],
  },
  {
    route: 'PUT /api/presentations/{id}',
    make: async () => ({ url: `/api/presentations/${await freshPresentation()}`, body: { title: 'Talk 2' } }),
    allowed: ['coordinator'],
  },
  {
    route: 'DELETE /api/presentations/{id}',
    make: async () => ({ url: `/api/presentations/${await freshPresentation()}` }),
    allowed: ['coordinator'],
  },
  {
    route: 'GET /api/series/{id}/roles',
    make: async () => ({ url: `/api/series/${series.id}/roles` }),
    allowed: ['coordinator'],
  },
  {
    route: 'POST /api/series/{id}/invitations',
    make: async () => ({
      url: `/api/series/${series.id}/invitations`,
      body: { email: `${unique('i')}@example.org`, role: 'presenter' },
    }),
    allowed: ['coordinator'],
  },
  {
    route: 'DELETE /api/series/{id}/roles/{grantId}',
    make: async () => ({ url: `/api/series/${series.id}/roles/${await freshGrant()}` }),
    allowed: ['coordinator'],
  },
  {
    route: 'GET /api/auth/me',
    make: async () => ({ url: '/api/auth/me' }),
    allowed: ['presenter', 'coOtherRegion', 'coordinator'],
  },
];

// Routes anyone may call by design (they establish who you are).
const PUBLIC = [
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/setup',
  'POST /api/invitations/{token}/accept',
];
const FOUNDATION_TAGS = new Set(['series', 'sessions', 'people', 'accounts']);

describe(`authorisation of every planning route (${DIALECT})`, () => {
  it('covers every route of the planning API', async () => {
    const doc = (await anonymous(srv).request('GET', '/api/openapi.json')).json() as {
      paths: Record<string, Record<string, { tags?: string[] }>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => (op.tags ?? []).some((t) => FOUNDATION_TAGS.has(t)))
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    const covered = new Set([...CASES.map((c) => c.route), ...PUBLIC]);
    expect(routes.filter((r) => !covered.has(r))).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.route}: only ${c.allowed.join(', ')}`, async () => {
      const [method] = c.route.split(' ');
      const outcome: Record<string, number> = {};
      for (const who of WHO) {
        const { url, body } = await c.make();
        outcome[who] = (await clients[who].request(method, url, body)).statusCode;
      }
      for (const who of WHO) {
        if (c.allowed.includes(who)) expect(outcome[who], `${who} should succeed`).toBeLessThan(300);
        else expect(outcome[who], `${who} should be refused`).toBe(who === 'anonymous' ? 401 : 403);
      }
    });
  }
});
