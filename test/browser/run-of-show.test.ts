import { existsSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import { anonymous, login, testServer, type Client } from '../support/server.ts';

let srv: Running;
let browser: Browser;
let base: string;
let host: Client;
let code: string;
let roomId: string;
let sessionId: string;
const ids: string[] = [];

const PROMPTS = [
  { type: 'open_text', kind: 'need', text: { en: 'What slows your team down?', ar: 'ما الذي يبطئ فريقك؟' } },
  {
    type: 'poll',
    text: { en: 'Which format suits you?', ar: 'أي صيغة تناسبك؟' },
    choices: [{ text: { en: 'Workshops', ar: 'ورش عمل' } }, { text: { en: 'Reading groups' } }],
  },
  { type: 'scale', text: { en: 'How ready do you feel?' }, settings: { min: 1, max: 5 } },
];

beforeAll(async () => {
  if (!existsSync('web/dist/console-live.js')) {
    const { build } = await import('vite');
    await build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
  }
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  const db = srv.ctx.db;
  const series = await makeSeries(db);
  sessionId = await makeSession(db, series);
  const acc = await grant(db, await makeAccount(db), series.id, 'facilitator');
  host = await login(srv, acc.email);
  ({ roomId, code } = (await host.request('GET', `/api/sessions/${sessionId}/live`)).json<{
    roomId: string;
    code: string;
  }>());
  for (const p of PROMPTS) {
    const res = await host.request('POST', `/api/live/rooms/${roomId}/prompts`, p);
    expect(res.statusCode).toBe(201);
    ids.push(res.json<{ prompts: { id: string }[] }>().prompts.at(-1)!.id);
  }
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

async function facilitator(viewport = { width: 360, height: 740 }): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport });
  await ctx.addCookies([{ name: 'colloquy_session', value: host.cookie.split('=')[1], url: base }]);
  return ctx;
}

/**
 * Clicks a button and measures, inside the page, how long until `selector` matches: the time a
 * person waits to see their click's effect.
 */
async function clickAndWait(page: Page, button: string, selector: string): Promise<number> {
  await page.locator(button).first().waitFor();
  return page.evaluate(
    async ([b, sel]) => {
      const el = document.querySelector<HTMLButtonElement>(b)!;
      const t0 = performance.now();
      el.click();
      return new Promise<number>((resolve, reject) => {
        const check = () => {
          if (document.querySelector(sel)) resolve(performance.now() - t0);
          else if (performance.now() - t0 > 5000) reject(new Error(`${sel} never appeared`));
          else setTimeout(check, 2);
        };
        check();
      });
    },
    [button, selector] as const,
  );
}

async function answer(body: Record<string, unknown>) {
  const res = await anonymous(srv).request('POST', `/api/rooms/${code}/responses`, {
    clientKey: `k-${Math.random().toString(36).slice(2)}`,
    participantKey: `participant-${Math.random().toString(36).slice(2)}-key`,
    ...body,
  });
  expect(res.statusCode).toBe(201);
  return res.json<{ id: string }>().id;
}

const noOverflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('run of show in the facilitator live room', () => {
  it('steps through prompts, shows each click within 300 ms and never reloads the page', async () => {
    const ctx = await facilitator();
    const page = await ctx.newPage();
    let navigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });
    await page.goto(`${base}/console/sessions/${sessionId}/live`);
    expect(navigations).toBe(1);
    // The links people look for: presenter screen, attendee link, QR code of the attendee link.
    expect(await page.locator(`a[href="/present/${code}"]`).count()).toBe(1);
    expect(await page.locator(`a[href$="/j/${code}"]`).count()).toBe(1);
    const qr = await page.request.get(`${base}/j/${code}/qr.svg`);
    expect(qr.headers()['content-type']).toContain('image/svg+xml');
    expect(await qr.text()).toContain('<svg');
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    const presenter = await (await browser.newContext()).newPage();
    await presenter.goto(`${base}/present/${code}`);

    const timings: Record<string, number> = {};
    timings.start = await clickAndWait(
      page,
      '.ros-controls [data-key="next"]',
      `li[data-prompt-id="${ids[0]}"].current [data-status="open"]`,
    );
    await expect.poll(() => presenter.locator('#prompt').textContent()).toBe(PROMPTS[0].text.en);

    // An attendee's answer arrives through the stream, without a reload.
    const a1 = await answer({ promptId: ids[0], text: 'Too many meetings' });
    await expect
      .poll(() => page.locator(`li[data-answer-id="${a1}"][data-status="visible"]`).count())
      .toBe(1);
    timings.hide = await clickAndWait(
      page,
      `li[data-answer-id="${a1}"] [data-key="hide:${a1}"]`,
      `li[data-answer-id="${a1}"][data-status="hidden"]`,
    );
    timings.close = await clickAndWait(
      page,
      `li[data-prompt-id="${ids[0]}"] [data-key="close:${ids[0]}"]`,
      `li[data-prompt-id="${ids[0]}"] [data-status="closed"]`,
    );
    timings.open = await clickAndWait(
      page,
      `li[data-prompt-id="${ids[0]}"] [data-key="open:${ids[0]}"]`,
      `li[data-prompt-id="${ids[0]}"] [data-status="open"]`,
    );
    timings.makeCurrent = await clickAndWait(
      page,
      `li[data-prompt-id="${ids[2]}"] [data-key="current:${ids[2]}"]`,
      `li[data-prompt-id="${ids[2]}"].current`,
    );
    // The presenter screen follows the current prompt, and its answer label follows the count.
    await expect.poll(() => presenter.locator('#prompt').textContent()).toBe(PROMPTS[2].text.en);
    await answer({ promptId: ids[2], value: 4 });
    await answer({ promptId: ids[2], value: 5 });
    await expect.poll(() => presenter.locator('#ans-label').textContent()).toBe('2 answers');
    await expect.poll(() => page.locator('#live-total').textContent()).toBe('2 answers');

    // Keyboard: P goes back one prompt (closing the one left), N forward again.
    await page.locator('body').press('p');
    await expect.poll(() => page.locator(`li[data-prompt-id="${ids[1]}"].current`).count()).toBe(1);
    expect(await page.locator(`li[data-prompt-id="${ids[2]}"] [data-status="closed"]`).count()).toBe(1);
    await page.locator('body').press('n');
    await expect.poll(() => page.locator(`li[data-prompt-id="${ids[2]}"].current`).count()).toBe(1);
    // Next on the last prompt keeps it current: the room is never left without one.
    expect(await page.locator('.ros-controls [data-key="next"]').count()).toBe(0);
    await page.locator('body').press('r');
    await expect
      .poll(() => page.locator(`li[data-prompt-id="${ids[2]}"] [data-key="unreveal:${ids[2]}"]`).count())
      .toBeGreaterThan(0);

    for (const [what, ms] of Object.entries(timings)) expect(ms, what).toBeLessThan(300);
    expect(navigations).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
    expect(await noOverflow(page)).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await ctx.close();
    await presenter.context().close();
  });

  it('works without JavaScript: each button posts and the page comes back with the change', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
    await ctx.addCookies([{ name: 'colloquy_session', value: host.cookie.split('=')[1], url: base }]);
    const page = await ctx.newPage();
    await page.goto(`${base}/console/sessions/${sessionId}/live`);
    await page.locator(`li[data-prompt-id="${ids[0]}"] [data-key="current:${ids[0]}"]`).click();
    await page.waitForURL(/\/live$/);
    expect(await page.locator(`li[data-prompt-id="${ids[0]}"].current`).count()).toBe(1);
    await ctx.close();
  });

  it('lays the live room out right to left in Arabic at 360 px', async () => {
    const ctx = await facilitator();
    const page = await ctx.newPage();
    await page.goto(`${base}/console/sessions/${sessionId}/live?lang=ar`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.getByRole('heading', { name: 'سير الجلسة' }).count()).toBe(1);
    // The script re-renders in Arabic too: a click keeps the page in the reader's language.
    await page.locator(`li[data-prompt-id="${ids[1]}"] [data-key="current:${ids[1]}"]`).click();
    await expect.poll(() => page.locator(`li[data-prompt-id="${ids[1]}"].current`).count()).toBe(1);
    expect(await page.locator(`li[data-prompt-id="${ids[1]}"] .badge.now`).textContent()).toBe('الحالي');
    expect(await page.locator(`li[data-prompt-id="${ids[1]}"]`).textContent()).toContain('أي صيغة تناسبك؟');
    expect(await noOverflow(page)).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await ctx.close();
  });
});
