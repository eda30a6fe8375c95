import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html } from '../../../lib/html.ts';
import { formAction, formAlert, parseForm, savedNotice, savedUrl, sendPage } from '../../../server/forms.ts';
import { csrfField, field, page } from '../../../server/layout.ts';
import { inTransaction } from '../../../server/tx.ts';
import { canEditDirectory, canEditSession, canManageSeries, grantsInSeries } from '../../accounts/index.ts';
import * as S from '../series.schema.ts';
import * as svc from '../series.service.ts';
import {
  NAV_STYLE,
  consoleT,
  one,
  parseRegions,
  savedMessages,
  seriesLabels,
  statusLabel,
  seriesFormFields,
  seriesFromForm,
  seriesLoader,
  seriesNav,
  type Body,
  type Errors,
} from './common.ts';
import { regionNamesForm, regionNamesFromForm } from './region-names.ts';

/** A series' overview: where it stands, what to do next, its settings and regions. */
export async function overviewPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf, detailFor } = seriesLoader(app);

  const overviewPage = async (
    req: FastifyRequest,
    id: string,
    errors: Errors = {},
    v?: Body,
    form?: string,
  ) => {
    const actor = actorOf(req);
    const t = consoleT(req);
    const d = await detailFor(req, id);
    const manage = canManageSeries(actor, d.id);
    const dir = canEditDirectory(actor, d.id) ? await svc.listDirectory(db, actor, d.id) : null;
    const team = manage ? await grantsInSeries(db, d.id) : [];
    const sv: Body =
      form === 'series' && v
        ? v
        : {
            slug: d.slug,
            title: d.title,
            description: d.description,
            guidingQuestions: d.guidingQuestions.join('\n'),
            languages: d.languages,
            timeZone: d.timeZone,
            registrationMode: d.registrationMode,
            retentionDays: String(d.retentionDays),
            status: d.status,
          };
    const err = (f: string) => (form === f ? errors : {});
    const canAddSession = d.regions.some((r) => canEditSession(actor, d.id, r.id));
    // The next steps a coordinator would take, each with its link; done ones drop out.
    const next = [
      !d.sessions.length && canAddSession
        ? html`<li><a href="/console/series/${d.id}/sessions/new">${t('overview.next.firstSession')}</a></li>`
        : '',
      dir && !dir.organisations.length
        ? html`<li><a href="/console/series/${d.id}/people">${t('overview.next.orgs')}</a></li>`
        : '',
      dir && dir.organisations.length && !dir.people.length
        ? html`<li><a href="/console/series/${d.id}/people#people">${t('overview.next.people')}</a></li>`
        : '',
      manage && team.length < 2
        ? html`<li><a href="/console/series/${d.id}/team">${t('overview.next.team')}</a></li>`
        : '',
      manage && d.status === 'draft' && d.sessions.length
        ? html`<li><a href="#f-status">${t('overview.next.publish')}</a></li>`
        : '',
    ].filter(Boolean);
    return page(
      req,
      { title: d.title, head: NAV_STYLE },
      html`${seriesNav(actor, d, 'overview', t.lang)}
        <h1>${d.title}</h1>
        ${savedNotice(req, savedMessages(t))}
        <p>
          <a href="${d.url}">${t('overview.public')}</a> <span class="badge">${statusLabel(t, d.status)}</span>
        </p>
        <ul>
          <li>
            <a href="/console/series/${d.id}/sessions"
              >${t('overview.sessions', { count: d.sessions.length })}</a
            >
            ${t('overview.inRegions', { count: d.regions.length })}
          </li>
          ${
            dir
              ? html`<li>
                <a href="/console/series/${d.id}/people"
                  >${t('overview.directory', { orgs: dir.organisations.length, people: dir.people.length })}</a
                >
              </li>`
              : ''
          }
          ${
            manage
              ? html`<li><a href="/console/series/${d.id}/team">${t('overview.team', { count: team.length })}</a></li>`
              : ''
          }
        </ul>
        ${
          next.length
            ? html`<h2 id="next">${t('overview.next')}</h2>
              <ol>
                ${next}
              </ol>`
            : ''
        }
        ${
          manage
            ? html` <h2 id="settings">${t('overview.settings')}</h2>
              ${formAlert(err('series'), seriesLabels(t), t('fixThese'))}
              <form method="post" action="/console/series/${d.id}" novalidate>
                ${csrfField(req)}${seriesFormFields(t, sv, err('series'), false)}<button type="submit">
                  ${t('overview.save')}
                </button>
              </form>
              <h2 id="regions">${t('f.regions')}</h2>
              ${formAlert(err('regions'), { regions: { id: 'r-regions', label: t('f.regions') } }, t('fixThese'))}
              <form method="post" action="/console/series/${d.id}/regions" novalidate>
                ${csrfField(req)}
                ${field('regions', t('f.regions'), { id: 'r-regions', value: form === 'regions' && v ? one(v.regions) : d.regions.map((r) => `${r.key} | ${r.name}`).join('\n'), errors: err('regions'), textarea: true, hint: t('f.regions.hint') })}
                <button type="submit">${t('overview.saveRegions')}</button>
              </form>
              ${regionNamesForm(req, d, err('regionNames'), form === 'regionNames' ? v : undefined)}`
            : ''
        }`,
    );
  };

  app.get('/console/series/:id', { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, await overviewPage(req, (req.params as { id: string }).id)),
  );

  app.post('/console/series/:id', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const input = parseForm(S.SeriesUpdateBody, seriesFromForm(b));
        await inTransaction(db, (trx) => svc.updateSeries(trx, req.actor, id, input));
        app.ctx.invalidate();
        const d = await svc.seriesDetail(db, req.actor, id);
        return savedUrl(`/console/series/${d.id}#settings`, 'series');
      },
      (e) => overviewPage(req, id, e, b, 'series'),
    );
  });

  app.post('/console/series/:id/regions', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const input = parseForm(S.RegionsBody, { regions: parseRegions(one(b.regions)) });
        await inTransaction(db, (trx) => svc.replaceRegions(trx, req.actor, id, input.regions));
        app.ctx.invalidate();
        return savedUrl(`/console/series/${id}#regions`, 'regions');
      },
      (e) => overviewPage(req, id, e, b, 'regions'),
    );
  });

  app.post('/console/series/:id/region-names', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const d = await detailFor(req, id);
        await inTransaction(db, (trx) => svc.setRegionNames(trx, req.actor, d.id, regionNamesFromForm(b, d)));
        app.ctx.invalidate();
        return savedUrl(`/console/series/${d.id}#region-names`, 'regionNames');
      },
      (e) => overviewPage(req, id, e, b, 'regionNames'),
    );
  });
}
