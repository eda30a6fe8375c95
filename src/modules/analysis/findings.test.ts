import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCodebook } from './codebook.ts';
import { compare, type ResponseRow } from './compare.ts';
import { findings, pickQuotes } from './findings.ts';
import type { CodedRow } from './claims.ts';

const codebook = loadCodebook('default');

const fixture: ResponseRow[] = [
  {
    id: 'a1',
    group: 'asia_oceania',
    kind: 'best_practice',
    labels: ['mentoring'],
    text: '每位新同事都有一位老馆员当师傅，带了整整一年',
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
    text: 'my mentor went through every grant draft with me',
  },
  {
    id: 'e1',
    group: 'europe',
    kind: 'best_practice',
    labels: ['mentoring'],
    text: 'Eine erfahrene Kollegin begleitet mich als Mentorin',
  },
  {
    id: 'e2',
    group: 'europe',
    kind: 'best_practice',
    labels: ['coaching'],
    text: 'коуч занимался со мной весь первый год руководства',
  },
  {
    id: 'e3',
    group: 'europe',
    kind: 'best_practice',
    labels: ['mentoring'],
    text: 'a mentor from the national association',
  },
  {
    id: 'm1',
    group: 'mena',
    kind: 'best_practice',
    labels: ['mentoring'],
    text: 'مرشدتي في المكتبة ساعدتني في سنتي الأولى',
  },
  {
    id: 'm2',
    group: 'mena',
    kind: 'best_practice',
    labels: ['coaching'],
    text: 'Greetings to all of you here. مدرب كوتشينغ رافقني عدة أشهر بعد تعييني مديرا',
  },
].map((r) => ({ ...r, time: '2022-04-01T00:00:00Z' }));

describe('findings', () => {
  it('says which themes top a prompt kind across the groups, with figures and quotes', () => {
    const c = compare(fixture, { themeIds: codebook.themes.map((t) => t.id) });
    const [f] = findings(c, fixture, { codebook, groupBy: 'region' });
    expect(f.kind).toBe('best_practice');
    expect(f.text).toBe(
      'Across the regions, the most mentioned best practices: Mentoring (5 of 8, 63%) and Coaching (3 of 8, 38%).',
    );
    expect(f.held).toBe(true);
    expect(f.figures.mentoring).toMatchObject({ count: 5, n: 8 });
    expect(f.quotes.length).toBe(3);
    // Quotes come from three different groups.
    expect(new Set(f.quotes.map((q) => q.group)).size).toBe(3);
  });

  it('quotes the idea unit that carries the theme, verbatim', () => {
    const [q] = pickQuotes([fixture[7]], ['coaching'], 1, codebook);
    expect(q.text).toBe('مدرب كوتشينغ رافقني عدة أشهر بعد تعييني مديرا');
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

/** Rows for claims: one group says "training" far more than the others; some codes are the engine's. */
function claimRows(): CodedRow[] {
  const rows: CodedRow[] = [];
  const groups = ['asia_oceania', 'europe', 'north_america', 'sub_saharan_africa'];
  for (const [gi, g] of groups.entries()) {
    for (let i = 0; i < 20; i++) {
      const training = g === 'asia_oceania' ? i < 12 : i === 0;
      const day = i < 10 ? '2026-02-10' : '2026-03-10';
      rows.push({
        id: `${g}-${String(i).padStart(2, '0')}`,
        text: training
          ? `Leadership training for new managers, round ${gi}-${i}.`
          : `Time with colleagues ${i}.`,
        group: g,
        kind: 'need',
        labels: training ? ['training'] : ['networking'],
        time: `${day}T10:00:00Z`,
        // In Asia-Oceania, a person checked 4 of the 12; the engine coded the rest, half of them unsure.
        coding: training
          ? { training: i < 4 ? { by: 'person' } : { by: 'engine', confidence: i % 2 ? 0.5 : 0.9 } }
          : undefined,
      });
    }
  }
  return rows;
}

describe('distinctive claims in the findings', () => {
  const rows = claimRows();
  const region = (g: string): string =>
    ({ asia_oceania: 'Asia-Oceania', europe: 'Europe' })[g] ?? g.replace(/_/g, ' ');

  it('states n, both shares and the adjusted q, with labels, and says the engine coded most units', () => {
    const c = compare(rows, { themeIds: codebook.themes.map((t) => t.id) });
    const found = findings(c, rows, { codebook, groupBy: 'region', groupLabel: region });
    const d = found.find((f) => f.type === 'distinctive' && f.held)!;
    expect(d.group).toBe('asia_oceania');
    expect(d.claim).toMatchObject({ kind: 'need', count: 12, n: 20, otherCount: 3, otherN: 60, held: true });
    expect(d.claim!.q).toBeLessThan(0.05);
    expect(d.text).toMatch(
      /^Training stands out in Asia-Oceania among needs: 12 of 20 responses \(60%\) against 5% elsewhere \(Benjamini–Hochberg q (< )?0\.0\d\d\)\. Coded by the engine; 4 of 12 checked by people\.$/,
    );
    expect(d.text).not.toMatch(/asia_oceania|Asia Oceania/);
    expect(d.coding).toEqual({ units: 12, byPerson: 4, byEngine: 8, mostlyEngine: true });
  });

  it('quotes only units coded by a person or by a confident engine, with the confidence', () => {
    const c = compare(rows);
    const d = findings(c, rows, { codebook, quotesPerFinding: 10 }).find((f) => f.type === 'distinctive')!;
    expect(d.quotes.length).toBe(2);
    for (const q of d.quotes) {
      const i = Number(q.id.slice(-2));
      if (q.codedBy === 'engine') expect(q.confidence).toBe(0.9);
      else expect(i).toBeLessThan(4);
      expect(i % 2 === 1 && i >= 4).toBe(false);
    }
  });

  it('says whether a claim holds without unsure engine codes, and since which session', () => {
    const c = compare(rows);
    const d = findings(c, rows, { codebook, checkpoints: ['2026-02-10', '2026-03-10'] }).find(
      (f) => f.type === 'distinctive' && f.group === 'asia_oceania',
    )!;
    // Without the four engine codes at 0.5, 8 of 20 remain against 3 of 60: still holds.
    expect(d.claim!.sensitivity.withoutLowConfidence).toBe(true);
    // By the first session only 10 per group had answered: 10 of 10 against 3 of 30.
    expect(d.claim!.sensitivity.checkpoints).toEqual([
      { asOf: '2026-02-10', held: true },
      { asOf: '2026-03-10', held: true },
    ]);
    expect(d.claim!.sensitivity.firstHeld).toBe('2026-02-10');
    // Dropping every engine code below 0.95 leaves 4 of 20: below the minimum support.
    const strict = findings(c, rows, { codebook, minConfidence: 0.95 }).find(
      (f) => f.type === 'distinctive' && f.group === 'asia_oceania',
    )!;
    expect(strict.claim!.sensitivity.withoutLowConfidence).toBe(false);
  });

  it('keeps claims that did not survive, flagged, and says why', () => {
    const c = compare(rows);
    const found = findings(c, rows, { codebook, minSupport: 13 });
    const d = found.find((f) => f.type === 'distinctive' && f.group === 'asia_oceania')!;
    expect(d.held).toBe(false);
    expect(d.claim!.failed).toBe('support');
    expect(d.text).toMatch(
      /^Not claimed: only 12 mentions in the group, at least 13 needed\. Training stands out/,
    );
  });

  it('writes the sentences in the seven languages with plural rules and labels', () => {
    const c = compare(rows);
    const sentence = (language: string) =>
      findings(c, rows, { codebook, language, groupLabel: region, themeLabel: () => 'T' }).find(
        (f) => f.type === 'distinctive',
      )!.text;
    expect(sentence('ru')).toMatch(/^Asia-Oceania: «T» выделяется среди потребностей — 12 из 20 ответов/);
    expect(sentence('de')).toMatch(
      /^Asia-Oceania: T sticht bei den Bedürfnissen hervor – 12 von 20 Antworten/,
    );
    expect(sentence('fr')).toMatch(/^Asia-Oceania : T ressort parmi les besoins : 12 sur 20 réponses/);
    expect(sentence('es')).toMatch(/^Asia-Oceania: T destaca entre las necesidades: 12 de 20 respuestas/);
    expect(sentence('zh')).toMatch(/^T在Asia-Oceania的需求中尤为突出：20条回答中有12条/);
    expect(sentence('ar')).toMatch(/^Asia-Oceania: يبرز T ضمن الاحتياجات/);
    expect(sentence('en-GB')).toMatch(/^T stands out in Asia-Oceania among needs: 12 of 20 responses/);
    // One response: singular forms.
    const one: CodedRow[] = [
      ...Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, text: 'x', group: 'a', labels: ['t'] })),
      ...Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, text: 'y', group: 'b', labels: [] })),
    ];
    const ru = findings(compare(one), one, { language: 'ru', minSupport: 1 }).find(
      (f) => f.type === 'distinctive',
    )!;
    expect(ru.text).toMatch(/5 из 5 ответов/);
  });
});

describe('sensitivity over many days', () => {
  it('replays at most 24 checkpoints, the last one included', () => {
    const rows: CodedRow[] = [];
    for (let d = 0; d < 60; d++)
      for (const g of ['a', 'b'])
        rows.push({
          id: `${g}${d}`,
          text: 'x',
          group: g,
          labels: g === 'a' ? ['t'] : [],
          time: new Date(Date.UTC(2026, 0, 1 + d, 12)).toISOString(),
        });
    const d = findings(compare(rows), rows).find((f) => f.type === 'distinctive')!;
    const points = d.claim!.sensitivity.checkpoints;
    expect(points).toHaveLength(24);
    expect(points[points.length - 1].asOf).toBe('2026-03-01');
    expect(points[points.length - 1].held).toBe(true);
    // Five days in, 5 of 5 against 0 of 5 is not enough after correction; it holds from a later day on.
    expect(d.claim!.sensitivity.firstHeld! > '2026-01-05').toBe(true);
  });
});
