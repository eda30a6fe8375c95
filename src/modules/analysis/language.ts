import { francAll } from 'franc-min';
import { LANGUAGES, SERIES_LANGUAGES, languageInfo, type LanguageInfo } from './languages.ts';
import { stopWords } from './tokenize.ts';

type Script = LanguageInfo['script'] | 'Kana' | 'Hang';

function scriptOf(code: number): Script | undefined {
  if (code < 0x41) return undefined;
  if (code <= 0x24f)
    return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || code >= 0xc0
      ? 'Latn'
      : undefined;
  if (code >= 0x400 && code <= 0x4ff) return 'Cyrl';
  if (code >= 0x530 && code <= 0x58f) return 'Armn';
  if ((code >= 0x600 && code <= 0x6ff) || (code >= 0x750 && code <= 0x77f)) return 'Arab';
  if (code >= 0xb80 && code <= 0xbff) return 'Taml';
  if (code >= 0x3040 && code <= 0x30ff) return 'Kana';
  if ((code >= 0x3400 && code <= 0x4dbf) || (code >= 0x4e00 && code <= 0x9fff)) return 'Hani';
  if (code >= 0xac00 && code <= 0xd7af) return 'Hang';
  return undefined;
}

// Letters that only some Latin-script languages use; a cheap, strong hint on short text.
const LETTER_HINTS: Record<string, RegExp> = {
  es: /[ñ¿¡]/,
  pt: /[ãõ]|ção|ções/,
  de: /[ßäöü]/,
  fr: /[èêëîïûœ]|\b(?:l|d|qu|j|n|m|s|c)'/,
  ca: /l·l|[òï]/,
  ro: /[ăâîșțşţ]/,
  tr: /[ğışİ]/,
  cs: /[ěřůčšž]/,
  hu: /[őű]/,
  da: /[æø]/,
  nb: /[æø]/,
  sv: /[åäö]/,
};

/** The script most of the text's letters are written in. */
function dominantScript(text: string): Script | undefined {
  const counts = new Map<Script, number>();
  for (let i = 0; i < text.length; i++) {
    const script = scriptOf(text.charCodeAt(i));
    // Han and kana characters carry a word each; weigh them up against alphabetic letters.
    if (script)
      counts.set(script, (counts.get(script) ?? 0) + (script === 'Hani' || script === 'Kana' ? 3 : 1));
  }
  let best: Script | undefined;
  let bestCount = 0;
  for (const [script, n] of counts) {
    if (n > bestCount) {
      best = script;
      bestCount = n;
    }
  }
  return best;
}

const stopIndexes = new Map<string, Map<string, string[]>>();

/** For a set of candidate languages: each stop word and the candidates that use it. */
function stopIndex(candidates: readonly string[]): Map<string, string[]> {
  const key = candidates.join(',');
  let index = stopIndexes.get(key);
  if (!index) {
    index = new Map();
    for (const c of candidates) {
      for (const w of stopWords(c)) {
        const list = index.get(w) ?? [];
        list.push(c);
        index.set(w, list);
      }
    }
    stopIndexes.set(key, index);
  }
  return index;
}

/** Stop-word evidence: each hit counts 1/(number of candidate languages sharing that word). */
function stopWordScores(text: string, candidates: readonly string[]): Map<string, number> {
  const scores = new Map(candidates.map((c) => [c, 0]));
  const index = stopIndex(candidates);
  const lower = text.toLowerCase();
  for (const m of lower.matchAll(/[\p{L}']+/gu)) {
    const hits = index.get(m[0]);
    if (hits) for (const c of hits) scores.set(c, (scores.get(c) ?? 0) + 1 / hits.length);
  }
  for (const c of candidates) if (LETTER_HINTS[c]?.test(lower)) scores.set(c, (scores.get(c) ?? 0) + 1.5);
  return scores;
}

/**
 * Identifies the language of a short text among the allowed ones (ISO 639-1), or 'und'.
 * Restricting the choice to the series' languages is what makes one-line answers reliable.
 */
export function identifyLanguage(text: string, allowed: readonly string[] = SERIES_LANGUAGES): string {
  const script = dominantScript(text);
  if (!script) return 'und';
  if (script === 'Kana') return allowed.includes('ja') ? 'ja' : allowed.includes('zh') ? 'zh' : 'und';
  const candidates = allowed.filter(
    (c) => (languageInfo(c)?.script ?? (c === 'uk' || c === 'bg' ? 'Cyrl' : 'Latn')) === script,
  );
  if (candidates.length === 0) return 'und';
  if (candidates.length === 1) return candidates[0];
  const scores = stopWordScores(text, candidates);
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  // Clear stop-word evidence decides without the slower trigram model.
  if (first[1] >= 1 && first[1] - second[1] >= 1) return first[0];
  const francCodes = candidates.map((c) => languageInfo(c)?.franc).filter((f): f is string => !!f);
  if (francCodes.length >= 2) {
    const trigram = new Map(francAll(text, { only: francCodes, minLength: 1 }));
    for (const c of candidates) {
      const f = languageInfo(c)?.franc;
      // franc scores are 1 for the best and fall towards 0; two stop-word hits outweigh it.
      scores.set(c, (scores.get(c) ?? 0) + (f ? (trigram.get(f) ?? 0) * 1.5 : 0));
    }
  }
  return [...scores.entries()].sort(
    (a, b) => b[1] - a[1] || candidates.indexOf(a[0]) - candidates.indexOf(b[0]),
  )[0][0];
}

/** Every language code the engine can stem or segment. */
export function supportedLanguages(): string[] {
  return LANGUAGES.map((l) => l.code);
}
