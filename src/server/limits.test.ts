import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type OwnRedis } from '../../test/support/redis-proc.ts';
import { memoryLimits, perWindow, redisLimits, type LimitStore } from './limits.ts';

describe('rate limits in this process', () => {
  it('allows a burst, then asks to wait, then allows again as the bucket refills', async () => {
    let t = 0;
    const limiter = memoryLimits(() => t).limiter('x', { burst: 3, perSecond: 1 });
    expect([await limiter.hit('a'), await limiter.hit('a'), await limiter.hit('a')]).toEqual([0, 0, 0]);
    expect(await limiter.hit('a')).toBe(1);
    expect(await limiter.hit('b')).toBe(0); // another key has its own allowance
    t += 1000;
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBeGreaterThan(0);
  });

  it('backs off exponentially after a few failures, forgets after a success', async () => {
    let t = 0;
    const rule = { free: 3, baseSeconds: 60, maxSeconds: 3600, forgetSeconds: 86_400 };
    const b = memoryLimits(() => t).backoff('login', rule);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      waits.push(await b.fail('acct'));
      t += waits[waits.length - 1] * 1000; // tries again as soon as allowed
    }
    console.log(JSON.stringify({ loginBackoffSeconds: waits }));
    expect(waits).toEqual([0, 0, 60, 120, 240, 480, 960, 1920]);
    expect(await b.fail('acct')).toBe(3600); // capped
    expect(await b.wait('acct')).toBe(3600);
    await b.reset('acct');
    expect(await b.wait('acct')).toBe(0);
    expect(await b.fail('acct')).toBe(0);
  });

  it('checks an address and a participant together, sharing the buckets of the same names', async () => {
    let t = 0;
    const store = memoryLimits(() => t);
    const both = store.combined([
      { name: 'address', rule: { burst: 3, perSecond: 1 } },
      { name: 'participant', rule: { burst: 2, perSecond: 1 } },
    ]);
    // The participant's two run out first; the longest wait is the answer.
    expect([await both.hit(['10.0.0.1', 'p1']), await both.hit(['10.0.0.1', 'p1'])]).toEqual([0, 0]);
    expect(await both.hit(['10.0.0.1', 'p1'])).toBe(1);
    // Another participant on the same address: the address's third was taken above.
    expect(await both.hit(['10.0.0.1', 'p2'])).toBe(1);
    // A null key skips its limit: only the (other) address counts.
    expect(await both.hit(['10.0.0.2', null])).toBe(0);
    // The same name alone is the same bucket: p1 has nothing left.
    expect(await store.limiter('participant', { burst: 2, perSecond: 1 }).hit('p1')).toBe(1);
    t += 2000;
    expect(await both.hit(['10.0.0.1', 'p1'])).toBe(0);
  });

  it('turns "5 per minute" into a burst of 5 refilled over the minute', () => {
    expect(perWindow(5, 60_000)).toEqual({ burst: 5, perSecond: 5 / 60 });
  });
});

describe('rate limits shared through Redis', () => {
  let redis: OwnRedis;
  const stores: LimitStore[] = [];
  const errors: Error[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await redis.stop();
  });
  const store = () => {
    const s = redisLimits(redis.url, (e) => errors.push(e));
    stores.push(s);
    return s;
  };

  it('holds one limit across two processes instead of one each', async () => {
    const rule = { burst: 4, perSecond: 0.01 };
    const a = store().limiter('answer', rule);
    const b = store().limiter('answer', rule);
    const waits = [];
    for (let i = 0; i < 6; i++) waits.push(await (i % 2 ? b : a).hit('participant-1'));
    expect(waits.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(waits[4]).toBeGreaterThan(0);
    expect(waits[5]).toBeGreaterThan(0);
    expect(await a.hit('participant-2')).toBe(0);
  });

  it('checks two limits in one step across two processes', async () => {
    const parts = [
      { name: 'answer-address', rule: { burst: 3, perSecond: 0.01 } },
      { name: 'answer-participant', rule: { burst: 100, perSecond: 0.01 } },
    ];
    const a = store().combined(parts);
    const b = store().combined(parts);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) waits.push(await (i % 2 ? b : a).hit(['10.1.1.1', `p${i}`]));
    // Three from the address across both processes, then a wait (not three per process).
    expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
    expect(waits[3]).toBeGreaterThan(0);
    expect(waits[4]).toBeGreaterThan(0);
    // A participant's bucket is the same one a single limiter of that name uses.
    const many = store().combined([{ name: 'answer-participant', rule: { burst: 2, perSecond: 0.01 } }]);
    const single = store().limiter('answer-participant', { burst: 2, perSecond: 0.01 });
    expect([await many.hit(['q']), await many.hit(['q'])]).toEqual([0, 0]);
    expect(await single.hit('q')).toBeGreaterThan(0); // emptied by the combined hits
    expect(await single.hit('r')).toBe(0);
    expect(await a.hit([null, null])).toBe(0);
    expect(errors).toEqual([]);
  });

  it('shares one exponential backoff across two processes', async () => {
    const rule = { free: 2, baseSeconds: 60, maxSeconds: 3600, forgetSeconds: 600 };
    const a = store().backoff('login', rule);
    const b = store().backoff('login', rule);
    const key = `acct-${Date.now()}`;
    expect(await a.fail(key)).toBe(0);
    expect(await b.fail(key)).toBe(60);
    expect(await a.wait(key)).toBeGreaterThan(55);
    expect(await a.fail(key)).toBe(120);
    await b.reset(key);
    expect(await a.wait(key)).toBe(0);
  });

  it('keeps limiting in this process while Redis is away, and shares again when it is back', async () => {
    const rule = { burst: 2, perSecond: 0.01 };
    const s = store();
    const a = s.limiter('away', rule);
    await a.hit('warm-up'); // connected
    await redis.stop();
    const waits = [await a.hit('k'), await a.hit('k'), await a.hit('k')];
    expect(waits).toEqual([0, 0, expect.any(Number)]);
    expect(waits[2]).toBeGreaterThan(0);
    expect(errors.length).toBeGreaterThan(0);
    await redis.start();
    const deadline = Date.now() + 10_000;
    while (s.redis!.status !== 'ready' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const b = store().limiter('away', rule);
    expect([await a.hit('k2'), await b.hit('k2'), await a.hit('k2')]).toEqual([0, 0, expect.any(Number)]);
  }, 30_000);
});
