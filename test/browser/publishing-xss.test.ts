import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, PASSWORD, unique } from '../support/factories.ts';
import { anonymous, login, testServer } from '../support/server.ts';
import { xssCorpus } from '../support/xss-corpus.ts';

let srv: Running;
let browser: Browser;
let base: string;

beforeAll(async () => {
  process.env.COMMENT_RATE_LIMIT = '100000';
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  srv.ctx.config.publicUrl = base;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

/** Watches a page for any sign a payload ran: a dialog, the flag, inline handlers, scripts or javascript: links. */
function watch(page: Page) {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return {
    dialogs,
    async check(scope: string) {
      await page.mouse.move(5, 5);
      for (const el of await page.locator(`${scope} *`).all().then((l) => l.slice(0, 40))) await el.hover({ timeout: 200, force: true }).catch(() => {});
      await page.waitForTimeout(300);
      const state = await page.evaluate((sel) => {
        const all = [...document.querySelectorAll(`${sel} *`)];
        return {
          flag: (window as unknown as { __xss?: number }).__xss ?? null,
          handlers: all.filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on'))).map((el) => el.outerHTML.slice(0, 120)),
          scripts: document.querySelectorAll('script').length,
          badLinks: [...document.querySelectorAll(`${sel} [href], ${sel} [src], ${sel} [action], ${sel} [formaction]`)]
            .map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? el.getAttribute('formaction') ?? '')
            .filter((u) => !['http:', 'https:', 'mailto:'].includes(new URL(u, document.baseURI).protocol)),
          dangerousTags: all.filter((el) => /^(SCRIPT|IFRAME|OBJECT|EMBED|STYLE|BASE|META|LINK|FORM|SVG|MATH|TEMPLATE)$/i.test(el.tagName)).length,
        };
      }, scope);
      expect(state).toEqual({ flag: null, handlers: [], scripts: 0, badLinks: [], dangerousTags: 0 });
      expect(dialogs).toEqual([]);
    },
  };
}

describe('comments are inert whatever they contain', () => {
  it('renders 200+ XSS payloads harmlessly in the public view, the moderation view and the e-mail', async () => {
    const corpus = xssCorpus();
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const db = srv.ctx.db;
    const series = await makeSeries(db);
    const coord = await makeAccount(db, { name: 'Moderator' });
    await grant(db, coord, series.id, 'coordinator');
    const c = await login(srv, coord.email);
    const post = (await c.request('POST', `/api/series/${series.id}/posts`, { slug: unique('xss').toLowerCase(), title: 'XSS corpus', bodyMd: corpus.slice(0, 40).join('\n\n'), status: 'published' })).json<{ id: string; slug: string }>();

    const ids: string[] = [];
    for (const [i, payload] of corpus.entries()) {
      const res = await anonymous(srv).request('POST', `/api/posts/${post.id}/comments`, { name: i % 4 === 0 ? payload.slice(0, 80) : `Tester ${i}`, email: `t${i}-${unique('x')}@example.org`, body: payload });
      if (res.statusCode === 422) continue; // refused with a message (e.g. nothing left once unsafe markup is removed)
      expect(res.statusCode, `${payload}: ${res.body}`).toBe(201);
      ids.push(res.json<{ id: string }>().id);
    }
    expect(ids.length).toBeGreaterThanOrEqual(200);

    // Moderation view (held comments), logged in as the coordinator.
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const w = watch(page);
    await page.goto(`${base}/login`);
    await page.fill('#f-email', coord.email);
    await page.fill('#f-password', PASSWORD);
    await page.click('button[type=submit]');
    await page.goto(`${base}/console/series/${series.id}/comments`);
    expect(await page.locator('ol.queue > li').count()).toBe(ids.length);
    await w.check('ol.queue .body');

    // Public view, once approved (and the post body, which carried 40 payloads too).
    for (const id of ids) expect((await c.request('POST', `/api/comments/${id}/moderation`, { action: 'approve' })).statusCode).toBe(200);
    const reader = await browser.newContext();
    const rp = await reader.newPage();
    const rw = watch(rp);
    await rp.goto(`${base}/series/${series.slug}/posts/${post.slug}`);
    expect(await rp.locator('.comments li.comment').count()).toBe(ids.length);
    await rw.check('.comments .body');
    await rw.check('.post-body');

    // The moderators' e-mail for each held comment, rendered as a mail client would show its HTML.
    const mails = await db.selectFrom('mail_log').select(['html_body']).where('to_address', '=', coord.email).where('kind', '=', 'comment_held').execute();
    expect(mails.length).toBe(ids.length);
    const mp = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
    const mw = watch(mp);
    for (const m of mails) {
      await mp.setContent(m.html_body!, { waitUntil: 'load' });
      const state = await mp.evaluate(() => ({ flag: (window as unknown as { __xss?: number }).__xss ?? null, scripts: document.querySelectorAll('script').length, handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length }));
      expect(state).toEqual({ flag: null, scripts: 0, handlers: 0 });
    }
    await mp.waitForTimeout(300);
    expect(mw.dialogs).toEqual([]);
    await ctx.close();
    await reader.close();
  });
});
