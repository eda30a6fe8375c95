import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT } from '../../../test/support/db.ts';
import { makeSeries, makeSession, unique } from '../../../test/support/factories.ts';
import { anonymous, login, testServer } from '../../../test/support/server.ts';
import type { Running } from '../../server/index.ts';
import { runDueJobs } from '../notify/index.ts';
import { jobContext } from './registration.routes.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer({ PUBLIC_URL: 'https://colloquy.example.org', COLLOQUY_JOBS: '0' });
});
afterAll(async () => srv?.close());

describe(`the registrant's join page (${DIALECT})`, () => {
  it('shows the video link and the live room to the registrant only; the public page shows the video link only when marked public', async () => {
    const s = await makeSeries(srv.ctx.db);
    const sessionId = await makeSession(srv.ctx.db, s);
    const email = `${unique('join')}@example.org`;
    const reg = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/registrations`,
      payload: {
        name: 'Amina Yusuf',
        email,
        country: 'NG',
        affiliation: '',
        answers: { career_stage: 'new' },
        language: 'ar',
        consent: true,
        newsOptIn: false,
        sessionIds: [sessionId],
      },
    });
    expect(reg.statusCode).toBe(201);
    await runDueJobs(jobContext(srv.app));
    const mail = await srv.ctx.db
      .selectFrom('mail_log')
      .select('text_body')
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow();
    const join = /https:\/\/colloquy\.example\.org(\/join\/[\w-]+\/[\w-]+)/.exec(mail.text_body)?.[1];
    expect(join, mail.text_body).toBeTruthy();
    const page = await anonymous(srv).request('GET', join!);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toContain('no-store');
    expect(page.body).toContain('href="https://video.example.org/x"');
    expect(page.body).toContain(`href="/sessions/${sessionId}/join"`);
    expect(page.body).toContain('dir="rtl"');
    // A forged signature opens nothing.
    expect(
      (await anonymous(srv).request('GET', join!.replace(/[\w-]+$/, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')))
        .statusCode,
    ).toBe(404);

    // The public session page and API keep the video link to themselves until it is marked public.
    const publicApi = async () =>
      (
        (await anonymous(srv).request('GET', `/api/series/${s.slug}`)).json() as {
          sessions: { id: string; videoUrl: string | null }[];
        }
      ).sessions.find((x) => x.id === sessionId)!.videoUrl;
    const publicPage = async () =>
      (await srv.app.inject({ method: 'GET', url: `/series/${s.slug}/sessions/${sessionId}` })).body;
    expect(await publicApi()).toBeNull();
    expect(await publicPage()).not.toContain('video.example.org');
    const admin = await login(srv, s.admin.email);
    const patch = await admin.request('PATCH', `/api/sessions/${sessionId}`, { videoPublic: true });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(await publicApi()).toBe('https://video.example.org/x');
    expect(await publicPage()).toContain('video.example.org');
  });
});
