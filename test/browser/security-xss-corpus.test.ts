import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, PASSWORD, unique } from '../support/factories.ts';
import { anonymous, login, testServer, type Client } from '../support/server.ts';
import { ensureWebBuilt } from '../support/web.ts';
import { xssCorpus } from '../support/xss-corpus.ts';
import {
  check,
  feedHtmlParts,
  newTally,
  renderFeedPart,
  spreadPayloads,
  watched,
} from '../support/xss-render.ts';

/**
 * The XSS corpus through every text field people fill outside comments (those have their own
 * 289-payload test in publishing-xss.test.ts): series titles, descriptions and guiding questions,
 * region names, session titles and descriptions, prompt texts and choices, live answers,
 * registration questions and answers, post titles, summaries and bodies. Then rendered in chromium:
 * the pages that show them (public, console, live attendee/presenter/facilitator), every outbox
 * e-mail's HTML, and the RSS/Atom feeds read as a feed reader would (their HTML parts as HTML).
 * Counted: dialogs, payload flags, inline handlers, script-bearing URLs and foreign elements: all 0.
 */
const N = 60;
let srv: Running;
let browser: Browser;
let base: string;
let payloads: string[];

beforeAll(async () => {
  await ensureWebBuilt();
  // Rate limits read from the environment when routes register.
  process.env.REGISTRATION_RATE_LIMIT = '100000';
  process.env.LIVE_ADDRESS_LIMIT = '100000';
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  srv.ctx.config.publicUrl = base;
  browser = await launchBrowser();
  payloads = spreadPayloads(xssCorpus(), N);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

describe('the XSS corpus through every text field people fill', () => {
  it('runs nothing on pages, e-mails and feeds rendered as HTML', async () => {
    const db = srv.ctx.db;
    const p = (i: number, max: number) => payloads[i % N]!.slice(0, max);
    const series = await makeSeries(db);
    const coordAcc = await grant(
      db,
      await makeAccount(db, { name: 'Coordinator' }),
      series.id,
      'coordinator',
    );
    const c: Client = await login(srv, coordAcc.email);
    const ok = async (method: string, url: string, body: unknown, status = [200, 201]) => {
      const res = await c.request(method, url, body);
      expect(status, `${method} ${url}: ${res.body.slice(0, 300)}`).toContain(res.statusCode);
      return res.json<Record<string, unknown>>();
    };
    let fields = 0;

    // Series: title (one per series), description and guiding questions of the main one.
    for (let i = 0; i < 10; i++) {
      await ok('POST', '/api/series', {
        slug: unique(`x${i}`)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-'),
        title: p(i, 200),
        description: p(i + 10, 10_000),
        status: 'published',
      });
      fields += 2;
    }
    await ok('PATCH', `/api/series/${series.id}`, {
      title: p(20, 200),
      description: payloads.join('\n\n').slice(0, 10_000),
      guidingQuestions: payloads.slice(0, 20).map((x) => x.slice(0, 500)),
    });
    fields += 2 + N;

    // Regions, then one session per payload in them.
    await ok('PUT', `/api/series/${series.id}/regions`, {
      regions: Array.from({ length: 50 }, (_, i) => ({ key: `r${i}`, name: p(i, 120) })),
    });
    fields += 50;
    const sessions: string[] = [];
    for (let i = 0; i < N; i++) {
      const s = await ok('POST', `/api/series/${series.id}/sessions`, {
        regionKey: `r${i % 50}`,
        title: p(i, 200),
        description: p(i + 1, 10_000),
        startsAt: new Date(Date.now() + (10 + i) * 86400_000).toISOString().slice(0, 16) + 'Z',
        endsAt: new Date(Date.now() + (10 + i) * 86400_000 + 3600_000).toISOString().slice(0, 16) + 'Z',
        timeZone: 'UTC',
      });
      sessions.push(String(s.id));
      fields += 2;
    }

    // Live: polls whose texts and choices are payloads, then an open question answered with each payload.
    const room = await ok('GET', `/api/sessions/${sessions[0]}/live`, undefined);
    const roomId = String(room.roomId);
    const code = String(room.code);
    for (let i = 0; i < 20; i++) {
      await ok('POST', `/api/live/rooms/${roomId}/prompts`, {
        type: 'poll',
        text: { en: p(i, 500) },
        choices: [
          { id: 'a', text: { en: p(i + 20, 200) } },
          { id: 'b', text: { en: p(i + 40, 200) } },
        ],
      });
      fields += 3;
    }
    const state = await ok('POST', `/api/live/rooms/${roomId}/prompts`, {
      type: 'open_text',
      text: { en: p(59, 500) },
    });
    const openId = (state.prompts as { id: string }[]).at(-1)!.id;
    await ok('POST', `/api/live/rooms/${roomId}/prompts/${openId}/actions`, { action: 'open' });
    for (let i = 0; i < N; i++) {
      const res = await anonymous(srv).request('POST', `/api/rooms/${code}/responses`, {
        promptId: openId,
        clientKey: `k${i}-${unique('c')}`,
        participantKey: `participant-${i}-${unique('p')}`,
        text: payloads[i],
      });
      if (res.statusCode === 422) continue; // refused with a message (e.g. nothing left to say)
      expect(res.statusCode, res.body).toBe(201);
      fields++;
    }

    // Registration: question labels and options, then registrants' names, affiliations and answers.
    await ok('PUT', `/api/series/${series.id}/registration-questions`, {
      questions: [
        ...Array.from({ length: 10 }, (_, i) => ({
          key: `q${i}`,
          type: 'text',
          required: false,
          label: { en: p(i, 300) },
        })),
        {
          key: 'pick',
          type: 'select',
          required: false,
          label: { en: p(10, 300) },
          options: Array.from({ length: 10 }, (_, i) => ({ value: `o${i}`, label: { en: p(i + 11, 200) } })),
        },
      ],
    });
    fields += 21;
    let registrations = 0;
    for (let i = 0; i < N; i++) {
      const res = await anonymous(srv).request('POST', `/api/series/${series.id}/registrations`, {
        name: p(i, 200),
        email: `reg${i}-${unique('r')}@example.org`,
        country: 'FR',
        affiliation: p(i + 3, 300),
        answers: { [`q${i % 10}`]: p(i + 7, 2000) },
        language: 'en',
        sessionIds: [sessions[i % sessions.length]],
        consent: true,
      });
      if (res.statusCode === 422) continue;
      expect([200, 201], res.body.slice(0, 300)).toContain(res.statusCode);
      registrations++;
      fields += 3;
    }
    expect(registrations).toBeGreaterThanOrEqual(N / 2);

    // Posts: title, summary and body.
    let firstPost = '';
    for (let i = 0; i < N; i++) {
      const post = await ok('POST', `/api/series/${series.id}/posts`, {
        slug: unique(`p${i}`)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-'),
        title: p(i, 200),
        summary: p(i + 5, 500),
        bodyMd: `Body ${i}\n\n${payloads[i]}`,
        status: 'published',
      });
      firstPost ||= String(post.slug);
      fields += 3;
    }

    // Render: the pages that show these texts, as a reader and as the coordinator.
    const tally = newTally();
    const findings: unknown[] = [];
    const note = (r: Awaited<ReturnType<typeof check>>) => {
      const { where, ...counts } = r;
      if (Object.values(counts).some((v) => v)) findings.push({ where, ...counts });
    };
    const reader = await watched(await (await browser.newContext()).newPage(), tally);
    const publicPages = [
      '/',
      `/series/${series.slug}`,
      `/series/${series.slug}/register`,
      `/series/${series.slug}/posts`,
      `/series/${series.slug}/posts/${firstPost}`,
      ...sessions.slice(0, 20).map((id) => `/series/${series.slug}/sessions/${id}`),
      `/j/${code}`,
      `/present/${code}`,
    ];
    for (const url of publicPages) {
      await reader.goto(`${base}${url}`, { waitUntil: 'load' });
      if (url.startsWith('/j/') || url.startsWith('/present/')) await reader.waitForTimeout(1500); // live feed
      note(await check(reader, tally, url));
    }
    const staffCtx = await browser.newContext();
    const staff = await watched(await staffCtx.newPage(), tally);
    await staff.goto(`${base}/login`);
    await staff.fill('#f-email', coordAcc.email);
    await staff.fill('#f-password', PASSWORD);
    await staff.click('button[type=submit]');
    await staff.waitForLoadState('load');
    for (const url of [
      `/console/series/${series.id}`,
      `/console/series/${series.id}/registrations`,
      `/console/series/${series.id}/attendance`,
      `/console/series/${series.id}/posts`,
      `/console/series/${series.id}/registration-settings`,
      `/console/sessions/${sessions[0]}`,
    ]) {
      await staff.goto(`${base}${url}`, { waitUntil: 'load' });
      await staff.waitForTimeout(url.startsWith('/console/sessions/') ? 1500 : 0);
      note(await check(staff, tally, url));
    }

    // Every e-mail in the outbox, its HTML rendered as a mail client would (scripts allowed, no CSP).
    const mails = await db.selectFrom('mail_log').select(['kind', 'html_body']).execute();
    // Offline, as a careful mail client: remote images and pages are not fetched.
    const offline = await browser.newContext({ offline: true });
    const mail = await watched(await offline.newPage(), tally);
    let mailsRendered = 0;
    for (const m of mails.filter((x) => x.html_body).slice(0, 80)) {
      await mail.setContent(m.html_body!, { waitUntil: 'domcontentloaded', timeout: 5000 });
      note(await check(mail, tally, `mail ${m.kind}`));
      mailsRendered++;
    }

    // Feeds: each HTML-bearing element's decoded text rendered as HTML, as a feed reader does.
    const feedPage = await watched(await offline.newPage(), tally);
    let feedParts = 0;
    for (const url of [`/series/${series.slug}/feed.rss`, `/series/${series.slug}/feed.atom`]) {
      const res = await srv.app.inject({ url });
      expect(res.statusCode).toBe(200);
      const parts = await feedHtmlParts(feedPage, res.body);
      for (const [i, part] of parts.entries()) {
        await renderFeedPart(feedPage, part);
        note(await check(feedPage, tally, `${url} part ${i}`));
        feedParts++;
      }
    }
    await reader.waitForTimeout(300);

    console.log(
      JSON.stringify({
        xssCorpus: {
          payloads: N,
          fieldsFilled: fields,
          pages: publicPages.length + 6,
          mails: mailsRendered,
          feedParts,
          ...tally,
        },
      }),
    );
    expect(findings).toEqual([]);
    expect(tally.dialogs).toBe(0);
    await staffCtx.close();
  }, 600_000);
});
