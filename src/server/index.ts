import type { FastifyInstance } from 'fastify';
import { openDatabase, type DbHandle } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createMailer } from '../modules/notify/index.ts';
import { buildApp } from './app.ts';
import { sqliteFile, type Config } from './config.ts';
import { memoryLimits, redisLimits } from './limits.ts';
import type { AppContext } from './context.ts';

export interface Running {
  app: FastifyInstance;
  ctx: AppContext;
  handle: DbHandle;
  close(): Promise<void>;
}

/** Opens and migrates the database, then builds the app around it (without listening). */
export async function createServer(
  config: Config,
  opts: { logger?: boolean | object } = {},
): Promise<Running> {
  let app: FastifyInstance | null = null;
  const handle = openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.databaseUrl ? undefined : sqliteFile(config),
    onIdleError: (e) =>
      app?.log.warn({ err: e }, 'PostgreSQL: a connection was lost; the pool opens a new one'),
  });
  try {
    await migrateToLatest(handle.db);
  } catch (e) {
    await handle.close();
    throw e;
  }
  const mailer = createMailer(config.smtpUrl, config.mailFrom);
  const limits = config.redisUrl
    ? redisLimits(config.redisUrl, (e) =>
        app?.log.warn({ err: e }, 'rate limits: Redis unavailable, counting in this process'),
      )
    : memoryLimits();
  const ctx: AppContext = {
    db: handle.db,
    dialect: handle.dialect,
    config,
    mailer,
    sqlite: handle.sqlite,
    limits,
    invalidate: () => {},
    onClose: [() => limits.close()],
  };
  await limits.ready(5000);
  app = await buildApp(ctx, opts);
  if (mailer.mode === 'outbox')
    app.log.info('SMTP_URL is not set: e-mail goes to the outbox at /console/outbox instead of being sent.');
  return {
    app,
    ctx,
    handle,
    async close() {
      await app.close();
      for (const fn of ctx.onClose) await fn();
      mailer.close();
      await handle.close();
    },
  };
}
