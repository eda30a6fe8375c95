import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../src/modules/accounts/index.ts';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { grant, makeAccount, makeSeries, unique } from '../support/factories.ts';
import { anonymous, login, testServer, type Client } from '../support/server.ts';

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
const get = (client: Client, url: string) =>
  srv.app.inject({ method: 'GET', url, headers: { cookie: client.cookie, accept: 'text/html' } });

describe(`console forms (${DIALECT})`, () => {
  it('invites into every role from the Team form, with the mail in the outbox', async () => {
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    let res0 = '';
    for (const role of ROLES) {
      const email = `${unique(role)}@example.org`;
      const res = await form(admin, `/console/series/${s.id}/invite`, {
        email,
        role,
        regionKey: role === 'co_organiser' ? 'europe' : '',
      });
      expect(res.statusCode, res.body).toBe(303);
      expect(res.headers.location).toContain('saved=invite');
      res0 = res.headers.location as string;
      const mail = await srv.ctx.db
        .selectFrom('mail_log')
        .selectAll()
        .where('to_address', '=', email)
        .executeTakeFirstOrThrow();
      expect(mail.text_body).toMatch(/\/invite\/[\w-]+/);
      expect(mail.subject).toContain(s.slug);
      // The invitation link opens a page that names the role.
      const token = /\/invite\/([\w-]+)/.exec(mail.text_body)![1];
      const inv = await anonymous(srv).request('GET', `/invite/${token}`);
      expect(inv.statusCode).toBe(200);
      expect(inv.body).toContain(role.replace('_', '-'));
    }
    const page = await get(admin, res0);
    expect(page.body).toContain('The invitation was sent');
    // The team page lists the people who accepted nothing yet as invited only once they accept;
    // the coordinator who created the series is there already.
    expect(page.body).toContain(s.admin.email);
  });

  it('shows every wrong field of an invitation at once, and refuses a non-coordinator', async () => {
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    const res = await form(admin, `/console/series/${s.id}/invite`, {
      email: 'not-an-address',
      role: 'king',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('id="i-email-err"');
    expect(res.body).toContain('id="i-role-err"');
    expect(res.body).toContain('href="#i-email"');
    expect(res.body).toContain('href="#i-role"');
    const before = await srv.ctx.db.selectFrom('mail_log').select('id').execute();
    const co = await form(admin, `/console/series/${s.id}/invite`, {
      email: `${unique('co')}@example.org`,
      role: 'co_organiser',
    });
    expect(co.statusCode).toBe(422);
    expect(co.body).toContain('id="i-region-err"');
    const facilitator = await login(
      srv,
      (await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'facilitator')).email,
    );
    const refused = await form(facilitator, `/console/series/${s.id}/invite`, {
      email: `${unique('x')}@example.org`,
      role: 'coordinator',
    });
    expect(refused.statusCode).toBe(403);
    expect((await srv.ctx.db.selectFrom('mail_log').select('id').execute()).length).toBe(before.length);
  });

  it('shows a new series’ empty title, bad short name and unknown zone at once, linked from the summary', async () => {
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    const res = await form(admin, '/console/series/new', {
      title: '',
      slug: 'Bad Name!',
      timeZone: 'Mars/Olympus',
      languages: 'en',
      regions: 'europe | Europe',
    });
    expect(res.statusCode).toBe(422);
    for (const f of ['title', 'slug', 'timeZone']) {
      expect(res.body).toContain(`id="f-${f}-err"`);
      expect(res.body).toContain(`href="#f-${f}"`);
    }
    expect(res.body).toContain('Short name for the address:');
    expect(res.body).toContain('value="Mars/Olympus"');
    const none = await srv.ctx.db.selectFrom('series').select('id').where('slug', '=', 'Bad Name!').execute();
    expect(none).toEqual([]);
  });

  it('shows every wrong field of a session at once and confirms a saved one', async () => {
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    const bad = await form(admin, `/console/series/${s.id}/sessions/new`, {
      regionKey: 'europe',
      title: '',
      startsAt: 'tomorrow',
      endsAt: '',
      timeZone: 'Nowhere/Town',
      videoUrl: 'javascript:alert(1)',
    });
    expect(bad.statusCode).toBe(422);
    for (const f of ['title', 'startsAt', 'timeZone', 'videoUrl'])
      expect(bad.body, f).toContain(`href="#f-${f}"`);
    const ok = await form(admin, `/console/series/${s.id}/sessions/new`, {
      regionKey: 'europe',
      title: 'Budget basics',
      startsAt: '2030-03-01T10:00',
      endsAt: '2030-03-01T11:00',
      timeZone: 'Europe/Paris',
    });
    expect(ok.statusCode).toBe(303);
    const next = await get(admin, ok.headers.location as string);
    expect(next.body).toContain('The session was added.');
    expect(next.body).toContain('Budget basics');
  });

  it('never shows the text of the address as a confirmation', async () => {
    const s = await makeSeries(srv.ctx.db);
    const admin = await login(srv, s.admin.email);
    const res = await get(admin, `/console/series/${s.id}?saved=${encodeURIComponent('You were hacked')}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('You were hacked');
  });
});
