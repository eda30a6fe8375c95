import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/index.ts';
import { notFound } from '../../lib/errors.ts';
import { html, safeUrl, type Html } from '../../lib/html.ts';
import { envLimit, Lru } from '../../lib/lru.ts';
import { fmt } from '../../lib/format.ts';
import { isValidTimeZone } from '../../lib/time.ts';
import { messages } from './messages/index.ts';
import { page, type PageOptions } from '../../server/layout.ts';
import { seriesDetail, visibleSeries, type SeriesDetail } from './series.service.ts';
import { listSeries } from './series.repository.ts';

/** The cities organisers paste into announcements, from west to east. */
export const CITIES: [string, string][] = [
  ['Honolulu', 'Pacific/Honolulu'],
  ['Los Angeles', 'America/Los_Angeles'],
  ['Mexico City', 'America/Mexico_City'],
  ['New York', 'America/New_York'],
  ['Lima', 'America/Lima'],
  ['São Paulo', 'America/Sao_Paulo'],
  ['London', 'Europe/London'],
  ['Lagos', 'Africa/Lagos'],
  ['Paris', 'Europe/Paris'],
  ['Cairo', 'Africa/Cairo'],
  ['Nairobi', 'Africa/Nairobi'],
  ['Moscow', 'Europe/Moscow'],
  ['Dubai', 'Asia/Dubai'],
  ['Lahore', 'Asia/Karachi'],
  ['New Delhi', 'Asia/Kolkata'],
  ['Dhaka', 'Asia/Dhaka'],
  ['Bangkok', 'Asia/Bangkok'],
  ['Beijing', 'Asia/Shanghai'],
  ['Tokyo', 'Asia/Tokyo'],
  ['Sydney', 'Australia/Sydney'],
  ['Auckland', 'Pacific/Auckland'],
];

type Sess = SeriesDetail['sessions'][number];

type T = ReturnType<typeof messages.t>;

// The 21 cities' times of an instant, per language: the same on every request for the session.
const cityTimesCache = new Lru<string, string>(envLimit('CITY_TIMES_CACHE_ENTRIES', 2000));

function cityTimes(startsAt: string, lang: string): string {
  const key = `${lang}|${startsAt}`;
  let text = cityTimesCache.get(key);
  if (text === undefined) cityTimesCache.set(key, (text = computeCityTimes(startsAt, lang)));
  return text;
}

function computeCityTimes(startsAt: string, lang: string): string {
  const d = new Date(startsAt);
  const f = fmt(lang);
  const dayUtc = f.date(d, 'UTC');
  return CITIES.map(([city, tz]) => {
    const day = f.date(d, tz);
    return `${messages.lookup(lang, `city.${city}`) ?? city} ${f.time(d, tz)}${day !== dayUtc ? ` (${day})` : ''}`;
  }).join(' · ');
}

/** The time block of a session: viewer's zone (filled by script or ?tz), organiser's zone, UTC, cities. */
function timeBlock(s: Sess, viewerTz: string | null, lang: string, t: T): Html {
  const f = fmt(lang);
  return html`<div class="times">
    <p class="when">
      <span class="label">${t('time.yours')}</span>
      <time class="local" datetime="${s.startsAt}" data-end="${s.endsAt}" data-local
        >${f.range(s.startsAt, s.endsAt, viewerTz ?? 'UTC')}</time
      >
    </p>
    <p class="zone">${t('time.organisers', { time: f.range(s.startsAt, s.endsAt, s.timeZone) })}</p>
    <p class="zone">${t('time.utc', { time: f.range(s.startsAt, s.endsAt, 'UTC', { zone: false }) })}</p>
    <details>
      <summary>${t('time.world')}</summary>
      <p class="zone">${cityTimes(s.startsAt, lang)}</p>
    </details>
  </div>`;
}

/** The ?tz= a reader asked for when it is not a zone we know (shortened: it is echoed back). */
function unknownZone(req: FastifyRequest): string | null {
  const tz = (req.query as { tz?: unknown } | undefined)?.tz;
  return typeof tz === 'string' && tz.trim() && !isValidTimeZone(tz) ? tz.slice(0, 64) : null;
}

function zonePicker(viewerTz: string | null, asked: string | null, lang: string, t: T): Html {
  return html`<form method="get" class="tz-form no-print" data-tz-form>
    ${asked ? html`<p class="error" role="status" data-tz-unknown>${t('tz.unknown', { zone: asked })}</p>` : ''}
    <input type="hidden" name="lang" value="${lang}" />
    <label for="tz">${t('tz.label')}</label>
    <div class="row">
      <input
        id="tz"
        name="tz"
        list="tz-list"
        value="${viewerTz ?? ''}"
        placeholder="${t('tz.placeholder')}"
        autocomplete="off"
      />
      <button type="submit" class="secondary">${t('tz.show')}</button>
    </div>
    <datalist id="tz-list">
      ${CITIES.map(([c, tz]) => html`<option value="${tz}">${messages.lookup(lang, `city.${c}`) ?? c}</option>`)}
    </datalist>
  </form>`;
}

/**
 * "Your time" for another module's public page (the congress session): the reader's zone from
 * `?tz=` (UTC until web/public.js fills in the browser's), and the form to choose one, without JS.
 */
export function viewerTime(req: FastifyRequest, startsAt: string, endsAt: string): Html {
  const t = messages.t(req.lang);
  const tz = (req.query as { tz?: unknown } | undefined)?.tz;
  const viewerTz = typeof tz === 'string' && isValidTimeZone(tz) ? tz : null;
  return html`<p class="when">
      <span class="label">${t('time.yours')}</span>
      <time class="local" datetime="${startsAt}" data-end="${endsAt}" data-local
        >${fmt(req.lang).range(startsAt, endsAt, viewerTz ?? 'UTC')}</time
      >
    </p>
    ${zonePicker(viewerTz, unknownZone(req), req.lang, t)}`;
}

function sessionItem(s: Sess, viewerTz: string | null, lang: string, t: T): Html {
  return html`<li class="card session" data-session="${s.id}">
    <h3 dir="auto"><a href="${s.url}">${s.title}</a></h3>
    <p>
      ${s.region ? html`<span class="badge">${s.region.name}</span>` : ''}
      ${s.status === 'cancelled' ? html`<strong class="error">${t('cancelled')}</strong>` : ''}
    </p>
    ${timeBlock(s, viewerTz, lang, t)}
    ${s.presentations.length ? html`<p class="muted">${t('presentations.list')} ${s.presentations.map((p, i) => html`${i ? ' · ' : ''}<bdi>${p.title}${p.presenters.length ? ` (${p.presenters.map((x) => x.name).join(', ')})` : ''}</bdi>`)}</p>` : ''}
  </li>`;
}

/**
 * Other modules' parts of the public series page (posts, congress session…): each returns its
 * section and the feeds the page should advertise. Registered from the module's routes plugin.
 */
export const seriesPageSections: ((
  db: Db,
  seriesId: string,
  seriesSlug: string,
  lang: string,
) => Promise<{ body: Html; feeds?: PageOptions['feeds'] }>)[] = [];

export function seriesPageHtml(
  req: FastifyRequest,
  d: SeriesDetail,
  viewerTz: string | null,
  extra: { body: Html; feeds?: PageOptions['feeds'] }[] = [],
): string {
  const lang = req.lang;
  const t = messages.t(lang);
  return page(
    req,
    {
      title: d.title,
      description: d.description.slice(0, 200),
      scripts: ['/assets/public.js'],
      feeds: extra.flatMap((x) => x.feeds ?? []),
    },
    html` <h1 dir="auto">${d.title}</h1>
      ${d.status !== 'published' ? html`<p class="notice">${t('draft')}</p>` : ''}
      ${d.description.split(/\n{2,}/).map((p) => html`<p dir="auto">${p}</p>`)}
      ${
        d.guidingQuestions.length
          ? html`<h2>${t('guiding')}</h2>
              <ul>
                ${d.guidingQuestions.map((q) => html`<li><bdi>${q}</bdi></li>`)}
              </ul>`
          : ''
      }
      ${
        d.sessions.some((s) => s.status !== 'cancelled' && new Date(s.startsAt) > new Date())
          ? html`<p class="no-print"><a class="button" href="${d.url}/register">${t('register')}</a></p>`
          : ''
      }
      <p class="no-print">
        ${t('calendar')} <a href="${d.url}/calendar.ics" type="text/calendar">${t('calendar.feed')}</a> ·
        <a href="${req.server.ctx.config.publicUrl.replace(/^https?:/, 'webcal:')}${d.url}/calendar.ics"
          >${t('calendar.subscribe')}</a
        >
      </p>
      <h2>${t('sessions')}</h2>
      ${zonePicker(viewerTz, unknownZone(req), lang, t)}
      <noscript><p class="muted">${t('noscript')}</p></noscript>
      <ol class="sessions">
        ${d.sessions.map((s) => sessionItem(s, viewerTz, lang, t))}
      </ol>
      <p class="muted">${t('regions', { list: fmt(lang).list(d.regions.map((r) => r.name)) })}</p>
      ${extra.map((x) => x.body)}`,
  );
}

export function sessionPageHtml(
  req: FastifyRequest,
  d: SeriesDetail,
  s: Sess,
  viewerTz: string | null,
): string {
  const lang = req.lang;
  const t = messages.t(lang);
  return page(
    req,
    {
      title: `${s.title} · ${d.title}`,
      description: s.description.slice(0, 200),
      scripts: ['/assets/public.js'],
    },
    html` <p dir="auto"><a href="${d.url}">${d.title}</a></p>
      <h1 dir="auto">${s.title}</h1>
      <p>
        ${s.region ? html`<span class="badge">${s.region.name}</span>` : ''}
        ${s.status === 'cancelled' ? html`<strong class="error">${t('session.cancelled')}</strong>` : ''}
      </p>
      ${timeBlock(s, viewerTz, lang, t)}
      <p class="no-print">
        ${s.status !== 'cancelled' && new Date(s.startsAt) > new Date() ? html`<a class="button" href="${d.url}/register?session=${s.id}">${t('register')}</a> ` : ''}<a
          href="${s.url}.ics"
          type="text/calendar"
          >${t('ics')}</a
        >
      </p>
      ${zonePicker(viewerTz, unknownZone(req), lang, t)} ${s.description.split(/\n{2,}/).map((p) => html`<p dir="auto">${p}</p>`)}
      ${s.videoUrl ? html`<p><a href="${safeUrl(s.videoUrl)}" rel="noopener">${t('video')}</a></p>` : ''}
      ${
        s.presentations.length
          ? html`<h2>${t('presentations')}</h2>
              ${s.presentations.map(
                (p) =>
                  html`<section class="card">
                    <h3 dir="auto">${p.title}</h3>
                    ${p.presenters.map((x) => html`<p dir="auto"><strong>${x.name}</strong>${x.affiliation ? html`, ${x.affiliation}` : ''}${x.bio ? html`<br /><span class="muted">${x.bio}</span>` : ''}</p>`)}
                    ${p.abstract ? html`<p dir="auto">${p.abstract}</p>` : ''}
                    ${p.slidesUrl ? html`<p><a href="${safeUrl(p.slidesUrl)}" rel="noopener">${t('slides')}</a></p>` : ''}
                  </section>`,
              )}`
          : ''
      }`,
  );
}

interface CacheEntry {
  html: string;
  at: number;
}

/** Public pages: rendered on the server, cached briefly for anonymous readers, dropped on every write. */
export async function publicSeriesPages(app: FastifyInstance): Promise<void> {
  const { db } = app.ctx;
  const TTL = Number(process.env.PAGE_CACHE_MS ?? 5000);
  // Keys include the viewer's time zone: bounded, so odd ?tz= values cannot grow it without end.
  const cache = new Lru<string, CacheEntry>(envLimit('PAGE_CACHE_ENTRIES', 1000), TTL);
  const previous = app.ctx.invalidate.bind(app.ctx);
  app.ctx.invalidate = (id?: string) => {
    cache.clear();
    previous(id);
  };

  const viewerZone = (q: unknown): string | null => {
    const tz = (q as { tz?: string }).tz;
    return tz && isValidTimeZone(tz) ? tz : null;
  };
  // An unknown zone gets its own copy (the page names it); the LRU bound keeps that finite.
  const zoneKey = (q: unknown): string => {
    const tz = (q as { tz?: unknown }).tz;
    return typeof tz === 'string' ? tz.slice(0, 64) : '';
  };

  async function cached(req: FastifyRequest, key: string, render: () => Promise<string>): Promise<string> {
    if (req.actor) return render();
    key = `${req.lang}|${key}`; // one copy per language
    const hit = cache.get(key);
    if (hit) return hit.html;
    const out = await render();
    if (TTL > 0) cache.set(key, { html: out, at: Date.now() });
    return out;
  }

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const body = await cached(req, 'home', async () => {
      const list = await listSeries(db, { publishedOrIds: [] });
      const t = messages.t(req.lang);
      return page(
        req,
        { title: t('home.title') },
        html` <h1>${t('home.heading')}</h1>
          <p class="muted">${t('home.intro')}</p>
          <ul class="sessions">
            ${list.map(
              (s) =>
                html`<li class="card">
                  <h2><a href="/series/${s.slug}">${s.title}</a></h2>
                  <p>${s.description.split('\n')[0]}</p>
                </li>`,
            )}
          </ul>
          ${list.length ? '' : html`<p>${t('home.none')} <a href="/console">${t('home.plan')}</a></p>`}`,
      );
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
  });

  app.get('/series/:slug', { schema: { hide: true } }, async (req, reply) => {
    const { slug } = req.params as { slug: string };
    const tz = viewerZone(req.query);
    const body = await cached(req, `s|${slug}|${zoneKey(req.query)}`, async () => {
      const d = await seriesDetail(db, req.actor, slug, req.lang);
      return seriesPageHtml(
        req,
        d,
        tz,
        await Promise.all(seriesPageSections.map((f) => f(db, d.id, d.slug, req.lang))),
      );
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
  });

  app.get('/series/:slug/sessions/:id', { schema: { hide: true } }, async (req, reply) => {
    const { slug, id } = req.params as { slug: string; id: string };
    const tz = viewerZone(req.query);
    const body = await cached(req, `x|${slug}|${id}|${zoneKey(req.query)}`, async () => {
      await visibleSeries(db, req.actor, slug);
      const d = await seriesDetail(db, req.actor, slug, req.lang);
      const s = d.sessions.find((x) => x.id === id);
      if (!s) throw notFound('This session', 'id');
      return sessionPageHtml(req, d, s, tz);
    });
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
  });
}
