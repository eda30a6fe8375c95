import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../lib/errors.ts';
import { openapiTransform, openapiTransformObject } from './openapi.ts';
import { newToken } from '../lib/ids.ts';
import { isLang, LANG_COOKIE, resolveLanguage, type Lang } from '../lib/i18n.ts';
import { actorFromToken, accountRoutes, type Actor } from '../modules/accounts/index.ts';
import { seriesRoutes } from '../modules/series/index.ts';
import type { AppContext } from './context.ts';
import { trustedProxies } from './config.ts';
import { sendError } from './errors.ts';
import { applySecurityHeaders } from './headers.ts';
import { errorPage } from './layout.ts';
import { faviconIco } from './favicon.ts';
import { moduleRoutes } from './modules.ts';
import { isMultipart, registerMultipart, startMultipart } from './multipart.ts';
import { pageRoutes } from './pages/index.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Anonymous callers may use this state-changing API route (login, join a room, register…). */
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The token forms and scripts must send back on state-changing requests. */
    csrfToken: string;
    /** Set when a page rendered a form with the token, so the anonymous cookie is sent. */
    csrfUsed: boolean;
    /** The reader's language: ?lang=, the remembered choice, the account's setting, Accept-Language. */
    lang: Lang;
  }
  interface FastifyInstance {
    ctx: AppContext;
    /** Every GET route's path, for the check that each page is in src/server/pages.list.ts. */
    getRoutes: string[];
  }
}

export const SESSION_COOKIE = 'colloquy_session';
export const ANON_CSRF_COOKIE = 'colloquy_csrf';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WEB_DIST = join(ROOT, 'web', 'dist');
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CSRF = Symbol('csrf');

export type App = FastifyInstance;
/** The app with zod schemas as its type provider: routes get typed bodies, params and replies. */
export type ZodApp = ReturnType<FastifyInstance['withTypeProvider']> & ReturnType<typeof asZod>;
export const asZod = (app: FastifyInstance) => app.withTypeProvider<ZodTypeProvider>();

/**
 * What a log line says about a request: its method and route pattern, never the URL (manage links,
 * signed links and `?reg=` carry secrets; queries can carry addresses) nor the caller's IP address.
 */
export const requestLogSerializers = {
  req: (req: FastifyRequest) => ({ method: req.method, route: req.routeOptions?.url ?? '(no route)' }),
};

/** Assembles the HTTP server: plugins, the request chain (auth → CSRF → validate → handler), modules. */
export async function buildApp(
  ctx: AppContext,
  opts: { logger?: boolean | object } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: ctx.config.logLevel,
            ...(typeof opts.logger === 'object' ? opts.logger : {}),
            serializers: requestLogSerializers,
          },
    bodyLimit: 1_048_576,
    trustProxy: trustedProxies(),
    // Per-request log lines only on demand: at event scale they would drown everything else.
    logController: new LogController({ disableRequestLogging: process.env.LOG_REQUESTS !== '1' }),
  });
  app.decorate('ctx', ctx);
  const getRoutes: string[] = [];
  app.decorate('getRoutes', getRoutes);
  app.addHook('onRoute', (r) => {
    if (r.method === 'GET' || (Array.isArray(r.method) && r.method.includes('GET'))) getRoutes.push(r.url);
  });
  app.decorateRequest('actor', null);
  // The anonymous token is minted on first use: most requests (live answers, API reads) show no form.
  app.decorateRequest('csrfToken', {
    getter(this: FastifyRequest & { [CSRF]?: string }) {
      return (this[CSRF] ??= this.actor?.csrfToken ?? this.cookies[ANON_CSRF_COOKIE] ?? newToken(24));
    },
  });
  app.decorateRequest('csrfUsed', false);
  app.decorateRequest('lang', 'en');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 1_048_576 });
  await registerMultipart(app);
  await app.register(fastifyRateLimit, {
    global: false,
    // Several processes: counted in Redis, so a limit holds across them (not once per process).
    // When Redis does not answer, the request goes through rather than failing.
    ...(ctx.limits.redis ? { redis: ctx.limits.redis, nameSpace: 'colloquy:rl:', skipOnError: true } : {}),
    errorResponseBuilder: (_req, context) =>
      new AppError(
        429,
        'rate_limited',
        `Too many attempts. Please wait ${Math.ceil(context.ttl / 1000)} seconds and try again.`,
        undefined,
        {
          'retry-after': String(Math.ceil(context.ttl / 1000)),
        },
      ),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Colloquy API',
        version: '0.1.0',
        description:
          'Everything the Colloquy UI does, as JSON. Errors are `{ "error": { "code", "message", "field" } }`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        },
      },
    },
    transform: openapiTransform,
    transformObject: (d) => openapiTransformObject('openapiObject' in d ? d.openapiObject : d.swaggerObject),
  });

  // Who is asking. Only requests with a session cookie touch the database here.
  app.addHook('onRequest', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.actor = await actorFromToken(ctx.db, token);
    const asked = (req.query as { lang?: unknown } | undefined)?.lang;
    req.lang = resolveLanguage({
      query: asked,
      cookie: req.cookies[LANG_COOKIE],
      account: req.actor?.language,
      accept: req.headers['accept-language'],
    });
    // An explicit choice is remembered, so the next page (and the next visit) stays in it.
    if (isLang(asked) && req.cookies[LANG_COOKIE] !== asked) {
      void reply.setCookie(LANG_COOKIE, asked, {
        path: '/',
        maxAge: 365 * 24 * 3600,
        sameSite: 'lax',
        secure: ctx.config.secureCookies || req.protocol === 'https',
      });
    }
  });

  // CSRF: a logged-in request, or any form post, must carry the token of its session
  // (or of the anonymous double-submit cookie). Cross-site JSON cannot be sent without CORS.
  app.addHook('preValidation', async (req) => {
    if (!UNSAFE.has(req.method)) return;
    // Anonymous writes to the API are refused before validation, unless the route is public.
    const isPublic = (req.routeOptions.config as { public?: boolean } | undefined)?.public === true;
    if (!req.actor && req.url.startsWith('/api/') && !isPublic)
      throw new AppError(401, 'unauthenticated', 'Please log in first.');
    // Uploads: refused before their body is read unless the route takes them, from someone signed
    // in, with the token first (src/server/multipart.ts).
    if (isMultipart(req)) return startMultipart(req, req.actor?.csrfToken);
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    if (!req.actor && !isForm) return;
    // A signed link (one-click unsubscribe, RFC 8058) is its own credential; mail clients post it
    // without cookies, so there is no session token to compare.
    if ((req.routeOptions.config as { signedLink?: boolean } | undefined)?.signedLink === true) return;
    const sent =
      (req.headers['x-csrf-token'] as string | undefined) ??
      (req.body as { _csrf?: string } | undefined)?._csrf;
    const expected = req.actor ? req.actor.csrfToken : req.cookies[ANON_CSRF_COOKIE];
    if (!expected || !sent || sent !== expected) {
      throw new AppError(
        403,
        'csrf_failed',
        'This form has expired or did not come from this site. Reload the page and try again.',
      );
    }
  });

  // Pages hand out an anonymous CSRF token so that login and other public forms can be protected.
  app.addHook('onSend', async (req, reply, payload) => {
    if (req.csrfUsed && !req.actor && req.cookies[ANON_CSRF_COOKIE] !== req.csrfToken) {
      void reply.setCookie(ANON_CSRF_COOKIE, req.csrfToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.config.secureCookies,
      });
    }
    applySecurityHeaders(req, reply, { presenterFrameOrigins: ctx.config.presenterFrameOrigins });
    return payload;
  });

  app.setErrorHandler((err, req, reply) => sendError(req, reply, err, (e) => errorPage(req, e)));
  app.setNotFoundHandler((req, reply) =>
    sendError(req, reply, new AppError(404, 'not_found', 'There is nothing at this address.'), (e) =>
      errorPage(req, e),
    ),
  );

  if (existsSync(WEB_DIST)) {
    await app.register(fastifyStatic, {
      root: WEB_DIST,
      prefix: '/assets/',
      maxAge: '1h',
      preCompressed: false,
      index: false,
      wildcard: false,
    });
  }

  const icon = faviconIco();
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('image/x-icon').header('cache-control', 'public, max-age=604800').send(icon),
  );
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', db: ctx.dialect }));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(accountRoutes);
  await app.register(seriesRoutes);
  await app.register(pageRoutes);
  for (const routes of moduleRoutes) await app.register(routes);
  return app;
}
