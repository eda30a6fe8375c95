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

export function sqliteFile(config: Config): string {
  return join(config.dataDir, 'colloquy.sqlite');
}
