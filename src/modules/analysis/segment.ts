/** An idea unit: a verbatim span of a response, `text === response.slice(start, end)`. */
export interface Unit {
  index: number;
  text: string;
  start: number;
  end: number;
}

// Sentence ends: Latin, CJK full-width, Arabic question mark, semicolons. CJK marks need no space after.
// Each run of marks is tried only from its first mark (the look-behinds): without them a run of
// 100,000 dots not followed by a space is rescanned from every position, which is quadratic.
const SENTENCE_END = /(?<![.!?;…])[.!?;…]+["'”»)]*(?=\s)|[。！？；]+|(?<![؟؛])[؟؛]+(?=\s|$)/g;
// A bullet or numbered item at the start of a line.
const LIST_ITEM = /^[ \t]*(?:[-*•·–—]|\d{1,2}[.)])[ \t]+/;
// Clause joins that usually start a new idea: ", and", ", but", ", and also" in the series' languages,
// and an emphatic upper-case AND. A bare "and" is left alone: "mentoring and coaching" is one idea
// about two themes, which the coder handles on the whole unit.
const CLAUSE_JOIN =
  /,\s+(?=(?:and|but|plus|also|et|mais|und|aber|sowie|y|e|pero|mas|и|а|но|też)\s)|\s(?=AND\s)|،\s*(?=و)|，(?=(?:而且|并且|但是|同时|还有))/g;

const MIN_WORDS = 3;

/** Words and CJK characters of a span; both add up across the cuts segmentation makes. */
function counts(s: string): { words: number; cjk: number } {
  return {
    cjk: s.match(/[\u3040-\u30ff\u3400-\u9fff]/g)?.length ?? 0,
    words: s.match(/[\p{L}\p{N}]+/gu)?.length ?? 0,
  };
}

function wordCountOf(c: { words: number; cjk: number }): number {
  return c.cjk > 0 ? Math.max(c.words, Math.ceil(c.cjk / 2)) : c.words;
}

function trimSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return [start, end];
}

function splitAt(text: string, start: number, end: number, re: RegExp): [number, number][] {
  const part = text.slice(start, end);
  const cuts: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(part); m !== null; m = re.exec(part)) {
    const cut = m.index + m[0].length;
    if (cut > 0 && cut < part.length) cuts.push(cut);
    if (m[0].length === 0) re.lastIndex++;
  }
  const spans: [number, number][] = [];
  let prev = 0;
  for (const c of [...cuts, part.length]) {
    if (c > prev) spans.push([start + prev, start + c]);
    prev = c;
  }
  return spans;
}

/** Merges spans too short to carry an idea ("Thanks!", "1.") into a neighbour. */
function mergeShort(text: string, spans: [number, number][]): [number, number][] {
  // Counts are kept per merged span and added up, so a long run of short sentences stays linear.
  const out: { span: [number, number]; c: { words: number; cjk: number } }[] = [];
  for (const s of spans) {
    const prev = out[out.length - 1];
    const c = counts(text.slice(...s));
    if (prev && (wordCountOf(c) < MIN_WORDS || wordCountOf(prev.c) < MIN_WORDS)) {
      prev.span[1] = s[1];
      prev.c = { words: prev.c.words + c.words, cjk: prev.c.cjk + c.cjk };
    } else out.push({ span: [s[0], s[1]], c });
  }
  return out.map((o) => o.span);
}

/** Splits a response into idea units (lines and list items, sentences, joined clauses) with verbatim offsets. */
export function segment(text: string): Unit[] {
  const lines: [number, number][] = [];
  let pos = 0;
  for (const line of text.split(/(?<=\n)/)) {
    lines.push([pos, pos + line.length]);
    pos += line.length;
  }
  // A line that is not a list item continues the previous one unless it follows a blank line or a list.
  const blocks: [number, number][] = [];
  let prevWasItem = false;
  for (const [s, e] of lines) {
    const raw = text.slice(s, e);
    const isItem = LIST_ITEM.test(raw);
    const blank = raw.trim() === '';
    const last = blocks[blocks.length - 1];
    if (blank) {
      prevWasItem = false;
      continue;
    }
    if (last && !isItem && !prevWasItem && last[1] === s) last[1] = e;
    else blocks.push([s + (isItem ? (raw.match(LIST_ITEM)?.[0].length ?? 0) : 0), e]);
    prevWasItem = isItem;
  }
  const spans: [number, number][] = [];
  for (const [bs, be] of blocks) {
    for (const [ss, se] of mergeShort(text, splitAt(text, bs, be, SENTENCE_END))) {
      for (const c of mergeShort(text, splitAt(text, ss, se, CLAUSE_JOIN))) spans.push(c);
    }
  }
  const units: Unit[] = [];
  for (const [s0, e0] of spans) {
    const [s, e] = trimSpan(text, s0, e0);
    if (e > s && /[\p{L}\p{N}]/u.test(text.slice(s, e))) {
      units.push({ index: units.length, text: text.slice(s, e), start: s, end: e });
    }
  }
  if (units.length === 0) {
    const [s, e] = trimSpan(text, 0, text.length);
    if (e > s) units.push({ index: 0, text: text.slice(s, e), start: s, end: e });
  }
  return units;
}
