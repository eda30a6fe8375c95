import {
  claimKey,
  dropLowConfidence,
  testClaims,
  type Claim,
  type CodedRow,
  type LabelSource,
} from './claims.ts';
import type { Codebook } from './codebook.ts';
import { asOfLimit, type Comparison, type ResponseRow, type ThemeFigures } from './compare.ts';
import { messages } from './messages/index.ts';
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
  /** Who coded the quoted theme, and the engine's confidence when it was the engine. */
  codedBy: 'person' | 'engine';
  confidence?: number;
}

/** Who coded a finding's units: all of them, and how many a person checked. */
export interface FindingCoding {
  units: number;
  byPerson: number;
  byEngine: number;
  /** More than half the units carry the theme only on the engine's word. */
  mostlyEngine: boolean;
}

/** Would the claim survive other codes, and since when does it hold. */
export interface Sensitivity {
  /** Still holds when engine codes below `minConfidence` are dropped. */
  withoutLowConfidence: boolean;
  minConfidence: number;
  /** Per as-of date (each session's date), whether the claim held with the responses given by then. */
  checkpoints: { asOf: string; held: boolean }[];
  /** The first as-of date from which it held (and kept holding); undefined when it never did. */
  firstHeld?: string;
}

/** A distinctive claim's test: n, the shares in and outside the group, p, the adjusted q, and the verdict. */
export interface FindingClaim extends Omit<Claim, 'themeId'> {
  tests: number;
  minSupport: number;
  qLevel: number;
  sensitivity: Sensitivity;
}

/** A plain sentence about the coded responses, with its figures and the quotes behind it. */
export interface Finding {
  kind: string;
  type: 'top' | 'distinctive';
  text: string;
  themes: string[];
  group?: string;
  /** False for distinctive claims that did not survive the correction or the minimum support (shown greyed). */
  held: boolean;
  figures: Record<
    string,
    {
      count: number;
      n: number;
      share: number;
      low: number;
      high: number;
      lift?: number;
      p?: number;
      q?: number;
      otherShare?: number;
    }
  >;
  claim?: FindingClaim;
  coding: FindingCoding;
  quotes: Quote[];
}

/** How findings are worded, tested and illustrated. */
export interface FindingsOptions {
  codebook?: Codebook;
  /** Language of the sentences (ar, zh, en, fr, de, ru, es); English otherwise. */
  language?: string;
  /** What the groups are called in an English sentence ("the regions"); derived from `groupBy` otherwise. */
  groupNoun?: string;
  groupBy?: string;
  /** A group's name for people ("Asia-Oceania" for asia_oceania); the key humanised otherwise. */
  groupLabel?: (group: string) => string;
  /** A theme's name for people; the codebook's label otherwise. */
  themeLabel?: (themeId: string) => string;
  /** Themes per "top" finding. */
  topThemes?: number;
  quotesPerFinding?: number;
  /** Benjamini–Hochberg false discovery rate (default 0.05) and minimum mentions in the group (default 5). */
  q?: number;
  minSupport?: number;
  /** Engine codes below this confidence are dropped in the sensitivity check (default 0.6). */
  minConfidence?: number;
  /** Engine codes quoted only at or above this confidence (default 0.8); people's codes always. */
  quoteConfidence?: number;
  /** As-of dates to replay the claims at (each session's date); the days of the responses otherwise. */
  checkpoints?: readonly string[];
  /** Upper bound on distinctive findings written (held first), default 40. */
  maxClaims?: number;
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

/** Who coded a theme on a row: its recorded source, or a person when the row carries none (labels from a file). */
function sourceOf(r: CodedRow, themeId: string): LabelSource {
  return r.coding?.[themeId] ?? { by: 'person' };
}

/** A quote may carry a theme only when a person coded it or the engine was confident. */
function quotable(r: CodedRow, themeId: string, minConfidence: number): boolean {
  const s = sourceOf(r, themeId);
  return s.by === 'person' || (s.confidence ?? 0) >= minConfidence;
}

/** Picks quotes greedily so they cover as many different groups and languages as possible, deterministically. */
export function pickQuotes(
  candidates: readonly CodedRow[],
  themeIds: readonly string[],
  count: number,
  codebook?: Codebook,
  quoteConfidence = 0.8,
): Quote[] {
  const zeroShot = codebook ? compileZeroShot(codebook) : undefined;
  const ids = codebook?.themes.map((t) => t.id) ?? [];
  const pool = candidates
    .filter((r) => themeIds.some((t) => r.labels.includes(t) && quotable(r, t, quoteConfidence)))
    .sort((a, b) => a.id.localeCompare(b.id));
  const chosen: CodedRow[] = [];
  const groups = new Set<string>();
  const langs = new Set<string>();
  const themesCovered = new Set<string>();
  while (chosen.length < count) {
    let best: CodedRow | undefined;
    let bestScore = -Infinity;
    for (const r of pool) {
      if (chosen.includes(r)) continue;
      const lang = r.language ?? identifyLanguage(r.text);
      const newTheme = themeIds.some((t) => r.labels.includes(t) && !themesCovered.has(t));
      const byPerson = themeIds.some((t) => r.labels.includes(t) && sourceOf(r, t).by === 'person');
      // New groups matter most, then new languages, then themes not yet illustrated, then people's codes;
      // short answers read best.
      const score =
        (groups.has(r.group ?? '') ? 0 : 8) +
        (langs.has(lang) ? 0 : 4) +
        (newTheme ? 2 : 0) +
        (byPerson ? 1 : 0) -
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
    const themeId =
      themeIds.find((t) => r.labels.includes(t) && quotable(r, t, quoteConfidence)) ?? themeIds[0];
    const { start, end } = locate(r.text, ids.indexOf(themeId), zeroShot, undefined);
    const src = sourceOf(r, themeId);
    return {
      id: r.id,
      themeId,
      text: r.text.slice(start, end),
      start,
      end,
      group: r.group,
      language: r.language ?? identifyLanguage(r.text),
      codedBy: src.by,
      ...(src.by === 'engine' && src.confidence !== undefined ? { confidence: src.confidence } : {}),
    };
  });
}

function figuresOf(t: ThemeFigures): Finding['figures'][string] {
  return { count: t.count, n: t.n, share: t.share, low: t.low, high: t.high };
}

function humanize(id: string): string {
  return id.replace(/[_-]+/g, ' ').trim();
}

function titleCase(s: string): string {
  return s.replace(/(^|[\s(])\p{L}/gu, (c) => c.toUpperCase());
}

/** English plural of a column name, for "Across the career stages". */
function pluralNoun(column: string): string {
  const h = humanize(column);
  return h.endsWith('s') ? h : h.endsWith('y') ? `${h.slice(0, -1)}ies` : `${h}s`;
}

/** The languages finding sentences are written in (others fall back to English). */
export const FINDING_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'de', 'ru', 'es'] as const;
type FindingLanguage = (typeof FINDING_LANGUAGES)[number];

function languageOf(tag: string | undefined): FindingLanguage {
  const base = (tag ?? 'en').toLowerCase().split('-')[0];
  return (FINDING_LANGUAGES as readonly string[]).includes(base) ? (base as FindingLanguage) : 'en';
}

/** A q or p value as a reader sees it: three decimals, "< 0.001" below that. */
function formatQ(lang: FindingLanguage, q: number): string {
  const nf = new Intl.NumberFormat(lang, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
  return q < 0.001 ? `< ${nf.format(0.001)}` : nf.format(q);
}

/** How many of the rows carrying one of the themes were coded (for that theme) by a person. */
function codingOf(rows: readonly CodedRow[], themeIds: readonly string[]): FindingCoding {
  let units = 0;
  let byPerson = 0;
  for (const r of rows) {
    const has = themeIds.filter((t) => r.labels.includes(t));
    if (has.length === 0) continue;
    units++;
    if (has.some((t) => sourceOf(r, t).by === 'person')) byPerson++;
  }
  return { units, byPerson, byEngine: units - byPerson, mostlyEngine: units > 0 && byPerson * 2 < units };
}

/** Replaying claims costs one pass over the rows per checkpoint: a long import keeps this many. */
const MAX_CHECKPOINTS = 24;

/** At most `max` items, evenly spread, always keeping the last (the current state). */
function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, i) => items[Math.round(((i + 1) * (items.length - 1)) / max)]);
}

/** The days the responses were given, as as-of checkpoints when no session dates are given. */
function daysOf(rows: readonly ResponseRow[]): string[] {
  return [...new Set(rows.flatMap((r) => (r.time ? [r.time.slice(0, 10)] : [])))]
    .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))
    .sort();
}

/** Writes the findings of a comparison: per prompt kind the top themes, then the distinctive claims. */
export function findings(
  comparison: Comparison,
  rows: readonly CodedRow[],
  options: FindingsOptions = {},
): Finding[] {
  const lang = languageOf(options.language);
  const t = messages.t(lang);
  const say = (
    key: 'top' | 'figure' | 'distinctive' | 'notHeldSupport' | 'notHeldQ' | 'engineNote',
    values: Record<string, string | number>,
  ): string => t(`findings.${key}`, values);
  const labelOf = new Map((options.codebook?.themes ?? []).map((t) => [t.id, t.label]));
  const name = options.themeLabel ?? ((id: string): string => labelOf.get(id) ?? titleCase(humanize(id)));
  const groupName = options.groupLabel ?? ((g: string): string => titleCase(humanize(g)));
  const groupNoun =
    lang === 'en' && (options.groupNoun || (options.groupBy && options.groupBy !== 'region'))
      ? (options.groupNoun ?? `the ${pluralNoun(options.groupBy!)}`)
      : !options.groupBy || options.groupBy === 'region'
        ? t('findings.groups.region')
        : t('findings.groups.other');
  const kindNoun = (kind: string): string => messages.lookup(lang, `findings.kind.${kind}`) ?? humanize(kind);
  const list = new Intl.ListFormat(lang, { type: 'conjunction' });
  const topN = options.topThemes ?? 2;
  const quotesPer = options.quotesPerFinding ?? 3;
  const quoteConfidence = options.quoteConfidence ?? 0.8;
  const minConfidence = options.minConfidence ?? 0.6;
  const out: Finding[] = [];
  const limit = comparison.asOf ? asOfLimit(comparison.asOf) : undefined;
  // Quotes and claims count only the responses the comparison counted.
  const counted = rows.filter(
    (r) => limit === undefined || (r.time !== undefined && Date.parse(r.time) <= limit),
  );
  const inScope = (r: ResponseRow, kind: string): boolean => (r.kind || 'all') === kind;
  const withNote = (text: string, coding: FindingCoding): string =>
    coding.mostlyEngine
      ? `${text} ${say('engineNote', { checked: coding.byPerson, units: coding.units })}`
      : text;

  for (const [kind, k] of Object.entries(comparison.kinds)) {
    const top = k.top.slice(0, topN);
    if (top.length === 0) continue;
    const across = top.every((id) => comparison.acrossGroups[kind]?.includes(id));
    const figures = Object.fromEntries(
      top.map((id) => [id, figuresOf(k.themes.find((t) => t.id === id) as ThemeFigures)]),
    );
    const parts = top.map((id) =>
      say('figure', { theme: name(id), count: figures[id].count, n: k.n, share: figures[id].share }),
    );
    const inKind = counted.filter((r) => inScope(r, kind));
    const coding = codingOf(inKind, top);
    const text = say('top', {
      across: across ? 'yes' : 'no',
      groupNoun,
      kind: kindNoun(kind),
      list: list.format(parts),
    });
    const candidates = inKind.filter((r) => r.labels.some((l) => top.includes(l)));
    out.push({
      kind,
      type: 'top',
      text: withNote(text, coding),
      themes: top,
      held: true,
      figures,
      coding,
      quotes: pickQuotes(candidates, top, quotesPer, options.codebook, quoteConfidence),
    });
  }

  const claimOptions = { q: options.q ?? 0.05, minSupport: options.minSupport ?? 5 };
  const set = testClaims(counted, claimOptions);
  const shown = set.claims.slice(0, options.maxClaims ?? 40);
  if (shown.length === 0) return out;
  // Sensitivity: the same tests without the engine's unsure codes, and replayed as of each checkpoint.
  const strict = new Set(
    testClaims(dropLowConfidence(counted, minConfidence), claimOptions)
      .claims.filter((c) => c.held)
      .map(claimKey),
  );
  const checkpoints = spread(
    (options.checkpoints ? [...options.checkpoints].sort() : daysOf(counted)).filter(
      (d) => limit === undefined || asOfLimit(d) <= limit,
    ),
    MAX_CHECKPOINTS,
  );
  const heldAt = checkpoints.map((asOf) => ({
    asOf,
    held: new Set(
      testClaims(counted, { ...claimOptions, asOf })
        .claims.filter((c) => c.held)
        .map(claimKey),
    ),
  }));
  for (const c of shown) {
    const key = claimKey(c);
    const series = heldAt.map((h) => ({ asOf: h.asOf, held: h.held.has(key) }));
    // First held = the start of the last unbroken run of checkpoints at which it held.
    let first: string | undefined;
    for (const s of series) first = s.held ? (first ?? s.asOf) : undefined;
    const sensitivity: Sensitivity = {
      withoutLowConfidence: strict.has(key),
      minConfidence,
      checkpoints: series,
      ...(first ? { firstHeld: first } : {}),
    };
    const q = formatQ(lang, c.q);
    let text = say('distinctive', {
      theme: name(c.themeId),
      group: groupName(c.group),
      kind: kindNoun(c.kind),
      count: c.count,
      n: c.n,
      share: c.share,
      otherShare: c.otherShare,
      q,
    });
    if (c.failed === 'support')
      text = `${say('notHeldSupport', { count: c.count, min: set.minSupport })} ${text}`;
    else if (c.failed === 'q') text = `${say('notHeldQ', { tests: set.tests, q })} ${text}`;
    const inGroup = counted.filter((r) => inScope(r, c.kind) && (r.group || '(none)') === c.group);
    const coding = codingOf(inGroup, [c.themeId]);
    const candidates = inGroup.filter((r) => r.labels.includes(c.themeId));
    const { themeId, ...rest } = c;
    out.push({
      kind: c.kind,
      type: 'distinctive',
      group: c.group,
      text: withNote(text, coding),
      themes: [themeId],
      held: c.held,
      figures: {
        [themeId]: {
          count: c.count,
          n: c.n,
          share: c.share,
          low: c.low,
          high: c.high,
          lift: c.lift,
          p: c.p,
          q: c.q,
          otherShare: c.otherShare,
        },
      },
      claim: { ...rest, tests: set.tests, minSupport: set.minSupport, qLevel: set.q, sensitivity },
      coding,
      quotes: pickQuotes(candidates, [themeId], Math.min(2, quotesPer), options.codebook, quoteConfidence),
    });
  }
  return out;
}

/** The correction behind a report's distinctive claims: tests made, q, minimum support, how many held. */
export function summarizeClaims(
  rows: Parameters<typeof testClaims>[0],
  options: Pick<FindingsOptions, 'q' | 'minSupport'> & { asOf?: string } = {},
) {
  const set = testClaims(rows, options);
  const held = set.claims.filter((c) => c.held).length;
  return { tests: set.tests, q: set.q, minSupport: set.minSupport, held, notHeld: set.claims.length - held };
}
