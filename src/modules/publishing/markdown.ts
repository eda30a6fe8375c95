import { Marked, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { AppError } from '../../lib/errors.ts';
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
  allowedTags: [
    'p',
    'h2',
    'h3',
    'h4',
    'h5',
    'em',
    'strong',
    'del',
    'a',
    'ul',
    'ol',
    'li',
    'blockquote',
    'code',
    'pre',
    'hr',
    'br',
    'img',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
  },
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
    a: (tagName, attribs) => ({
      tagName,
      attribs: { href: attribs.href ?? '', rel: 'nofollow ugc noopener' },
    }),
  },
};

/** Deeper than this, quotes and lists are refused: the Markdown parser recurses once per level. */
export const MARKDOWN_MAX_DEPTH = 20;
// Longer runs of emphasis marks make the inline parser backtrack and recurse for seconds.
const MAX_DELIMITER_RUN = 40;
const CONTAINER = /^[ \t]*(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?/;

const tooComplex = (field?: string) =>
  new AppError(
    422,
    'markdown_too_deep',
    `This text nests quotes, lists or emphasis more than ${MARKDOWN_MAX_DEPTH} levels deep. Please simplify it.`,
    field,
  );

/** Refuses Markdown nested deeper than the parser can take in bounded time and stack (linear scan). */
export function checkMarkdownDepth(md: string, field?: string): void {
  let fenced = false;
  for (const line of md.split('\n')) {
    if (/^[ \t]{0,3}(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    let rest = line;
    let depth = 0;
    for (let m = CONTAINER.exec(rest); m !== null && depth <= MARKDOWN_MAX_DEPTH; m = CONTAINER.exec(rest)) {
      // Each marker opens a level, and so does every two columns of indentation before it.
      depth += 1 + Math.floor((m[0].length - m[0].trimStart().length) / 2);
      rest = rest.slice(m[0].length);
    }
    if (depth > MARKDOWN_MAX_DEPTH) throw tooComplex(field);
  }
  let run = 0;
  let prev = '';
  for (const c of md) {
    run = (c === '*' || c === '_') && c === prev ? run + 1 : 1;
    prev = c;
    if ((c === '*' || c === '_') && run > MAX_DELIMITER_RUN) throw tooComplex(field);
  }
}

function toHtml(md: string, field: string): string {
  checkMarkdownDepth(md, field);
  try {
    return markdown.parse(md, { async: false });
  } catch (e) {
    // A second wall: whatever slips past the depth check must not become a 500.
    if (e instanceof RangeError) throw tooComplex(field);
    throw e;
  }
}

/** A post's body: Markdown to HTML, then an allow-list sanitiser (no script, style, handlers or javascript: links). */
export function renderPostMarkdown(md: string): string {
  return sanitizeHtml(toHtml(md, 'bodyMd'), POST_OPTIONS);
}

/** A comment's body: the Markdown subset (emphasis, links, code, lists, quotes), sanitised; links get nofollow ugc. */
export function renderCommentMarkdown(md: string): string {
  return sanitizeHtml(toHtml(md, 'body'), COMMENT_OPTIONS);
}

/** How many links a rendered comment carries (two or more holds it for moderation). */
export function countLinks(renderedHtml: string): number {
  return (renderedHtml.match(/<a\s/g) ?? []).length;
}

/** Plain text of rendered HTML, for feeds' descriptions and e-mail text parts. */
export function plainText(renderedHtml: string): string {
  return sanitizeHtml(renderedHtml, { allowedTags: [], allowedAttributes: {} })
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}
