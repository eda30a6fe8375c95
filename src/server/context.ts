import type { Kysely } from 'kysely';
import type { Database, Dialect } from '../db/index.ts';
import type { Mailer } from '../modules/notify/index.ts';
import type { Config } from './config.ts';
import type { LimitStore } from './limits.ts';
import type SQLite from 'better-sqlite3';

/** What every route and background task gets: the database, the mailer, the configuration. */
export interface AppContext {
  db: Kysely<Database>;
  dialect: Dialect;
  config: Config;
  mailer: Mailer;
  sqlite?: SQLite.Database;
  /** Where rate limits count: this process, or Redis shared by all processes (REDIS_URL). */
  limits: LimitStore;
  /** Called after any write that changes what public pages show (drops cached pages). */
  invalidate(seriesId?: string): void;
  /** Hooks other modules can register to run when the app closes. */
  onClose: (() => Promise<void> | void)[];
}
