import { francAll } from 'franc-min';
import { LANGUAGES, SERIES_LANGUAGES, languageInfo, type LanguageInfo } from './languages.ts';
import { normalizeWord, stopWords } from './tokenize.ts';

const SCRIPTS: [LanguageInfo['script'] | 'Kana' | 'Hang', RegExp][] = [
  ['Arab', /[\u0600-\u06ff\u0750-\u077f]/g],
  ['Hani', /[\u3400-\u4dbf\u4e00-\u9fff]/g],
  ['Kana', /[\u3040-\u30ff]/g],
  ['Hang', /[\uac00-\ud7af]/g],
  ['Cyrl', /[\u0400-\u04ff]/g],
  ['Armn', /[\u0530-\u058f]/g],
  ['Taml', /[\u0b80-\u0bff]/g],
  ['Latn', /[a-zA-Z\u00c0-\u024f]/g],
];

// Letters that only some Latin-script languages use; a cheap, strong hint on short text.
const LETTER_HINTS: Record<string, RegExp> = {
  es: /[ñ¿¡]/,
  pt: /[ãõ]|ção|ções/,
  de: /[ßäöü]/,
  fr: /[èêëîïûœç]|\b(?:l|d|qu|j|n|m|s|c)'/,
  ca: /l·l|[òï]/,
  ro: /[ăâîșțşţ]/,
  tr: /[ğışİ]/,
  cs: /[ěřůčšž]/,
  hu: /[őű]/,
  da: /[æø]/,
  nb: /[æø]/,
  sv: /[åäö]/,
};

/** Which scripts dominate the text, letter counts by script. */
function dominantScript(text: string): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [script, re] of SCRIPTS) {
    const n = text.match(re)?.length ?? 0;
    // Han characters carry a word each; weigh them up against alphabetic letters.
    const weight = script === 'Hani' || script === 'Kana' ? n * 3 : n;
    if (weight > bestCount) {
      best = script;
      bestCount = weight;
    }
  }
  return best;
}

/** Stop-word evidence: each hit counts 1/(number of candidate languages sharing that word). */
function stopWordScores(text: string, candidates: readonly string[]): Map<string, number> {
  const scores = new Map(candidates.map((c) => [c, 0]));
  const words = text.match(/[\p{L}']+/gu) ?? [];
  for (const raw of words) {
    const w = normalizeWord(raw);
    const hits = candidates.filter((c) => stopWords(c).has(w));
    for (const c of hits) scores.set(c, (scores.get(c) ?? 0) + 1 / hits.length);
  }
  for (const c of candidates) if (LETTER_HINTS[c]?.test(text.toLowerCase())) scores.set(c, (scores.get(c) ?? 0) + 1.5);
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
  const candidates = allowed.filter((c) => (languageInfo(c)?.script ?? (c === 'uk' || c === 'bg' ? 'Cyrl' : 'Latn')) === script);
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
  return [...scores.entries()].sort((a, b) => b[1] - a[1] || candidates.indexOf(a[0]) - candidates.indexOf(b[0]))[0][0];
}

/** Every language code the engine can stem or segment. */
export function supportedLanguages(): string[] {
  return LANGUAGES.map((l) => l.code);
}
