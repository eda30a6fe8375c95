import type { FastifyInstance, FastifyRequest } from 'fastify';
import { countryName, countryOptions } from '../../../lib/countries.ts';
import { AppError } from '../../../lib/errors.ts';
import { html } from '../../../lib/html.ts';
import {
  formAction,
  formAlert,
  parseForm,
  savedNotice,
  savedUrl,
  sendPage,
  type FieldLabels,
} from '../../../server/forms.ts';
import { csrfField, field, page } from '../../../server/layout.ts';
import { inTransaction } from '../../../server/tx.ts';
import { canEditDirectory } from '../../accounts/index.ts';
import * as S from '../series.schema.ts';
import * as svc from '../series.service.ts';
import {
  consoleT,
  NAV_STYLE,
  one,
  savedMessages,
  seriesLoader,
  seriesNav,
  type Body,
  type Errors,
} from './common.ts';
import type { ConsoleT } from './messages/index.ts';

/** The person form's fields and their element ids (ids only where the page holds several forms). */
const PERSON_FIELDS = [
  ['name', 'p-name', 'f.name'],
  ['affiliation', 'p-aff', 'f.affiliation'],
  ['email', 'p-email', 'f.email'],
  ['bio', 'p-bio', 'f.bio'],
  ['organisationId', 'p-org', 'f.organisation'],
] as const;
const personLabels = (t: ConsoleT, withIds: boolean): FieldLabels =>
  Object.fromEntries(
    PERSON_FIELDS.map(([k, id, label]) => [k, withIds ? { id, label: t(label) } : t(label)]),
  );
const orgLabels = (t: ConsoleT): FieldLabels => ({
  name: { id: 'o-name', label: t('f.name') },
  country: { id: 'o-country', label: t('f.country') },
  website: { id: 'o-web', label: t('f.website') },
});

function personFromForm(b: Body) {
  return {
    name: one(b.name),
    email: one(b.email),
    affiliation: one(b.affiliation),
    bio: one(b.bio),
    organisationId: one(b.organisationId) || null,
  };
}

const countrySelect = (t: ConsoleT) => [
  { value: '', label: t('none') },
  ...countryOptions(t.lang).map((c) => ({ value: c.code, label: `${c.name} (${c.code})` })),
];

/** Organisations first (a person belongs to one), then people; editing a person. */
export async function peoplePages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const { actorOf, detailFor } = seriesLoader(app);

  const directoryFor = async (req: FastifyRequest, id: string) => {
    const actor = actorOf(req);
    const d = await detailFor(req, id);
    if (!canEditDirectory(actor, d.id))
      throw new AppError(403, 'forbidden', 'Only coordinators and co-organisers edit people.');
    return { actor, d, dir: await svc.listDirectory(db, actor, d.id) };
  };

  const peoplePage = async (
    req: FastifyRequest,
    id: string,
    errors: Errors = {},
    v?: Body,
    form?: string,
  ) => {
    const { actor, d, dir } = await directoryFor(req, id);
    const t = consoleT(req);
    const err = (f: string) => (form === f ? errors : {});
    const val = (f: string, k: string) => (form === f && v ? one(v[k]) : '');
    return page(
      req,
      { title: `${t('people.title')} · ${d.title}`, head: NAV_STYLE },
      html`${seriesNav(actor, d, 'people', t.lang)}
        <h1>${t('people.title')}</h1>
        ${savedNotice(req, savedMessages(t))}
        <h2 id="organisations">${t('people.orgs')}</h2>
        ${
          dir.organisations.length
            ? html`<ul>
              ${dir.organisations.map(
                (o) => html`<li>${o.name}${o.country ? ` (${countryName(o.country, t.lang)})` : ''}</li>`,
              )}
            </ul>`
            : html`<p>${t('people.orgs.none')}</p>`
        }
        ${formAlert(err('organisation'), orgLabels(t), t('fixThese'))}
        <form method="post" action="/console/series/${d.id}/organisations" novalidate>
          ${csrfField(req)}
          <div class="row">
            ${field('name', t('f.name'), { id: 'o-name', errors: err('organisation'), value: val('organisation', 'name'), required: true })}
            ${field('country', t('f.country'), { id: 'o-country', errors: err('organisation'), value: val('organisation', 'country'), options: countrySelect(t) })}
            ${field('website', t('f.website'), { id: 'o-web', type: 'url', errors: err('organisation'), value: val('organisation', 'website') })}
          </div>
          <button type="submit">${t('people.addOrg')}</button>
        </form>
        <h2 id="people">${t('people.people')}</h2>
        ${
          dir.people.length
            ? html`<ul>
              ${dir.people.map(
                (p) =>
                  html`<li>
                    <strong>${p.name}</strong>${p.affiliation ? html`, ${p.affiliation}` : ''}
                    <span class="muted">${p.bio.slice(0, 120)}</span>
                    <a href="/console/people/${p.id}">${t('edit')}<span class="skip"> ${p.name}</span></a>
                  </li>`,
              )}
            </ul>`
            : html`<p>${t('people.none')}</p>`
        }
        ${formAlert(err('person'), personLabels(t, true), t('fixThese'))}
        <form method="post" action="/console/series/${d.id}/people" novalidate>
          ${csrfField(req)}
          <div class="row">
            ${field('name', t('f.name'), { id: 'p-name', errors: err('person'), value: val('person', 'name'), required: true })}
            ${field('affiliation', t('f.affiliation'), { id: 'p-aff', errors: err('person'), value: val('person', 'affiliation') })}
            ${field('email', t('f.emailOptional'), { id: 'p-email', type: 'email', errors: err('person'), value: val('person', 'email') })}
          </div>
          ${field('bio', t('f.bio'), { id: 'p-bio', textarea: true, errors: err('person'), value: val('person', 'bio') })}
          ${field('organisationId', t('f.organisation'), { id: 'p-org', errors: err('person'), value: val('person', 'organisationId'), options: [{ value: '', label: t('none') }, ...dir.organisations.map((o) => ({ value: o.id, label: o.name }))] })}
          <button type="submit">${t('people.addPerson')}</button>
        </form>`,
    );
  };

  app.get('/console/series/:id/people', { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, await peoplePage(req, (req.params as { id: string }).id)),
  );

  app.post('/console/series/:id/people', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const input = parseForm(S.PersonBody, personFromForm(b));
        await inTransaction(db, (trx) => svc.createPerson(trx, req.actor, id, input));
        app.ctx.invalidate();
        return savedUrl(`/console/series/${id}/people#people`, 'person');
      },
      (e) => peoplePage(req, id, e, b, 'person'),
    );
  });

  app.post('/console/series/:id/organisations', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = (req.body ?? {}) as Body;
    return formAction(
      reply,
      async () => {
        const input = parseForm(S.OrganisationBody, {
          name: one(b.name),
          country: one(b.country),
          website: one(b.website),
        });
        await inTransaction(db, (trx) => svc.createOrganisation(trx, req.actor, id, input));
        app.ctx.invalidate();
        return savedUrl(`/console/series/${id}/people#organisations`, 'organisation');
      },
      (e) => peoplePage(req, id, e, b, 'organisation'),
    );
  });

  const personPage = async (req: FastifyRequest, personId: string, v?: Body, errors: Errors = {}) => {
    const person = await svc.findPersonOr404(db, personId);
    const { actor, d, dir } = await directoryFor(req, person.series_id);
    const t = consoleT(req);
    const val: Body = v ?? {
      name: person.name,
      email: person.email ?? '',
      affiliation: person.affiliation,
      bio: person.bio,
      organisationId: person.organisation_id ?? '',
    };
    return page(
      req,
      { title: t('person.edit', { name: person.name }), head: NAV_STYLE },
      html`${seriesNav(actor, d, 'people', t.lang)}
        <h1>${t('person.edit', { name: person.name })}</h1>
        ${formAlert(errors, personLabels(t, false), t('fixThese'))}
        <form method="post" action="/console/people/${person.id}" novalidate>
          ${csrfField(req)} ${field('name', t('f.name'), { value: one(val.name), errors, required: true })}
          ${field('affiliation', t('f.affiliation'), { value: one(val.affiliation), errors })}
          ${field('email', t('f.emailOptional'), { type: 'email', value: one(val.email), errors })}
          ${field('bio', t('f.bio'), { textarea: true, value: one(val.bio), errors })}
          ${field('organisationId', t('f.organisation'), { value: one(val.organisationId), errors, options: [{ value: '', label: t('none') }, ...dir.organisations.map((o) => ({ value: o.id, label: o.name }))] })}
          <button type="submit">${t('save')}</button>
        </form>`,
    );
  };
  app.get('/console/people/:id', { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, await personPage(req, (req.params as { id: string }).id)),
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
        return savedUrl(`/console/series/${person.series_id}/people#people`, 'person');
      },
      (e) => personPage(req, id, b, e),
    );
  });
}
