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

const form = (client: Client, url: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  body.append('_csrf', client.csrf);
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
  return srv.app.inject({
    method: 'POST',
    url,
    headers: { cookie: client.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: body.toString(),
  });
};

describe(`the coordinator console (${DIALECT})`, () => {
  it('shows a field error next to the field and keeps what was typed', async () => {
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    const res = await form(admin, `/console/series/${s.id}/sessions/new`, {
      regionKey: 'europe',
      title: 'Keep me',
      startsAt: '2027-01-01T10:00',
      endsAt: '2027-01-01T09:00',
      timeZone: 'Europe/Paris',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="f-endsAt-err"');
    expect(res.body).toContain('value="Keep me"');
  });

  it('lets a co-organiser edit a speaker, and not a presenter', async () => {
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    const person = (
      await admin.request('POST', `/api/series/${s.id}/people`, { name: 'Kofi', bio: 'Trainer' })
    ).json() as { id: string };
    const co = await login(
      srv,
      (await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'co_organiser', s.region('europe').id))
        .email,
    );
    const ok = await form(co, `/console/people/${person.id}`, {
      name: 'Kofi Mensah',
      bio: 'Trains association leaders',
      affiliation: 'WALA',
    });
    expect(ok.statusCode).toBe(303);
    const dir = (await admin.request('GET', `/api/series/${s.id}/directory`)).json() as {
      people: { name: string; bio: string }[];
    };
    expect(dir.people).toContainEqual(
      expect.objectContaining({ name: 'Kofi Mensah', bio: 'Trains association leaders' }),
    );
    const presenter = await login(
      srv,
      (await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'presenter')).email,
    );
    expect((await form(presenter, `/console/people/${person.id}`, { name: 'Hijack' })).statusCode).toBe(403);
  });

  it('escapes what people type when the console shows it', async () => {
    const s = await makeSeries(srv.ctx.db);
    await makeSession(srv.ctx.db, s);
    const admin = await login(srv, s.admin.email);
    await admin.request('POST', `/api/series/${s.id}/people`, {
      name: '<script>alert(1)</script>',
      bio: '"><img src=x onerror=alert(1)>',
    });
    const page = await admin.request('GET', `/console/series/${s.id}/people`);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
