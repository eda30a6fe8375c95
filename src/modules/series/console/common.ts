import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../lib/errors.ts';
import { html, type Html } from '../../../lib/html.ts';
import { allTimeZones } from '../../../lib/time.ts';
import { field } from '../../../server/layout.ts';
import type { FieldLabels, FormBody } from '../../../server/forms.ts';
import {
  canEditDirectory,
  canEditSession,
  canManageSeries,
  canViewSeries,
  requireActor,
  type Actor,
} from '../../accounts/index.ts';
import * as svc from '../series.service.ts';

export type Body = FormBody;
export type Errors = Record<string, string>;
export const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
export const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
export const lines = (v: string | string[] | undefined) =>
  one(v)
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Field labels for the error summaries (ids where a page holds several forms). */
export const SERIES_LABELS: FieldLabels = {
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
export const SESSION_LABELS: FieldLabels = {
  regionKey: 'Region',
  title: 'Title',
  description: 'Description',
  startsAt: 'Starts',
  endsAt: 'Ends',
  timeZone: 'Time zone of these times',
  language: 'Language',
  videoUrl: 'Video link',
  videoPublic: 'Show the video link on the public page',
  capacity: 'Capacity',
};

/** What the console confirms after each save. */
export const SAVED: Record<string, string> = {
  series: 'The series was saved.',
  created: 'The series was created. Next: add its sessions.',
  regions: 'The regions were saved.',
  regionNames: 'The region names were saved.',
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
/** The IANA zone names offered while typing a time zone. */
export const zoneList = html`<datalist id="zones">
  ${ZONES.map((z) => html`<option value="${z}"></option>`)}
</datalist>`;

/** The console's sections of a series, in the order a coordinator works through them. */
export type Section =
  'overview' | 'sessions' | 'people' | 'team' | 'registration' | 'live' | 'workbench' | 'posts';

/**
 * The section menu at the top of every console page of a series: where you are, and where
 * everything else is. Sections a role cannot use are left out.
 */
export function seriesNav(
  actor: Actor | null,
  d: { id: string; title: string },
  current: Section | null,
): Html {
  const manage = canManageSeries(actor, d.id);
  const items: [Section, string, string, boolean][] = [
    ['overview', 'Overview', `/console/series/${d.id}`, true],
    ['sessions', 'Sessions', `/console/series/${d.id}/sessions`, true],
    ['people', 'Organisations and people', `/console/series/${d.id}/people`, canEditDirectory(actor, d.id)],
    ['team', 'Team and roles', `/console/series/${d.id}/team`, manage],
    ['registration', 'Registration', `/console/series/${d.id}/registrations`, true],
    ['live', 'Live', `/console/series/${d.id}/live`, true],
    ['workbench', 'Workbench', `/console/series/${d.id}/workbench`, true],
    ['posts', 'Posts', `/console/series/${d.id}/posts`, manage],
  ];
  return html`<nav class="sections" aria-label="Sections of ${d.title}">
    <p class="crumbs"><a href="/console">Console</a> › <a href="/console/series/${d.id}">${d.title}</a></p>
    <ul>
      ${items
        .filter(([, , , shown]) => shown)
        .map(
          ([key, label, href]) =>
            html`<li>
              <a href="${href}" ${key === current ? html`aria-current="page"` : ''}>${label}</a>
            </li>`,
        )}
    </ul>
  </nav>`;
}

/** Small layout rules for the section menu (kept next to the menu they style). */
export const NAV_STYLE = html`<style>
  nav.sections ul {
    list-style: none;
    padding: 0;
    margin: 0.3rem 0 1rem;
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem 0.9rem;
  }
  nav.sections a[aria-current='page'] {
    font-weight: 700;
    text-decoration: none;
    color: var(--fg);
  }
  nav.sections .crumbs {
    margin: 0;
  }
  .links {
    display: flex;
    flex-wrap: wrap;
    gap: 0.2rem 0.8rem;
  }
  .table-wrap {
    overflow-x: auto;
  }
</style>`;

/** The logged-in person and the series (by id or short name), or 403 without a role in it. */
export function seriesLoader(app: FastifyInstance) {
  const { db } = app.ctx;
  return {
    actorOf: (req: FastifyRequest) => requireActor(req.actor),
    detailFor: async (req: FastifyRequest, id: string) => {
      const d = await svc.seriesDetail(db, req.actor, id);
      if (!canViewSeries(req.actor, d.id))
        throw new AppError(403, 'forbidden', 'You have no role in this series.');
      return d;
    },
  };
}

export function seriesFormFields(v: Body, errors: Errors, withSlug: boolean): Html {
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

export function seriesFromForm(b: Body) {
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

export { canEditSession };
