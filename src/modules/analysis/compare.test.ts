import { describe, expect, it } from 'vitest';
import { compare, type ResponseRow } from './compare.ts';

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
});
