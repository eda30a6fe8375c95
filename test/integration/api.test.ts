import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { makeAccount, unique } from '../support/factories.ts';
import { anonymous, login, testServer, type Client } from '../support/server.ts';

let srv: Running;
let admin: Client;
beforeAll(async () => {
  srv = await testServer();
  const a = await makeAccount(srv.ctx.db, { admin: true, name: 'Ada Admin' });
  admin = await login(srv, a.email);
});
afterAll(async () => srv.close());

const newSeries = (over: Record<string, unknown> = {}) => ({
  slug: unique('s').toLowerCase(),
  title: 'Leaders worldwide',
  status: 'published',
  ...over,
});

describe(`the JSON API (${DIALECT})`, () => {
  it('answers /healthz with the database in use', async () => {
    const res = await anonymous(srv).request('GET', '/healthz');
    expect(res.json()).toEqual({ status: 'ok', db: DIALECT });
  });

  it('describes itself with an OpenAPI 3.1 document generated from the route schemas', async () => {
    const doc = (await anonymous(srv).request('GET', '/api/openapi.json')).json() as {
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/series',
        '/api/series/{id}',
        '/api/series/{id}/sessions',
        '/api/sessions/{id}',
      ]),
    );
    expect(doc.paths['/api/series'].post.requestBody).toBeTruthy();
  });

  it('creates a series with the six default regions and sessions whose instants are UTC', async () => {
    const created = await admin.request('POST', '/api/series', newSeries());
    expect(created.statusCode).toBe(201);
    const s = created.json() as { id: string; slug: string; regions: { key: string }[] };
    expect(s.regions.map((r) => r.key)).toEqual([
      'asia_oceania',
      'europe',
      'latin_america_caribbean',
      'middle_east_north_africa',
      'north_america',
      'sub_saharan_africa',
    ]);
    const sess = await admin.request('POST', `/api/series/${s.id}/sessions`, {
      regionKey: 'latin_america_caribbean',
      title: 'Lima',
      startsAt: '2026-04-27T10:00',
      endsAt: '2026-04-27T11:30',
      timeZone: 'America/Lima',
    });
    expect(sess.statusCode).toBe(201);
    expect(sess.json()).toMatchObject({
      startsAt: '2026-04-27T15:00:00.000Z',
      endsAt: '2026-04-27T16:30:00.000Z',
      timeZone: 'America/Lima',
      region: { key: 'latin_america_caribbean' },
    });
    const pub = (await anonymous(srv).request('GET', `/api/series/${s.slug}`)).json() as {
      sessions: { url: string; startsAt: string }[];
    };
    expect(pub.sessions[0].url).toMatch(new RegExp(`^/series/${s.slug}/sessions/[0-9a-f-]{36}$`));
    const page = await anonymous(srv).request('GET', pub.sessions[0].url);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('10:00');
    expect(page.body).toContain('America/Lima');
  });

  it.each([
    [
      'a session that ends before it starts',
      { startsAt: '2026-04-27T10:00', endsAt: '2026-04-27T09:00', timeZone: 'UTC' },
      422,
      'session_ends_before_start',
      'endsAt',
    ],
    [
      'an unknown time zone',
      { startsAt: '2026-04-27T10:00', endsAt: '2026-04-27T11:00', timeZone: 'Mars/Olympus' },
      422,
      'unknown_time_zone',
      'timeZone',
    ],
    [
      'a date that does not exist',
      { startsAt: '2026-02-30T10:00', endsAt: '2026-03-01T11:00', timeZone: 'UTC' },
      422,
      'invalid_datetime',
      'startsAt',
    ],
    [
      'a too-long title',
      { title: 'x'.repeat(201), startsAt: '2026-04-27T10:00', endsAt: '2026-04-27T11:00', timeZone: 'UTC' },
      422,
      'too_long',
      'title',
    ],
    [
      'a link that is not one',
      {
        videoUrl: 'javascript:alert(1)',
        startsAt: '2026-04-27T10:00',
        endsAt: '2026-04-27T11:00',
        timeZone: 'UTC',
      },
      422,
      'invalid_url',
      'videoUrl',
    ],
    [
      'an unknown region',
      { regionKey: 'atlantis', startsAt: '2026-04-27T10:00', endsAt: '2026-04-27T11:00', timeZone: 'UTC' },
      422,
      'unknown_region',
      'regionKey',
    ],
  ])('refuses %s with a stable code and the field', async (_name, body, status, code, field) => {
    const s = (await admin.request('POST', '/api/series', newSeries())).json() as { id: string };
    const res = await admin.request('POST', `/api/series/${s.id}/sessions`, { title: 'T', ...body });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String), field } });
    expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    const detail = (await admin.request('GET', `/api/series/${s.id}`)).json() as { sessions: unknown[] };
    expect(detail.sessions).toHaveLength(0);
  });

  it('refuses a duplicate slug with 409 slug_taken', async () => {
    const body = newSeries();
    expect((await admin.request('POST', '/api/series', body)).statusCode).toBe(201);
    const again = await admin.request('POST', '/api/series', body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'slug_taken', field: 'slug' } });
  });

  it('refuses an invitation to an address that is not one', async () => {
    const s = (await admin.request('POST', '/api/series', newSeries())).json() as { id: string };
    const res = await admin.request('POST', `/api/series/${s.id}/invitations`, {
      email: 'not-an-address',
      role: 'presenter',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_email', field: 'email' } });
  });

  it('answers an unknown id with 404 and malformed JSON with 400', async () => {
    const res = await anonymous(srv).request('GET', '/api/series/00000000-0000-7000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
    const bad = await srv.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'malformed_json' } });
  });

  it('replaces regions, keeping sessions of regions that stay, refusing to drop one in use', async () => {
    const s = (
      await admin.request(
        'POST',
        '/api/series',
        newSeries({
          regions: [
            { key: 'north', name: 'North' },
            { key: 'south', name: 'South' },
          ],
        }),
      )
    ).json() as { id: string };
    await admin.request('POST', `/api/series/${s.id}/sessions`, {
      regionKey: 'north',
      title: 'N',
      startsAt: '2026-05-01T10:00Z',
      endsAt: '2026-05-01T11:00Z',
      timeZone: 'UTC',
    });
    const drop = await admin.request('PUT', `/api/series/${s.id}/regions`, {
      regions: [{ key: 'south', name: 'South' }],
    });
    expect(drop.statusCode).toBe(409);
    expect(drop.json()).toMatchObject({ error: { code: 'region_in_use' } });
    const ok = await admin.request('PUT', `/api/series/${s.id}/regions`, {
      regions: [
        { key: 'north', name: 'Northern' },
        { key: 'east', name: 'East' },
      ],
    });
    expect(ok.statusCode).toBe(200);
    const d = ok.json() as {
      regions: { key: string; name: string }[];
      sessions: { region: { name: string } }[];
    };
    expect(d.regions.map((r) => r.key)).toEqual(['north', 'east']);
    expect(d.sessions[0].region.name).toBe('Northern');
  });

  it('adds people, organisations and a presentation with its presenters', async () => {
    const s = (await admin.request('POST', '/api/series', newSeries())).json() as {
      id: string;
      slug: string;
    };
    const org = (
      await admin.request('POST', `/api/series/${s.id}/organisations`, {
        name: 'Library Association of Somewhere',
        country: 'ng',
      })
    ).json() as { id: string };
    const person = (
      await admin.request('POST', `/api/series/${s.id}/people`, {
        name: 'Adaeze',
        affiliation: 'LAS',
        bio: 'Librarian',
        organisationId: org.id,
        email: 'ada@example.org',
      })
    ).json() as { id: string };
    const sess = (
      await admin.request('POST', `/api/series/${s.id}/sessions`, {
        regionKey: 'sub_saharan_africa',
        title: 'Lagos',
        startsAt: '2026-06-15T12:00',
        endsAt: '2026-06-15T13:30',
        timeZone: 'Africa/Lagos',
      })
    ).json() as { id: string };
    const pres = await admin.request('POST', `/api/sessions/${sess.id}/presentations`, {
      title: 'Mentoring circles',
      presenterIds: [person.id],
      organisationId: org.id,
    });
    expect(pres.statusCode).toBe(201);
    const pub = (await anonymous(srv).request('GET', `/api/sessions/${sess.id}`)).json() as {
      presentations: { presenters: { name: string; email?: string }[] }[];
    };
    expect(pub.presentations[0].presenters[0].name).toBe('Adaeze');
    expect(pub.presentations[0].presenters[0].email).toBeUndefined();
    const bad = await admin.request('POST', `/api/sessions/${sess.id}/presentations`, {
      title: 'X',
      presenterIds: ['00000000-0000-7000-8000-000000000000'],
    });
    expect(bad.json()).toMatchObject({ error: { code: 'unknown_person', field: 'presenterIds' } });
  });
});
