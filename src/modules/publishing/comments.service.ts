import { createHash } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { AppError, conflict, invalid, notFound } from '../../lib/errors.ts';
import { newId, newToken } from '../../lib/ids.ts';
import { authorize, canManageSeries, seriesModerators, type Actor } from '../accounts/index.ts';
import { eraseMailsAbout, mailsAbout, type Mailer } from '../notify/index.ts';
import { findSeries } from '../series/index.ts';
import { countLinks, renderCommentMarkdown } from './markdown.ts';
import { isVisible } from './posts.service.ts';
import type { CommentInput } from './publishing.schema.ts';
import type { CommentTable } from './publishing.tables.ts';
import { heldMail, replyMail } from './mail.ts';

export const DUPLICATE_WINDOW_MS = 15 * 60_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Who writes: a logged-in account, a reader signed in with OpenID Connect, or name + e-mail. */
export type Commenter =
  | { type: 'account'; actor: Actor }
  | { type: 'reader'; identity: string; name: string; email: string | null }
  | { type: 'guest' };

/** What sending mail needs: the mailer and the public base URL for links. */
export interface MailContext {
  mailer: Mailer;
  publicUrl: string;
}

export interface Submitted {
  id: string;
  status: 'approved' | 'pending' | 'spam';
  heldReason: string | null;
}

async function postWithSeries(db: Db, postId: string) {
  const p = await db
    .selectFrom('post')
    .select(['id', 'series_id', 'slug', 'title', 'language', 'status', 'publish_at'])
    .where('id', '=', postId)
    .executeTakeFirst();
  const series = p && (await findSeries(db, p.series_id));
  if (!p || !series) throw notFound('This post', 'postId');
  return { ...p, series_slug: series.slug, series_title: series.title };
}
export type PostRef = Awaited<ReturnType<typeof postWithSeries>>;

/** Whoever wrote this before: an approved comment by the same e-mail, account or identity. */
async function hasApprovedBefore(
  db: Db,
  key: { accountId?: string | null; identity?: string | null },
): Promise<boolean> {
  const conds: ['account_id' | 'identity', string][] = [];
  if (key.accountId) conds.push(['account_id', key.accountId]);
  if (key.identity) conds.push(['identity', key.identity]);
  if (!conds.length) return false;
  const row = await db
    .selectFrom('comment')
    .select('id')
    .where('status', '=', 'approved')
    .where((eb) => eb.or(conds.map(([col, v]) => eb(col, '=', v))))
    .limit(1)
    .executeTakeFirst();
  return !!row;
}

/**
 * Takes a comment from a reader: sanitises it, refuses duplicates, holds first-timers and link-heavy
 * comments for moderation (mailing the coordinators), and approves the rest.
 */
export async function submitComment(
  db: Db,
  mail: MailContext,
  postId: string,
  who: Commenter,
  raw: CommentInput,
  now = new Date(),
): Promise<Submitted> {
  // NUL cannot be stored in PostgreSQL text; browsers show it as U+FFFD anyway.
  const input = {
    ...raw,
    body: raw.body.replace(/\u0000/g, '\uFFFD'),
    name: raw.name.replace(/\u0000/g, '\uFFFD'),
  };
  const post = await postWithSeries(db, postId);
  if (!isVisible(post)) throw notFound('This post', 'postId');
  let accountId: string | null = null;
  let identity: string | null = null;
  let name = input.name;
  let email: string | null = input.email ? input.email.toLowerCase() : null;
  let moderator = false;
  if (who.type === 'account') {
    accountId = who.actor.accountId;
    name = who.actor.name;
    email = who.actor.email.toLowerCase();
    moderator = canManageSeries(who.actor, post.series_id);
  } else if (who.type === 'reader') {
    identity = who.identity;
    name = who.name;
    email = who.email?.toLowerCase() ?? email;
  } else {
    if (!name) throw invalid('required', 'Please give your name.', 'name');
    if (!email) throw invalid('required', 'Please give your e-mail address (it is not shown).', 'email');
  }
  let parentId: string | null = null;
  if (input.parentId) {
    const parent = await db
      .selectFrom('comment')
      .select(['id', 'post_id', 'status'])
      .where('id', '=', input.parentId)
      .executeTakeFirst();
    if (!parent || parent.post_id !== postId || parent.status !== 'approved')
      throw notFound('The comment you reply to', 'parentId');
    parentId = parent.id;
  }
  const bodyHtml = renderCommentMarkdown(input.body);
  if (!bodyHtml.replace(/<[^>]*>/g, '').trim())
    throw invalid('empty_comment', 'This comment has no text left once unsafe markup is removed.', 'body');
  const bodyHash = sha256(input.body.replace(/\s+/g, ' ').trim().toLowerCase());

  const since = new Date(now.getTime() - DUPLICATE_WINDOW_MS).toISOString();
  const dup = await db
    .selectFrom('comment')
    .select('id')
    .where('body_hash', '=', bodyHash)
    .where('created_at', '>=', since)
    .where((eb) =>
      accountId
        ? eb('account_id', '=', accountId)
        : identity
          ? eb('identity', '=', identity)
          : eb('author_email', '=', email),
    )
    .executeTakeFirst();
  if (dup)
    throw conflict(
      'duplicate_comment',
      'You already sent this comment a moment ago; it is there or waiting for moderation.',
      'body',
    );

  let status: Submitted['status'] = 'approved';
  let heldReason: string | null = null;
  if (input.homepage) {
    status = 'spam';
    heldReason = 'honeypot';
  } else if (!moderator) {
    if (countLinks(bodyHtml) >= 2) heldReason = 'links';
    // Trust comes from a proven identity only (an account or a signed-in reader). An e-mail typed into
    // the form proves nothing: it never skips moderation, so the answer to an anonymous comment is the
    // same whichever address it gives and reveals nothing about who has commented before.
    else if (who.type === 'guest') heldReason = 'unverified';
    else if (!(await hasApprovedBefore(db, { accountId, identity }))) heldReason = 'first_comment';
    if (heldReason) status = 'pending';
  }
  const unsubscribe = input.notify && email ? newToken(24) : null;
  const id = newId();
  const at = now.toISOString();
  await db
    .insertInto('comment')
    .values({
      id,
      post_id: postId,
      parent_id: parentId,
      account_id: accountId,
      identity,
      author_name: name,
      author_email: email,
      author_website: input.website || null,
      body_md: input.body,
      body_html: bodyHtml,
      body_hash: bodyHash,
      status,
      held_reason: heldReason,
      notify_replies: unsubscribe ? 1 : 0,
      unsubscribe_token: unsubscribe,
      created_at: at,
      approved_at: status === 'approved' ? at : null,
    })
    .execute();
  if (status === 'pending')
    await mailModerators(db, mail, post, {
      id,
      author_name: name,
      author_email: email,
      body_html: bodyHtml,
      held_reason: heldReason,
    });
  if (status === 'approved') await notifyParent(db, mail, post, id);
  return { id, status, heldReason };
}

async function mailModerators(
  db: Db,
  mail: MailContext,
  post: PostRef,
  c: Pick<CommentTable, 'id' | 'author_name' | 'author_email' | 'body_html' | 'held_reason'>,
) {
  for (const { email, language } of await seriesModerators(db, post.series_id))
    await mail.mailer.send(db, {
      kind: 'comment_held',
      to: email,
      // The mail quotes the commenter: their export lists it and their erasure removes it.
      about: c.author_email,
      ...heldMail(mail.publicUrl, post, c, language),
    });
}

/** Tells the author of the parent comment about an approved reply, if they asked to hear about replies. */
async function notifyParent(db: Db, mail: MailContext, post: PostRef, replyId: string) {
  const reply = await db
    .selectFrom('comment')
    .selectAll()
    .where('id', '=', replyId)
    .executeTakeFirstOrThrow();
  if (!reply.parent_id) return;
  const parent = await db
    .selectFrom('comment')
    .selectAll()
    .where('id', '=', reply.parent_id)
    .executeTakeFirst();
  if (!parent || !parent.notify_replies || !parent.author_email || parent.author_email === reply.author_email)
    return;
  // The token only allows stopping these mails, so it is kept as is (no account behind it).
  let token = parent.unsubscribe_token;
  if (!token) {
    token = newToken(24);
    await db.updateTable('comment').set({ unsubscribe_token: token }).where('id', '=', parent.id).execute();
  }
  const m = replyMail(mail.publicUrl, post, parent, reply, token);
  await mail.mailer.send(db, {
    kind: 'comment_reply',
    to: parent.author_email,
    about: reply.author_email,
    ...m,
  });
}

/** A comment and its post, for a moderator of the post's series. */
async function moderatable(db: Db, actor: Actor | null, commentId: string) {
  const c = await db.selectFrom('comment').selectAll().where('id', '=', commentId).executeTakeFirst();
  if (!c) throw notFound('This comment', 'id');
  const post = await postWithSeries(db, c.post_id);
  authorize(
    actor,
    canManageSeries(actor, post.series_id),
    'Only the coordinators of this series moderate its comments.',
  );
  return { c, post };
}

/** Approve, mark as spam, or delete (a deleted comment with replies stays as a placeholder). */
export async function moderate(
  db: Db,
  mail: MailContext,
  actor: Actor | null,
  commentId: string,
  action: 'approve' | 'spam' | 'delete',
): Promise<{ postId: string; seriesId: string }> {
  const { c, post } = await moderatable(db, actor, commentId);
  if (action === 'approve') {
    if (c.status === 'deleted') throw conflict('comment_deleted', 'This comment was deleted.');
    const first = c.status !== 'approved';
    await db
      .updateTable('comment')
      .set({ status: 'approved', approved_at: c.approved_at ?? new Date().toISOString(), held_reason: null })
      .where('id', '=', c.id)
      .execute();
    if (first) await notifyParent(db, mail, post, c.id);
  } else if (action === 'spam') {
    await db.updateTable('comment').set({ status: 'spam' }).where('id', '=', c.id).execute();
  } else {
    await removeComment(db, c.id);
  }
  return { postId: post.id, seriesId: post.series_id };
}

async function removeComment(db: Db, id: string) {
  const child = await db
    .selectFrom('comment')
    .select('id')
    .where('parent_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  if (child) {
    await db
      .updateTable('comment')
      .set({
        status: 'deleted',
        author_name: '',
        author_email: null,
        author_website: null,
        account_id: null,
        identity: null,
        body_md: '',
        body_html: '',
        notify_replies: 0,
        unsubscribe_token: null,
      })
      .where('id', '=', id)
      .execute();
  } else {
    await db.deleteFrom('comment').where('id', '=', id).execute();
  }
}

/** A moderator's reply: approved at once, and the parent's author is told if they asked. */
export async function moderatorReply(
  db: Db,
  mail: MailContext,
  actor: Actor | null,
  commentId: string,
  body: string,
): Promise<Submitted & { postId: string; seriesId: string }> {
  const { c, post } = await moderatable(db, actor, commentId);
  if (c.status !== 'approved') {
    await db
      .updateTable('comment')
      .set({ status: 'approved', approved_at: new Date().toISOString(), held_reason: null })
      .where('id', '=', c.id)
      .execute();
  }
  const r = await submitComment(
    db,
    mail,
    post.id,
    { type: 'account', actor: actor! },
    { name: '', email: '', website: '', body, parentId: c.id, notify: false, homepage: '' },
  );
  return { ...r, postId: post.id, seriesId: post.series_id };
}

/** The moderation queue of a series: held comments first, then recent spam. */
export async function moderationQueue(
  db: Db,
  actor: Actor | null,
  seriesId: string,
  status: 'pending' | 'spam' | 'approved' = 'pending',
) {
  authorize(
    actor,
    canManageSeries(actor, seriesId),
    'Only the coordinators of this series moderate its comments.',
  );
  return db
    .selectFrom('comment')
    .innerJoin('post', 'post.id', 'comment.post_id')
    .selectAll('comment')
    .select(['post.title as post_title', 'post.slug as post_slug'])
    .where('post.series_id', '=', seriesId)
    .where('comment.status', '=', status)
    .orderBy('comment.created_at', 'desc')
    .limit(1000)
    .execute();
}

/** Approved (and placeholder) comments of a post, oldest first, for threading. */
export async function publicComments(db: Db, postId: string) {
  return db
    .selectFrom('comment')
    .select(['id', 'parent_id', 'author_name', 'author_website', 'body_html', 'status', 'created_at'])
    .where('post_id', '=', postId)
    .where('status', 'in', ['approved', 'deleted'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** An approved comment, to quote above the reply form; none when it is not approved (or not there). */
export async function approvedComment(db: Db, id: string) {
  const c = await db
    .selectFrom('comment')
    .select(['id', 'parent_id', 'author_name', 'author_website', 'body_html', 'status', 'created_at'])
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return c ?? null;
}

/** The series a comment's post belongs to (for authorising moderation); 404 when there is no such comment. */
export async function seriesOfComment(db: Db, id: string): Promise<string> {
  const r = await db
    .selectFrom('comment')
    .innerJoin('post', 'post.id', 'comment.post_id')
    .select('post.series_id')
    .where('comment.id', '=', id)
    .executeTakeFirst();
  if (!r) throw notFound('This comment');
  return r.series_id;
}

/** One-click unsubscribe: stops reply mails for every comment of that address. */
/** Whether an unsubscribe token still belongs to a comment (read only: the page that shows the button). */
export async function unsubscribeTokenKnown(db: Db, token: string): Promise<boolean> {
  if (!token) return false;
  return !!(await db
    .selectFrom('comment')
    .select('id')
    .where('unsubscribe_token', '=', token)
    .executeTakeFirst());
}

export async function unsubscribe(db: Db, token: string): Promise<boolean> {
  const c = await db
    .selectFrom('comment')
    .select(['id', 'author_email'])
    .where('unsubscribe_token', '=', token)
    .executeTakeFirst();
  if (!c) return false;
  if (c.author_email)
    await db
      .updateTable('comment')
      .set({ notify_replies: 0, unsubscribe_token: null })
      .where('author_email', '=', c.author_email)
      .execute();
  else
    await db
      .updateTable('comment')
      .set({ notify_replies: 0, unsubscribe_token: null })
      .where('id', '=', c.id)
      .execute();
  return true;
}

/** Everything stored about a commenter, by e-mail (for the privacy module's data export). */
export async function exportCommenter(db: Db, email: string) {
  const rows = await db
    .selectFrom('comment')
    .innerJoin('post', 'post.id', 'comment.post_id')
    .select([
      'comment.id',
      'comment.author_name',
      'comment.author_email',
      'comment.author_website',
      'comment.body_md',
      'comment.status',
      'comment.created_at',
      'comment.notify_replies',
      'post.title as post_title',
      'post.slug as post_slug',
    ])
    .where('comment.author_email', '=', email.toLowerCase())
    .orderBy('comment.created_at')
    .execute();
  return {
    email: email.toLowerCase(),
    comments: rows.map((r) => ({
      id: r.id,
      post: r.post_title,
      postSlug: r.post_slug,
      name: r.author_name,
      website: r.author_website,
      body: r.body_md,
      status: r.status,
      createdAt: r.created_at,
      replyNotifications: !!r.notify_replies,
    })),
    // Held-comment mails to the coordinators and reply mails quote the commenter.
    mailsAboutYou: await mailsAbout(db, email),
  };
}

/** Erases a commenter: comments without replies are deleted, the others become anonymous placeholders. */
export async function eraseCommenter(
  db: Db,
  email: string,
): Promise<{ deleted: number; anonymised: number }> {
  const rows = await db
    .selectFrom('comment')
    .select('id')
    .where('author_email', '=', email.toLowerCase())
    .orderBy('created_at', 'desc')
    .execute();
  let deleted = 0;
  let anonymised = 0;
  for (const { id } of rows) {
    const child = await db
      .selectFrom('comment')
      .select('id')
      .where('parent_id', '=', id)
      .limit(1)
      .executeTakeFirst();
    if (child) anonymised++;
    else deleted++;
    await removeComment(db, id);
  }
  // Sign-in sessions of readers who used that address go too.
  await db.deleteFrom('reader_session').where('email', '=', email.toLowerCase()).execute();
  // So do the mails that quoted them to others (a held comment told to the coordinators, a reply).
  await eraseMailsAbout(db, email);
  return { deleted, anonymised };
}

export const RATE_LIMITED = (seconds: number) =>
  new AppError(
    429,
    'rate_limited',
    `You are commenting too fast. Please wait ${seconds} seconds and try again.`,
    undefined,
    { 'retry-after': String(seconds) },
  );
