// Distinctive claims ("theme X stands out in group G among needs") with the multiple-comparison
// correction a sceptical reader asks for: every (prompt kind × group × theme) test made for one report
// enters one Benjamini–Hochberg family, and a claim also needs a minimum number of mentions in the group.
import { asOfLimit, type ResponseRow } from './compare.ts';
import { benjaminiHochberg, fisherExact, wilson } from './stats.ts';

/** Who put a theme on a response: a person (accepted or given in a file) or the engine, with its confidence. */
export interface LabelSource {
  by: 'person' | 'engine';
  confidence?: number;
}

/** A coded response with, per label, who coded it; labels without a source count as a person's. */
export interface CodedRow extends ResponseRow {
  coding?: Readonly<Record<string, LabelSource>>;
}

/** How strict claims are. */
export interface ClaimOptions {
  /** False discovery rate for Benjamini–Hochberg (default 0.05). */
  q?: number;
  /** Mentions of the theme in the group a claim needs (default 5). */
  minSupport?: number;
  /** Keep responses given on or before this date or instant. */
  asOf?: string;
}

/** One test: is the theme said more in the group than in the other groups, for this prompt kind? */
export interface Claim {
  kind: string;
  group: string;
  themeId: string;
  /** Mentions in the group, responses in the group, their share and its 95% Wilson interval. */
  count: number;
  n: number;
  share: number;
  low: number;
  high: number;
  otherCount: number;
  otherN: number;
  otherShare: number;
  lift: number;
  /** Fisher's exact test, two-sided. */
  p: number;
  /** Benjamini–Hochberg adjusted p over every test of the report. */
  q: number;
  /** The claim survived both the correction and the minimum support. */
  held: boolean;
  /** Why it did not hold. */
  failed?: 'support' | 'q';
}

/** Every test made for one report and the claims worth showing. */
export interface ClaimSet {
  /** Tests in the correction's family. */
  tests: number;
  q: number;
  minSupport: number;
  /** Held claims first, then those that would have passed p < q uncorrected or without the support rule. */
  claims: Claim[];
}

const NO_GROUP = '(none)';
const ALL_KINDS = 'all';

/** A row may stand for several identical responses (an aggregated cube row). */
type Weighted = Pick<ResponseRow, 'labels' | 'group' | 'kind' | 'time'> & { weight?: number };

/** Counts per kind × group × theme in one pass. */
function tally(rows: readonly Weighted[]) {
  const n = new Map<string, Map<string, number>>();
  const counts = new Map<string, Map<string, Map<string, number>>>();
  for (const r of rows) {
    const kind = r.kind || ALL_KINDS;
    const g = r.group || NO_GROUP;
    const nk = n.get(kind) ?? new Map<string, number>();
    n.set(kind, nk);
    const w = r.weight ?? 1;
    nk.set(g, (nk.get(g) ?? 0) + w);
    const ck = counts.get(kind) ?? new Map<string, Map<string, number>>();
    counts.set(kind, ck);
    for (const id of new Set(r.labels)) {
      const byGroup = ck.get(id) ?? new Map<string, number>();
      ck.set(id, byGroup);
      byGroup.set(g, (byGroup.get(g) ?? 0) + w);
    }
  }
  return { n, counts };
}

/** Tests every theme in every group against the other groups, per prompt kind, and corrects them together. */
export function testClaims(rows: readonly Weighted[], options: ClaimOptions = {}): ClaimSet {
  const qLevel = options.q ?? 0.05;
  const minSupport = options.minSupport ?? 5;
  const limit = options.asOf ? asOfLimit(options.asOf) : undefined;
  const kept =
    limit === undefined ? rows : rows.filter((r) => r.time !== undefined && Date.parse(r.time) <= limit);
  const { n, counts } = tally(kept);
  const all: Omit<Claim, 'q' | 'held' | 'failed'>[] = [];
  for (const kind of [...counts.keys()].sort()) {
    const nk = n.get(kind)!;
    const total = [...nk.values()].reduce((a, b) => a + b, 0);
    const groups = [...nk.keys()].sort();
    // One group has nothing to stand out from.
    if (groups.length < 2) continue;
    const themes = counts.get(kind)!;
    for (const themeId of [...themes.keys()].sort()) {
      const byGroup = themes.get(themeId)!;
      const mentions = [...byGroup.values()].reduce((a, b) => a + b, 0);
      for (const group of groups) {
        const gn = nk.get(group)!;
        const count = byGroup.get(group) ?? 0;
        const otherN = total - gn;
        const otherCount = mentions - count;
        const share = count / gn;
        const otherShare = otherCount / otherN;
        const lift = otherCount > 0 ? share / otherShare : share / (0.5 / (otherN + 1));
        const p = fisherExact(count, gn - count, otherCount, otherN - otherCount);
        all.push({
          kind,
          group,
          themeId,
          count,
          n: gn,
          share,
          ...wilson(count, gn),
          otherCount,
          otherN,
          otherShare,
          lift,
          p,
        });
      }
    }
  }
  // The family is every test made, in both directions: that is what "how many things did you try" counts.
  const qs = benjaminiHochberg(all.map((t) => t.p));
  const claims: Claim[] = [];
  all.forEach((t, i) => {
    if (t.share <= t.otherShare || t.count === 0) return;
    const q = qs[i];
    const failed = q > qLevel ? 'q' : t.count < minSupport ? 'support' : undefined;
    // Keep what held and what an uncorrected test would have claimed, so nothing is hidden.
    if (failed && t.p >= qLevel) return;
    claims.push({ ...t, q, held: !failed, ...(failed ? { failed } : {}) });
  });
  claims.sort(
    (a, b) =>
      Number(b.held) - Number(a.held) ||
      a.q - b.q ||
      b.lift - a.lift ||
      a.kind.localeCompare(b.kind) ||
      a.group.localeCompare(b.group) ||
      a.themeId.localeCompare(b.themeId),
  );
  return { tests: all.length, q: qLevel, minSupport, claims };
}

/** The same rows without the engine's codes below a confidence (people's codes always stay). */
export function dropLowConfidence(rows: readonly CodedRow[], minConfidence: number): CodedRow[] {
  return rows.map((r) => {
    if (!r.coding) return r;
    const labels = r.labels.filter((l) => {
      const s = r.coding?.[l];
      return !s || s.by === 'person' || (s.confidence ?? 0) >= minConfidence;
    });
    return labels.length === r.labels.length ? r : { ...r, labels };
  });
}

/** Identifies a claim across re-runs. */
export const claimKey = (c: Pick<Claim, 'kind' | 'group' | 'themeId'>): string =>
  `${c.kind}\u0000${c.group}\u0000${c.themeId}`;
