// Content people enter in several languages, as a facilitator types it and an attendee reads it.
import { existsSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import { login, testServer, type Client } from '../support/server.ts';

let srv: Running;
let browser: Browser;
let base: string;
let host: Client;
let series: Awaited<ReturnType<typeof makeSeries>>;
let sessionId: string;
let roomId: string;
let code: string;

beforeAll(async () => {
  if (!existsSync('web/dist/attendee.js')) {
    const { build } = await import('vite');
    await build({ configFile: 'web/vite.config.ts', logLevel: 'warn' });
  }
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  series = await makeSeries(srv.ctx.db);
  sessionId = await makeSession(srv.ctx.db, series);
  const acc = await grant(srv.ctx.db, await makeAccount(srv.ctx.db), series.id, 'coordinator');
  host = await login(srv, acc.email);
  ({ roomId, code } = (await host.request('GET', `/api/sessions/${sessionId}/live`)).json<{
    roomId: string;
    code: string;
  }>());
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

async function hostContext(): Promise<BrowserContext> {
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: 'colloquy_session', value: host.cookie.split('=')[1], url: base }]);
  return ctx;
}

async function addPrompt(body: object): Promise<string> {
  const res = await host.request('POST', `/api/live/rooms/${roomId}/prompts`, body);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json<{ prompts: { id: string }[] }>().prompts.at(-1)!.id;
}

async function makeCurrent(promptId: string) {
  for (const action of ['open', 'current'])
    await host.request('POST', `/api/live/rooms/${roomId}/prompts/${promptId}/actions`, { action });
}

describe('content in several languages', () => {
  it('an Arabic attendee reads the poll choices and scale labels a facilitator translated in the console', async () => {
    const poll = await addPrompt({
      type: 'poll',
      text: { en: 'Which format suits your team?' },
      choices: [{ text: { en: 'Reading circle' } }, { text: { en: 'Job shadowing' } }],
    });
    const scale = await addPrompt({
      type: 'scale',
      text: { en: 'How ready do you feel to lead?' },
      settings: { min: 1, max: 5, minLabel: { en: 'Not at all' }, maxLabel: { en: 'Fully' } },
    });

    const ctx = await hostContext();
    const page = await ctx.newPage();
    await page.goto(`${base}/console/sessions/${sessionId}/live?translate=${poll}#translate-prompt`);
    const form = page.locator('#translate-prompt');
    // Before translating, the editor sees which languages fall back to English.
    expect(await form.locator('#tp-choice_c1_ar').getAttribute('data-untranslated')).toBe('en');
    expect(await form.textContent()).toContain('not translated yet — shown in English');
    await form.locator('#tp-text_ar').fill('ما الصيغة التي تناسب فريقك؟');
    await form.locator('#tp-choice_c1_ar').fill('حلقة قراءة');
    await form.locator('#tp-choice_c2_ar').fill('مرافقة زميل في عمله');
    await form.getByRole('button', { name: 'Save translations' }).click();
    await page.waitForURL(/saved=translated/);
    expect(await page.locator('#tp-choice_c1_ar').inputValue()).toBe('حلقة قراءة');
    expect(await page.locator('#tp-choice_c1_ar').getAttribute('data-untranslated')).toBeNull();

    await page.locator('#tp-choose').selectOption(scale);
    await page.locator('#translate-prompt').getByRole('button', { name: 'Choose' }).click();
    await page.waitForURL(new RegExp(`translate=${scale}`));
    await page.locator('#tp-text_ar').fill('ما مدى استعدادك للقيادة؟');
    await page.locator('#tp-minLabel_ar').fill('إطلاقًا');
    await page.locator('#tp-maxLabel_ar').fill('تمامًا');
    // A refused save comes back with an error summary linking the wrong field, the other values kept.
    await page.locator('#tp-minLabel_ar').fill('x'.repeat(81));
    await page.locator('#translate-prompt').getByRole('button', { name: 'Save translations' }).click();
    const summary = page.locator('#translate-prompt [role=alert]');
    await expect.poll(() => summary.textContent()).toContain('Please correct the following:');
    expect(await summary.locator('a').getAttribute('href')).toBe('#tp-minLabel_ar');
    expect(await page.locator('#tp-maxLabel_ar').inputValue()).toBe('تمامًا');
    await page.locator('#tp-minLabel_ar').fill('إطلاقًا');
    await page.locator('#translate-prompt').getByRole('button', { name: 'Save translations' }).click();
    await page.waitForURL(/saved=translated/);
    await ctx.close();

    const attendee = await browser.newContext({ locale: 'ar' });
    const a = await attendee.newPage();
    await makeCurrent(poll);
    await a.goto(`${base}/j/${code}`);
    expect(await a.getAttribute('html', 'dir')).toBe('rtl');
    await expect.poll(() => a.locator('main').textContent()).toContain('حلقة قراءة');
    const pollText = (await a.locator('main').textContent()) ?? '';
    expect(pollText).toContain('مرافقة زميل في عمله');
    expect(pollText).not.toContain('Reading circle');

    await a.close();
    await makeCurrent(scale);
    const b = await attendee.newPage();
    await b.goto(`${base}/j/${code}`);
    // One read per try: the attendee page reloads itself when the current prompt changes.
    const scaleOk = async () => {
      const text =
        (await b
          .locator('main')
          .textContent({ timeout: 5_000 })
          .catch(() => '')) ?? '';
      return text.includes('إطلاقًا') && text.includes('تمامًا') && !/Not at all|Fully/.test(text);
    };
    await expect.poll(scaleOk, { timeout: 30_000 }).toBe(true);
    // A reader of a language nobody translated reads the source.
    const zh = await browser.newContext({ locale: 'zh' });
    const z = await zh.newPage();
    await z.goto(`${base}/j/${code}`);
    await expect.poll(() => z.locator('main').textContent()).toContain('Not at all');
    await zh.close();
    await attendee.close();
  }, 180_000);

  it('shows region and theme names in Arabic on the Arabic compare page', async () => {
    const csv = [
      'id,region,prompt_kind,text,submitted_at',
      'a1,europe,need,We need a mentor for every new branch manager.,2022-04-01',
      'a2,europe,need,Leadership training for new professionals.,2022-04-01',
      'a3,asia_oceania,need,Funding to travel to courses.,2022-03-23',
      'a4,asia_oceania,best_practice,A mentor from another library guided me.,2022-03-23',
    ].join('\n');
    const imported = await host.request('POST', `/api/series/${series.id}/workbench/imports`, {
      kind: 'csv',
      name: 'survey',
      content: Buffer.from(csv).toString('base64'),
    });
    expect(imported.statusCode, imported.body).toBeLessThan(300);
    const ctx = await hostContext();
    const page = await ctx.newPage();
    const url = `${base}/console/series/${series.id}/workbench/compare?lang=ar`;
    await page.goto(url);
    await expect
      .poll(
        async () => {
          const text = (await page.locator('main').textContent()) ?? '';
          if (!text.includes('أوروبا')) await page.goto(url);
          return text;
        },
        { timeout: 30_000 },
      )
      .toContain('أوروبا');
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('آسيا وأوقيانوسيا');
    expect(text).toContain('الإرشاد'); // Mentoring
    expect(text).not.toMatch(/\bEurope\b|\bMentoring\b/);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await ctx.close();
  });
});
