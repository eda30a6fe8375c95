import ICAL from 'ical.js';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grant, makeAccount, makeSeries, unique } from '../../../test/support/factories.ts';
import { anonymous, login, testServer, type Client } from '../../../test/support/server.ts';
import type { Running } from '../../server/index.ts';

let srv: Running;
let series: Awaited<ReturnType<typeof makeSeries>>;
let coord: Client;

beforeAll(async () => {
  process.env.COMMENT_RATE_LIMIT = '1000';
  srv = await testServer();
  series = await makeSeries(srv.ctx.db);
  const c = await makeAccount(srv.ctx.db);
  await grant(srv.ctx.db, c, series.id, 'coordinator');
  coord = await login(srv, c.email);
});
afterAll(async () => srv.close());

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

describe('posts: translations, safety, permissions', () => {
  it('links translations with hreflang and sends readers to their language from the shared address', async () => {
    const en = (
      await coord.request('POST', `/api/series/${series.id}/posts`, {
        slug: unique('en').toLowerCase(),
        language: 'en',
        title: 'Six regions',
        bodyMd: 'English',
        status: 'published',
      })
    ).json<{ id: string; slug: string; translationGroup: string }>();
    const fr = (
      await coord.request('POST', `/api/series/${series.id}/posts`, {
        slug: unique('fr').toLowerCase(),
        language: 'fr',
        translationOf: en.id,
        title: 'Six régions',
        bodyMd: 'Français',
        status: 'published',
      })
    ).json<{ slug: string; translationGroup: string }>();
    expect(fr.translationGroup).toBe(en.translationGroup);
    const page = await srv.app.inject({ url: `/series/${series.slug}/posts/${en.slug}` });
    expect(page.body).toContain(
      `hreflang="fr" href="${srv.ctx.config.publicUrl}/series/${series.slug}/posts/${fr.slug}"`,
    );
    expect(page.body).toMatch(/Also in: <a href="[^"]+" hreflang="fr" lang="fr">français<\/a>/);
    const toFr = await srv.app.inject({
      url: `/series/${series.slug}/posts/t/${en.translationGroup}`,
      headers: { 'accept-language': 'fr-CA,fr;q=0.9,en;q=0.5' },
    });
    expect(toFr.headers.location).toBe(`/series/${series.slug}/posts/${fr.slug}`);
    const toEn = await srv.app.inject({
      url: `/series/${series.slug}/posts/t/${en.translationGroup}`,
      headers: { 'accept-language': 'de' },
    });
    expect(toEn.headers.location).toBe(`/series/${series.slug}/posts/${en.slug}`);
    const frPage = await srv.app.inject({ url: `/series/${series.slug}/posts/${fr.slug}` });
    expect(frPage.body).toContain('<html lang="fr"');
    expect(frPage.body).toContain('Laisser un commentaire');
    expect(frPage.body).toContain('Envoyer le commentaire');
    const dupLang = await coord.request('POST', `/api/series/${series.id}/posts`, {
      slug: unique('fr2').toLowerCase(),
      language: 'fr',
      translationOf: en.id,
      title: 'x',
      bodyMd: 'x',
    });
    expect(dupLang.statusCode).toBe(409);
  });

  it('neutralises script, handlers and javascript: links in posts and refuses oversized ones', async () => {
    const res = await coord.request('POST', `/api/series/${series.id}/posts`, {
      slug: unique('x').toLowerCase(),
      title: 'X',
      bodyMd:
        '<script>alert(1)</script>\n\n[a](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n<style>body{}</style>',
      status: 'published',
    });
    const html = res.json<{ bodyHtml: string }>().bodyHtml;
    expect(html).not.toMatch(/<script|<style|<img|<[^>]*\son\w+=|href="javascript:/i);
    expect(html).toContain('&lt;script&gt;');
    const big = await coord.request('POST', `/api/series/${series.id}/posts`, {
      slug: unique('big').toLowerCase(),
      title: 'Big',
      bodyMd: 'a'.repeat(100_001),
    });
    expect(big.statusCode).toBe(422);
    expect(big.json()).toMatchObject({ error: { code: 'too_long', field: 'bodyMd' } });
  });

  it('lets only coordinators write posts, and refuses a taken short name', async () => {
    const presenter = await makeAccount(srv.ctx.db);
    await grant(srv.ctx.db, presenter, series.id, 'presenter');
    const p = await login(srv, presenter.email);
    expect(
      (
        await p.request('POST', `/api/series/${series.id}/posts`, {
          slug: unique('n').toLowerCase(),
          title: 'N',
          bodyMd: 'n',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await anonymous(srv).request('POST', `/api/series/${series.id}/posts`, {
          slug: 'anon-post',
          title: 'N',
          bodyMd: 'n',
        })
      ).statusCode,
    ).toBe(401);
    const slug = unique('same').toLowerCase();
    await coord.request('POST', `/api/series/${series.id}/posts`, { slug, title: 'A', bodyMd: 'a' });
    const again = await coord.request('POST', `/api/series/${series.id}/posts`, {
      slug,
      title: 'B',
      bodyMd: 'b',
    });
    expect(again.json()).toMatchObject({ error: { code: 'slug_taken', field: 'slug' } });
  });

  it('previews Markdown on the server in the console form without saving', async () => {
    const res = await srv.app.inject({
      method: 'POST',
      url: `/console/series/${series.id}/posts/new`,
      headers: { cookie: coord.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: coord.csrf,
        intent: 'preview',
        title: 'Draft title',
        slug: 'preview-only',
        bodyMd: '**bold** <script>x</script>',
      }).toString(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<strong>bold</strong>');
    expect(res.body).not.toContain('<script>x');
    expect(
      await srv.ctx.db.selectFrom('post').select('id').where('slug', '=', 'preview-only').executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe('cover images', () => {
  it('stores a real PNG under a server-made name and serves it with its type and nosniff', async () => {
    const up = await coord.request('POST', `/api/series/${series.id}/uploads`, {
      data: PNG.toString('base64'),
    });
    expect(up.statusCode).toBe(201);
    const { id } = up.json<{ id: string }>();
    const row = await srv.ctx.db
      .selectFrom('upload')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.file_name).toMatch(/^[A-Za-z0-9_-]{24}\.png$/);
    const img = await srv.app.inject({ url: `/uploads/${id}` });
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(img.rawPayload.equals(PNG)).toBe(true);
    const post = await coord.request('POST', `/api/series/${series.id}/posts`, {
      slug: unique('cover').toLowerCase(),
      title: 'With cover',
      bodyMd: 'x',
      status: 'published',
      coverUploadId: id,
    });
    const page = await srv.app.inject({
      url: `/series/${series.slug}/posts/${post.json<{ slug: string }>().slug}`,
    });
    expect(page.body).toContain(
      `<meta property="og:image" content="${srv.ctx.config.publicUrl}/uploads/${id}">`,
    );
  });

  it('refuses files that are not images, whatever they claim, and images over 2 MB', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const bad = await coord.request('POST', `/api/series/${series.id}/uploads`, {
      data: html.toString('base64'),
    });
    expect(bad.statusCode).toBe(415);
    expect(bad.json()).toMatchObject({ error: { code: 'unsupported_image' } });
    const huge = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
    const tooBig = await coord.request('POST', `/api/series/${series.id}/uploads`, {
      data: huge.toString('base64'),
    });
    expect([413, 422]).toContain(tooBig.statusCode);
  });

  it('accepts a cover from the console form (multipart) and refuses a disguised file there too', async () => {
    const post = (
      await coord.request('POST', `/api/series/${series.id}/posts`, {
        slug: unique('mp').toLowerCase(),
        title: 'MP',
        bodyMd: 'x',
      })
    ).json<{ id: string }>();
    const form = (file: Buffer, name: string) => {
      const b = `----colloquy${Date.now()}`;
      const body = Buffer.concat([
        Buffer.from(
          `--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${coord.csrf}\r\n--${b}\r\nContent-Disposition: form-data; name="image"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        file,
        Buffer.from(`\r\n--${b}--\r\n`),
      ]);
      return srv.app.inject({
        method: 'POST',
        url: `/console/posts/${post.id}/cover`,
        headers: { cookie: coord.cookie, 'content-type': `multipart/form-data; boundary=${b}` },
        payload: body,
      });
    };
    const ok = await form(PNG, 'cover.png');
    expect(ok.statusCode).toBe(303);
    const row = await srv.ctx.db
      .selectFrom('post')
      .select('cover_upload_id')
      .where('id', '=', post.id)
      .executeTakeFirstOrThrow();
    expect(row.cover_upload_id).toBeTruthy();
    const fake = await form(Buffer.from('GIF89a not really'), 'evil.png');
    expect(fake.statusCode).toBe(415);
    expect(fake.body).toContain('Upload a PNG, JPEG or WebP image.');
  });
});

describe('feeds and the congress session', () => {
  it('publishes a comments feed per post with approved comments only, escaped', async () => {
    const p = (
      await coord.request('POST', `/api/series/${series.id}/posts`, {
        slug: unique('cf').toLowerCase(),
        title: 'Feed <post> & more',
        bodyMd: 'x',
        status: 'published',
      })
    ).json<{ id: string; slug: string }>();
    await coord.request('POST', `/api/posts/${p.id}/comments`, { body: 'Approved & <visible>' });
    await anonymous(srv).request('POST', `/api/posts/${p.id}/comments`, {
      name: 'New',
      email: `${unique('n')}@example.org`,
      body: 'Held back',
    });
    const parser = new Parser();
    for (const kind of ['rss', 'atom']) {
      const res = await srv.app.inject({ url: `/series/${series.slug}/posts/${p.slug}/comments.${kind}` });
      const feed = await parser.parseString(res.body);
      expect(feed.title).toBe('Comments on Feed <post> & more');
      expect(feed.items.map((i) => i.content)).toEqual([
        expect.stringMatching(/Approved (&amp;|&) (&lt;|<)visible/),
      ]);
    }
  });

  it('words the comments feed and its links in the post’s language', async () => {
    const p = (
      await coord.request('POST', `/api/series/${series.id}/posts`, {
        slug: unique('cf-fr').toLowerCase(),
        title: 'Ce que les régions ont dit',
        bodyMd: 'x',
        language: 'fr',
        status: 'published',
      })
    ).json<{ id: string; slug: string }>();
    const res = await srv.app.inject({ url: `/series/${series.slug}/posts/${p.slug}/comments.rss` });
    const feed = await new Parser().parseString(res.body);
    expect(feed.title).toBe('Commentaires sur Ce que les régions ont dit');
    expect(feed.description).toMatch(/^Commentaires sur « Ce que les régions ont dit » \(Series /);
    const page = await srv.app.inject({ url: `/series/${series.slug}/posts/${p.slug}` });
    expect(page.body).toContain('title="Commentaires sur Ce que les régions ont dit (RSS)"');
    expect(page.body).not.toContain('Comments on');
  });

  it('shows a congress session in its zone, links it from the series page, and offers a valid ICS in UTC', async () => {
    const res = await coord.request('POST', `/api/series/${series.id}/congress`, {
      slug: 'dublin',
      title: 'Findings from six regions',
      eventName: 'World Congress, Dublin',
      startsAt: '2022-07-27T08:30',
      endsAt: '2022-07-27T10:00',
      timeZone: 'Europe/Dublin',
      venue: 'Convention Centre; Hall 1, Dublin',
      guidingQuestions: ['How do countries define leadership?'],
      speakers: ['Ana Speaker'],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ startsAt: '2022-07-27T07:30:00.000Z' });
    const seriesPage = await srv.app.inject({ url: `/series/${series.slug}` });
    expect(seriesPage.body).toContain(`href="/series/${series.slug}/congress/dublin"`);
    expect(seriesPage.body).toContain('type="application/rss+xml"');
    const page = await srv.app.inject({ url: `/series/${series.slug}/congress/dublin` });
    expect(page.body).toContain('27 Jul 2022');
    expect(page.body).toMatch(/8:30[^<]*10:00\s*am/i); // 12-hour in English
    // In French: the page's own words, 24-hour times, the venue's zone once after the range.
    const fr = await srv.app.inject({ url: `/series/${series.slug}/congress/dublin?lang=fr` });
    expect(fr.body).toContain('<html lang="fr"');
    expect(fr.body).toMatch(/08:30[^<]*10:00 \(UTC\+1\)/);
    expect(fr.body).toContain('Questions directrices');
    expect(fr.body).toContain('Ajouter au calendrier (.ics)');
    expect(fr.body).not.toContain('Guiding questions');
    expect(page.body).toContain('How do countries define leadership?');
    const ics = await srv.app.inject({ url: `/series/${series.slug}/congress/dublin.ics` });
    // The visitor's own zone: from ?tz= without JavaScript; an unknown zone is named, not ignored.
    const tokyo = await srv.app.inject({ url: `/series/${series.slug}/congress/dublin?tz=Asia/Tokyo` });
    expect(tokyo.body).toMatch(/data-local\s*>[^<]*4:30[^<]*GMT\+9/);
    expect(tokyo.body).toContain('name="tz"');
    const mars = await srv.app.inject({ url: `/series/${series.slug}/congress/dublin?tz=Mars/Olympus` });
    expect(mars.body).toContain('data-tz-unknown');
    expect(ics.headers['content-type']).toContain('text/calendar');
    expect(ics.body.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    const event = new ICAL.Event(
      new ICAL.Component(ICAL.parse(ics.body) as unknown[]).getFirstSubcomponent('vevent')!,
    );
    expect(event.startDate.toJSDate().toISOString()).toBe('2022-07-27T07:30:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2022-07-27T09:00:00.000Z');
    expect(event.location).toBe('Convention Centre; Hall 1, Dublin');
    expect(ics.body).toContain('DTSTART:20220727T073000Z');
  });
});

describe('console forms', () => {
  const form = (url: string, fields: Record<string, string>) =>
    srv.app.inject({
      method: 'POST',
      url,
      headers: { cookie: coord.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: coord.csrf, ...fields }).toString(),
    });

  it('creates a congress session from the form and shows errors next to their field', async () => {
    const bad = await form(`/console/series/${series.id}/congress/new`, {
      title: 'T',
      slug: 'bad-times',
      eventName: 'E',
      startsAt: '2026-05-01T10:00',
      endsAt: '2026-05-01T09:00',
      timeZone: 'Europe/Dublin',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The session must end after it starts.');
    const ok = await form(`/console/series/${series.id}/congress/new`, {
      title: 'T',
      slug: unique('cg').toLowerCase(),
      eventName: 'E',
      startsAt: '2026-05-01T10:00',
      endsAt: '2026-05-01T11:00',
      timeZone: 'Europe/Dublin',
      guidingQuestions: 'One?\nTwo?',
      speakers: 'A\nB',
    });
    expect(ok.statusCode).toBe(303);
  });

  it('schedules a post in a chosen time zone, stores UTC and shows it back in that zone', async () => {
    const slug = unique('zoned').toLowerCase();
    const fields = { intent: 'save', title: 'Dublin morning', slug, bodyMd: 'Soon', status: 'scheduled' };
    const bad = await form(`/console/series/${series.id}/posts/new`, {
      ...fields,
      publishAt: '2027-07-27T08:30',
      publishTimeZone: 'Mars/Olympus',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('href="#f-publishTimeZone"');
    const res = await form(`/console/series/${series.id}/posts/new`, {
      ...fields,
      publishAt: '2027-07-27T08:30',
      publishTimeZone: 'Europe/Dublin',
    });
    expect(res.statusCode, res.body).toBe(303);
    const row = await srv.ctx.db
      .selectFrom('post')
      .select(['id', 'publish_at', 'publish_time_zone'])
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    // 08:30 in Dublin in summer (UTC+1) is 07:30 UTC.
    expect(row).toMatchObject({ publish_at: '2027-07-27T07:30:00.000Z', publish_time_zone: 'Europe/Dublin' });
    const edit = await srv.app.inject({ url: `/console/posts/${row.id}`, headers: { cookie: coord.cookie } });
    expect(edit.body).toMatch(
      /id="f-publishAt"[^>]*value="2027-07-27T08:30"|value="2027-07-27T08:30"[^>]*id="f-publishAt"/,
    );
    expect(edit.body).toContain('value="Europe/Dublin"');
  });

  it('schedules a post that becomes visible once its time has passed', async () => {
    const slug = unique('sched').toLowerCase();
    const res = await form(`/console/series/${series.id}/posts/new`, {
      intent: 'save',
      title: 'Later',
      slug,
      bodyMd: 'Soon',
      status: 'scheduled',
      publishAt: new Date(Date.now() + 3600_000).toISOString().slice(0, 16),
    });
    expect(res.statusCode).toBe(303);
    expect((await srv.app.inject({ url: `/series/${series.slug}/posts/${slug}` })).statusCode).toBe(404);
    await srv.ctx.db
      .updateTable('post')
      .set({ publish_at: new Date(Date.now() - 1000).toISOString() })
      .where('slug', '=', slug)
      .execute();
    srv.ctx.invalidate();
    expect((await srv.app.inject({ url: `/series/${series.slug}/posts/${slug}` })).statusCode).toBe(200);
  });

  it('lets only admins configure the sign-in provider', async () => {
    expect(
      (
        await coord.request('PUT', '/api/publishing/oidc', {
          issuer: 'https://id.example.org',
          clientId: 'c',
          clientSecret: 's',
        })
      ).statusCode,
    ).toBe(403);
    const page = await srv.app.inject({ url: '/console/publishing/oidc', headers: { cookie: coord.cookie } });
    expect(page.statusCode).toBe(403);
  });
});
