import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCodebook } from './codebook.ts';
import { compare, type ResponseRow } from './compare.ts';
import { findings, pickQuotes } from './findings.ts';

const codebook = loadCodebook('default');

const fixture: ResponseRow[] = [
  {
    id: 'a1',
    group: 'asia_oceania',
    kind: 'best_practice',
    labels: ['mentoring'],
    text: '新入职的馆员都会分配一位师傅，一带就是两年',
  },
  {
    id: 'a2',
    group: 'asia_oceania',
    kind: 'best_practice',
    labels: ['coaching'],
    text: 'a coach for every new manager',
  },
  {
    id: 'a3',
    group: 'asia_oceania',
    kind: 'best_practice',
    labels: ['mentoring'],
    text: 'my mentor reads my cover letters',
  },
  {
    id: 'e1',
    group: 'europe',
    kind: 'best_practice',
    labels: ['mentoring'],
    text: 'Patenschaften für neue Kolleginnen',
  },
  {
    id: 'e2',
    group: 'europe',
    kind: 'best_practice',
    labels: ['coaching'],
    text: 'коуч помог мне после повышения',
  },
  {
    id: 'e3',
    group: 'europe',
    kind: 'best_practice',
    labels: ['mentoring'],
    text: 'a mentor from the CILIP scheme',
  },
  {
    id: 'm1',
    group: 'mena',
    kind: 'best_practice',
    labels: ['mentoring'],
    text: 'زميلة قديمة صارت مرجعي في كل خطوة',
  },
  {
    id: 'm2',
    group: 'mena',
    kind: 'best_practice',
    labels: ['coaching'],
    text: 'Greetings to all of you here. مدربة كوتشينغ تابعتني ستة أشهر بعد الترقية',
  },
].map((r) => ({ ...r, time: '2022-04-01T00:00:00Z' }));

describe('findings', () => {
  it('says which themes top a prompt kind across the groups, with figures and quotes', () => {
    const c = compare(fixture, { themeIds: codebook.themes.map((t) => t.id) });
    const [f] = findings(c, fixture, { codebook, groupBy: 'region' });
    expect(f.kind).toBe('best_practice');
    expect(f.text).toMatch(/^Across the regions, mentoring and coaching are the top best practices/);
    expect(f.figures.mentoring).toMatchObject({ count: 5, n: 8 });
    expect(f.quotes.length).toBe(3);
    // Quotes come from three different groups.
    expect(new Set(f.quotes.map((q) => q.group)).size).toBe(3);
  });

  it('quotes the idea unit that carries the theme, verbatim', () => {
    const [q] = pickQuotes([fixture[7]], ['coaching'], 1, codebook);
    expect(q.text).toBe('مدربة كوتشينغ تابعتني ستة أشهر بعد الترقية');
    expect(fixture[7].text.slice(q.start, q.end)).toBe(q.text);
  });

  it('every quote is a verbatim span of its response', () => {
    const piece = fc.constantFrom(
      'mentor',
      'coach',
      'наставник',
      '师傅',
      'كوتش',
      ' ',
      '. ',
      ', and ',
      '\n- ',
      '!',
      'é',
    );
    const row = fc.record({
      text: fc.array(piece, { minLength: 1, maxLength: 15 }).map((p) => p.join('')),
      group: fc.constantFrom('a', 'b', 'c'),
      labels: fc.subarray(['mentoring', 'coaching'], { minLength: 1 }),
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 12 }), (raw) => {
        const rows: ResponseRow[] = raw.map((r, i) => ({ ...r, id: `r${i}`, kind: 'best_practice' }));
        const c = compare(rows);
        for (const f of findings(c, rows, { codebook })) {
          for (const q of f.quotes) {
            const source = rows.find((r) => r.id === q.id);
            expect(source?.text.slice(q.start, q.end)).toBe(q.text);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});
