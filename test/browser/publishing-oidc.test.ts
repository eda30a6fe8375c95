import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { launchBrowser } from '../support/browser.ts';
import { grant, makeAccount, makeSeries, unique } from '../support/factories.ts';
import { login, testServer, type Client } from '../support/server.ts';

let srv: Running;
let browser: Browser;
let idp: Server;
let base: string;
let issuer: string;
let admin: Client;

beforeAll(async () => {
  process.env.COMMENT_RATE_LIMIT = '1000';
  srv = await testServer();
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(srv.app.server.address() as { port: number }).port}`;
  srv.ctx.config.publicUrl = base;

  // A real OpenID Connect provider on the loopback interface, with its development login screens.
  idp = createServer();
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', () => resolve()));
  issuer = `http://127.0.0.1:${(idp.address() as { port: number }).port}`;
  const provider = new Provider(issuer, {
    clients: [{ client_id: 'colloquy', client_secret: 'a-long-test-secret', redirect_uris: [`${base}/comments/login/callback`], grant_types: ['authorization_code'], response_types: ['code'] }],
    async findAccount(_ctx, sub) {
      return { accountId: sub, async claims() { return { sub, name: 'Ngozi from the provider', email: `${sub}@idp.example`, email_verified: true }; } };
    },
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['test-cookie-key'] },
  });
  idp.on('request', provider.callback());

  const a = await makeAccount(srv.ctx.db, { admin: true });
  admin = await login(srv, a.email);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await srv?.close();
  await new Promise<void>((resolve) => idp?.close(() => resolve()));
});

async function publishedPost() {
  const series = await makeSeries(srv.ctx.db);
  const coord = await makeAccount(srv.ctx.db);
  await grant(srv.ctx.db, coord, series.id, 'coordinator');
  const c = await login(srv, coord.email);
  const res = await c.request('POST', `/api/series/${series.id}/posts`, { slug: unique('p').toLowerCase(), title: 'Findings', bodyMd: 'Text', status: 'published' });
  const p = res.json<{ id: string; slug: string }>();
  return { url: `${base}/series/${series.slug}/posts/${p.slug}`, ...p };
}

describe('commenting with an OpenID Connect sign-in', () => {
  it('signs in at the provider, comments, and shows the name from the ID token', async () => {
    expect((await admin.request('PUT', '/api/publishing/oidc', { issuer, clientId: 'colloquy', clientSecret: 'a-long-test-secret', label: 'Test IdP' })).statusCode).toBe(200);
    const post = await publishedPost();
    const ctx = await browser.newContext();
    await ctx.route('**/*', (route) => (route.request().url().startsWith(base) || route.request().url().startsWith(issuer) ? route.continue() : route.abort()));
    const page = await ctx.newPage();
    await page.goto(post.url);
    await page.click('text=Sign in with Test IdP');
    await page.waitForSelector('input[name=login]');
    await page.fill('input[name=login]', unique('ngozi'));
    await page.fill('input[name=password]', 'anything');
    await page.click('button[type=submit]');
    // The development consent screen, when the provider shows it.
    await page.waitForURL((u) => u.href.startsWith(base) || u.href.includes('/interaction/'));
    if (!page.url().startsWith(base)) {
      await page.click('button:has-text("Continue")');
      await page.waitForURL((u) => u.href.startsWith(base));
    }
    expect(await page.locator('#comment-form').textContent()).toContain('Commenting as Ngozi from the provider');
    await page.fill('#cf-body', 'Signed in and commenting.');
    await page.click('#comment-form button[type=submit]:has-text("Send comment")');
    await expect.poll(() => page.locator('[role=status]').textContent()).toContain('waiting for a moderator');
    const row = await srv.ctx.db.selectFrom('comment').selectAll().where('post_id', '=', post.id).executeTakeFirstOrThrow();
    expect(row.author_name).toBe('Ngozi from the provider');
    expect(row.identity).toMatch(/^oidc:http:\/\/127\.0\.0\.1:\d+#/);
    await ctx.close();
  });

  it('returns the reader to the post with a clear message when the provider is unknown', async () => {
    await admin.request('PUT', '/api/publishing/oidc', { issuer: 'http://127.0.0.1:9/unknown', clientId: 'x', clientSecret: 'y', label: 'Nowhere' });
    const post = await publishedPost();
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(post.url);
    await page.click('text=Sign in with Nowhere');
    await page.waitForURL(/login_error=oidc_unavailable/);
    expect(await page.locator('#comment-form [role=alert]').textContent()).toContain('could not be reached');
    await ctx.close();
  });

  it('returns the reader to the post when the login fails at the callback', async () => {
    await admin.request('PUT', '/api/publishing/oidc', { issuer, clientId: 'colloquy', clientSecret: 'a-long-test-secret', label: 'Test IdP' });
    const post = await publishedPost();
    const start = await srv.app.inject({ url: `/comments/login?return=${encodeURIComponent(new URL(post.url).pathname)}` });
    const state = new URL(start.headers.location as string).searchParams.get('state')!;
    const res = await srv.app.inject({ url: `/comments/login/callback?state=${state}&error=access_denied` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${new URL(post.url).pathname}?login_error=oidc_failed#comment-form`);
  });
});
