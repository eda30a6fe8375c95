/**
 * No GET writes. Every page of src/server/pages.list.ts, every GET operation of the OpenAPI document and
 * a finished export job's status and file are asked by an administrator on two series: the demo series (live
 * answers, a coded workbench, posts, a snapshot, plus one live answer the workbench has not brought in
 * yet) and a fresh series that never opened its workbench (no wb_state row, no themes stored). The public
 * pages are asked anonymously too. New live answers come in through POST …/workbench/refresh and coding
 * starts with a POST, never by looking at a page.
 *
 * How a write is seen: SQLite's `total_changes()` on the server's one connection (src/db/index.ts opens a
 * single better-sqlite3 handle that Kysely and everything else use) counts every row inserted, updated or
 * deleted through it, so comparing it before and after each GET names the GET that wrote, exactly and in
 * microseconds (the former whole-table checksum took seconds per check). Live answers are written by a
 * worker thread on a connection of its own (live.writer.worker.ts), which only POSTs of answers reach.
 *
 * Why the sweep runs on SQLite only: on PostgreSQL the run's database is shared by test files that write in
 * parallel, so no whole-database figure is stable, and per-table row counts would miss updates (an UPDATE
 * keeps the count). The GET handlers are the same code on both dialects (Kysely), so a GET that writes
 * writes on both; the POST test below runs on both.
 *
 * Live rooms: a session's room (and join code) is made with the session, in its transaction (and by a
 * migration for older sessions), so the facilitator's live page and `GET /api/sessions/{id}/live` only read.
 *
 * Sessions: login sessions are rows of auth_session, but reading one never writes (no last-seen time is
 * kept; an expired session is deleted when it is presented, which these fresh sessions are not). Cookies a
 * GET sets (the anonymous CSRF cookie, the language cookie) are no database write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.ts';
import { findSeries } from '../../src/modules/series/index.ts';
import { newId } from '../../src/lib/ids.ts';
import type { Running } from '../../src/server/index.ts';
import { PAGES, type PageFixture } from '../../src/server/pages.list.ts';
import { DIALECT } from '../support/db.ts';
import { makeAccount, makeSeries, makeSession } from '../support/factories.ts';
import { pageFixtureOf } from '../support/page-fixture.ts';
import { fillOperationPath, operationsOf, sample } from '../support/openapi-cases.ts';
import { anonymous, login, testServer, type Client } from '../support/server.ts';

let srv: Running;
let admin: Client;
let demo: PageFixture & { roomId: string };
let fresh: PageFixture;
/** A finished export of the demo series, so its status and file GETs read a real row. */
let exportId = '';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const anyDb = () => srv.ctx.db as any;

/** Rows inserted, updated or deleted through the server's SQLite connection since it opened. */
const totalChanges = (): number =>
  (srv.ctx.sqlite!.prepare('select total_changes() as n').get() as { n: number }).n;

/** Waits until background work started by the set-up's POSTs (coding jobs) has stopped writing. */
async function settled(): Promise<void> {
  let last = -1;
  for (let i = 0; i < 200; i++) {
    const active = await anyDb()
      .selectFrom('wb_job')
      .select('id')
      .where('status', 'in', ['queued', 'running', 'retrying'])
      .union(
        anyDb().selectFrom('wb_export').select('id').where('status', 'in', ['queued', 'running', 'retrying']),
      )
      .execute();
    const now = totalChanges();
    if (!active.length && now === last) return;
    last = now;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('background work did not settle');
}

type Doc = Parameters<typeof operationsOf>[0] & {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, unknown> }> }>
  >;
};

/** The live rooms' event streams stay open while someone listens (they only read and subscribe). */
const isStream = (doc: Doc, path: string): boolean =>
  !!doc.paths[path]?.get?.responses?.['200']?.content?.['text/event-stream'];

/** Every GET URL for a fixture: the pages and the API's GET operations (query filled; a real export id). */
function urlsFor(doc: Doc, f: PageFixture): string[] {
  const ids: Record<string, string> = {
    id: f.seriesId,
    'series.id': f.seriesId,
    'sessions.id': f.sessionId,
    'posts.id': f.postId,
    'snapshots.id': f.snapshotId,
    slug: f.slug,
    code: f.roomCode,
    exportId,
  };
  const api = operationsOf(doc)
    .filter((o) => o.method === 'GET' && !isStream(doc, o.path))
    .map((o) => {
      const q = new URLSearchParams();
      for (const p of o.query)
        if (p.schema.default === undefined) q.set(p.name, String(sample(p.schema, p.name)));
      const path = fillOperationPath(o.path, ids);
      return q.size ? `${path}?${q.toString()}` : path;
    });
  return [...PAGES.map((p) => p.url(f)), ...api];
}

/** Asks each URL once; returns the GETs that changed rows, and the status of each. */
async function sweep(client: Client, urls: readonly string[]) {
  const wrote: string[] = [];
  const statuses: string[] = [];
  for (const url of urls) {
    const before = totalChanges();
    const res = await Promise.race([
      client.request('GET', url),
      new Promise<{ statusCode: string }>((r) =>
        setTimeout(() => r({ statusCode: 'no answer in 60 s' }), 60_000),
      ),
    ]);
    const changed = totalChanges() - before;
    statuses.push(`${res.statusCode} ${url}`);
    if (changed) wrote.push(`${url} changed ${changed} row(s)`);
  }
  return { wrote, statuses };
}

const wbStateRows = async (seriesId: string): Promise<number> =>
  (await anyDb().selectFrom('wb_state').select('series_id').where('series_id', '=', seriesId).execute())
    .length;

beforeAll(async () => {
  srv = await testServer();
  const db = anyDb();
  // On PostgreSQL the run's database is shared by the test files: another file may have seeded it.
  const seeded = await seedDemo(srv.ctx.db);
  const sid = seeded?.foundingSeriesId ?? (await findSeries(srv.ctx.db, 'library-leaders-2022'))?.id;
  if (!sid) throw new Error('demo not seeded');
  const account = await makeAccount(srv.ctx.db, { admin: true });
  admin = await login(srv, account.email);
  demo = await pageFixtureOf(srv.ctx.db, sid, 'no-such-token');
  // Bring the live answers in and code them, as a coordinator would with the button.
  const refresh = await admin.request('POST', `/api/series/${sid}/workbench/refresh`);
  expect(refresh.statusCode, refresh.body).toBe(200);
  // An export job, finished, so the sweep reads a real export (and the exports page lists it).
  const asked = await admin.request('POST', `/api/series/${sid}/workbench/exports`, { format: 'csv' });
  expect(asked.statusCode, asked.body).toBe(202);
  exportId = asked.json<{ id: string }>().id;
  for (let i = 0; ; i++) {
    const st = await admin.request('GET', `/api/series/${sid}/workbench/exports/${exportId}`);
    if (st.json<{ status: string }>().status === 'done') break;
    if (i > 600) throw new Error(`the export did not finish: ${st.body}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // Then one more answer arrives in a room: only a POST may bring it into the workbench.
  const answer = await db
    .selectFrom('live_response')
    .selectAll()
    .where('room_id', '=', demo.roomId)
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
  // A series that never opened its workbench: the demo's posts and rooms stand in for the other ids.
  const s = await makeSeries(srv.ctx.db);
  fresh = { ...demo, seriesId: s.id, slug: s.slug, sessionId: await makeSession(srv.ctx.db, s) };
}, 600_000);
afterAll(async () => srv?.close());

describe(`GET requests (${DIALECT})`, () => {
  it.skipIf(DIALECT === 'postgres')(
    'write nothing: every page, API read and export, on the demo series and on a series that never opened its workbench',
    async () => {
      const doc = (await admin.request('GET', '/api/openapi.json')).json() as Doc;
      const demoUrls = urlsFor(doc, demo);
      const freshUrls = urlsFor(doc, fresh);
      expect(demoUrls.length).toBeGreaterThan(60);
      expect(await wbStateRows(fresh.seriesId)).toBe(0);
      await settled();
      const onDemo = await sweep(admin, demoUrls);
      const onFresh = await sweep(admin, freshUrls);
      const publicPages = PAGES.filter((p) => !p.auth).map((p) => p.url(demo));
      const asAnonymous = await sweep(anonymous(srv), publicPages);
      // Anything a GET started in the background would show here.
      await new Promise((r) => setTimeout(r, 300));
      const wrote = [...onDemo.wrote, ...onFresh.wrote, ...asAnonymous.wrote];
      expect(wrote, 'GET requests that wrote').toEqual([]);
      expect(await wbStateRows(fresh.seriesId)).toBe(0);
      // Most of them answered with content, so the check saw the real reads (and no GET failed).
      for (const { statuses } of [onDemo, onFresh]) {
        expect(
          statuses.filter((s) => !/^[234]/.test(s)),
          statuses.join('\n'),
        ).toEqual([]);
        expect(statuses.filter((s) => s.startsWith('200')).length, statuses.join('\n')).toBeGreaterThan(
          statuses.length / 2,
        );
      }
    },
    600_000,
  );

  it.skipIf(DIALECT === 'postgres')(
    'shows the fresh series its default codebook without storing it',
    async () => {
      const base = `/console/series/${fresh.seriesId}/workbench`;
      const codebook = await admin.request('GET', `${base}/codebook`);
      expect(codebook.statusCode).toBe(200);
      expect(codebook.body).toContain('Mentoring');
      const themes = await anyDb()
        .selectFrom('wb_theme')
        .select('id')
        .where('series_id', '=', fresh.seriesId)
        .execute();
      expect(themes).toEqual([]);
    },
  );

  it('brings the late live answer in on POST …/workbench/refresh', async () => {
    const res = await admin.request('POST', `/api/series/${demo.seriesId}/workbench/refresh`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ added: 1 });
  });
});
