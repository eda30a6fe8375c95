import { describe, expect, it } from 'vitest';
import { CodebookError, loadCodebook, mergeCodebooks, parseCodebookCsv } from './codebook.ts';
import { defaultCodebook } from './default-codebook.ts';

describe('codebooks', () => {
  it('ships 19 professional-development themes with seed terms in eight languages', () => {
    expect(defaultCodebook.themes).toHaveLength(19);
    for (const theme of defaultCodebook.themes) {
      const langs = new Set(theme.terms.map((t) => t.lang));
      expect([...langs].sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'pt', 'ru', 'zh']);
      expect(theme.description).toBeTruthy();
    }
  });

  it('"default" loads the shipped codebook', () => {
    expect(loadCodebook('default').themes.map((t) => t.id)).toEqual(defaultCodebook.themes.map((t) => t.id));
  });

  it("a file keeps its own themes; a theme with a default id keeps the default terms and adds the file's", () => {
    const cb = loadCodebook(
      'id,label,terms\nmentoring,Mentoring,buddy programme;apadrinhamento\nmakerspaces,Makerspaces,3D printer\n',
    );
    expect(cb.themes.map((t) => t.id)).toEqual(['mentoring', 'makerspaces']);
    const mentoring = cb.themes[0].terms.map((t) => t.text);
    expect(mentoring).toContain('наставник');
    expect(mentoring).toContain('buddy programme');
    expect(cb.themes[1].terms).toEqual([{ text: '3D printer' }]);
  });

  it('merges two codebooks: union of themes, terms added to shared ids', () => {
    const a = { themes: [{ id: 'x', label: 'X', terms: [{ text: 'one' }] }] };
    const b = {
      themes: [
        { id: 'x', label: 'Ex', terms: [{ text: 'two' }] },
        { id: 'y', label: 'Y', terms: [] },
      ],
    };
    const m = mergeCodebooks(a, b);
    expect(m.themes.map((t) => [t.id, t.label, t.terms.map((x) => x.text)])).toEqual([
      ['x', 'Ex', ['one', 'two']],
      ['y', 'Y', []],
    ]);
  });

  it('names the line and column of a bad codebook', () => {
    expect(() => parseCodebookCsv('id,name\nx,X\n')).toThrow(/missing column "label"/);
    try {
      parseCodebookCsv('id,label\nx,X\nx,Again\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CodebookError);
      expect((e as CodebookError).line).toBe(3);
      expect((e as CodebookError).column).toBe('id');
    }
  });
});
