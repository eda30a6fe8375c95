import { describe, expect, it } from 'vitest';
import { loadCodebook } from './codebook.ts';
import { createCoder } from './coder.ts';
import { discoverThemes } from './discover.ts';

describe('discovering new themes', () => {
  it('proposes a theme from answers that fit no theme, with a label, terms and verbatim quotes', () => {
    const codebook = loadCodebook('id,label,terms\nmentoring,Mentoring,mentor\n');
    const texts = [
      'a makerspace with a 3D printer for teens',
      'our makerspace runs robotics clubs',
      'makerspace workshops on Saturdays',
      'my mentor helped me',
      'greetings from Oslo',
    ];
    const units = texts.map((text, i) => ({ id: `r${i}`, text }));
    const coder = createCoder(codebook);
    const themes = discoverThemes(units, coder.code(texts), { minClusterSize: 3 });
    expect(themes).toHaveLength(1);
    expect(themes[0].label).toBe('makerspace');
    expect(themes[0].size).toBe(3);
    expect(themes[0].terms).toContain('makerspace');
    for (const q of themes[0].quotes) expect(texts[Number(q.id.slice(1))].slice(q.start, q.end)).toBe(q.text);
  });
});
