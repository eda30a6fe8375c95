import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DbHandle } from '../../db/index.ts';
import { DIALECT, testDb } from '../../../test/support/db.ts';
import { unique } from '../../../test/support/factories.ts';
import { createMailer } from './mailer.ts';
import { enqueueJob, registerJobHandler, runDueJobs, startScheduler, type JobContext } from './jobs.ts';

let h: DbHandle;
let h2: DbHandle;
beforeAll(async () => {
  h = await testDb();
  // A second connection to the same database: another process, as far as the queue can tell.
  h2 =
    DIALECT === 'postgres'
      ? openDatabase({ databaseUrl: process.env.DATABASE_URL })
      : openDatabase({ sqliteFile: h.sqlite!.name });
});
afterAll(async () => {
  await h2?.close();
  await h?.close();
});

const ctx = (db: DbHandle['db']): JobContext => ({
  db,
  mailer: createMailer(undefined, 'x@example.org'),
  config: { publicUrl: 'http://localhost', mailFrom: 'x@example.org' },
});

describe('job scheduler', () => {
  it('schedules a job with a unique key only once', async () => {
    const key = unique('job');
    expect(await enqueueJob(h.db, { kind: 'test.noop', uniqueKey: key, runAt: new Date() })).toBe(true);
    expect(await enqueueJob(h.db, { kind: 'test.noop', uniqueKey: key, runAt: new Date() })).toBe(false);
    expect(await h.db.selectFrom('job').select('id').where('unique_key', '=', key).execute()).toHaveLength(1);
  });

  it('never runs a job twice, even with two loops on two connections racing for it', async () => {
    const kind = unique('test.count');
    const runs: string[] = [];
    registerJobHandler(kind, async (_c, job) => {
      runs.push(job.id);
      await new Promise((r) => setTimeout(r, 5));
    });
    for (let i = 0; i < 20; i++)
      await enqueueJob(h.db, { kind, uniqueKey: `${kind}:${i}`, runAt: new Date(Date.now() - 1000) });
    const only = { kinds: [kind] };
    await Promise.all([
      runDueJobs(ctx(h.db), undefined, only),
      runDueJobs(ctx(h2.db), undefined, only),
      runDueJobs(ctx(h.db), undefined, only),
      runDueJobs(ctx(h2.db), undefined, only),
    ]);
    expect(runs).toHaveLength(20);
    expect(new Set(runs).size).toBe(20);
    await Promise.all([runDueJobs(ctx(h.db), undefined, only), runDueJobs(ctx(h2.db), undefined, only)]);
    expect(runs).toHaveLength(20);
  });

  it('keeps a job for later when it is not due, retries a failure, and the loop stops cleanly', async () => {
    const kind = unique('test.flaky');
    let calls = 0;
    registerJobHandler(kind, async () => {
      calls++;
      if (calls === 1) throw new Error('temporary');
    });
    const key = unique('flaky');
    await enqueueJob(h.db, { kind, uniqueKey: key, runAt: new Date() });
    await enqueueJob(h.db, { kind, uniqueKey: unique('later'), runAt: new Date(Date.now() + 3600_000) });
    const stop = startScheduler(ctx(h.db), 20);
    await new Promise((r) => setTimeout(r, 300));
    await stop();
    expect(calls).toBe(1);
    const row = await h.db
      .selectFrom('job')
      .selectAll()
      .where('unique_key', '=', key)
      .executeTakeFirstOrThrow();
    expect(row.last_error).toBe('temporary');
    expect(row.done_at).toBeNull();
    // The retry is due a minute later.
    await runDueJobs(ctx(h.db), () => new Date(Date.now() + 61_000));
    expect(calls).toBe(2);
    expect(
      (await h.db.selectFrom('job').select('done_at').where('unique_key', '=', key).executeTakeFirstOrThrow())
        .done_at,
    ).not.toBeNull();
  });
});
