import { html, raw, safeUrl, type Html } from '../../lib/html.ts';
import { dirOf } from '../../lib/i18n.ts';
import type { PostRow } from './posts.service.ts';
import { postPath, publishedAt } from './posts.service.ts';
import { renderSnapshot, type Snapshot } from './snapshot.ts';
import { messages } from './messages/index.ts';
import { readerText, type ReaderText } from './publishing.i18n.ts';

/** Replaced per request in cached pages: the visitor's own CSRF token. */
export const CSRF_SLOT = '__COLLOQUY_CSRF_SLOT__';

export const PUBLISHING_CSS = `
article.post .meta{color:var(--muted);font-size:.95rem}.post img.cover{max-width:100%;height:auto;border-radius:8px}
.post-body img{max-width:100%;height:auto}.post-body pre{overflow:auto;background:var(--soft);padding:.6rem}
.findings blockquote,.comment blockquote{margin-block:.3rem;margin-inline:1rem 0;border-inline-start:3px solid var(--line);padding-inline-start:.6rem}
.quotes{list-style:none;padding-inline-start:0}.chart{margin:1rem 0}
.comments ol{list-style:none;padding-inline-start:0}.comments ol ol{padding-inline-start:1.2rem;border-inline-start:2px solid var(--line);margin-inline-start:.4rem}
.comment{margin:.8rem 0}.comment .who{font-weight:600}.comment time{color:var(--muted);font-weight:400}.comment .body{overflow-wrap:anywhere}
.langs a{margin-right:.6rem}.tags .badge{margin-right:.3rem}
@media print{.comments form,.comment-form,.reply-link,.feeds,nav,.skip{display:none!important}a{color:inherit;text-decoration:none}
article.post .post-body a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em}body{font-size:12pt}main{max-width:none}.card{border:0;padding:0}svg{max-width:100%}}
`;

export interface CommentView {
  id: string;
  parent_id: string | null;
  author_name: string;
  author_website: string | null;
  body_html: string;
  status: string;
  created_at: string;
}

const LANG_NAMES = new Intl.DisplayNames(['en'], { type: 'language' });
/** A language's own name ("français"), for links between translations. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? LANG_NAMES.of(code) ?? code;
  } catch {
    return code;
  }
}

/** The feeds every public page of a series advertises. */
export function seriesFeeds(seriesSlug: string, title: string) {
  return [
    { title: `${title} (RSS)`, href: `/series/${seriesSlug}/feed.rss`, type: 'application/rss+xml' as const },
    {
      title: `${title} (Atom)`,
      href: `/series/${seriesSlug}/feed.atom`,
      type: 'application/atom+xml' as const,
    },
  ];
}

const fmtDate = (iso: string | null, lang: string) => {
  if (!iso) return '';
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));
  } catch {
    return iso.slice(0, 10);
  }
};

/** Threads comments by parent; children of missing parents are shown at the top level. */
export function thread(comments: CommentView[], t: ReaderText = readerText('en')): Html {
  const byParent = new Map<string | null, CommentView[]>();
  const ids = new Set(comments.map((c) => c.id));
  for (const c of comments) {
    const key = c.parent_id && ids.has(c.parent_id) ? c.parent_id : null;
    const list = byParent.get(key) ?? [];
    list.push(c);
    byParent.set(key, list);
  }
  const level = (parent: string | null, depth: number): Html => {
    const list = byParent.get(parent);
    if (!list) return html``;
    return html`<ol>${list.map(
      (c) =>
        html`<li id="c-${c.id}" class="comment">${
          c.status === 'deleted'
            ? html`<p class="muted">${t('removed')}</p>`
            : html`<p class="who">${c.author_website ? html`<a href="${safeUrl(c.author_website)}" rel="nofollow ugc noopener">${c.author_name}</a>` : c.author_name} <time datetime="${c.created_at.slice(0, 10)}">${c.created_at.slice(0, 10)}</time></p>
<div class="body">${raw(c.body_html)}</div><a class="reply-link" href="?reply=${c.id}#comment-form">${t('reply')}</a>`
        }${level(c.id, depth + 1)}</li>`,
    )}</ol>`;
  };
  return level(null, 1);
}

export interface CommentFormState {
  who: { name: string; oidcProvider: string | null } | null;
  oidcLabel: string | null;
  replyTo: CommentView | null;
  values: Record<string, string>;
  errors: Record<string, string>;
  /** Catalogue keys of the message to show, if any. */
  notice: string | null;
  loginError: string | null;
}

function commentForm(action: string, s: CommentFormState, csrf: Html, t: ReaderText): Html {
  const v = s.values;
  const err = (k: string) => (s.errors[k] ? html`<p class="error" id="cf-${k}-err">${s.errors[k]}</p>` : '');
  const inv = (k: string) => (s.errors[k] ? raw(`aria-invalid="true" aria-describedby="cf-${k}-err"`) : '');
  return html`<form method="post" action="${action}" id="comment-form" class="comment-form card" novalidate>
<h3>${s.replyTo ? t('replyTo', { name: s.replyTo.author_name }) : t('leave')}</h3>
${s.notice ? html`<p class="notice" role="status">${messages.has(s.notice) ? t(s.notice) : s.notice}</p>` : ''}
${s.loginError ? html`<p class="alert" role="alert">${messages.has(s.loginError) ? t(s.loginError) : s.loginError}</p>` : ''}
${s.errors._form ? html`<p class="alert" role="alert">${s.errors._form}</p>` : ''}
${csrf}
${s.replyTo ? html`<input type="hidden" name="parentId" value="${s.replyTo.id}"><p class="muted">${t('replying')} <a href="?#comment-form">${t('newInstead')}</a></p>` : ''}
${
  s.who
    ? html`<p>${t('commentingAs')} <strong>${s.who.name}</strong> (${s.who.oidcProvider ? t('viaOidc', { provider: s.who.oidcProvider }) : t('viaAccount')}).</p>${s.who.oidcProvider ? html`<p><button type="submit" class="link" formaction="/comments/logout" formnovalidate name="return" value="${action.replace(/\/comments$/, '')}">${t('signOut')}</button></p>` : ''}`
    : html`
<div class="row"><div><label for="cf-name">${t('name')}</label><input id="cf-name" name="name" autocomplete="name" maxlength="80" required value="${v.name ?? ''}" ${inv('name')}>${err('name')}</div>
<div><label for="cf-email">${t('email')} <span class="hint">${t('notShown')}</span></label><input id="cf-email" name="email" type="email" autocomplete="email" maxlength="200" required value="${v.email ?? ''}" ${inv('email')}>${err('email')}</div></div>
<label for="cf-website">${t('website')} <span class="hint">${t('optional')}</span></label><input id="cf-website" name="website" type="url" autocomplete="url" maxlength="300" value="${v.website ?? ''}" ${inv('website')}>${err('website')}
${s.oidcLabel ? html`<p><a class="button secondary" href="${`/comments/login?return=${encodeURIComponent(action.replace(/\/comments$/, ''))}`}">${t('signIn', { provider: s.oidcLabel })}</a></p>` : ''}`
}
<div class="hp" aria-hidden="true"><label for="cf-homepage">Leave this empty</label><input id="cf-homepage" name="homepage" tabindex="-1" autocomplete="off"></div>
<label for="cf-body">${t('comment')} <span class="hint">${t('mdHint')}</span></label>
<textarea id="cf-body" name="body" maxlength="5000" required ${inv('body')}>${v.body ?? ''}</textarea>${err('body')}
<label style="font-weight:400"><input type="checkbox" name="notify" value="1" style="width:auto" ${v.notify ? raw('checked') : ''}> ${t('notify')}</label>
<p class="hint">${t('heldHint')}</p>
<button type="submit">${t('send')}</button>
</form>`;
}

export interface PostPageData {
  seriesSlug: string;
  seriesTitle: string;
  publicUrl: string;
  post: PostRow;
  translations: PostRow[];
  coverUrl: string | null;
  snapshot: Snapshot | null;
  comments: CommentView[];
  form: CommentFormState;
  csrf: Html;
}

/** The head of a post page: Open Graph, hreflang alternates, the comments feeds. */
export function postHead(d: PostPageData): Html {
  const url = `${d.publicUrl}${postPath(d.seriesSlug, d.post.slug)}`;
  const desc = d.post.summary || d.post.title;
  const feedTitle = readerText(d.post.language)('feed.comments.title', { title: d.post.title });
  return html`<link rel="canonical" href="${url}">
<meta property="og:type" content="article"><meta property="og:title" content="${d.post.title}"><meta property="og:description" content="${desc}">
<meta property="og:url" content="${url}"><meta property="og:site_name" content="${d.seriesTitle}"><meta property="og:locale" content="${d.post.language}">
${d.coverUrl ? html`<meta property="og:image" content="${d.publicUrl}${d.coverUrl}">` : ''}
${publishedAt(d.post) ? html`<meta property="article:published_time" content="${publishedAt(d.post) ?? ''}">` : ''}
${d.translations.map((t) => html`<link rel="alternate" hreflang="${t.language}" href="${d.publicUrl}${postPath(d.seriesSlug, t.slug)}">`)}
<link rel="alternate" type="application/rss+xml" title="${feedTitle} (RSS)" href="${postPath(d.seriesSlug, d.post.slug)}/comments.rss">
<link rel="alternate" type="application/atom+xml" title="${feedTitle} (Atom)" href="${postPath(d.seriesSlug, d.post.slug)}/comments.atom">
<style>${raw(PUBLISHING_CSS)}</style>`;
}

/** The body of a post page: article, findings, translations, threaded comments and the form. */
export function postBody(d: PostPageData): Html {
  const p = d.post;
  const tags = JSON.parse(p.tags) as string[];
  const others = d.translations.filter((t) => t.id !== p.id);
  const approved = d.comments.filter((c) => c.status === 'approved').length;
  const path = postPath(d.seriesSlug, p.slug);
  const t = readerText(p.language);
  return html`<nav class="no-print" aria-label="Breadcrumb"><a href="/series/${d.seriesSlug}">${d.seriesTitle}</a> › <a href="/series/${d.seriesSlug}/posts">Posts</a></nav>
<article class="post" lang="${p.language}" dir="${dirOf(p.language)}">
<h1>${p.title}</h1>
<p class="meta">${p.author_name ? html`${t('by', { name: p.author_name })} · ` : ''}${publishedAt(p) ? html`<time datetime="${publishedAt(p) ?? ''}">${fmtDate(publishedAt(p), p.language)}</time>` : html`<strong>${t('draft')}</strong>`}${p.status !== 'published' && p.status !== 'scheduled' ? ` · ${t('post.not_visible')}` : ''}</p>
${others.length ? html`<p class="langs">${t('alsoIn')} ${others.map((t) => html`<a href="${postPath(d.seriesSlug, t.slug)}" hreflang="${t.language}" lang="${t.language}">${languageName(t.language)}</a>`)}</p>` : ''}
${tags.length ? html`<p class="tags">${tags.map((t) => html`<span class="badge">${t}</span>`)}</p>` : ''}
${d.coverUrl ? html`<img class="cover" src="${d.coverUrl}" alt="">` : ''}
${p.summary ? html`<p><strong>${p.summary}</strong></p>` : ''}
<div class="post-body">${raw(p.body_html)}</div>
${d.snapshot ? renderSnapshot(d.snapshot, d.post.language) : ''}
</article>
<section class="comments" aria-labelledby="comments-h">
<h2 id="comments-h">${t('comments', { count: approved })}</h2>
<p class="feeds no-print muted">${t('follow')} <a href="${path}/comments.rss">RSS</a> · <a href="${path}/comments.atom">Atom</a></p>
${thread(d.comments, t)}
${commentForm(`${path}/comments`, d.form, d.csrf, t)}
</section>`;
}
