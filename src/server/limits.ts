import { Redis } from 'ioredis';
import { envLimit, Lru } from '../lib/lru.ts';

/** A rate limit on keys (an address, a participant): `hit` takes one, or says how long to wait. */
export interface Limiter {
  /** Takes one from the key's allowance: resolves 0 when allowed, else the seconds to wait. */
  hit(key: string): Promise<number>;
}

/**
 * Several limits checked together (an answer: its address and its participant): `hit` takes one
 * from each named key's bucket in ONE step (one Redis round trip), and resolves the longest wait
 * (0 when every bucket allowed it). A null key skips its limit.
 */
export interface CombinedLimiter {
  hit(keys: (string | null)[]): Promise<number>;
}

/** How much a key may do: a burst, then a steady rate. */
export interface LimitRule {
  burst: number;
  perSecond: number;
}

/**
 * Where every hand-rolled rate limit keeps its counts. One algorithm (a token bucket: `burst` at
 * once, then `perSecond`) in one of two places: this process's memory (one process), or Redis
 * (several processes behind a load balancer, so a limit holds across them instead of once per
 * process). `@fastify/rate-limit` gets the same Redis connection for the route limits.
 */
export interface LimitStore {
  limiter(name: string, rule: LimitRule): Limiter;
  /** The limiters named, checked together: `hit([keyOfFirst, keyOfSecond, …])`. */
  combined(parts: { name: string; rule: LimitRule }[]): CombinedLimiter;
  /** Exponential backoff on failures of a key (an account name at sign-in). */
  backoff(name: string, rule: BackoffRule): Backoff;
  /** The shared connection when REDIS_URL is set (for `@fastify/rate-limit`'s Redis store). */
  redis?: Redis;
  /** Resolves once the store answers (Redis connected), or after `ms` at most. */
  ready(ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** A rule that allows `max` per `windowMs` (a burst of `max`, refilled over the window). */
export function perWindow(max: number, windowMs: number): LimitRule {
  return { burst: max, perSecond: (max * 1000) / windowMs };
}

/** Failures allowed free, then a wait that doubles with each further failure. */
export interface BackoffRule {
  /** Failures before the first wait. */
  free: number;
  /** The first wait, in seconds; each further failure doubles it. */
  baseSeconds: number;
  maxSeconds: number;
  /** Failures are forgotten after this long without one. */
  forgetSeconds: number;
}

/** Exponential backoff on a key: `wait` before trying, `fail` after a failure, `reset` after a success. */
export interface Backoff {
  /** Seconds the key must still wait (0: it may try now). */
  wait(key: string): Promise<number>;
  /** Records a failure; resolves the seconds the key must now wait. */
  fail(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

interface Failures {
  failures: number;
  /** Epoch ms until which the key waits. */
  until: number;
  at: number;
}

/** The backoff arithmetic shared by memory and the Redis script below (kept the same). */
function failOnce(f: Failures, rule: BackoffRule, now: number): number {
  if (now - f.at > rule.forgetSeconds * 1000) f.failures = 0;
  f.failures += 1;
  f.at = now;
  if (f.failures < rule.free) return 0;
  const secs = Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** (f.failures - rule.free));
  f.until = now + secs * 1000;
  return secs;
}

function memoryBackoff(rule: BackoffRule, now: () => number): Backoff {
  const keys = new Lru<string, Failures>(envLimit('RATE_LIMIT_KEYS', 100_000));
  const waitOf = (f: Failures | undefined, t: number) =>
    f && f.until > t ? Math.ceil((f.until - t) / 1000) : 0;
  return {
    wait: async (key) => waitOf(keys.get(key), now()),
    fail: async (key) => {
      const t = now();
      let f = keys.get(key);
      if (!f) keys.set(key, (f = { failures: 0, until: 0, at: t }));
      return failOnce(f, rule, t);
    },
    reset: async (key) => {
      keys.delete(key);
    },
  };
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Token bucket arithmetic shared by memory and the Redis script below (kept the same). */
function take(b: Bucket, rule: LimitRule, now: number): number {
  b.tokens = Math.min(rule.burst, b.tokens + ((now - b.at) / 1000) * rule.perSecond);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - b.tokens) / rule.perSecond));
}

function memoryLimiter(rule: LimitRule, now: () => number): Limiter {
  // Bounded: a key pushed out early merely starts again with a full bucket.
  const buckets = new Lru<string, Bucket>(envLimit('RATE_LIMIT_KEYS', 100_000));
  return {
    hit: async (key) => {
      const t = now();
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { tokens: rule.burst, at: t }));
      return take(b, rule, t);
    },
  };
}

/** Memory limiters by name: the same name is the same buckets (a combined limit and a single one). */
function namedLimiters(now: () => number) {
  const named = new Map<string, Limiter>();
  return (name: string, rule: LimitRule): Limiter => {
    let l = named.get(name);
    if (!l) named.set(name, (l = memoryLimiter(rule, now)));
    return l;
  };
}

/** Each part in memory, one after the other (nothing else runs in between in one process). */
function memoryCombined(limiters: Limiter[]): CombinedLimiter {
  return {
    hit: async (keys) => {
      let wait = 0;
      for (let i = 0; i < limiters.length; i++)
        if (keys[i] !== null) wait = Math.max(wait, await limiters[i].hit(keys[i]!));
      return wait;
    },
  };
}

/** Counts in this process only (one process, or tests). */
export function memoryLimits(now: () => number = Date.now): LimitStore {
  const limiter = namedLimiters(now);
  return {
    limiter,
    combined: (parts) => memoryCombined(parts.map((p) => limiter(p.name, p.rule))),
    backoff: (_name, rule) => memoryBackoff(rule, now),
    ready: async () => {},
    close: async () => {},
  };
}

// The same bucket as `take`, atomically in Redis, on Redis's clock so processes agree: one bucket
// per key (ARGV: burst and rate per key, in order), all in one call. Returns the longest wait in
// milliseconds (0 = every bucket allowed it).
const BUCKETS_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local longest = 0
for i, key in ipairs(KEYS) do
  local burst = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i]) / 1000
  local b = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(b[1]) or burst
  local at = tonumber(b[2]) or now
  tokens = math.min(burst, tokens + (now - at) * rate)
  if tokens >= 1 then tokens = tokens - 1 else longest = math.max(longest, math.ceil((1 - tokens) / rate)) end
  redis.call('HSET', key, 'tokens', tostring(tokens), 'at', now)
  redis.call('PEXPIRE', key, math.ceil(burst / rate) + 1000)
end
return longest
`;

// The same as `failOnce`, atomically in Redis on Redis's clock. Returns the wait in seconds.
const BACKOFF_FAIL_LUA = `
local free = tonumber(ARGV[1])
local base = tonumber(ARGV[2])
local max = tonumber(ARGV[3])
local forget = tonumber(ARGV[4]) * 1000
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'failures', 'at')
local failures = tonumber(b[1]) or 0
local at = tonumber(b[2]) or now
if now - at > forget then failures = 0 end
failures = failures + 1
local secs = 0
if failures >= free then secs = math.min(max, base * 2 ^ (failures - free)) end
redis.call('HSET', KEYS[1], 'failures', failures, 'at', now, 'until', now + secs * 1000)
redis.call('PEXPIRE', KEYS[1], forget + secs * 1000)
return secs
`;
// Seconds until the key may try again.
const BACKOFF_WAIT_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local u = tonumber(redis.call('HGET', KEYS[1], 'until')) or 0
if u <= now then return 0 end
return math.ceil((u - now) / 1000)
`;

type BucketRedis = Redis & {
  colloquyBuckets(n: number, ...keysThenRules: (string | number)[]): Promise<number>;
  colloquyBackoffFail(key: string, free: number, base: number, max: number, forget: number): Promise<number>;
  colloquyBackoffWait(key: string): Promise<number>;
};

/**
 * Counts in Redis, shared by every process. When Redis does not answer, the limit falls back to
 * this process's memory (logged) rather than refusing everyone or letting everything through.
 */
export function redisLimits(url: string, onError: (e: Error) => void): LimitStore {
  // No offline queue: while Redis is away a hit fails at once and the memory fallback answers.
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    lazyConnect: false,
    // Commands issued in the same tick (the answers of a burst, each with its limits) go to Redis
    // in one write: one system call and one reply read instead of one per command.
    enableAutoPipelining: true,
  }) as BucketRedis;
  redis.defineCommand('colloquyBuckets', { lua: BUCKETS_LUA });
  redis.defineCommand('colloquyBackoffFail', { numberOfKeys: 1, lua: BACKOFF_FAIL_LUA });
  redis.defineCommand('colloquyBackoffWait', { numberOfKeys: 1, lua: BACKOFF_WAIT_LUA });
  let lastLog = 0;
  // Until the first connection, hits wait for it (a server that just started has not connected yet).
  let connected = false;
  const first = new Promise<void>((resolve) =>
    redis.once('ready', () => {
      connected = true;
      resolve();
    }),
  );
  const ready = (ms = 2000) =>
    connected
      ? Promise.resolve()
      : Promise.race([first, new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);
  redis.on('error', (e: Error) => {
    if (Date.now() - lastLog < 10_000) return;
    lastLog = Date.now();
    onError(e);
  });
  // While Redis does not answer: this process's memory, the same buckets by name.
  const localLimiter = namedLimiters(Date.now);
  const shared = async <T>(run: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => {
    if (!connected) await ready();
    try {
      return await run();
    } catch (e) {
      if (Date.now() - lastLog >= 10_000) {
        lastLog = Date.now();
        onError(e as Error);
      }
      return fallback();
    }
  };
  const combined = (parts: { name: string; rule: LimitRule }[]): CombinedLimiter => {
    const local = memoryCombined(parts.map((p) => localLimiter(p.name, p.rule)));
    return {
      hit: async (keys) => {
        const used = parts.flatMap((p, i) => (keys[i] === null ? [] : [{ ...p, key: keys[i] }]));
        if (!used.length) return 0;
        return shared(
          async () => {
            const ms = Number(
              await redis.colloquyBuckets(
                used.length,
                ...used.map((u) => `colloquy:limit:${u.name}:${u.key}`),
                ...used.flatMap((u) => [u.rule.burst, u.rule.perSecond]),
              ),
            );
            return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
          },
          () => local.hit(keys),
        );
      },
    };
  };
  return {
    redis,
    limiter(name, rule) {
      const one = combined([{ name, rule }]);
      return { hit: (key) => one.hit([key]) };
    },
    combined,
    backoff(name, rule) {
      const local = memoryBackoff(rule, Date.now);
      const k = (key: string) => `colloquy:backoff:${name}:${key}`;
      // Like the buckets: while Redis does not answer, this process's memory counts.
      return {
        wait: (key) =>
          shared(
            async () => Number(await redis.colloquyBackoffWait(k(key))),
            () => local.wait(key),
          ),
        fail: (key) =>
          shared(
            async () =>
              Number(
                await redis.colloquyBackoffFail(
                  k(key),
                  rule.free,
                  rule.baseSeconds,
                  rule.maxSeconds,
                  rule.forgetSeconds,
                ),
              ),
            () => local.fail(key),
          ),
        reset: (key) =>
          shared(
            async () => {
              await redis.del(k(key));
            },
            () => local.reset(key),
          ),
      };
    },
    ready,
    close: async () => {
      redis.disconnect();
    },
  };
}
