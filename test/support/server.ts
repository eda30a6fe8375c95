import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/server/config.ts';
import { createServer, type Running } from '../../src/server/index.ts';
import { PASSWORD } from './factories.ts';

/**
 * A whole Colloquy app on the test run's database (no port; use app.inject, or listen for browsers).
 * Silent unless given a logger (Fastify's options, e.g. a level and a stream to capture).
 */
export async function testServer(
  env: Record<string, string> = {},
  opts: { logger?: boolean | object } = {},
): Promise<Running> {
  const config = loadConfig(
    { port: 0, dataDir: mkdtempSync(join(tmpdir(), 'colloquy-srv-')), demo: false, host: '127.0.0.1' },
    { ...process.env, LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '1000', LOGIN_ACCOUNT_LIMIT: '1000', ...env },
  );
  return createServer(config, { logger: opts.logger ?? false });
}

/** A logged-in API client: keeps the session cookie and sends the CSRF token on writes. */
export interface Client {
  request(method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
  csrf: string;
  cookie: string;
}

export async function login(srv: Running, email: string, password = PASSWORD): Promise<Client> {
  const res = await srv.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'colloquy_session')!;
  const client: Client = {
    csrf: (res.json() as { csrfToken: string }).csrfToken,
    cookie: `colloquy_session=${cookie.value}`,
    request: (method, url, body) =>
      srv.app.inject({
        method: method as 'GET',
        url,
        payload: body as object,
        headers: { cookie: client.cookie, 'x-csrf-token': client.csrf },
      }),
  };
  return client;
}

export const anonymous = (srv: Running): Client => ({
  csrf: '',
  cookie: '',
  request: (method, url, body) => srv.app.inject({ method: method as 'GET', url, payload: body as object }),
});
