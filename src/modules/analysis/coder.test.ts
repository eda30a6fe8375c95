import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCodebook } from './codebook.ts';
import { createCoder, deserializeCoder, type CoderState } from './coder.ts';

const codebook = loadCodebook('default');
const themesOf = (coder: ReturnType<typeof createCoder>, text: string): string[] =>
  coder.code([text])[0].codings.map((c) => c.themeId);

describe('coding from the codebook alone', () => {
  const coder = createCoder(codebook);

  it.each([
    ['en', 'my mentor checks my project plans and tells me what she thinks', 'mentoring'],
    ['ar', 'كان لي مرشد في سنتي الأولى في المكتبة', 'mentoring'],
    ['zh', '我刚工作时馆里给我安排了一位导师', 'mentoring'],
    ['ru', 'после назначения я полгода занималась с коучем', 'coaching'],
    ['es', 'cómo dirigir al personal durante una crisis', 'leading_in_crisis'],
    ['de', 'mehr Vertrauen und bessere Zusammenarbeit im Team', 'team_building'],
  ])('finds the theme of a %s answer', (_lang, text, theme) => {
    expect(themesOf(coder, text)).toContain(theme);
  });

  it('codes greetings with no theme', () => {
    expect(themesOf(coder, 'hello everyone from Bogotá')).toEqual([]);
  });

  it('gives several themes to an answer with several ideas, each pointing at its own unit', () => {
    const text = 'My mentor talked with me about my career. A coach worked with me on running meetings.';
    const [coded] = coder.code([text]);
    const byTheme = new Map(coded.codings.map((c) => [c.themeId, text.slice(c.start, c.end)]));
    expect(byTheme.get('mentoring')).toBe('My mentor talked with me about my career.');
    expect(byTheme.get('coaching')).toBe('A coach worked with me on running meetings.');
    for (const c of coded.codings) expect(c.confidence).toBeGreaterThan(0);
  });

  it('points every coding at verbatim text of its response, even for a unit of a larger response', () => {
    const piece = fc.constantFrom(
      'mentor',
      'coach',
      'équipe',
      'крисис',
      '团队',
      'وقت',
      ' ',
      '. ',
      ', and ',
      '\n- ',
      'x',
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 20 }).map((p) => p.join('')),
        fc.nat(30),
        (text, pad) => {
          const response = ' '.repeat(pad) + text;
          const [coded] = coder.code([{ text, start: pad }]);
          for (const c of coded.codings) {
            expect(c.start).toBeGreaterThanOrEqual(pad);
            expect(c.end).toBeLessThanOrEqual(response.length);
            expect(response.slice(c.start, c.end).trim().length).toBeGreaterThan(0);
            expect(text).toContain(response.slice(c.start, c.end));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('learning from coded examples', () => {
  const examples = [
    { text: 'the photocopier is always jammed', labels: ['digital_infrastructure'] },
    { text: 'we need a printer that works', labels: ['digital_infrastructure'] },
    { text: 'printers break every week', labels: ['digital_infrastructure'] },
    { text: 'my mentor guided me', labels: ['mentoring'] },
    { text: 'hello from Lima', labels: [] },
  ];

  it('learns a theme the seed terms miss', () => {
    const coder = createCoder(codebook);
    expect(themesOf(coder, 'the printer is jammed again')).not.toContain('digital_infrastructure');
    coder.train(examples);
    expect(themesOf(coder, 'the printer is jammed again')).toContain('digital_infrastructure');
  });

  it('learns incrementally, and a prepared series re-scores to the same result as coding afresh', () => {
    const coder = createCoder(codebook);
    coder.train(examples.slice(3));
    const series = [
      'the printer is jammed again',
      'a coach for new managers',
      'jammed photocopier, no printer',
    ];
    const prepared = coder.prepare(series);
    const before = coder.code(prepared)[0].scores.digital_infrastructure;
    for (const ex of examples.slice(0, 3)) coder.addExample(ex);
    const incremental = coder.code(prepared);
    const fresh = coder.code(series);
    expect(incremental[0].scores.digital_infrastructure).toBeGreaterThan(before);
    incremental.forEach((c, i) => {
      for (const [id, p] of Object.entries(c.scores)) expect(p).toBeCloseTo(fresh[i].scores[id], 6);
    });
    expect(coder.exampleCount()).toBe(5);
  });

  it('rejects an example with a theme the codebook lacks', () => {
    expect(() => createCoder(codebook).addExample({ text: 'x', labels: ['nope'] })).toThrow(
      /unknown theme id "nope"/,
    );
  });

  it('is deterministic and survives serialise/deserialise', () => {
    const a = createCoder(codebook);
    const b = createCoder(codebook);
    a.train(examples);
    b.train(examples);
    const text = 'our printer and a mentor';
    expect(a.code([text])[0].scores).toEqual(b.code([text])[0].scores);
    const restored = deserializeCoder(JSON.parse(JSON.stringify(a.serialize())) as CoderState);
    expect(restored.code([text])[0].scores).toEqual(a.code([text])[0].scores);
    expect(restored.exampleCount()).toBe(5);
  });

  it('suggests the answers it is least sure about first (uncertainty sampling)', () => {
    const coder = createCoder(codebook);
    const texts = ['hello from Lima', 'my mentor guided me and my mentor helped me', 'a mentor, maybe'];
    const scores = coder.code(texts).map((c) => Math.max(...Object.values(c.scores)));
    const suggestions = coder.suggestNext(texts, 3);
    expect(suggestions).toHaveLength(3);
    const first = suggestions[0].index;
    // The first suggestion's best theme sits nearest the decision threshold.
    const distance = (i: number): number =>
      Math.min(
        ...Object.values(coder.code([texts[i]])[0].scores).map((p) =>
          Math.abs(Math.log(p / (1 - p)) - Math.log(0.4 / 0.6)),
        ),
      );
    expect(distance(first)).toBeLessThanOrEqual(Math.min(distance(0), distance(1), distance(2)) + 1e-9);
    expect(scores).toHaveLength(3);
  });
});
