import { join, resolve } from 'node:path';

/** Everything configurable, from flags and environment, resolved once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  smtpUrl?: string;
  mailFrom: string;
  /** Absolute base URL used in e-mails and calendar files. */
  publicUrl: string;
  /** Mark cookies Secure (set when publicUrl is https). */
  secureCookies: boolean;
  demo: boolean;
  logLevel: string;
  /** Origins allowed to embed the presenter screen in a frame (PRESENTER_FRAME_ORIGINS, space-separated). */
  presenterFrameOrigins: string[];
  /** Sign-in attempts per account name at once (LOGIN_ACCOUNT_LIMIT), then one a minute. */
  loginAccountLimit: number;
  /** Login, setup and invitation attempts per minute and address. */
  loginRateLimit: number;
}

export interface ConfigOverrides {
  port?: number;
  dataDir?: string;
  demo?: boolean;
  host?: string;
}

/** Reads configuration from the environment with CLI overrides on top. */
export function loadConfig(o: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const port = o.port ?? (env.PORT ? Number(env.PORT) : 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not "${String(env.PORT)}"`);
  const host = o.host ?? env.HOST ?? '0.0.0.0';
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  return {
    port,
    host,
    dataDir: resolve(o.dataDir ?? env.COLLOQUY_DATA ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Colloquy <colloquy@localhost>',
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    demo: o.demo ?? env.COLLOQUY_DEMO !== '0',
    logLevel: env.LOG_LEVEL ?? 'info',
    presenterFrameOrigins: (env.PRESENTER_FRAME_ORIGINS ?? '')
      .split(/[\s,]+/)
      .filter((o) => /^https?:\/\/[a-z0-9.-]+(:\d+)?$/i.test(o)),
    loginAccountLimit: Number(env.LOGIN_ACCOUNT_LIMIT ?? 5),
    loginRateLimit: Number(env.LOGIN_RATE_LIMIT ?? 10),
  };
}

/**
 * TRUST_PROXY: how many reverse proxies of yours stand in front (1: one nginx or HAProxy), or
 * which addresses they connect from (`loopback`, `10.0.0.0/8`, comma-separated). The client's
 * address is then the one the outermost proxy added to X-Forwarded-For; whatever a client wrote into
 * that header itself stands further left and is never believed. Unset or 0: the socket's address.
 * (A bare hop count is a function here: Fastify's own number form trusts nothing since 5.12.)
 */
export function trustedProxies(
  env: NodeJS.ProcessEnv = process.env,
): false | string | ((address: string, hop: number) => boolean) {
  const v = (env.TRUST_PROXY ?? '').trim();
  if (v === '' || v === '0') return false;
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n > 10) throw new Error(`TRUST_PROXY counts reverse proxies in front (1, 2, …), not "${v}"`);
    return (_address, hop) => hop < n;
  }
  if (!/^[\w.:/, -]+$/.test(v))
    throw new Error(`TRUST_PROXY must be a count of proxies or their addresses, not "${v}"`);
  return v;
}

export function sqliteFile(config: Config): string {
  return join(config.dataDir, 'colloquy.sqlite');
}
