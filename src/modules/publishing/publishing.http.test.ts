import { gunzipSync } from 'node:zlib';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grant, makeAccount, makeSeries, unique } from '../../../test/support/factories.ts';
import { anonymous, login, testServer, type Client } from '../../../test/support/server.ts';
import type { Running } from '../../server/index.ts';
import { createSnapshot } from './index.ts';

let srv: Running;
let series: Awaited<ReturnType<typeof makeSeries>>;
let coord: Client;
let coordEmail: string;

beforeAll(async () => {
  process.env.COMMENT_RATE_LIMIT = '1000';
  srv = await testServer();
  series = await makeSeries(srv.ctx.db);
  const c = await makeAccount(srv.ctx.db, { name: 'Cora Coordinator' });
  await grant(srv.ctx.db, c, series.id, 'coordinator');
  coordEmail = c.email;
  coord = await login(srv, c.email);
});
afterAll(async () => srv.close());

const post = async (over: Record<string, unknown> = {}) => {
  const res = await coord.request('POST', `/api/series/${series.id}/posts`, {
    slug: unique('post').toLowerCase(),
    title: 'Findings from six regions',
    summary: 'What we heard',
    bodyMd: '## Mentoring\n\nMentoring *matters*.',
    status: 'published',
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; slug: string; url: string; bodyHtml: string }>();
};

describe('publishing: from a post to an approved comment', () => {
  it('publishes a Markdown post at a stable URL with Open Graph tags and feed links', async () => {
    const p = await post();
    expect(p.bodyHtml).toContain('<em>matters</em>');
    const page = await srv.app.inject({ url: `/series/${series.slug}/posts/${p.slug}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<meta property="og:title" content="Findings from six regions">');
    expect(page.body).toContain('og:type" content="article"');
    expect(page.body).toContain(`<link rel="alternate" type="application/rss+xml"`);
    expect(page.body).toContain(`href="/series/${series.slug}/feed.atom"`);
    expect(page.body).toContain('@media print');
    // Anonymous readers share a cached copy, gzip-encoded when asked, with their own CSRF token in the form.
    const gz = await srv.app.inject({
      url: `/series/${series.slug}/posts/${p.slug}`,
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const decoded = gunzipSync(gz.rawPayload).toString();
    const token = gz.cookies.find((c) => c.name === 'colloquy_csrf')!.value;
    expect(decoded).toContain(`name="_csrf" value="${token}"`);
    expect(decoded.replace(token, 'T')).toBe(
      page.body.replace(page.cookies.find((c) => c.name === 'colloquy_csrf')!.value, 'T'),
    );
  });

  it('holds a first-time comment, mails the coordinators, and shows it once approved', async () => {
    // Every coordinator and administrator hears of a held comment; a co-organiser (who cannot moderate) does not.
    const second = await grant(srv.ctx.db, await makeAccount(srv.ctx.db), series.id, 'coordinator');
    const co = await grant(
      srv.ctx.db,
      await makeAccount(srv.ctx.db),
      series.id,
      'co_organiser',
      series.region('europe').id,
    );
    // The second coordinator reads French: their mail about the held comment is in French.
    await srv.ctx.db
      .updateTable('account')
      .set({ language: 'fr' })
      .where('email', '=', second.email)
      .execute();
    const p = await post();
    const email = `${unique('reader')}@example.org`;
    const res = await anonymous(srv).request('POST', `/api/posts/${p.id}/comments`, {
      name: 'Amina Reader',
      email,
      body: 'Mentoring worked for me too.',
      notify: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending', heldReason: 'unverified' });
    let page = await srv.app.inject({ url: `/series/${series.slug}/posts/${p.slug}` });
    expect(page.body).not.toContain('Mentoring worked for me too.');
    const mails = await srv.ctx.db
      .selectFrom('mail_log')
      .selectAll()
      .where('to_address', '=', coordEmail)
      .where('kind', '=', 'comment_held')
      .execute();
    expect(mails.some((m) => m.text_body.includes('Mentoring worked for me too.'))).toBe(true);
    const held = await srv.ctx.db
      .selectFrom('mail_log')
      .select('to_address')
      .where('kind', '=', 'comment_held')
      .where('text_body', 'like', '%Mentoring worked for me too.%')
      .execute();
    const to = held.map((m) => m.to_address);
    expect(to).toEqual(expect.arrayContaining([coordEmail, second.email, series.admin.email]));
    expect(to).not.toContain(co.email);
    expect(new Set(to).size).toBe(to.length); // one mail each
    const subjects = await srv.ctx.db
      .selectFrom('mail_log')
      .select(['to_address', 'subject', 'text_body'])
      .where('kind', '=', 'comment_held')
      .where('text_body', 'like', '%Mentoring worked for me too.%')
      .execute();
    const fr = subjects.find((m) => m.to_address === second.email)!;
    expect(fr.subject).toMatch(/^Un commentaire sur « .* » attend la modération$/);
    expect(fr.text_body).toContain('parce que son auteur n’est pas connecté');
    expect(subjects.find((m) => m.to_address === coordEmail)!.subject).toMatch(/waiting for moderation$/);

    const queue = await coord.request('GET', `/api/series/${series.id}/comments/queue`);
    const id = res.json<{ id: string }>().id;
    expect(queue.json<{ comments: { id: string }[] }>().comments.map((c) => c.id)).toContain(id);
    expect(
      (await coord.request('POST', `/api/comments/${id}/moderation`, { action: 'approve' })).statusCode,
    ).toBe(200);
    page = await srv.app.inject({ url: `/series/${series.slug}/posts/${p.slug}` });
    expect(page.body).toContain('Mentoring worked for me too.');
    expect(page.body).toContain('Amina Reader');

    // A typed e-mail proves nothing: the second comment from the same address is held too, and the
    // answer is the same as for an address nobody has used (no way to learn who has commented).
    const again = await anonymous(srv).request('POST', `/api/posts/${p.id}/comments`, {
      name: 'Amina Reader',
      email,
      body: 'And coaching as well.',
    });
    const stranger = await anonymous(srv).request('POST', `/api/posts/${p.id}/comments`, {
      name: 'Amina Reader',
      email: `${unique('never')}@example.org`,
      body: 'And mentoring as well.',
    });
    expect(again.json()).toMatchObject({ status: 'pending', heldReason: 'unverified' });
    expect(Object.keys(again.json()).sort()).toEqual(Object.keys(stranger.json()).sort());
    expect({ ...stranger.json(), id: 'x' }).toEqual({ ...again.json(), id: 'x' });
    // The same text again within minutes is a duplicate.
    const dup = await anonymous(srv).request('POST', `/api/posts/${p.id}/comments`, {
      name: 'Amina Reader',
      email,
      body: 'And coaching as well.',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ error: { code: 'duplicate_comment' } });
  });

  it('holds comments with two or more links even from known commenters', async () => {
    const p = await post();
    const email = `${unique('reader')}@example.org`;
    const first = await anonymous(srv).request('POST', `/api/posts/${p.id}/comments`, {
      name: 'Li',
      email,
      body: 'Thanks.',
    });
    await coord.request('POST', `/api/comments/${first.json<{ id: string }>().id}/moderation`, {
      action: 'approve',
    });
    const res = await anonymous(srv).request('POST', `/api/posts/${p.id}/comments`, {
      name: 'Li',
      email,
      body: 'See https://a.example.org and [this](https://b.example.org)',
    });
    expect(res.json()).toMatchObject({ status: 'pending', heldReason: 'links' });
  });

  it('refuses oversized comments with a message and neutralises script', async () => {
    const p = await post();
    const big = await anonymous(srv).request('POST', `/api/posts/${p.id}/comments`, {
      name: 'X',
      email: 'x@example.org',
      body: 'a'.repeat(5001),
    });
    expect(big.statusCode).toBe(422);
    expect(big.json()).toMatchObject({ error: { code: 'too_long', field: 'body' } });
    const xss = await coord.request('POST', `/api/posts/${p.id}/comments`, {
      body: '<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>',
    });
    expect(xss.json()).toMatchObject({ status: 'approved' });
    const nul = await coord.request('POST', `/api/posts/${p.id}/comments`, {
      body: '<scr\u0000ipt>NUL inside</script>',
    });
    expect(nul.statusCode, nul.body).toBe(201);
    const page = await srv.app.inject({ url: `/series/${series.slug}/posts/${p.slug}` });
    expect(page.body).not.toMatch(/<script>alert|href="javascript:|<img src=x onerror|<scr/);
  });

  it('catches robots with the honeypot without publishing them', async () => {
    const p = await post();
    const res = await anonymous(srv).request('POST', `/api/posts/${p.id}/comments`, {
      name: 'Bot',
      email: 'bot@example.org',
      body: 'Buy now',
      homepage: 'https://spam.example',
    });
    expect(res.json()).toMatchObject({ status: 'spam' });
  });

  it('lists only published posts in RSS and Atom feeds that a standard parser reads', async () => {
    const pub = await post({ title: 'Published & <fine>' });
    const draft = await post({ title: 'Secret draft', status: 'draft' });
    const future = await post({
      title: 'Future post',
      status: 'scheduled',
      publishAt: new Date(Date.now() + 86400_000).toISOString(),
    });
    const past = await post({
      title: 'Scheduled earlier',
      status: 'scheduled',
      publishAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const parser = new Parser();
    for (const kind of ['rss', 'atom']) {
      const res = await srv.app.inject({ url: `/series/${series.slug}/feed.${kind}` });
      expect(res.statusCode).toBe(200);
      const feed = await parser.parseString(res.body);
      const titles = feed.items.map((i) => i.title);
      expect(titles).toContain('Published & <fine>');
      expect(titles).toContain('Scheduled earlier');
      expect(titles).not.toContain('Secret draft');
      expect(titles).not.toContain('Future post');
      expect(feed.items.find((i) => i.title === 'Published & <fine>')!.link).toBe(pub.url);
    }
    expect((await srv.app.inject({ url: `/series/${series.slug}/posts/${draft.slug}` })).statusCode).toBe(
      404,
    );
    expect((await srv.app.inject({ url: `/series/${series.slug}/posts/${future.slug}` })).statusCode).toBe(
      404,
    );
    expect((await srv.app.inject({ url: `/series/${series.slug}/posts/${past.slug}` })).statusCode).toBe(200);
  });

  it('embeds a findings snapshot with a chart and its quotes', async () => {
    const snap = await createSnapshot(srv.ctx.db, {
      seriesId: series.id,
      title: 'Until May',
      engineVersion: 'test',
      params: {},
      result: {
        findings: [
          {
            kind: 'best_practice',
            text: 'Mentoring leads.',
            quotes: [{ id: 'q1', text: 'My mentor opened doors', group: 'Europe' }],
          },
        ],
        kinds: {
          best_practice: {
            themes: [{ id: 't1', label: 'Mentoring', count: 7, share: 0.35, low: 0.2, high: 0.5 }],
          },
        },
      },
    });
    const p = await post({ snapshotId: snap });
    const page = await srv.app.inject({ url: `/series/${series.slug}/posts/${p.slug}` });
    expect(page.body).toContain('Mentoring leads.');
    expect(page.body).toContain('My mentor opened doors');
    expect(page.body).toMatch(/<svg role="img"/);
    expect(page.body).toContain('Mentoring: 7 mentions (35%)');
  });

  it('says in the reader’s language that nothing is published yet', async () => {
    const empty = await makeSeries(srv.ctx.db, { status: 'published' });
    for (const [lang, words] of [
      ['fr', 'Rien n’est encore publié.'],
      ['ar', 'لم يُنشر شيء بعد.'],
      ['en', 'Nothing is published yet.'],
    ]) {
      const res = await srv.app.inject({ url: `/series/${empty.slug}/posts?lang=${lang}` });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(`<p>${words}</p>`);
    }
  });

  it('says in the reader’s language that a sign-in with an unknown state failed', async () => {
    for (const [lang, heading] of [
      ['ar', 'تعذّر تسجيل الدخول'],
      ['de', 'Anmeldung fehlgeschlagen'],
      ['en', 'Sign-in failed'],
    ]) {
      const res = await srv.app.inject({ url: `/comments/login/callback?state=unknown&lang=${lang}` });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"`);
      expect(res.body).toContain(`<h1>${heading}</h1>`);
      if (lang !== 'en') expect(res.body).not.toContain('Sign-in failed');
    }
  });

  it('answers 429 with a retry time when comments come too fast', async () => {
    process.env.COMMENT_RATE_LIMIT = '2';
    const s2 = await testServer();
    process.env.COMMENT_RATE_LIMIT = '1000';
    try {
      const ser = await makeSeries(s2.ctx.db);
      const c = await makeAccount(s2.ctx.db);
      await grant(s2.ctx.db, c, ser.id, 'coordinator');
      const cl = await login(s2, c.email);
      const p = (
        await cl.request('POST', `/api/series/${ser.id}/posts`, {
          slug: unique('p').toLowerCase(),
          title: 'T',
          bodyMd: 'x',
          status: 'published',
        })
      ).json<{ id: string }>();
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push(
          await anonymous(s2).request('POST', `/api/posts/${p.id}/comments`, {
            name: 'R',
            email: `r${i}@example.org`,
            body: `hello ${i}`,
          }),
        );
      expect(codes.map((r) => r.statusCode)).toEqual([201, 201, 429]);
      expect(Number(codes[2].headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await s2.close();
    }
  });
});
