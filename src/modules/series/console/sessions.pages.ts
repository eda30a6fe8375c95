import { regionName } from '../series.labels.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, type Html } from '../../../lib/html.ts';
import { fmt } from '../../../lib/format.ts';
import { utcToZonedLocal } from '../../../lib/time.ts';
import { formAction, formAlert, parseForm, savedNotice, savedUrl, sendPage } from '../../../server/forms.ts';
import { csrfField, field, page } from '../../../server/layout.ts';
import { inTransaction } from '../../../server/tx.ts';
import {
  authorize,
  canAddSessions,
  canEditSession,
  canManageSeries,
  type Actor,
} from '../../accounts/index.ts';
import { liveLinksOf, type LiveLinks } from './live-links.ts';
import { emitSessionChanged, emitSessionDeleting } from '../series.events.ts';
import * as S from '../series.schema.ts';
import * as svc from '../series.service.ts';
import {
  consoleT,
  many,
  NAV_STYLE,
  one,
  savedMessages,
  sessionLabels,
  seriesLoader,
  seriesNav,
  zoneList,
  type Body,
  type Errors,
} from './common.ts';
import type { ConsoleT } from './messages/index.ts';

type Session = svc.SeriesDetail['sessions'][number];

function sessionFromForm(b: Body) {
  return {
    regionKey: one(b.regionKey) || null,
    title: one(b.title),
    description: one(b.description),
    startsAt: one(b.startsAt),
    endsAt: one(b.endsAt),
    timeZone: one(b.timeZone),
    language: one(b.language) || 'en',
    videoUrl: one(b.videoUrl),
    videoPublic: one(b.videoPublic) === 'yes',
    capacity: one(b.capacity) ? one(b.capacity) : null,
  };
}

function sessionFormFields(t: ConsoleT, d: svc.SeriesDetail, v: Body, errors: Errors, actor: Actor): Html {
  const regions = d.regions.filter((r) => canEditSession(actor, d.id, r.id));
  return html` ${field('regionKey', t('f.region'), { value: one(v.regionKey), errors, options: [...(canManageSeries(actor, d.id) ? [{ value: '', label: t('f.noRegion') }] : []), ...regions.map((r) => ({ value: r.key, label: regionName(r, t.lang) }))] })}
    ${field('title', t('f.title'), { value: one(v.title), errors, required: true })}
    ${field('description', t('f.description'), { value: one(v.description), errors, textarea: true })}
    <div class="row">
      ${field('startsAt', t('f.startsAt'), { value: one(v.startsAt), errors, type: 'datetime-local', required: true, hint: t('f.startsAt.hint') })}
      ${field('endsAt', t('f.endsAt'), { value: one(v.endsAt), errors, type: 'datetime-local', required: true })}
    </div>
    ${field('timeZone', t('f.sessionTimeZone'), { value: one(v.timeZone) || d.timeZone, errors, required: true, attrs: html`list="zones"`, hint: t('f.sessionTimeZone.hint') })}
    ${field('language', t('f.language'), { value: one(v.language) || 'en', errors })}
    ${field('videoUrl', t('f.videoUrl'), { value: one(v.videoUrl), errors, type: 'url', hint: t('f.videoUrl.hint') })}
    <div class="field">
      <input
        type="checkbox"
        id="f-videoPublic"
        name="videoPublic"
        value="yes"
        ${one(v.videoPublic) === 'yes' ? html`checked` : ''}
        style="width:auto"
      />
      <label for="f-videoPublic" style="display:inline;font-weight:400"
        >${t('f.videoPublic.long')}</label
      >
    </div>
    ${field('capacity', t('f.capacity'), { value: one(v.capacity), errors, type: 'number', hint: t('f.capacity.hint') })}
    ${zoneList}`;
}

/** The links a coordinator looks for next to a session: live room, presenter, attendees, registrants. */
export function sessionLinks(
  t: ConsoleT,
  s: { id: string; title: string },
  links: LiveLinks | undefined,
): Html {
  const l = links;
  const of = html`<span class="skip"> ${t('of', { title: s.title })}</span>`;
  return html`<p class="links">
    <a href="/console/sessions/${s.id}/live">${t('links.liveRoom')}${of}</a>
    ${
      l
        ? html`<a href="${l.presenter}">${t('links.presenter')}${of}</a>
          <a href="${l.attendee}">${t('links.attendee')}${of}</a>
          <a href="${l.qr}">${t('links.qr')}${of}</a>`
        : ''
    }
    <a href="/console/sessions/${s.id}/registrants">${t('links.registrants')}${of}</a>
  </p>`;
}

/** When a session starts, in its own zone and the reader's language (the zone after it). */
export const sessionWhen = (lang: string, s: { startsAt: string; endsAt: string; timeZone: string }) =>
  fmt(lang).range(s.startsAt, s.endsAt, s.timeZone);

/** The sessions of a series, a session's form and its presentations. */
export async function sessionPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf, detailFor } = seriesLoader(app);
  const linksOf = (ids: string[]) => liveLinksOf(db, app.ctx.config.publicUrl, ids);

  app.get('/console/series/:id/sessions', { schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    const t = consoleT(req);
    const d = await detailFor(req, (req.params as { id: string }).id);
    const links = await linksOf(d.sessions.map((s) => s.id));
    const canAdd = d.regions.some((r) => canEditSession(actor, d.id, r.id));
    const add = canAdd
      ? html`<p><a class="button" href="/console/series/${d.id}/sessions/new">${t('sessions.add')}</a></p>`
      : '';
    return sendPage(
      reply,
      page(
        req,
        { title: `${t('sessions.title')} · ${d.title}`, head: NAV_STYLE },
        html`${seriesNav(actor, d, 'sessions', t.lang)}
          <h1>${t('sessions.title')}</h1>
          ${savedNotice(req, savedMessages(t))} ${add}
          ${
            d.sessions.length
              ? html`<ul class="sessions">
                ${d.sessions.map(
                  (s) =>
                    html`<li class="card">
                      <h2 style="margin-top:0;font-size:1.15rem">${s.title}</h2>
                      <p>
                        ${s.region ? regionName(d.regions.find((r) => r.id === s.region!.id) ?? s.region, t.lang) : t('sessions.noRegion')}
                        · ${sessionWhen(t.lang, s)}
                        ${s.status === 'cancelled' ? html`<span class="badge">${t('sessions.cancelled')}</span>` : ''}
                      </p>
                      ${
                        canEditSession(actor, d.id, s.region?.id ?? null)
                          ? html`<p><a href="/console/sessions/${s.id}">${t('edit')}<span class="skip"> ${s.title}</span></a></p>`
                          : ''
                      }
                      ${sessionLinks(t, s, links.get(s.id))}
                    </li>`,
                )}
              </ul>`
              : html`<p>
                ${t('sessions.none')} ${canAdd ? t('sessions.none.add') : t('sessions.none.ask')}
              </p>`
          }`,
      ),
    );
  });

  const sessionFormPage = async (
    req: FastifyRequest,
    d: svc.SeriesDetail,
    v: Body,
    errors: Errors,
    sessionId?: string,
  ) => {
    const actor = actorOf(req);
    const t = consoleT(req);
    const s = sessionId ? d.sessions.find((x) => x.id === sessionId) : undefined;
    const dir = await svc.listDirectory(db, actor, d.id);
    const links = s ? (await linksOf([s.id])).get(s.id) : undefined;
    const prErrors = Object.fromEntries(
      Object.entries(errors)
        .filter(([k]) => k.startsWith('pr_'))
        .map(([k, m]) => [k.slice(3), m]),
    );
    const formErrors = Object.fromEntries(Object.entries(errors).filter(([k]) => !k.startsWith('pr_')));
    return page(
      req,
      { title: s ? t('session.editTitle', { title: s.title }) : t('session.new'), head: NAV_STYLE },
      html`${seriesNav(actor, d, 'sessions', t.lang)}
        <h1>${s ? t('session.edit') : t('session.new')}</h1>
        ${savedNotice(req, savedMessages(t))} ${s ? sessionLinks(t, s, links) : ''}
        ${formAlert(formErrors, sessionLabels(t), t('fixThese'))}
        <form
          method="post"
          action="${s ? `/console/sessions/${s.id}` : `/console/series/${d.id}/sessions/new`}"
          novalidate
        >
          ${csrfField(req)} ${sessionFormFields(t, d, v, formErrors, actor)}
          <button type="submit">${s ? t('session.save') : t('session.add')}</button>
        </form>
        ${
          s
            ? html` <form method="post" action="/console/sessions/${s.id}/delete">
                ${csrfField(req)}<button class="secondary" type="submit">${t('session.delete')}</button>
              </form>
              <h2 id="presentations">${t('pr.title')}</h2>
              ${s.presentations.length ? '' : html`<p>${t('pr.none')}</p>`}
              ${s.presentations.map(
                (p) =>
                  html`<div class="card">
                    <strong>${p.title}</strong> ${p.presenters.map((x) => x.name).join(', ')}
                    <form method="post" action="/console/presentations/${p.id}/delete">
                      ${csrfField(req)}<button class="link" type="submit">${t('pr.remove', { title: p.title })}</button>
                    </form>
                  </div>`,
              )}
              ${formAlert(
                prErrors,
                {
                  title: { id: 'pr-title', label: t('pr.f.title') },
                  abstract: { id: 'pr-abstract', label: t('pr.f.abstract') },
                  slidesUrl: { id: 'pr-slides', label: t('pr.f.slides') },
                  presenterIds: { id: 'pr-presenters', label: t('pr.f.presenters') },
                },
                t('fixThese'),
              )}
              <form method="post" action="/console/sessions/${s.id}/presentations" novalidate>
                ${csrfField(req)}
                ${field('title', t('pr.f.title'), { id: 'pr-title', errors: prErrors })}
                ${field('abstract', t('pr.f.abstract'), { id: 'pr-abstract', textarea: true, errors: prErrors })}
                ${field('slidesUrl', t('pr.f.slides'), { id: 'pr-slides', type: 'url', errors: prErrors })}
                <fieldset>
                  <legend id="pr-presenters" tabindex="-1">${t('pr.f.presenters')}</legend>
                  ${
                    dir.people.length
                      ? ''
                      : html`<p>
                        ${t('pr.noPeople')} <a href="/console/series/${d.id}/people">${t('pr.addPeople')}</a>
                      </p>`
                  }
                  <div class="grid">
                    ${dir.people.map((p) => html`<label><input type="checkbox" name="presenterIds" value="${p.id}" style="width:auto" /> ${p.name}</label>`)}
                  </div>
                  ${prErrors.presenterIds ? html`<p class="error">${prErrors.presenterIds}</p>` : ''}
                </fieldset>
                <button type="submit">${t('pr.add')}</button>
              </form>`
            : ''
        }`,
    );
  };

  app.get('/console/series/:id/sessions/new', { schema: { hide: true } }, async (req, reply) => {
    const d = await detailFor(req, (req.params as { id: string }).id);
    authorize(
      req.actor,
      canAddSessions(req.actor, d.id),
      'Only coordinators and co-organisers of a region can add sessions.',
    );
    return sendPage(reply, await sessionFormPage(req, d, { timeZone: d.timeZone }, {}));
  });
  app.post('/console/series/:id/sessions/new', { schema: { hide: true } }, async (req, reply) => {
    const d = await detailFor(req, (req.params as { id: string }).id);
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const input = parseForm(S.SessionCreateBody, sessionFromForm(b));
        await inTransaction(db, (trx) => svc.createSession(trx, req.actor, d.id, input));
        app.ctx.invalidate();
        return savedUrl(`/console/series/${d.id}/sessions`, 'session_added');
      },
      (e) => sessionFormPage(req, d, b, e),
    );
  });

  const sessionValues = (s: Session): Body => ({
    regionKey: s.region?.key ?? '',
    title: s.title,
    description: s.description,
    startsAt: utcToZonedLocal(new Date(s.startsAt), s.timeZone),
    endsAt: utcToZonedLocal(new Date(s.endsAt), s.timeZone),
    timeZone: s.timeZone,
    language: s.language,
    videoUrl: s.videoUrl ?? '',
    videoPublic: s.videoPublic ? 'yes' : '',
    capacity: s.capacity === null ? '' : String(s.capacity),
  });
  const sessionAndSeries = async (req: FastifyRequest, id: string) => {
    const sess = await svc.editableSession(db, req.actor, id);
    return { sess, d: await detailFor(req, sess.series_id) };
  };

  app.get('/console/sessions/:id', { schema: { hide: true } }, async (req, reply) => {
    const { d, sess } = await sessionAndSeries(req, (req.params as { id: string }).id);
    return sendPage(
      reply,
      await sessionFormPage(req, d, sessionValues(d.sessions.find((x) => x.id === sess.id)!), {}, sess.id),
    );
  });
  app.post('/console/sessions/:id', { schema: { hide: true } }, async (req, reply) => {
    const { d, sess } = await sessionAndSeries(req, (req.params as { id: string }).id);
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const input = parseForm(S.SessionUpdateBody, sessionFromForm(b));
        await inTransaction(db, async (trx) =>
          emitSessionChanged(trx, await svc.updateSession(trx, req.actor, sess.id, input)),
        );
        app.ctx.invalidate();
        return savedUrl(`/console/sessions/${sess.id}`, 'session');
      },
      (e) => sessionFormPage(req, d, b, e, sess.id),
    );
  });
  app.post('/console/sessions/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const { d, sess } = await sessionAndSeries(req, (req.params as { id: string }).id);
    await inTransaction(db, async (trx) => {
      await emitSessionDeleting(trx, sess.id);
      await svc.deleteSession(trx, req.actor, sess.id);
    });
    app.ctx.invalidate();
    return reply.redirect(savedUrl(`/console/series/${d.id}/sessions`, 'session_deleted'), 303);
  });
  app.post('/console/sessions/:id/presentations', { schema: { hide: true } }, async (req, reply) => {
    const { d, sess } = await sessionAndSeries(req, (req.params as { id: string }).id);
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const input = parseForm(S.PresentationBody, {
          title: one(b.title),
          abstract: one(b.abstract),
          slidesUrl: one(b.slidesUrl),
          presenterIds: many(b.presenterIds),
        });
        await inTransaction(db, (trx) => svc.createPresentation(trx, req.actor, sess.id, input));
        app.ctx.invalidate();
        return savedUrl(`/console/sessions/${sess.id}#presentations`, 'presentation');
      },
      (e) =>
        sessionFormPage(
          req,
          d,
          sessionValues(d.sessions.find((x) => x.id === sess.id)!),
          Object.fromEntries(Object.entries(e).map(([k, m]) => [`pr_${k}`, m])),
          sess.id,
        ),
    );
  });
  app.post('/console/presentations/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const sessionId = await inTransaction(db, (trx) => svc.deletePresentation(trx, req.actor, id));
    app.ctx.invalidate();
    return reply.redirect(
      sessionId
        ? savedUrl(`/console/sessions/${sessionId}#presentations`, 'presentation_deleted')
        : '/console',
      303,
    );
  });
}
