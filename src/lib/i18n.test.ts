import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { defineCatalogue, pickLanguage, resolveLanguage, SUPPORTED } from './i18n.ts';

const SRC = join(import.meta.dirname, '..');

/** Every `messages/` folder under src (a new module's catalogue joins the check by existing). */
function catalogueFolders(dir = SRC): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (!statSync(p).isDirectory()) continue;
    if (name === 'messages') out.push(p);
    else out.push(...catalogueFolders(p));
  }
  return out;
}

type Ast = ReturnType<IntlMessageFormat['getAst']>;

/** The argument names a message uses ({name}, {count, plural, …}), nested ones included. */
function argumentsOf(els: Ast, into = new Set<string>()): Set<string> {
  for (const el of els) {
    // Literals (type 0) and the plural "#" (type 7) name no argument; every other element does.
    if ('value' in el && (el.type as number) !== 0 && (el.type as number) !== 7) into.add(el.value);
    if ('options' in el) for (const o of Object.values(el.options)) argumentsOf(o.value, into);
    if ('children' in el) argumentsOf(el.children, into);
  }
  return into;
}

const argsOf = (text: string, lang: string) =>
  [...argumentsOf(new IntlMessageFormat(text, lang, undefined, { ignoreTag: true }).getAst())].sort().join();

const folders = catalogueFolders();
const read = (folder: string, lang: string) =>
  JSON.parse(readFileSync(join(folder, `${lang}.json`), 'utf8')) as Record<string, unknown>;

describe('message catalogues', () => {
  it('finds the catalogues', () => {
    expect(folders.map((f) => f.slice(SRC.length + 1))).toEqual(
      expect.arrayContaining(['server/messages', 'modules/live/messages', 'modules/registration/messages']),
    );
  });

  for (const folder of folders) {
    const name = folder.slice(SRC.length + 1);
    describe(name, () => {
      const en = read(folder, 'en');
      it('has exactly the seven languages', () => {
        const files = readdirSync(folder).filter((f) => f.endsWith('.json'));
        expect(files.sort()).toEqual(SUPPORTED.map((l) => `${l}.json`).sort());
      });
      for (const lang of SUPPORTED) {
        it(`${lang}: every English key, no other key, each a message that compiles with English's arguments`, () => {
          const cat = read(folder, lang);
          const missing = Object.keys(en).filter((k) => !(k in cat));
          const extra = Object.keys(cat).filter((k) => !(k in en));
          expect({ missing, extra }).toEqual({ missing: [], extra: [] });
          const problems: string[] = [];
          for (const [key, text] of Object.entries(cat)) {
            if (typeof text !== 'string' || !text.trim()) {
              problems.push(`${key}: empty or not text`);
              continue;
            }
            try {
              const mine = argsOf(text, lang);
              const theirs = argsOf(en[key] as string, 'en');
              if (mine !== theirs) problems.push(`${key}: {${mine}} but English has {${theirs}}`);
            } catch (e) {
              problems.push(`${key}: ${(e as Error).message}`);
            }
          }
          expect(problems).toEqual([]);
        });
      }
    });
  }
});

describe('translate', () => {
  const files = {
    en: {
      hello: 'Hello {name}',
      answers: '{count, plural, one {# answer} other {# answers}}',
      only_en: 'Only English',
    },
    ar: {
      hello: 'مرحباً {name}',
      answers:
        '{count, plural, zero {لا إجابات} one {إجابة واحدة} two {إجابتان} few {# إجابات} many {# إجابة} other {# إجابة}}',
    },
    de: { hello: 'Hallo {name}', answers: '{count, plural, one {# Antwort} other {# Antworten}}' },
    es: {},
    fr: {},
    ru: {},
    zh: {},
  };
  const cat = defineCatalogue('test', files);

  it('fills values and picks plural forms of the language', () => {
    expect(cat.t('de')('hello', { name: 'Ana' })).toBe('Hallo Ana');
    expect(cat.t('de')('answers', { count: 1 })).toBe('1 Antwort');
    expect(cat.t('ar')('answers', { count: 2 })).toBe('إجابتان');
    expect(cat.t('ar')('answers', { count: 0 })).toBe('لا إجابات');
  });

  it('falls back to English for a missing message, never to the key', () => {
    expect(cat.t('ar')('only_en')).toBe('Only English');
    expect(cat.t('fr')('hello', { name: 'Li' })).toBe('Hello Li');
    expect(cat.t('pt')('hello', { name: 'Li' })).toBe('Hello Li');
  });

  it('looks up run-time keys without showing a key', () => {
    expect(cat.lookup('de', 'hello', { name: 'X' })).toBe('Hallo X');
    expect(cat.lookup('de', 'no_such_key')).toBeNull();
  });

  it('rejects a key that is not in English at compile time', () => {
    // @ts-expect-error: 'helo' is not a key of the English catalogue
    expect(cat.t('en')('helo')).toBe('');
  });
});

describe('choosing the language', () => {
  it('prefers ?lang=, then the remembered choice, then the account, then Accept-Language', () => {
    const accept = 'ru-RU,ru;q=0.9,en;q=0.5';
    expect(resolveLanguage({ query: 'ar', cookie: 'fr', account: 'de', accept })).toBe('ar');
    expect(resolveLanguage({ query: 'xx', cookie: 'fr', account: 'de', accept })).toBe('fr');
    expect(resolveLanguage({ cookie: 'nope', account: 'de', accept })).toBe('de');
    expect(resolveLanguage({ account: null, accept })).toBe('ru');
    expect(resolveLanguage({})).toBe('en');
  });

  it('reads Accept-Language weights and regional tags', () => {
    expect(pickLanguage('pt-BR, es-MX;q=0.8, en;q=0.5')).toBe('es');
    expect(pickLanguage('zh-Hant-TW')).toBe('zh');
    expect(pickLanguage('fr;q=0, de;q=0.1')).toBe('de');
  });
});
