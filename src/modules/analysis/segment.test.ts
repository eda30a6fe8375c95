import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segment } from './segment.ts';

const texts = (s: string): string[] => segment(s).map((u) => u.text);

describe('segmenting responses into idea units', () => {
  it('splits sentences and keeps short fragments with their neighbour', () => {
    expect(texts('the mentor match through our alumni network. my mentor reads my cover letters')).toEqual([
      'the mentor match through our alumni network.',
      'my mentor reads my cover letters',
    ]);
    expect(texts('Thanks! A coach helped me a lot')).toEqual(['Thanks! A coach helped me a lot']);
  });

  it('splits list items, one idea each', () => {
    expect(texts('mgmt skills!!\n- budgets\n- HR\n- performance reviews')).toEqual([
      'mgmt skills!!',
      'budgets',
      'HR',
      'performance reviews',
    ]);
  });

  it('splits clauses joined by ", and" but keeps "mentoring and coaching" together', () => {
    expect(
      texts('trust the juniors on your team to make mistakes, and let them teach you something back'),
    ).toHaveLength(2);
    expect(texts('mentoring and coaching for new managers')).toHaveLength(1);
  });

  it('splits Chinese, Arabic and Russian sentences', () => {
    expect(texts('教练技术培训之后，部门主任学会了提问。而且我们有师傅制度，一带就是两年。')).toHaveLength(2);
    expect(texts('دورات الجمعية صارت بالعربية والفرنسية. زميلة قديمة صارت مرجعي في كل خطوة')).toHaveLength(2);
    expect(
      texts('Мне помогла опытная коллега из библиотеки. Коуч помог выстроить отношения с подчинёнными.'),
    ).toHaveLength(2);
  });

  it('returns nothing for blank text', () => {
    expect(segment('   \n ')).toEqual([]);
  });

  it('gives every unit offsets that point at verbatim, ordered, non-overlapping text', () => {
    const unit = fc.constantFrom(
      'a',
      'b',
      ' ',
      '.',
      ',',
      '\n',
      '- ',
      '。',
      '؟',
      'and ',
      ', and ',
      'é',
      '中',
      'ж',
      '!',
      '1.',
    );
    fc.assert(
      fc.property(
        fc.array(unit, { maxLength: 40 }).map((parts) => parts.join('')),
        (text) => {
          let last = 0;
          for (const u of segment(text)) {
            expect(text.slice(u.start, u.end)).toBe(u.text);
            expect(u.start).toBeGreaterThanOrEqual(last);
            expect(u.text.trim()).toBe(u.text);
            last = u.end;
          }
        },
      ),
    );
  });
});
