// Regression (issue 15, found by bench:soak): closing a prompt answered 500 in about one room in
// seven when attendees' answers were committed meanwhile. On SQLite the answers are written by a
// worker thread on its own connection; the close ran in a deferred transaction (plain BEGIN) that
// read first, and a read transaction cannot become a write once that other connection has
// committed: SQLITE_BUSY ("database is locked") at once, without waiting. Transactions now begin
// IMMEDIATE and wait for the other writer instead.
import SQLite from 'better-sqlite3';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { inTransaction } from '../../server/tx.ts';
import { makeSeries, makeSession } from '../../../test/support/factories.ts';
import { DIALECT, testDb } from '../../../test/support/db.ts';
import { memoryBus } from './live.bus.ts';
import { roomPrompts } from './live.repository.ts';
import { LiveRuntime } from './live.runtime.ts';
import * as svc from './live.service.ts';

let h: DbHandle;
let live: LiveRuntime;
beforeAll(async () => {
  h = await testDb();
  // On SQLite: the worker-thread answer writer on its own connection, as in production.
  live = new LiveRuntime(h.db, memoryBus(), h.sqlite?.name);
});
afterAll(async () => {
  await live.close();
  await h.close();
});

async function openRoom() {
  const series = await makeSeries(h.db, { status: 'published' });
  const session = await makeSession(h.db, series, { daysAhead: -1 });
  const room = await svc.roomOfSession(h.db, series.admin, session);
  const promptId = await svc.createPrompt(h.db, series.admin, room, {
    type: 'open_text',
    kind: 'need',
    text: { en: 'Which habit helps your team most?' },
  });
  await svc.promptAction(h.db, series.admin, room, promptId, 'open');
  return { admin: series.admin, room, promptId };
}

const statusOf = async (o: Awaited<ReturnType<typeof openRoom>>) =>
  (await roomPrompts(h.db, o.room)).find((p) => p.id === o.promptId)?.status;

describe(`closing a prompt while answers are written (${DIALECT})`, () => {
  it('closes when another connection commits between the close’s read and its write', async () => {
    const target = await openRoom();
    const elsewhere = await openRoom();
    // Just before the close's first UPDATE (after its reads), another connection writes and commits,
    // as the answer writer's worker does at any moment.
    let other: { wrote: boolean; refused: boolean; pending?: Promise<unknown> } = {
      wrote: false,
      refused: false,
    };
    const conn = h.sqlite ? new SQLite(h.sqlite.name) : null;
    conn?.pragma('busy_timeout = 0');
    let fired = false;
    const interleave: KyselyPlugin = {
      transformQuery({ node }) {
        if (node.kind !== 'UpdateQueryNode' || fired) return node;
        fired = true;
        if (conn) {
          try {
            conn
              .prepare('UPDATE live_room SET pre_moderation = 1 - pre_moderation WHERE id = ?')
              .run(elsewhere.room.id);
            other.wrote = true;
          } catch (e) {
            // The close holds the write lock from its BEGIN: the other writer waits its turn.
            expect((e as { code?: string }).code).toBe('SQLITE_BUSY');
            other.refused = true;
          }
        } else {
          other = {
            ...other,
            pending: h.db
              .updateTable('live_room')
              .set({ pre_moderation: 1 })
              .where('id', '=', elsewhere.room.id)
              .execute(),
          };
        }
        return node;
      },
      transformResult: ({ result }) => Promise.resolve(result),
    };
    await inTransaction(h.db.withPlugin(interleave), (trx) =>
      svc.promptAction(trx, target.admin, target.room, target.promptId, 'close'),
    );
    await other.pending;
    conn?.close();
    expect(fired).toBe(true);
    expect(await statusOf(target)).toBe('closed');
    if (DIALECT === 'sqlite') expect(other).toEqual({ wrote: false, refused: true });
  });

  it('closes every room while its attendees are still answering', async () => {
    const rooms = await Promise.all(Array.from({ length: 6 }, () => openRoom()));
    const closes = await Promise.allSettled(
      rooms.map(async (o, r) => {
        const { row, prompts } = await live.room(o.room.code);
        const people = await Promise.all(
          Array.from(
            { length: 4 },
            async (_, a) =>
              (await svc.participantFor(h.db, o.room.id, `close-test-${r}-${a}-0123456789`, 'en')).id,
          ),
        );
        // Three answers each, through the answer writer; the facilitator closes meanwhile.
        const answering = people.flatMap((p, a) =>
          [0, 1, 2].map((n) =>
            live
              .submit(
                row,
                prompts,
                p,
                { promptId: o.promptId, clientKey: `c${r}-${a}-${n}`, text: `Idea ${n} of ${a}` },
                'en',
              )
              .catch(() => null),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 2));
        await inTransaction(h.db, (trx) => svc.promptAction(trx, o.admin, o.room, o.promptId, 'close'));
        await live.changed(o.room.id);
        await Promise.all(answering);
      }),
    );
    expect(closes.filter((c) => c.status === 'rejected')).toEqual([]);
    for (const o of rooms) expect(await statusOf(o)).toBe('closed');
  });
});
