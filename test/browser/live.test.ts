import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import { login, testServer, type Client } from '../support/server.ts';

let srv: Running;
let browser: Browser;
let base: string;
let host: Client;
let code: string;
let roomId: string;
let sessionId: string;
let promptId: string;

beforeAll(async () => {
  if (!existsSync('web/dist/attendee.js')) {
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
  const room = (await host.request('GET', `/api/sessions/${sessionId}/live`)).json<{
    roomId: string;
    code: string;
  }>();
  ({ roomId, code } = room);
  const created = (
    await host.request('POST', `/api/live/rooms/${roomId}/prompts`, {
      type: 'open_text',
      kind: 'best_practice',
      text: { en: 'Which practice helps new leaders most?', ar: 'ما الممارسة التي تساعد القادة الجدد أكثر؟' },
    })
  ).json<{ prompts: { id: string }[] }>();
  promptId = created.prompts.at(-1)!.id;
  await host.request('POST', `/api/live/rooms/${roomId}/prompts/${promptId}/actions`, { action: 'open' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

async function presenterCount(page: Page, text: string) {
  return page.locator('#res li', { hasText: text }).count();
}

describe('live conversations in a real browser', () => {
  it('takes an answer on a throttled 2G connection and shows it on the presenter screen', async () => {
    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/present/${code}`);
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 800,
      downloadThroughput: (50 * 1024) / 8,
      uploadThroughput: (20 * 1024) / 8,
    });
    await page.goto(`${base}/j/${code}`);
    await page.getByLabel('Your answer').fill('Peer mentoring on 2G');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('.out').textContent(), { timeout: 20_000 }).toContain('Thank you');
    await expect.poll(() => presenterCount(screen, 'Peer mentoring on 2G'), { timeout: 10_000 }).toBe(1);
    await ctx.close();
  });

  it('keeps an answer given offline and sends it exactly once when the network returns', async () => {
    const screen = await (await browser.newContext()).newPage();
    await screen.goto(`${base}/present/${code}`);
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/j/${code}`);
    await ctx.setOffline(true);
    await page.getByLabel('Your answer').fill('Answer written in a tunnel');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('.out').textContent()).toContain('Saved on this phone');
    expect(
      await page.evaluate(
        () => (JSON.parse(localStorage.getItem('colloquy.outbox') || '[]') as unknown[]).length,
      ),
    ).toBe(1);
    await page.waitForTimeout(1500);
    await ctx.setOffline(false);
    await expect.poll(() => page.locator('.out').textContent(), { timeout: 40_000 }).toContain('Thank you');
    expect(
      await page.evaluate(
        () => (JSON.parse(localStorage.getItem('colloquy.outbox') || '[]') as unknown[]).length,
      ),
    ).toBe(0);
    await expect
      .poll(() => presenterCount(screen, 'Answer written in a tunnel'), { timeout: 10_000 })
      .toBe(1);
    await page.waitForTimeout(1500);
    expect(await presenterCount(screen, 'Answer written in a tunnel')).toBe(1);
    const stored = await srv.ctx.db
      .selectFrom('live_response')
      .select('id')
      .where('room_id', '=', roomId)
      .where('text', '=', 'Answer written in a tunnel')
      .execute();
    expect(stored).toHaveLength(1);
    await ctx.close();
  });

  it('submits an answer with JavaScript turned off', async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${base}/j/${code}?lang=es`);
    await page.getByLabel('Su respuesta').fill('Mentoría sin JavaScript');
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.waitForURL(/thanks=1/);
    await expect.poll(() => page.locator('[role=status]').first().textContent()).toContain('Gracias');
    const stored = await srv.ctx.db
      .selectFrom('live_response')
      .select(['language'])
      .where('room_id', '=', roomId)
      .where('text', '=', 'Mentoría sin JavaScript')
      .execute();
    expect(stored).toEqual([{ language: 'es' }]);
    await ctx.close();
  });

  it('shows the Arabic interface right to left', async () => {
    const ctx = await browser.newContext({ locale: 'ar' });
    const page = await ctx.newPage();
    await page.goto(`${base}/j/${code}`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    await expect.poll(() => page.getByRole('button', { name: 'إرسال' }).count()).toBe(1);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain('ما الممارسة');
    await ctx.close();
  });

  it('has no serious accessibility violations on the attendee, presenter and console pages', async () => {
    const ctx = await browser.newContext();
    await ctx.addCookies([{ name: 'colloquy_session', value: host.cookie.split('=')[1], url: base }]);
    const page = await ctx.newPage();
    for (const path of [
      `/j/${code}`,
      `/j/${code}?lang=ar`,
      `/present/${code}`,
      `/console/sessions/${sessionId}/live`,
    ]) {
      await page.goto(`${base}${path}`);
      expect({ path, violations: await seriousA11yViolations(page) }).toEqual({ path, violations: [] });
    }
    await ctx.close();
  });

  it('lets a facilitator close the prompt from the console and every screen follows', async () => {
    const ctx = await browser.newContext();
    await ctx.addCookies([{ name: 'colloquy_session', value: host.cookie.split('=')[1], url: base }]);
    const a = await ctx.newPage();
    const b = await ctx.newPage();
    await a.goto(`${base}/console/sessions/${sessionId}/live`);
    await b.goto(`${base}/console/sessions/${sessionId}/live`);
    await a.locator('#live-dyn').getByRole('button', { name: 'Close' }).first().click();
    await expect
      .poll(
        () =>
          b
            .locator('#live-dyn')
            .getByRole('button', { name: /^Open:/ })
            .count(),
        {
          timeout: 10_000,
        },
      )
      .toBeGreaterThan(0);
    await ctx.close();
  });
});
