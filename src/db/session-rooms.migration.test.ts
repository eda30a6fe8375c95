// The migration that gives every older session its live room, run again on a database where one session
// lost its room (as sessions created before it had none). It runs inside a transaction that is rolled back:
// on PostgreSQL the run's database is shared, and nothing here should stay for the other test files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECT, testDb } from '../../test/support/db.ts';
import { makeSeries, makeSession } from '../../test/support/factories.ts';
import type { Db, DbHandle } from './index.ts';
import { up } from './migrations/20261202T0900_session_rooms.ts';

let h: DbHandle;
beforeAll(async () => {
  h = await testDb();
});
afterAll(async () => h.close());

const roomsOf = (db: Db, sessionIds: string[]) =>
  db.selectFrom('live_room').selectAll().where('session_id', 'in', sessionIds).orderBy('code').execute();

class RollBack extends Error {}

describe(`the migration that gives every session its live room (${DIALECT})`, () => {
  it('gives a session without a room one with a fresh code, and leaves rooms that exist alone', async () => {
    const series = await makeSeries(h.db);
    const without = await makeSession(h.db, series);
    const kept = await makeSession(h.db, series, { regionKey: 'asia_oceania' });
    await h.db.deleteFrom('live_room').where('session_id', '=', without).execute();
    const [before] = await roomsOf(h.db, [kept]);

    await expect(
      h.db.transaction().execute(async (trx) => {
        await up(trx);
        const [made] = await roomsOf(trx, [without]);
        expect(made).toMatchObject({
          session_id: without,
          series_id: series.id,
          state: 'open',
          current_prompt_id: null,
        });
        expect(made.code).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
        expect(made.code).not.toBe(before.code);
        expect(made.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(await roomsOf(trx, [kept])).toEqual([before]);
        // Run again, it finds nothing to do.
        await up(trx);
        expect(await roomsOf(trx, [without, kept])).toHaveLength(2);
        throw new RollBack();
      }),
    ).rejects.toBeInstanceOf(RollBack);
  });
});
