import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom, parseCsv, shuffle, toRecords } from '../src/modules/analysis/index.ts';

/**
 * Where the shared data lives: COLLOQUY_SHARED_DATA, else ../shared/data beside the repository
 * (or two levels up, for a git worktree kept under a folder of worktrees).
 */
export function sharedDataDir(): string {
  if (process.env.COLLOQUY_SHARED_DATA) return process.env.COLLOQUY_SHARED_DATA;
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const candidates = [path.resolve(repoRoot, '../shared/data'), path.resolve(repoRoot, '../../shared/data')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/** Reads a CSV of the shared data as records keyed by column. */
export function readRecords(relative: string): Record<string, string>[] {
  return toRecords(parseCsv(readFileSync(path.join(sharedDataDir(), relative), 'utf8'))).map((r) => r.values);
}

/** Splits ';'-separated labels. */
export function splitLabels(s: string | undefined): string[] {
  return (s ?? '')
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** A fixed, seeded split: the first `fraction` of a seeded shuffle trains, the rest tests. */
export function fixedSplit<T>(
  items: readonly T[],
  fraction: number,
  seed: number,
): { train: T[]; test: T[] } {
  const order = shuffle(
    items.map((_, i) => i),
    createRandom(seed),
  );
  const cut = Math.round(items.length * fraction);
  return { train: order.slice(0, cut).map((i) => items[i]), test: order.slice(cut).map((i) => items[i]) };
}

/** Micro- and macro-F1 of predicted label sets; macro averages over the labels present in the gold sets. */
export function f1Scores(
  gold: readonly string[][],
  predicted: readonly string[][],
): { microF1: number; macroF1: number } {
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  gold.forEach((g, i) => {
    const p = new Set(predicted[i]);
    const gs = new Set(g);
    for (const l of gs) inc(p.has(l) ? tp : fn, l);
    for (const l of p) if (!gs.has(l)) inc(fp, l);
  });
  const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
  const f1 = (t: number, f: number, n: number): number => (t === 0 ? 0 : (2 * t) / (2 * t + f + n));
  const labels = new Set([...tp.keys(), ...fn.keys()]);
  const macro = [...labels].map((l) => f1(tp.get(l) ?? 0, fp.get(l) ?? 0, fn.get(l) ?? 0));
  return {
    microF1: round(f1(sum(tp), sum(fp), sum(fn))),
    macroF1: round(macro.reduce((a, b) => a + b, 0) / Math.max(1, macro.length)),
  };
}

/** Rounds to three decimals for reporting. */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
