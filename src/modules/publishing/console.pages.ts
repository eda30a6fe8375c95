import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { toAppError } from '../../server/errors.ts';
import { html, raw } from '../../lib/html.ts';
import { isValidTimeZone, utcToZonedLocal, zonedToUtc } from '../../lib/time.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import {
  formAction,
  formAlert,
  formErrorsOf,
  parseForm,
  sendPage,
  type FieldLabels,
} from '../../server/forms.ts';
import { translateError } from '../../server/error-messages.ts';
import { inTransaction } from '../../server/tx.ts';
import { authorize, requireActor } from '../accounts/index.ts';
import { moderate, moderationQueue, moderatorReply, seriesOfComment } from './comments.service.ts';
import { congressSessionsOf } from './congress.service.ts';
import { renderPostMarkdown } from './markdown.ts';
import {
  createPost,
  deletePost,
  editablePost,
  listAllPosts,
  managedSeries,
  postPath,
  updatePost,
  isVisible,
} from './posts.service.ts';
import { PostBody, OidcSettingsBody } from './publishing.schema.ts';
import { PUBLISHING_CSS } from './post.view.ts';
import { oidcSettings, saveOidcSettings } from './settings.ts';
import { listSnapshots, renderSnapshot, findSnapshot } from './snapshot.ts';
import { MAX_UPLOAD_BYTES, storeImage } from './uploads.ts';
import { messages } from './messages/index.ts';
import { fmt } from '../../lib/format.ts';
import { readMultipart } from '../../server/multipart.ts';

/** The preview of a post body; Markdown too deep to render shows its message instead of failing the form. */
function previewBody(md: string, lang: string | undefined) {
  try {
    return raw(renderPostMarkdown(md));
  } catch (e) {
    if (e instanceof AppError) return html`<p class="alert" role="alert">${translateError(lang, e)}</p>`;
    throw e;
  }
}

type Body = Record<string, string | undefined>;
type Errors = Record<string, string>;
const send = sendPage;
const pubT = (req: FastifyRequest) => messages.t(req.lang);
type T = ReturnType<typeof pubT>;
const alert = (t: T, errors: Errors, labels: FieldLabels = {}) =>
  formAlert(errors, labels, t('console.fixThese'));
const style = html`<style>${raw(PUBLISHING_CSS)}</style>`;

/** The form's local publication time in its zone, as a UTC instant (UTC when the zone is unknown). */
function publishInstant(local: string | undefined, tz: string | undefined): string | null {
  if (!local) return null;
  if (/Z|[+-]\d\d:\d\d$/.test(local)) return local;
  const zone = tz && isValidTimeZone(tz) ? tz : 'UTC';
  return zonedToUtc(local, zone)?.toISOString() ?? local;
}

function postFromForm(b: Body) {
  return {
    slug: b.slug ?? '',
    language: b.language || 'en',
    translationOf: b.translationOf || null,
    title: b.title ?? '',
    summary: b.summary ?? '',
    bodyMd: b.bodyMd ?? '',
    status: b.status || 'draft',
    publishAt: publishInstant(b.publishAt, b.publishTimeZone),
    publishTimeZone: b.publishTimeZone || null,
    tags: (b.tags ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    coverUploadId: b.coverUploadId || null,
    snapshotId: b.snapshotId || null,
  };
}

/** The post form's field labels (also the error summary's). */
const postLabels = (t: T) => ({
  title: t('console.post.title'),
  slug: t('console.post.slug'),
  language: t('console.post.language'),
  translationOf: t('console.post.translationOf'),
  summary: t('console.post.summary'),
  bodyMd: t('console.post.body'),
  status: t('console.post.status'),
  publishAt: t('console.post.publishAt'),
  publishTimeZone: t('console.post.timeZone'),
  tags: t('console.post.tags'),
  snapshotId: t('console.post.snapshot'),
  image: { id: 'f-image', label: t('console.post.cover') },
});

/** Console pages for coordinators: posts (write, preview, schedule, publish), moderation, OIDC settings. */
export async function publishingConsolePages(app: FastifyInstance): Promise<void> {
  const { db, config } = app.ctx;
  const mail = { mailer: app.ctx.mailer, publicUrl: config.publicUrl };

  async function postForm(
    req: FastifyRequest,
    seriesId: string,
    action: string,
    v: Body,
    errors: Errors,
    preview: boolean,
    postId?: string,
  ): Promise<string> {
    const s = await managedSeries(db, req.actor, seriesId);
    const [snaps, posts] = await Promise.all([listSnapshots(db, s.id), listAllPosts(db, s.id)]);
    const snap = preview && v.snapshotId ? await findSnapshot(db, v.snapshotId) : null;
    const t = pubT(req);
    const heading = postId ? t('console.post.edit') : t('console.post.new');
    const labels = postLabels(t);
    return page(
      req,
      { title: heading, head: style },
      html`
<p><a href="/console/series/${s.id}/posts">${t('console.postsOf', { series: s.title })}</a></p>
<h1>${heading}</h1>${alert(t, errors, labels)}
<form method="post" action="${action}" novalidate>${csrfField(req)}
<div class="row">${field('title', labels.title, { value: v.title, errors, required: true })}${field('slug', labels.slug, { value: v.slug, errors, required: true, hint: t('console.post.slugHint') })}</div>
<div class="row">${field('language', labels.language, { value: v.language || 'en', errors, hint: t('console.post.languageHint') })}
${postId ? '' : field('translationOf', labels.translationOf, { value: v.translationOf ?? '', errors, options: [{ value: '', label: t('console.post.original') }, ...posts.map((p) => ({ value: p.id, label: `${p.title} (${p.language})` }))] })}</div>
${field('summary', labels.summary, { value: v.summary, errors, hint: t('console.post.summaryHint') })}
${field('bodyMd', labels.bodyMd, { value: v.bodyMd, errors, textarea: true, required: true, attrs: html`rows="18"` })}
<div class="row">${field('status', labels.status, {
        value: v.status || 'draft',
        errors,
        options: (['draft', 'scheduled', 'published'] as const).map((status) => ({
          value: status,
          label: t('console.status', { status }),
        })),
      })}
${field('publishAt', labels.publishAt, { value: v.publishAt ? v.publishAt.slice(0, 16) : '', errors, type: 'datetime-local', hint: t('console.post.publishAtHint') })}
${field('publishTimeZone', labels.publishTimeZone, { value: v.publishTimeZone || s.time_zone || 'UTC', errors, hint: t('console.post.timeZoneHint') })}</div>
${field('tags', labels.tags, { value: v.tags, errors, hint: t('console.post.tagsHint') })}
${field('snapshotId', labels.snapshotId, { value: v.snapshotId ?? '', errors, options: [{ value: '', label: t('console.none') }, ...snaps.map((x) => ({ value: x.id, label: `${x.title} (${fmt(req.lang).date(x.createdAt)})` }))] })}
<input type="hidden" name="coverUploadId" value="${v.coverUploadId ?? ''}">
<button type="submit" name="intent" value="preview" class="secondary">${t('console.post.preview')}</button> <button type="submit" name="intent" value="save">${t('console.save')}</button>
</form>
${preview ? html`<section class="card" aria-label="${t('console.post.preview')}"><h2>${t('console.post.preview')}</h2><article class="post"><h1>${v.title}</h1>${v.summary ? html`<p><strong>${v.summary}</strong></p>` : ''}<div class="post-body">${previewBody(v.bodyMd ?? '', req.lang)}</div>${snap ? renderSnapshot(snap) : ''}</article></section>` : ''}
${
  postId
    ? html`<h2>${t('console.post.cover')}</h2>${v.coverUploadId ? html`<p><img src="/uploads/${v.coverUploadId}" alt="${t('console.post.currentCover')}" style="max-width:20rem"></p>` : ''}
<form method="post" action="/console/posts/${postId}/cover" enctype="multipart/form-data">${csrfField(req)}
<label for="f-image">${t('console.post.coverFile')}</label><input id="f-image" type="file" name="image" accept="image/png,image/jpeg,image/webp"><button type="submit" class="secondary">${t('console.post.uploadCover')}</button></form>
<form method="post" action="/console/posts/${postId}/delete">${csrfField(req)}<button type="submit" class="secondary">${t('console.post.delete')}</button></form>`
    : ''
}`,
    );
  }

  const rowToBody = (p: Awaited<ReturnType<typeof editablePost>>): Body => ({
    title: p.title,
    slug: p.slug,
    language: p.language,
    summary: p.summary,
    bodyMd: p.body_md,
    status: p.status,
    // Shown back in the zone it was written in.
    publishAt: p.publish_at ? utcToZonedLocal(new Date(p.publish_at), p.publish_time_zone ?? 'UTC') : '',
    publishTimeZone: p.publish_time_zone ?? 'UTC',
    tags: (JSON.parse(p.tags) as string[]).join(', '),
    snapshotId: p.snapshot_id ?? '',
    coverUploadId: p.cover_upload_id ?? '',
  });

  app.get('/console/series/:id/posts', { schema: { hide: true } }, async (req, reply) => {
    const s = await managedSeries(db, req.actor, (req.params as { id: string }).id);
    const posts = await listAllPosts(db, s.id);
    const pending = await moderationQueue(db, req.actor, s.id);
    const congress = await congressSessionsOf(db, s.id);
    const t = pubT(req);
    const f = fmt(req.lang);
    const when = (at: string | null) => (at ? f.dateTime(at, s.time_zone || 'UTC') : '');
    return send(
      reply,
      page(
        req,
        { title: t('console.posts.title', { series: s.title }) },
        html`
<p><a href="/console/series/${s.id}" data-user-content>${s.title}</a></p><h1>${t('console.posts.heading')}</h1>
<p><a class="button" href="/console/series/${s.id}/posts/new">${t('console.posts.write')}</a> <a class="button secondary" href="/console/series/${s.id}/comments">${t('console.posts.queue', { count: pending.length })}</a></p>
${
  posts.length
    ? html`<table><thead><tr><th>${t('console.posts.colTitle')}</th><th>${t('console.posts.colLanguage')}</th><th>${t('console.posts.colState')}</th><th>${t('console.posts.colPublication')}</th><th><span class="visually-hidden">${t('console.posts.colActions')}</span></th></tr></thead><tbody>
${posts.map(
  (
    p,
  ) => html`<tr><td lang="${p.language}">${p.title}</td><td>${p.language}</td><td>${t('console.status', { status: p.status })}${p.status === 'scheduled' && isVisible(p) ? ` ${t('console.posts.visible')}` : ''}</td><td>${when(p.published_at ?? p.publish_at)}</td>
<td><a href="/console/posts/${p.id}">${t('console.posts.edit')}</a> · <a href="${postPath(s.slug, p.slug)}">${t('console.posts.view')}</a></td></tr>`,
)}
</tbody></table>`
    : html`<p>${t('console.posts.empty')}</p>`
}
<h2>${t('console.posts.congress')}</h2>
${
  congress.length
    ? html`<ul>${congress.map((c) => html`<li><a href="/console/congress/${c.id}">${c.title}</a> · <a href="/series/${s.slug}/congress/${c.slug}">${t('console.posts.publicPage')}</a></li>`)}</ul>`
    : html`<p>${t('console.posts.congressEmpty')}</p>`
}
<p><a class="button secondary" href="/console/series/${s.id}/congress/new">${t('console.posts.addCongress')}</a></p>
${req.actor?.isAdmin ? html`<p><a href="/console/publishing/oidc">${t('console.posts.oidc')}</a></p>` : ''}`,
      ),
    );
  });

  app.get('/console/series/:id/posts/new', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    return send(reply, await postForm(req, id, `/console/series/${id}/posts/new`, {}, {}, false));
  });

  app.post('/console/series/:id/posts/new', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const b = req.body as Body;
    if (b.intent === 'preview')
      return send(reply, await postForm(req, id, `/console/series/${id}/posts/new`, b, {}, true));
    return formAction(
      reply,
      async () => {
        const input = parseForm(PostBody, postFromForm(b));
        const postId = await inTransaction(db, (trx) => createPost(trx, req.actor, id, input));
        app.ctx.invalidate();
        return `/console/posts/${postId}?saved=1`;
      },
      (errors) => postForm(req, id, `/console/series/${id}/posts/new`, b, errors, false),
    );
  });

  app.get('/console/posts/:id', { schema: { hide: true } }, async (req, reply) => {
    const p = await editablePost(db, req.actor, (req.params as { id: string }).id);
    const saved = (req.query as { saved?: string }).saved
      ? html`<p class="notice" role="status">${pubT(req)('console.saved')}</p>`
      : '';
    return send(
      reply,
      (await postForm(req, p.series_id, `/console/posts/${p.id}`, rowToBody(p), {}, false, p.id)).replace(
        '<main id="main">',
        `<main id="main">${saved.toString()}`,
      ),
    );
  });

  app.post('/console/posts/:id', { schema: { hide: true } }, async (req, reply) => {
    const p = await editablePost(db, req.actor, (req.params as { id: string }).id);
    const b = req.body as Body;
    if (b.intent === 'preview')
      return send(reply, await postForm(req, p.series_id, `/console/posts/${p.id}`, b, {}, true, p.id));
    return formAction(
      reply,
      async () => {
        const { translationOf: _t, ...input } = parseForm(PostBody, postFromForm(b));
        await inTransaction(db, (trx) => updatePost(trx, req.actor, p.id, input));
        app.ctx.invalidate();
        return `/console/posts/${p.id}?saved=1`;
      },
      (errors) => postForm(req, p.series_id, `/console/posts/${p.id}`, b, errors, false, p.id),
    );
  });

  app.post('/console/posts/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const p = await editablePost(db, req.actor, (req.params as { id: string }).id);
    await inTransaction(db, (trx) => deletePost(trx, req.actor, p.id));
    app.ctx.invalidate();
    return reply.redirect(`/console/series/${p.series_id}/posts`, 303);
  });

  const cover = { schema: { hide: true }, config: { multipart: { fileBytes: MAX_UPLOAD_BYTES } } };
  app.post('/console/posts/:id/cover', cover, async (req, reply) => {
    const p = await editablePost(db, req.actor, (req.params as { id: string }).id);
    try {
      const form = await readMultipart(req);
      const file = form.file?.field === 'image' ? form.file.data : null;
      if (!file?.length) throw new AppError(422, 'empty_file', 'Choose an image file to upload.', 'image');
      const uploadId = await storeImage(db, config.dataDir, p.series_id, req.actor!.accountId, file);
      await updatePost(db, req.actor, p.id, { coverUploadId: uploadId });
      app.ctx.invalidate();
      return reply.redirect(`/console/posts/${p.id}?saved=1`, 303);
    } catch (e) {
      const err = toAppError(e);
      if (err.status >= 500) throw e;
      return send(
        reply,
        await postForm(
          req,
          p.series_id,
          `/console/posts/${p.id}`,
          rowToBody(p),
          formErrorsOf(e, req.lang),
          false,
          p.id,
        ),
        err.status,
      );
    }
  });

  const queuePage = async (
    req: FastifyRequest,
    seriesId: string,
    status: 'pending' | 'spam' | 'approved',
    errors: Errors = {},
  ) => {
    const s = await managedSeries(db, req.actor, seriesId);
    const rows = await moderationQueue(db, req.actor, s.id, status);
    const t = pubT(req);
    const f = fmt(req.lang);
    const tabs: [typeof status, string][] = [
      ['pending', t('console.mod.pending')],
      ['spam', t('console.mod.spam')],
      ['approved', t('console.mod.approved')],
    ];
    return page(
      req,
      { title: t('console.mod.title', { series: s.title }), head: style },
      html`
<p><a href="/console/series/${s.id}/posts">${t('console.postsOf', { series: s.title })}</a></p><h1>${t('console.mod.heading')}</h1>${alert(t, errors)}
<nav aria-label="${t('console.mod.states')}"><p>${tabs.map(([k, l]) => (k === status ? html`<strong>${l}</strong> ` : html`<a href="?status=${k}">${l}</a> `))}</p></nav>
${rows.length ? '' : html`<p>${t('console.mod.empty')}</p>`}
<ol class="queue">${rows.map(
        (c) => html`<li class="card comment" id="m-${c.id}">
<p class="who"><span data-user-content>${c.author_name}</span> <span class="muted"><span data-user-content>${c.author_email ?? ''}</span> · ${f.dateTime(c.created_at, 'UTC')} · ${t('console.mod.on')} <a href="${postPath(s.slug, c.post_slug)}" data-user-content>${c.post_title}</a>${c.held_reason ? html` · ${t('console.mod.held', { reason: c.held_reason })}` : ''}</span></p>
<div class="body" data-user-content>${raw(c.body_html)}</div>
<form method="post" action="/console/comments/${c.id}/moderate" class="row">${csrfField(req)}
${status !== 'approved' ? html`<button type="submit" name="action" value="approve">${t('console.mod.approve')}</button>` : ''}
${status !== 'spam' ? html`<button type="submit" name="action" value="spam" class="secondary">${t('console.mod.markSpam')}</button>` : ''}
<button type="submit" name="action" value="delete" class="secondary">${t('console.mod.delete')}</button></form>
<form method="post" action="/console/comments/${c.id}/reply">${csrfField(req)}
<label for="r-${c.id}">${t('console.mod.reply')}</label><textarea id="r-${c.id}" name="body" rows="3"></textarea><button type="submit" class="secondary">${t('console.mod.send')}</button></form>
</li>`,
      )}</ol>`,
    );
  };

  app.get('/console/series/:id/comments', { schema: { hide: true } }, async (req, reply) => {
    const q = (req.query as { status?: string }).status;
    const status = q === 'spam' || q === 'approved' ? q : 'pending';
    return send(reply, await queuePage(req, (req.params as { id: string }).id, status));
  });

  app.post('/console/comments/:id/moderate', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const action = (req.body as Body).action;
    if (action !== 'approve' && action !== 'spam' && action !== 'delete')
      throw new AppError(422, 'invalid_choice', 'Choose approve, spam or delete.', 'action');
    const r = await inTransaction(db, (trx) => moderate(trx, mail, req.actor, id, action));
    app.ctx.invalidate(r.seriesId);
    return reply.redirect(`/console/series/${r.seriesId}/comments`, 303);
  });

  app.post('/console/comments/:id/reply', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const seriesId = await seriesOfComment(db, id);
    const body = ((req.body as Body).body ?? '').trim();
    return formAction(
      reply,
      async () => {
        if (!body) throw new AppError(422, 'required', 'Write your reply first.', '_form');
        if (body.length > 5000)
          throw new AppError(422, 'too_long', 'A reply has at most 5000 characters.', '_form');
        const r = await inTransaction(db, (trx) => moderatorReply(trx, mail, req.actor, id, body));
        app.ctx.invalidate(r.seriesId);
        return `/console/series/${seriesId}/comments`;
      },
      (errors) => queuePage(req, seriesId, 'pending', errors),
    );
  });

  const oidcPage = async (req: FastifyRequest, v: Body, errors: Errors, saved = false): Promise<string> => {
    authorize(req.actor, !!req.actor?.isAdmin, 'Only administrators configure sign-in providers.');
    const cur = await oidcSettings(db);
    const values = {
      issuer: v.issuer ?? cur?.issuer ?? '',
      clientId: v.clientId ?? cur?.clientId ?? '',
      label: v.label ?? cur?.label ?? 'OpenID Connect',
    };
    const t = pubT(req);
    const labels = {
      issuer: t('console.oidc.issuer'),
      clientId: t('console.oidc.clientId'),
      clientSecret: t('console.oidc.clientSecret'),
      label: t('console.oidc.label'),
    };
    return page(
      req,
      { title: t('console.oidc.title') },
      html`<p><a href="/console">${t('console.oidc.console')}</a></p><h1>${t('console.oidc.heading')}</h1>
${saved ? html`<p class="notice" role="status">${t('console.saved')}</p>` : ''}${alert(t, errors, labels)}
<p>${t('console.oidc.intro')}
${t('console.oidc.redirect')} <code translate="no">${config.publicUrl}/comments/login/callback</code>.</p>
<form method="post" action="/console/publishing/oidc" novalidate>${csrfField(req)}
${field('issuer', labels.issuer, { value: values.issuer, errors, type: 'url', hint: t('console.oidc.issuerHint') })}
${field('clientId', labels.clientId, { value: values.clientId, errors })}
${field('clientSecret', labels.clientSecret, { value: '', errors, type: 'password', hint: cur?.clientSecret ? t('console.oidc.secretStored') : '' })}
${field('label', labels.label, { value: values.label, errors, hint: t('console.oidc.labelHint') })}
<button type="submit">${t('console.save')}</button></form>`,
    );
  };

  app.get('/console/publishing/oidc', { schema: { hide: true } }, async (req, reply) => {
    requireActor(req.actor);
    return send(reply, await oidcPage(req, {}, {}, !!(req.query as { saved?: string }).saved));
  });
  app.post('/console/publishing/oidc', { schema: { hide: true } }, async (req, reply) => {
    authorize(req.actor, !!req.actor?.isAdmin, 'Only administrators configure sign-in providers.');
    const b = req.body as Body;
    return formAction(
      reply,
      async () => {
        await saveOidcSettings(db, parseForm(OidcSettingsBody, b));
        app.ctx.invalidate();
        return '/console/publishing/oidc?saved=1';
      },
      (errors) => oidcPage(req, b, errors),
    );
  });
}
