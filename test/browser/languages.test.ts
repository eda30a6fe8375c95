/**
 * The seven-language sweep: every page of src/server/pages.list.ts, in each language, at 360 px and
 * 1,280 px. Asserts <html lang dir>, nothing wider than the window, no chrome left in English when
 * another language is chosen, and no serious or critical axe-core violation.
 *
 * "Left in English": a visible text (or label attribute) that the English rendering of the same page
 * also shows, with Latin words in it, that is neither user content (any text stored in the database,
 * or marked data-user-content / translate="no" / another lang) nor a message of the chosen language's
 * catalogues (a word can be the same in two languages: "Console", "Sessions").
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.ts';
import { dirOf, SUPPORTED } from '../../src/lib/i18n.ts';
import { runJobsNow } from '../../src/modules/notify/index.ts';
import { requestExport } from '../../src/modules/workbench/export.job.ts';
import { hashToken } from '../../src/modules/registration/registration.repository.ts';
import type { Running } from '../../src/server/index.ts';
import { PAGES, type PageEntry, type PageFixture } from '../../src/server/pages.list.ts';
import { launchBrowser, seriousA11yViolations } from '../support/browser.ts';
import { makeAccount, PASSWORD } from '../support/factories.ts';
import { pageFixtureOf } from '../support/page-fixture.ts';
import { testServer } from '../support/server.ts';

let srv: Running;
let browser: Browser;
let base: string;
let fixture: PageFixture;
let userText: string[] = [];
const contexts: Record<'anon' | 'auth', BrowserContext | null> = { anon: null, auth: null };

/** Words that are the same in every language here (brand, formats, units). */
const SAME_EVERYWHERE =
  /^(Colloquy|CSV|XLSX|DOCX|JSON|Markdown|RSS|Atom|ICS|QR|SVG|PNG|UTC|GMT|OK|REFI-QDA|QDPX|URL|Zoom|OIDC|iCal|E-mail|·|[-–—:…()0-9.,%/ ]+)$/i;

/** Every message of a language in every catalogue, and their literal parts around {placeholders}. */
function catalogueTexts(lang: string): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === `${lang}.json` && dir.endsWith('messages'))
        for (const v of Object.values(JSON.parse(readFileSync(p, 'utf8')) as Record<string, string>)) {
          out.add(norm(v));
          for (const part of v.split(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/))
            if (norm(part).length > 1) out.add(norm(part));
        }
    }
  };
  walk(join(import.meta.dirname, '../../src'));
  return out;
}
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** All text held in the database (names, titles, answers…): user content, not chrome. */
async function databaseText(): Promise<string[]> {
  const db = srv.ctx.db;
  const out = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string') {
      if (v.length > 2 && /[A-Za-z]{2}/.test(v)) out.add(norm(v));
      if (/^[[{]/.test(v))
        try {
          add(JSON.parse(v));
        } catch {
          /* not JSON */
        }
    } else if (Array.isArray(v)) v.forEach(add);
    else if (v && typeof v === 'object') Object.values(v).forEach(add);
  };
  for (const t of await db.introspection.getTables()) {
    if (/^(kysely_|sqlite_)/.test(t.name)) continue;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    for (const row of await (db as any).selectFrom(t.name).selectAll().limit(5000).execute()) add(row);
  }
  return [...out];
}

const isUserText = (text: string) =>
  userText.some((u) => (u.length >= 4 && text.includes(u)) || (text.length >= 4 && u.includes(text)));

/** Visible texts and label attributes of the page's own chrome. */
async function chromeTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const pageLang = document.documentElement.lang;
    const skip = (el: Element | null): boolean => {
      for (let e = el; e; e = e.parentElement) {
        if (e.matches('script,style,noscript,template,[data-user-content],[translate=no],.hp')) return true;
        const l = e.getAttribute('lang');
        if (l && l !== pageLang) return true;
      }
      return false;
    };
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').replace(/\s+/g, ' ').trim();
      const el = n.parentElement;
      if (!text || !el || skip(el)) continue;
      if (!(el.getClientRects().length > 0)) continue;
      out.push(text);
    }
    for (const el of Array.from(
      document.querySelectorAll(
        '[aria-label],[placeholder],[title],img[alt],input[type=submit][value],input[type=button][value]',
      ),
    )) {
      if (skip(el)) continue;
      for (const a of ['aria-label', 'placeholder', 'title', 'alt', 'value']) {
        const v = el.getAttribute(a);
        if (v && (a !== 'value' || el.matches('input[type=submit],input[type=button]')))
          out.push(v.replace(/\s+/g, ' ').trim());
      }
    }
    if (document.title) out.push(document.title.replace(/\s*·\s*Colloquy$/, '').trim());
    return out;
  });
}

/**
 * axe-core runs in one language per script and direction (Latin LTR, Arabic RTL, Chinese): the
 * markup is the same in every language, and seven runs per page would make the sweep too slow.
 */
const AXE_LANGS = new Set(['en', 'ar', 'zh']);

const withLang = (url: string, lang: string) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;

beforeAll(async () => {
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  const db = srv.ctx.db;
  const ids = await seedDemo(db);
  if (!ids) throw new Error('demo not seeded');
  const admin = await makeAccount(db, { admin: true, name: 'Sweep Admin' });
  // A finished export with a filter, so the exports page lists one in every language.
  const asked = await requestExport(db, ids.foundingSeriesId, {
    format: 'xlsx',
    filters: { careerStage: 'new' },
    lang: 'en',
    requestedBy: admin.accountId,
  });
  await runJobsNow(db, { uniqueKeys: [asked.jobKey] });

  // The demo's first registration gets a manage link we know.
  const token = 'sweep-manage-token-0123456789';
  const reg = await db
    .selectFrom('registration')
    .select('id')
    .where('series_id', '=', ids.foundingSeriesId)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('registration')
    .set({
      manage_token_hash: hashToken(token),
      manage_token_expires_at: new Date(Date.now() + 86400_000).toISOString(),
    })
    .where('id', '=', reg.id)
    .execute();
  fixture = await pageFixtureOf(db, ids.foundingSeriesId, token);
  userText = [...(await databaseText()), 'Sweep Admin', admin.email];

  browser = await launchBrowser();
  contexts.anon = await browser.newContext({ viewport: { width: 360, height: 800 } });
  contexts.auth = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const login = await contexts.auth.request.post(`${base}/api/auth/login`, {
    data: { email: admin.email, password: PASSWORD },
  });
  expect(login.status()).toBe(200);
}, 120_000);

afterAll(async () => {
  await contexts.anon?.close();
  await contexts.auth?.close();
  await browser?.close();
  await srv?.close();
});

interface Visit {
  texts: string[];
  lang: string;
  dir: string;
  overflow: { width: number; scroll: number }[];
  axe: { id: string; impact: string; nodes: string[] }[];
  status: number;
}

async function visit(page: Page, entry: PageEntry, lang: string, runAxe: boolean): Promise<Visit> {
  await page.setViewportSize({ width: 360, height: 800 });
  const res = await page.goto(`${base}${withLang(entry.url(fixture), lang)}`, { waitUntil: 'load' });
  const measure = () =>
    page.evaluate(() => ({ width: window.innerWidth, scroll: document.documentElement.scrollWidth }));
  const narrow = await measure();
  const { lang: htmlLang, dir } = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    dir: document.documentElement.dir,
  }));
  const texts = await chromeTexts(page);
  const axe = runAxe ? await seriousA11yViolations(page) : [];
  await page.setViewportSize({ width: 1280, height: 900 });
  const wide = await measure();
  return { texts, lang: htmlLang, dir, overflow: [narrow, wide], axe, status: res?.status() ?? 0 };
}

describe('every page in seven languages', () => {
  const catalogues = Object.fromEntries(SUPPORTED.map((l) => [l, catalogueTexts(l)]));

  for (const entry of PAGES) {
    it(`${entry.route}`, async () => {
      const page = await contexts[entry.auth ? 'auth' : 'anon']!.newPage();
      try {
        const problems: string[] = [];
        const english = await visit(page, entry, 'en', true);
        expect(english.status, `${entry.route} answers`).toBeLessThan(500);
        const enTexts = new Set(english.texts);
        let leaked = 0;
        for (const lang of SUPPORTED) {
          const v = lang === 'en' ? english : await visit(page, entry, lang, AXE_LANGS.has(lang));
          const want = entry.ownLanguage ? v.lang : lang;
          if (!(SUPPORTED as readonly string[]).includes(v.lang) || v.lang !== want)
            problems.push(`${lang}: <html lang="${v.lang}">`);
          if (v.dir !== dirOf(want)) problems.push(`${lang}: dir="${v.dir}"`);
          for (const o of v.overflow)
            if (o.scroll > o.width) problems.push(`${lang}: ${o.scroll}px wide in a ${o.width}px window`);
          for (const a of v.axe)
            problems.push(`${lang}: axe ${a.impact} ${a.id} at ${a.nodes.slice(0, 3).join(', ')}`);
          if (lang === 'en' || entry.ownLanguage) continue;
          const left = [
            ...new Set(
              v.texts.filter(
                (t) =>
                  enTexts.has(t) &&
                  /[A-Za-z]{3,}/.test(t) &&
                  !SAME_EVERYWHERE.test(t) &&
                  !/^(https?:\/\/)?[\w.-]+(:\d+)?\/\S*$/.test(t) && // an address
                  !catalogues[lang].has(norm(t)) &&
                  !isUserText(t),
              ),
            ),
          ];
          leaked += left.length;
          if (left.length && !entry.english)
            problems.push(`${lang}: left in English: ${left.slice(0, 8).join(' | ')}`);
        }
        if (entry.english && !entry.ownLanguage && leaked === 0)
          problems.push('translated now: remove its route from STILL_ENGLISH in src/server/pages.list.ts');
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }
});
