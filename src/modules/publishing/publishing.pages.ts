import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, notFound } from '../../lib/errors.ts';
import { html, raw } from '../../lib/html.ts';
import { pickLanguage } from '../../lib/i18n.ts';
import { toAppError } from '../../server/errors.ts';
import { page } from '../../server/layout.ts';
import { inTransaction } from '../../server/tx.ts';
import { visibleSeries } from '../series/index.ts';
import {
  approvedComment,
  publicComments,
  RATE_LIMITED,
  submitComment,
  unsubscribe,
  unsubscribeTokenKnown,
  type Commenter,
} from './comments.service.ts';
import { atom, feedEtag, notModified, rss, type Feed } from './feeds.ts';
import { plainText } from './markdown.ts';
import {
  findReadablePost,
  isVisible,
  listVisiblePosts,
  postPath,
  publishedAt,
  translationsOf,
  visibleTranslationGroup,
  type PostRow,
} from './posts.service.ts';
import { CommentBody } from './publishing.schema.ts';
import {
  CSRF_SLOT,
  PUBLISHING_CSS,
  languageName,
  postBody,
  postHead,
  seriesFeeds,
  type CommentFormState,
} from './post.view.ts';
import type { Limiter } from '../../server/limits.ts';
import { CachedPage } from './page-cache.ts';
import { messages } from './messages/index.ts';
import { fmt } from '../../lib/format.ts';
import { readerOf, READER_COOKIE } from './reader.ts';
import { oidcSettings } from './settings.ts';
import { findSnapshot } from './snapshot.ts';
import { findUpload } from './uploads.ts';

// Query values the post page understands, mapped to catalogue keys (publishing.i18n.ts).
const NOTICES: Record<string, string> = {
  approved: 'approved',
  pending: 'pending',
  spam: 'pending',
  'signed-in': 'signedIn',
};
const LOGIN_ERRORS: Record<string, string> = {
  oidc_unavailable: 'oidcUnavailable',
  oidc_failed: 'oidcFailed',
};

const HTML = 'text/html; charset=utf-8';

/** Public blog pages of a series, its feeds, the comment form's target, uploads and unsubscribe. */
export async function publishingPublicPages(app: FastifyInstance, limiter: Limiter): Promise<void> {
  const { db, config } = app.ctx;
  const cache = new Map<string, CachedPage>();
  const TTL = Number(process.env.PAGE_CACHE_MS ?? 5000);
  const prev = app.ctx.invalidate.bind(app.ctx);
  let generation = 0;
  app.ctx.invalidate = (id?: string) => {
    generation++;
    cache.clear();
    prev(id);
  };

  const inflight = new Map<string, Promise<CachedPage>>();
  /** One render per key at a time; the result is stored unless the cache was cleared meanwhile. */
  function refresh(key: string, render: () => Promise<string>): Promise<CachedPage> {
    let p = inflight.get(key);
    if (!p) {
      const gen = generation;
      p = render()
        .then((out) => {
          const entry = new CachedPage(out, CSRF_SLOT);
          entry.warm();
          if (gen === generation) {
            if (cache.size > 1000) cache.clear();
            cache.set(key, entry);
          }
          return entry;
        })
        .finally(() => inflight.delete(key));
      inflight.set(key, p);
    }
    return p;
  }

  /**
   * Serves a page. Anonymous readers without a query string share a cached copy (their CSRF token
   * slotted in); an expired copy is served once more while a fresh one renders, so a busy page
   * never stalls. Writes clear the cache at once.
   */
  async function serve(
    req: FastifyRequest,
    reply: FastifyReply,
    key: string,
    render: () => Promise<string>,
    status = 200,
  ) {
    const cacheable = !req.actor && !req.cookies[READER_COOKIE] && !req.url.includes('?') && status === 200;
    let entry: CachedPage;
    if (cacheable) {
      // The reader's language (Accept-Language or the remembered choice) is part of the copy.
      key = `${req.lang}|${key}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < TTL) entry = hit;
      else if (hit) {
        refresh(key, render).catch((e: unknown) => req.log.error({ err: e }, 'page refresh failed'));
        entry = hit;
      } else entry = await refresh(key, render);
    } else entry = new CachedPage(await render(), CSRF_SLOT);
    if (entry.needsToken) req.csrfUsed = true;
    void reply
      .status(status)
      .type(HTML)
      .header('cache-control', 'no-cache')
      .header('vary', 'Accept-Encoding, Accept-Language, Cookie');
    if (cacheable && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')))
      return reply.header('content-encoding', 'gzip').send(entry.gzip(req.csrfToken));
    return reply.send(entry.plain(req.csrfToken));
  }

  const csrfSlot = raw(`<input type="hidden" name="_csrf" value="${CSRF_SLOT}">`);
  const coverUrl = (p: PostRow) => (p.cover_upload_id ? `/uploads/${p.cover_upload_id}` : null);

  async function renderPost(
    req: FastifyRequest,
    seriesSlug: string,
    postSlug: string,
    form: Partial<CommentFormState>,
  ): Promise<string> {
    const s = await visibleSeries(db, req.actor, seriesSlug);
    const post = await findReadablePost(db, req.actor, s.id, postSlug);
    const [translations, snapshot, comments, oidc, reader] = await Promise.all([
      translationsOf(db, post),
      post.snapshot_id ? findSnapshot(db, post.snapshot_id) : Promise.resolve(null),
      publicComments(db, post.id),
      oidcSettings(db),
      readerOf(db, req),
    ]);
    const who = req.actor
      ? { name: req.actor.name, oidcProvider: null }
      : reader
        ? { name: reader.name, oidcProvider: oidc?.label ?? 'OpenID Connect' }
        : null;
    const replyTo = form.replyTo ?? null;
    const data = {
      seriesSlug: s.slug,
      seriesTitle: s.title,
      publicUrl: config.publicUrl,
      post,
      translations,
      coverUrl: coverUrl(post),
      snapshot,
      comments,
      csrf: csrfSlot,
      form: {
        who,
        oidcLabel: oidc ? oidc.label : null,
        replyTo,
        values: {},
        errors: {},
        notice: null,
        loginError: null,
        ...form,
      },
    };
    return page(
      req,
      {
        title: post.title,
        lang: post.language,
        description: post.summary || post.title,
        head: postHead(data),
        feeds: seriesFeeds(s.slug, s.title),
      },
      postBody(data),
    );
  }

  app.get('/series/:slug/posts/:postSlug', { schema: { hide: true } }, async (req, reply) => {
    const { slug, postSlug } = req.params as { slug: string; postSlug: string };
    const q = req.query as { reply?: string; comment?: string; login_error?: string };
    return serve(req, reply, `p|${slug}|${postSlug}`, async () => {
      const replyTo = q.reply ? await approvedComment(db, q.reply) : null;
      return renderPost(req, slug, postSlug, {
        replyTo,
        notice: q.comment ? (NOTICES[q.comment] ?? null) : null,
        loginError: q.login_error ? (LOGIN_ERRORS[q.login_error] ?? LOGIN_ERRORS.oidc_failed) : null,
      });
    });
  });

  app.post('/series/:slug/posts/:postSlug/comments', { schema: { hide: true } }, async (req, reply) => {
    const { slug, postSlug } = req.params as { slug: string; postSlug: string };
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const wait = await limiter.hit(req.ip);
    if (wait) throw RATE_LIMITED(wait);
    const s = await visibleSeries(db, req.actor, slug);
    const post = await findReadablePost(db, req.actor, s.id, postSlug);
    if (!isVisible(post)) throw notFound('This post', 'slug');
    const body = (req.body ?? {}) as Record<string, string>;
    const rerender = async (errors: Record<string, string>, status: number) => {
      const values = {
        name: body.name ?? '',
        email: body.email ?? '',
        website: body.website ?? '',
        body: body.body ?? '',
        notify: body.notify ?? '',
      };
      const replyTo = body.parentId
        ? ((await publicComments(db, post.id)).find((c) => c.id === body.parentId) ?? null)
        : null;
      return serve(
        req,
        reply,
        '',
        () => renderPost(req, slug, postSlug, { values, errors, replyTo }),
        status,
      );
    };
    try {
      const parsed = CommentBody.safeParse(body);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new AppError(
          422,
          i.code === 'too_big' ? 'too_long' : 'invalid_comment',
          i.message,
          i.path.length ? String(i.path[0]) : undefined,
        );
      }
      const reader = await readerOf(db, req);
      const who: Commenter = req.actor
        ? { type: 'account', actor: req.actor }
        : reader
          ? { type: 'reader', ...reader }
          : { type: 'guest' };
      const r = await inTransaction(db, (trx) =>
        submitComment(
          trx,
          { mailer: app.ctx.mailer, publicUrl: config.publicUrl },
          post.id,
          who,
          parsed.data,
        ),
      );
      app.ctx.invalidate(s.id);
      if (!isForm) return reply.status(201).send(r);
      return reply.redirect(
        `${postPath(s.slug, post.slug)}?comment=${r.status}${r.status === 'approved' ? `#c-${r.id}` : '#comment-form'}`,
        303,
      );
    } catch (e) {
      const err = toAppError(e);
      if (!isForm || err.status >= 500 || err.status === 404) throw e;
      return rerender({ [err.field ?? '_form']: err.message }, err.status);
    }
  });

  app.get('/series/:slug/posts', { schema: { hide: true } }, async (req, reply) => {
    const { slug } = req.params as { slug: string };
    return serve(req, reply, `l|${slug}`, async () => {
      const s = await visibleSeries(db, req.actor, slug);
      const posts = await listVisiblePosts(db, s.id);
      const groups = new Map<string, PostRow[]>();
      for (const p of posts) groups.set(p.translation_group, [...(groups.get(p.translation_group) ?? []), p]);
      const t = messages.t(req.lang);
      return page(
        req,
        {
          title: `${t('list.title')} · ${s.title}`,
          feeds: seriesFeeds(s.slug, s.title),
          head: html`<style>${raw(PUBLISHING_CSS)}</style>`,
        },
        html`
<p><a href="/series/${s.slug}">${s.title}</a></p><h1>${t('list.title')}</h1>
<p class="feeds muted">${t('list.follow')} <a href="/series/${s.slug}/feed.rss">RSS</a> · <a href="/series/${s.slug}/feed.atom">Atom</a></p>
${
  groups.size
    ? html`<ol class="sessions">${[...groups.values()].map((g) => {
        const p = g[g.length - 1];
        return html`<li class="card"><h2 lang="${p.language}"><a href="/series/${s.slug}/posts/t/${p.translation_group}">${p.title}</a></h2>
<p class="muted"><time datetime="${publishedAt(p) ?? ''}">${publishedAt(p) ? fmt(req.lang).date(publishedAt(p) ?? '') : ''}</time>${p.author_name ? ` · ${p.author_name}` : ''}</p>
${p.summary ? html`<p lang="${p.language}">${p.summary}</p>` : ''}
${g.length > 1 ? html`<p class="langs">${g.map((t) => html`<a href="${postPath(s.slug, t.slug)}" hreflang="${t.language}" lang="${t.language}">${languageName(t.language)}</a>`)}</p>` : ''}</li>`;
      })}</ol>`
    : html`<p>${t('list.empty')}</p>`
}`,
      );
    });
  });

  // The address of a post in every language: the reader's Accept-Language picks the translation.
  app.get('/series/:slug/posts/t/:group', { schema: { hide: true } }, async (req, reply) => {
    const { slug, group } = req.params as { slug: string; group: string };
    const s = await visibleSeries(db, req.actor, slug);
    const rows = await visibleTranslationGroup(db, s.id, group);
    if (!rows.length) throw notFound('This post', 'group');
    const lang = pickLanguage(
      req.headers['accept-language'],
      rows.map((r) => r.language),
      rows[0].language,
    );
    const chosen = rows.find((r) => r.language === lang) ?? rows[0];
    return reply
      .header('vary', 'Accept-Language')
      .header('cache-control', 'no-cache')
      .redirect(postPath(s.slug, chosen.slug), 302);
  });

  async function seriesFeed(req: FastifyRequest, slug: string): Promise<Feed> {
    const s = await visibleSeries(db, null, slug);
    const posts = await listVisiblePosts(db, s.id);
    const base = config.publicUrl;
    return {
      title: s.title,
      description: s.description.split('\n')[0] || s.title,
      siteUrl: `${base}/series/${s.slug}/posts`,
      rssUrl: `${base}/series/${s.slug}/feed.rss`,
      atomUrl: `${base}/series/${s.slug}/feed.atom`,
      language: (JSON.parse(s.languages) as string[])[0] ?? 'en',
      updated: posts.reduce((m, p) => (p.updated_at > m ? p.updated_at : m), s.updated_at),
      items: posts.map((p) => ({
        id: p.id,
        title: p.title,
        url: `${base}${postPath(s.slug, p.slug)}`,
        author: p.author_name ?? '',
        published: publishedAt(p) ?? p.created_at,
        updated: p.updated_at,
        summary: p.summary || plainText(p.body_html).slice(0, 300),
        html: p.body_html,
        language: p.language,
        categories: JSON.parse(p.tags) as string[],
      })),
    };
  }

  async function commentsFeed(slug: string, postSlug: string): Promise<Feed> {
    const s = await visibleSeries(db, null, slug);
    const post = await findReadablePost(db, null, s.id, postSlug);
    const comments = (await publicComments(db, post.id)).filter((c) => c.status === 'approved').reverse();
    const base = `${config.publicUrl}${postPath(s.slug, post.slug)}`;
    // The feed's words in the post's language, as the post itself.
    const t = messages.t(post.language);
    return {
      title: t('feed.comments.title', { title: post.title }),
      description: t('feed.comments.description', { title: post.title, series: s.title }),
      siteUrl: base,
      rssUrl: `${base}/comments.rss`,
      atomUrl: `${base}/comments.atom`,
      language: post.language,
      updated: comments[0]?.created_at ?? post.updated_at,
      items: comments.map((c) => ({
        id: c.id,
        title: `${c.author_name} on ${post.title}`,
        url: `${base}#c-${c.id}`,
        author: c.author_name,
        published: c.created_at,
        updated: c.created_at,
        summary: plainText(c.body_html).slice(0, 300),
        html: c.body_html,
      })),
    };
  }

  /** Sends a feed with its validators; a matching conditional request gets 304 and no body. */
  const feedReply = (req: FastifyRequest, reply: FastifyReply, type: string, f: Feed, body: string) => {
    const etag = feedEtag(body);
    const lastModified = new Date(f.updated);
    void reply
      .header('etag', etag)
      .header('last-modified', lastModified.toUTCString())
      .header('cache-control', 'max-age=60');
    if (notModified(req.headers, etag, lastModified)) return reply.status(304).send();
    return reply.type(`${type}; charset=utf-8`).send(body);
  };
  app.get('/series/:slug/feed.rss', { schema: { hide: true } }, async (req, reply) => {
    const f = await seriesFeed(req, (req.params as { slug: string }).slug);
    return feedReply(req, reply, 'application/rss+xml', f, rss(f));
  });
  app.get('/series/:slug/feed.atom', { schema: { hide: true } }, async (req, reply) => {
    const f = await seriesFeed(req, (req.params as { slug: string }).slug);
    return feedReply(req, reply, 'application/atom+xml', f, atom(f));
  });
  app.get('/series/:slug/posts/:postSlug/comments.rss', { schema: { hide: true } }, async (req, reply) => {
    const { slug, postSlug } = req.params as { slug: string; postSlug: string };
    const f = await commentsFeed(slug, postSlug);
    return feedReply(req, reply, 'application/rss+xml', f, rss(f));
  });
  app.get('/series/:slug/posts/:postSlug/comments.atom', { schema: { hide: true } }, async (req, reply) => {
    const { slug, postSlug } = req.params as { slug: string; postSlug: string };
    const f = await commentsFeed(slug, postSlug);
    return feedReply(req, reply, 'application/atom+xml', f, atom(f));
  });

  // Stop e-mail about replies. The link in the mail shows a button (a GET never writes); the POST,
  // also what mail clients send for List-Unsubscribe-Post (RFC 8058), turns the e-mails off. The
  // token in the URL is the credential, so the POST needs neither a login nor a CSRF token.
  const unsubscribePage = (req: FastifyRequest, reply: FastifyReply, state: 'ask' | 'done' | 'invalid') => {
    const t = messages.t(req.lang);
    const token = tokenOf(req);
    return reply
      .type(HTML)
      .status(state === 'invalid' ? 404 : 200)
      .send(
        page(
          req,
          { title: t('unsub.title') },
          html`<h1>${t('unsub.title')}</h1>
            ${
              state === 'done'
                ? html`<p class="notice" role="status">${t('unsub.done')}</p>`
                : state === 'invalid'
                  ? html`<p class="alert" role="alert">${t('unsub.invalid')}</p>`
                  : html`<p>${t('unsub.ask')}</p>
                      <form method="post" action="/comments/unsubscribe?token=${encodeURIComponent(token)}">
                        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
                        <button type="submit">${t('unsub.button')}</button>
                      </form>`
            }`,
        ),
      );
  };
  const tokenOf = (req: FastifyRequest) => {
    const token = (req.query as { token?: unknown }).token;
    return typeof token === 'string' && token.length <= 200 ? token : '';
  };
  app.get('/comments/unsubscribe', { schema: { hide: true } }, async (req, reply) => {
    if ((req.query as { done?: string }).done === '1') return unsubscribePage(req, reply, 'done');
    return unsubscribePage(req, reply, (await unsubscribeTokenKnown(db, tokenOf(req))) ? 'ask' : 'invalid');
  });
  app.post(
    '/comments/unsubscribe',
    { schema: { hide: true }, config: { public: true, signedLink: true } },
    async (req, reply) => {
      const wait = await limiter.hit(req.ip);
      if (wait) throw RATE_LIMITED(wait);
      const ok = await unsubscribe(db, tokenOf(req));
      const wantsHtml = (req.headers.accept ?? '').includes('text/html');
      if (!ok) {
        if (wantsHtml) return unsubscribePage(req, reply, 'invalid');
        throw notFound('This unsubscribe link', 'token');
      }
      if (wantsHtml) return reply.redirect(`/comments/unsubscribe?done=1&lang=${req.lang}`, 303);
      return reply.status(200).type('text/plain; charset=utf-8').send('unsubscribed');
    },
  );

  // Uploaded images live outside the web root under server-made names; this route is the only way in.
  app.get('/uploads/:id', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const u = await findUpload(db, id);
    const file = u ? join(config.dataDir, 'uploads', u.file_name) : '';
    if (!u || !existsSync(file)) throw notFound('This image');
    return reply
      .type(u.content_type)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', 'inline')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'public, max-age=86400, immutable')
      .send(createReadStream(file));
  });
}
