/** RSS 2.0 and Atom writers: every value XML-escaped, every link absolute. */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../../lib/html.ts';

const XML_ESC: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
// Characters XML 1.0 forbids are dropped rather than escaped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML content and attributes. */
export function xml(s: string): string {
  return s.replace(INVALID_XML, '').replace(/[&<>"']/g, (c) => XML_ESC[c]);
}

const langAttr = (lang: string | undefined) => (lang ? ` xml:lang="${xml(lang)}"` : '');

/**
 * RSS `<description>` is HTML by convention: readers decode the XML and then render the result as
 * markup. Plain text is therefore HTML-escaped before it is XML-escaped, so `<script>` reaches the
 * reader as the text "<script>", never as an element.
 */
export function rssText(s: string): string {
  return xml(escapeHtml(s.replace(INVALID_XML, '')));
}

export interface FeedItem {
  id: string;
  title: string;
  url: string;
  author: string;
  published: string;
  updated: string;
  summary: string;
  html: string;
  /** The entry's language (BCP 47), written as xml:lang: translations differ from the feed's. */
  language?: string;
  /** Tags, written as categories. */
  categories?: string[];
}

export interface Feed {
  title: string;
  description: string;
  /** The HTML page the feed belongs to. */
  siteUrl: string;
  rssUrl: string;
  atomUrl: string;
  language: string;
  updated: string;
  items: FeedItem[];
}

/** RSS 2.0 with atom:link self, content:encoded for the full HTML. */
export function rss(f: Feed): string {
  const items = f.items
    .map(
      (i) => `<item${langAttr(i.language)}>
<title>${xml(i.title)}</title>
<link>${xml(i.url)}</link>
<guid isPermaLink="false">${xml(i.id)}</guid>
<pubDate>${new Date(i.published).toUTCString()}</pubDate>
<dc:creator>${xml(i.author)}</dc:creator>
<description>${rssText(i.summary)}</description>
<content:encoded>${xml(i.html)}</content:encoded>${(i.categories ?? []).map((c) => `\n<category>${xml(c)}</category>`).join('')}
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>${xml(f.title)}</title>
<link>${xml(f.siteUrl)}</link>
<description>${rssText(f.description)}</description>
<language>${xml(f.language)}</language>
<lastBuildDate>${new Date(f.updated).toUTCString()}</lastBuildDate>
<atom:link href="${xml(f.rssUrl)}" rel="self" type="application/rss+xml"/>
${items}
</channel>
</rss>
`;
}

/** Atom 1.0 (RFC 4287). */
export function atom(f: Feed): string {
  const entries = f.items
    .map(
      (i) => `<entry${langAttr(i.language)}>
<title type="text">${xml(i.title)}</title>
<link rel="alternate" type="text/html" href="${xml(i.url)}"/>
<id>urn:uuid:${xml(i.id)}</id>
<published>${xml(i.published)}</published>
<updated>${xml(i.updated)}</updated>
<author><name>${xml(i.author || 'Colloquy')}</name></author>
<summary type="text">${xml(i.summary)}</summary>
<content type="html">${xml(i.html)}</content>${(i.categories ?? []).map((c) => `\n<category term="${xml(c)}"/>`).join('')}
</entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xml(f.language)}">
<title type="text">${xml(f.title)}</title>
<subtitle type="text">${xml(f.description)}</subtitle>
<link rel="alternate" type="text/html" href="${xml(f.siteUrl)}"/>
<link rel="self" type="application/atom+xml" href="${xml(f.atomUrl)}"/>
<id>${xml(f.atomUrl)}</id>
<updated>${xml(f.updated)}</updated>
${entries}
</feed>
`;
}

/** A strong validator of a feed body: the same bytes give the same ETag in every process. */
export function feedEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether a conditional GET may be answered 304 (RFC 9110 §13.1): If-None-Match wins when present;
 * otherwise If-Modified-Since at or after the last change (whole seconds, as HTTP dates carry).
 */
export function notModified(
  headers: { 'if-none-match'?: string; 'if-modified-since'?: string },
  etag: string,
  lastModified: Date,
): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    return inm
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .some((t) => t === '*' || t === etag);
  }
  const ims = headers['if-modified-since'];
  if (!ims) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}
