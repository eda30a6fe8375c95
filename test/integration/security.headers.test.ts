import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { grant, makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import { fillPath, listRoutes } from '../support/routes.ts';
import { login, testServer, type Client } from '../support/server.ts';

/**
 * Security headers on every GET route of the app, anonymous and signed in: a strict CSP without
 * inline script, no framing, nosniff, a referrer policy, and no-store on everything personal.
 */
let srv: Running;
let coord: Client;
let known: Record<string, string>;
let admin: Client;

beforeAll(async () => {
  srv = await testServer({ PRESENTER_FRAME_ORIGINS: 'https://studio.example.org' });
  const db = srv.ctx.db;
  const series = await makeSeries(db);
  const account = await grant(db, await makeAccount(db), series.id, 'coordinator');
  coord = await login(srv, account.email);
  admin = await login(srv, series.admin.email);
  const session = await makeSession(db, series, { regionKey: 'europe' });
  known = { slug: series.slug, format: 'csv' };
  // Series routes get the real series; everything else an unknown id (404 pages carry headers too).
  known.seriesId = series.id;
  known.sessionId = session;
});
afterAll(async () => srv.close());

const SHAREABLE = /^\/(assets\/|healthz$|favicon\.ico$|api\/openapi\.json$)/;

function pathFor(path: string): string {
  const seriesLevel = /^\/(api|console)\/series\/:id/.test(path);
  const sessionLevel = /^\/(api|console)\/sessions\/:id/.test(path);
  return fillPath(path, {
    ...known,
    ...(seriesLevel ? { id: known.seriesId } : sessionLevel ? { id: known.sessionId } : {}),
  });
}

describe('security headers', () => {
  it('are on every GET route, for anonymous and signed-in callers', async () => {
    const routes = listRoutes(srv.app).filter(
      (r) => r.method === 'GET' && !/\/events$/.test(r.path) && r.path !== '/assets/*',
    );
    expect(routes.length).toBeGreaterThan(60);
    const problems: string[] = [];
    let checked = 0;
    let html = 0;
    for (const r of routes) {
      const url = pathFor(r.path);
      for (const who of ['anonymous', 'coordinator'] as const) {
        const res = await srv.app.inject({
          url,
          headers: who === 'coordinator' ? { cookie: coord.cookie } : {},
        });
        checked++;
        const h = res.headers;
        const csp = String(h['content-security-policy'] ?? '');
        const bad = (m: string) => problems.push(`${who} GET ${url} (${res.statusCode}): ${m}`);
        if (res.statusCode >= 500) bad('server error');
        if (!/script-src 'self'(;|$)/.test(csp)) bad(`CSP ${csp}`);
        if (/unsafe-eval|script-src[^;]*unsafe-inline/.test(csp)) bad('CSP allows inline script or eval');
        const embeddable = r.path.startsWith('/present/');
        if (!embeddable && !/frame-ancestors 'none'/.test(csp)) bad('frameable');
        if (embeddable && !/frame-ancestors https:\/\/studio\.example\.org/.test(csp))
          bad('presenter origins');
        if (h['x-content-type-options'] !== 'nosniff') bad('no nosniff');
        if (!h['referrer-policy']) bad('no referrer policy');
        const cache = String(h['cache-control'] ?? '');
        if (!SHAREABLE.test(url) && who === 'coordinator' && !/no-store/.test(cache))
          bad(`cache-control "${cache}" for a signed-in caller`);
        if (String(h['content-type'] ?? '').startsWith('text/html')) {
          html++;
          // No inline script (JSON data blocks are inert) and no inline handlers.
          const inline = [...res.body.matchAll(/<script\b([^>]*)>/gi)].filter(
            (m) => !/\bsrc=/.test(m[1]) && !/type="application\/json"/.test(m[1]),
          );
          if (inline.length) bad('inline <script>');
          if (/<[a-z][^>]*\son[a-z]+\s*=/i.test(res.body)) bad('inline event handler');
        }
      }
    }
    console.log(
      JSON.stringify({
        headers: { routes: routes.length, responses: checked, html, problems: problems.length },
      }),
    );
    expect(problems).toEqual([]);
  });

  it('marks personal pages no-store even for anonymous callers (manage links, registrant lists)', async () => {
    const res = await srv.app.inject({ url: '/registrations/unknown-token' });
    expect(res.headers['cache-control']).toMatch(/no-store/);
    const outbox = await srv.app.inject({ url: '/console/outbox', headers: { cookie: admin.cookie } });
    expect(outbox.statusCode).toBe(200);
    expect(outbox.headers['cache-control']).toMatch(/no-store/);
  });

  it('lets public pages keep their own caching when nobody is signed in', async () => {
    const res = await srv.app.inject({ url: `/series/${known.slug}/feed.rss` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('max-age=60');
  });
});
