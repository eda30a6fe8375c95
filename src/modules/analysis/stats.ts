/** A proportion's confidence interval. */
export interface Interval {
  low: number;
  high: number;
}

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for k successes in n trials (95% by default). Unlike the normal
 * approximation it stays inside [0, 1] and behaves at k = 0 or k = n, common for small groups.
 */
export function wilson(k: number, n: number, z = Z95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 and k = n the bounds are exactly 0 and 1; say so rather than leave rounding noise.
  return { low: k === 0 ? 0 : Math.max(0, center - half), high: k === n ? 1 : Math.min(1, center + half) };
}

/** Error function (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-ax * ax);
  return sign * y;
}

/** Standard normal cumulative distribution. */
export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/** Pooled two-proportion z test of k1/n1 against k2/n2, two-sided. */
export function twoProportionZ(k1: number, n1: number, k2: number, n2: number): { z: number; p: number } {
  if (n1 === 0 || n2 === 0) return { z: 0, p: 1 };
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { z: 0, p: 1 };
  const z = (k1 / n1 - k2 / n2) / se;
  return { z, p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

const logFactorials: number[] = [0];

function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++) logFactorials.push(logFactorials[i - 1] + Math.log(i));
  return logFactorials[n];
}

/**
 * Fisher's exact test on the 2×2 table [[a, b], [c, d]], two-sided: the probability of every table
 * with the same margins that is no more likely than the observed one. Exact for small counts, where z fails.
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const r1 = a + b;
  const r2 = c + d;
  const c1 = a + c;
  const n = r1 + r2;
  const margins =
    logFactorial(r1) + logFactorial(r2) + logFactorial(c1) + logFactorial(n - c1) - logFactorial(n);
  const logP = (x: number): number =>
    margins - logFactorial(x) - logFactorial(r1 - x) - logFactorial(c1 - x) - logFactorial(r2 - c1 + x);
  // Relative tolerance so tables as likely as the observed one are not lost to rounding.
  const observed = logP(a) + 1e-7;
  const lo = Math.max(0, c1 - r2);
  const hi = Math.min(r1, c1);
  // The hypergeometric is unimodal: walking away from its mode the terms only fall, so once a term is
  // at most as likely as the observed table and too small to change the sum, every further one is too.
  // On thousands of units this visits tens of tables instead of thousands.
  const mode = Math.min(hi, Math.max(lo, Math.floor(((r1 + 1) * (c1 + 1)) / (n + 2))));
  let p = 0;
  const add = (x: number): boolean => {
    const lp = logP(x);
    if (lp > observed) return true;
    const term = Math.exp(lp);
    p += term;
    return term > p * 1e-20;
  };
  for (let x = mode; x >= lo && add(x); x--);
  for (let x = mode + 1; x <= hi && add(x); x++);
  return Math.min(1, p);
}

/**
 * Benjamini–Hochberg adjusted p-values (q-values), in the input order. Rejecting every test with
 * q ≤ α keeps the expected share of false claims among the claims at or below α (independent or
 * positively dependent tests); under pure noise, the chance of any claim at all is at most α.
 */
export function benjaminiHochberg(ps: readonly number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => i).sort((a, b) => ps[b] - ps[a]);
  const q = new Array<number>(m);
  let running = 1;
  order.forEach((i, j) => {
    // Rank from the top: the largest p has rank m; step-up keeps q monotone in p.
    const rank = m - j;
    running = Math.min(running, (ps[i] * m) / rank);
    q[i] = Math.min(1, running);
  });
  return q;
}
