import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { makeSeries, makeSession } from '../support/factories.ts';
import { testServer } from '../support/server.ts';

/** Small public-facing fixes: the site icon, and an unknown ?tz= named on the page in the reader's language. */
let srv: Running;
let slug: string;
let sessionId: string;

beforeAll(async () => {
  srv = await testServer();
  const series = await makeSeries(srv.ctx.db);
  slug = series.slug;
  sessionId = await makeSession(srv.ctx.db, series, { regionKey: 'europe' });
});
afterAll(async () => srv.close());

describe('/favicon.ico', () => {
  it('is a real 16×16 icon with a long public cache', async () => {
    const res = await srv.app.inject({ url: '/favicon.ico' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/x-icon');
    expect(String(res.headers['cache-control'])).toMatch(/public, max-age=\d{6,}/);
    const b = res.rawPayload;
    // ICONDIR: reserved 0, type 1 (icon), one image of 16×16 at 32 bits, its bytes where it says.
    expect([b.readUInt16LE(0), b.readUInt16LE(2), b.readUInt16LE(4)]).toEqual([0, 1, 1]);
    expect([b[6], b[7], b.readUInt16LE(12)]).toEqual([16, 16, 32]);
    expect(b.readUInt32LE(18) + b.readUInt32LE(14)).toBe(b.length);
    expect(b.readUInt32LE(22)).toBe(40); // a BITMAPINFOHEADER follows
  });
});

describe('an unknown ?tz=', () => {
  it('is named on the series and session pages, with the zone used instead', async () => {
    for (const url of [`/series/${slug}`, `/series/${slug}/sessions/${sessionId}`]) {
      const bad = await srv.app.inject({ url: `${url}?tz=Mars%2FOlympus&lang=en` });
      expect(bad.statusCode).toBe(200);
      expect(bad.body).toContain('data-tz-unknown');
      expect(bad.body).toContain('“Mars/Olympus” is not a time zone we know, so times are shown in UTC.');
      // A known zone and no zone say nothing (and do not share the cached copy with the unknown one).
      for (const ok of [`${url}?tz=Asia%2FTokyo&lang=en`, `${url}?lang=en`]) {
        const res = await srv.app.inject({ url: ok });
        expect(res.body).not.toContain('data-tz-unknown');
      }
    }
  });

  it('is told in the reader language and escaped', async () => {
    const fr = await srv.app.inject({ url: `/series/${slug}?tz=Lune&lang=fr` });
    expect(fr.body).toContain('« Lune » n’est pas un fuseau horaire connu');
    const ar = await srv.app.inject({ url: `/series/${slug}?tz=${encodeURIComponent('<b>x</b>')}&lang=ar` });
    expect(ar.body).toContain('ليست منطقة زمنية معروفة');
    expect(ar.body).not.toContain('<b>x</b>');
  });
});

describe('people’s text on public pages in a right-to-left language', () => {
  it('marks titles, descriptions and questions dir=auto, so English text reads left to right on an Arabic page', async () => {
    const series = await srv.app.inject({ url: `/series/${slug}?lang=ar` });
    expect(series.body).toMatch(/<html[^>]*dir="rtl"/);
    expect(series.body).toMatch(/<h1 dir="auto">[^<]+<\/h1>/);
    expect(series.body).toMatch(/<h3 dir="auto"><a href="[^"]+">[^<]+<\/a><\/h3>/);
    // No paragraph of the series' own description lacks it.
    const session = await srv.app.inject({ url: `/series/${slug}/sessions/${sessionId}?lang=ar` });
    expect(session.body).toMatch(/<h1 dir="auto">[^<]+<\/h1>/);
    expect(session.body).toMatch(/<p dir="auto"><a href="\/series\/[^"]+">[^<]+<\/a><\/p>/);
  });
});
