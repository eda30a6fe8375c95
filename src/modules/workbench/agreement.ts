// Agreement between two coders on binary decisions (a theme applies or not), per theme.
// Pure functions: the workbench shows them so the analyst knows when the engine can be trusted.

/** One unit both coders decided: did each say the theme applies? */
export type Pair = readonly [boolean, boolean];

/** Cohen's kappa for two coders; null when chance agreement is total (kappa undefined). */
export function cohensKappa(pairs: readonly Pair[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  let agree = 0;
  let aYes = 0;
  let bYes = 0;
  for (const [a, b] of pairs) {
    if (a === b) agree++;
    if (a) aYes++;
    if (b) bYes++;
  }
  const po = agree / n;
  const pa = aYes / n;
  const pb = bYes / n;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  if (pe >= 1) return null;
  return (po - pe) / (1 - pe);
}

/** Krippendorff's alpha (nominal data, two coders, no missing values); null when undefined (one value only). */
export function krippendorffAlpha(pairs: readonly Pair[]): number | null {
  // Coincidence matrix of a binary variable: o[c][k] counts ordered value pairs within units.
  let o00 = 0;
  let o11 = 0;
  let o01 = 0;
  for (const [a, b] of pairs) {
    if (a && b) o11 += 2;
    else if (!a && !b) o00 += 2;
    else o01 += 1; // and o10 += 1
  }
  const n1 = o11 + o01;
  const n0 = o00 + o01;
  const n = n0 + n1;
  const expected = 2 * n0 * n1;
  if (n < 2 || expected === 0) return null;
  return 1 - ((n - 1) * 2 * o01) / expected;
}

/** Agreement on one theme. */
export interface ThemeAgreement {
  themeKey: string;
  units: number;
  kappa: number | null;
  alpha: number | null;
}

/** Per-theme agreement from labelled pairs `{themeKey, a, b}`. */
export function agreementByTheme(
  rows: readonly { themeKey: string; a: boolean; b: boolean }[],
): ThemeAgreement[] {
  const by = new Map<string, Pair[]>();
  for (const r of rows) {
    const list = by.get(r.themeKey) ?? [];
    list.push([r.a, r.b]);
    by.set(r.themeKey, list);
  }
  return [...by.entries()].map(([themeKey, pairs]) => ({
    themeKey,
    units: pairs.length,
    kappa: cohensKappa(pairs),
    alpha: krippendorffAlpha(pairs),
  }));
}
