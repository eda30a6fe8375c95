import type { Codebook, SeedTerm } from './codebook.ts';
import { languageInfo, SERIES_LANGUAGES } from './languages.ts';
import { foldDiacritics, normalizeWord, stopWords, tokenize, type Token } from './tokenize.ts';

interface CompiledTerm {
  theme: number;
  key: string;
  stems: string[];
  lang?: string;
  weight: number;
  /** A one-word term's written form, accents folded, and its character trigrams (to check matches across languages). */
  grams?: Set<string>;
}

/** The codebook compiled for fast matching: term stems indexed by their first stem. */
export interface ZeroShotIndex {
  themeCount: number;
  byFirstStem: Map<string, CompiledTerm[]>;
  byPrefix: Map<string, CompiledTerm[]>;
  /** Single-word terms by the character trigrams of their stem, for cognates spelt differently. */
  byTrigram: Map<string, { term: CompiledTerm; size: number }[]>;
  /** Cognate look-ups already made: words recur, and the trigram search is the costly part. */
  cognateCache: Map<string, CompiledTerm[]>;
  substrings: { theme: number; text: string; weight: number }[];
}

/** Evidence that a text speaks of a theme: a score in [0, 1) and the term spans that matched. */
export interface ThemeEvidence {
  score: number;
  matches: { start: number; end: number }[];
}

const PREFIX_LEN = 5;
// Dice similarity of stem trigrams from which two words count as cognates ("comunicação" ~ "communication").
const COGNATE_DICE = 0.7;

function trigrams(stem: string): Set<string> {
  const padded = `_${stem}_`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** Single-word terms whose stem shares most character trigrams with the token's stem. */
function cognates(index: ZeroShotIndex, stem: string): CompiledTerm[] {
  const cached = index.cognateCache.get(stem);
  if (cached) return cached;
  const grams = trigrams(stem);
  const shared = new Map<CompiledTerm, { n: number; size: number }>();
  for (const g of grams) {
    for (const { term, size } of index.byTrigram.get(g) ?? []) {
      const e = shared.get(term);
      if (e) e.n++;
      else shared.set(term, { n: 1, size });
    }
  }
  const out: CompiledTerm[] = [];
  for (const [term, { n, size }] of shared) if ((2 * n) / (grams.size + size) >= COGNATE_DICE) out.push(term);
  if (index.cognateCache.size > 200_000) index.cognateCache.clear();
  index.cognateCache.set(stem, out);
  return out;
}
// Trigram Dice of written forms from which a one-word term of another language matches a word (0.6–0.8 measured the same on the tuning split).
const XDICE = 0.6;

function dice(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const g of a) if (b.has(g)) n++;
  return (2 * n) / (a.size + b.size);
}

/** Whether a one-word term of another language is written much like the token (always true in the same language). */
function looksAlike(c: CompiledTerm, token: Token, lang: string): boolean {
  if (!c.grams || !c.lang || c.lang === lang) return true;
  let grams = writtenGrams.get(token.norm);
  if (!grams) {
    grams = trigrams(foldDiacritics(token.norm));
    if (writtenGrams.size > 100_000) writtenGrams.clear();
    writtenGrams.set(token.norm, grams);
  }
  return dice(c.grams, grams) >= XDICE;
}
const writtenGrams = new Map<string, Set<string>>();

const HAN_OR_ARABIC = /[\u3400-\u4dbf\u4e00-\u9fff\u0600-\u06ff]/;

function latinLanguages(): string[] {
  return SERIES_LANGUAGES.filter((l) => languageInfo(l)?.script === 'Latn');
}

function compileTerm(term: SeedTerm, theme: number, weight: number): CompiledTerm[] {
  // A term of unknown language is stemmed as every series language of its script would stem it.
  const langs = term.lang
    ? [term.lang]
    : /[\u0400-\u04ff]/.test(term.text)
      ? ['ru']
      : /[\u0600-\u06ff]/.test(term.text)
        ? ['ar']
        : latinLanguages();
  const seen = new Set<string>();
  const out: CompiledTerm[] = [];
  for (const lang of langs) {
    const stems = tokenize(term.text, lang).map((t) => t.stem);
    const key = stems.join(' ');
    if (stems.length === 0 || seen.has(key)) continue;
    seen.add(key);
    // Phrases are more specific than single words, so they count more.
    out.push({
      theme,
      key,
      stems,
      lang: term.lang,
      weight: stems.length > 1 ? weight * 1.3 : weight,
      grams: stems.length === 1 ? trigrams(foldDiacritics(normalizeWord(term.text, lang))) : undefined,
    });
  }
  return out;
}

/** Compiles a codebook's seed terms (or, lacking them, its label words) into a matching index. */
export function compileZeroShot(codebook: Codebook): ZeroShotIndex {
  const index: ZeroShotIndex = {
    themeCount: codebook.themes.length,
    byFirstStem: new Map(),
    byPrefix: new Map(),
    byTrigram: new Map(),
    cognateCache: new Map(),
    substrings: [],
  };
  codebook.themes.forEach((theme, ti) => {
    const terms: { term: SeedTerm; weight: number }[] = theme.terms.map((term) => ({ term, weight: 1 }));
    terms.push({ term: { text: theme.label }, weight: theme.terms.length > 0 ? 0.5 : 0.8 });
    if (theme.terms.length === 0) {
      // Without seed terms the label's content words are the only hint; each is weak alone.
      const stops = stopWords('en');
      const words = normalizeWord(theme.label)
        .split(/[^\p{L}\p{N}]+/u)
        .filter((w) => w.length > 2 && !stops.has(w));
      if (words.length > 1) for (const w of words) terms.push({ term: { text: w }, weight: 0.35 });
    }
    for (const { term, weight } of terms) {
      if (HAN_OR_ARABIC.test(term.text)) {
        const text = normalizeWord(term.text, /[\u0600-\u06ff]/.test(term.text) ? 'ar' : 'zh');
        if (text.length >= 2) index.substrings.push({ theme: ti, text, weight });
        if (/[\u3400-\u9fff]/.test(term.text)) continue;
      }
      for (const c of compileTerm(term, ti, weight)) {
        const first = c.stems[0];
        const list = index.byFirstStem.get(first) ?? [];
        list.push(c);
        index.byFirstStem.set(first, list);
        if (c.stems.length === 1 && first.length >= PREFIX_LEN) {
          const p = first.slice(0, PREFIX_LEN);
          const plist = index.byPrefix.get(p) ?? [];
          plist.push(c);
          index.byPrefix.set(p, plist);
          const grams = trigrams(first);
          for (const g of grams) {
            const tlist = index.byTrigram.get(g) ?? [];
            tlist.push({ term: c, size: grams.size });
            index.byTrigram.set(g, tlist);
          }
        }
      }
    }
  });
  return index;
}

/** Turns summed term evidence into a score in [0, 1): one clear term gives about 0.7, two about 0.9. */
function squash(m: number): number {
  return 1 - Math.exp(-1.2 * m);
}

type MatchSink = (theme: number, start: number, end: number) => void;

/** Sums term evidence per theme; each distinct term counts once however often it is said. */
function scan(
  index: ZeroShotIndex,
  text: string,
  tokens: Token[],
  lang: string,
  sink?: MatchSink,
): Float64Array {
  const sums = new Float64Array(index.themeCount);
  let counted: Set<string> | undefined;
  const credit = (theme: number, key: string, weight: number, start: number, end: number): void => {
    sink?.(theme, start, end);
    counted ??= new Set();
    const k = theme + '\u0000' + key;
    if (counted.has(k)) return;
    counted.add(k);
    sums[theme] += weight;
  };
  for (let i = 0; i < tokens.length; i++) {
    const stem = tokens[i].stem;
    const exact = index.byFirstStem.get(stem);
    let matched = false;
    if (exact) {
      for (const c of exact) {
        if (i + c.stems.length > tokens.length) continue;
        // A one-word term never matches a stop word: Spanish "pares" and "para" share the stem "par".
        if (c.stems.length === 1 && tokens[i].stop) continue;
        // Stems of different languages collide ("genérico" and French "générations" both stem to
        // "gener"): across languages a one-word term matches only a word written much like it.
        if (!looksAlike(c, tokens[i], lang)) continue;
        let ok = true;
        for (let k = 1; k < c.stems.length && ok; k++) ok = tokens[i + k].stem === c.stems[k];
        if (!ok) continue;
        const w = c.lang && c.lang !== lang ? c.weight * 0.8 : c.weight;
        credit(c.theme, c.key, w, tokens[i].start, tokens[i + c.stems.length - 1].end);
        matched = true;
      }
    }
    if (!matched && !tokens[i].stop && stem.length >= PREFIX_LEN) {
      // Derived forms and cognates share a stem prefix: "mentorship" ~ "mentor", "mentoria" ~ "mentor".
      const candidates = index.byPrefix.get(stem.slice(0, PREFIX_LEN));
      if (candidates) {
        for (const c of candidates) {
          const t = c.stems[0];
          if (
            (stem.startsWith(t) || (t.startsWith(stem) && stem.length >= 6 && stem.length >= t.length - 1)) &&
            looksAlike(c, tokens[i], lang)
          ) {
            credit(c.theme, c.key, c.weight * 0.7, tokens[i].start, tokens[i].end);
            matched = true;
          }
        }
      }
      // Cognates spelt differently share most character trigrams: "comunicação" ~ "communication".
      if (!matched && stem.length >= 6) {
        for (const c of cognates(index, stem))
          credit(c.theme, c.key, c.weight * 0.5, tokens[i].start, tokens[i].end);
      }
    }
  }
  if (index.substrings.length > 0 && HAN_OR_ARABIC.test(text)) {
    const norm = normalizeWord(text, 'ar');
    // Normalisation removes Arabic diacritics, so offsets only hold when lengths agree.
    const sameLength = norm.length === text.length;
    for (const s of index.substrings) {
      const at = norm.indexOf(s.text);
      if (at >= 0)
        credit(s.theme, s.text, s.weight, sameLength ? at : 0, sameLength ? at + s.text.length : text.length);
    }
  }
  for (let t = 0; t < sums.length; t++) sums[t] = squash(sums[t]);
  return sums;
}

/** Scores a text against every theme from the codebook alone (seed terms, stems, shared prefixes), each in [0, 1). */
export function zeroShotScores(
  index: ZeroShotIndex,
  text: string,
  tokens: Token[],
  lang: string,
): Float64Array {
  return scan(index, text, tokens, lang);
}

/** Like zeroShotScores, with the verbatim spans of the terms that matched each theme. */
export function zeroShotEvidence(
  index: ZeroShotIndex,
  text: string,
  tokens: Token[],
  lang: string,
): ThemeEvidence[] {
  const matches: { start: number; end: number }[][] = Array.from({ length: index.themeCount }, () => []);
  const scores = scan(index, text, tokens, lang, (theme, start, end) => {
    // A label and a seed term can match the same word; report each span once.
    if (!matches[theme].some((m) => m.start === start && m.end === end)) matches[theme].push({ start, end });
  });
  return Array.from(scores, (score, t) => ({ score, matches: matches[t] }));
}
