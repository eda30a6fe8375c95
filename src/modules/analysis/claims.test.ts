import { describe, expect, it } from 'vitest';
import { dropLowConfidence, testClaims, type CodedRow } from './claims.ts';
import type { ResponseRow } from './compare.ts';
import { createRandom, shuffle } from './random.ts';

const THEMES = ['t01', 't02', 't03', 't04', 't05', 't06', 't07', 't08', 't09', 't10', 't11', 't12'];
const KINDS = ['best_practice', 'recommendation', 'need'];
const GROUPS = Array.from({ length: 18 }, (_, i) => `g${String(i).padStart(2, '0')}`);

/** Labels drawn independently of any group: each theme has its own base rate (5% to 38%). */
function noiseRows(random: () => number, perGroup: number): ResponseRow[] {
  const rows: ResponseRow[] = [];
  for (const g of GROUPS) {
    for (let i = 0; i < perGroup; i++) {
      const labels = THEMES.filter((_, t) => random() < 0.05 + 0.03 * t);
      rows.push({ id: `${g}-${i}`, text: '', group: g, kind: KINDS[i % KINDS.length], labels });
    }
  }
  return rows;
}

describe('claims corrected for multiple comparisons', () => {
  it('makes a claim in at most 5% of 1,000 pure-noise shuffles of many small groups', () => {
    const random = createRandom(16);
    const rows = noiseRows(random, 24);
    const groups = rows.map((r) => r.group!);
    let withClaim = 0;
    let uncorrected = 0;
    let tests = 0;
    for (let s = 0; s < 1000; s++) {
      shuffle(groups, random);
      const shuffled = rows.map((r, i) => ({ ...r, group: groups[i] }));
      const set = testClaims(shuffled);
      tests = set.tests;
      if (set.claims.some((c) => c.held)) withClaim++;
      // What the old rule (Fisher p < 0.05, no correction, no support) would have claimed.
      if (set.claims.some((c) => c.p < 0.05)) uncorrected++;
    }
    expect(tests).toBe(GROUPS.length * THEMES.length * KINDS.length);
    expect(withClaim / 1000).toBeLessThanOrEqual(0.05);
    // The same data without correction claims something almost every time: the test can fail.
    expect(uncorrected / 1000).toBeGreaterThan(0.9);
  });

  it('finds a real signal planted in one group, with n, shares and the adjusted q', () => {
    const random = createRandom(7);
    const rows = noiseRows(random, 24).map((r) =>
      r.group === 'g03' && r.kind === 'need' && !r.labels.includes('t01')
        ? { ...r, labels: random() < 0.75 ? [...r.labels, 't01'] : r.labels }
        : r,
    );
    const set = testClaims(rows);
    const held = set.claims.filter((c) => c.held);
    expect(held.map((c) => `${c.kind}/${c.group}/${c.themeId}`)).toEqual(['need/g03/t01']);
    const [c] = held;
    expect(c.n).toBe(8);
    expect(c.count).toBeGreaterThanOrEqual(5);
    expect(c.share).toBeCloseTo(c.count / c.n, 10);
    expect(c.otherShare).toBeCloseTo(c.otherCount / c.otherN, 10);
    expect(c.otherN).toBe(8 * (GROUPS.length - 1));
    expect(c.q).toBeLessThanOrEqual(0.05);
    expect(c.q).toBeGreaterThanOrEqual(c.p);
  });

  it('keeps claims that failed the correction or the support, flagged', () => {
    // 4 of 4 in one group against 0 of 16 elsewhere: strong, but only 4 mentions.
    const rows: ResponseRow[] = [];
    for (let i = 0; i < 20; i++)
      rows.push({ id: `r${i}`, text: '', group: i < 4 ? 'small' : `g${i % 4}`, labels: i < 4 ? ['x'] : [] });
    const strict = testClaims(rows);
    expect(strict.claims).toHaveLength(1);
    expect(strict.claims[0]).toMatchObject({ themeId: 'x', group: 'small', held: false, failed: 'support' });
    const loose = testClaims(rows, { minSupport: 3 });
    expect(loose.claims[0]).toMatchObject({ held: true, count: 4, n: 4, otherCount: 0, otherN: 16 });
    expect(loose.claims[0].failed).toBeUndefined();
  });

  it('counts only responses up to the as-of date', () => {
    const rows: ResponseRow[] = Array.from({ length: 40 }, (_, i) => ({
      id: `r${i}`,
      text: '',
      group: i % 2 ? 'a' : 'b',
      labels: i % 2 && i < 30 ? ['x'] : [],
      time: `2026-0${i < 20 ? 3 : 5}-01T10:00:00Z`,
    }));
    expect(testClaims(rows, { asOf: '2026-03-31' }).claims[0]).toMatchObject({ count: 10, n: 10 });
    expect(testClaims(rows).claims[0]).toMatchObject({ count: 15, n: 20 });
  });

  it('drops engine codes below a confidence, never a person’s', () => {
    const rows: CodedRow[] = [
      {
        id: 'a',
        text: '',
        labels: ['x', 'y', 'z'],
        coding: {
          x: { by: 'engine', confidence: 0.4 },
          y: { by: 'person' },
          z: { by: 'engine', confidence: 0.9 },
        },
      },
    ];
    expect(dropLowConfidence(rows, 0.6)[0].labels).toEqual(['y', 'z']);
  });
});
