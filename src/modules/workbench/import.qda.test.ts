import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../server/index.ts';
import { DIALECT } from '../../../test/support/db.ts';
import { grant, makeAccount, makeSeries } from '../../../test/support/factories.ts';
import { anonymous, login, testServer } from '../../../test/support/server.ts';

let srv: Running;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => srv.close());

// Our own test texts; the last one has a character outside the BMP, so code points and UTF-16 differ.
const CSV =
  'id,region,prompt_kind,text\n' +
  'r1,europe,need,Our board never hears from the junior staff.\n' +
  'r2,europe,need,A shadowing week at another library opened my eyes.\n' +
  'r3,asia_oceania,need,\u{1F4DA} Reading groups with the board would help us all.\n';

async function seriesWithItems() {
  const s = await makeSeries(srv.ctx.db);
  const coord = await grant(srv.ctx.db, await makeAccount(srv.ctx.db), s.id, 'coordinator');
  const client = await login(srv, coord.email);
  const imp = await client.request('POST', `/api/series/${s.id}/workbench/imports`, {
    kind: 'csv',
    name: 'survey',
    content: Buffer.from(CSV).toString('base64'),
  });
  expect(imp.statusCode, imp.body).toBe(200);
  const items = await srv.ctx.db
    .selectFrom('wb_item')
    .select(['id', 'external_id', 'text'])
    .where('series_id', '=', s.id)
    .execute();
  const item = (ext: string) => items.find((i) => i.external_id === ext)!;
  return { s, client, item };
}

describe(`REFI-QDA project import (${DIALECT})`, () => {
  it('brings back a code added in another tool, on the right response, with the right theme', async () => {
    const { s, client, item } = await seriesWithItems();
    const exp = await client.request('GET', `/api/series/${s.id}/workbench/export?format=qdpx`);
    expect(exp.statusCode).toBe(200);
    const zip = await JSZip.loadAsync(exp.rawPayload);
    let qde = await zip.file('project.qde')!.async('string');

    // As another tool would: a new code in the codebook, and a PlainTextSelection coded with it on
    // one source (positions in characters, REFI-QDA 1.0 §Selections); plus a coding with an existing
    // code name ("Mentoring", under a GUID of the other tool) on a source found only by its text.
    const newCode = '6f0d2c3e-1a2b-4c5d-8e9f-0a1b2c3d4e5f';
    const mentorCode = '7a1e3d4f-2b3c-4d5e-9f0a-1b2c3d4e5f60';
    qde = qde.replace(
      '</Codes>',
      `<Code guid="${newCode}" name="Board relations" isCodable="true"/>` +
        `<Code guid="${mentorCode}" name="mentoring" isCodable="true"/></Codes>`,
    );
    const r1 = item('r1');
    const r3 = item('r3');
    const sel = (guid: string, start: number, end: number, code: string) =>
      `<PlainTextSelection guid="${guid}" startPosition="${start}" endPosition="${end}">` +
      `<Coding guid="${guid.replace(/^./, 'c')}"><CodeRef targetGUID="${code}"/></Coding></PlainTextSelection>`;
    // "board" in r1 is at characters 4–9.
    qde = qde.replace(
      new RegExp(`(<TextSource guid="${r1.id}"[^>]*>(?:\\s*<Description>[^<]*</Description>)?)`),
      `$1${sel('a1b2c3d4-0000-4000-8000-000000000001', 4, 9, newCode)}`,
    );
    // A source the other tool renamed and re-identified: found by its text. "board" in r3 starts at
    // character 26 (the book emoji counts as one character, two UTF-16 units).
    const r3Path = `sources/${r3.id}.txt`;
    zip.remove(r3Path);
    zip.file('sources/renamed.txt', r3.text);
    qde = qde.replace(
      new RegExp(`<TextSource guid="${r3.id}"[^>]*>`),
      `<TextSource guid="b0b0b0b0-1111-4111-8111-111111111111" name="r3 elsewhere" plainTextPath="internal://renamed.txt">` +
        sel('a1b2c3d4-0000-4000-8000-000000000002', 26, 31, mentorCode),
    );
    // A source that is not in the series at all.
    qde = qde.replace(
      '</Sources>',
      `<TextSource guid="c0c0c0c0-2222-4222-8222-222222222222" name="memo" plainTextPath="internal://memo.txt">` +
        `${sel('a1b2c3d4-0000-4000-8000-000000000003', 0, 4, newCode)}</TextSource></Sources>`,
    );
    zip.file('sources/memo.txt', 'A memo written in the other tool.');
    zip.file('project.qde', qde);
    const content = (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64');

    const res = await client.request('POST', `/api/series/${s.id}/workbench/imports/qdpx`, { content });
    expect(res.statusCode, res.body).toBe(200);
    const sum = res.json() as {
      codes: { matched: number; added: string[] };
      codings: { added: number; unchanged: number };
      sources: { matched: number; byText: number };
      skipped: { source: string; reason: string }[];
    };
    expect(sum.codes.added).toEqual(['Board relations']);
    expect(sum.codings.added).toBe(2);
    expect(sum.sources).toEqual({ matched: 1, byText: 1 });
    expect(sum.skipped).toEqual([
      { source: 'memo', reason: 'No response of this series has its id or its text.' },
    ]);

    const theme = await srv.ctx.db
      .selectFrom('wb_theme')
      .select('key')
      .where('series_id', '=', s.id)
      .where('label', '=', 'Board relations')
      .executeTakeFirstOrThrow();
    const codings = await srv.ctx.db
      .selectFrom('wb_coding')
      .select(['item_id', 'theme_key', 'start_offset', 'end_offset', 'decision'])
      .where('series_id', '=', s.id)
      .orderBy('start_offset')
      .execute();
    expect(codings).toEqual([
      { item_id: r1.id, theme_key: theme.key, start_offset: 4, end_offset: 9, decision: 'accept' },
      { item_id: r3.id, theme_key: 'mentoring', start_offset: 27, end_offset: 32, decision: 'accept' },
    ]);
    expect(r1.text.slice(4, 9)).toBe('board');
    expect(r3.text.slice(27, 32)).toBe('board');

    // The same file again adds nothing: what is there stays as it is.
    const again = await client.request('POST', `/api/series/${s.id}/workbench/imports/qdpx`, { content });
    expect(again.statusCode).toBe(200);
    expect((again.json() as typeof sum).codings).toMatchObject({ added: 0 });
    expect((again.json() as typeof sum).codes.added).toEqual([]);
  });

  it('refuses a malformed file with bad_qdpx and writes nothing', async () => {
    const { s, client } = await seriesWithItems();
    const url = `/api/series/${s.id}/workbench/imports/qdpx`;
    const notZip = await client.request('POST', url, {
      content: Buffer.from('<Project/>').toString('base64'),
    });
    expect(notZip.statusCode).toBe(422);
    expect(notZip.json()).toMatchObject({ error: { code: 'bad_qdpx', field: 'file' } });
    const zip = new JSZip();
    zip.file('project.qde', '<Project xmlns="urn:QDA-XML:project:1.0"><Sources><TextSource');
    const broken = await client.request('POST', url, {
      content: (await zip.generateAsync({ type: 'nodebuffer' })).toString('base64'),
    });
    expect(broken.statusCode).toBe(422);
    expect(broken.json()).toMatchObject({ error: { code: 'bad_qdpx' } });
    const none = await srv.ctx.db
      .selectFrom('wb_coding')
      .select('id')
      .where('series_id', '=', s.id)
      .execute();
    expect(none).toEqual([]);
    expect((await anonymous(srv).request('POST', url, { content: 'AA==' })).statusCode).toBe(401);
  });

  it('imports a .qdpx from the workbench page without JavaScript and says what it did', async () => {
    const { s, client, item } = await seriesWithItems();
    const exp = await client.request('GET', `/api/series/${s.id}/workbench/export?format=qdpx`);
    const zip = await JSZip.loadAsync(exp.rawPayload);
    const r2 = item('r2');
    // The whole of r2 coded with a new code: a whole-response decision.
    const qde = (await zip.file('project.qde')!.async('string'))
      .replace('</Codes>', '<Code guid="11111111-2222-4333-8444-555555555555" name="Job shadowing"/></Codes>')
      .replace(
        new RegExp(`(<TextSource guid="${r2.id}"[^>]*>)`),
        `$1<PlainTextSelection guid="21111111-2222-4333-8444-555555555555" startPosition="0" endPosition="${[...r2.text].length}"><Coding guid="31111111-2222-4333-8444-555555555555"><CodeRef targetGUID="11111111-2222-4333-8444-555555555555"/></Coding></PlainTextSelection>`,
      );
    zip.file('project.qde', qde);
    const upload = async (file: Buffer) => {
      const boundary = '----colloquy-qdpx-boundary';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\ncontent-disposition: form-data; name="_csrf"\r\n\r\n${client.csrf}\r\n` +
            `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="p.qdpx"\r\ncontent-type: application/zip\r\n\r\n`,
        ),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return srv.app.inject({
        method: 'POST',
        url: `/console/series/${s.id}/workbench/import-qdpx`,
        headers: { cookie: client.cookie, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
    };
    const page = await upload(await zip.generateAsync({ type: 'nodebuffer' }));
    expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
    expect(page.body).toContain('Imported 1 coding (');
    expect(page.body).toContain('1 became a new theme (Job shadowing)');
    const coding = await srv.ctx.db
      .selectFrom('wb_coding')
      .innerJoin('wb_theme', (j) =>
        j
          .onRef('wb_theme.key', '=', 'wb_coding.theme_key')
          .onRef('wb_theme.series_id', '=', 'wb_coding.series_id'),
      )
      .select(['wb_coding.item_id', 'wb_theme.label', 'wb_coding.start_offset'])
      .where('wb_coding.series_id', '=', s.id)
      .execute();
    expect(coding).toEqual([{ item_id: r2.id, label: 'Job shadowing', start_offset: null }]);
    const bad = await upload(Buffer.from('not a zip'));
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('it is not a ZIP file');
  });
});
