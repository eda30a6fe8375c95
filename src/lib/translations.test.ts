import { describe, expect, it } from 'vitest';
import {
  cleanTranslations,
  inLanguage,
  parseTranslations,
  sourceLanguage,
  translate,
  translationLanguages,
} from './translations.ts';

describe('content in several languages', () => {
  const source = { text: 'Peer circles', lang: 'en' };

  it('gives the reader the translation into their language', () => {
    expect(inLanguage(source, { ar: 'حلقات الأقران', fr: 'Cercles de pairs' }, 'ar')).toEqual({
      text: 'حلقات الأقران',
      lang: 'ar',
      fallback: false,
    });
    expect(translate('Peer circles', { fr: 'Cercles de pairs' }, 'fr-CA')).toBe('Cercles de pairs');
  });

  it('falls back to the source text, marked, when a language has no translation', () => {
    expect(inLanguage(source, { fr: 'Cercles de pairs' }, 'zh')).toEqual({
      text: 'Peer circles',
      lang: 'en',
      fallback: true,
    });
    // Blank translations count as missing; the source language itself is no fallback.
    expect(inLanguage(source, { zh: '  ' }, 'zh').fallback).toBe(true);
    expect(inLanguage(source, {}, 'en').fallback).toBe(false);
  });

  it('reads stored translations defensively and keeps only texts of language codes', () => {
    expect(parseTranslations('{"ar":" اسم ","de":"","xx-long-nonsense":"a","1":"b"}')).toEqual({ ar: 'اسم' });
    expect(parseTranslations('not json')).toEqual({});
    expect(parseTranslations('["ar"]')).toEqual({});
    expect(cleanTranslations({ es: 'Nombre', ru: 3 })).toEqual({ es: 'Nombre' });
  });

  it('takes a series’ first supported language as its source and offers the others, series’ first', () => {
    expect(sourceLanguage('["fr","en"]')).toBe('fr');
    expect(sourceLanguage(['pt-BR', 'es'])).toBe('es');
    expect(sourceLanguage([])).toBe('en');
    expect(translationLanguages('en', ['en', 'ar'])).toEqual(['ar', 'zh', 'fr', 'de', 'ru', 'es']);
  });
});
