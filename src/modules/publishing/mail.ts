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

/**
 * The mail to a coordinator when a comment is held for moderation, in the coordinator's language (the
 * comment's HTML is already sanitised).
 */
export function heldMail(
  publicUrl: string,
  post: PostLike,
  c: C & { held_reason: string | null },
  language?: string | null,
) {
  const queue = `${publicUrl}/console/series/${post.series_id}/comments`;
  const lang = toLang(language ?? undefined);
  const t = messages.t(lang);
  const why = t('mail.held.why', { reason: c.held_reason ?? 'first' });
  const wrote = t('mail.held.wrote', { name: c.author_name, title: post.title });
  return {
    subject: t('mail.held.subject', { title: post.title }),
    text: `${wrote}\n\n${plainText(c.body_html)}\n\n${why}\n${t('mail.held.actions')}: ${queue}\n`,
    html: wrap(
      html`<p>${wrote}</p><blockquote>${htmlOf(c.body_html)}</blockquote>
<p>${why}</p><p><a href="${queue}">${t('mail.held.open')}</a></p>`,
      lang,
    ),
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
    // List-Unsubscribe and List-Unsubscribe-Post (RFC 8058): mail clients offer their own button.
    unsubscribeUrl: unsub,
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
