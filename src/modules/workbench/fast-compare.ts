// The engine's `compare`, computed in one counting pass (plus weights): same result, but linear in the
// number of responses, so a 50,000-response series compares in milliseconds. A test checks it equals
// the engine's `compare` on random data.
import {
  asOfLimit,
  fisherExact,
  wilson,
  type Comparison,
  type CompareOptions,
  type DistinctiveTheme,
  type KindComparison,
  type Proportion,
  type ResponseRow,
  type ThemeFigures,
} from '../analysis/index.ts';

const NO_GROUP = '(none)';
const ALL_KINDS = 'all';

/** A response row that may stand for `weight` identical rows. */
export type WeightedRow = Omit<ResponseRow, 'id' | 'text'> & { weight?: number };

function proportion(count: number, n: number): Proportion {
  const { low, high } = wilson(count, n);
  return { count, n, share: n > 0 ? count / n : 0, low, high };
}

function rank(counts: Map<string, number>, order: Map<string, number>): string[] {
  return [...counts.entries()]
    .filter(([, c]) => c > 0)
    .sort(
      (a, b) =>
        b[1] - a[1] || (order.get(a[0]) ?? 1e9) - (order.get(b[0]) ?? 1e9) || a[0].localeCompare(b[0]),
    )
    .map(([id]) => id);
}

function topWithTies(ranked: string[], counts: Map<string, number>, k: number): string[] {
  if (ranked.length <= k) return ranked;
  const cut = counts.get(ranked[k - 1]) ?? 0;
  return ranked.filter((id, i) => i < k || (counts.get(id) ?? 0) === cut);
}

const inc = <K>(m: Map<K, number>, k: K, by: number) => m.set(k, (m.get(k) ?? 0) + by);

/** Same as the engine's `compare(rows, options)`, in one pass over the rows. */
export function fastCompare(rows: readonly WeightedRow[], options: CompareOptions = {}): Comparison {
  const limit = options.asOf ? asOfLimit(options.asOf) : undefined;
  const order = new Map((options.themeIds ?? []).map((id, i) => [id, i]));
  const acrossTop = options.acrossTop ?? 3;
  const alpha = options.alpha ?? 0.05;
  // kind → { n, total per theme, per group: n and counts }; and over all kinds, per group, for distinctive themes.
  const perKind = new Map<
    string,
    {
      n: number;
      total: Map<string, number>;
      groupN: Map<string, number>;
      byGroup: Map<string, Map<string, number>>;
    }
  >();
  const allGroupN = new Map<string, number>();
  const allByGroup = new Map<string, Map<string, number>>();
  const themeTotal = new Map<string, number>();
  const seenThemes: string[] = [];
  const seen = new Set<string>();
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
    if (!k)
      perKind.set(
        kind,
        (k = {
          n: 0,
          total: new Map<string, number>(),
          groupN: new Map<string, number>(),
          byGroup: new Map<string, Map<string, number>>(),
        }),
      );
    k.n += w;
    inc(k.groupN, g, w);
    inc(allGroupN, g, w);
    let gc = k.byGroup.get(g);
    if (!gc) k.byGroup.set(g, (gc = new Map<string, number>()));
    let ag = allByGroup.get(g);
    if (!ag) allByGroup.set(g, (ag = new Map<string, number>()));
    const labels = r.labels.length > 1 ? new Set(r.labels) : r.labels;
    for (const id of labels) {
      inc(k.total, id, w);
      inc(gc, id, w);
      inc(ag, id, w);
      inc(themeTotal, id, w);
      if (!seen.has(id)) {
        seen.add(id);
        seenThemes.push(id);
      }
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
    acrossGroups[kind] =
      present.length >= 2 ? top.filter((id) => present.every((g) => groupTops.get(g)?.has(id))) : [];
  }
  const distinctive: Record<string, DistinctiveTheme[]> = {};
  const allThemes = [...new Set([...order.keys(), ...seenThemes])];
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
