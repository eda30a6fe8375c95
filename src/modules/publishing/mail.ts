import { html, raw } from '../../lib/html.ts';
import type { CommentTable } from './publishing.tables.ts';
import { plainText } from './markdown.ts';
import { dirOf, toLang } from '../../lib/i18n.ts';
import { messages } from './messages/index.ts';

interface PostLike {
  title: string;
  slug: string;
  series_slug: string;
  series_id: string;
  /** The post's language: a reply mail is written in it. */
  language?: string;
}
type C = Pick<CommentTable, 'id' | 'author_name' | 'body_html'>;

const wrap = (body: ReturnType<typeof html>, lang = 'en') =>
  html`<!doctype html><html lang="${lang}" dir="${dirOf(lang)}"><head><meta charset="utf-8"><title>Colloquy</title></head><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1b1f24">${body}</body></html>`.toString();

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

/** The mail to a commenter who asked to hear about replies, in the post's language, with a one-click unsubscribe link. */
export function replyMail(publicUrl: string, post: PostLike, parent: C, reply: C, token: string) {
  const url = `${publicUrl}/series/${post.series_slug}/posts/${post.slug}#c-${reply.id}`;
  const unsub = `${publicUrl}/comments/unsubscribe?token=${encodeURIComponent(token)}`;
  const lang = toLang(post.language);
  const t = messages.t(lang);
  const intro = t('mail.reply.subject', { name: reply.author_name, title: post.title });
  return {
    subject: intro,
    text: `${intro}:\n\n${plainText(reply.body_html)}\n\n${t('mail.reply.read')} ${url}\n\n${t('mail.reply.stop')}: ${unsub}\n`,
    html: wrap(
      html`<p>${intro}:</p><blockquote>${htmlOf(reply.body_html)}</blockquote>
<p><a href="${url}">${t('mail.reply.readLink')}</a></p><p style="font-size:.9em;color:#57606a">${t('mail.reply.why')} <a href="${unsub}">${t('mail.reply.stop')}</a> ${t('mail.reply.oneClick')}</p>`,
      lang,
    ),
  };
}

// Comment HTML was sanitised with the allow-list when it was saved.
const htmlOf = (s: string) => raw(s);
