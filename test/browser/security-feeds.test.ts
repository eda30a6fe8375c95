import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, unique } from '../support/factories.ts';
import { anonymous, login, testServer } from '../support/server.ts';
import { xssCorpus } from '../support/xss-corpus.ts';

/**
 * Feeds rendered as a feed reader does: parse the XML, take each HTML-bearing element's decoded text
 * (RSS description, content:encoded, Atom content type="html") and render it as HTML in chromium.
 * Nothing may run: no dialog, no flag, no script element, no handler attribute.
 */
let srv: Running;
let browser: Browser;

beforeAll(async () => {
  process.env.COMMENT_RATE_LIMIT = '100000';
  srv = await testServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

describe('feeds carry no live markup into a reader', () => {
  it('renders post summaries and comments from 60 XSS payloads inertly in RSS and Atom', async () => {
    const corpus = xssCorpus().slice(0, 120);
    const db = srv.ctx.db;
    const series = await makeSeries(db);
    const coord = await grant(db, await makeAccount(db), series.id, 'coordinator');
    const c = await login(srv, coord.email);
    let posts = 0;
    let firstPost: { id: string; slug: string } | undefined;
    for (const [i, payload] of corpus.slice(0, 60).entries()) {
      const res = await c.request('POST', `/api/series/${series.id}/posts`, {
        slug: unique(`f${i}`).toLowerCase(),
        title: `Post ${i}`,
        summary: payload.slice(0, 500),
        bodyMd: `Body ${i}\n\n${payload}`,
        status: 'published',
      });
      expect(res.statusCode, res.body).toBe(201);
      firstPost ??= res.json<{ id: string; slug: string }>();
      posts++;
    }
    let comments = 0;
    for (const payload of corpus.slice(60)) {
      const res = await anonymous(srv).request('POST', `/api/posts/${firstPost!.id}/comments`, {
        name: 'Reader',
        email: `${unique('r')}@example.org`,
        body: payload,
      });
      if (res.statusCode === 422) continue; // nothing left once unsafe markup is removed
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json<{ id: string }>().id;
      const mod = await c.request('POST', `/api/comments/${id}/moderation`, { action: 'approve' });
      expect(mod.statusCode).toBe(200);
      comments++;
    }
    expect(comments).toBeGreaterThanOrEqual(40);

    const feeds = [
      `/series/${series.slug}/feed.rss`,
      `/series/${series.slug}/feed.atom`,
      `/series/${series.slug}/posts/${firstPost!.slug}/comments.rss`,
      `/series/${series.slug}/posts/${firstPost!.slug}/comments.atom`,
    ];
    const page = await (await browser.newContext()).newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setContent('<!doctype html><html><body><div id="reader"></div></body></html>');
    let rendered = 0;
    for (const url of feeds) {
      const res = await srv.app.inject({ url });
      expect(res.statusCode).toBe(200);
      const state = await page.evaluate(async (xmlText) => {
        const doc = new DOMParser().parseFromString(xmlText, 'application/xml');
        if (doc.querySelector('parsererror')) return { error: 'not well-formed' };
        const htmlParts: string[] = [];
        for (const el of doc.getElementsByTagName('*')) {
          const name = el.localName;
          if (name === 'description' || name === 'encoded') htmlParts.push(el.textContent ?? '');
          if ((name === 'content' || name === 'summary') && el.getAttribute('type') === 'html')
            htmlParts.push(el.textContent ?? '');
        }
        const box = document.getElementById('reader')!;
        let scripts = 0;
        let handlers = 0;
        for (const part of htmlParts) {
          box.innerHTML = part;
          scripts += box.querySelectorAll('script').length;
          handlers += [...box.querySelectorAll('*')].filter((e) =>
            [...e.attributes].some((a) => a.name.toLowerCase().startsWith('on')),
          ).length;
          // Handlers such as onerror fire asynchronously: give them a moment to run.
          await new Promise((r) => setTimeout(r, 5));
        }
        return {
          parts: htmlParts.length,
          scripts,
          handlers,
          flag: (window as unknown as { __xss?: number }).__xss ?? null,
        };
      }, res.body);
      expect(state).toMatchObject({ scripts: 0, handlers: 0, flag: null });
      rendered += (state as { parts: number }).parts;
    }
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    console.log(JSON.stringify({ feedsXss: { posts, comments, feeds: feeds.length, rendered, dialogs: 0 } }));
  });
});
