import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, fisherExact, normalCdf, twoProportionZ, wilson } from './stats.ts';

describe('statistics', () => {
  it('computes 95% Wilson intervals (reference values from Newcombe 1998)', () => {
    const a = wilson(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilson(0, 10);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.2775, 4);
    const c = wilson(10, 10);
    expect(c.high).toBe(1);
    expect(c.low).toBeCloseTo(0.7225, 4);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("runs Fisher's exact test (the lady tasting tea: p = 0.486; a strong table)", () => {
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.4857, 4);
    expect(fisherExact(10, 0, 0, 10)).toBeCloseTo(1.0825e-5, 8);
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(0.002759, 5);
  });

  it('runs the pooled two-proportion z test', () => {
    const r = twoProportionZ(30, 100, 15, 100);
    expect(r.z).toBeCloseTo(2.54, 3);
    expect(r.p).toBeCloseTo(0.01108, 4);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
  });
});

describe('Benjamini–Hochberg', () => {
  it('adjusts p-values as R p.adjust(method = "BH") does', () => {
    // p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH") = 0.025 0.05 0.05 0.025 0.5
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]);
    expect(q.map((x) => Number(x.toFixed(6)))).toEqual([0.025, 0.05, 0.05, 0.025, 0.5]);
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.9, 0.95])).toEqual([0.95, 0.95]);
  });
});
