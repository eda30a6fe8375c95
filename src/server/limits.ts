import { Redis } from 'ioredis';
import { envLimit, Lru } from '../lib/lru.ts';

/** A rate limit on keys (an address, a participant): `hit` takes one, or says how long to wait. */
export interface Limiter {
  /** Takes one from the key's allowance: resolves 0 when allowed, else the seconds to wait. */
  hit(key: string): Promise<number>;
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

/** Counts in this process only (one process, or tests). */
export function memoryLimits(now: () => number = Date.now): LimitStore {
  return { limiter: (_name, rule) => memoryLimiter(rule, now), ready: async () => {}, close: async () => {} };
}

// The same bucket as `take`, atomically in Redis, on Redis's clock so processes agree.
// Returns the wait in milliseconds (0 = allowed).
const BUCKET_LUA = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2]) / 1000
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return wait
`;

type BucketRedis = Redis & {
  colloquyBucket(key: string, burst: number, perSecond: number): Promise<number>;
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
  }) as BucketRedis;
  redis.defineCommand('colloquyBucket', { numberOfKeys: 1, lua: BUCKET_LUA });
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
  return {
    redis,
    limiter(name, rule) {
      const local = memoryLimiter(rule, Date.now);
      return {
        hit: async (key) => {
          if (!connected) await ready();
          try {
            const ms = Number(
              await redis.colloquyBucket(`colloquy:limit:${name}:${key}`, rule.burst, rule.perSecond),
            );
            return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
          } catch (e) {
            if (Date.now() - lastLog >= 10_000) {
              lastLog = Date.now();
              onError(e as Error);
            }
            return local.hit(key);
          }
        },
      };
    },
    ready,
    close: async () => {
      redis.disconnect();
    },
  };
}
