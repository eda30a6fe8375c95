import { describe, expect, it } from 'vitest';
import { DIALECT, testDb } from '../../test/support/db.ts';
import { migrateToLatest, MigrationMismatchError } from './migrate.ts';

describe(`frozen migrations (${DIALECT})`, () => {
  it('is idempotent: a second run applies nothing', async () => {
    const h = await testDb();
    try {
      expect(await migrateToLatest(h.db)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it.runIf(DIALECT === 'sqlite')(
    'refuses a database whose applied migration changed or is unknown',
    async () => {
      const h = await testDb();
      try {
        await h.db
          .updateTable('colloquy_migration_checksum' as never)
          .set({ checksum: 'tampered' } as never)
          .execute();
        await expect(migrateToLatest(h.db)).rejects.toThrow(MigrationMismatchError);
        await h.db.deleteFrom('colloquy_migration_checksum' as never).execute();
        await h.db
          .insertInto('colloquy_migration_checksum' as never)
          .values({ name: '29990101T0000_from_the_future', checksum: 'x' } as never)
          .execute();
        await expect(migrateToLatest(h.db)).rejects.toThrow(/no such file/);
      } finally {
        await h.close();
      }
    },
  );
});
