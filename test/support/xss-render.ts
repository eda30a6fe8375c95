import type { Page } from 'playwright-core';

/**
 * How the XSS corpus tests look at a rendered document (security-xss-corpus.test.ts and
 * security-xss-workbench.test.ts): what shows that a payload got through, counted per document.
 */
export async function inspect(page: Page) {
  return page.evaluate(() => {
    const all = [...document.querySelectorAll('*')];
    const own = (u: string) => {
      try {
        const url = new URL(u, document.baseURI);
        return ['http:', 'https:', 'mailto:', 'webcal:'].includes(url.protocol);
      } catch {
        return true; // unparsable: not navigable either
      }
    };
    return {
      flag: (window as unknown as { __xss?: number }).__xss ?? 0,
      handlers: all.filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith('on')))
        .length,
      inlineScripts: [...document.querySelectorAll('script')].filter(
        (s) =>
          !/^application\/(ld\+)?json$/.test(s.type) && (!s.src || new URL(s.src).origin !== location.origin),
      ).length,
      badUrls: [...document.querySelectorAll('[href],[src],[action],[formaction],[data]')]
        .flatMap((el) => ['href', 'src', 'action', 'formaction', 'data'].map((a) => el.getAttribute(a)))
        .filter((u): u is string => u !== null && !own(u)).length,
      foreign: document.querySelectorAll('iframe,object,embed,base,frameset,svg script,math').length,
    };
  });
}

/** The counts over every document rendered: each must stay 0 (documents aside). */
export type Tally = {
  documents: number;
  dialogs: number;
  flag: number;
  handlers: number;
  inlineScripts: number;
  badUrls: number;
  foreign: number;
};

export const newTally = (): Tally => ({
  documents: 0,
  dialogs: 0,
  flag: 0,
  handlers: 0,
  inlineScripts: 0,
  badUrls: 0,
  foreign: 0,
});

/** Counts (and dismisses) every dialog the page opens. */
export async function watched(ctxPage: Page, tally: Tally) {
  ctxPage.on('dialog', (d) => {
    tally.dialogs++;
    void d.dismiss();
  });
  return ctxPage;
}

/** Inspects the document the page shows now and adds its counts to the tally. */
export async function check(page: Page, tally: Tally, where: string) {
  await page.waitForTimeout(150); // handlers such as onerror fire asynchronously
  const s = await inspect(page);
  tally.documents++;
  for (const k of ['flag', 'handlers', 'inlineScripts', 'badUrls', 'foreign'] as const) tally[k] += s[k];
  return { where, ...s };
}

/** The decoded text of each HTML-bearing element of an RSS or Atom feed, as a feed reader reads it. */
export async function feedHtmlParts(page: Page, xml: string): Promise<string[]> {
  return page.evaluate((xml) => {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    if (doc.querySelector('parsererror')) throw new Error('feed is not well-formed');
    return [...doc.getElementsByTagName('*')]
      .filter(
        (el) =>
          ['description', 'encoded'].includes(el.localName) ||
          (['content', 'summary'].includes(el.localName) && el.getAttribute('type') === 'html'),
      )
      .map((el) => el.textContent ?? '');
  }, xml);
}

/** Renders a feed's HTML part as a document of its own (the page should be offline). */
export async function renderFeedPart(page: Page, part: string) {
  await page.setContent(`<!doctype html><html><body><article>${part}</article></body></html>`, {
    waitUntil: 'domcontentloaded',
    timeout: 5000,
  });
}

/** n payloads spread evenly over the corpus's families (tags × handlers, URL schemes, encodings, Markdown, classics). */
export function spreadPayloads(all: readonly string[], n: number): string[] {
  return Array.from({ length: n }, (_, i) => all[Math.floor((i * all.length) / n)]!);
}
