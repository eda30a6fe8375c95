// The one place that turns stored codes into the labels a unit finally carries: the engine's labels, with
// merged themes followed to the theme they were merged into, then people's latest decisions on top
// (accept adds, reject removes), keeping only active themes. Every reader of coded units goes through it.
import type { Codebook } from '../analysis/index.ts';
import type { WbThemeTable } from './workbench.tables.ts';
import { toCodebook } from './workbench.repository.ts';

/** A human decision as stored, oldest first. */
export interface StoredDecision {
  item_id: string;
  theme_key: string;
  decision: string;
}

/** Resolves units' final labels for one codebook version and one set of decisions. */
export interface LabelResolver {
  codebook: Codebook;
  /** The engine's stored labels (`a;b`) as active theme keys, merges followed. */
  engineLabels(stored: string): string[];
  /** Whether people decided anything about this unit. */
  decided(itemId: string): boolean;
  /** The unit's final labels: the engine's, with people's latest decisions applied. */
  finalLabels(itemId: string, stored: string): string[];
  /** Latest decisions as [itemId, themeKey, decision], merges followed (for snapshots). */
  decisions: [string, string, string][];
}

/** The latest decision per (item, theme) wins: people override the engine. */
export function applyDecisions(
  engine: Iterable<string>,
  decisions: Iterable<{ theme_key: string; decision: string }>,
): string[] {
  const set = new Set(engine);
  for (const d of decisions) {
    if (d.decision === 'accept') set.add(d.theme_key);
    else set.delete(d.theme_key);
  }
  return [...set];
}

/** Builds the resolver from the series' themes (all, merged ones included) and its decisions in order. */
export function labelResolver(
  themes: readonly WbThemeTable[],
  codings: readonly StoredDecision[],
): LabelResolver {
  const codebook = toCodebook(themes);
  const active = new Set(codebook.themes.map((t) => t.id));
  const mergedInto = new Map(themes.filter((t) => t.merged_into).map((t) => [t.key, t.merged_into!]));
  const resolve = (k: string): string => {
    let key = k;
    // Bounded: a merge cycle written by hand must not hang the page.
    for (let i = 0; i < 10 && mergedInto.has(key); i++) key = mergedInto.get(key)!;
    return key;
  };
  const latest = new Map<string, Map<string, string>>();
  for (const c of codings) {
    const m = latest.get(c.item_id) ?? new Map<string, string>();
    m.set(resolve(c.theme_key), c.decision);
    latest.set(c.item_id, m);
  }
  const decisions: [string, string, string][] = [];
  for (const [item, m] of latest) for (const [k, d] of m) decisions.push([item, k, d]);
  // By unit id (a stable sort keeps each unit's decisions in order), so snapshots list them reproducibly.
  decisions.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const cache = new Map<string, string[]>();
  const engineLabels = (stored: string): string[] => {
    let l = cache.get(stored);
    if (!l) {
      l = [...new Set(stored ? stored.split(';').map(resolve) : [])].filter((k) => active.has(k));
      cache.set(stored, l);
    }
    return l;
  };
  return {
    codebook,
    engineLabels,
    decided: (itemId) => latest.has(itemId),
    finalLabels(itemId, stored) {
      const ds = latest.get(itemId);
      if (!ds) return engineLabels(stored);
      const engine = stored ? stored.split(';').map(resolve) : [];
      const perTheme = [...ds].map(([theme_key, decision]) => ({ theme_key, decision }));
      return applyDecisions(engine, perTheme).filter((k) => active.has(k));
    },
    decisions,
  };
}
