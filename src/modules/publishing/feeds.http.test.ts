import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grant, makeAccount, makeSeries, unique } from '../../../test/support/factories.ts';
import { login, testServer, type Client } from '../../../test/support/server.ts';
import type { Running } from '../../server/index.ts';

let srv: Running;
let series: Awaited<ReturnType<typeof makeSeries>>;
let coord: Client;

beforeAll(async () => {
  srv = await testServer();
  series = await makeSeries(srv.ctx.db);
  const c = await makeAccount(srv.ctx.db);
  await grant(srv.ctx.db, c, series.id, 'coordinator');
  coord = await login(srv, c.email);
});
afterAll(async () => srv?.close());

// Attributes kept, so xml:lang and category terms can be read as a feed reader reads them.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (n) => ['entry', 'item', 'category'].includes(n),
});
type Node = Record<string, unknown>;

async function postPair() {
  const en = (
    await coord.request('POST', `/api/series/${series.id}/posts`, {
      slug: unique('mentors').toLowerCase(),
      language: 'en',
      title: 'What mentors asked for',
      bodyMd: 'Mentors in three regions asked for shorter sessions.',
      tags: ['mentoring', 'asia_oceania'],
      status: 'published',
    })
  ).json<{ id: string }>();
  const es = await coord.request('POST', `/api/series/${series.id}/posts`, {
    slug: unique('mentores').toLowerCase(),
    language: 'es',
    translationOf: en.id,
    title: 'Lo que pidieron los mentores',
    bodyMd: 'Mentores de tres regiones pidieron sesiones más cortas.',
    tags: ['mentoría'],
    status: 'published',
  });
  expect(es.statusCode, es.body).toBe(201);
}

describe('feeds', () => {
  it('marks each entry with its language and its tags as categories (Atom and RSS)', async () => {
    await postPair();
    const atom = await srv.app.inject({ url: `/series/${series.slug}/feed.atom` });
    expect(atom.statusCode).toBe(200);
    const feed = (parser.parse(atom.body) as { feed: { entry: Node[] } }).feed;
    const byTitle = new Map(feed.entry.map((e) => [String((e.title as Node)['#text']), e]));
    const es = byTitle.get('Lo que pidieron los mentores')!;
    const en = byTitle.get('What mentors asked for')!;
    expect(es['@xml:lang']).toBe('es');
    expect(en['@xml:lang']).toBe('en');
    expect((es.category as Node[]).map((c) => c['@term'])).toEqual(['mentoría']);
    expect((en.category as Node[]).map((c) => c['@term'])).toEqual(['mentoring', 'asia_oceania']);

    const rss = await srv.app.inject({ url: `/series/${series.slug}/feed.rss` });
    const items = (parser.parse(rss.body) as { rss: { channel: { item: Node[] } } }).rss.channel.item;
    const esItem = items.find((i) => i.title === 'Lo que pidieron los mentores')!;
    expect(esItem['@xml:lang']).toBe('es');
    expect(esItem.category).toEqual(['mentoría']);
  });

  it('answers 304 to a matching If-None-Match or If-Modified-Since, and 200 once the feed changed', async () => {
    await postPair();
    for (const path of [`/series/${series.slug}/feed.atom`, `/series/${series.slug}/feed.rss`]) {
      const first = await srv.app.inject({ url: path });
      const etag = first.headers.etag as string;
      const lastModified = first.headers['last-modified'] as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(new Date(lastModified).toUTCString()).toBe(lastModified);

      const byEtag = await srv.app.inject({ url: path, headers: { 'if-none-match': `"other", ${etag}` } });
      expect(byEtag.statusCode).toBe(304);
      expect(byEtag.body).toBe('');
      expect(byEtag.headers.etag).toBe(etag);
      const byDate = await srv.app.inject({ url: path, headers: { 'if-modified-since': lastModified } });
      expect(byDate.statusCode).toBe(304);
      const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
      expect((await srv.app.inject({ url: path, headers: { 'if-modified-since': older } })).statusCode).toBe(
        200,
      );
      // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2).
      const stale = await srv.app.inject({
        url: path,
        headers: { 'if-none-match': '"stale"', 'if-modified-since': lastModified },
      });
      expect(stale.statusCode).toBe(200);
    }
    const before = await srv.app.inject({ url: `/series/${series.slug}/feed.atom` });
    await new Promise((r) => setTimeout(r, 1100));
    await postPair();
    const after = await srv.app.inject({
      url: `/series/${series.slug}/feed.atom`,
      headers: {
        'if-none-match': before.headers.etag as string,
      },
    });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const since = await srv.app.inject({
      url: `/series/${series.slug}/feed.atom`,
      headers: { 'if-modified-since': before.headers['last-modified'] as string },
    });
    expect(since.statusCode).toBe(200);
  });
});
