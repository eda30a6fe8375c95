import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { segment } from './segment.ts';
import { tokenize } from './tokenize.ts';

const texts = (s: string): string[] => segment(s).map((u) => u.text);

describe('segmenting responses into idea units', () => {
  it('splits sentences and keeps short fragments with their neighbour', () => {
    expect(
      texts('we found a mentor through the regional chapter. she answers my questions every week'),
    ).toEqual(['we found a mentor through the regional chapter.', 'she answers my questions every week']);
    expect(texts('Thanks! A coach helped me a lot')).toEqual(['Thanks! A coach helped me a lot']);
  });

  it('splits list items, one idea each', () => {
    expect(texts('what I need!!\n- statistics\n- IT\n- writing reports')).toEqual([
      'what I need!!',
      'statistics',
      'IT',
      'writing reports',
    ]);
  });

  it('splits clauses joined by ", and" but keeps "mentoring and coaching" together', () => {
    expect(
      texts('give new staff a real project of their own, and ask them what they would change'),
    ).toHaveLength(2);
    expect(texts('mentoring and coaching for new managers')).toHaveLength(1);
  });

  it('splits Chinese, Arabic and Russian sentences', () => {
    expect(texts('去年我们参加了一次领导力培训。今年希望能有更多经费。')).toHaveLength(2);
    expect(texts('نريد دورات باللغة العربية. ونحتاج أيضا إلى تمويل للسفر')).toHaveLength(2);
    expect(texts('Нам нужны курсы для руководителей. Ещё нужна поддержка ассоциации.')).toHaveLength(2);
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
