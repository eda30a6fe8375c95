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
import { messages, type ConsoleT } from './messages/index.ts';

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
export const seriesLabels = (t: ConsoleT): FieldLabels => ({
  title: t('f.title'),
  slug: t('f.slug'),
  description: t('f.description'),
  guidingQuestions: t('f.guidingQuestions'),
  languages: { id: 'f-languages', label: t('f.languages') },
  timeZone: t('f.timeZone'),
  registrationMode: t('f.registrationMode'),
  retentionDays: t('f.retentionDays'),
  status: t('f.status'),
  regions: t('f.regions'),
});
export const sessionLabels = (t: ConsoleT): FieldLabels => ({
  regionKey: t('f.region'),
  title: t('f.title'),
  description: t('f.description'),
  startsAt: t('f.startsAt'),
  endsAt: t('f.endsAt'),
  timeZone: t('f.sessionTimeZone'),
  language: t('f.language'),
  videoUrl: t('f.videoUrl'),
  videoPublic: t('f.videoPublic'),
  capacity: t('f.capacity'),
});

/** What the console confirms after each save (`?saved=<key>`), in the reader's language. */
const SAVED_KEYS = [
  'series',
  'created',
  'regions',
  'regionNames',
  'person',
  'organisation',
  'invite',
  'session',
  'session_added',
  'session_deleted',
  'presentation',
  'presentation_deleted',
] as const;
export const savedMessages = (t: ConsoleT): Record<string, string> =>
  Object.fromEntries(SAVED_KEYS.map((k) => [k, t(`saved.${k}`)]));

/** The translator of the console for a request. */
export const consoleT = (req: FastifyRequest): ConsoleT => messages.t(req.lang);

/** A series' visibility as a badge ("draft", "published") in the reader's language. */
export const statusLabel = (t: ConsoleT, status: string) =>
  messages.lookup(t.lang, `status.${status}`) ?? status;

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
  lang?: string,
): Html {
  const t = messages.t(lang);
  const manage = canManageSeries(actor, d.id);
  const items: [Section, string, string, boolean][] = [
    ['overview', t('nav.overview'), `/console/series/${d.id}`, true],
    ['sessions', t('nav.sessions'), `/console/series/${d.id}/sessions`, true],
    ['people', t('nav.people'), `/console/series/${d.id}/people`, canEditDirectory(actor, d.id)],
    ['team', t('nav.team'), `/console/series/${d.id}/team`, manage],
    ['registration', t('nav.registration'), `/console/series/${d.id}/registrations`, true],
    ['live', t('nav.live'), `/console/series/${d.id}/live`, true],
    ['workbench', t('nav.workbench'), `/console/series/${d.id}/workbench`, true],
    ['posts', t('nav.posts'), `/console/series/${d.id}/posts`, manage],
  ];
  return html`<nav class="sections" aria-label="${t('nav.label', { title: d.title })}">
    <p class="crumbs"><a href="/console">${t('nav.console')}</a> › <a href="/console/series/${d.id}">${d.title}</a></p>
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

export function seriesFormFields(t: ConsoleT, v: Body, errors: Errors, withSlug: boolean): Html {
  const langs = many(v.languages);
  const names = new Intl.DisplayNames([t.lang], { type: 'language' });
  return html` ${field('title', t('f.title'), { value: one(v.title), errors, required: true })}
    ${withSlug ? field('slug', t('f.slug'), { value: one(v.slug), errors, required: true, hint: t('f.slug.hint') }) : field('slug', t('f.slug'), { value: one(v.slug), errors })}
    ${field('description', t('f.description'), { value: one(v.description), errors, textarea: true })}
    ${field('guidingQuestions', t('f.guidingQuestions'), { value: one(v.guidingQuestions), errors, textarea: true, hint: t('f.onePerLine') })}
    <fieldset>
      <legend id="f-languages" tabindex="-1">${t('f.languages')}</legend>
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
              ${names.of(l)}</label
            >`,
        )}
      </div>
      ${errors.languages ? html`<p class="error">${errors.languages}</p>` : ''}
    </fieldset>
    ${field('timeZone', t('f.timeZone'), { value: one(v.timeZone) || 'UTC', errors, attrs: html`list="zones"` })}
    ${field('registrationMode', t('f.registrationMode'), {
      value: one(v.registrationMode) || 'series',
      errors,
      options: (['series', 'session', 'choose'] as const).map((m) => ({ value: m, label: t(`mode.${m}`) })),
    })}
    ${field('retentionDays', t('f.retentionDays'), { value: one(v.retentionDays) || '730', errors, type: 'number' })}
    ${field('status', t('f.status'), {
      value: one(v.status) || 'draft',
      errors,
      options: [
        { value: 'draft', label: t('f.status.draft') },
        { value: 'published', label: t('status.published') },
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
