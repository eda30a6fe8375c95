// The demo tells one story: its six rooms' answers are coded by the engine, reviewed by a person through
// the review service, frozen by the workbench as a snapshot, and that one snapshot is what the post, its
// words and the congress session show.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/index.ts';
import { FOUNDING, UPCOMING } from '../../src/demo/content.ts';
import { roomCodeOfSession } from '../../src/modules/live/index.ts';
import { findSeries, sessionsOf } from '../../src/modules/series/index.ts';
import { findSnapshot, listSnapshots, type SnapshotResult } from '../../src/modules/publishing/index.ts';
import type { Running } from '../../src/server/index.ts';
import { DIALECT } from '../support/db.ts';
import { grant, makeAccount } from '../support/factories.ts';
import { login, testServer } from '../support/server.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv.close());

/** The chart descriptions of a page ("Mentoring: 41 mentions (43%)"), one per chart. */
const chartFigures = (body: string) =>
  [...body.matchAll(/<desc id="[^"]+">([^<]*)<\/desc>/g)].map((m) => m[1]).sort();

/** The same descriptions computed from a snapshot's stored figures. */
const snapshotFigures = (r: SnapshotResult) =>
  Object.values(r.kinds)
    .filter((k) => k.themes.length)
    .map((k) =>
      k.themes
        .slice(0, 8)
        .map((t) => `${t.label}: ${t.count} mentions (${Math.round(t.share * 100)}%)`)
        .join('; '),
    )
    .sort();

const LATE_ANSWER = 'A late answer the workbench has not seen.';

describe(`the demo's one pipeline (${DIALECT})`, () => {
  it('shows the same figures from one workbench snapshot on the post, in its words, on the congress page and in the workbench', async () => {
    const db = srv.ctx.db;
    await seedDemo(db);
    const series = (await findSeries(db, 'library-leaders-2022'))!;
    srv.ctx.invalidate();

    // The answers came through the live rooms and were coded; a person decided some proposals.
    const items = await db
      .selectFrom('wb_item')
      .select(['id', 'engine_labels', 'text'])
      .where('series_id', '=', series.id)
      .execute();
    expect(items.length).toBeGreaterThan(200);
    expect(items.every((i) => i.engine_labels !== null)).toBe(true);
    const decisions = await db
      .selectFrom('wb_coding')
      .select('id')
      .where('series_id', '=', series.id)
      .execute();
    expect(decisions.length).toBeGreaterThanOrEqual(10);

    // One snapshot, taken by the workbench over those units.
    const snaps = await listSnapshots(db, series.id);
    expect(snaps).toHaveLength(1);
    const snap = (await findSnapshot(db, snaps[0].id))!;
    // On PostgreSQL the test files share one database: get-read-only.test.ts brings one late live answer
    // into the demo after its snapshot was taken; that unit is not in the snapshot.
    const atSnapshot = items.filter((i) => i.text !== LATE_ANSWER);
    expect(snap.params).toMatchObject({ units: atSnapshot.length, engineVersion: snap.engineVersion });
    const expected = snapshotFigures(snap.result);
    expect(expected.length).toBe(3);

    const post = await srv.app.inject({ url: `/series/${series.slug}/posts/what-six-regions-told-us` });
    expect(post.statusCode).toBe(200);
    expect(chartFigures(post.body)).toEqual(expected);
    const congress = await srv.app.inject({ url: `/series/${series.slug}/congress/dublin-2022` });
    expect(congress.statusCode).toBe(200);
    expect(chartFigures(congress.body)).toEqual(expected);
    expect(congress.body).toContain('Leadership, diversity and the profession: findings from six regions');
    expect(post.body).toMatch(/hreflang="fr"/);
    expect(post.body).toMatch(
      /<li id="c-[^"]+" class="comment">[\s\S]*?<ol><li id="c-[^"]+" class="comment">[\s\S]*?Dublin session/,
    );

    // The post's words state what the snapshot shows: per kind its two most mentioned themes and shares.
    const stated = [
      ...post.body.matchAll(
        /<li>([^<:]+): <strong>([^<]+)<\/strong> \((\d+)% of answers\)(?: and <strong>([^<]+)<\/strong> \((\d+)% of answers\))?\.<\/li>/g,
      ),
    ];
    expect(stated).toHaveLength(3);
    const kindOf: Record<string, string> = {
      'Best practices': 'best_practice',
      Recommendations: 'recommendation',
      Needs: 'need',
    };
    for (const m of stated) {
      const themes = snap.result.kinds[kindOf[m[1]]].themes;
      expect([m[2], Number(m[3])]).toEqual([themes[0].label, Math.round(themes[0].share * 100)]);
      if (m[4]) expect([m[4], Number(m[5])]).toEqual([themes[1].label, Math.round(themes[1].share * 100)]);
    }

    // The workbench reproduces the same snapshot from its stored inputs.
    const coordinator = await grant(db, await makeAccount(db), series.id, 'coordinator');
    const client = await login(srv, coordinator.email);
    const json = (
      await client.request('GET', `/api/series/${series.id}/workbench/snapshots/${snap.id}`)
    ).json() as {
      result: SnapshotResult;
      reproduced: { equal: boolean };
    };
    expect(json.reproduced.equal).toBe(true);
    expect(snapshotFigures(json.result)).toEqual(expected);
  });

  it('gives every demo session its live room, and the upcoming one the code DEMO people type from the README', async () => {
    const db = srv.ctx.db;
    await seedDemo(db);
    const codes: string[] = [];
    for (const slug of [FOUNDING.slug, UPCOMING.slug]) {
      const series = (await findSeries(db, slug))!;
      for (const s of await sessionsOf(db, series.id)) {
        const rooms = await db
          .selectFrom('live_room')
          .select('code')
          .where('session_id', '=', s.id)
          .execute();
        expect(rooms).toHaveLength(1);
        codes.push(rooms[0].code);
      }
    }
    expect(new Set(codes).size).toBe(codes.length);
    const upcoming = (await findSeries(db, UPCOMING.slug))!;
    const withDemo = [];
    for (const s of await sessionsOf(db, upcoming.id))
      if ((await roomCodeOfSession(db, s.id)) === 'DEMO') withDemo.push(s.id);
    expect(withDemo).toHaveLength(1);
    const join = await srv.app.inject({ method: 'GET', url: `/sessions/${withDemo[0]}/join` });
    expect(join.headers.location).toBe('/j/DEMO');
    const page = await srv.app.inject({ method: 'GET', url: '/j/DEMO' });
    expect(page.statusCode).toBe(200);
  });
});
