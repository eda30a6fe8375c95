import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segment } from './segment.ts';
import { tokenize } from './tokenize.ts';

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

describe('segmentation and tokenisation stay linear on pathological text', () => {
  const cases: Record<string, string> = {
    'dots × 100,000': '.'.repeat(100_000),
    '"!?" × 20,000': '!?'.repeat(20_000),
    'ellipses × 50,000': '…'.repeat(50_000),
    'Arabic question marks × 50,000': '؟'.repeat(50_000),
    '"Hi. " × 30,000': 'Hi. '.repeat(30_000),
    '", and " × 20,000': ', and '.repeat(20_000),
    'list items × 12,500': '- x\n'.repeat(12_500),
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`${name} in well under a second`, () => {
      const t0 = performance.now();
      const units = segment(text);
      const tokens = tokenize(text, 'en');
      const ms = performance.now() - t0;
      console.log(
        JSON.stringify({ pathological: name, chars: text.length, units: units.length, ms: Math.round(ms) }),
      );
      // Offsets stay verbatim whatever the input.
      for (const u of units) expect(text.slice(u.start, u.end)).toBe(u.text);
      expect(tokens.length).toBeLessThanOrEqual(text.length);
      expect(ms).toBeLessThan(1000);
    });
  }
});
