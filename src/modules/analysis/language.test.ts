import { describe, expect, it } from 'vitest';
import { identifyLanguage } from './language.ts';
import { stemWord, tokenize, words } from './tokenize.ts';

describe('identifying the language of short answers among the series languages', () => {
  it.each([
    ['ar', 'زميلة قديمة صارت مرجعي في كل خطوة'],
    ['zh', '新入职的馆员都会分配一位师傅'],
    ['ru', 'коуч помог мне выстроить отношения с подчинёнными'],
    ['en', 'a coach helped me figure out how to say no to my boss'],
    ['fr', 'un tuteur dans la bibliothèque pendant la première année'],
    ['de', 'Kurse zu Personalführung und Projektleitung'],
    ['es', 'una bibliotecaria con años en el oficio me fue guiando'],
    ['pt', 'ter uma mentora que já passou pelo que eu estou passando'],
  ])('recognises %s', (lang, text) => {
    expect(identifyLanguage(text)).toBe(lang);
  });

  it('chooses only among the allowed languages', () => {
    expect(identifyLanguage('un curso de liderazgo', ['en', 'es'])).toBe('es');
    expect(identifyLanguage('un curso de liderazgo', ['ru', 'zh'])).toBe('und');
    expect(identifyLanguage('12345 !!!')).toBe('und');
  });
});

describe('tokenizing', () => {
  it('finds Chinese words with Intl.Segmenter', () => {
    expect(tokenize('部门主任学会了用提问的方式带团队', 'zh').map((t) => t.text)).toContain('团队');
  });

  it('finds the same words as Intl.Segmenter in space-delimited scripts, with offsets', () => {
    for (const [lang, text] of [
      ['en', "don't let the director be the only person who knows"],
      ['fr', "organiser des journées d'équipe"],
      ['ru', 'уметь сохранять спокойствие коллектива'],
      ['ar', 'التخطيط للطوارئ قبل وقوعها'],
    ]) {
      const expected = [...new Intl.Segmenter(lang, { granularity: 'word' }).segment(text)]
        .filter((s) => s.isWordLike)
        .map((s) => [s.segment, s.index]);
      expect(words(text, lang).map((w) => [w.segment, w.index])).toEqual(expected);
    }
  });

  it('stems Russian and Arabic words and flags stop words', () => {
    expect(stemWord('наставника', 'ru')).toBe(stemWord('наставник', 'ru'));
    expect(stemWord('mentoría', 'es')).toBe(stemWord('mentor', 'en'));
    const toks = tokenize('the coach', 'en');
    expect(toks.map((t) => t.stop)).toEqual([true, false]);
    for (const t of tokenize('الإرشاد من أساتذة المكتبات', 'ar'))
      expect('الإرشاد من أساتذة المكتبات'.slice(t.start, t.end)).toBe(t.text);
  });
});
