import { html, raw } from '../../lib/html.ts';
import type { CommentTable } from './publishing.tables.ts';
import { plainText } from './markdown.ts';

interface PostLike {
  title: string;
  slug: string;
  series_slug: string;
  series_id: string;
}
type C = Pick<CommentTable, 'id' | 'author_name' | 'body_html'>;

const wrap = (body: ReturnType<typeof html>) =>
  html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Colloquy</title></head><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1b1f24">${body}</body></html>`.toString();

/** The mail to coordinators when a comment is held for moderation (the comment's HTML is already sanitised). */
export function heldMail(publicUrl: string, post: PostLike, c: C & { held_reason: string | null }) {
  const queue = `${publicUrl}/console/series/${post.series_id}/comments`;
  const why =
    c.held_reason === 'links'
      ? 'it has two or more links'
      : c.held_reason === 'unverified'
        ? 'the writer is not signed in (an e-mail address typed into the form proves nothing)'
        : 'it is the first comment of this person';
  return {
    subject: `A comment on "${post.title}" is waiting for moderation`,
    text: `${c.author_name} wrote on "${post.title}":\n\n${plainText(c.body_html)}\n\nIt is held because ${why}.\nApprove, mark as spam, delete or reply: ${queue}\n`,
    html: wrap(html`<p><strong>${c.author_name}</strong> wrote on “${post.title}”:</p><blockquote>${htmlOf(c.body_html)}</blockquote>
<p>It is held because ${why}.</p><p><a href="${queue}">Open the moderation queue</a> to approve, mark as spam, delete or reply.</p>`),
  };
}

/** The mail to a commenter who asked to hear about replies, with a one-click unsubscribe link. */
export function replyMail(publicUrl: string, post: PostLike, parent: C, reply: C, token: string) {
  const url = `${publicUrl}/series/${post.series_slug}/posts/${post.slug}#c-${reply.id}`;
  const unsub = `${publicUrl}/comments/unsubscribe?token=${encodeURIComponent(token)}`;
  return {
    subject: `${reply.author_name} replied to your comment on "${post.title}"`,
    text: `${reply.author_name} replied to your comment on "${post.title}":\n\n${plainText(reply.body_html)}\n\nRead it: ${url}\n\nStop these e-mails: ${unsub}\n`,
    html: wrap(html`<p><strong>${reply.author_name}</strong> replied to your comment on “${post.title}”:</p><blockquote>${htmlOf(reply.body_html)}</blockquote>
<p><a href="${url}">Read the conversation</a></p><p style="font-size:.9em;color:#57606a">You receive this because you asked to hear about replies. <a href="${unsub}">Stop these e-mails</a> (one click).</p>`),
  };
}

// Comment HTML was sanitised with the allow-list when it was saved.
const htmlOf = (s: string) => raw(s);
