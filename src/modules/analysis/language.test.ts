import { describe, expect, it } from 'vitest';
import { identifyLanguage } from './language.ts';
import { stemWord, tokenize, words } from './tokenize.ts';

describe('identifying the language of short answers among the series languages', () => {
  it.each([
    ['ar', 'نحتاج إلى دورات أكثر لمديري المكتبات الجدد'],
    ['zh', '我们希望协会多组织一些线下交流活动'],
    ['ru', 'нам нужно больше курсов для новых руководителей библиотек'],
    ['en', 'we would like more courses for new library directors'],
    ['fr', 'nous voudrions plus de formations pour les cadres débutants'],
    ['de', 'wir brauchen mehr Fortbildungen für neue Bibliotheksleitungen'],
    ['es', 'queremos más cursos para las nuevas directoras de bibliotecas'],
    ['pt', 'queremos mais cursos para os novos diretores das bibliotecas'],
  ])('recognises %s', (lang, text) => {
    expect(identifyLanguage(text)).toBe(lang);
  });

  it('chooses only among the allowed languages', () => {
    expect(identifyLanguage('un taller de gestión', ['en', 'es'])).toBe('es');
    expect(identifyLanguage('un taller de gestión', ['ru', 'zh'])).toBe('und');
    expect(identifyLanguage('12345 !!!')).toBe('und');
  });
});

describe('tokenizing', () => {
  it('finds Chinese words with Intl.Segmenter', () => {
    expect(tokenize('新来的主任很快就和团队熟悉了', 'zh').map((t) => t.text)).toContain('团队');
  });

  it('finds the same words as Intl.Segmenter in space-delimited scripts, with offsets', () => {
    for (const [lang, text] of [
      ['en', 'write down how the budget is prepared each year'],
      ['fr', "préparer une réunion d'équipe"],
      ['ru', 'умение договариваться внутри коллектива'],
      ['ar', 'الاستعداد للأزمات قبل حدوثها'],
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
    for (const t of tokenize('الإرشاد في السنة الأولى مهم', 'ar'))
      expect('الإرشاد في السنة الأولى مهم'.slice(t.start, t.end)).toBe(t.text);
  });
});
