import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../lib/errors.ts';
import { html } from '../../../lib/html.ts';
import { formAction, formAlert, parseForm, savedUrl, sendPage } from '../../../server/forms.ts';
import { csrfField, field, page } from '../../../server/layout.ts';
import { inTransaction } from '../../../server/tx.ts';
import { authorize, canCreateSeries, canViewSeries } from '../../accounts/index.ts';
import { listOutbox } from '../../notify/index.ts';
import * as S from '../series.schema.ts';
import * as svc from '../series.service.ts';
import { fmt } from '../../../lib/format.ts';
import {
  consoleT,
  one,
  parseRegions,
  seriesLabels,
  statusLabel,
  seriesFormFields,
  seriesFromForm,
  seriesLoader,
  type Body,
  type Errors,
} from './common.ts';
import { messages } from './messages/index.ts';

/** The console's start page, a new series, and the outbox. */
export async function consoleHomePages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf } = seriesLoader(app);

  app.get('/console', { schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    const t = consoleT(req);
    const list = (await svc.listVisibleSeries(db, actor)).filter((s) => canViewSeries(actor, s.id));
    return sendPage(
      reply,
      page(
        req,
        { title: t('home.title') },
        html` <h1>${t('home.title')}</h1>
          ${canCreateSeries(actor) ? html`<p><a class="button" href="/console/series/new">${t('home.newSeries')}</a></p>` : ''}
          <h2>${t('home.yourSeries')}</h2>
          ${
            list.length
              ? html`<ul>
                  ${list.map((s) => html`<li><a href="/console/series/${s.id}">${s.title}</a> <span class="badge">${statusLabel(t, s.status)}</span></li>`)}
                </ul>`
              : canCreateSeries(actor)
                ? html`<p>${t('home.noneCreate')}</p>`
                : html`<p>${t('home.noneRole')}</p>`
          }
          ${
            actor.isAdmin
              ? html`<h2>${t('home.admin')}</h2>
                  <p><a href="/console/outbox">${t('home.outbox')}</a></p>`
              : ''
          }`,
      ),
    );
  });

  const newSeriesPage = (req: FastifyRequest, v: Body, errors: Errors = {}) => {
    const t = consoleT(req);
    return page(
      req,
      { title: t('new.title') },
      html`<p><a href="/console">${t('home.title')}</a></p>
        <h1>${t('new.title')}</h1>
        ${formAlert(errors, seriesLabels(t), t('fixThese'))}
        <form method="post" action="/console/series/new" novalidate>
          ${csrfField(req)}${seriesFormFields(t, v, errors, true)}
          ${field('regions', t('f.regions'), { value: one(v.regions) || S.DEFAULT_REGIONS.map((r) => `${r.key} | ${r.name}`).join('\n'), errors, textarea: true, hint: t('f.regions.hint') })}
          <button type="submit">${t('new.create')}</button>
        </form>`,
    );
  };

  app.get('/console/series/new', { schema: { hide: true } }, async (req, reply) => {
    actorOf(req);
    // A form nobody may submit is not shown: 403 for presenters, facilitators and co-organisers.
    authorize(
      req.actor,
      canCreateSeries(req.actor),
      'Only administrators and coordinators can create a series.',
    );
    return sendPage(reply, newSeriesPage(req, { languages: ['en'] }));
  });

  app.post('/console/series/new', { schema: { hide: true } }, async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const regions = parseRegions(one(b.regions));
        const input = parseForm(S.SeriesCreateBody, { ...seriesFromForm(b), regions });
        const id = await inTransaction(db, (trx) => svc.createSeries(trx, req.actor, input));
        app.ctx.invalidate();
        return savedUrl(`/console/series/${id}`, 'created');
      },
      async (e) => newSeriesPage(req, b, e),
    );
  });

  app.get('/console/outbox', { schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    if (!actor.isAdmin) throw new AppError(403, 'forbidden', 'Only administrators can read the outbox.');
    const mails = await listOutbox(db);
    const t = consoleT(req);
    const f = fmt(req.lang);
    return sendPage(
      reply,
      page(
        req,
        { title: t('outbox.title') },
        html`<p><a href="/console">${t('home.title')}</a></p>
          <h1>${t('outbox.title')}</h1>
          <p class="muted">${t('outbox.intro')}</p>
          ${mails.length ? '' : html`<p>${t('outbox.none')}</p>`}
          ${mails.map(
            (m) =>
              html`<article class="card">
                <p>
                  <strong data-user-content>${m.subject}</strong> → ${m.to_address}
                  <span class="badge">${messages.lookup(t.lang, `mail.${m.status}`) ?? m.status}</span>
                  <span class="muted">${f.dateTime(m.created_at)}</span>
                </p>
                <pre style="white-space:pre-wrap;overflow-wrap:anywhere" data-user-content>${m.text_body}</pre>
              </article>`,
          )}`,
      ),
    );
  });
}
