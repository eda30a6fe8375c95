import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/index.ts';
import { DIALECT } from '../../../test/support/db.ts';
import { makeAccount, makeSeries } from '../../../test/support/factories.ts';
import { anonymous, login, testServer, type Client } from '../../../test/support/server.ts';
import { requestExport } from './export.job.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer({ COLLOQUY_JOBS: '0' });
});
afterAll(async () => srv.close());

const CSV =
  'id,region,prompt_kind,text,career_stage\nq1,europe,best_practice,A mentor helped me lead.,new\nq2,asia_oceania,need,We need leadership training.,senior\nq3,europe,need,We need better communication with the board.,new\n';

async function coordinatorSeries() {
  const s = await makeSeries(srv.ctx.db);
  const client = await login(srv, s.admin.email);
  const imported = await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
    kind: 'csv',
    name: 'api',
    content: Buffer.from(CSV).toString('base64'),
  });
  expect(imported.statusCode, imported.body).toBeLessThan(300);
  return { s, client };
}

interface ExportJson {
  id: string;
  status: string;
  statusUrl: string;
  fileUrl: string;
  size: number | null;
  units: number | null;
  reused: boolean;
}

/** Polls an export's status until its job is over (the POST started it in the background). */
async function finished(client: Client, statusUrl: string): Promise<ExportJson> {
  let last: ExportJson | undefined;
  await expect
    .poll(
      async () => {
        last = (await client.request('GET', statusUrl)).json<ExportJson>();
        return last.status;
      },
      { timeout: 30_000, interval: 50 },
    )
    .toMatch(/^(done|failed)$/);
  return last!;
}

const form = (client: Client, url: string, fields: Record<string, string>, csrf = true) =>
  srv.app.inject({
    method: 'POST',
    url,
    headers: { cookie: client.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ ...(csrf ? { _csrf: client.csrf } : {}), ...fields }).toString(),
  });

describe(`export jobs over HTTP (${DIALECT})`, () => {
  it('POST starts a job; its status says done; the file is the bytes the synchronous export gives', async () => {
    const { s, client } = await coordinatorSeries();
    for (const format of ['csv', 'md', 'qdc'] as const) {
      const res = await client.request('POST', `/api/series/${s.id}/workbench/exports`, { format });
      expect(res.statusCode, res.body).toBe(202);
      const asked = res.json<ExportJson>();
      expect(asked.statusUrl).toBe(`/api/series/${s.id}/workbench/exports/${asked.id}`);
      expect(asked.fileUrl).toBe(`${asked.statusUrl}/file`);
      const done = await finished(client, asked.statusUrl);
      expect([done.status, done.units]).toEqual(['done', 3]);
      const file = await client.request('GET', asked.fileUrl);
      const sync = await client.request('GET', `/api/series/${s.id}/workbench/export?format=${format}`);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(sync.rawPayload), format).toBe(true);
      expect(file.headers['content-type']).toBe(sync.headers['content-type']);
      expect(file.headers['content-disposition']).toBe(sync.headers['content-disposition']);
      expect(done.size).toBe(file.rawPayload.length);
    }
  }, 120_000);

  it('answers 409 while the file is not ready and 404 for an unknown id', async () => {
    const { s, client } = await coordinatorSeries();
    // Scheduled but not started (no scheduler runs in this test).
    const { id } = await requestExport(srv.ctx.db, s.id, {
      format: 'csv',
      filters: {},
      lang: 'en',
      requestedBy: null,
    });
    const status = await client.request('GET', `/api/series/${s.id}/workbench/exports/${id}`);
    expect(status.json()).toMatchObject({ status: 'queued' });
    const early = await client.request('GET', `/api/series/${s.id}/workbench/exports/${id}/file`);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'export_not_ready' } });
    const unknown = await client.request('GET', `/api/series/${s.id}/workbench/exports/no-such-export/file`);
    expect(unknown.statusCode).toBe(404);
  }, 120_000);

  it('checks who asks, per object, and CSRF on cookie sessions', async () => {
    const { s, client } = await coordinatorSeries();
    const other = await coordinatorSeries();
    const mine = (
      await client.request('POST', `/api/series/${s.id}/workbench/exports`, { format: 'csv' })
    ).json<ExportJson>();
    await finished(client, mine.statusUrl);
    // An export of another series through this one is not found (for its own coordinator too).
    for (const path of ['', '/file']) {
      const res = await other.client.request(
        'GET',
        `/api/series/${other.s.id}/workbench/exports/${mine.id}${path}`,
      );
      expect(res.statusCode, path).toBe(404);
    }
    // Someone signed in without a role in the series may not ask or read.
    const stranger = await login(srv, (await makeAccount(srv.ctx.db)).email);
    expect(
      (await stranger.request('POST', `/api/series/${s.id}/workbench/exports`, { format: 'csv' })).statusCode,
    ).toBe(403);
    expect((await stranger.request('GET', mine.statusUrl)).statusCode).toBe(403);
    expect((await stranger.request('GET', mine.fileUrl)).statusCode).toBe(403);
    // Anonymous: 401.
    expect(
      (await anonymous(srv).request('POST', `/api/series/${s.id}/workbench/exports`, { format: 'csv' }))
        .statusCode,
    ).toBe(401);
    expect((await anonymous(srv).request('GET', mine.fileUrl)).statusCode).toBe(401);
    // A cookie session without its CSRF token: 403, on the API and on the console's form.
    const noCsrf = await srv.app.inject({
      method: 'POST',
      url: `/api/series/${s.id}/workbench/exports`,
      headers: { cookie: client.cookie },
      payload: { format: 'csv' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(
      (await form(client, `/console/series/${s.id}/workbench/exports`, { format: 'csv' }, false)).statusCode,
    ).toBe(403);
  }, 120_000);

  it('refuses a bad format or filter with 422 and the field', async () => {
    const { s, client } = await coordinatorSeries();
    const url = `/api/series/${s.id}/workbench/exports`;
    const cases: [unknown, string, string][] = [
      [{ format: 'pdf' }, 'format', 'invalid_choice'],
      [{ format: 'csv', filters: { asOf: '2022-02-30' } }, 'filters.asOf', 'invalid_date'],
      [{ format: 'csv', lang: 'xx' }, 'lang', 'invalid_choice'],
    ];
    for (const [body, field, code] of cases) {
      const res = await client.request('POST', url, body);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json(), res.body).toMatchObject({ error: { field, code } });
    }
    const unknownFilter = await client.request('POST', url, { format: 'csv', filters: { colour: 'red' } });
    expect(unknownFilter.statusCode).toBe(422);
    expect(unknownFilter.json<{ error: { field: string } }>().error.field).toMatch(/^filters/);
    expect(
      (await form(client, `/console/series/${s.id}/workbench/exports`, { format: 'pdf' })).statusCode,
    ).toBe(422);
  }, 120_000);

  it('sends large series from the synchronous export to the export job (409 export_too_large)', async () => {
    const { s, client } = await coordinatorSeries();
    process.env.WB_EXPORT_SYNC_MAX_UNITS = '2';
    try {
      const res = await client.request('GET', `/api/series/${s.id}/workbench/export?format=csv`);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: { code: 'export_too_large' } });
      expect(res.json<{ error: { message: string } }>().error.message).toContain('/workbench/exports');
    } finally {
      delete process.env.WB_EXPORT_SYNC_MAX_UNITS;
    }
    expect((await client.request('GET', `/api/series/${s.id}/workbench/export?format=csv`)).statusCode).toBe(
      200,
    );
  }, 120_000);

  it('console: the export form starts a job and redirects to the exports page, which links the file', async () => {
    const { s, client } = await coordinatorSeries();
    const base = `/console/series/${s.id}/workbench`;
    const overview = await client.request('GET', base);
    expect(overview.body).toContain(`action="${base}/exports"`);
    expect(overview.body).toContain('name="format" value="xlsx"');
    const posted = await form(client, `${base}/exports`, { format: 'md', careerStage: 'new', lang: 'fr' });
    expect(posted.statusCode, posted.body).toBe(303);
    expect(posted.headers.location).toBe(`${base}/exports?notice=started`);
    const id = await srv.ctx.db
      .selectFrom('wb_export')
      .select(['id', 'filters', 'lang'])
      .where('series_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect([JSON.parse(id.filters), id.lang]).toEqual([{ careerStage: 'new' }, 'fr']);
    await finished(client, `/api/series/${s.id}/workbench/exports/${id.id}`);
    const page = await client.request('GET', `${base}/exports?notice=started`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your export has been asked for');
    expect(page.body).toContain(`/api/series/${s.id}/workbench/exports/${id.id}/file`);
    expect(page.body).toContain('Ready');
    expect(page.body).not.toContain('http-equiv="refresh"');
    // While one is being built, the page refreshes itself.
    await requestExport(srv.ctx.db, s.id, { format: 'csv', filters: {}, lang: 'en', requestedBy: null });
    const building = await client.request('GET', `${base}/exports`);
    expect(building.body).toContain('http-equiv="refresh"');
    expect(building.body).toContain('Waiting to start');
  }, 120_000);
});
