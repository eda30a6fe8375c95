import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { XMLParser } from 'fast-xml-parser';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../src/server/app.ts';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, PASSWORD } from '../support/factories.ts';
import { testServer } from '../support/server.ts';

let srv: Running;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(join(WEB_DIST, 'workbench.js')))
    await build({
      configFile: new URL('../../web/vite.config.ts', import.meta.url).pathname,
      logLevel: 'warn',
    });
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

const REGIONS = ['europe', 'asia_oceania', 'latin_america_caribbean', 'sub_saharan_africa'];
const TEXTS: [string, string][] = [
  ['best_practice', 'A senior director mentored me for a year and opened doors.'],
  ['best_practice', 'Coaching calls every month with an external coach.'],
  ['best_practice', 'We meet peers from other libraries in a regional network.'],
  ['recommendation', 'Build strong teams that mix new and senior staff.'],
  ['recommendation', 'Prepare leaders for a crisis like the pandemic closures.'],
  ['need', 'We need leadership training for new professionals.'],
  ['need', 'Better communication between the board and the members.'],
  ['need', 'Funding and grants to attend courses.'],
];
const CSV = [
  'id,region,prompt_kind,text,career_stage,submitted_at',
  ...REGIONS.flatMap((r, i) =>
    TEXTS.map(
      ([k, t], j) =>
        `${r}-${j},${r},${k},"${t}",${['new', 'mid', 'senior'][(i + j) % 3]},2022-0${3 + i}-1${j}`,
    ),
  ),
  'bad,europe,need,,new,2022-04-01',
].join('\n');

async function axe(page: Page, what: string) {
  expect(await seriousA11yViolations(page), what).toEqual([]);
}

/** Presses a decision key and waits until the next page of the queue has loaded. */
async function decide(page: Page, key: string) {
  await page.evaluate(() => ((window as unknown as { stale: boolean }).stale = true));
  await page.keyboard.press(key);
  await page.waitForFunction(
    () => !(window as unknown as { stale?: boolean }).stale && document.readyState === 'complete',
  );
}

/**
 * Clicks an export button on the overview: the job is asked for, the exports page follows it (it
 * refreshes itself) and the file's link is clicked once it is ready.
 */
async function exported(page: Page, wb: string, button: string): Promise<void> {
  await page.goto(wb);
  await page.click(`form.exports button:has-text("${button}")`);
  await page.waitForURL(`${wb}/exports?notice=*`);
  const ready = page.locator('ul.queue > li:first-child[data-status=done] a[download]');
  await ready.waitFor({ timeout: 60_000 });
  await ready.click();
}

const heatText = (page: Page) =>
  page.$$eval('table.heat', (ts) => ts.map((t) => (t as HTMLElement).innerText).join('\n'));

describe('the analysis workbench in the browser', () => {
  it('imports a CSV, codes ten units with the keyboard, changes the heatmap, saves a snapshot and exports XLSX and QDPX', async () => {
    const db = srv.ctx.db;
    const series = await makeSeries(db);
    const coord = await grant(db, await makeAccount(db, { name: 'Ana Analyst' }), series.id, 'coordinator');
    const ctx = await browser.newContext({ acceptDownloads: true });
    const page = await ctx.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#f-email', coord.email);
    await page.fill('#f-password', PASSWORD);
    await page.click('button[type=submit]');
    const wb = `${base}/console/series/${series.id}/workbench`;

    // Import: preview first, with the unreadable row reported, then import.
    await page.goto(wb);
    await axe(page, 'overview');
    await page.setInputFiles('#f-file', {
      name: 'survey.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    });
    await page.selectOption('#f-kind', 'csv');
    await page.click('form.import-form button[type=submit]');
    await expect.poll(() => page.textContent('h1')).toBe('Import preview');
    expect(await page.textContent('.import-errors')).toContain('the text is empty');
    await axe(page, 'import preview');
    await page.click('button[value=commit]');
    await expect.poll(() => page.textContent('.notice')).toContain('Imported 32 responses');

    // The heatmap before anyone coded.
    await page.goto(`${wb}/compare`);
    await axe(page, 'compare');
    const before = await heatText(page);
    expect(before).toContain('Mentoring');

    // Review: ten decisions with the keyboard; the first codes a highlighted passage.
    await page.goto(`${wb}/review`);
    await axe(page, 'review');
    for (let i = 0; i < 10; i++) {
      if (i === 0) {
        await page.evaluate(() => {
          const q = document.querySelector('li.current [data-text]')!;
          const range = document.createRange();
          range.setStart(q.firstChild!, 0);
          range.setEnd(q.firstChild!, 12);
          const sel = window.getSelection()!;
          sel.removeAllRanges();
          sel.addRange(range);
          q.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
        });
        expect(await page.inputValue('li.current [data-end]')).toBe('12');
        expect(await page.textContent('li.current [data-span-note]')).toContain('Coding only the passage');
      }
      if (i % 3 === 1) {
        // n moves to the next response; r rejects the engine's proposed theme there.
        await page.keyboard.press('n');
        await decide(page, 'r');
      } else {
        // 1–9 choose a theme; a accepts it.
        await page.keyboard.press(String(1 + (i % 4)));
        await decide(page, 'a');
      }
    }
    expect(await page.textContent('#review-status')).toContain('retrained');
    const decisions = await db
      .selectFrom('wb_coding')
      .select(['start_offset', 'end_offset'])
      .where('series_id', '=', series.id)
      .execute();
    expect(decisions).toHaveLength(10);
    expect(decisions.some((d) => d.start_offset === 0 && d.end_offset === 12)).toBe(true);

    // The heatmap changed, and a cell opens the quotes behind it.
    await page.goto(`${wb}/compare`);
    expect(await heatText(page)).not.toBe(before);
    await page.click('table.heat tbody tr:first-child td:nth-child(3) a');
    await expect.poll(() => page.textContent('h1')).toContain('Quotes');
    await axe(page, 'quotes');

    // Findings: edit a sentence, save a snapshot, see it reproduce.
    await page.goto(`${wb}/findings`);
    await axe(page, 'findings');
    await page.fill('#f-edit_0', 'Mentoring comes first, say the analysts.');
    await page.fill('#f-title', 'Browser snapshot');
    await page.click('text=Save snapshot');
    await expect.poll(() => page.textContent('#reproduce-result')).toContain('Reproduced exactly');
    expect(await page.textContent('main')).toContain('Mentoring comes first, say the analysts.');
    await axe(page, 'snapshot');

    // Exports: XLSX and QDPX, each built by a job, then downloaded from the exports page.
    const [xlsx] = await Promise.all([
      page.waitForEvent('download'),
      exported(page, wb, 'Coded units (XLSX)'),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    expect(book.getWorksheet('Coded units')!.rowCount).toBe(33);
    const [qdpx] = await Promise.all([
      page.waitForEvent('download'),
      exported(page, wb, 'Project (REFI-QDA .qdpx)'),
    ]);
    const zip = await JSZip.loadAsync(readFileSync((await qdpx.path())!));
    const qde = await zip.file('project.qde')!.async('string');
    const p = (
      new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: '@',
        isArray: (n) => ['User', 'Code', 'TextSource', 'PlainTextSelection'].includes(n),
      }).parse(qde) as {
        Project: {
          '@name': string;
          Users: { User: { '@guid': string }[] };
          CodeBook: { Codes: { Code: { '@guid': string; '@name': string; '@isCodable': string }[] } };
          Sources: {
            TextSource: {
              '@guid': string;
              '@plainTextPath': string;
              PlainTextSelection?: {
                '@startPosition': string;
                '@endPosition': string;
                Coding: { '@guid': string; CodeRef: { '@targetGUID': string } };
              }[];
            }[];
          };
        };
      }
    ).Project;
    expect(p['@name']).toBe(`Series ${series.slug}`);
    const users = new Set(p.Users.User.map((u) => u['@guid']));
    expect(users.has(coord.accountId)).toBe(true);
    const codes = new Set(p.CodeBook.Codes.Code.map((c) => c['@guid']));
    expect(p.CodeBook.Codes.Code.every((c) => c['@name'] && c['@isCodable'] === 'true')).toBe(true);
    expect(p.Sources.TextSource).toHaveLength(32);
    for (const src of p.Sources.TextSource) {
      expect(zip.file(src['@plainTextPath'].replace('internal://', 'sources/'))).not.toBeNull();
      for (const sel of src.PlainTextSelection ?? []) {
        expect(Number(sel['@startPosition'])).toBeLessThan(Number(sel['@endPosition']));
        expect(codes.has(sel.Coding.CodeRef['@targetGUID'])).toBe(true);
      }
    }

    await page.goto(`${wb}/codebook`);
    await axe(page, 'codebook');
    await ctx.close();
  }, 180_000);
});
