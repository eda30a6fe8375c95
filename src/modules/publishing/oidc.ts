import type { FastifyInstance, FastifyReply } from 'fastify';
import * as client from 'openid-client';
import { html } from '../../lib/html.ts';
import { page } from '../../server/layout.ts';
import { RATE_LIMITED } from './comments.service.ts';
import { messages } from './messages/index.ts';
import { perWindow } from '../../server/limits.ts';
import { createReaderSession, endReaderSession, READER_COOKIE } from './reader.ts';
import { oidcSettings, type OidcSettings } from './settings.ts';

/** The reader's language for the sign-in failure page (the request's: ?lang=, cookie, browser). */
const failed = (lang: string) => messages.t(lang);

const LOGIN_TTL_MS = 10 * 60_000;
const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

/** Only our own post pages are valid places to return to (no open redirect). */
export function safeReturn(v: unknown): string | null {
  const s = typeof v === 'string' ? v : '';
  return /^\/series\/[a-z0-9-]+\/posts\/[a-z0-9-]+$/.test(s) ? s : null;
}

const discovered = new Map<string, { at: number; config: client.Configuration }>();

/** Discovery, cached for five minutes per provider; plain http is allowed only on the loopback interface (tests, local IdPs). */
async function providerConfig(s: OidcSettings): Promise<client.Configuration> {
  const key = `${s.issuer}|${s.clientId}|${s.clientSecret}`;
  const hit = discovered.get(key);
  if (hit && Date.now() - hit.at < 5 * 60_000) return hit.config;
  const config = await client.discovery(new URL(s.issuer), s.clientId, s.clientSecret, undefined, {
    execute: LOOPBACK.test(s.issuer) ? [client.allowInsecureRequests] : [],
    timeout: 5,
  });
  discovered.set(key, { at: Date.now(), config });
  return config;
}

/** Sign-in for commenters through the admin's OpenID Connect provider (authorization code + PKCE, state, nonce). */
export async function oidcRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  // Each start writes a pending login; a per-address limit keeps robots from filling the table.
  const starts = app.ctx.limits.limiter(
    'oidc-start',
    perWindow(Number(process.env.OIDC_START_LIMIT ?? 30), 60_000),
  );
  const callbackUrl = () => `${app.ctx.config.publicUrl}/comments/login/callback`;
  const back = (reply: FastifyReply, to: string, q: string) => reply.redirect(`${to}?${q}#comment-form`, 303);

  app.get('/comments/login', { schema: { hide: true } }, async (req, reply) => {
    const to = safeReturn((req.query as { return?: string }).return) ?? '/';
    const wait = await starts.hit(req.ip);
    if (wait) throw RATE_LIMITED(wait);
    const settings = await oidcSettings(db);
    if (!settings) return back(reply, to, 'login_error=oidc_unavailable');
    let config: client.Configuration;
    try {
      config = await providerConfig(settings);
    } catch (e) {
      req.log.warn({ err: e, issuer: settings.issuer }, 'OpenID Connect discovery failed');
      return back(reply, to, 'login_error=oidc_unavailable');
    }
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    await db
      .deleteFrom('oidc_login')
      .where('created_at', '<', new Date(Date.now() - LOGIN_TTL_MS).toISOString())
      .execute();
    await db
      .insertInto('oidc_login')
      .values({ state, nonce, code_verifier: verifier, return_to: to, created_at: new Date().toISOString() })
      .execute();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: callbackUrl(),
      scope: 'openid profile email',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return reply.redirect(url.href, 302);
  });

  app.get('/comments/login/callback', { schema: { hide: true } }, async (req, reply) => {
    const q = req.query as { state?: string };
    const pending = q.state
      ? await db.selectFrom('oidc_login').selectAll().where('state', '=', q.state).executeTakeFirst()
      : undefined;
    if (!pending || Date.parse(pending.created_at) < Date.now() - LOGIN_TTL_MS) {
      return reply
        .status(400)
        .type('text/html; charset=utf-8')
        .send(
          page(
            req,
            { title: failed(req.lang)('oidc.failed.title') },
            html`<h1>${failed(req.lang)('oidc.failed.title')}</h1>
              <p class="alert" role="alert">${failed(req.lang)('oidc.failed.body')}</p>
              <p><a href="/">${failed(req.lang)('oidc.failed.home')}</a></p>`,
          ),
        );
    }
    await db.deleteFrom('oidc_login').where('state', '=', pending.state).execute();
    try {
      const settings = await oidcSettings(db);
      if (!settings) return back(reply, pending.return_to, 'login_error=oidc_unavailable');
      const config = await providerConfig(settings);
      const current = new URL(callbackUrl());
      current.search = new URLSearchParams(req.query as Record<string, string>).toString();
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.code_verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      const name =
        [claims.name, claims.preferred_username, claims.nickname, claims.email]
          .find((v): v is string => typeof v === 'string' && v.trim() !== '')
          ?.trim()
          .slice(0, 80) ?? 'Reader';
      const email =
        typeof claims.email === 'string' && claims.email_verified !== false
          ? claims.email.toLowerCase()
          : null;
      const token = await createReaderSession(db, {
        identity: `oidc:${claims.iss}#${claims.sub}`,
        name,
        email,
      });
      void reply.setCookie(READER_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: app.ctx.config.secureCookies,
        maxAge: 30 * 86400,
      });
      return back(reply, pending.return_to, 'comment=signed-in');
    } catch (e) {
      req.log.warn({ err: e }, 'OpenID Connect sign-in failed');
      return back(reply, pending.return_to, 'login_error=oidc_failed');
    }
  });

  app.post('/comments/logout', { schema: { hide: true } }, async (req, reply) => {
    await endReaderSession(db, req);
    void reply.clearCookie(READER_COOKIE, { path: '/' });
    const to = safeReturn((req.body as { return?: string } | undefined)?.return) ?? '/';
    return reply.redirect(to, 303);
  });
}
