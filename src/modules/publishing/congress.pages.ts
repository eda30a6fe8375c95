import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/index.ts';
import { html, raw, type Html } from '../../lib/html.ts';
import { utcToZonedLocal } from '../../lib/time.ts';
import { fmt } from '../../lib/format.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { findSeries, viewerTime, visibleSeries } from '../series/index.ts';
import { formAction, formAlert, parseForm } from '../../server/forms.ts';
import { congressSessionIcs } from './congress-ics.ts';
import {
  congressSessionsOf,
  createCongressSession,
  editableCongress,
  findCongress,
  updateCongressSession,
} from './congress.service.ts';
import { listVisiblePosts } from './posts.service.ts';
import { CongressBody } from './publishing.schema.ts';
import { PUBLISHING_CSS, seriesFeeds } from './post.view.ts';
import { findSnapshot, listSnapshots, renderSnapshot } from './snapshot.ts';
import { managedSeries } from './posts.service.ts';
import { messages } from './messages/index.ts';

type Row = Awaited<ReturnType<typeof congressSessionsOf>>[number];
type Body = Record<string, string | undefined>;
const lines = (v: string | undefined) =>
  (v ?? '')
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);

/** When a congress session happens, in a zone and the reader's language ("Wed 27 Jul 2022, 08:30–10:00 (GMT+1)"). */
const whenText = (c: Row, tz: string, lang: string) => fmt(lang).range(c.starts_at, c.ends_at, tz);

/** The section the public series page shows: latest posts and the congress sessions. */
export async function seriesPageSection(
  db: Db,
  seriesId: string,
  seriesSlug: string,
  lang = 'en',
): Promise<{ body: Html; feeds: ReturnType<typeof seriesFeeds> }> {
  const t = messages.t(lang);
  const [posts, congress, s] = await Promise.all([
    listVisiblePosts(db, seriesId),
    congressSessionsOf(db, seriesId),
    findSeries(db, seriesId),
  ]);
  // One line per post in any language: the original (earliest) title, linking to the address that picks the reader's language.
  const groups = new Map<string, (typeof posts)[number]>();
  for (const p of posts) groups.set(p.translation_group, p);
  const latest = [...groups.values()].slice(0, 5);
  return {
    feeds: seriesFeeds(seriesSlug, s?.title ?? ''),
    body: html`${congress.length ? html`<h2>${t('list.congress')}</h2><ul>${congress.map((c) => html`<li><a href="/series/${seriesSlug}/congress/${c.slug}">${c.title}</a> <span class="muted">${c.event_name} · ${whenText(c, c.time_zone, lang)} (${c.time_zone})</span></li>`)}</ul>` : ''}
${latest.length ? html`<h2>${t('list.title')}</h2><ul>${latest.map((p) => html`<li lang="${p.language}"><a href="/series/${seriesSlug}/posts/t/${p.translation_group}">${p.title}</a></li>`)}</ul><p><a href="/series/${seriesSlug}/posts">${t('list.all')}</a> · <a href="/series/${seriesSlug}/feed.rss">RSS</a> · <a href="/series/${seriesSlug}/feed.atom">Atom</a></p>` : ''}`,
  };
}

/** Public congress session page and its .ics, plus the coordinators' form. */
export async function congressPages(app: FastifyInstance): Promise<void> {
  const { db, config } = app.ctx;

  app.get('/series/:slug/congress/:cslug', { schema: { hide: true } }, async (req, reply) => {
    const { slug, cslug } = req.params as { slug: string; cslug: string };
    const s = await visibleSeries(db, req.actor, slug);
    const ics = cslug.endsWith('.ics');
    const c = await findCongress(db, s.id, ics ? cslug.slice(0, -4) : cslug);
    const url = `${config.publicUrl}/series/${s.slug}/congress/${c.slug}`;
    if (ics) {
      const body = congressSessionIcs({
        uid: `congress-${c.id}@colloquy`,
        sequence: c.sequence,
        title: `${c.title} (${c.event_name})`,
        description: `${c.description}\n\n${url}`.trim(),
        location: c.venue,
        url,
        startsAt: c.starts_at,
        endsAt: c.ends_at,
        updatedAt: c.updated_at,
      });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `attachment; filename="${c.slug}.ics"`)
        .send(body);
    }
    const snap = c.snapshot_id ? await findSnapshot(db, c.snapshot_id) : null;
    const questions = JSON.parse(c.guiding_questions) as string[];
    const speakers = JSON.parse(c.speakers) as string[];
    const t = messages.t(req.lang);
    const body = page(
      req,
      {
        title: c.title,
        description: `${c.event_name}: ${c.title}`,
        feeds: seriesFeeds(s.slug, s.title),
        scripts: ['/assets/public.js'],
        head: html`<style>${raw(PUBLISHING_CSS)}</style><meta property="og:type" content="website"><meta property="og:title" content="${c.title}"><meta property="og:url" content="${url}">`,
      },
      html`
<p dir="auto"><a href="/series/${s.slug}">${s.title}</a></p>
<h1 dir="auto">${c.title}</h1>
<p dir="auto"><strong>${c.event_name}</strong></p>
<p class="when">${t('congress.atVenue')} <time datetime="${c.starts_at}">${whenText(c, c.time_zone, req.lang)}</time> <span translate="no">(${c.time_zone})</span></p>
<p class="zone">${t('congress.inUtc')} ${whenText(c, 'UTC', req.lang)}</p>
${viewerTime(req, c.starts_at, c.ends_at)}
${c.venue ? html`<p>${t('congress.venueIs', { venue: c.venue })}</p>` : ''}
<p><a class="button secondary" href="/series/${s.slug}/congress/${c.slug}.ics">${t('congress.ics')}</a></p>
${c.description
  .split(/\n{2,}/)
  .filter(Boolean)
  .map((p) => html`<p dir="auto">${p}</p>`)}
${questions.length ? html`<h2>${t('congress.questions')}</h2><ul>${questions.map((q) => html`<li><bdi>${q}</bdi></li>`)}</ul>` : ''}
${speakers.length ? html`<h2>${t('congress.speakers')}</h2><ul>${speakers.map((x) => html`<li><bdi>${x}</bdi></li>`)}</ul>` : ''}
${snap ? html`<h2>${t('congress.findings')}</h2>${renderSnapshot(snap, req.lang)}` : ''}`,
    );
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(body);
  });

  const form = async (
    req: FastifyRequest,
    seriesId: string,
    action: string,
    v: Body,
    errors: Record<string, string>,
    isNew: boolean,
  ) => {
    const s = await managedSeries(db, req.actor, seriesId);
    const snaps = await listSnapshots(db, s.id);
    const t = messages.t(req.lang);
    const heading = isNew ? t('congress.new') : t('congress.edit');
    const l = {
      title: t('congress.title'),
      slug: t('congress.slug'),
      eventName: t('congress.event'),
      startsAt: t('congress.starts'),
      endsAt: t('congress.ends'),
      timeZone: t('congress.timeZone'),
      venue: t('congress.venue'),
      description: t('congress.description'),
      guidingQuestions: t('congress.questions'),
      speakers: t('congress.speakers'),
      snapshotId: t('congress.snapshot'),
    };
    return page(
      req,
      { title: heading },
      html`<p><a href="/console/series/${s.id}/posts">${t('console.postsOf', { series: s.title })}</a></p>
<h1>${heading}</h1>${formAlert(errors, l, t('console.fixThese'))}
<form method="post" action="${action}" novalidate>${csrfField(req)}
<div class="row">${field('title', l.title, { value: v.title, errors, required: true })}${field('slug', l.slug, { value: v.slug, errors, required: true })}</div>
${field('eventName', l.eventName, { value: v.eventName, errors, required: true, hint: t('congress.eventHint') })}
<div class="row">${field('startsAt', l.startsAt, { value: v.startsAt, errors, type: 'datetime-local', required: true })}${field('endsAt', l.endsAt, { value: v.endsAt, errors, type: 'datetime-local', required: true })}${field('timeZone', l.timeZone, { value: v.timeZone ?? 'UTC', errors, hint: t('congress.timeZoneHint') })}</div>
${field('venue', l.venue, { value: v.venue, errors })}
${field('description', l.description, { value: v.description, errors, textarea: true })}
${field('guidingQuestions', l.guidingQuestions, { value: v.guidingQuestions, errors, textarea: true, hint: t('congress.perLine') })}
${field('speakers', l.speakers, { value: v.speakers, errors, textarea: true, hint: t('congress.perLine') })}
${field('snapshotId', l.snapshotId, { value: v.snapshotId ?? '', errors, options: [{ value: '', label: t('console.none') }, ...snaps.map((x) => ({ value: x.id, label: `${x.title} (${fmt(req.lang).date(x.createdAt)})` }))] })}
<button type="submit">${t('console.save')}</button></form>`,
    );
  };
  const fromForm = (b: Body) => ({
    ...b,
    guidingQuestions: lines(b.guidingQuestions),
    speakers: lines(b.speakers),
    snapshotId: b.snapshotId || null,
  });

  app.get('/console/series/:id/congress/new', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    return reply
      .type('text/html; charset=utf-8')
      .send(await form(req, id, `/console/series/${id}/congress/new`, {}, {}, true));
  });
  app.post('/console/series/:id/congress/new', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = req.body as Body;
    return formAction(
      reply,
      async () => {
        const cid = await inTransaction(db, (trx) =>
          createCongressSession(trx, req.actor, id, parseForm(CongressBody, fromForm(b))),
        );
        app.ctx.invalidate();
        return `/console/congress/${cid}`;
      },
      (errors) => form(req, id, `/console/series/${id}/congress/new`, b, errors, true),
    );
  });
  app.get('/console/congress/:id', { schema: { hide: true } }, async (req, reply) => {
    const c = await editableCongress(db, req.actor, (req.params as { id: string }).id);
    const v: Body = {
      title: c.title,
      slug: c.slug,
      venue: c.venue,
      description: c.description,
      eventName: c.event_name,
      timeZone: c.time_zone,
      startsAt: utcToZonedLocal(new Date(c.starts_at), c.time_zone),
      endsAt: utcToZonedLocal(new Date(c.ends_at), c.time_zone),
      guidingQuestions: (JSON.parse(c.guiding_questions) as string[]).join('\n'),
      speakers: (JSON.parse(c.speakers) as string[]).join('\n'),
      snapshotId: c.snapshot_id ?? '',
    };
    return reply
      .type('text/html; charset=utf-8')
      .send(await form(req, c.series_id, `/console/congress/${c.id}`, v, {}, false));
  });
  app.post('/console/congress/:id', { schema: { hide: true } }, async (req, reply) => {
    const c = await editableCongress(db, req.actor, (req.params as { id: string }).id);
    const b = req.body as Body;
    return formAction(
      reply,
      async () => {
        await inTransaction(db, (trx) =>
          updateCongressSession(trx, req.actor, c.id, parseForm(CongressBody, fromForm(b))),
        );
        app.ctx.invalidate();
        return `/console/congress/${c.id}`;
      },
      (errors) => form(req, c.series_id, `/console/congress/${c.id}`, b, errors, false),
    );
  });
}
