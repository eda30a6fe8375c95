import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DbHandle, type Dialect } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/** The dialect this run tests: PostgreSQL when DATABASE_URL is set (scripts/test.mjs does both). */
export const DIALECT: Dialect = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

/**
 * A migrated database for one test file: a fresh SQLite file, or the run's PostgreSQL database
 * (created by the global setup). Tests build their own rows with factories and never empty tables.
 */
export async function testDb(): Promise<DbHandle> {
  const handle =
    DIALECT === 'postgres'
      ? openDatabase({ databaseUrl: process.env.DATABASE_URL })
      : openDatabase({ sqliteFile: join(mkdtempSync(join(tmpdir(), 'colloquy-test-')), 'test.sqlite') });
  await migrateToLatest(handle.db);
  return handle;
}

/** A second connection to the same database: another process, as far as the job table can tell. */
export function secondConnection(h: DbHandle): DbHandle {
  return DIALECT === 'postgres'
    ? openDatabase({ databaseUrl: process.env.DATABASE_URL })
    : openDatabase({ sqliteFile: h.sqlite!.name });
}
