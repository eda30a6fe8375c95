import { describe, expect, it } from 'vitest';
import { envLimit, Lru } from './lru.ts';

describe('bounded cache', () => {
  it('drops the least recently used entry when full', () => {
    const c = new Lru<string, number>(2);
    c.set('a', 1).set('b', 2);
    expect(c.get('a')).toBe(1); // a is now the most recent
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });

  it('keeps an entry that is read often while many others come and go', () => {
    const c = new Lru<string, number>(10);
    c.set('hot', 0);
    for (let i = 0; i < 100; i++) {
      c.set(`k${i}`, i);
      expect(c.get('hot')).toBe(0);
    }
    expect(c.size).toBe(10);
    // The cold entries went oldest first: only the nine newest are left beside the hot one.
    expect(c.get('k91')).toBe(91);
    expect(c.get('k90')).toBeUndefined();
  });

  it('forgets an entry older than its time to live', () => {
    let t = 1000;
    const c = new Lru<string, string>(10, 500, () => t);
    c.set('x', 'page');
    t += 400;
    expect(c.get('x')).toBe('page');
    t += 200;
    expect(c.get('x')).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it('reads limits from the environment and ignores nonsense', () => {
    expect(envLimit('N', 7, { N: '3' })).toBe(3);
    expect(envLimit('N', 7, { N: 'lots' })).toBe(7);
    expect(envLimit('N', 7, { N: '0' })).toBe(7);
    expect(envLimit('N', 7, {})).toBe(7);
  });
});
