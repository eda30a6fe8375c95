/** Text rules of live answers: normalising for blocked-word matching and word clouds. Pure. */

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

/** Lower case, without diacritics, compatibility forms folded (ﬁ → fi, full-width → ASCII). */
export function normalise(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .normalize('NFC');
}

/** The normalised words of a text (letters and digits). */
export function words(s: string): string[] {
  return normalise(s).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A matcher for a list of blocked words or phrases: whole words, or substrings for CJK scripts. */
export function blockedMatcher(list: string[]): (text: string) => boolean {
  const phrases = list.map((w) => words(w).join(' ')).filter(Boolean);
  const cjk = list
    .map(normalise)
    .filter((w) => CJK.test(w))
    .map((w) => w.replace(/\s+/g, ''));
  if (!phrases.length && !cjk.length) return () => false;
  return (text: string) => {
    const joined = ` ${words(text).join(' ')} `;
    if (phrases.some((p) => joined.includes(` ${p} `))) return true;
    if (cjk.length) {
      const flat = normalise(text).replace(/\s+/g, '');
      return cjk.some((w) => flat.includes(w));
    }
    return false;
  };
}

/** The phrase a word-cloud answer counts as: trimmed, normalised spacing and case. */
export function cloudPhrase(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, 60);
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I

/** A short room code that is easy to read aloud and type on a phone. */
export function randomCode(rand: () => number = Math.random, length = 6): string {
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}
