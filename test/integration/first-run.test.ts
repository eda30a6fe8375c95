import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { testServer } from '../support/server.ts';

// The first-run page only works while no administrator exists, so this runs on SQLite only
// (the shared PostgreSQL database of a run already has administrators from other tests).
describe.runIf(DIALECT === 'sqlite')('first run', () => {
  let srv: Running;
  beforeAll(async () => {
    srv = await testServer();
  });
  afterAll(async () => srv.close());

  it('sends visitors of /login to the setup page while there is no administrator, then only once', async () => {
    const login = await srv.app.inject({ method: 'GET', url: '/login' });
    expect(login.statusCode).toBe(302);
    expect(login.headers.location).toBe('/setup');
    const weak = await srv.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { email: 'admin@example.org', name: 'Admin', password: 'short' },
    });
    expect(weak.statusCode).toBe(422);
    expect(weak.json()).toMatchObject({ error: { field: 'password' } });
    const ok = await srv.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { email: 'admin@example.org', name: 'Admin', password: 'a good long password' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ account: { isAdmin: true } });
    const again = await srv.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { email: 'other@example.org', name: 'Other', password: 'a good long password' },
    });
    expect(again.statusCode).toBe(409);
    expect((await srv.app.inject({ method: 'GET', url: '/setup' })).statusCode).toBe(302);
  });
});
