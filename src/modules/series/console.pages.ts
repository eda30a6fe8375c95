import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { html, type Html } from '../../lib/html.ts';
import { allTimeZones, utcToZonedLocal } from '../../lib/time.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import {
  formAction,
  formAlert,
  parseForm,
  savedNotice,
  savedUrl,
  sendPage,
  type FieldLabels,
  type FormBody,
  type FormErrors,
} from '../../server/forms.ts';
import { inTransaction } from '../../server/tx.ts';
import {
  authorize,
  canAddSessions,
  canCreateSeries,
  canEditDirectory,
  canEditSession,
  canManageSeries,
  canViewSeries,
  grantsInSeries,
  accountsSchema,
  inviteIntoSeries,
  requireActor,
  ROLES,
  type Actor,
} from '../accounts/index.ts';
import { listOutbox } from '../notify/index.ts';
import * as S from './series.schema.ts';
import { emitSessionChanged, emitSessionDeleting } from './series.events.ts';
import * as svc from './series.service.ts';

type Body = FormBody;
type Errors = FormErrors;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
const lines = (v: string | string[] | undefined) =>
  one(v)
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);

const send = sendPage;

/** Field labels for the error summaries (ids where a page holds several forms). */
const SERIES_LABELS: FieldLabels = {
  title: 'Title',
  slug: 'Short name for the address',
  description: 'Description',
  guidingQuestions: 'Guiding questions',
  languages: { id: 'f-languages', label: 'Languages' },
  timeZone: 'Main time zone of the organisers',
  registrationMode: 'Registration',
  retentionDays: 'Keep personal data for (days)',
  status: 'Visibility',
  regions: 'Regions',
};
const SESSION_LABELS: FieldLabels = {
  regionKey: 'Region',
  title: 'Title',
  description: 'Description',
  startsAt: 'Starts',
  endsAt: 'Ends',
  timeZone: 'Time zone of these times',
  language: 'Language',
  videoUrl: 'Video link',
  capacity: 'Capacity',
};
const PERSON_LABELS: FieldLabels = {
  name: { id: 'p-name', label: 'Name' },
  affiliation: { id: 'p-aff', label: 'Affiliation' },
  email: { id: 'p-email', label: 'E-mail' },
  bio: { id: 'p-bio', label: 'Short bio' },
  organisationId: { id: 'p-org', label: 'Organisation' },
};
const ORG_LABELS: FieldLabels = {
  name: { id: 'o-name', label: 'Name' },
  country: { id: 'o-country', label: 'Country code' },
  website: { id: 'o-web', label: 'Website' },
};
const INVITE_LABELS: FieldLabels = {
  email: { id: 'i-email', label: 'E-mail' },
  role: { id: 'i-role', label: 'Role' },
  regionKey: { id: 'i-region', label: 'Region (co-organisers)' },
};
/** What the console confirms after each save. */
const SAVED: Record<string, string> = {
  series: 'The series was saved.',
  created: 'The series was created. Next: add its sessions.',
  regions: 'The regions were saved.',
  person: 'The person was saved.',
  organisation: 'The organisation was added.',
  invite: 'The invitation was sent. The mail is in the outbox if no SMTP server is set.',
  session: 'The session was saved.',
  session_added: 'The session was added.',
  session_deleted: 'The session was deleted.',
  presentation: 'The presentation was added.',
  presentation_deleted: 'The presentation was removed.',
};

const ZONES = allTimeZones();
const zoneList = html`<datalist id="zones">
  ${ZONES.map((z) => html`<option value="${z}"></option>`)}
</datalist>`;

function seriesFormFields(v: Body, errors: Errors, withSlug: boolean): Html {
  const langs = many(v.languages);
  return html` ${field('title', 'Title', { value: one(v.title), errors, required: true })}
    ${withSlug ? field('slug', 'Short name for the address', { value: one(v.slug), errors, required: true, hint: 'lower-case, e.g. leaders-2026' }) : field('slug', 'Short name for the address', { value: one(v.slug), errors })}
    ${field('description', 'Description', { value: one(v.description), errors, textarea: true })}
    ${field('guidingQuestions', 'Guiding questions', { value: one(v.guidingQuestions), errors, textarea: true, hint: 'one per line' })}
    <fieldset>
      <legend id="f-languages" tabindex="-1">Languages</legend>
      <div class="grid">
        ${['en', 'fr', 'es', 'ar', 'zh', 'ru', 'de', 'pt'].map(
          (l) =>
            html`<label
              ><input
                type="checkbox"
                name="languages"
                value="${l}"
                ${langs.includes(l) ? html`checked` : ''}
                style="width:auto"
              />
              ${new Intl.DisplayNames(['en'], { type: 'language' }).of(l)}</label
            >`,
        )}
      </div>
      ${errors.languages ? html`<p class="error">${errors.languages}</p>` : ''}
    </fieldset>
    ${field('timeZone', 'Main time zone of the organisers', { value: one(v.timeZone) || 'UTC', errors, attrs: html`list="zones"` })}
    ${field('registrationMode', 'Registration', {
      value: one(v.registrationMode) || 'series',
      errors,
      options: [
        { value: 'series', label: 'Once for the whole series' },
        { value: 'session', label: 'Separately for each session' },
        { value: 'choose', label: 'Once, choosing sessions' },
      ],
    })}
    ${field('retentionDays', 'Keep personal data for (days)', { value: one(v.retentionDays) || '730', errors, type: 'number' })}
    ${field('status', 'Visibility', {
      value: one(v.status) || 'draft',
      errors,
      options: [
        { value: 'draft', label: 'Draft (only the team sees it)' },
        { value: 'published', label: 'Published' },
      ],
    })}
    ${zoneList}`;
}

function seriesFromForm(b: Body) {
  return {
    slug: one(b.slug) || undefined,
    title: one(b.title),
    description: one(b.description),
    guidingQuestions: lines(b.guidingQuestions),
    languages: many(b.languages).length ? many(b.languages) : ['en'],
    timeZone: one(b.timeZone) || 'UTC',
    registrationMode: one(b.registrationMode) || 'series',
    retentionDays: one(b.retentionDays) || '730',
    status: one(b.status) || 'draft',
  };
}

function personFromForm(b: Body) {
  return {
    name: one(b.name),
    email: one(b.email),
    affiliation: one(b.affiliation),
    bio: one(b.bio),
    organisationId: one(b.organisationId) || null,
  };
}

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
    ${field('videoUrl', 'Video link', { value: one(v.videoUrl), errors, type: 'url', hint: 'https://…' })}
    ${field('capacity', 'Capacity', { value: one(v.capacity), errors, type: 'number', hint: 'leave empty for no limit' })}
    ${zoneList}`;
}

/** The coordinator's console: plan series, regions, sessions, people, presentations and roles. */
export async function consolePages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const actorOf = (req: FastifyRequest) => requireActor(req.actor);
  const detailFor = async (req: FastifyRequest, id: string) => {
    const d = await svc.seriesDetail(db, req.actor, id);
    if (!canViewSeries(req.actor, d.id))
      throw new AppError(403, 'forbidden', 'You have no role in this series.');
    return d;
  };

  app.get('/console', { schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    const list = (await svc.listVisibleSeries(db, actor)).filter((s) => canViewSeries(actor, s.id));
    return send(
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
              : html`<p>You have no series yet.</p>`
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
      html`<h1>New series</h1>
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
    return send(reply, newSeriesPage(req, { languages: ['en'] }));
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

  const seriesPage = async (
    req: FastifyRequest,
    id: string,
    errors: Errors = {},
    v?: Body,
    section?: string,
  ) => {
    const actor = actorOf(req);
    const d = await detailFor(req, id);
    const manage = canManageSeries(actor, d.id);
    const dir = canEditDirectory(actor, d.id) ? await svc.listDirectory(db, actor, d.id) : null;
    const roles = manage ? await grantsInSeries(db, d.id) : [];
    const sv: Body =
      section === 'series' && v
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
    const err = (s: string) => (section === s ? errors : {});
    return page(
      req,
      { title: d.title },
      html` <p><a href="/console">Console</a></p>
        <h1>${d.title}</h1>
        ${savedNotice(req, SAVED)}
        <p>
          <a href="${d.url}">Public page</a>
          <span class="badge">${d.status}</span> ·
          <a href="/console/series/${d.id}/registrations">Registrations and attendance</a
          >${manage ? html` · <a href="/console/series/${d.id}/posts">Posts, comments and congress sessions</a>` : ''}
          · <a href="/console/series/${d.id}/workbench">Analysis workbench</a>
        </p>
        <h2 id="sessions">Sessions</h2>
        <table>
          <thead>
            <tr>
              <th>Session</th>
              <th>Region</th>
              <th>Starts (organisers' time)</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${d.sessions.map(
              (s) =>
                html`<tr>
                  <td>${s.title}</td>
                  <td>${s.region?.name ?? ''}</td>
                  <td>
                    ${utcToZonedLocal(new Date(s.startsAt), s.timeZone).replace('T', ' ')} ${s.timeZone}
                  </td>
                  <td>
                    ${canEditSession(actor, d.id, s.region?.id ?? null) ? html`<a href="/console/sessions/${s.id}">Edit</a>` : ''}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
        ${d.regions.some((r) => canEditSession(actor, d.id, r.id)) ? html`<p><a class="button" href="/console/series/${d.id}/sessions/new">Add a session</a></p>` : ''}
        ${
          manage
            ? html` <h2 id="settings">Series settings</h2>
                ${formAlert(err('series'), SERIES_LABELS)}
                <form method="post" action="/console/series/${d.id}" novalidate>
                  ${csrfField(req)}${seriesFormFields(sv, err('series'), false)}<button type="submit">
                    Save series
                  </button>
                </form>
                <h2 id="regions">Regions</h2>
                ${formAlert(err('regions'), SERIES_LABELS)}
                <form method="post" action="/console/series/${d.id}/regions" novalidate>
                  ${csrfField(req)}
                  ${field('regions', 'Regions', { value: section === 'regions' && v ? one(v.regions) : d.regions.map((r) => `${r.key} | ${r.name}`).join('\n'), errors: err('regions'), textarea: true, hint: 'one per line: key | name' })}
                  <button type="submit">Save regions</button>
                </form>`
            : ''
        }
        ${
          dir
            ? html` <h2 id="people">People</h2>
                <ul>
                  ${dir.people.map(
                    (p) =>
                      html`<li>
                        <strong>${p.name}</strong>${p.affiliation ? html`, ${p.affiliation}` : ''}
                        <span class="muted">${p.bio.slice(0, 120)}</span>
                        <a href="/console/people/${p.id}">Edit<span class="skip"> ${p.name}</span></a>
                      </li>`,
                  )}
                </ul>
                ${formAlert(err('person'), PERSON_LABELS)}
                <form method="post" action="/console/series/${d.id}/people" novalidate>
                  ${csrfField(req)}
                  <div class="row">
                    ${field('name', 'Name', { id: 'p-name', errors: err('person'), value: section === 'person' && v ? one(v.name) : '' })}
                    ${field('affiliation', 'Affiliation', { id: 'p-aff', errors: err('person'), value: section === 'person' && v ? one(v.affiliation) : '' })}
                    ${field('email', 'E-mail (optional)', { id: 'p-email', type: 'email', errors: err('person'), value: section === 'person' && v ? one(v.email) : '' })}
                  </div>
                  ${field('bio', 'Short bio', { id: 'p-bio', textarea: true, errors: err('person'), value: section === 'person' && v ? one(v.bio) : '' })}
                  ${field('organisationId', 'Organisation', { id: 'p-org', errors: err('person'), options: [{ value: '', label: '(none)' }, ...dir.organisations.map((o) => ({ value: o.id, label: o.name }))] })}
                  <button type="submit">Add person</button>
                </form>
                <h2 id="organisations">Organisations</h2>
                <ul>
                  ${dir.organisations.map((o) => html`<li>${o.name}${o.country ? ` (${o.country})` : ''}</li>`)}
                </ul>
                ${formAlert(err('organisation'), ORG_LABELS)}
                <form method="post" action="/console/series/${d.id}/organisations" novalidate>
                  ${csrfField(req)}
                  <div class="row">
                    ${field('name', 'Name', { id: 'o-name', errors: err('organisation'), value: section === 'organisation' && v ? one(v.name) : '' })}
                    ${field('country', 'Country code', { id: 'o-country', errors: err('organisation'), hint: 'e.g. NG', value: section === 'organisation' && v ? one(v.country) : '' })}
                    ${field('website', 'Website', { id: 'o-web', type: 'url', errors: err('organisation'), value: section === 'organisation' && v ? one(v.website) : '' })}
                  </div>
                  <button type="submit">Add organisation</button>
                </form>`
            : ''
        }
        ${
          manage
            ? html` <h2 id="roles">Team and roles</h2>
                <table>
                  <thead>
                    <tr>
                      <th>Person</th>
                      <th>Role</th>
                      <th>Region</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${roles.map(
                      (g) =>
                        html`<tr>
                          <td>${g.name} <span class="muted">${g.email}</span></td>
                          <td>${g.role.replace('_', '-')}</td>
                          <td>${g.region_name ?? ''}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
                ${formAlert(err('invite'), INVITE_LABELS)}
                <form method="post" action="/console/series/${d.id}/invite" novalidate>
                  ${csrfField(req)}
                  <div class="row">
                    ${field('email', 'E-mail', { id: 'i-email', type: 'email', errors: err('invite'), value: section === 'invite' && v ? one(v.email) : '' })}
                    ${field('role', 'Role', { id: 'i-role', errors: err('invite'), options: ROLES.map((r) => ({ value: r, label: r.replace('_', '-') })) })}
                    ${field('regionKey', 'Region (co-organisers)', { id: 'i-region', errors: err('invite'), options: [{ value: '', label: '(whole series)' }, ...d.regions.map((r) => ({ value: r.key, label: r.name }))] })}
                  </div>
                  <button type="submit">Invite</button>
                </form>`
            : ''
        }`,
    );
  };

  app.get('/console/series/:id', { schema: { hide: true } }, async (req, reply) =>
    send(reply, await seriesPage(req, (req.params as { id: string }).id)),
  );

  const seriesPost = (
    path: string,
    section: string,
    run: (req: FastifyRequest, id: string, b: Body) => Promise<unknown>,
    anchor: string,
  ) =>
    app.post(path, { schema: { hide: true } }, async (req, reply) => {
      const { id } = req.params as { id: string };
      const b = (req.body ?? {}) as Body;
      return formAction(
        reply,
        async () => {
          await run(req, id, b);
          app.ctx.invalidate();
          const d = await svc.seriesDetail(db, req.actor, id);
          return savedUrl(`/console/series/${d.id}#${anchor}`, section);
        },
        (e) => seriesPage(req, id, e, b, section),
      );
    });

  seriesPost(
    '/console/series/:id',
    'series',
    (req, id, b) => {
      const input = parseForm(S.SeriesUpdateBody, seriesFromForm(b));
      return inTransaction(db, (trx) => svc.updateSeries(trx, req.actor, id, input));
    },
    'settings',
  );
  seriesPost(
    '/console/series/:id/regions',
    'regions',
    (req, id, b) => {
      const input = parseForm(S.RegionsBody, { regions: parseRegions(one(b.regions)) });
      return inTransaction(db, (trx) => svc.replaceRegions(trx, req.actor, id, input.regions));
    },
    'regions',
  );
  seriesPost(
    '/console/series/:id/people',
    'person',
    (req, id, b) => {
      const input = parseForm(S.PersonBody, personFromForm(b));
      return inTransaction(db, (trx) => svc.createPerson(trx, req.actor, id, input));
    },
    'people',
  );
  seriesPost(
    '/console/series/:id/organisations',
    'organisation',
    (req, id, b) => {
      const input = parseForm(S.OrganisationBody, {
        name: one(b.name),
        country: one(b.country),
        website: one(b.website),
      });
      return inTransaction(db, (trx) => svc.createOrganisation(trx, req.actor, id, input));
    },
    'organisations',
  );
  seriesPost(
    '/console/series/:id/invite',
    'invite',
    async (req, id, b) => {
      const input = parseForm(accountsSchema.InviteBody, {
        email: one(b.email),
        role: one(b.role),
        regionKey: one(b.regionKey) || null,
      });
      return inviteIntoSeries(db, app.ctx.mailer, app.ctx.config.publicUrl, req.actor, id, input);
    },
    'roles',
  );

  // ---- sessions ----
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
    return page(
      req,
      { title: s ? `Edit ${s.title}` : 'New session' },
      html` <p><a href="/console/series/${d.id}">${d.title}</a></p>
        <h1>${s ? `Edit session` : 'New session'}</h1>
        ${savedNotice(req, SAVED)} ${formAlert(errors, { ...SESSION_LABELS, presentation: { id: 'pr-title', label: 'Presentation title' } })}
        <form
          method="post"
          action="${s ? `/console/sessions/${s.id}` : `/console/series/${d.id}/sessions/new`}"
          novalidate
        >
          ${csrfField(req)} ${sessionFormFields(d, v, errors, actor)}
          <button type="submit">${s ? 'Save session' : 'Add session'}</button>
        </form>
        ${
          s
            ? html` <form method="post" action="/console/sessions/${s.id}/delete">
                  ${csrfField(req)}<button class="secondary" type="submit">Delete this session</button>
                </form>
                <h2>Presentations</h2>
                ${s.presentations.map(
                  (p) =>
                    html`<div class="card">
                      <strong>${p.title}</strong> ${p.presenters.map((x) => x.name).join(', ')}
                      <form method="post" action="/console/presentations/${p.id}/delete">
                        ${csrfField(req)}<button class="link" type="submit">Remove “${p.title}”</button>
                      </form>
                    </div>`,
                )}
                <form method="post" action="/console/sessions/${s.id}/presentations" novalidate>
                  ${csrfField(req)}
                  ${field('title', 'Presentation title', { id: 'pr-title', errors: errors.presentation ? { title: errors.presentation } : {} })}
                  ${field('abstract', 'Abstract', { id: 'pr-abstract', textarea: true })}
                  ${field('slidesUrl', 'Slides link', { id: 'pr-slides', type: 'url' })}
                  <fieldset>
                    <legend>Presenters</legend>
                    <div class="grid">
                      ${dir.people.map((p) => html`<label><input type="checkbox" name="presenterIds" value="${p.id}" style="width:auto" /> ${p.name}</label>`)}
                    </div>
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
    return send(reply, await sessionFormPage(req, d, { timeZone: d.timeZone }, {}));
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
        return savedUrl(`/console/series/${d.id}#sessions`, 'session_added');
      },
      (e) => sessionFormPage(req, d, b, e),
    );
  });

  const sessionValues = (s: svc.SeriesDetail['sessions'][number]): Body => ({
    regionKey: s.region?.key ?? '',
    title: s.title,
    description: s.description,
    startsAt: utcToZonedLocal(new Date(s.startsAt), s.timeZone),
    endsAt: utcToZonedLocal(new Date(s.endsAt), s.timeZone),
    timeZone: s.timeZone,
    language: s.language,
    videoUrl: s.videoUrl ?? '',
    capacity: s.capacity === null ? '' : String(s.capacity),
  });
  const sessionAndSeries = async (req: FastifyRequest, id: string) => {
    const sess = await svc.editableSession(db, req.actor, id);
    return { sess, d: await detailFor(req, sess.series_id) };
  };

  app.get('/console/sessions/:id', { schema: { hide: true } }, async (req, reply) => {
    const { d, sess } = await sessionAndSeries(req, (req.params as { id: string }).id);
    return send(
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
        return savedUrl(`/console/series/${d.id}#sessions`, 'session');
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
    return reply.redirect(savedUrl(`/console/series/${d.id}#sessions`, 'session_deleted'), 303);
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
        return savedUrl(`/console/sessions/${sess.id}`, 'presentation');
      },
      (e) =>
        sessionFormPage(
          req,
          d,
          sessionValues(d.sessions.find((x) => x.id === sess.id)!),
          { presentation: Object.values(e)[0] },
          sess.id,
        ),
    );
  });
  app.post('/console/presentations/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    await inTransaction(db, (trx) => svc.deletePresentation(trx, req.actor, id));
    app.ctx.invalidate();
    return reply.redirect(
      req.headers.referer && new URL(req.headers.referer, 'http://x').pathname.startsWith('/console/')
        ? new URL(req.headers.referer, 'http://x').pathname
        : '/console',
      303,
    );
  });

  // ---- editing a person ----
  const personPage = async (req: FastifyRequest, personId: string, v?: Body, errors: Errors = {}) => {
    const actor = actorOf(req);
    const person = await svc.findPersonOr404(db, personId);
    const d = await detailFor(req, person.series_id);
    if (!canEditDirectory(actor, d.id))
      throw new AppError(403, 'forbidden', 'Only coordinators and co-organisers edit people.');
    const dir = await svc.listDirectory(db, actor, d.id);
    const val: Body = v ?? {
      name: person.name,
      email: person.email ?? '',
      affiliation: person.affiliation,
      bio: person.bio,
      organisationId: person.organisation_id ?? '',
    };
    return page(
      req,
      { title: `Edit ${person.name}` },
      html`<p><a href="/console/series/${d.id}#people">${d.title}</a></p>
        <h1>Edit ${person.name}</h1>
        ${formAlert(errors, { ...PERSON_LABELS, name: 'Name', affiliation: 'Affiliation', email: 'E-mail', bio: 'Short bio', organisationId: 'Organisation' })}
        <form method="post" action="/console/people/${person.id}" novalidate>
          ${csrfField(req)} ${field('name', 'Name', { value: one(val.name), errors, required: true })}
          ${field('affiliation', 'Affiliation', { value: one(val.affiliation), errors })}
          ${field('email', 'E-mail (optional)', { type: 'email', value: one(val.email), errors })}
          ${field('bio', 'Short bio', { textarea: true, value: one(val.bio), errors })}
          ${field('organisationId', 'Organisation', { value: one(val.organisationId), errors, options: [{ value: '', label: '(none)' }, ...dir.organisations.map((o) => ({ value: o.id, label: o.name }))] })}
          <button type="submit">Save</button>
        </form>`,
    );
  };
  app.get('/console/people/:id', { schema: { hide: true } }, async (req, reply) =>
    send(reply, await personPage(req, (req.params as { id: string }).id)),
  );
  app.post('/console/people/:id', { schema: { hide: true } }, async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const input = parseForm(S.PersonBody, personFromForm(b));
        await inTransaction(db, (trx) => svc.updatePerson(trx, req.actor, id, input));
        const person = await svc.findPersonOr404(db, id);
        return savedUrl(`/console/series/${person.series_id}#people`, 'person');
      },
      (e) => personPage(req, id, b, e),
    );
  });

  app.get('/console/outbox', { schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    if (!actor.isAdmin) throw new AppError(403, 'forbidden', 'Only administrators can read the outbox.');
    const mails = await listOutbox(db);
    return send(
      reply,
      page(
        req,
        { title: 'Outbox' },
        html`<h1>Outbox</h1>
          <p class="muted">
            Mail is kept here when no SMTP server is configured (SMTP_URL), and as a log when one is.
          </p>
          ${mails.map(
            (m) =>
              html`<article class="card">
                <p>
                  <strong>${m.subject}</strong> → ${m.to_address} <span class="badge">${m.status}</span>
                  <span class="muted">${m.created_at}</span>
                </p>
                <pre style="white-space:pre-wrap">${m.text_body}</pre>
              </article>`,
          )}`,
      ),
    );
  });
}

/** "key | name" lines into regions; a line with only a name gets a key made from it. */
export function parseRegions(text: string): { key: string; name: string }[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [a, b] = l.includes('|') ? l.split('|').map((x) => x.trim()) : [null, l];
      const name = b ?? '';
      const key =
        a ||
        name
          .toLowerCase()
          .normalize('NFKD')
          .replace(/[^\w\s-]/g, '')
          .trim()
          .replace(/[\s-]+/g, '_')
          .slice(0, 64);
      return { key, name };
    });
}
