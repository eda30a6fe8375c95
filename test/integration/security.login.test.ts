import { randomInt } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { makeAccount, PASSWORD, unique } from '../support/factories.ts';
import { testServer } from '../support/server.ts';

/** Sign-in limits: one allowance for both doors, per address and per account, across processes. */
const servers: Running[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

const someAddress = () => `10.${randomInt(255)}.${randomInt(255)}.${randomInt(1, 255)}`;

async function attempt(srv: Running, door: 'page' | 'api', email: string, password: string, ip: string) {
  if (door === 'api')
    return (
      await srv.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password },
        remoteAddress: ip,
      })
    ).statusCode;
  const form = await srv.app.inject({ url: '/login', remoteAddress: ip });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  if (!csrf) throw new Error(`${form.statusCode} ${form.body.slice(0, 300)}`);
  const res = await srv.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress: ip,
    headers: {
      cookie: form.cookies.map((c) => `${c.name}=${c.value}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  return res.statusCode;
}

// Each attempt verifies an argon2 hash (a dummy one for unknown accounts, so timing reveals nothing):
// slow on a busy machine, hence the longer time limits.
describe('sign-in limits', () => {
  it('count /login and /api/auth/login together per address', async () => {
    const srv = await testServer({ LOGIN_RATE_LIMIT: '6' });
    servers.push(srv);
    await makeAccount(srv.ctx.db, { admin: true }); // past first-run setup, so /login shows its form
    const ip = someAddress();
    const codes: number[] = [];
    for (let i = 0; i < 8; i++)
      codes.push(await attempt(srv, i % 2 ? 'api' : 'page', `${unique('n')}@example.org`, 'guess', ip));
    console.log(JSON.stringify({ loginPerAddress: codes }));
    // Six wrong guesses in all (401 from the API, 422 from the form), then refused on either door.
    expect(codes.slice(0, 6).every((c) => c === 401 || c === 422)).toBe(true);
    expect(codes.slice(6)).toEqual([429, 429]);
  }, 120_000);

  it('hold an account after a few tries from any address, the same way for unknown accounts', async () => {
    const srv = await testServer({ LOGIN_ACCOUNT_LIMIT: '3' });
    servers.push(srv);
    const known = await makeAccount(srv.ctx.db);
    const unknown = `${unique('ghost')}@example.org`;
    const run = async (email: string) => {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push(await attempt(srv, 'api', email, 'guess', someAddress()));
      // The right password does not get through while the account is held.
      codes.push(await attempt(srv, 'api', email, PASSWORD, someAddress()));
      return codes;
    };
    const k = await run(known.email);
    const u = await run(unknown);
    console.log(JSON.stringify({ loginPerAccount: { known: k, unknown: u } }));
    expect(k).toEqual([401, 401, 401, 429, 429]);
    expect(u).toEqual(k);
    // A success clears the backoff: another account that signs in right after two misses is not held.
    const other = await makeAccount(srv.ctx.db);
    const codes = [];
    for (const p of ['guess', 'guess', PASSWORD, 'guess', 'guess'])
      codes.push(await attempt(srv, 'api', other.email, p, someAddress()));
    expect(codes).toEqual([401, 401, 200, 401, 401]);
  }, 120_000);

  it('hold across two processes sharing a store (Redis)', async () => {
    const env = { REDIS_URL: 'redis://127.0.0.1:6379', LOGIN_ACCOUNT_LIMIT: '4' };
    const a = await testServer(env);
    const b = await testServer(env);
    servers.push(a, b);
    const email = `${unique('shared')}@example.org`;
    const codes: number[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(await attempt(i % 2 ? b : a, 'api', email, 'guess', someAddress()));
    console.log(JSON.stringify({ loginAcrossProcesses: codes }));
    expect(codes).toEqual([401, 401, 401, 401, 429, 429]);
  }, 120_000);
});
