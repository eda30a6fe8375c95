/**
 * Content people enter in several languages (region names, theme labels, prompt texts): the text
 * in its source language, plus a map of language code → translation. One resolution for all of it:
 * the reader's language when translated, else the source. Pure, so pages, exports and scripts share it.
 */
import { isLang, SUPPORTED, type Lang } from './i18n.ts';
import { envLimit, Lru } from './lru.ts';

/** Translations of one text, by language code. */
export type Translations = Record<string, string>;

/** What a reader gets: the text, the language it is in, and whether that is a fallback. */
export interface InLanguage {
  text: string;
  lang: string;
  fallback: boolean;
}

/** Reads a stored JSON map of translations; anything unreadable or empty counts as none. */
export function parseTranslations(json: string | null | undefined): Translations {
  if (!json) return {};
  // The same stored texts come back on every page (region names, theme labels): parsed once each.
  let known = parsed.get(json);
  if (!known) parsed.set(json, (known = Object.freeze(parseTranslationsOnce(json))));
  return known;
}

const parsed = new Lru<string, Translations>(envLimit('TRANSLATIONS_CACHE_ENTRIES', 5000));

function parseTranslationsOnce(json: string): Translations {
  try {
    const v: unknown = JSON.parse(json);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return cleanTranslations(v as Record<string, unknown>);
  } catch {
    return {};
  }
}

/** Keeps the non-empty, trimmed texts of known language codes (what a form or an API body gave). */
export function cleanTranslations(input: Record<string, unknown> | null | undefined): Translations {
  const out: Translations = {};
  for (const [lang, text] of Object.entries(input ?? {}))
    if (/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(lang) && typeof text === 'string' && text.trim())
      out[lang] = text.trim();
  return out;
}

/**
 * The text for a reader: the translation into `lang` (or its base language, "fr" for "fr-CA"),
 * else the source text in its own language, marked as a fallback.
 */
export function inLanguage(
  source: { text: string; lang: string },
  translations: Translations | undefined,
  lang: string,
): InLanguage {
  const base = lang.toLowerCase().split('-')[0];
  const own = translations?.[lang]?.trim() || translations?.[base]?.trim();
  if (own) return { text: own, lang, fallback: false };
  const sameAsSource = source.lang.toLowerCase().split('-')[0] === base;
  return { text: source.text, lang: source.lang, fallback: !sameAsSource };
}

/** The translation in `lang`, else the source text (the plain-string form of `inLanguage`). */
export const translate = (source: string, translations: Translations | undefined, lang: string): string =>
  inLanguage({ text: source, lang: '' }, translations, lang).text;

/** A series' languages, from its stored JSON text or a list. */
function languageList(languages: readonly string[] | string | null | undefined): string[] {
  if (Array.isArray(languages)) return languages.filter((l): l is string => typeof l === 'string');
  if (typeof languages !== 'string') return [];
  try {
    const v: unknown = JSON.parse(languages);
    return Array.isArray(v) ? v.filter((l): l is string => typeof l === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * A series' source language for the content it enters: its first language when Colloquy speaks it,
 * else English.
 */
export function sourceLanguage(seriesLanguages: readonly string[] | string | null | undefined): Lang {
  return languageList(seriesLanguages).find(isLang) ?? 'en';
}

/** The languages a translation form offers: every supported language but the source, series' first. */
export function translationLanguages(
  source: string,
  seriesLanguages: readonly string[] | string | null | undefined = [],
): Lang[] {
  const list = languageList(seriesLanguages);
  const own = SUPPORTED.filter((l) => list.includes(l));
  return [...own, ...SUPPORTED.filter((l) => !own.includes(l))].filter((l) => l !== source);
}
