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
