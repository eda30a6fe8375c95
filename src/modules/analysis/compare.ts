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

/** A row the comparison counts: a coded response, or `weight` identical ones (aggregated by the caller). */
export type CompareRow = Pick<ResponseRow, 'labels' | 'group' | 'kind' | 'time'> & { weight?: number };

const inc = <K>(m: Map<K, number>, k: K, by: number) => m.set(k, (m.get(k) ?? 0) + by);

/** Per prompt kind: its weight, theme totals, and per group its weight and theme counts. */
interface KindTally {
  n: number;
  total: Map<string, number>;
  groupN: Map<string, number>;
  byGroup: Map<string, Map<string, number>>;
}

/**
 * Counts, shares and Wilson intervals of each theme per prompt kind and group; themes that hold across
 * groups; distinctive themes. One counting pass over the rows, so 50,000 responses compare in
 * milliseconds; a row with `weight` counts as that many identical rows.
 */
export function compare(rows: readonly CompareRow[], options: CompareOptions = {}): Comparison {
  const limit = options.asOf ? asOfLimit(options.asOf) : undefined;
  const order = new Map((options.themeIds ?? []).map((id, i) => [id, i]));
  const acrossTop = options.acrossTop ?? 3;
  const alpha = options.alpha ?? 0.05;
  const perKind = new Map<string, KindTally>();
  // Over all kinds, per group, for distinctive themes.
  const allGroupN = new Map<string, number>();
  const allByGroup = new Map<string, Map<string, number>>();
  const themeTotal = new Map<string, number>();
  let n = 0;
  let total = 0;
  for (const r of rows) {
    const w = r.weight ?? 1;
    total += w;
    if (limit !== undefined) {
      const t = r.time ? Date.parse(r.time) : NaN;
      if (Number.isNaN(t) || t > limit) continue;
    }
    n += w;
    const g = r.group || NO_GROUP;
    const kind = r.kind || ALL_KINDS;
    let k = perKind.get(kind);
    if (!k) perKind.set(kind, (k = { n: 0, total: new Map(), groupN: new Map(), byGroup: new Map() }));
    k.n += w;
    inc(k.groupN, g, w);
    inc(allGroupN, g, w);
    let gc = k.byGroup.get(g);
    if (!gc) k.byGroup.set(g, (gc = new Map<string, number>()));
    let ag = allByGroup.get(g);
    if (!ag) allByGroup.set(g, (ag = new Map<string, number>()));
    // A theme counts once per response, however often it was coded in it.
    const labels = r.labels.length > 1 ? new Set(r.labels) : r.labels;
    for (const id of labels) {
      inc(k.total, id, w);
      inc(gc, id, w);
      inc(ag, id, w);
      inc(themeTotal, id, w);
    }
  }
  const groups = [...allGroupN.keys()].sort();
  const kinds: Record<string, KindComparison> = {};
  const acrossGroups: Record<string, string[]> = {};
  for (const kind of [...perKind.keys()].sort()) {
    const k = perKind.get(kind)!;
    const counts = new Map(k.total);
    for (const id of order.keys()) if (!counts.has(id)) counts.set(id, 0);
    const top = rank(counts, order);
    const topSet = new Set(top);
    const allIds = [
      ...top,
      ...[...counts.keys()]
        .filter((id) => !topSet.has(id))
        .sort((a, b) => (order.get(a) ?? 1e9) - (order.get(b) ?? 1e9)),
    ];
    const present = groups.filter((g) => (k.groupN.get(g) ?? 0) > 0);
    const kindGroups: Record<string, { n: number; top: string[] }> = {};
    const groupTops = new Map<string, Set<string>>();
    for (const g of present) {
      const gc = k.byGroup.get(g) ?? new Map<string, number>();
      const ranked = rank(gc, order);
      groupTops.set(g, new Set(topWithTies(ranked, gc, acrossTop)));
      kindGroups[g] = { n: k.groupN.get(g) ?? 0, top: ranked };
    }
    const themes: ThemeFigures[] = allIds.map((id) => {
      const figures: Record<string, Proportion> = {};
      for (const g of present) figures[g] = proportion(k.byGroup.get(g)?.get(id) ?? 0, k.groupN.get(g) ?? 0);
      return { id, ...proportion(counts.get(id) ?? 0, k.n), groups: figures };
    });
    kinds[kind] = { kind, n: k.n, groups: kindGroups, top, themes };
    // Holding across the groups needs at least two groups to compare.
    acrossGroups[kind] =
      present.length >= 2 ? top.filter((id) => present.every((g) => groupTops.get(g)?.has(id))) : [];
  }

  const distinctive: Record<string, DistinctiveTheme[]> = {};
  const allThemes = [...new Set([...order.keys(), ...themeTotal.keys()])];
  for (const g of groups) {
    const inN = allGroupN.get(g) ?? 0;
    const outG = n - inN;
    const list: DistinctiveTheme[] = [];
    for (const id of allThemes) {
      const a = allByGroup.get(g)?.get(id) ?? 0;
      const c = (themeTotal.get(id) ?? 0) - a;
      if (a === 0 || outG === 0) continue;
      const share = a / inN;
      const otherShare = c / outG;
      // When the other groups never mention the theme, add-half smoothing keeps the lift finite.
      const lift = c > 0 ? share / otherShare : share / (0.5 / (outG + 1));
      if (share <= otherShare) continue;
      const p = fisherExact(a, inN - a, c, outG - c);
      if (p < alpha)
        list.push({ id, count: a, n: inN, share, otherCount: c, otherN: outG, otherShare, lift, p });
    }
    distinctive[g] = list.sort((x, y) => y.lift - x.lift || x.p - y.p || x.id.localeCompare(y.id));
  }
  return {
    ...(options.asOf ? { asOf: options.asOf } : {}),
    n,
    excluded: total - n,
    groups,
    kinds,
    acrossGroups,
    distinctive,
  };
}
