import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, sql, type Kysely, type Migration } from 'kysely';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
const NAME_RE = /^(\d{8}T\d{4}_[a-z0-9_]+)\.(ts|js)$/;

interface MigrationFile {
  name: string;
  path: string;
  checksum: string;
}

function migrationFiles(): MigrationFile[] {
  return readdirSync(DIR)
    .filter((f) => NAME_RE.test(f))
    .sort()
    .map((f) => {
      const path = join(DIR, f);
      const text = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
      return { name: NAME_RE.exec(f)![1], path, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

export class MigrationMismatchError extends Error {}

/**
 * Brings the schema to the latest migration. Refuses (throws) when the database has applied a
 * migration that is missing from the files or whose file changed since: frozen means frozen.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const files = migrationFiles();
  await db.schema
    .createTable('colloquy_migration_checksum')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .execute();
  const known = await db.selectFrom('colloquy_migration_checksum').select(['name', 'checksum']).execute();
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of known as { name: string; checksum: string }[]) {
    const file = byName.get(row.name);
    if (!file) {
      throw new MigrationMismatchError(
        `The database has migration ${row.name} applied, but this version of Colloquy has no such file. Refusing to start: use the Colloquy version that created this database.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationMismatchError(
        `Migration ${row.name} was changed after it was applied to this database. Migrations are frozen; refusing to start.`,
      );
    }
  }
  const modules = new Map<string, Migration>();
  for (const f of files) modules.set(f.name, (await import(pathToFileURL(f.path).href)) as Migration);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => Object.fromEntries(modules) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const msg = error instanceof Error ? error.message : JSON.stringify(error);
    if (/corrupted migrations/i.test(msg)) throw new MigrationMismatchError(`Refusing to start: ${msg}`);
    throw error instanceof Error ? error : new Error(msg);
  }
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  const recorded = new Set((known as { name: string }[]).map((k) => k.name));
  for (const f of files) {
    if (recorded.has(f.name)) continue;
    await db
      .insertInto('colloquy_migration_checksum')
      .values({ name: f.name, checksum: f.checksum })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }
  return applied;
}

/** Names of applied migrations, for `colloquy migrate --status`. */
export async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  try {
    const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    return rows.rows.map((r) => r.name);
  } catch {
    return [];
  }
}
