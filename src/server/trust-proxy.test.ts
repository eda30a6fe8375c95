import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { trustedProxies } from './config.ts';

async function ipSeen(trustProxy: string | undefined, forwardedFor?: string) {
  const app = Fastify({ trustProxy: trustedProxies({ TRUST_PROXY: trustProxy }) });
  app.get('/ip', (req) => ({ ip: req.ip }));
  const res = await app.inject({
    url: '/ip',
    remoteAddress: '10.0.0.1',
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  });
  await app.close();
  return (res.json() as { ip: string }).ip;
}

describe('the client address behind reverse proxies (TRUST_PROXY)', () => {
  it('takes the address the proxy added, never one the client wrote into X-Forwarded-For', async () => {
    // A client sends its own header; nginx ($proxy_add_x_forwarded_for) or HAProxy appends the real one.
    expect(await ipSeen('1', '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
    expect(await ipSeen('1', '203.0.113.7')).toBe('203.0.113.7');
    expect(await ipSeen('2', '6.6.6.6, 203.0.113.7, 192.168.1.2')).toBe('203.0.113.7');
    // By the proxy's address instead of a count: only a peer at that address is believed.
    expect(await ipSeen('10.0.0.0/8', '6.6.6.6, 203.0.113.7')).toBe('203.0.113.7');
    expect(await ipSeen('loopback', '6.6.6.6')).toBe('10.0.0.1');
  });

  it('uses the socket address when unset or 0, and refuses a value that is not a count', async () => {
    expect(await ipSeen(undefined, '6.6.6.6')).toBe('10.0.0.1');
    expect(await ipSeen('0', '6.6.6.6')).toBe('10.0.0.1');
    expect(() => trustedProxies({ TRUST_PROXY: 'yes; please' })).toThrow(
      /count of proxies or their addresses/,
    );
  });
});
