import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asOfLimit, compare, type CompareRow, type ResponseRow } from './compare.ts';

function rows(): ResponseRow[] {
  const out: ResponseRow[] = [];
  let n = 0;
  const add = (group: string, kind: string, labels: string[], time: string, count = 1): void => {
    for (let i = 0; i < count; i++)
      out.push({ id: `r${++n}`, text: `answer ${n}`, labels, group, kind, time });
  };
  for (const g of ['asia', 'europe', 'africa']) {
    add(g, 'best_practice', ['mentoring'], '2022-03-10T10:00:00Z', 4);
    add(g, 'best_practice', ['coaching'], '2022-03-10T10:00:00Z', 2);
    add(g, 'best_practice', [], '2022-03-10T10:00:00Z', 1);
  }
  add('europe', 'best_practice', ['networking'], '2022-03-11T10:00:00Z', 3);
  add('africa', 'need', ['digital_infrastructure'], '2022-06-15T10:00:00Z', 6);
  add('asia', 'need', ['communication'], '2022-03-12T10:00:00Z', 2);
  add('europe', 'need', ['communication'], '2022-03-12T10:00:00Z', 2);
  return out;
}

describe('comparing themes across groups', () => {
  it('counts themes per prompt kind with shares and Wilson intervals', () => {
    const c = compare(rows(), {
      themeIds: ['mentoring', 'coaching', 'networking', 'communication', 'digital_infrastructure'],
    });
    const bp = c.kinds.best_practice;
    expect(bp.n).toBe(24);
    expect(bp.top).toEqual(['mentoring', 'coaching', 'networking']);
    const mentoring = bp.themes.find((t) => t.id === 'mentoring');
    expect(mentoring).toMatchObject({ count: 12, n: 24, share: 0.5 });
    expect(mentoring?.low).toBeLessThan(0.5);
    expect(mentoring?.high).toBeGreaterThan(0.5);
    expect(mentoring?.groups.europe).toMatchObject({ count: 4, n: 10 });
  });

  it("finds the themes that hold in every group's top ranks", () => {
    const c = compare(rows(), { acrossTop: 3 });
    expect(compare(rows(), { acrossTop: 2 }).acrossGroups.best_practice).toEqual(['mentoring']);
    expect(c.acrossGroups.best_practice).toEqual(['mentoring', 'coaching']);
  });

  it('finds themes distinctive of a group with lift and Fisher exact p', () => {
    const c = compare(rows());
    expect(c.distinctive.africa.map((d) => d.id)).toEqual(['digital_infrastructure']);
    const d = c.distinctive.africa[0];
    expect(d.lift).toBeGreaterThan(5);
    expect(d.p).toBeLessThan(0.05);
    expect(c.distinctive.asia).toEqual([]);
  });

  it('counts only what was said as of a date, the whole of that day included', () => {
    const c = compare(rows(), { asOf: '2022-05-31' });
    expect(c.n).toBe(rows().length - 6);
    expect(c.excluded).toBe(6);
    expect(c.kinds.need.top).toEqual(['communication']);
    expect(compare(rows(), { asOf: '2022-06-15' }).n).toBe(rows().length);
    expect(() => compare(rows(), { asOf: 'May' })).toThrow(/not a date/);
  });

  // The one-pass counting is checked against the definitions, counted the slow way, on random series.
  const THEMES = ['mentoring', 'coaching', 'team_building', 'communication', 'funding'];
  const arbRow = fc.record({
    labels: fc.subarray(THEMES),
    group: fc.constantFrom('europe', 'asia_oceania', '', 'sub_saharan_africa'),
    kind: fc.constantFrom('best_practice', 'need', ''),
    time: fc.constantFrom('2022-03-23T05:00:00Z', '2022-05-31T23:00:00Z', '2022-06-01T00:00:00Z', undefined),
  });

  it('counts every theme, kind and group as their definitions say, on random series', () => {
    fc.assert(
      fc.property(
        fc.array(arbRow, { maxLength: 120 }),
        fc.constantFrom(undefined, '2022-05-31'),
        (rs, asOf) => {
          const rows: CompareRow[] = rs.map((r) => ({ ...r, ...(r.time ? {} : { time: undefined }) }));
          const c = compare(rows, { themeIds: THEMES, ...(asOf ? { asOf } : {}) });
          const limit = asOf ? asOfLimit(asOf) : Infinity;
          const kept = rows.filter((r) => !asOf || (r.time !== undefined && Date.parse(r.time) <= limit));
          expect(c.n).toBe(kept.length);
          expect(c.excluded).toBe(rows.length - kept.length);
          expect(c.groups).toEqual([...new Set(kept.map((r) => r.group || '(none)'))].sort());
          for (const [kind, k] of Object.entries(c.kinds)) {
            const inKind = kept.filter((r) => (r.kind || 'all') === kind);
            expect(k.n).toBe(inKind.length);
            for (const t of k.themes) {
              expect(t.count).toBe(inKind.filter((r) => r.labels.includes(t.id)).length);
              for (const [g, f] of Object.entries(t.groups)) {
                const inGroup = inKind.filter((r) => (r.group || '(none)') === g);
                expect(f.n).toBe(inGroup.length);
                expect(f.count).toBe(inGroup.filter((r) => r.labels.includes(t.id)).length);
                expect(f.low).toBeLessThanOrEqual(f.share);
                expect(f.high).toBeGreaterThanOrEqual(f.share);
              }
            }
            // Ranked by count, most first.
            const counts = k.top.map((id) => k.themes.find((t) => t.id === id)!.count);
            expect(counts).toEqual([...counts].sort((a, b) => b - a));
            expect(counts.every((x) => x > 0)).toBe(true);
          }
          for (const [g, list] of Object.entries(c.distinctive))
            for (const d of list) {
              const inG = kept.filter((r) => (r.group || '(none)') === g);
              expect(d.count).toBe(inG.filter((r) => r.labels.includes(d.id)).length);
              expect(d.otherN).toBe(kept.length - inG.length);
              expect(d.share).toBeGreaterThan(d.otherShare);
              expect(d.p).toBeLessThan(0.05);
            }
          // The order of the rows never matters.
          expect(compare([...rows].reverse(), { themeIds: THEMES, ...(asOf ? { asOf } : {}) })).toEqual(c);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts a weighted row like that many identical rows', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbRow, fc.integer({ min: 1, max: 4 })), { maxLength: 40 }), (rs) => {
        const weighted: CompareRow[] = rs.map(([r, w]) => ({ ...r, weight: w }));
        const repeated: CompareRow[] = rs.flatMap(([r, w]) => Array.from({ length: w }, () => r));
        expect(compare(weighted, { asOf: '2022-05-31' })).toEqual(compare(repeated, { asOf: '2022-05-31' }));
      }),
      { numRuns: 200 },
    );
  });
});
