import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/index.ts';
import { mapUniqueViolation } from '../modules/series/index.ts';

/** Runs a write in one transaction (nothing half-saved) and maps constraint races to 409s. */
export async function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  try {
    return await db.transaction().execute(fn);
  } catch (e) {
    return mapUniqueViolation(e);
  }
}
