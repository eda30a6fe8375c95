import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, invalid } from '../../lib/errors.ts';
import { html } from '../../lib/html.ts';
import { LANG_COOKIE, LANGUAGE_NAMES, SUPPORTED } from '../../lib/i18n.ts';
import { SESSION_COOKIE } from '../../server/app.ts';
import { translateError } from '../../server/error-messages.ts';
import { messages as shell } from '../../server/messages/index.ts';
import { messages as m } from './messages/index.ts';
import { toAppError } from '../../server/errors.ts';
import { perWindow, type Backoff, type Limiter, type LimitStore } from '../../server/limits.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import * as A from './accounts.schema.ts';
import * as svc from './accounts.service.ts';
import { inviteIntoSeries } from './invitations.ts';
import { seriesDirectory } from './directory.ts';
import { authorize, canManageSeries, requireActor, type Actor } from './authz.ts';

const Err = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
const IdParams = z.object({ id: z.string().min(1).max(100) });

function presentAccount(a: Actor) {
  return {
    id: a.accountId,
    email: a.email,
    name: a.name,
    isAdmin: a.isAdmin,
    grants: a.grants.map((g) => ({ seriesId: g.seriesId, role: g.role, regionId: g.regionId })),
  };
}

const limiters = new WeakMap<LimitStore, { address: Limiter; account: Backoff }>();

const tooMany = (wait: number) =>
  new AppError(
    429,
    'rate_limited',
    `Too many attempts. Please wait ${wait} seconds and try again.`,
    undefined,
    {
      'retry-after': String(wait),
    },
  );

/**
 * One sign-in allowance for both doors (`/login` and `/api/auth/login`): per address, and per account
 * name an exponential backoff (after `LOGIN_ACCOUNT_LIMIT` failures a wait of a minute that doubles with
 * each further failure, up to an hour; a success clears it), counted in the shared limit store so it
 * holds across processes. Unknown addresses are counted the same way: the answer reveals nothing.
 */
function loginLimits(app: FastifyInstance) {
  const root = app.ctx;
  let l = limiters.get(root.limits);
  if (!l) {
    l = {
      address: root.limits.limiter('login-address', perWindow(root.config.loginRateLimit, 60_000)),
      account: root.limits.backoff('login-account', {
        free: root.config.loginAccountLimit,
        baseSeconds: 60,
        maxSeconds: 3600,
        forgetSeconds: 24 * 3600,
      }),
    };
    limiters.set(root.limits, l);
  }
  return l;
}

/** Logs in: the old session (if any) is ended and a new id issued, so a planted id is useless. */
async function logIn(
  app: FastifyInstance,
  req: FastifyRequest,
  reply: FastifyReply,
  email: string,
  password: string,
): Promise<Actor> {
  const { db } = app.ctx;
  const limits = loginLimits(app);
  const name = email.trim().toLowerCase().slice(0, 320);
  const wait = Math.max(await limits.address.hit(req.ip), await limits.account.wait(name));
  if (wait > 0) throw tooMany(wait);
  let account: Awaited<ReturnType<typeof svc.verifyLogin>>;
  try {
    account = await svc.verifyLogin(db, email, password);
  } catch (e) {
    await limits.account.fail(name);
    throw e;
  }
  await limits.account.reset(name);
  const old = req.cookies[SESSION_COOKIE];
  if (old) await svc.endSession(db, old);
  const s = await svc.startSession(db, account.id);
  void reply.setCookie(SESSION_COOKIE, s.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: app.ctx.config.secureCookies,
    expires: s.expiresAt,
  });
  return (await svc.actorFromToken(db, s.token))!;
}

/** A local path to go to after login; anything else (other sites, odd characters) goes to the console. */
function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/(?!\/)[^\s\\]*$/.test(next)) return '/console';
  try {
    // Percent-encodes non-ASCII: a raw "ü" in a Location header would fail the whole response.
    const u = new URL(next, 'http://colloquy.invalid');
    if (u.origin !== 'http://colloquy.invalid') return '/console';
    const out = u.pathname + u.search + u.hash;
    return /^\/(?!\/)[\x21-\x7e]*$/.test(out) ? out : '/console';
  } catch {
    return '/console';
  }
}

function fieldErrors(e: unknown, lang: string): Record<string, string> {
  const err = toAppError(e);
  return { [err.field ?? '_form']: translateError(lang, err) };
}

/** Login, logout, first-run setup, invitations and role grants: API and pages. */
export async function accountRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const LOGIN_LIMIT = {
    public: true,
    rateLimit: { max: app.ctx.config.loginRateLimit, timeWindow: '1 minute' },
  };

  // ---- JSON API ----
  r.post(
    '/api/auth/login',
    {
      config: LOGIN_LIMIT,
      schema: {
        tags: ['accounts'],
        summary: 'Log in with e-mail and password; sets an HttpOnly session cookie',
        body: A.LoginBody,
        response: { 200: A.LoginOut, 401: Err, 422: Err, 429: Err },
      },
    },
    async (req, reply) => {
      const actor = await logIn(app, req, reply, req.body.email, req.body.password);
      return { account: presentAccount(actor), csrfToken: actor.csrfToken };
    },
  );

  r.post(
    '/api/auth/logout',
    {
      config: { public: true },
      schema: {
        tags: ['accounts'],
        summary: 'Log out (without a session: nothing to do, 204)',
        response: { 204: z.null() },
      },
    },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await svc.endSession(db, token);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/auth/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The logged-in account and its CSRF token',
        response: { 200: A.LoginOut, 401: Err },
      },
    },
    async (req) => {
      if (!req.actor) throw new AppError(401, 'unauthenticated', 'Please log in first.');
      return { account: presentAccount(req.actor), csrfToken: req.actor.csrfToken };
    },
  );

  r.post(
    '/api/setup',
    {
      config: LOGIN_LIMIT,
      schema: {
        tags: ['accounts'],
        summary: 'Create the first administrator (only while there is none)',
        body: A.SetupBody,
        response: { 201: A.LoginOut, 409: Err, 422: Err },
      },
    },
    async (req, reply) => {
      await inTransaction(db, async (trx) => {
        if (await svc.hasAdmin(trx))
          throw new AppError(409, 'already_set_up', 'Colloquy already has an administrator. Please log in.');
        await svc.createAdmin(trx, req.body);
      });
      const actor = await logIn(app, req, reply, req.body.email, req.body.password);
      return reply.status(201).send({ account: presentAccount(actor), csrfToken: actor.csrfToken });
    },
  );

  r.get(
    '/api/series/:id/roles',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Who holds which role in a series (coordinators)',
        params: IdParams,
        response: { 200: z.object({ roles: z.array(A.GrantOut) }), 401: Err, 403: Err, 404: Err },
      },
    },
    async (req) => {
      const s = await seriesOr404(req.params.id);
      authorize(req.actor, canManageSeries(req.actor, s.id));
      const rows = await svc.grantsInSeries(db, s.id);
      return {
        roles: rows.map((g) => ({
          id: g.id,
          role: g.role as A.InviteInput['role'],
          regionId: g.region_id,
          regionName: g.region_name,
          accountId: g.account_id,
          email: g.email,
          name: g.name,
        })),
      };
    },
  );

  r.post(
    '/api/series/:id/invitations',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Invite a person by e-mail into a role (coordinators)',
        security: [{ session: [], csrf: [] }],
        params: IdParams,
        body: A.InviteBody,
        response: { 201: A.InviteOut, 401: Err, 403: Err, 404: Err, 422: Err },
      },
    },
    async (req, reply) => reply.status(201).send(await inviteInto(req.actor, req.params.id, req.body)),
  );

  r.delete(
    '/api/series/:id/roles/:grantId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Take a role away (coordinators)',
        security: [{ session: [], csrf: [] }],
        params: z.object({ id: z.string().max(100), grantId: z.string().max(100) }),
        response: { 204: z.null(), 401: Err, 403: Err, 404: Err },
      },
    },
    async (req, reply) => {
      const s = await seriesOr404(req.params.id);
      authorize(req.actor, canManageSeries(req.actor, s.id));
      await svc.revokeGrant(db, s.id, req.params.grantId);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/invitations/:token/accept',
    {
      config: LOGIN_LIMIT,
      schema: {
        tags: ['accounts'],
        summary: 'Accept an invitation: set name and password, get the role',
        params: z.object({ token: z.string().max(200) }),
        body: A.AcceptInviteBody,
        response: { 200: A.LoginOut, 404: Err, 410: Err, 422: Err },
      },
    },
    async (req, reply) => {
      const account = await inTransaction(db, (trx) => svc.acceptInvitation(trx, req.params.token, req.body));
      const actor = await logIn(app, req, reply, account.email, req.body.password);
      return { account: presentAccount(actor), csrfToken: actor.csrfToken };
    },
  );

  async function seriesOr404(idOrSlug: string) {
    const s = await seriesDirectory().findSeries(db, idOrSlug);
    if (!s) throw new AppError(404, 'not_found', 'This series was not found.', 'id');
    return s;
  }

  const inviteInto = (actor: Actor | null, seriesIdOrSlug: string, body: A.InviteInput) =>
    inviteIntoSeries(db, app.ctx.mailer, app.ctx.config.publicUrl, actor, seriesIdOrSlug, body);

  // ---- pages ----
  const loginPage = (
    req: FastifyRequest,
    values: { email?: string; next?: string },
    errors: Record<string, string> = {},
  ) =>
    page(
      req,
      { title: m.t(req.lang)('login.title') },
      html` <h1>${m.t(req.lang)('login.title')}</h1>
        ${errors._form ? html`<p class="alert" role="alert">${errors._form}</p>` : ''}
        <form method="post" action="/login" novalidate>
          ${csrfField(req)}
          <input type="hidden" name="next" value="${values.next ?? ''}" />
          ${field('email', m.t(req.lang)('field.email'), { type: 'email', value: values.email, errors, required: true, attrs: html`autocomplete="username"` })}
          ${field('password', m.t(req.lang)('field.password'), { type: 'password', errors, required: true, attrs: html`autocomplete="current-password"` })}
          <button type="submit">${m.t(req.lang)('login.submit')}</button>
        </form>`,
    );

  app.get('/login', { schema: { hide: true } }, async (req, reply) => {
    if (!(await svc.hasAdmin(db))) return reply.redirect('/setup');
    return reply
      .type('text/html; charset=utf-8')
      .send(loginPage(req, { next: (req.query as { next?: string }).next }));
  });

  app.post('/login', { config: LOGIN_LIMIT, schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = A.LoginBody.safeParse(body);
    try {
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw invalid('invalid_login', i.message, String(i.path[0] ?? '_form'));
      }
      await logIn(app, req, reply, parsed.data.email, parsed.data.password);
      return reply.redirect(safeNext(body.next), 303);
    } catch (e) {
      const err = toAppError(e);
      if (err.status === 429 || err.status >= 500) throw e;
      return reply
        .status(err.status)
        .type('text/html; charset=utf-8')
        .send(loginPage(req, { email: body.email, next: body.next }, fieldErrors(e, req.lang)));
    }
  });

  const accountPage = (req: FastifyRequest, actor: Actor, saved = false) => {
    const t = shell.t(req.lang);
    return page(
      req,
      { title: t('account.title') },
      html`<h1>${t('account.title')}</h1>
        ${saved ? html`<p class="notice" role="status">${t('common.saved')}</p>` : ''}
        <dl>
          <dt>${t('account.name')}</dt>
          <dd data-user-content>${actor.name}</dd>
          <dt>${t('account.email')}</dt>
          <dd data-user-content>${actor.email}</dd>
        </dl>
        <form method="post" action="/account">
          ${csrfField(req)}
          ${field('language', t('account.language'), {
            value: actor.language ?? '',
            hint: t('account.language.hint'),
            options: [
              { value: '', label: t('account.language.browser') },
              ...SUPPORTED.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
            ],
          })}
          <button type="submit">${t('common.save')}</button>
        </form>`,
    );
  };

  app.get('/account', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req.actor);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(accountPage(req, actor, (req.query as { saved?: string }).saved === '1'));
  });

  app.post('/account', { schema: { hide: true } }, async (req, reply) => {
    const actor = requireActor(req.actor);
    const sent = (req.body as { language?: unknown } | undefined)?.language;
    const raw = typeof sent === 'string' ? sent : '';
    const language = raw === '' ? null : raw;
    await svc.setLanguage(db, actor.accountId, language);
    // The saved setting wins over an earlier ?lang= choice on this browser.
    if (language)
      void reply.setCookie(LANG_COOKIE, language, {
        path: '/',
        maxAge: 365 * 24 * 3600,
        sameSite: 'lax',
        secure: app.ctx.config.secureCookies || req.protocol === 'https',
      });
    else void reply.clearCookie(LANG_COOKIE, { path: '/' });
    return reply.redirect(language ? `/account?saved=1&lang=${language}` : '/account?saved=1', 303);
  });

  app.post('/logout', { schema: { hide: true } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await svc.endSession(db, token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/', 303);
  });

  const setupPage = (
    req: FastifyRequest,
    values: Record<string, string>,
    errors: Record<string, string> = {},
  ) =>
    page(
      req,
      { title: m.t(req.lang)('setup.title') },
      html` <h1>${m.t(req.lang)('setup.heading')}</h1>
        <p>${m.t(req.lang)('setup.intro')}</p>
        ${errors._form ? html`<p class="alert" role="alert">${errors._form}</p>` : ''}
        <form method="post" action="/setup" novalidate>
          ${csrfField(req)}
          ${field('name', m.t(req.lang)('field.name'), { value: values.name, errors, required: true, attrs: html`autocomplete="name"` })}
          ${field('email', m.t(req.lang)('field.email'), { type: 'email', value: values.email, errors, required: true, attrs: html`autocomplete="username"` })}
          ${field('password', m.t(req.lang)('field.password'), { type: 'password', errors, required: true, hint: m.t(req.lang)('field.password.hint'), attrs: html`autocomplete="new-password"` })}
          <button type="submit">${m.t(req.lang)('setup.submit')}</button>
        </form>`,
    );

  app.get('/setup', { schema: { hide: true } }, async (req, reply) => {
    if (await svc.hasAdmin(db)) return reply.redirect('/login');
    return reply.type('text/html; charset=utf-8').send(setupPage(req, {}));
  });

  app.post('/setup', { config: LOGIN_LIMIT, schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string>;
    try {
      const parsed = A.SetupBody.safeParse(body);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw invalid('invalid_setup', i.message, String(i.path[0] ?? '_form'));
      }
      await inTransaction(db, async (trx) => {
        if (await svc.hasAdmin(trx))
          throw new AppError(409, 'already_set_up', 'Colloquy already has an administrator. Please log in.');
        await svc.createAdmin(trx, parsed.data);
      });
      await logIn(app, req, reply, parsed.data.email, parsed.data.password);
      return reply.redirect('/console', 303);
    } catch (e) {
      const err = toAppError(e);
      if (err.status >= 500) throw e;
      return reply
        .status(err.status)
        .type('text/html; charset=utf-8')
        .send(setupPage(req, body, fieldErrors(e, req.lang)));
    }
  });

  const invitePage = (
    req: FastifyRequest,
    token: string,
    inv: Awaited<ReturnType<typeof svc.findInvitation>>,
    values: Record<string, string>,
    errors: Record<string, string> = {},
  ) =>
    page(
      req,
      { title: m.t(req.lang)('invite.title') },
      html` <h1>${m.t(req.lang)('invite.heading', { series: inv.series_title })}</h1>
        <p>
          ${m.t(req.lang)('invite.intro', {
            role: m.lookup(req.lang, `role.${inv.role}`) ?? inv.role,
            email: inv.email,
          })}
        </p>
        ${errors._form ? html`<p class="alert" role="alert">${errors._form}</p>` : ''}
        <form method="post" action="/invite/${token}" novalidate>
          ${csrfField(req)} ${field('name', m.t(req.lang)('field.name'), { value: values.name, errors, required: true })}
          ${field('password', m.t(req.lang)('field.password'), { type: 'password', errors, required: true, hint: m.t(req.lang)('field.password.hint'), attrs: html`autocomplete="new-password"` })}
          <button type="submit">${m.t(req.lang)('invite.submit')}</button>
        </form>`,
    );

  app.get('/invite/:token', { schema: { hide: true } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const inv = await svc.findInvitation(db, token);
    return reply.type('text/html; charset=utf-8').send(invitePage(req, token, inv, {}));
  });

  app.post('/invite/:token', { config: LOGIN_LIMIT, schema: { hide: true } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const body = (req.body ?? {}) as Record<string, string>;
    const inv = await svc.findInvitation(db, token);
    try {
      const parsed = A.AcceptInviteBody.safeParse(body);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw invalid('invalid_invitation', i.message, String(i.path[0] ?? '_form'));
      }
      const account = await inTransaction(db, (trx) => svc.acceptInvitation(trx, token, parsed.data));
      await logIn(app, req, reply, account.email, parsed.data.password);
      return reply.redirect('/console', 303);
    } catch (e) {
      const err = toAppError(e);
      if (err.status >= 500) throw e;
      return reply
        .status(err.status)
        .type('text/html; charset=utf-8')
        .send(invitePage(req, token, inv, body, fieldErrors(e, req.lang)));
    }
  });
}
