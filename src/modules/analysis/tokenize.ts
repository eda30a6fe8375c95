import * as snowball from 'snowball-stemmers';
import * as stopword from 'stopword';
import { languageInfo } from './languages.ts';

/** A word of a text with its verbatim offsets, normalised form, stem and stop-word flag. */
export interface Token {
  text: string;
  start: number;
  end: number;
  norm: string;
  stem: string;
  stop: boolean;
}

type Stemmer = { stem(word: string): string };
const stemmers = new Map<string, Stemmer | null>();
const stemCache = new Map<string, string>();
const stopSets = new Map<string, ReadonlySet<string>>();
const segmenters = new Map<string, Intl.Segmenter>();

function stemmerFor(lang: string): Stemmer | null {
  let s = stemmers.get(lang);
  if (s === undefined) {
    const algo = languageInfo(lang)?.stemmer;
    s = algo ? snowball.newStemmer(algo) : null;
    stemmers.set(lang, s);
  }
  return s;
}

/** The stop words of a language, normalised the way tokens are. */
export function stopWords(lang: string): ReadonlySet<string> {
  let set = stopSets.get(lang);
  if (!set) {
    const key = languageInfo(lang)?.stopwords;
    const list: unknown = key ? (stopword as Record<string, unknown>)[key] : undefined;
    set = new Set(Array.isArray(list) ? list.map((w) => normalizeWord(String(w), lang)) : []);
    stopSets.set(lang, set);
  }
  return set;
}

/** Removes accents so cognates meet ("mentoría" and "mentoria"); CJK, Arabic and Cyrillic letters are kept. */
export function foldDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}

/** Lower-cases and unifies spelling variants that carry no meaning (Arabic alef forms, tatweel, ё). */
export function normalizeWord(word: string, lang?: string): string {
  let w = word.normalize('NFKC').toLowerCase();
  if (lang === 'ar' || /[\u0600-\u06ff]/.test(w)) {
    w = w
      .replace(/[\u064b-\u065f\u0670\u0640]/g, '')
      .replace(/[أإآٱ]/g, 'ا')
      .replace(/ى/g, 'ي');
  }
  if (lang === 'ru' || /[\u0400-\u04ff]/.test(w)) w = w.replace(/ё/g, 'е');
  return w.replace(/[’']/g, "'");
}

/** Stems a normalised word in a language (cached), then folds accents so stems match across languages. */
export function stemWord(norm: string, lang: string): string {
  const key = lang + '\u0000' + norm;
  let out = stemCache.get(key);
  if (out === undefined) {
    const stemmer = stemmerFor(lang);
    // Elided articles ("l'équipe", "d'équipe") would otherwise hide the noun from the stemmer.
    const bare =
      /^[a-z]{1,2}'(?=\p{L})/u.test(norm) && (lang === 'fr' || lang === 'it' || lang === 'ca')
        ? norm.replace(/^[a-z]{1,2}'/, '')
        : norm;
    out = foldDiacritics(stemmer ? stemmer.stem(bare) : bare);
    if (stemCache.size > 500_000) stemCache.clear();
    stemCache.set(key, out);
  }
  return out;
}

function segmenterFor(lang: string): Intl.Segmenter {
  let s = segmenters.get(lang);
  if (!s) {
    s = new Intl.Segmenter(lang === 'und' ? undefined : lang, { granularity: 'word' });
    segmenters.set(lang, s);
  }
  return s;
}

// Scripts written without spaces need Intl.Segmenter's dictionaries to find words.
const NEEDS_DICTIONARY =
  /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]/;
// For space-delimited scripts this finds the same words as Intl.Segmenter, ten times faster.
const SPACED_WORD =
  /[\p{L}\p{N}][\p{L}\p{N}\p{M}]*(?:(?:['’·-]|(?<=\p{N})[.,](?=\p{N}))[\p{L}\p{N}][\p{L}\p{N}\p{M}]*)*/gu;

interface WordInfo {
  norm: string;
  stem: string;
  stop: boolean;
}
const wordCache = new Map<string, WordInfo>();

function wordInfo(surface: string, lang: string, stops: ReadonlySet<string>): WordInfo {
  const key = lang + '\u0001' + surface;
  let info = wordCache.get(key);
  if (!info) {
    const norm = normalizeWord(surface, lang);
    info = { norm, stem: stemWord(norm, lang), stop: stops.has(norm) };
    if (wordCache.size > 500_000) wordCache.clear();
    wordCache.set(key, info);
  }
  return info;
}

/** Each word of a text with its offset: Intl.Segmenter where a script needs a dictionary (Chinese), else a regex. */
export function words(text: string, lang = 'und'): { segment: string; index: number }[] {
  const out: { segment: string; index: number }[] = [];
  if (NEEDS_DICTIONARY.test(text)) {
    for (const s of segmenterFor(lang).segment(text))
      if (s.isWordLike) out.push({ segment: s.segment, index: s.index });
    return out;
  }
  SPACED_WORD.lastIndex = 0;
  for (let m = SPACED_WORD.exec(text); m !== null; m = SPACED_WORD.exec(text)) {
    // Intl.Segmenter keeps "day-to-day" apart but "don't" and "3.5" together; follow it.
    const w = m[0];
    if (w.includes('-')) {
      let at = m.index;
      for (const part of w.split('-')) {
        out.push({ segment: part, index: at });
        at += part.length + 1;
      }
    } else out.push({ segment: w, index: m.index });
  }
  return out;
}

/** Splits text into words (Intl.Segmenter for Chinese and other unspaced scripts), with offsets, stems and stop flags. */
export function tokenize(text: string, lang = 'und'): Token[] {
  const stops = stopWords(lang);
  const out: Token[] = [];
  for (const s of words(text, lang)) {
    const info = wordInfo(s.segment, lang, stops);
    out.push({
      text: s.segment,
      start: s.index,
      end: s.index + s.segment.length,
      norm: info.norm,
      stem: info.stem,
      stop: info.stop,
    });
  }
  return out;
}
