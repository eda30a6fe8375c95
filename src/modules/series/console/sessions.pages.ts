import type { FastifyInstance, FastifyRequest } from 'fastify';
import { html, type Html } from '../../../lib/html.ts';
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
  many,
  NAV_STYLE,
  one,
  SAVED,
  SESSION_LABELS,
  seriesLoader,
  seriesNav,
  zoneList,
  type Body,
  type Errors,
} from './common.ts';

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

function sessionFormFields(d: svc.SeriesDetail, v: Body, errors: Errors, actor: Actor): Html {
  const regions = d.regions.filter((r) => canEditSession(actor, d.id, r.id));
  return html` ${field('regionKey', 'Region', { value: one(v.regionKey), errors, options: [...(canManageSeries(actor, d.id) ? [{ value: '', label: '(no region)' }] : []), ...regions.map((r) => ({ value: r.key, label: r.name }))] })}
    ${field('title', 'Title', { value: one(v.title), errors, required: true })}
    ${field('description', 'Description', { value: one(v.description), errors, textarea: true })}
    <div class="row">
      ${field('startsAt', 'Starts', { value: one(v.startsAt), errors, type: 'datetime-local', required: true, hint: 'in the time zone below' })}
      ${field('endsAt', 'Ends', { value: one(v.endsAt), errors, type: 'datetime-local', required: true })}
    </div>
    ${field('timeZone', 'Time zone of these times', { value: one(v.timeZone) || d.timeZone, errors, required: true, attrs: html`list="zones"`, hint: 'IANA name, e.g. Asia/Singapore' })}
    ${field('language', 'Language', { value: one(v.language) || 'en', errors })}
    ${field('videoUrl', 'Video link', { value: one(v.videoUrl), errors, type: 'url', hint: 'https://… (registrants find it on their join page)' })}
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
        >Show the video link on the public session page too (otherwise only registrants see it, on their
        join page)</label
      >
    </div>
    ${field('capacity', 'Capacity', { value: one(v.capacity), errors, type: 'number', hint: 'leave empty for no limit' })}
    ${zoneList}`;
}

/** The links a coordinator looks for next to a session: live room, presenter, attendees, registrants. */
export function sessionLinks(s: { id: string; title: string }, links: LiveLinks | undefined): Html {
  const l = links;
  return html`<p class="links">
    <a href="/console/sessions/${s.id}/live">Live room<span class="skip"> of ${s.title}</span></a>
    ${
      l?.presenter
        ? html`<a href="${l.presenter}">Presenter screen<span class="skip"> of ${s.title}</span></a>`
        : ''
    }
    ${
      l?.attendee
        ? html`<a href="${l.attendee}">Attendee link<span class="skip"> of ${s.title}</span></a>
          <a href="${l.qr}">QR code<span class="skip"> of ${s.title}</span></a>`
        : html`<span class="muted">Attendee link and QR code: open the live room once</span>`
    }
    <a href="/console/sessions/${s.id}/registrants">Registrants<span class="skip"> of ${s.title}</span></a>
  </p>`;
}

const when = (s: Session) =>
  html`${utcToZonedLocal(new Date(s.startsAt), s.timeZone).replace('T', ' ')} ${s.timeZone}`;

/** The sessions of a series, a session's form and its presentations. */
export async function sessionPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf, detailFor } = seriesLoader(app);
  const linksOf = (ids: string[]) => liveLinksOf(db, app.ctx.config.publicUrl, ids);

  app.get('/console/series/:id/sessions', { schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    const d = await detailFor(req, (req.params as { id: string }).id);
    const links = await linksOf(d.sessions.map((s) => s.id));
    const canAdd = d.regions.some((r) => canEditSession(actor, d.id, r.id));
    const add = canAdd
      ? html`<p><a class="button" href="/console/series/${d.id}/sessions/new">Add a session</a></p>`
      : '';
    return sendPage(
      reply,
      page(
        req,
        { title: `Sessions · ${d.title}`, head: NAV_STYLE },
        html`${seriesNav(actor, d, 'sessions')}
          <h1>Sessions</h1>
          ${savedNotice(req, SAVED)} ${add}
          ${
            d.sessions.length
              ? html`<ul class="sessions">
                ${d.sessions.map(
                  (s) =>
                    html`<li class="card">
                      <h2 style="margin-top:0;font-size:1.15rem">${s.title}</h2>
                      <p>
                        ${s.region?.name ?? 'No region'} · ${when(s)}
                        ${s.status === 'cancelled' ? html`<span class="badge">cancelled</span>` : ''}
                      </p>
                      ${
                        canEditSession(actor, d.id, s.region?.id ?? null)
                          ? html`<p><a href="/console/sessions/${s.id}">Edit<span class="skip"> ${s.title}</span></a></p>`
                          : ''
                      }
                      ${sessionLinks(s, links.get(s.id))}
                    </li>`,
                )}
              </ul>`
              : html`<p>
                No sessions yet.
                ${
                  canAdd
                    ? 'Add the first one: its region, its times in the local time zone, and its video link.'
                    : 'A coordinator or co-organiser adds them.'
                }
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
      { title: s ? `Edit ${s.title}` : 'New session', head: NAV_STYLE },
      html`${seriesNav(actor, d, 'sessions')}
        <h1>${s ? `Edit session` : 'New session'}</h1>
        ${savedNotice(req, SAVED)} ${s ? sessionLinks(s, links) : ''} ${formAlert(formErrors, SESSION_LABELS)}
        <form
          method="post"
          action="${s ? `/console/sessions/${s.id}` : `/console/series/${d.id}/sessions/new`}"
          novalidate
        >
          ${csrfField(req)} ${sessionFormFields(d, v, formErrors, actor)}
          <button type="submit">${s ? 'Save session' : 'Add session'}</button>
        </form>
        ${
          s
            ? html` <form method="post" action="/console/sessions/${s.id}/delete">
                ${csrfField(req)}<button class="secondary" type="submit">Delete this session</button>
              </form>
              <h2 id="presentations">Presentations</h2>
              ${
                s.presentations.length
                  ? ''
                  : html`<p>No presentations yet. Add one below; its presenters come from the people of the series.</p>`
              }
              ${s.presentations.map(
                (p) =>
                  html`<div class="card">
                    <strong>${p.title}</strong> ${p.presenters.map((x) => x.name).join(', ')}
                    <form method="post" action="/console/presentations/${p.id}/delete">
                      ${csrfField(req)}<button class="link" type="submit">Remove “${p.title}”</button>
                    </form>
                  </div>`,
              )}
              ${formAlert(prErrors, {
                title: { id: 'pr-title', label: 'Presentation title' },
                abstract: { id: 'pr-abstract', label: 'Abstract' },
                slidesUrl: { id: 'pr-slides', label: 'Slides link' },
                presenterIds: { id: 'pr-presenters', label: 'Presenters' },
              })}
              <form method="post" action="/console/sessions/${s.id}/presentations" novalidate>
                ${csrfField(req)}
                ${field('title', 'Presentation title', { id: 'pr-title', errors: prErrors })}
                ${field('abstract', 'Abstract', { id: 'pr-abstract', textarea: true, errors: prErrors })}
                ${field('slidesUrl', 'Slides link', { id: 'pr-slides', type: 'url', errors: prErrors })}
                <fieldset>
                  <legend id="pr-presenters" tabindex="-1">Presenters</legend>
                  ${
                    dir.people.length
                      ? ''
                      : html`<p>
                        No people yet: <a href="/console/series/${d.id}/people">add them</a> to name presenters.
                      </p>`
                  }
                  <div class="grid">
                    ${dir.people.map((p) => html`<label><input type="checkbox" name="presenterIds" value="${p.id}" style="width:auto" /> ${p.name}</label>`)}
                  </div>
                  ${prErrors.presenterIds ? html`<p class="error">${prErrors.presenterIds}</p>` : ''}
                </fieldset>
                <button type="submit">Add presentation</button>
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
