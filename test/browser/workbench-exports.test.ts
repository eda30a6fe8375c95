// Exports as a coordinator meets them: a button on the workbench starts a job, the exports page follows
// it without JavaScript (it refreshes itself), and the download link gives the file the job built.
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeries } from '../../src/modules/series/index.ts';
import { exportSeries } from '../../src/modules/workbench/index.ts';
import { importSource } from '../../src/modules/workbench/sources.import.ts';
import { openWorkbench } from '../../src/modules/workbench/workbench.service.ts';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, PASSWORD } from '../support/factories.ts';
import { testServer } from '../support/server.ts';

let srv: Running;
let browser: Browser;
let base: string;

beforeAll(async () => {
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

const CSV = [
  'id,region,prompt_kind,text,career_stage',
  'a1,europe,best_practice,A senior director mentored me for a year.,new',
  'a2,asia_oceania,need,We need leadership training for new professionals.,senior',
  'a3,europe,recommendation,Build teams that mix new and senior staff.,new',
  'a4,sub_saharan_africa,need,Funding and grants to attend courses.,mid',
].join('\n');

describe('workbench exports in the browser', () => {
  it('a coordinator clicks an export button, follows the job on the exports page and downloads the file', async () => {
    const db = srv.ctx.db;
    const series = await makeSeries(db);
    await openWorkbench(db, series.id);
    await importSource(db, series.id, { kind: 'csv', name: 'survey.csv', data: Buffer.from(CSV) });
    const coord = await grant(db, await makeAccount(db), series.id, 'coordinator');
    // JavaScript off: the page must follow the job on its own.
    const ctx = await browser.newContext({ acceptDownloads: true, javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#f-email', coord.email);
    await page.fill('#f-password', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const wb = `${base}/console/series/${series.id}/workbench`;

    await page.goto(wb);
    await page.click('form.exports button:has-text("Coded units (CSV)")');
    await page.waitForURL(`${wb}/exports?notice=started`);
    expect(await page.textContent('.notice')).toContain('Your export has been asked for');
    expect(await page.textContent('h1')).toBe('Exports');
    // The page refreshes itself until the file is ready, then offers it.
    const link = page.locator('ul.queue > li:first-child[data-status=done] a[download]');
    await link.waitFor({ timeout: 60_000 });
    expect(await page.textContent('ul.queue > li:first-child')).toContain('Ready');
    expect(await page.locator('meta[http-equiv=refresh]').count()).toBe(0);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const bytes = readFileSync((await download.path())!);
    const direct = await exportSeries(db, (await findSeries(db, series.id))!, 'csv', {}, 'en');
    expect(download.suggestedFilename()).toBe(direct.fileName);
    expect(bytes.equals(direct.body)).toBe(true);

    await ctx.close();

    // With JavaScript (axe runs in the page): English at 1,280 px, Arabic at 360 px, right to left,
    // nothing wider than the window, axe clean.
    const js = await browser.newContext();
    const p2 = await js.newPage();
    await p2.goto(`${base}/login`);
    await p2.fill('#f-email', coord.email);
    await p2.fill('#f-password', PASSWORD);
    await p2.click('button[type=submit]');
    await p2.waitForURL((u) => !u.pathname.startsWith('/login'));
    await p2.goto(`${wb}/exports`);
    expect(await seriousA11yViolations(p2)).toEqual([]);
    await p2.setViewportSize({ width: 360, height: 800 });
    await p2.goto(`${wb}/exports?lang=ar`);
    expect(await p2.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await p2.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await p2.textContent('ul.queue > li:first-child')).toContain('جاهز');
    expect(await seriousA11yViolations(p2)).toEqual([]);
    await js.close();
  }, 180_000);
});
