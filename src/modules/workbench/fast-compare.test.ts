import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, type ResponseRow } from '../analysis/index.ts';
import { fastCompare } from './fast-compare.ts';

const THEMES = ['mentoring', 'coaching', 'team_building', 'leading_in_crisis', 'communication', 'funding'];
const row = fc.record({
  labels: fc.subarray(THEMES),
  group: fc.constantFrom('europe', 'asia_oceania', 'north_america', '', 'sub_saharan_africa'),
  kind: fc.constantFrom('best_practice', 'need', 'recommendation', ''),
  time: fc.constantFrom('2022-03-23T05:00:00Z', '2022-05-31T23:00:00Z', '2022-06-01T00:00:00Z', undefined),
});

describe('the compare page’s fast comparison', () => {
  it('equals the engine’s compare on random series, with and without an as-of date', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 120 }),
        fc.constantFrom(undefined, '2022-05-31'),
        fc.boolean(),
        (rs, asOf, withOrder) => {
          const rows: ResponseRow[] = rs.map((r, i) => ({
            id: String(i),
            text: '',
            labels: r.labels,
            group: r.group,
            kind: r.kind,
            ...(r.time ? { time: r.time } : {}),
          }));
          const options = { ...(withOrder ? { themeIds: THEMES } : {}), ...(asOf ? { asOf } : {}) };
          expect(JSON.stringify(fastCompare(rows, options))).toBe(JSON.stringify(compare(rows, options)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('counts a weighted row like that many rows', () => {
    const one = { labels: ['mentoring'], group: 'europe', kind: 'need' };
    const a = fastCompare([
      { ...one, weight: 3 },
      { labels: [], group: 'asia_oceania', kind: 'need' },
    ]);
    const b = fastCompare([one, one, one, { labels: [], group: 'asia_oceania', kind: 'need' }]);
    expect(a).toEqual(b);
  });
});
