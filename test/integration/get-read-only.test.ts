/**
 * No GET writes: the workbench pages of src/server/pages.list.ts and its GETs of the OpenAPI document, asked by
 * an administrator on the demo series (live answers, a workbench, posts, a snapshot) with one live answer
 * the workbench has not brought in yet, leaves every table as it was. New live answers come in through
 * POST …/workbench/refresh (the "Refresh from live" button), never by looking at a page.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.ts';
import { findSeries } from '../../src/modules/series/index.ts';
import { newId } from '../../src/lib/ids.ts';
import type { Running } from '../../src/server/index.ts';
import { PAGES, type PageFixture } from '../../src/server/pages.list.ts';
import { DIALECT } from '../support/db.ts';
import { makeAccount } from '../support/factories.ts';
import { pageFixtureOf } from '../support/page-fixture.ts';
import { fillOperationPath, operationsOf } from '../support/openapi-cases.ts';
import { login, testServer, type Client } from '../support/server.ts';

let srv: Running;
let admin: Client;
let fixture: PageFixture & { roomId: string };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyDb = () => srv.ctx.db as any;

/** A checksum of every table's rows (in a stable order), by table. */
async function tableSums(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of await srv.ctx.db.introspection.getTables()) {
    if (/^(kysely_|sqlite_)/.test(t.name)) continue;
    const rows: unknown[] = await anyDb().selectFrom(t.name).selectAll().execute();
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    out[t.name] =
      `${rows.length}:${createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16)}`;
  }
  return out;
}

beforeAll(async () => {
  srv = await testServer();
  const db = anyDb();
  // On PostgreSQL the run's database is shared by the test files: another file may have seeded it.
  const seeded = await seedDemo(srv.ctx.db);
  const sid = seeded?.foundingSeriesId ?? (await findSeries(srv.ctx.db, 'library-leaders-2022'))?.id;
  if (!sid) throw new Error('demo not seeded');
  const account = await makeAccount(srv.ctx.db, { admin: true });
  admin = await login(srv, account.email);
  fixture = await pageFixtureOf(srv.ctx.db, sid, 'no-such-token');
  // Bring the live answers in and code them, as a coordinator would with the button.
  const refresh = await admin.request('POST', `/api/series/${sid}/workbench/refresh`);
  expect(refresh.statusCode, refresh.body).toBe(200);
  // Then one more answer arrives in a room: only a POST may bring it into the workbench.
  const answer = await db
    .selectFrom('live_response')
    .selectAll()
    .where('room_id', '=', fixture.roomId)
    .where('text', 'is not', null)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('live_response')
    .values({
      ...answer,
      id: newId(),
      client_key: newId(),
      text: 'A late answer the workbench has not seen.',
    })
    .execute();
}, 600_000);
afterAll(async () => srv?.close());

// A checksum of every table needs a database of its own: on PostgreSQL the run's database is shared by
// test files that run in parallel and write, so the whole-database check runs on SQLite (one file per
// test file); the POST test below runs on both.
describe(`GET requests (${DIALECT})`, () => {
  it.skipIf(DIALECT === 'postgres')(
    'leave every table as it was: pages and API reads write nothing, new live answers wait for a POST',
    async () => {
      const doc = (await admin.request('GET', '/api/openapi.json')).json();
      const ids: Record<string, string> = {
        id: fixture.seriesId,
        'series.id': fixture.seriesId,
        'sessions.id': fixture.sessionId,
        'posts.id': fixture.postId,
        'snapshots.id': fixture.snapshotId,
        slug: fixture.slug,
        code: fixture.roomCode,
      };
      const urls = [
        // The workbench's pages and API reads (the ones that used to pull live answers and code); the whole
        // sweep of every GET is too slow for one test on a loaded machine.
        ...PAGES.filter((p) => p.area === 'workbench').map((p) => p.url(fixture)),
        ...operationsOf(doc)
          .filter((o) => o.method === 'GET' && o.path.includes('/workbench') && !o.path.includes('export'))
          .map((o) => fillOperationPath(o.path, ids)),
      ];
      expect(urls.length).toBeGreaterThan(8);
      const before = await tableSums();
      const statuses: string[] = [];
      for (const url of urls) statuses.push(`${(await admin.request('GET', url)).statusCode} ${url}`);
      const after = await tableSums();
      const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
      expect(changed, 'tables changed by GET requests').toEqual([]);
      // Most of them answered with content, so the check saw the real reads.
      expect(statuses.filter((s) => s.startsWith('200')).length, statuses.join('\n')).toBeGreaterThan(
        urls.length / 2,
      );
    },
  );

  it('brings the late live answer in on POST …/workbench/refresh', async () => {
    const res = await admin.request('POST', `/api/series/${fixture.seriesId}/workbench/refresh`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ added: 1 });
  });
});
