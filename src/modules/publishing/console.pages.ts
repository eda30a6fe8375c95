import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { toAppError } from '../../server/errors.ts';
import { html, raw } from '../../lib/html.ts';
import { isValidTimeZone, utcToZonedLocal, zonedToUtc } from '../../lib/time.ts';
import { csrfField, field, page } from '../../server/layout.ts';
import { formAction, formAlert, parseForm, sendPage } from '../../server/forms.ts';
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
import { readMultipart } from '../../server/multipart.ts';

/** The preview of a post body; Markdown too deep to render shows its message instead of failing the form. */
function previewBody(md: string) {
  try {
    return raw(renderPostMarkdown(md));
  } catch (e) {
    if (e instanceof AppError) return html`<p class="alert" role="alert">${e.message}</p>`;
    throw e;
  }
}

type Body = Record<string, string | undefined>;
type Errors = Record<string, string>;
const send = sendPage;
const alert = formAlert;
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
    return page(
      req,
      { title: postId ? 'Edit post' : 'New post', head: style },
      html`
<p><a href="/console/series/${s.id}/posts">Posts of ${s.title}</a></p>
<h1>${postId ? 'Edit post' : 'New post'}</h1>${alert(errors)}
<form method="post" action="${action}" novalidate>${csrfField(req)}
<div class="row">${field('title', 'Title', { value: v.title, errors, required: true })}${field('slug', 'Short name for the address', { value: v.slug, errors, required: true, hint: 'lower-case, e.g. findings-2022' })}</div>
<div class="row">${field('language', 'Language', { value: v.language || 'en', errors, hint: 'e.g. en, fr' })}
${postId ? '' : field('translationOf', 'Translation of', { value: v.translationOf ?? '', errors, options: [{ value: '', label: '(an original post)' }, ...posts.map((p) => ({ value: p.id, label: `${p.title} (${p.language})` }))] })}</div>
${field('summary', 'Summary', { value: v.summary, errors, hint: 'shown in lists, feeds and link previews' })}
${field('bodyMd', 'Text (Markdown)', { value: v.bodyMd, errors, textarea: true, required: true, attrs: html`rows="18"` })}
<div class="row">${field('status', 'State', {
        value: v.status || 'draft',
        errors,
        options: [
          { value: 'draft', label: 'Draft' },
          { value: 'scheduled', label: 'Scheduled' },
          { value: 'published', label: 'Published' },
        ],
      })}
${field('publishAt', 'Publish at (for scheduled posts)', { value: v.publishAt ? v.publishAt.slice(0, 16) : '', errors, type: 'datetime-local', hint: 'in the time zone next to it' })}
${field('publishTimeZone', 'Time zone of that time', { value: v.publishTimeZone || s.time_zone || 'UTC', errors, hint: 'e.g. Europe/Dublin' })}</div>
${field('tags', 'Tags', { value: v.tags, errors, hint: 'comma-separated' })}
${field('snapshotId', 'Embed findings', { value: v.snapshotId ?? '', errors, options: [{ value: '', label: '(none)' }, ...snaps.map((x) => ({ value: x.id, label: `${x.title} (${x.createdAt.slice(0, 10)})` }))] })}
<input type="hidden" name="coverUploadId" value="${v.coverUploadId ?? ''}">
<button type="submit" name="intent" value="preview" class="secondary">Preview</button> <button type="submit" name="intent" value="save">Save</button>
</form>
${preview ? html`<section class="card" aria-label="Preview"><h2>Preview</h2><article class="post"><h1>${v.title}</h1>${v.summary ? html`<p><strong>${v.summary}</strong></p>` : ''}<div class="post-body">${previewBody(v.bodyMd ?? '')}</div>${snap ? renderSnapshot(snap) : ''}</article></section>` : ''}
${
  postId
    ? html`<h2>Cover image</h2>${v.coverUploadId ? html`<p><img src="/uploads/${v.coverUploadId}" alt="Current cover" style="max-width:20rem"></p>` : ''}
<form method="post" action="/console/posts/${postId}/cover" enctype="multipart/form-data">${csrfField(req)}
<label for="f-image">PNG, JPEG or WebP, up to 2 MB</label><input id="f-image" type="file" name="image" accept="image/png,image/jpeg,image/webp"><button type="submit" class="secondary">Upload cover</button></form>
<form method="post" action="/console/posts/${postId}/delete">${csrfField(req)}<button type="submit" class="secondary">Delete this post</button></form>`
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
    return send(
      reply,
      page(
        req,
        { title: `Posts · ${s.title}` },
        html`
<p><a href="/console/series/${s.id}">${s.title}</a></p><h1>Posts and comments</h1>
<p><a class="button" href="/console/series/${s.id}/posts/new">Write a post</a> <a class="button secondary" href="/console/series/${s.id}/comments">Moderation queue (${pending.length})</a></p>
<table><thead><tr><th>Title</th><th>Language</th><th>State</th><th>Publication</th><th></th></tr></thead><tbody>
${posts.map(
  (
    p,
  ) => html`<tr><td>${p.title}</td><td>${p.language}</td><td>${p.status}${p.status === 'scheduled' && isVisible(p) ? ' (visible)' : ''}</td><td>${(p.published_at ?? p.publish_at ?? '').replace('T', ' ').slice(0, 16)}</td>
<td><a href="/console/posts/${p.id}">Edit</a> · <a href="${postPath(s.slug, p.slug)}">View</a></td></tr>`,
)}
</tbody></table>
<h2>Congress sessions</h2>
<ul>${congress.map((c) => html`<li><a href="/console/congress/${c.id}">${c.title}</a> · <a href="/series/${s.slug}/congress/${c.slug}">public page</a></li>`)}</ul>
<p><a class="button secondary" href="/console/series/${s.id}/congress/new">Add a congress session</a></p>
${req.actor?.isAdmin ? html`<p><a href="/console/publishing/oidc">Sign-in for commenters (OpenID Connect)</a></p>` : ''}`,
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
      ? html`<p class="notice" role="status">Saved.</p>`
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
          { _form: err.message },
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
    const tabs: [typeof status, string][] = [
      ['pending', 'Waiting'],
      ['spam', 'Spam'],
      ['approved', 'Approved'],
    ];
    return page(
      req,
      { title: `Moderation · ${s.title}`, head: style },
      html`
<p><a href="/console/series/${s.id}/posts">Posts of ${s.title}</a></p><h1>Comments: moderation</h1>${alert(errors)}
<nav aria-label="Comment states"><p>${tabs.map(([k, l]) => (k === status ? html`<strong>${l}</strong> ` : html`<a href="?status=${k}">${l}</a> `))}</p></nav>
${rows.length ? '' : html`<p>Nothing here.</p>`}
<ol class="queue">${rows.map(
        (c) => html`<li class="card comment" id="m-${c.id}">
<p class="who">${c.author_name} <span class="muted">${c.author_email ?? ''} · ${c.created_at.replace('T', ' ').slice(0, 16)} UTC · on <a href="${postPath(s.slug, c.post_slug)}">${c.post_title}</a>${c.held_reason ? html` · held: ${c.held_reason === 'links' ? 'two or more links' : c.held_reason === 'first_comment' ? 'first comment' : c.held_reason === 'unverified' ? 'not signed in' : c.held_reason}` : ''}</span></p>
<div class="body">${raw(c.body_html)}</div>
<form method="post" action="/console/comments/${c.id}/moderate" class="row">${csrfField(req)}
${status !== 'approved' ? html`<button type="submit" name="action" value="approve">Approve</button>` : ''}
${status !== 'spam' ? html`<button type="submit" name="action" value="spam" class="secondary">Spam</button>` : ''}
<button type="submit" name="action" value="delete" class="secondary">Delete</button></form>
<form method="post" action="/console/comments/${c.id}/reply">${csrfField(req)}
<label for="r-${c.id}">Reply (approves this comment)</label><textarea id="r-${c.id}" name="body" rows="3"></textarea><button type="submit" class="secondary">Reply</button></form>
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
    return page(
      req,
      { title: 'Sign-in for commenters' },
      html`<p><a href="/console">Console</a></p><h1>Sign-in for commenters (OpenID Connect)</h1>
${saved ? html`<p class="notice" role="status">Saved.</p>` : ''}${alert(errors)}
<p>Readers can sign in with this provider to comment under the name from their identity. Leave the issuer empty to switch it off.
The redirect address to register with the provider is <code>${config.publicUrl}/comments/login/callback</code>.</p>
<form method="post" action="/console/publishing/oidc" novalidate>${csrfField(req)}
${field('issuer', 'Issuer URL', { value: values.issuer, errors, type: 'url', hint: 'e.g. https://accounts.example.org' })}
${field('clientId', 'Client id', { value: values.clientId, errors })}
${field('clientSecret', 'Client secret', { value: '', errors, type: 'password', hint: cur?.clientSecret ? 'stored; leave empty to keep it' : '' })}
${field('label', 'Button label', { value: values.label, errors, hint: 'shown as "Sign in with …"' })}
<button type="submit">Save</button></form>`,
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
