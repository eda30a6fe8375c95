import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { startRedis, type OwnRedis } from '../support/redis-proc.ts';
import { testServer } from '../support/server.ts';

let redis: OwnRedis;
const servers: Running[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await redis.stop();
});

describe('a per-address limit with REDIS_URL holds across processes', () => {
  it('refuses the fifth answer from one address over two processes with a limit of four', async () => {
    // The live routes read their address limit from the process environment when they are built.
    const before = process.env.LIVE_ADDRESS_LIMIT;
    process.env.LIVE_ADDRESS_LIMIT = '4';
    try {
      servers.push(await testServer({ REDIS_URL: redis.url }), await testServer({ REDIS_URL: redis.url }));
    } finally {
      if (before === undefined) delete process.env.LIVE_ADDRESS_LIMIT;
      else process.env.LIVE_ADDRESS_LIMIT = before;
    }
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await servers[i % 2].app.inject({
        method: 'POST',
        url: '/api/rooms/NOROOM/responses',
        payload: { promptId: 'p', clientKey: `k-${i}`, text: 'x' },
        remoteAddress: '10.1.2.3',
      });
      codes.push(res.statusCode);
    }
    // The room does not exist (404), but the address limit is counted first, across both.
    expect(codes.slice(0, 4).every((c) => c !== 429)).toBe(true);
    expect(codes.slice(4)).toEqual([429, 429]);
    const other = await servers[0].app.inject({
      method: 'POST',
      url: '/api/rooms/NOROOM/responses',
      payload: { promptId: 'p', clientKey: 'k-other', text: 'x' },
      remoteAddress: '10.9.9.9',
    });
    expect(other.statusCode).not.toBe(429);
  }, 30_000);
});
