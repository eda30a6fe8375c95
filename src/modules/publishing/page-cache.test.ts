import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CachedPage } from './page-cache.ts';

describe('cached public pages', () => {
  const html = `<!doctype html><p>${'Mentoring “works” — '.repeat(2000)}</p><form><input name="_csrf" value="SLOT"></form><p>after ✓</p>`;

  it('puts each visitor’s token in place, plain and gzip-encoded, and the gzip decodes to the same page', () => {
    const page = new CachedPage(html, 'SLOT');
    for (const token of ['tok-A', 'another-token_123']) {
      const plain = page.plain(token).toString();
      expect(plain).toBe(html.replace('SLOT', token));
      expect(gunzipSync(page.gzip(token)).toString()).toBe(plain);
    }
    expect(page.gzip('x').length).toBeLessThan(Buffer.byteLength(html) / 10);
  });

  it('splices a tail longer than one stored block', () => {
    const long = `<p>start</p>SLOT${'é tail '.repeat(20_000)}`;
    const page = new CachedPage(long, 'SLOT');
    expect(gunzipSync(page.gzip('tok')).toString()).toBe(long.replace('SLOT', 'tok'));
  });

  it('serves pages without a form as they are', () => {
    const page = new CachedPage('<p>no form</p>', 'SLOT');
    expect(page.needsToken).toBe(false);
    expect(gunzipSync(page.gzip('t')).toString()).toBe('<p>no form</p>');
  });
});
