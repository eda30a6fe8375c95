import { describe, expect, it } from 'vitest';
import { agreementByTheme, cohensKappa, krippendorffAlpha, type Pair } from './agreement.ts';

const pairs = (a: number[], b: number[]): Pair[] => a.map((x, i) => [x === 1, b[i] === 1]);

describe('agreement between coders', () => {
  it('computes Cohen’s kappa and Krippendorff’s alpha of a worked example', () => {
    // Coder A says yes twice, B once; they agree on 3 of 4 units.
    const p = pairs([1, 1, 0, 0], [1, 0, 0, 0]);
    expect(cohensKappa(p)).toBeCloseTo(0.5, 10);
    expect(krippendorffAlpha(p)).toBeCloseTo(1 - (7 * 2) / 30, 10);
  });

  it('gives 1 for perfect agreement and is below 0 for systematic disagreement', () => {
    const same = pairs([1, 0, 1, 0, 1], [1, 0, 1, 0, 1]);
    expect(cohensKappa(same)).toBe(1);
    expect(krippendorffAlpha(same)).toBe(1);
    const opposite = pairs([1, 0, 1, 0], [0, 1, 0, 1]);
    expect(cohensKappa(opposite)!).toBeLessThan(0);
    expect(krippendorffAlpha(opposite)!).toBeLessThan(0);
  });

  it('matches Krippendorff’s published binary example (alpha ≈ 0.095)', () => {
    // Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section B: two observers, ten units.
    const a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    const b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    expect(krippendorffAlpha(pairs(a, b))).toBeCloseTo(0.095, 3);
  });

  it('is undefined (null) when there is nothing to agree on', () => {
    expect(cohensKappa([])).toBeNull();
    expect(krippendorffAlpha(pairs([1, 1], [1, 1]))).toBeNull();
  });

  it('groups pairs per theme', () => {
    const out = agreementByTheme([
      { themeKey: 'mentoring', a: true, b: true },
      { themeKey: 'mentoring', a: false, b: false },
      { themeKey: 'coaching', a: true, b: false },
    ]);
    expect(out.map((x) => [x.themeKey, x.units])).toEqual([
      ['mentoring', 2],
      ['coaching', 1],
    ]);
    expect(out[0].kappa).toBe(1);
  });
});
