import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../../lib/html.ts';

// Raw HTML inside Markdown is never passed through: it is shown as text. The sanitiser is the
// second wall, with an allow-list, in case Markdown itself produces something unexpected.
const markdown = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
  },
});

const SCHEMES = ['http', 'https', 'mailto'];

const POST_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'h2', 'h3', 'h4', 'h5', 'em', 'strong', 'del', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'hr', 'br', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'], th: ['align'], td: ['align'], ol: ['start'] },
  allowedSchemes: SCHEMES,
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    h1: 'h2',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener' } }),
  },
};
POST_OPTIONS.allowedAttributes = { ...POST_OPTIONS.allowedAttributes, a: ['href', 'title', 'rel'] };

const COMMENT_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'em', 'strong', 'del', 'a', 'ul', 'ol', 'li', 'blockquote', 'code', 'pre', 'br'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: SCHEMES,
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { href: attribs.href ?? '', rel: 'nofollow ugc noopener' } }),
  },
};

function toHtml(md: string): string {
  return markdown.parse(md, { async: false });
}

/** A post's body: Markdown to HTML, then an allow-list sanitiser (no script, style, handlers or javascript: links). */
export function renderPostMarkdown(md: string): string {
  return sanitizeHtml(toHtml(md), POST_OPTIONS);
}

/** A comment's body: the Markdown subset (emphasis, links, code, lists, quotes), sanitised; links get nofollow ugc. */
export function renderCommentMarkdown(md: string): string {
  return sanitizeHtml(toHtml(md), COMMENT_OPTIONS);
}

/** How many links a rendered comment carries (two or more holds it for moderation). */
export function countLinks(renderedHtml: string): number {
  return (renderedHtml.match(/<a\s/g) ?? []).length;
}

/** Plain text of rendered HTML, for feeds' descriptions and e-mail text parts. */
export function plainText(renderedHtml: string): string {
  return sanitizeHtml(renderedHtml, { allowedTags: [], allowedAttributes: {} }).replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim();
}
