import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/index.ts';
import { secondConnection, testDb } from '../../../test/support/db.ts';
import { jobContextFor } from '../../../test/support/jobs.ts';
import { unique } from '../../../test/support/factories.ts';
import { enqueueJob, registerJobHandler, runDueJobs, startScheduler } from './jobs.ts';

let h: DbHandle;
let h2: DbHandle;
beforeAll(async () => {
  h = await testDb();
  h2 = secondConnection(h);
});
afterAll(async () => {
  await h2?.close();
  await h?.close();
});

const ctx = jobContextFor;

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

  it('lets a worker whose lease ran out learn it, and never lets it undo its successor', async () => {
    const kind = unique('test.slow');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const beats: boolean[] = [];
    let calls = 0;
    registerJobHandler(
      kind,
      async (_c, job) => {
        calls++;
        if (calls === 1) {
          await gate;
          beats.push(await job.heartbeat());
          throw new Error('the stale worker gives up');
        }
        beats.push(await job.heartbeat());
      },
      { leaseMs: 10_000, backoffMs: 1_000 },
    );
    const key = unique('slow');
    await enqueueJob(h.db, { kind, uniqueKey: key, runAt: new Date() });
    const only = { kinds: [kind] };
    const stale = runDueJobs(ctx(h.db), undefined, only);
    await expect.poll(() => calls).toBe(1);
    // The first worker hangs past its lease; another process takes the job over and finishes it.
    expect(await runDueJobs(ctx(h2.db), () => new Date(Date.now() + 20_000), only)).toBe(1);
    release();
    await stale;
    expect(beats).toEqual([true, false]);
    const row = await h.db
      .selectFrom('job')
      .selectAll()
      .where('unique_key', '=', key)
      .executeTakeFirstOrThrow();
    expect(row.done_at).not.toBeNull();
    expect(row.last_error).toBeNull();
    expect(row.attempts).toBe(2);
  });

  it('schedules a key again once its job is done, but not while it is pending', async () => {
    const kind = unique('test.again');
    registerJobHandler(kind, async () => {});
    const key = unique('again');
    expect(await enqueueJob(h.db, { kind, uniqueKey: key, runAt: new Date(), again: true })).toBe(true);
    expect(await enqueueJob(h.db, { kind, uniqueKey: key, runAt: new Date(), again: true })).toBe(false);
    await runDueJobs(ctx(h.db), undefined, { kinds: [kind] });
    expect(await enqueueJob(h.db, { kind, uniqueKey: key, runAt: new Date(), again: true })).toBe(true);
    const row = await h.db
      .selectFrom('job')
      .selectAll()
      .where('unique_key', '=', key)
      .executeTakeFirstOrThrow();
    expect([row.done_at, row.attempts]).toEqual([null, 0]);
  });
});
