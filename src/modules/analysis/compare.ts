import { fisherExact, wilson } from './stats.ts';

/** A coded response as the comparison sees it. `group`, `kind` and `time` come from any columns. */
export interface ResponseRow {
  id: string;
  text: string;
  labels: readonly string[];
  group?: string;
  kind?: string;
  /** ISO 8601 instant the response was given; needed for `asOf`. */
  time?: string;
  language?: string;
}

/** What to compare and up to when. */
export interface CompareOptions {
  /** Theme ids in codebook order; ties in ranks are broken by this order. */
  themeIds?: readonly string[];
  /** Keep responses given on or before this date (YYYY-MM-DD counts the whole day) or instant. */
  asOf?: string;
  /** How many top ranks a theme must reach in every group to hold across the groups. */
  acrossTop?: number;
  /** Significance level for distinctive themes. */
  alpha?: number;
}

/** A count with its share of a base and the share's 95% Wilson interval. */
export interface Proportion {
  count: number;
  n: number;
  share: number;
  low: number;
  high: number;
}

/** One theme within one prompt kind: overall figures and per-group figures. */
export interface ThemeFigures extends Proportion {
  id: string;
  groups: Record<string, Proportion>;
}

/** One prompt kind: its responses per group and its themes ranked by count. */
export interface KindComparison {
  kind: string;
  n: number;
  groups: Record<string, { n: number; top: string[] }>;
  top: string[];
  themes: ThemeFigures[];
}

/** A theme said more in one group than in the others, with the test that says it is not chance. */
export interface DistinctiveTheme {
  id: string;
  count: number;
  n: number;
  share: number;
  otherCount: number;
  otherN: number;
  otherShare: number;
  lift: number;
  p: number;
}

/** Everything the comparison found. */
export interface Comparison {
  asOf?: string;
  n: number;
  excluded: number;
  groups: string[];
  kinds: Record<string, KindComparison>;
  acrossGroups: Record<string, string[]>;
  distinctive: Record<string, DistinctiveTheme[]>;
}

const NO_GROUP = '(none)';
const ALL_KINDS = 'all';

/** The last instant counted by an as-of value: a bare date includes its whole day (UTC). */
export function asOfLimit(asOf: string): number {
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(asOf);
  const t = Date.parse(bare ? `${asOf}T23:59:59.999Z` : asOf);
  if (Number.isNaN(t)) throw new Error(`"${asOf}" is not a date`);
  return t;
}

function proportion(count: number, n: number): Proportion {
  const { low, high } = wilson(count, n);
  return { count, n, share: n > 0 ? count / n : 0, low, high };
}

/** Themes ranked by count, ties by codebook order then id; only themes said at least once. */
function rank(counts: Map<string, number>, order: Map<string, number>): string[] {
  return [...counts.entries()]
    .filter(([, c]) => c > 0)
    .sort(
      (a, b) =>
        b[1] - a[1] || (order.get(a[0]) ?? 1e9) - (order.get(b[0]) ?? 1e9) || a[0].localeCompare(b[0]),
    )
    .map(([id]) => id);
}

/** Top-k of a ranking, keeping every theme tied with the k-th. */
function topWithTies(ranked: string[], counts: Map<string, number>, k: number): string[] {
  if (ranked.length <= k) return ranked;
  const cut = counts.get(ranked[k - 1]) ?? 0;
  return ranked.filter((id, i) => i < k || (counts.get(id) ?? 0) === cut);
}

/** Counts, shares and Wilson intervals of each theme per prompt kind and group; themes that hold across groups; distinctive themes. */
export function compare(rows: readonly ResponseRow[], options: CompareOptions = {}): Comparison {
  const limit = options.asOf ? asOfLimit(options.asOf) : undefined;
  const kept = rows.filter((r) => {
    if (limit === undefined) return true;
    const t = r.time ? Date.parse(r.time) : NaN;
    return !Number.isNaN(t) && t <= limit;
  });
  const order = new Map((options.themeIds ?? []).map((id, i) => [id, i]));
  const acrossTop = options.acrossTop ?? 3;
  const alpha = options.alpha ?? 0.05;
  const groups = [...new Set(kept.map((r) => r.group || NO_GROUP))].sort();
  const kindNames = [...new Set(kept.map((r) => r.kind || ALL_KINDS))].sort();

  const kinds: Record<string, KindComparison> = {};
  const acrossGroups: Record<string, string[]> = {};
  for (const kind of kindNames) {
    const kRows = kept.filter((r) => (r.kind || ALL_KINDS) === kind);
    const total = new Map<string, number>();
    const byGroup = new Map<string, Map<string, number>>();
    const groupN = new Map<string, number>();
    for (const r of kRows) {
      const g = r.group || NO_GROUP;
      groupN.set(g, (groupN.get(g) ?? 0) + 1);
      const gc = byGroup.get(g) ?? new Map<string, number>();
      byGroup.set(g, gc);
      for (const id of new Set(r.labels)) {
        total.set(id, (total.get(id) ?? 0) + 1);
        gc.set(id, (gc.get(id) ?? 0) + 1);
      }
    }
    for (const id of order.keys()) if (!total.has(id)) total.set(id, 0);
    const top = rank(total, order);
    const allIds = [
      ...top,
      ...[...total.keys()]
        .filter((id) => !top.includes(id))
        .sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9)),
    ];
    const kindGroups: Record<string, { n: number; top: string[] }> = {};
    const present = groups.filter((g) => (groupN.get(g) ?? 0) > 0);
    const groupTops = new Map<string, Set<string>>();
    for (const g of present) {
      const gc = byGroup.get(g) ?? new Map<string, number>();
      const ranked = rank(gc, order);
      groupTops.set(g, new Set(topWithTies(ranked, gc, acrossTop)));
      kindGroups[g] = { n: groupN.get(g) ?? 0, top: ranked };
    }
    const themes: ThemeFigures[] = allIds.map((id) => {
      const figures: Record<string, Proportion> = {};
      for (const g of present) figures[g] = proportion(byGroup.get(g)?.get(id) ?? 0, groupN.get(g) ?? 0);
      return { id, ...proportion(total.get(id) ?? 0, kRows.length), groups: figures };
    });
    kinds[kind] = { kind, n: kRows.length, groups: kindGroups, top, themes };
    // Holding across the groups needs at least two groups to compare.
    acrossGroups[kind] =
      present.length >= 2 ? top.filter((id) => present.every((g) => groupTops.get(g)?.has(id))) : [];
  }

  const distinctive: Record<string, DistinctiveTheme[]> = {};
  const allThemes = [...new Set([...order.keys(), ...kept.flatMap((r) => r.labels)])];
  for (const g of groups) {
    const inG = kept.filter((r) => (r.group || NO_GROUP) === g);
    const outG = kept.length - inG.length;
    const list: DistinctiveTheme[] = [];
    for (const id of allThemes) {
      const a = inG.filter((r) => r.labels.includes(id)).length;
      const c = kept.filter((r) => (r.group || NO_GROUP) !== g && r.labels.includes(id)).length;
      if (a === 0 || outG === 0) continue;
      const share = a / inG.length;
      const otherShare = c / outG;
      // When the other groups never mention the theme, add-half smoothing keeps the lift finite.
      const lift = c > 0 ? share / otherShare : share / (0.5 / (outG + 1));
      if (share <= otherShare) continue;
      const p = fisherExact(a, inG.length - a, c, outG - c);
      if (p < alpha)
        list.push({ id, count: a, n: inG.length, share, otherCount: c, otherN: outG, otherShare, lift, p });
    }
    distinctive[g] = list.sort((x, y) => y.lift - x.lift || x.p - y.p || x.id.localeCompare(y.id));
  }
  return {
    ...(options.asOf ? { asOf: options.asOf } : {}),
    n: kept.length,
    excluded: rows.length - kept.length,
    groups,
    kinds,
    acrossGroups,
    distinctive,
  };
}
