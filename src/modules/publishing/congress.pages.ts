import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/index.ts';
import { html, raw, type Html } from '../../lib/html.ts';
import { formatInZone, formatter, utcToZonedLocal } from '../../lib/time.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { findSeries, viewerTime, visibleSeries } from '../series/index.ts';
import { formAction, parseForm } from '../../server/forms.ts';
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

const whenText = (c: Row, tz: string) => {
  const end = formatter('en-GB', tz, { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(
    new Date(c.ends_at),
  );
  return `${formatInZone(new Date(c.starts_at), tz)} – ${end}`;
};

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
    body: html`${congress.length ? html`<h2>${t('list.congress')}</h2><ul>${congress.map((c) => html`<li><a href="/series/${seriesSlug}/congress/${c.slug}">${c.title}</a> <span class="muted">${c.event_name} · ${whenText(c, c.time_zone)} (${c.time_zone})</span></li>`)}</ul>` : ''}
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
<p><a href="/series/${s.slug}">${s.title}</a></p>
<h1>${c.title}</h1>
<p><strong>${c.event_name}</strong></p>
<p class="when"><time datetime="${c.starts_at}">${whenText(c, c.time_zone)}</time> (${c.time_zone})</p>
<p class="zone">UTC: ${whenText(c, 'UTC')}</p>
${viewerTime(req, c.starts_at, c.ends_at)}
${c.venue ? html`<p>Venue: ${c.venue}</p>` : ''}
<p><a class="button secondary" href="/series/${s.slug}/congress/${c.slug}.ics">Add to calendar (.ics)</a></p>
${c.description
  .split(/\n{2,}/)
  .filter(Boolean)
  .map((p) => html`<p>${p}</p>`)}
${questions.length ? html`<h2>Guiding questions</h2><ul>${questions.map((q) => html`<li>${q}</li>`)}</ul>` : ''}
${speakers.length ? html`<h2>Speakers</h2><ul>${speakers.map((x) => html`<li>${x}</li>`)}</ul>` : ''}
${snap ? html`<h2>The findings this session presents</h2>${renderSnapshot(snap)}` : ''}`,
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
    return page(
      req,
      { title: isNew ? 'New congress session' : 'Edit congress session' },
      html`<p><a href="/console/series/${s.id}/posts">Posts of ${s.title}</a></p>
<h1>${isNew ? 'New congress session' : 'Edit congress session'}</h1>${errors._form ? html`<p class="alert" role="alert">${errors._form}</p>` : ''}
<form method="post" action="${action}" novalidate>${csrfField(req)}
<div class="row">${field('title', 'Title', { value: v.title, errors, required: true })}${field('slug', 'Short name for the address', { value: v.slug, errors, required: true })}</div>
${field('eventName', 'Event', { value: v.eventName, errors, required: true, hint: 'e.g. World Library and Information Congress 2022' })}
<div class="row">${field('startsAt', 'Starts (local time at the venue)', { value: v.startsAt, errors, type: 'datetime-local', required: true })}${field('endsAt', 'Ends', { value: v.endsAt, errors, type: 'datetime-local', required: true })}${field('timeZone', 'Time zone of the venue', { value: v.timeZone ?? 'UTC', errors, hint: 'e.g. Europe/Dublin' })}</div>
${field('venue', 'Venue', { value: v.venue, errors })}
${field('description', 'Description', { value: v.description, errors, textarea: true })}
${field('guidingQuestions', 'Guiding questions', { value: v.guidingQuestions, errors, textarea: true, hint: 'one per line' })}
${field('speakers', 'Speakers', { value: v.speakers, errors, textarea: true, hint: 'one per line' })}
${field('snapshotId', 'Findings it presents', { value: v.snapshotId ?? '', errors, options: [{ value: '', label: '(none)' }, ...snaps.map((x) => ({ value: x.id, label: `${x.title} (${x.createdAt.slice(0, 10)})` }))] })}
<button type="submit">Save</button></form>`,
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
