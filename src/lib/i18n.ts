/**
 * Messages in seven languages through ICU MessageFormat (intl-messageformat).
 *
 * HOW TO USE (for everyone adding user-visible text):
 *   1. Put the English text in your module's `messages/en.json` (flat keys, e.g. "series.new.title"),
 *      and the same key in ar/de/es/fr/ru/zh.json (`src/lib/i18n.test.ts` fails when one is missing,
 *      has extra keys, uses other {placeholders} than English, or does not compile).
 *      ICU syntax: "Hello {name}", "{count, plural, one {# answer} other {# answers}}",
 *      "{kind, select, poll {Poll} other {Question}}". Numbers/dates: pass them, format with `fmt()`.
 *   2. A module with no catalogue yet copies `src/server/messages/index.ts` into `messages/index.ts`.
 *   3. In a route or page: `const t = messages.t(req.lang)` then `t('series.new.title', { name })`.
 *      Keys are typed from en.json, so a typo fails `tsc`. A message missing in a language falls
 *      back to English, never to the key. `page(req, …)` already takes `<html lang dir>` from req.lang.
 *   4. Shared words (Save, Cancel, nav, errors) live in `src/server/messages` (`shell.t(req.lang)`).
 *   5. Dates, times, ranges, numbers: `fmt(req.lang)` from `src/lib/format.ts` (never hand-build them).
 *   6. Mark user content (names, titles people typed) with `data-user-content` or `lang` of its own
 *      so the seven-language browser sweep does not mistake it for untranslated chrome.
 */
import { IntlMessageFormat } from 'intl-messageformat';

export const SUPPORTED = ['ar', 'zh', 'en', 'fr', 'de', 'ru', 'es'] as const;
export type Lang = (typeof SUPPORTED)[number];

/** Each language's own name, for pickers (a reader finds their language in its own script). */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  ru: 'Русский',
  es: 'Español',
};

/** The cookie that remembers an explicit language choice (`?lang=`, the account page). */
export const LANG_COOKIE = 'colloquy_lang';

export const isLang = (x: unknown): x is Lang =>
  typeof x === 'string' && (SUPPORTED as readonly string[]).includes(x);

export const dirOf = (lang: string): 'rtl' | 'ltr' => (/^(ar|he|fa|ur)(-|$)/.test(lang) ? 'rtl' : 'ltr');

/** The best supported language for an Accept-Language header (or an explicit choice). */
export function pickLanguage(
  accept: string | undefined,
  supported: readonly string[] = SUPPORTED,
  fallback = 'en',
): string {
  if (!accept) return fallback;
  // Every request asks (live answers at a thousand a second), and phones send a handful of
  // distinct headers: the answer for the default languages is remembered per header.
  const cacheable = supported === SUPPORTED && fallback === 'en' && accept.length <= 200;
  if (cacheable) {
    const hit = acceptCache.get(accept);
    if (hit) return hit;
  }
  const picked = pickFrom(accept, supported, fallback);
  if (cacheable) {
    if (acceptCache.size >= 1000) acceptCache.clear();
    acceptCache.set(accept, picked);
  }
  return picked;
}
const acceptCache = new Map<string, string>();

function pickFrom(accept: string, supported: readonly string[], fallback: string): string {
  const wanted = accept
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q) && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    if (supported.includes(tag)) return tag;
    const base = tag.split('-')[0];
    if (supported.includes(base)) return base;
  }
  return fallback;
}

/**
 * The language of a request, in order: an explicit `?lang=`, the remembered choice (cookie),
 * the account's own setting, then Accept-Language.
 */
export function resolveLanguage(input: {
  query?: unknown;
  cookie?: string;
  account?: string | null;
  accept?: string;
}): Lang {
  if (isLang(input.query)) return input.query;
  if (isLang(input.cookie)) return input.cookie;
  if (isLang(input.account)) return input.account;
  return pickLanguage(input.accept) as Lang;
}

/** Values a message may take. */
export type MessageValues = Record<string, string | number | Date | null | undefined>;

/** A translate function for one language with keys typed from the English catalogue. */
export type Translator<K extends string = string> = ((key: K, values?: MessageValues) => string) & {
  readonly lang: Lang;
};

type Flat = Record<string, string>;

/** Every catalogue defined in the process (the completeness test also reads the files directly). */
export const REGISTRY = new Map<string, MessageCatalogue<string>>();

/** One module's messages in the seven languages, compiled on first use and cached. */
export interface MessageCatalogue<K extends string> {
  readonly name: string;
  readonly keys: readonly K[];
  /** The translator for a language (anything unsupported falls back to English). */
  t(lang: string | undefined): Translator<K>;
  /** The raw ICU text of a key in a language (English when missing), e.g. for client-side strings. */
  raw(lang: string, key: K): string;
  /** Every message of a language, English filling the gaps (to hand a script its strings). */
  table(lang: string): Record<K, string>;
  /** True when the key exists (for keys built at run time, such as error codes). */
  has(key: string): key is K;
  /** For keys built at run time (`kind_${kind}`): the message, or null when there is no such key. */
  lookup(lang: string | undefined, key: string, values?: MessageValues): string | null;
}

const icuCache = new Map<string, IntlMessageFormat>();

/**
 * Formats one ICU message (cached by text and language). For browser scripts that receive a
 * resolved table from the server; server code uses a catalogue's `t()`.
 */
export function formatIcu(text: string, lang: string, values: MessageValues = {}): string {
  const id = `${lang}\u0000${text}`;
  let m = icuCache.get(id);
  if (!m) {
    if (icuCache.size > 5000) icuCache.clear(); // texts are a fixed set; this only bounds a mistake
    m = new IntlMessageFormat(text, lang, undefined, { ignoreTag: true });
    icuCache.set(id, m);
  }
  const out = m.format(values);
  return typeof out === 'string' ? out : String(out);
}

/** A supported language for any tag ("fr-CA" → "fr", unknown → "en"). */
export const toLang = (lang: string | undefined): Lang => {
  const base = (lang ?? 'en').toLowerCase().split('-')[0];
  return isLang(base) ? base : 'en';
};

/**
 * Defines a module's catalogue from its JSON files: `defineCatalogue('live', { en, ar, … })`.
 * Keys come from the English file's type, so `t('no.such.key')` does not compile.
 */
export function defineCatalogue<E extends Flat>(
  name: string,
  files: { en: E } & Record<Exclude<Lang, 'en'>, Flat>,
): MessageCatalogue<Extract<keyof E, string>> {
  type K = Extract<keyof E, string>;
  // A message without ICU syntax ({…}, quotes) is its own output and is kept as text: formatting it
  // through IntlMessageFormat cost a public page more than all its other messages together.
  const compiled = new Map<string, IntlMessageFormat | string>();
  const translators = new Map<Lang, Translator<K>>();
  const all = files as Record<Lang, Flat>;

  const compile = (lang: Lang, key: string): IntlMessageFormat | string | null => {
    const id = `${lang}\u0000${key}`;
    let m = compiled.get(id);
    if (m === undefined) {
      const text = all[lang]?.[key];
      if (text === undefined) return null;
      // ignoreTag: messages are plain text that the HTML templates escape; "<" is just a character.
      m = /[{}']/.test(text) ? new IntlMessageFormat(text, lang, undefined, { ignoreTag: true }) : text;
      compiled.set(id, m);
    }
    return m;
  };

  const format = (lang: Lang, key: string, values: MessageValues | undefined): string | null => {
    try {
      const m = compile(lang, key);
      if (m === null || typeof m === 'string') return m;
      const out = m.format(values);
      return typeof out === 'string' ? out : String(out);
    } catch {
      return null; // a broken translation or a missing value: English is better than nothing
    }
  };

  const cat: MessageCatalogue<K> = {
    name,
    keys: Object.keys(files.en) as K[],
    t(langIn) {
      const lang = toLang(langIn);
      let tr = translators.get(lang);
      if (!tr) {
        const fn = (key: K, values?: MessageValues) =>
          format(lang, key, values) ?? format('en', key, values) ?? files.en[key] ?? '';
        tr = Object.assign(fn, { lang });
        translators.set(lang, tr);
      }
      return tr;
    },
    has(key: string): key is K {
      return Object.prototype.hasOwnProperty.call(files.en, key);
    },
    table(langIn) {
      return { ...files.en, ...all[toLang(langIn)] };
    },
    lookup(langIn, key, values) {
      return cat.has(key) ? cat.t(langIn)(key, values) : null;
    },
    raw(langIn, key) {
      return all[toLang(langIn)]?.[key] ?? files.en[key];
    },
  };
  REGISTRY.set(name, cat as unknown as MessageCatalogue<string>);
  return cat;
}
