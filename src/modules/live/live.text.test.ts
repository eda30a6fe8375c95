import { describe, expect, it } from 'vitest';
import { blockedMatcher, normalise, randomCode } from './live.text.ts';

describe('blocked words', () => {
  const match = blockedMatcher(['idiot', 'Dummkopf', 'connard', '笨蛋', 'дурак', 'bad word']);

  it('holds an answer containing a blocked word whatever its case or accents', () => {
    expect(match('What an IDIOT')).toBe(true);
    expect(match('Quel cønnard')).toBe(false); // ø is a letter, not an accent
    expect(match('Quel CONNÂRD !')).toBe(true);
    expect(match('Du DUMMKOPF.')).toBe(true);
    expect(match('Ты ДУРАК')).toBe(true);
  });

  it('matches whole words and phrases, not parts of longer words', () => {
    expect(match('idiotic policy')).toBe(false);
    expect(match('a bad   word here')).toBe(true);
    expect(match('a bad idea')).toBe(false);
  });

  it('matches Chinese inside a sentence without spaces', () => {
    expect(match('你是笨蛋吗')).toBe(true);
    expect(match('你好')).toBe(false);
  });

  it('normalises compatibility forms', () => {
    expect(normalise('Ｃａｆé')).toBe('cafe');
  });
});

describe('room codes', () => {
  it('are six characters without 0, O, 1 or I', () => {
    for (let i = 0; i < 200; i++) expect(randomCode()).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
  });
});
