import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenize.ts';
import { compileZeroShot, zeroShotEvidence, zeroShotScores } from './zero-shot.ts';

const codebook = {
  themes: [
    {
      id: 'communication',
      label: 'Communication',
      terms: [
        { text: 'communication', lang: 'en' },
        { text: '沟通', lang: 'zh' },
      ],
    },
    {
      id: 'mentoring',
      label: 'Mentoring',
      terms: [
        { text: 'mentor', lang: 'en' },
        { text: 'إرشاد', lang: 'ar' },
        { text: 'showed me how things work', lang: 'en' },
      ],
    },
    { id: 'timeliness_of_care', label: 'Timeliness of care', terms: [] },
  ],
};
const index = compileZeroShot(codebook);
const score = (text: string, lang: string): number[] => [
  ...zeroShotScores(index, text, tokenize(text, lang), lang),
];

describe('zero-shot scoring from the codebook alone', () => {
  it('matches seed terms by stem and phrases exactly', () => {
    expect(score('my mentors were great', 'en')[1]).toBeGreaterThan(0.5);
    expect(score('an older colleague showed me how things work', 'en')[1]).toBeGreaterThan(0.7);
    expect(score('the weather was nice', 'en')).toEqual([0, 0, 0]);
  });

  it('matches derived forms and cognates across languages by prefix and character trigrams', () => {
    expect(score('mentorship matters', 'en')[1]).toBeGreaterThan(0.3);
    expect(score('una mentoría de un año', 'es')[1]).toBeGreaterThan(0.3);
    expect(score('mais comunicação com a direção', 'pt')[0]).toBeGreaterThan(0.3);
  });

  it('does not match a word of another language that only shares a stem or a prefix with a term', () => {
    // A codebook written for the test: French "générations" and Spanish "generaciones" stem to "gener",
    // as does Portuguese "genérico" (generic); French "relève" (succession) and English "relevant" to "relev".
    const cross = compileZeroShot({
      themes: [
        {
          id: 'generations',
          label: 'Age groups',
          terms: [
            { text: 'générations', lang: 'fr' },
            { text: 'generaciones', lang: 'es' },
          ],
        },
        { id: 'succession', label: 'Handover', terms: [{ text: 'relève', lang: 'fr' }] },
      ],
    });
    const s = (text: string, lang: string): number[] => [
      ...zeroShotScores(cross, text, tokenize(text, lang), lang),
    ];
    expect(s('um curso pensado para nós, não genérico', 'pt')[0]).toBe(0);
    expect(s('very relevant to what we do', 'en')[1]).toBe(0);
    // A cognate written alike still matches across languages, and the same word in its own language always does.
    expect(s('working across generations', 'en')[0]).toBeGreaterThan(0.3);
    expect(s('entre générations', 'fr')[0]).toBeGreaterThan(0.5);
    expect(s('préparer la relève', 'fr')[1]).toBeGreaterThan(0.5);
  });

  it('finds Chinese terms inside unsegmented text and Arabic terms behind clitics', () => {
    expect(score('馆长应该和大家多沟通一些', 'zh')[0]).toBeGreaterThan(0.5);
    expect(score('الإرشاد في السنة الأولى مهم', 'ar')[1]).toBeGreaterThan(0.5);
  });

  it('falls back on the label words of a theme without seed terms', () => {
    expect(score('the timeliness was poor', 'en')[2]).toBeGreaterThan(0);
  });

  it('reports the verbatim spans of the terms that matched', () => {
    const text = 'Thanks. My mentor helped.';
    const [, mentoring] = zeroShotEvidence(index, text, tokenize(text, 'en'), 'en');
    expect(mentoring.matches.map((m) => text.slice(m.start, m.end))).toEqual(['mentor']);
  });
});
