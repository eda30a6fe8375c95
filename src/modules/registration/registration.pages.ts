/** The attendee's pages: the registration form, the confirmation, and the personal manage page. */
import { checkpointAfterErasure } from '../../db/index.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionTable } from '../../db/schema.ts';
import { FormError, notFound } from '../../lib/errors.ts';
import { html, raw, safeUrl, type Html } from '../../lib/html.ts';
import { SUPPORTED } from '../../lib/i18n.ts';
import { translateError } from '../../server/error-messages.ts';
import { toAppError } from '../../server/errors.ts';
import { formAlert, type FieldLabels } from '../../server/forms.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { findSeries, findSession, sessionPath, sessionsOf, visibleSeries } from '../series/index.ts';
import { icsCalendar, timeRange, verifyLink } from '../notify/index.ts';
import { countryOptions } from '../../lib/countries.ts';
import { deliver, publishedCalendar, registrationEvent } from './registration.mail.ts';
import { eraseByToken, exportData } from './privacy.ts';
import * as repo from './registration.repository.ts';
import { labelIn } from './registration.i18n.ts';
import { messages } from './messages/index.ts';
import {
  byToken,
  cancelRegistrations,
  changeSessions,
  register,
  turnMessagesOff,
  turnRemindersOff,
} from './registration.service.ts';
import { jobContext, registrationRateLimit } from './registration.routes.ts';
import type { RegisterInput } from './registration.schema.ts';

type Body = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
const send = (reply: FastifyReply, body: string, status = 200) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

/** A choice made on this request (?lang=) first, then the page's own language, then the reader's. */
function langOf(req: FastifyRequest, explicit?: string): string {
  const q = (req.query as { lang?: string }).lang;
  if (q && (SUPPORTED as readonly string[]).includes(q)) return q;
  if (explicit && (SUPPORTED as readonly string[]).includes(explicit)) return explicit;
  return req.lang;
}

/** The form-field name an API field maps to. */
const formName = (apiField: string | undefined) =>
  apiField?.startsWith('answers.') ? `a_${apiField.slice(8)}` : (apiField ?? '');

async function formPage(
  req: FastifyRequest,
  slug: string,
  values: Body,
  errors: Record<string, string>,
  lang: string,
): Promise<string> {
  const t = messages.t(lang);
  const series = await visibleSeries(req.server.ctx.db, req.actor, slug);
  const questions = await repo.questionsOf(req.server.ctx.db, series.id);
  const now = new Date();
  const sessions = (await sessionsOf(req.server.ctx.db, series.id)).filter(
    (s) => s.status !== 'cancelled' && new Date(s.starts_at) > now,
  );
  const chosen = new Set(many(values.sessionIds));
  const time = (s: SessionTable) =>
    html`<time datetime="${s.starts_at}">${timeRange(s.starts_at, s.ends_at, 'UTC', lang)}</time>`;
  const sessionPart: Html = (() => {
    if (!sessions.length) return html`<p class="alert" role="alert">${t('closed')}</p>`;
    if (series.registration_mode === 'series')
      return html`<p>${t('whole_series')}</p>
        <ul>
          ${sessions.map((s) => html`<li>${s.title} — ${time(s)}</li>`)}
        </ul>`;
    const type = series.registration_mode === 'choose' ? 'checkbox' : 'radio';
    const err = errors.sessionIds;
    return html`<fieldset ${err ? raw('aria-describedby="sessions-err"') : ''}>
      <legend>${t('sessions')} <span class="hint">${t('sessions_hint')}</span></legend>
      ${sessions.map(
        (s) =>
          html`<div>
            <input
              type="${type}"
              id="s-${s.id}"
              name="sessionIds"
              value="${s.id}"
              ${chosen.has(s.id) || (sessions.length === 1 && type === 'radio') ? raw('checked') : ''}
              style="width:auto"
            />
            <label for="s-${s.id}" style="display:inline;font-weight:400"
              >${s.title} — ${time(s)}${s.capacity !== null ? '' : ''}</label
            >
          </div>`,
      )}
      ${err ? html`<p class="error" id="sessions-err">${err}</p>` : ''}
    </fieldset>`;
  })();
  const qField = (q: repo.Question) => {
    const name = `a_${q.key}`;
    const label = `${labelIn(q.label, lang)}${q.required ? ` ${t('required')}` : ''}`;
    if (q.type === 'select') {
      const names = q.key === 'language' ? new Intl.DisplayNames([lang], { type: 'language' }) : null;
      const options = [
        { value: '', label: t('choose') },
        ...q.options.map((o) => ({
          value: o.value,
          label: o.label[lang] ?? names?.of(o.value) ?? labelIn(o.label, lang),
        })),
      ];
      return field(name, label, { value: one(values[name]), errors, options, required: q.required });
    }
    if (q.type === 'checkbox') {
      return html`<div class="field">
        <input
          type="checkbox"
          id="f-${name}"
          name="${name}"
          ${one(values[name]) ? raw('checked') : ''}
          style="width:auto"
        />
        <label for="f-${name}" style="display:inline">${label}</label
        >${errors[name] ? html`<p class="error">${errors[name]}</p>` : ''}
      </div>`;
    }
    return field(name, label, {
      value: one(values[name]),
      errors,
      required: q.required,
      textarea: q.key === 'comments' || q.key === 'accessibility',
    });
  };
  // The summary names each field as its label does, and links to it.
  const summaryLabels: FieldLabels = {
    sessionIds: { id: sessions[0] ? `s-${sessions[0].id}` : 'f-name', label: t('sessions') },
    name: t('name'),
    email: t('email'),
    country: t('country'),
    affiliation: t('affiliation'),
    consent: t('consent_short'),
    ...Object.fromEntries(questions.map((q) => [`a_${q.key}`, labelIn(q.label, lang)])),
  };
  return page(
    req,
    {
      title: t('register_for', { title: series.title }),
      lang,
      scripts: ['/assets/registration.js'],
    },
    html` <p><a href="/series/${series.slug}">${series.title}</a></p>
      <h1>${t('register_for', { title: series.title })}</h1>
      ${formAlert(errors, summaryLabels, t('fix_these'))}
      <form method="post" action="/series/${series.slug}/register" novalidate>
        ${csrfField(req)}
        <input type="hidden" name="language" value="${lang}" />
        <input type="hidden" name="timeZone" value="${one(values.timeZone)}" data-browser-tz />
        ${sessionPart}
        ${field('name', `${t('name')} ${t('required')}`, { value: one(values.name), errors, required: true, attrs: raw('autocomplete="name"') })}
        ${field('email', `${t('email')} ${t('required')}`, { value: one(values.email), errors, required: true, type: 'email', attrs: raw('autocomplete="email"') })}
        ${field('country', `${t('country')} ${t('required')}`, { value: one(values.country), errors, required: true, options: [{ value: '', label: t('choose') }, ...countryOptions(lang).map((c) => ({ value: c.code, label: c.name }))] })}
        ${field('affiliation', t('affiliation'), { value: one(values.affiliation), errors, attrs: raw('autocomplete="organization"') })}
        ${questions.map(qField)}
        <div class="hp" aria-hidden="true">
          <label for="f-website">${t('honeypot')}</label
          ><input type="text" id="f-website" name="website" value="" tabindex="-1" autocomplete="off" />
        </div>
        <div class="field">
          <input
            type="checkbox"
            id="f-consent"
            name="consent"
            value="yes"
            ${one(values.consent) ? raw('checked') : ''}
            required
            ${errors.consent ? raw('aria-invalid="true" aria-describedby="f-consent-err"') : ''}
            style="width:auto"
          />
          <label for="f-consent" style="display:inline;font-weight:400"
            >${t('consent', { days: series.retention_days })}</label
          >${errors.consent ? html`<p class="error" id="f-consent-err">${errors.consent}</p>` : ''}
        </div>
        <div class="field">
          <input
            type="checkbox"
            id="f-news"
            name="newsOptIn"
            value="yes"
            ${one(values.newsOptIn) ? raw('checked') : ''}
            style="width:auto"
          />
          <label for="f-news" style="display:inline;font-weight:400">${t('news')}</label>
        </div>
        <button type="submit">${t('submit')}</button>
      </form>`,
  );
}

function inputFromForm(b: Body): RegisterInput {
  const answers: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) if (k.startsWith('a_')) answers[k.slice(2)] = one(v).slice(0, 2000);
  return {
    name: one(b.name).slice(0, 200),
    email: one(b.email).slice(0, 254),
    country: one(b.country).slice(0, 2),
    affiliation: one(b.affiliation).slice(0, 300),
    answers,
    language: one(b.language),
    timeZone: one(b.timeZone) || undefined,
    sessionIds: many(b.sessionIds).slice(0, 100),
    consent: one(b.consent) !== '',
    newsOptIn: one(b.newsOptIn) !== '',
    website: one(b.website),
  };
}

/** The person's registrations with times in their zone and in UTC. */
async function managePage(req: FastifyRequest, token: string, notice?: string): Promise<string> {
  const db = req.server.ctx.db;
  const rows = await byToken(db, token);
  const p = rows[0];
  const lang = langOf(req, p.language);
  const t = messages.t(lang);
  const series = (await findSeries(db, p.series_id))!;
  const all = await sessionsOf(db, series.id);
  const byId = new Map(all.map((s) => [s.id, s]));
  const mine = rows
    .filter((r) => byId.has(r.session_id))
    .sort((a, b) => byId.get(a.session_id)!.starts_at.localeCompare(byId.get(b.session_id)!.starts_at));
  const active = mine.filter((r) => r.status === 'confirmed' || r.status === 'waitlisted');
  const now = new Date();
  const openSessions = all.filter((s) => s.status !== 'cancelled' && new Date(s.starts_at) > now);
  const activeIds = new Set(active.map((r) => r.session_id));
  const items = await Promise.all(
    mine.map(async (r) => {
      const s = byId.get(r.session_id)!;
      const pos = r.status === 'waitlisted' ? await repo.waitlistPosition(db, r) : null;
      return html`<li class="card" data-registration="${r.id}">
        <h3><a href="${sessionPath(series.slug, s.id)}">${s.title}</a></h3>
        <p>
          <span class="badge" data-status="${r.status}"
            >${t(`status_${r.status}`)}${pos ? ` #${pos}` : ''}</span
          >
        </p>
        <p class="when">
          ${t('your_time')} (${r.time_zone}):
          <span data-local-time>${timeRange(s.starts_at, s.ends_at, r.time_zone, lang)}</span>
        </p>
        <p class="zone">${t('utc')}: ${timeRange(s.starts_at, s.ends_at, 'UTC', lang)}</p>
        ${r.status === 'confirmed' ? html`<p><a href="/registrations/${token}/sessions/${s.id}.ics">${t('add_calendar')}</a></p>` : ''}
        ${r.status === 'confirmed' || r.status === 'waitlisted' ? html`<form method="post" action="/registrations/${token}/cancel">${csrfField(req)}<input type="hidden" name="sessionIds" value="${s.id}" /><button type="submit" class="secondary">${t('cancel')}</button></form>` : ''}
      </li>`;
    }),
  );
  return page(
    req,
    { title: t('your_registrations'), lang },
    html` <p><a href="/series/${series.slug}">${series.title}</a></p>
      ${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
      <h1>${t('your_registrations')}</h1>
      <p>${p.name} · ${p.email}</p>
      <ul class="sessions">
        ${items}
      </ul>
      ${
        series.registration_mode === 'choose' && openSessions.length
          ? html`<h2>${t('change_sessions')}</h2>
              <form method="post" action="/registrations/${token}/sessions">
                ${csrfField(req)}
                <fieldset>
                  <legend>${t('sessions')}</legend>
                  ${openSessions.map((s) => html`<div><input type="checkbox" style="width:auto" id="c-${s.id}" name="sessionIds" value="${s.id}" ${activeIds.has(s.id) ? raw('checked') : ''} /> <label style="display:inline;font-weight:400" for="c-${s.id}">${s.title} — ${timeRange(s.starts_at, s.ends_at, p.time_zone, lang)}</label></div>`)}
                </fieldset>
                <button type="submit">${t('save')}</button>
              </form>`
          : ''
      }
      ${active.length > 1 ? html`<form method="post" action="/registrations/${token}/cancel">${csrfField(req)}<button type="submit" class="secondary">${t('cancel_all')}</button></form>` : ''}
      <h2>${t('your_data')}</h2>
      <p><a href="/registrations/${token}/export">${t('download')}</a></p>
      <form method="post" action="/registrations/${token}/erase">
        ${csrfField(req)}
        <fieldset>
          <legend>${t('erase')}</legend>
          <div>
            <input type="radio" style="width:auto" id="erase-delete" name="mode" value="delete" checked />
            <label style="display:inline;font-weight:400" for="erase-delete">${t('erase_delete')}</label>
          </div>
          <div>
            <input type="radio" style="width:auto" id="erase-anon" name="mode" value="anonymise" />
            <label style="display:inline;font-weight:400" for="erase-anon">${t('erase_anonymise')}</label>
          </div>
        </fieldset>
        <button type="submit" class="secondary">${t('erase')}</button>
      </form>`,
  );
}

/** Public registration pages and the manage link's pages. */
export async function registrationPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const jobs = jobContext(app);

  app.get('/series/:slug/register', { schema: { hide: true } }, async (req, reply) => {
    const { slug } = req.params as { slug: string };
    const session = (req.query as { session?: string }).session;
    return send(reply, await formPage(req, slug, { sessionIds: session ? [session] : [] }, {}, langOf(req)));
  });

  app.post(
    '/series/:slug/register',
    { schema: { hide: true }, config: { public: true, rateLimit: registrationRateLimit() } },
    async (req, reply) => {
      const { slug } = req.params as { slug: string };
      const b = (req.body ?? {}) as Body;
      const lang = langOf(req, one(b.language));
      const t = messages.t(lang);
      const input = inputFromForm(b);
      const series = await visibleSeries(db, req.actor, slug);
      const done = (notice: string) =>
        page(
          req,
          { title: t('check_mail', { email: '' }), lang },
          html`<h1>${t('register')}</h1>
            <p class="notice" role="status">${notice}</p>
            <p><a href="/series/${series.slug}">${series.title}</a></p>`,
        );
      // A filled honeypot is a bot: say the same as for a person, keep nothing.
      if (input.website) return send(reply, done(t('check_mail', { email: input.email })));
      try {
        const res = await inTransaction(db, (trx) => register(trx, series.id, input));
        await deliver(jobs, res.mails);
        if (res.outcome === 'resent') return send(reply, done(t('resent')));
        return reply.redirect(`/registrations/${res.token}?registered=1`, 303);
      } catch (e) {
        const err = toAppError(e);
        if (err.status !== 422 || !err.field) throw e;
        const issues =
          e instanceof FormError ? e.issues : [{ field: err.field, code: err.code, message: err.message }];
        const errors: Record<string, string> = {};
        for (const i of issues) {
          const key = `err_${i.code}`;
          errors[formName(i.field)] ??= messages.lookup(lang, key) ?? translateError(lang, i);
        }
        return send(reply, await formPage(req, slug, b, errors, lang), 422);
      }
    },
  );

  app.get('/registrations/:token', { schema: { hide: true } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const q = req.query as { registered?: string; cancelled?: string };
    let notice: string | undefined;
    if (q.registered || q.cancelled) {
      const rows = await byToken(db, token);
      const t = messages.t(langOf(req, rows[0].language));
      notice = q.cancelled
        ? t('cancelled_done')
        : `${rows.some((r) => r.status === 'confirmed') ? t('registered') : t('waitlisted')}. ${t('check_mail', { email: rows[0].email })}`;
    }
    return send(reply, await managePage(req, token, notice));
  });

  // The registrant's join page: the video link and the live room of one session, in one place. The
  // signed link is the credential (the video link is for registrants, not for the public page).
  app.get('/join/:id/:sig', { schema: { hide: true } }, async (req, reply) => {
    const { id, sig } = req.params as { id: string; sig: string };
    const reg = (await verifyLink(db, 'join', id, sig)) ? await repo.findRegistration(db, id) : undefined;
    if (!reg || reg.status === 'cancelled') throw notFound('This link', 'sig');
    const session = await findSession(db, reg.session_id);
    const series = session ? await findSeries(db, session.series_id) : undefined;
    if (!session || !series) throw notFound('This session', 'id');
    const lang = langOf(req, reg.language);
    const t = messages.t(lang);
    void reply.header('cache-control', 'no-store');
    return send(
      reply,
      page(
        req,
        { title: t('join_title', { title: session.title }), lang },
        html`<p><a href="${sessionPath(series.slug, session.id)}">${series.title}</a></p>
          <h1>${t('join_title', { title: session.title })}</h1>
          <p>
            ${t('join_when')}:
            <time datetime="${session.starts_at}"
              >${timeRange(session.starts_at, session.ends_at, reg.time_zone, lang)}</time
            >
          </p>
          <ul class="sessions">
            <li>
              ${
                session.video_url
                  ? html`<a class="button" href="${safeUrl(session.video_url)}" rel="noopener"
                    >${t('join_video')}</a
                  >`
                  : html`<p>${t('join_no_video')}</p>`
              }
            </li>
            <li><a class="button secondary" href="/sessions/${session.id}/join">${t('join_live')}</a></li>
          </ul>`,
      ),
    );
  });

  // A coordinator's message carries this link: one POST turns the organisers' messages off (RFC 8058).
  const messagesOff = async (req: FastifyRequest) => {
    const { id, sig } = req.params as { id: string; sig: string };
    const reg = (await verifyLink(db, 'messages-off', id, sig))
      ? await repo.findRegistration(db, id)
      : undefined;
    if (!reg) throw notFound('This link', 'sig');
    return reg;
  };
  app.get('/registrations/:id/messages-off/:sig', { schema: { hide: true } }, async (req, reply) => {
    const reg = await messagesOff(req);
    const lang = langOf(req, reg.language);
    const t = messages.t(lang);
    const done = Number(reg.messages_off) === 1;
    return send(
      reply,
      page(
        req,
        { title: t('messages_title'), lang },
        html`<h1>${t('messages_title')}</h1>
          ${
            done
              ? html`<p role="status">${t('messages_off_done')}</p>`
              : html`<form method="post">
                <input type="hidden" name="List-Unsubscribe" value="One-Click" />
                <button type="submit">${t('messages_off')}</button>
              </form>`
          }`,
      ),
    );
  });
  app.post(
    '/registrations/:id/messages-off/:sig',
    {
      schema: { hide: true },
      config: { public: true, signedLink: true, rateLimit: registrationRateLimit() },
    },
    async (req, reply) => {
      const reg = await messagesOff(req);
      await turnMessagesOff(db, reg.series_id, reg.email);
      if ((req.headers.accept ?? '').includes('text/html')) return reply.redirect(req.url, 303);
      return reply.status(200).type('text/plain; charset=utf-8').send('unsubscribed');
    },
  );

  // One-click unsubscribe from reminders (RFC 8058). The signed URL is the credential, so the POST
  // needs neither a login nor a CSRF token; the GET only shows the button (a GET never writes).
  const remindersOff = async (req: FastifyRequest) => {
    const { id, sig } = req.params as { id: string; sig: string };
    const reg = (await verifyLink(db, 'reminders-off', id, sig))
      ? await repo.findRegistration(db, id)
      : undefined;
    if (!reg) throw notFound('This link', 'sig');
    return reg;
  };
  app.get('/registrations/:id/reminders-off/:sig', { schema: { hide: true } }, async (req, reply) => {
    const reg = await remindersOff(req);
    const lang = langOf(req, reg.language);
    const t = messages.t(lang);
    const done = Number(reg.reminders_off) === 1;
    return send(
      reply,
      page(
        req,
        { title: t('reminders_title'), lang },
        html`<main>
          <h1>${t('reminders_title')}</h1>
          ${
            done
              ? html`<p role="status">${t('reminders_off_done')}</p>`
              : html`<form method="post">
                <input type="hidden" name="List-Unsubscribe" value="One-Click" />
                <button type="submit">${t('reminders_off')}</button>
              </form>`
          }
        </main>`,
      ),
    );
  });
  app.post(
    '/registrations/:id/reminders-off/:sig',
    {
      schema: { hide: true },
      config: { public: true, signedLink: true, rateLimit: registrationRateLimit() },
    },
    async (req, reply) => {
      const reg = await remindersOff(req);
      await turnRemindersOff(db, reg.id);
      if ((req.headers.accept ?? '').includes('text/html')) return reply.redirect(req.url, 303);
      return reply.status(200).type('text/plain; charset=utf-8').send('unsubscribed');
    },
  );

  app.post(
    '/registrations/:token/cancel',
    { schema: { hide: true }, config: { public: true, rateLimit: registrationRateLimit() } },
    async (req, reply) => {
      const { token } = req.params as { token: string };
      const ids = many(((req.body ?? {}) as Body).sessionIds);
      const mails = await inTransaction(db, async (trx) => {
        const rows = await byToken(trx, token);
        const pick = ids.length ? rows.filter((x) => ids.includes(x.session_id)) : rows;
        return cancelRegistrations(
          trx,
          pick.filter((x) => x.status === 'confirmed' || x.status === 'waitlisted'),
        );
      });
      await deliver(jobs, mails);
      return reply.redirect(`/registrations/${token}?cancelled=1`, 303);
    },
  );

  app.post(
    '/registrations/:token/sessions',
    { schema: { hide: true }, config: { public: true, rateLimit: registrationRateLimit() } },
    async (req, reply) => {
      const { token } = req.params as { token: string };
      const res = await inTransaction(db, (trx) =>
        changeSessions(trx, token, many(((req.body ?? {}) as Body).sessionIds)),
      );
      await deliver(jobs, res.mails);
      return reply.redirect(`/registrations/${res.token ?? token}`, 303);
    },
  );

  app.get('/registrations/:token/sessions/:id.ics', { schema: { hide: true } }, async (req, reply) => {
    const { token, id } = req.params as { token: string; id: string };
    const reg = (await byToken(db, token)).find((r) => r.session_id === id);
    if (!reg) throw notFound('This registration', 'id');
    const session = await findSession(db, id);
    if (!session) throw notFound('This session', 'id');
    const series = (await findSeries(db, reg.series_id))!;
    return reply
      .type('text/calendar; charset=utf-8')
      .header('content-disposition', 'attachment; filename="invite.ics"')
      .send(
        icsCalendar('PUBLISH', [
          registrationEvent(reg, session, series, app.ctx.config, {
            ...(await publishedCalendar(db, session)),
            method: 'PUBLISH',
          }),
        ]),
      );
  });

  app.get('/registrations/:token/export', { schema: { hide: true } }, async (req, reply) => {
    const data = await exportData(db, (req.params as { token: string }).token);
    return reply
      .type('application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="my-colloquy-data.json"')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(data, null, 2));
  });

  app.post(
    '/registrations/:token/erase',
    { schema: { hide: true }, config: { public: true, rateLimit: registrationRateLimit() } },
    async (req, reply) => {
      const { token } = req.params as { token: string };
      const mode = one(((req.body ?? {}) as Body).mode) === 'anonymise' ? 'anonymise' : 'delete';
      const rows = await byToken(db, token);
      const lang = langOf(req, rows[0].language);
      const mails = await inTransaction(db, (trx) => eraseByToken(trx, token, mode));
      // The erased rows leave the write-ahead log too, not only the main file.
      checkpointAfterErasure(db);
      await deliver(jobs, mails);
      const t = messages.t(lang);
      return send(
        reply,
        page(
          req,
          { title: t('erased'), lang },
          html`<h1>${t('your_data')}</h1>
            <p class="notice" role="status">${t('erased')}</p>
            <p><a href="/">Colloquy</a></p>`,
        ),
      );
    },
  );
}
