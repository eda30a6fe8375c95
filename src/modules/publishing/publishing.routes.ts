import { checkpointAfterErasure } from '../../db/index.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { authorize, canManageSeries } from '../accounts/index.ts';
import { findSeries, visibleSeries } from '../series/index.ts';
import { inTransaction } from '../../server/tx.ts';
import {
  eraseCommenter,
  exportCommenter,
  moderate,
  moderationQueue,
  moderatorReply,
  publicComments,
  RATE_LIMITED,
  submitComment,
  type Commenter,
} from './comments.service.ts';
import {
  createPost,
  deletePost,
  findPost,
  findReadablePostById,
  isVisible,
  listAllPosts,
  listVisiblePosts,
  managedSeries,
  postPath,
  publishedAt,
  updatePost,
  type PostRow,
} from './posts.service.ts';
import * as S from './publishing.schema.ts';
import {
  congressSessionsOf,
  createCongressSession,
  findCongressById,
  updateCongressSession,
} from './congress.service.ts';
import type { Limiter } from '../../server/limits.ts';
import { readerOf } from './reader.ts';
import { saveOidcSettings } from './settings.ts';
import { storeImage } from './uploads.ts';

const Err = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
const errors = { 400: Err, 401: Err, 403: Err, 404: Err, 409: Err, 413: Err, 415: Err, 422: Err, 429: Err };
const writeSecurity = [{ session: [], csrf: [] }];
const IdParams = z.object({ id: z.string().min(1).max(100) });
const Submitted = z.object({
  id: z.string(),
  status: z.enum(['approved', 'pending', 'spam']),
  heldReason: z.string().nullable(),
});

/** The JSON API of posts, comments, moderation and uploads (same services as the pages). */
export async function publishingApi(app: FastifyInstance, limiter: Limiter): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, config } = app.ctx;
  const mail = { mailer: app.ctx.mailer, publicUrl: config.publicUrl };

  // The series' short name comes from the caller: a list of posts asks for its series once.
  const present = (seriesSlug: string, p: PostRow): z.infer<typeof S.PostOut> => {
    return {
      id: p.id,
      seriesId: p.series_id,
      slug: p.slug,
      url: `${config.publicUrl}${postPath(seriesSlug, p.slug)}`,
      language: p.language,
      translationGroup: p.translation_group,
      title: p.title,
      summary: p.summary,
      bodyMd: p.body_md,
      bodyHtml: p.body_html,
      status: p.status,
      visible: isVisible(p),
      publishAt: p.publish_at,
      publishedAt: publishedAt(p),
      authorName: p.author_name ?? null,
      tags: JSON.parse(p.tags) as string[],
      coverUrl: p.cover_upload_id ? `${config.publicUrl}/uploads/${p.cover_upload_id}` : null,
      snapshotId: p.snapshot_id,
      updatedAt: p.updated_at,
    };
  };
  const presentOne = async (p: PostRow) => {
    const s = await findSeries(db, p.series_id);
    if (!s) throw new AppError(404, 'not_found', 'This post was not found.', 'id');
    return present(s.slug, p);
  };
  const byId = async (id: string) => {
    const p = await findPost(db, id);
    if (!p) throw new AppError(404, 'not_found', 'This post was not found.', 'id');
    return presentOne(p);
  };

  r.get(
    '/api/series/:id/posts',
    {
      config: { public: true },
      schema: {
        tags: ['publishing'],
        summary: 'Posts of a series: published ones for readers, all of them for coordinators',
        params: IdParams,
        response: { 200: z.object({ posts: z.array(S.PostOut) }), 404: Err },
      },
    },
    async (req) => {
      const s = await visibleSeries(db, req.actor, req.params.id);
      const rows = canManageSeries(req.actor, s.id)
        ? await listAllPosts(db, s.id)
        : await listVisiblePosts(db, s.id);
      return { posts: rows.map((p) => present(s.slug, p)) };
    },
  );

  r.post(
    '/api/series/:id/posts',
    {
      schema: {
        tags: ['publishing'],
        summary: 'Write a post (Markdown; rendered and sanitised on save)',
        security: writeSecurity,
        params: IdParams,
        body: S.PostBody,
        response: { 201: S.PostOut, ...errors },
      },
    },
    async (req, reply) => {
      const id = await inTransaction(db, (trx) => createPost(trx, req.actor, req.params.id, req.body));
      app.ctx.invalidate();
      return reply.status(201).send(await byId(id));
    },
  );

  r.get(
    '/api/posts/:id',
    {
      config: { public: true },
      schema: {
        tags: ['publishing'],
        summary: 'One post',
        params: IdParams,
        response: { 200: S.PostOut, 404: Err },
      },
    },
    async (req) => {
      return presentOne(await findReadablePostById(db, req.actor, req.params.id));
    },
  );

  r.patch(
    '/api/posts/:id',
    {
      schema: {
        tags: ['publishing'],
        summary: 'Change, schedule or publish a post',
        security: writeSecurity,
        params: IdParams,
        body: S.PostUpdateBody,
        response: { 200: S.PostOut, ...errors },
      },
    },
    async (req) => {
      await inTransaction(db, (trx) => updatePost(trx, req.actor, req.params.id, req.body));
      app.ctx.invalidate();
      return byId(req.params.id);
    },
  );

  r.delete(
    '/api/posts/:id',
    {
      schema: {
        tags: ['publishing'],
        summary: 'Delete a post and its comments',
        security: writeSecurity,
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await inTransaction(db, (trx) => deletePost(trx, req.actor, req.params.id));
      app.ctx.invalidate();
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/series/:id/uploads',
    {
      schema: {
        tags: ['publishing'],
        summary: 'Upload an image (PNG, JPEG or WebP up to 2 MB, base64); the type is read from the bytes',
        security: writeSecurity,
        params: IdParams,
        body: z.object({ data: z.string().min(1).max(3_000_000, 'An image may be at most 2 MB.') }),
        response: { 201: z.object({ id: z.string(), url: z.string() }), ...errors },
      },
      bodyLimit: 4_000_000,
    },
    async (req, reply) => {
      const s = await managedSeries(db, req.actor, req.params.id);
      const id = await storeImage(
        db,
        config.dataDir,
        s.id,
        req.actor!.accountId,
        Buffer.from(req.body.data, 'base64'),
      );
      return reply.status(201).send({ id, url: `${config.publicUrl}/uploads/${id}` });
    },
  );

  r.get(
    '/api/posts/:id/comments',
    {
      config: { public: true },
      schema: {
        tags: ['comments'],
        summary: 'Approved comments of a post, oldest first (parentId threads them)',
        params: IdParams,
        response: { 200: z.object({ comments: z.array(S.CommentOut) }), 404: Err },
      },
    },
    async (req) => {
      const post = await findReadablePostById(db, req.actor, req.params.id);
      const rows = await publicComments(db, post.id);
      return {
        comments: rows.map((c) => ({
          id: c.id,
          postId: post.id,
          parentId: c.parent_id,
          authorName: c.author_name,
          authorWebsite: c.author_website,
          bodyHtml: c.body_html,
          status: c.status,
          heldReason: null,
          createdAt: c.created_at,
        })),
      };
    },
  );

  r.post(
    '/api/posts/:id/comments',
    {
      schema: {
        tags: ['comments'],
        summary: 'Comment on a post (name + e-mail, or as the logged-in account); may be held for moderation',
        params: IdParams,
        body: S.CommentBody,
        response: { 201: Submitted, ...errors },
      },
      config: { public: true },
      preValidation: async (req) => {
        const wait = await limiter.hit(req.ip);
        if (wait) throw RATE_LIMITED(wait);
      },
    },
    async (req, reply) => {
      const reader = await readerOf(db, req);
      const who: Commenter = req.actor
        ? { type: 'account', actor: req.actor }
        : reader
          ? { type: 'reader', ...reader }
          : { type: 'guest' };
      const res = await inTransaction(db, (trx) => submitComment(trx, mail, req.params.id, who, req.body));
      app.ctx.invalidate();
      return reply.status(201).send(res);
    },
  );

  r.get(
    '/api/series/:id/comments/queue',
    {
      schema: {
        tags: ['comments'],
        summary: 'The moderation queue (coordinators)',
        params: IdParams,
        querystring: z.object({ status: z.enum(['pending', 'spam', 'approved']).default('pending') }),
        response: {
          200: z.object({
            comments: z.array(
              S.CommentOut.extend({ authorEmail: z.string().nullable(), postTitle: z.string() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const s = await findSeries(db, req.params.id);
      if (!s) throw new AppError(404, 'not_found', 'This series was not found.', 'id');
      const rows = await moderationQueue(db, req.actor, s.id, req.query.status);
      return {
        comments: rows.map((c) => ({
          id: c.id,
          postId: c.post_id,
          parentId: c.parent_id,
          authorName: c.author_name,
          authorEmail: c.author_email,
          authorWebsite: c.author_website,
          bodyHtml: c.body_html,
          status: c.status,
          heldReason: c.held_reason,
          createdAt: c.created_at,
          postTitle: c.post_title,
        })),
      };
    },
  );

  r.post(
    '/api/comments/:id/moderation',
    {
      schema: {
        tags: ['comments'],
        summary: 'Approve, mark as spam or delete a comment (coordinators)',
        security: writeSecurity,
        params: IdParams,
        body: S.ModerationAction,
        response: { 200: z.object({ ok: z.literal(true) }), ...errors },
      },
    },
    async (req) => {
      const res = await inTransaction(db, (trx) =>
        moderate(trx, mail, req.actor, req.params.id, req.body.action),
      );
      app.ctx.invalidate(res.seriesId);
      return { ok: true as const };
    },
  );

  r.post(
    '/api/comments/:id/replies',
    {
      schema: {
        tags: ['comments'],
        summary: "A moderator's reply (approves the comment replied to)",
        security: writeSecurity,
        params: IdParams,
        body: S.ModeratorReply,
        response: { 201: Submitted, ...errors },
      },
    },
    async (req, reply) => {
      const res = await inTransaction(db, (trx) =>
        moderatorReply(trx, mail, req.actor, req.params.id, req.body.body),
      );
      app.ctx.invalidate(res.seriesId);
      return reply.status(201).send({ id: res.id, status: res.status, heldReason: res.heldReason });
    },
  );

  r.put(
    '/api/publishing/oidc',
    {
      schema: {
        tags: ['comments'],
        summary: 'Configure the OpenID Connect provider commenters may sign in with (admins)',
        security: writeSecurity,
        body: S.OidcSettingsBody,
        response: { 200: z.object({ ok: z.literal(true) }), ...errors },
      },
    },
    async (req) => {
      authorize(req.actor, !!req.actor?.isAdmin, 'Only administrators configure sign-in providers.');
      await saveOidcSettings(db, req.body);
      app.ctx.invalidate();
      return { ok: true as const };
    },
  );

  const CongressOut = z.object({
    id: z.string(),
    slug: z.string(),
    url: z.string(),
    icsUrl: z.string(),
    title: z.string(),
    eventName: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    timeZone: z.string(),
    venue: z.string(),
    guidingQuestions: z.array(z.string()),
    speakers: z.array(z.string()),
    snapshotId: z.string().nullable(),
  });
  const congressJson = async (id: string) => {
    const c = await findCongressById(db, id);
    const series = c && (await findSeries(db, c.series_id));
    if (!c || !series) throw new AppError(404, 'not_found', 'This congress session was not found.', 'id');
    const url = `${config.publicUrl}/series/${series.slug}/congress/${c.slug}`;
    return {
      id: c.id,
      slug: c.slug,
      url,
      icsUrl: `${url}.ics`,
      title: c.title,
      eventName: c.event_name,
      startsAt: c.starts_at,
      endsAt: c.ends_at,
      timeZone: c.time_zone,
      venue: c.venue,
      guidingQuestions: JSON.parse(c.guiding_questions) as string[],
      speakers: JSON.parse(c.speakers) as string[],
      snapshotId: c.snapshot_id,
    };
  };
  r.get(
    '/api/series/:id/congress',
    {
      config: { public: true },
      schema: {
        tags: ['publishing'],
        summary: 'Congress sessions of a series (sessions at other events that present its findings)',
        params: IdParams,
        response: { 200: z.object({ sessions: z.array(CongressOut) }), 404: Err },
      },
    },
    async (req) => {
      const s = await visibleSeries(db, req.actor, req.params.id);
      return {
        sessions: await Promise.all((await congressSessionsOf(db, s.id)).map((c) => congressJson(c.id))),
      };
    },
  );
  r.post(
    '/api/series/:id/congress',
    {
      schema: {
        tags: ['publishing'],
        summary: 'Add a congress session (startsAt/endsAt: ISO with offset, or wall-clock time in timeZone)',
        security: writeSecurity,
        params: IdParams,
        body: S.CongressBody,
        response: { 201: CongressOut, ...errors },
      },
    },
    async (req, reply) => {
      const id = await inTransaction(db, (trx) =>
        createCongressSession(trx, req.actor, req.params.id, req.body),
      );
      app.ctx.invalidate();
      return reply.status(201).send(await congressJson(id));
    },
  );
  r.put(
    '/api/congress/:id',
    {
      schema: {
        tags: ['publishing'],
        summary: 'Replace a congress session',
        security: writeSecurity,
        params: IdParams,
        body: S.CongressBody,
        response: { 200: CongressOut, ...errors },
      },
    },
    async (req) => {
      await inTransaction(db, (trx) => updateCongressSession(trx, req.actor, req.params.id, req.body));
      app.ctx.invalidate();
      return congressJson(req.params.id);
    },
  );

  const EmailBody = z.object({ email: z.email({ message: 'Give a valid e-mail address.' }) });
  r.post(
    '/api/publishing/commenters/export',
    {
      schema: {
        tags: ['comments'],
        summary: "A commenter's stored data (admins)",
        security: writeSecurity,
        body: EmailBody,
        response: { 200: z.unknown(), ...errors },
      },
    },
    async (req) => {
      authorize(req.actor, !!req.actor?.isAdmin, 'Only administrators handle data requests.');
      return exportCommenter(db, req.body.email);
    },
  );
  r.post(
    '/api/publishing/commenters/erase',
    {
      schema: {
        tags: ['comments'],
        summary: "Erase a commenter's data (admins)",
        security: writeSecurity,
        body: EmailBody,
        response: { 200: z.object({ deleted: z.number(), anonymised: z.number() }), ...errors },
      },
    },
    async (req) => {
      authorize(req.actor, !!req.actor?.isAdmin, 'Only administrators handle data requests.');
      const res = await inTransaction(db, (trx) => eraseCommenter(trx, req.body.email));
      checkpointAfterErasure(db);
      app.ctx.invalidate();
      return res;
    },
  );
}
