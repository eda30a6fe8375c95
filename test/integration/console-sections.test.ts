import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import { login, testServer, type Client } from '../support/server.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv.close());

const form = (client: Client, url: string, fields: Record<string, string>) =>
  srv.app.inject({
    method: 'POST',
    url,
    headers: { cookie: client.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: client.csrf, ...fields }).toString(),
  });
const get = (client: Client, url: string) =>
  srv.app.inject({ method: 'GET', url, headers: { cookie: client.cookie, accept: 'text/html' } });

describe(`the console's sections (${DIALECT})`, () => {
  it('splits a series into sections, each with the section menu, none of them the whole series at once', async () => {
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    const sections = ['', '/sessions', '/people', '/team', '/live'];
    for (const path of sections) {
      const res = await get(admin, `/console/series/${s.id}${path}`);
      expect(res.statusCode, path).toBe(200);
      expect(res.body).toContain(`aria-current="page"`);
      for (const other of [
        '/sessions',
        '/people',
        '/team',
        '/registrations',
        '/live',
        '/workbench',
        '/posts',
      ])
        expect(res.body).toContain(`href="/console/series/${s.id}${other}"`);
    }
    // The overview says what to do next on an empty series, with links.
    const overview = await get(admin, `/console/series/${s.id}`);
    expect(overview.body).toContain(`href="/console/series/${s.id}/sessions/new">Add the first session`);
    expect(overview.body).toContain('Invite co-organisers');
    const sessions = await get(admin, `/console/series/${s.id}/sessions`);
    expect(sessions.body).toContain('No sessions yet.');
  });

  it('links each session to its live room, registrants, presenter screen, attendee link and QR code from the start', async () => {
    const s = await makeSeries(srv.ctx.db);
    const sessionId = await makeSession(srv.ctx.db, s);
    const admin = await login(srv, s.admin.email);
    const list = await get(admin, `/console/series/${s.id}/sessions`);
    expect(list.body).toContain(`href="/console/sessions/${sessionId}/live"`);
    expect(list.body).toContain(`href="/console/sessions/${sessionId}/registrants"`);
    // The session's room and join code came with it: nobody has to open the live room first.
    for (const url of [`/console/series/${s.id}/sessions`, `/console/sessions/${sessionId}`]) {
      const after = await get(admin, url);
      const presenter = /href="(\/present\/[^"]+)"/.exec(after.body)?.[1];
      const qr = /href="(\/j\/[^"]+\/qr\.svg)"/.exec(after.body)?.[1];
      expect(presenter, url).toBeTruthy();
      expect(qr, url).toBeTruthy();
      expect(after.body).toMatch(/href="https?:\/\/[^"]+\/j\/[^"]+">Attendee link/);
      const svg = await srv.app.inject({ method: 'GET', url: qr! });
      expect(svg.statusCode).toBe(200);
      expect(svg.body).toContain('<svg');
    }
    const live = await get(admin, `/console/series/${s.id}/live`);
    expect(live.body).toMatch(/<img[^>]+src="\/j\/[^"]+\/qr\.svg"[^>]+alt="QR code/);
  });

  it('puts organisations before people, refuses an unknown country and a second organisation of the same name', async () => {
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    const page = await get(admin, `/console/series/${s.id}/people`);
    expect(page.body.indexOf('id="organisations"')).toBeLessThan(page.body.indexOf('id="people"'));
    const bad = await form(admin, `/console/series/${s.id}/organisations`, {
      name: '',
      country: 'XX',
      website: 'not a url',
    });
    expect(bad.statusCode).toBe(422);
    for (const id of ['o-name', 'o-country', 'o-web']) expect(bad.body, id).toContain(`href="#${id}"`);
    expect(bad.body).toContain('ISO 3166');
    const ok = await form(admin, `/console/series/${s.id}/organisations`, {
      name: 'Lagos Library Guild',
      country: 'ng',
    });
    expect(ok.statusCode).toBe(303);
    expect((await get(admin, ok.headers.location as string)).body).toContain('The organisation was added.');
    const again = await form(admin, `/console/series/${s.id}/organisations`, {
      name: '  lagos  library guild ',
    });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already part of this series');
    const orgs = await srv.ctx.db
      .selectFrom('organisation')
      .select(['name', 'country'])
      .where('series_id', '=', s.id)
      .execute();
    expect(orgs).toEqual([{ name: 'Lagos Library Guild', country: 'NG' }]);
    // The JSON API refuses the same.
    const api = await admin.request('POST', `/api/series/${s.id}/organisations`, {
      name: 'Other',
      country: 'XX',
    });
    expect(api.statusCode).toBe(422);
    expect(api.json()).toMatchObject({ error: { code: 'unknown_country', field: 'country' } });
  });

  it('keeps the team section to coordinators', async () => {
    const s = await makeSeries(srv.ctx.db);
    const co = await login(
      srv,
      (await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'co_organiser', s.region('europe').id))
        .email,
    );
    expect((await get(co, `/console/series/${s.id}/team`)).statusCode).toBe(403);
    const own = await get(co, `/console/series/${s.id}/people`);
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain(`href="/console/series/${s.id}/team"`);
  });
});
