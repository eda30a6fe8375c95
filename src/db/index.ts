import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { envLimit, Lru } from '../lib/lru.ts';
import type { Database } from './schema.ts';

export type { Database } from './schema.ts';
export type Dialect = 'sqlite' | 'postgres';
/** What services take as their first argument: the database or a transaction the caller owns. */
export type Db = Kysely<Database> | Transaction<Database>;

/** The dialect of a Kysely handle, from its adapter. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

// The raw SQLite connection behind each Kysely handle, for checkpoints by whoever holds the handle.
const connections = new WeakMap<object, SQLite.Database>();

/**
 * After an erasure has committed: SQLite copies the write-ahead log into the main file and truncates it,
 * so erased rows (overwritten there by secure_delete) leave the log too. Nothing to do on PostgreSQL.
 * Give it the database, not the transaction (which has committed by then).
 */
export function checkpointAfterErasure(db: Db): void {
  connections.get(db)?.pragma('wal_checkpoint(TRUNCATE)');
}

export interface DbHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** SQLite only: the raw connection, for online backup and checkpoints. */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string;
  sqliteFile?: string;
  /** Where a lost PostgreSQL connection is reported (stderr by default). */
  onIdleError?: (e: Error) => void;
}

// pg returns timestamptz as Date by default; the app's one codec for instants is ISO 8601 UTC text.
const TIMESTAMPTZ = 1184;
const TIMESTAMP = 1114;
const INT8 = 20;
function pgTypes(oid: number, format?: string): (v: string) => unknown {
  if (oid === TIMESTAMPTZ || oid === TIMESTAMP) return (v: string) => new Date(v).toISOString();
  if (oid === INT8) return (v: string) => Number(v);
  return pg.types.getTypeParser(oid, format as 'text') as (v: string) => unknown;
}

const defaultIdleError = (e: Error) =>
  process.stderr.write(`PostgreSQL: a connection was lost (${e.message}); the pool opens a new one\n`);

// What a PostgreSQL that is restarting, shutting down, full or out of reach answers: the request
// may succeed when sent again, so the client is told 503 rather than 500 (SQLSTATE classes 08 and
// 57P, "too many connections", and node's own socket errors).
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '53300',
  '57P01',
  '57P02',
  '57P03',
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|Cannot use a pool after calling end/i;

/** True when an error means the database is out of reach for a moment (not that the request is wrong). */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  if (e instanceof AggregateError) return e.errors.some(isDatabaseUnavailable);
  return UNAVAILABLE_MESSAGES.test(e.message);
}

/** Opens the configured database: PostgreSQL when a URL is given, otherwise an SQLite file. */
export function openDatabase(opts: DbOptions): DbHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: Number(process.env.PG_POOL_SIZE ?? 10),
      // A database that does not answer (a restart, a cut network) fails the request after this
      // long instead of holding it open forever; the pool tries again on the next query.
      connectionTimeoutMillis: Number(process.env.PG_CONNECT_TIMEOUT_MS ?? 5000),
      types: { getTypeParser: pgTypes } as unknown as pg.CustomTypesConfig,
    });
    // A connection that PostgreSQL ends (a restart, pg_terminate_backend, a network cut) is
    // reported here; the pool drops it and opens a new one on the next query. Without a listener
    // the error would be an uncaught exception and end the process.
    const lost = (e: Error) => (opts.onIdleError ?? defaultIdleError)(e);
    pool.on('error', lost);
    // A connection lent out (inside a transaction, between two queries) reports on itself: the
    // query in progress fails and its caller sees it; this listener only keeps the process alive.
    pool.on('connect', (client) => client.on('error', lost));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = opts.sqliteFile ?? ':memory:';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: an acknowledged write survives a power cut, not only a process crash.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Erased rows must not linger in free pages of the file (personal data, see docs on erasure).
  sqlite.pragma('secure_delete = ON');
  // Sorts and temporary indexes in memory, not in a temporary file: an ORDER BY that needs a sort
  // created and deleted a file on every query (a sixth of an uncached series page), and a temporary
  // file could hold what people said outside the database file that erasure cleans.
  sqlite.pragma('temp_store = MEMORY');
  // Prepared statements are kept per SQL text (bounded): Kysely asks for a new one on every query, and
  // preparing was a sixth of an uncached public page's CPU time. A statement still being iterated (a
  // streamed query) is busy: then a fresh one is prepared.
  const statements = new Lru<string, SQLite.Statement>(envLimit('SQLITE_STATEMENT_CACHE', 1000));
  const database = {
    close: () => sqlite.close(),
    prepare(sqlText: string): SQLite.Statement {
      // Transactions take the write lock when they begin. A deferred one (plain BEGIN) that reads
      // first cannot upgrade to a write once another connection (the live answer writer's worker
      // thread) has committed since its read: SQLite answers SQLITE_BUSY at once, without waiting.
      // BEGIN IMMEDIATE waits (busy_timeout) for the other writer instead.
      const text = sqlText === 'begin' ? 'begin immediate' : sqlText;
      let stmt = statements.get(text);
      if (!stmt || stmt.busy) {
        stmt = sqlite.prepare(text);
        statements.set(text, stmt);
      }
      return stmt;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  connections.set(db, sqlite);
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}
