import type { FastifyRequest } from 'fastify';
import type { AppError } from '../lib/errors.ts';
import { html, raw, type Html } from '../lib/html.ts';
import { dirOf, isLang, LANGUAGE_NAMES, SUPPORTED } from '../lib/i18n.ts';
import { translateError } from './error-messages.ts';
import { messages as shell } from './messages/index.ts';

/** The hidden CSRF field every form carries. */
export function csrfField(req: FastifyRequest): Html {
  req.csrfUsed = true;
  return html`<input type="hidden" name="_csrf" value="${req.csrfToken}" />`;
}

const CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--accent:#0b5cad;--line:#d0d7de;--soft:#f6f8fa;--bad:#b3261e;--ok:#116329}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic","Noto Sans CJK SC",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:anywhere}
a{color:var(--accent)}header.site{display:flex;gap:.3rem 1rem;align-items:center;justify-content:space-between;flex-wrap:wrap;padding:.6rem 1rem;border-bottom:1px solid var(--line)}
header.site .brand{font-weight:700;text-decoration:none;color:var(--fg)}header.site nav{display:flex;gap:.8rem;align-items:center;flex-wrap:wrap}
.langs{display:flex;flex-wrap:wrap;gap:.1rem .6rem;list-style:none;margin:0;padding:0;font-size:.9rem}.langs a[aria-current]{color:var(--fg);font-weight:700;text-decoration:none}
main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.7rem;line-height:1.2}h2{font-size:1.3rem;margin-top:2rem}
.muted{color:var(--muted)}.card{border:1px solid var(--line);border-radius:8px;padding:1rem;margin:1rem 0}
.sessions{list-style:none;padding:0}.when{font-weight:600}.zone{color:var(--muted);font-size:.95rem}
table{border-collapse:collapse;width:100%}th,td{text-align:start;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.table-wrap,.table-scroll{overflow-x:auto;max-width:100%}.table-scroll th,.table-scroll td{overflow-wrap:break-word;hyphens:auto}
label{display:block;font-weight:600;margin-top:.8rem}input,select,textarea{font:inherit;padding:.45rem;border:1px solid #8c959f;border-radius:6px;width:100%;max-width:36rem;background:#fff;color:var(--fg)}
input[type=checkbox],input[type=radio]{width:auto}
textarea{min-height:6rem}button,.button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer;text-decoration:none;display:inline-block;margin-top:1rem}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}button.link{background:none;border:0;color:var(--accent);padding:0;margin:0;text-decoration:underline}
.error{color:var(--bad);font-weight:600;margin:.25rem 0}.notice{background:#ddf4ff;border:1px solid #54aeff;padding:.6rem 1rem;border-radius:6px}
.alert{background:#ffebe9;border:1px solid #ff8182;padding:.6rem 1rem;border-radius:6px}[aria-invalid=true]{border-color:var(--bad);outline:1px solid var(--bad)}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(15rem,100%),1fr));gap:.3rem 1rem}.row{display:flex;gap:1rem;flex-wrap:wrap;align-items:flex-end}
.row>*{flex:1 1 12rem;min-width:0}.row>button{flex:0 0 auto}.hint{font-weight:400;color:var(--muted);font-size:.9rem}.badge{display:inline-block;padding:0 .4rem;border:1px solid var(--line);border-radius:999px;font-size:.85rem;color:var(--muted)}
.untranslated{border-bottom:1px dashed #9a6700}
.visually-hidden,.skip:not(:focus){position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0}
.hp{position:absolute!important;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.skip:focus{position:absolute;inset-inline-start:1rem;top:.5rem;background:#fff;padding:.3rem;z-index:10}
@media print{header.site,.no-print{display:none}}
`;

export interface PageOptions {
  title: string;
  /**
   * Only for a page whose whole content has a language of its own (a post written in Arabic);
   * everything else takes the reader's language from the request (req.lang).
   */
  lang?: string;
  head?: Html;
  scripts?: string[];
  description?: string;
  /** Feeds advertised with <link rel="alternate"> (RSS/Atom), as feed readers expect. */
  feeds?: { title: string; href: string; type: 'application/rss+xml' | 'application/atom+xml' }[];
}

/** The address of the current page in another language (`?lang=` replaced, the rest kept). */
export function urlInLanguage(url: string, lang: string): string {
  const u = new URL(url, 'http://x');
  u.searchParams.set('lang', lang);
  return `${u.pathname}?${u.searchParams.toString()}`;
}

/** Links to this page in each language: works without JavaScript; the choice is remembered. */
export function languagePicker(req: FastifyRequest, current: string): Html {
  const t = shell.t(current);
  return html`<nav aria-label="${t('shell.language')}">
    <ul class="langs">
      ${SUPPORTED.map(
        (l) =>
          html`<li>
            <a
              href="${urlInLanguage(req.url, l)}"
              lang="${l}"
              hreflang="${l}"
              dir="${dirOf(l)}"
              ${l === current ? raw('aria-current="true"') : ''}
              >${LANGUAGE_NAMES[l]}</a
            >
          </li>`,
      )}
    </ul>
  </nav>`;
}

/** The shell every server-rendered page shares: skip link, header, language picker, main landmark. */
export function page(req: FastifyRequest, opts: PageOptions, body: Html): string {
  const actor = req.actor;
  const lang = opts.lang && isLang(opts.lang) ? opts.lang : (req.lang ?? 'en');
  const t = shell.t(lang);
  const nav = actor
    ? html`<a href="/console">${t('shell.console')}</a> <a href="/account">${t('shell.account')}</a>
        <form method="post" action="/logout" style="display:inline">
          ${csrfField(req)}<button class="link" type="submit">
            ${t('shell.logout')} (<span data-user-content>${actor.name}</span>)
          </button>
        </form>`
    : html`<a href="/login">${t('shell.login')}</a>`;
  return html`<!doctype html>
    <html lang="${lang}" dir="${dirOf(lang)}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${opts.title} · Colloquy</title>
        ${opts.description ? html`<meta name="description" content="${opts.description}" />` : ''}
        <style>
          ${raw(CSS)}
        </style>
        ${(opts.feeds ?? []).map((f) => html`<link rel="alternate" type="${f.type}" title="${f.title}" href="${f.href}" />`)}
        ${opts.head ?? ''}
      </head>
      <body>
        <a class="skip" href="#main">${t('shell.skip')}</a>
        <header class="site">
          <a class="brand" href="/" translate="no">Colloquy</a>
          <nav aria-label="${t('shell.site')}">${nav}</nav>
          ${languagePicker(req, lang)}
        </header>
        <main id="main">${body}</main>
        ${(opts.scripts ?? []).map((s) => html`<script type="module" src="${s}"></script>`)}
      </body>
    </html>`.toString();
}

/** The message of an error in the reader's language, by its stable code (the English text otherwise). */
export function errorMessage(lang: string, e: AppError): string {
  return translateError(lang, e);
}

export function errorPage(req: FastifyRequest, e: AppError): string {
  const t = shell.t(req.lang);
  const title =
    e.status === 404
      ? t('error.title.not_found')
      : e.status === 403 || e.status === 401
        ? t('error.title.not_allowed')
        : t('error.title.generic');
  return page(
    req,
    { title },
    html`<h1>${title}</h1>
      <p class="alert" role="alert">${errorMessage(req.lang, e)}</p>
      ${
        e.status === 401
          ? html`<p><a href="/login?next=${encodeURIComponent(req.url)}">${t('shell.login')}</a></p>`
          : html`<p><a href="/">${t('error.back')}</a></p>`
      }`,
  );
}

/** A labelled form field with its error next to it (and aria-describedby for screen readers). */
export function field(
  name: string,
  label: string,
  opts: {
    value?: string | number | null;
    type?: string;
    errors?: Record<string, string>;
    hint?: string;
    required?: boolean;
    textarea?: boolean;
    options?: { value: string; label: string }[];
    attrs?: Html;
    id?: string;
  } = {},
): Html {
  const id = opts.id ?? `f-${name}`;
  const err = opts.errors?.[name];
  const describedBy = [err ? `${id}-err` : '', opts.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  const common = html`id="${id}" name="${name}" ${opts.required ? raw('required') : ''}
  ${err ? raw('aria-invalid="true"') : ''} ${describedBy ? html`aria-describedby="${describedBy}"` : ''}
  ${opts.attrs ?? ''}`;
  const v = opts.value === null || opts.value === undefined ? '' : String(opts.value);
  let control: Html;
  if (opts.options) {
    control = html`<select ${common}>
      ${opts.options.map((o) => html`<option value="${o.value}" ${o.value === v ? raw('selected') : ''}>${o.label}</option>`)}
    </select>`;
  } else if (opts.textarea) {
    control = html`<textarea ${common}>${v}</textarea>`;
  } else {
    control = html`<input type="${opts.type ?? 'text'}" value="${v}" ${common} />`;
  }
  return html`<div class="field">
    <label for="${id}"
      >${label}${opts.hint ? html` <span class="hint" id="${id}-hint">${opts.hint}</span>` : ''}</label
    >${control}${err ? html`<p class="error" id="${id}-err">${err}</p>` : ''}
  </div>`;
}
