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
import {
  one,
  parseRegions,
  SERIES_LABELS,
  seriesFormFields,
  seriesFromForm,
  seriesLoader,
  type Body,
  type Errors,
} from './common.ts';

/** The console's start page, a new series, and the outbox. */
export async function consoleHomePages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf } = seriesLoader(app);

  app.get('/console', { schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    const list = (await svc.listVisibleSeries(db, actor)).filter((s) => canViewSeries(actor, s.id));
    return sendPage(
      reply,
      page(
        req,
        { title: 'Console' },
        html` <h1>Console</h1>
          ${canCreateSeries(actor) ? html`<p><a class="button" href="/console/series/new">New series</a></p>` : ''}
          <h2>Your series</h2>
          ${
            list.length
              ? html`<ul>
                  ${list.map((s) => html`<li><a href="/console/series/${s.id}">${s.title}</a> <span class="badge">${s.status}</span></li>`)}
                </ul>`
              : canCreateSeries(actor)
                ? html`<p>You have no series yet. Create the first one with “New series” above; it starts as a draft that only its team sees.</p>`
                : html`<p>
                    You have no role in a series yet. A coordinator invites you by e-mail; the link in that mail
                    gives you the role.
                  </p>`
          }
          ${
            actor.isAdmin
              ? html`<h2>Administration</h2>
                  <p><a href="/console/outbox">Outbox (mail not sent over SMTP)</a></p>`
              : ''
          }`,
      ),
    );
  });

  const newSeriesPage = (req: FastifyRequest, v: Body, errors: Errors = {}) =>
    page(
      req,
      { title: 'New series' },
      html`<p><a href="/console">Console</a></p>
        <h1>New series</h1>
        ${formAlert(errors, SERIES_LABELS)}
        <form method="post" action="/console/series/new" novalidate>
          ${csrfField(req)}${seriesFormFields(v, errors, true)}
          ${field('regions', 'Regions', { value: one(v.regions) || S.DEFAULT_REGIONS.map((r) => `${r.key} | ${r.name}`).join('\n'), errors, textarea: true, hint: 'one per line: key | name' })}
          <button type="submit">Create series</button>
        </form>`,
    );

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
    return sendPage(
      reply,
      page(
        req,
        { title: 'Outbox' },
        html`<p><a href="/console">Console</a></p>
          <h1>Outbox</h1>
          <p class="muted">
            Mail is kept here when no SMTP server is configured (SMTP_URL), and as a log when one is.
          </p>
          ${mails.length ? '' : html`<p>No mail yet. Invitations, confirmations and reminders appear here.</p>`}
          ${mails.map(
            (m) =>
              html`<article class="card">
                <p>
                  <strong>${m.subject}</strong> → ${m.to_address} <span class="badge">${m.status}</span>
                  <span class="muted">${m.created_at}</span>
                </p>
                <pre style="white-space:pre-wrap;overflow-wrap:anywhere">${m.text_body}</pre>
              </article>`,
          )}`,
      ),
    );
  });
}
