import type { Codebook } from './codebook.ts';
import {
  asOfLimit,
  type Comparison,
  type DistinctiveTheme,
  type ResponseRow,
  type ThemeFigures,
} from './compare.ts';
import { wilson } from './stats.ts';
import { segment } from './segment.ts';
import { tokenize } from './tokenize.ts';
import { identifyLanguage } from './language.ts';
import { compileZeroShot, zeroShotScores, type ZeroShotIndex } from './zero-shot.ts';

/** A verbatim quote: `text === response.slice(start, end)`. */
export interface Quote {
  id: string;
  themeId: string;
  text: string;
  start: number;
  end: number;
  group?: string;
  language?: string;
}

/** A plain sentence about the coded responses, with its figures and the quotes behind it. */
export interface Finding {
  kind: string;
  type: 'top' | 'distinctive';
  text: string;
  themes: string[];
  group?: string;
  figures: Record<
    string,
    { count: number; n: number; share: number; low: number; high: number; lift?: number; p?: number }
  >;
  quotes: Quote[];
}

/** How findings are worded and illustrated. */
export interface FindingsOptions {
  codebook?: Codebook;
  /** What the groups are called in a sentence ("regions"); derived from `groupBy` otherwise. */
  groupNoun?: string;
  groupBy?: string;
  /** The name a person reads for a group key ("Latin America and the Caribbean" for `latin_america_caribbean`). */
  groupLabel?: (key: string) => string;
  /** Themes per "top" finding. */
  topThemes?: number;
  quotesPerFinding?: number;
}

const KIND_NOUNS: Record<string, string> = {
  best_practice: 'best practices',
  recommendation: 'recommendations',
  need: 'needs',
  all: 'themes',
};
const KIND_PHRASES: Record<string, string> = {
  need: 'the most mentioned needs',
  all: 'the most mentioned themes',
};

function humanize(id: string): string {
  return id.replace(/[_-]+/g, ' ').trim();
}

function pluralNoun(column: string | undefined): string {
  if (!column) return 'groups';
  const h = humanize(column);
  return h.endsWith('s') ? h : h.endsWith('y') ? `${h.slice(0, -1)}ies` : `${h}s`;
}

function titleCase(s: string): string {
  return s.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

/** The idea unit of a response that best carries a theme, by the codebook's terms; the whole answer otherwise. */
function locate(
  text: string,
  themeIndex: number,
  zeroShot: ZeroShotIndex | undefined,
  languages: readonly string[] | undefined,
): { start: number; end: number } {
  const units = segment(text);
  if (units.length === 0) return { start: 0, end: text.length };
  if (units.length === 1 || !zeroShot || themeIndex < 0) {
    return { start: units[0].start, end: units[units.length - 1].end };
  }
  let best = -1;
  let bestScore = 0;
  units.forEach((u, i) => {
    const lang = identifyLanguage(u.text, languages);
    const s = zeroShotScores(zeroShot, u.text, tokenize(u.text, lang), lang)[themeIndex];
    if (s > bestScore) {
      bestScore = s;
      best = i;
    }
  });
  return best >= 0
    ? { start: units[best].start, end: units[best].end }
    : { start: units[0].start, end: units[units.length - 1].end };
}

/** Picks quotes greedily so they cover as many different groups and languages as possible, deterministically. */
export function pickQuotes(
  candidates: readonly ResponseRow[],
  themeIds: readonly string[],
  count: number,
  codebook?: Codebook,
): Quote[] {
  const zeroShot = codebook ? compileZeroShot(codebook) : undefined;
  const ids = codebook?.themes.map((t) => t.id) ?? [];
  const pool = [...candidates].sort((a, b) => a.id.localeCompare(b.id));
  const chosen: ResponseRow[] = [];
  const groups = new Set<string>();
  const langs = new Set<string>();
  const themesCovered = new Set<string>();
  while (chosen.length < count) {
    let best: ResponseRow | undefined;
    let bestScore = -1;
    for (const r of pool) {
      if (chosen.includes(r)) continue;
      const lang = r.language ?? identifyLanguage(r.text);
      const newTheme = themeIds.some((t) => r.labels.includes(t) && !themesCovered.has(t));
      // New groups matter most, then new languages, then themes not yet illustrated; short answers read best.
      const score =
        (groups.has(r.group ?? '') ? 0 : 4) +
        (langs.has(lang) ? 0 : 2) +
        (newTheme ? 1 : 0) -
        Math.min(r.text.length, 400) / 1000;
      if (score > bestScore) {
        bestScore = score;
        best = r;
      }
    }
    if (!best) break;
    chosen.push(best);
    groups.add(best.group ?? '');
    langs.add(best.language ?? identifyLanguage(best.text));
    for (const t of themeIds) if (best.labels.includes(t)) themesCovered.add(t);
  }
  return chosen.map((r) => {
    const themeId = themeIds.find((t) => r.labels.includes(t)) ?? themeIds[0];
    const { start, end } = locate(r.text, ids.indexOf(themeId), zeroShot, undefined);
    return {
      id: r.id,
      themeId,
      text: r.text.slice(start, end),
      start,
      end,
      group: r.group,
      language: r.language ?? identifyLanguage(r.text),
    };
  });
}

function figuresOf(t: ThemeFigures): Finding['figures'][string] {
  return { count: t.count, n: t.n, share: t.share, low: t.low, high: t.high };
}

/** Writes the findings of a comparison: per prompt kind the top themes, then each group's distinctive themes. */
export function findings(
  comparison: Comparison,
  rows: readonly ResponseRow[],
  options: FindingsOptions = {},
): Finding[] {
  const labelOf = new Map((options.codebook?.themes ?? []).map((t) => [t.id, t.label.toLowerCase()]));
  const name = (id: string): string => labelOf.get(id) ?? humanize(id);
  const groupNoun = options.groupNoun ?? pluralNoun(options.groupBy);
  const topN = options.topThemes ?? 2;
  const quotesPer = options.quotesPerFinding ?? 3;
  const out: Finding[] = [];
  const limit = comparison.asOf ? asOfLimit(comparison.asOf) : undefined;
  // Quotes come only from the responses the comparison counted.
  const counted = rows.filter(
    (r) => limit === undefined || (r.time !== undefined && Date.parse(r.time) <= limit),
  );
  const inScope = (r: ResponseRow, kind: string): boolean => (r.kind || 'all') === kind;
  for (const [kind, k] of Object.entries(comparison.kinds)) {
    const top = k.top.slice(0, topN);
    if (top.length === 0) continue;
    const across = top.every((id) => comparison.acrossGroups[kind]?.includes(id));
    const noun = KIND_NOUNS[kind] ?? pluralNoun(kind);
    const phrase = KIND_PHRASES[kind] ?? `the top ${noun}`;
    const figures = Object.fromEntries(
      top.map((id) => [id, figuresOf(k.themes.find((t) => t.id === id) as ThemeFigures)]),
    );
    const counts = top.map(
      (id) => `${name(id)} ${figures[id].count} of ${k.n} (${percent(figures[id].share)})`,
    );
    const lead = across ? `Across the ${groupNoun}, ` : 'Overall, ';
    const verb = top.length > 1 ? 'are' : 'is';
    const text = `${lead}${joinAnd(top.map(name))} ${verb} ${phrase}: ${joinAnd(counts)} responses.`;
    const candidates = counted.filter((r) => inScope(r, kind) && r.labels.some((l) => top.includes(l)));
    out.push({
      kind,
      type: 'top',
      text,
      themes: top,
      figures,
      quotes: pickQuotes(candidates, top, quotesPer, options.codebook),
    });
  }
  for (const [group, list] of Object.entries(comparison.distinctive)) {
    const d: DistinctiveTheme | undefined = list[0];
    if (!d) continue;
    const groupName = options.groupLabel ? options.groupLabel(group) : titleCase(humanize(group));
    const text =
      `${titleCase(name(d.id))} stands out in ${groupName}: ${d.count} of ${d.n} responses (${percent(d.share)}) ` +
      `against ${percent(d.otherShare)} elsewhere (lift ${d.lift.toFixed(1)}, Fisher exact p ${d.p < 0.001 ? '< 0.001' : `= ${d.p.toFixed(3)}`}).`;
    const candidates = counted.filter((r) => (r.group || '(none)') === group && r.labels.includes(d.id));
    const quotes = pickQuotes(candidates, [d.id], Math.min(2, quotesPer), options.codebook);
    const share = { count: d.count, n: d.n, share: d.share, ...wilson(d.count, d.n), lift: d.lift, p: d.p };
    out.push({
      kind: 'all',
      type: 'distinctive',
      group,
      text,
      themes: [d.id],
      figures: { [d.id]: share },
      quotes,
    });
  }
  return out;
}
