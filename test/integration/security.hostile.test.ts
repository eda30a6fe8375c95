import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Running } from '../../src/server/index.ts';
import { grant, makeAccount, makeSeries } from '../support/factories.ts';
import { login, testServer, type Client } from '../support/server.ts';

/**
 * Hostile files, generated here (never committed): each is refused or bounded with a clear 4xx,
 * and the server still answers. Prints one line of figures per file.
 */
let srv: Running;
let coord: Client;
let base: string;

beforeAll(async () => {
  srv = await testServer();
  const series = await makeSeries(srv.ctx.db);
  const a = await grant(srv.ctx.db, await makeAccount(srv.ctx.db), series.id, 'coordinator');
  coord = await login(srv, a.email);
  base = `/api/series/${series.id}/workbench/imports`;
});
afterAll(async () => srv.close());

/** A minimal XLSX around one worksheet's XML (the parts Excel needs to open it). */
async function xlsx(sheetXml: string): Promise<Buffer> {
  const z = new JSZip();
  z.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  );
  z.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  );
  z.file(
    'xl/workbook.xml',
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
  );
  z.file(
    'xl/_rels/workbook.xml.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
  );
  z.file('xl/worksheets/sheet1.xml', sheetXml);
  return z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const sheet = (rows: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

async function send(name: string, kind: string, file: Buffer) {
  const t0 = performance.now();
  const res = await coord.request('POST', base, {
    kind,
    name,
    content: file.toString('base64'),
    dryRun: true,
    mapping: { text: 'text' },
  });
  const ms = Math.round(performance.now() - t0);
  const health = await srv.app.inject({ url: '/healthz' });
  console.log(
    JSON.stringify({
      hostile: name,
      bytes: file.length,
      status: res.statusCode,
      code: res.statusCode >= 400 ? res.json<{ error: { code: string } }>().error.code : null,
      ms,
      responseBytes: res.body.length,
      healthz: health.statusCode,
    }),
  );
  expect(health.statusCode).toBe(200);
  // Never the file echoed back.
  expect(res.body.length).toBeLessThan(Math.max(20_000, file.length / 10));
  return res;
}

// Generating the files takes a while on a busy machine; the server's answers are timed separately.
describe('hostile imports', { timeout: 180_000 }, () => {
  it('refuses an XLSX that would unpack to 200 MB before inflating it', async () => {
    const cell = '<c t="inlineStr"><is><t>' + 'A'.repeat(1000) + '</t></is></c>';
    const row = `<row>${cell.repeat(100)}</row>`; // ~100 KB a row
    const file = await xlsx(sheet(row.repeat(2000))); // ~200 MB of XML, a few hundred KB zipped
    expect(file.length).toBeLessThan(2_000_000);
    const res = await send('xlsx bomb', 'xlsx', file);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: 'workbook_too_large', field: 'file' });
    expect(res.json().error.message).toMatch(/unpack to \d+ MB/);
  });

  it('refuses a sheet of 1,000,000 rows', async () => {
    const rows: string[] = ['<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>'];
    for (let i = 2; i <= 1_000_001; i++) rows.push(`<row r="${i}"><c r="A${i}"><v>${i}</v></c></row>`);
    const res = await send('1M-row sheet', 'xlsx', await xlsx(sheet(rows.join(''))));
    expect(res.statusCode).toBe(413);
    expect(['workbook_too_large', 'too_many_rows']).toContain(res.json().error.code);
    // Small enough to unpack, too many rows to parse: counted in the XML before the parser runs.
    const empty: string[] = ['<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>'];
    for (let i = 2; i <= 200_001; i++) empty.push(`<row r="${i}"/>`);
    const res2 = await send('200k empty rows', 'xlsx', await xlsx(sheet(empty.join(''))));
    expect(res2.statusCode).toBe(413);
    expect(res2.json().error.code).toBe('too_many_rows');
  });

  it('refuses a 50 MB CSV', async () => {
    const line = 'text\n' + 'Mentoring helped me find my first post.\n'.repeat(1_300_000);
    const res = await send('50 MB CSV', 'csv', Buffer.from(line));
    expect(res.statusCode).toBe(413);
  });

  it('refuses a CSV of 150,000 short rows with a row count', async () => {
    const res = await send('150k rows', 'csv', Buffer.from('text\n' + 'a b c\n'.repeat(150_000)));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('too_many_rows');
  });

  it('refuses a 10 MB line', async () => {
    const res = await send('10 MB line', 'csv', Buffer.from('text\n' + 'x'.repeat(10_000_000) + '\n'));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('line_too_long');
  });

  it('leaves out an answer of 100,000 dots with a message and keeps the rest', async () => {
    const res = await send(
      'long unit',
      'csv',
      Buffer.from('id,text\n1,"' + '.'.repeat(100_000) + '"\n2,Mentoring helped me a lot.\n'),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ total: 2 });
    expect(
      res
        .json()
        .errors.map((e: { message: string }) => e.message)
        .join(' '),
    ).toMatch(/longer than the 20,000 allowed/);
  });

  it('reads a Windows-1252 CSV as such, and refuses binary that is no text', async () => {
    const latin = Buffer.from('id,text\n1,café crème à Genève\n', 'latin1');
    const res = await coord.request('POST', base, {
      kind: 'csv',
      name: 'latin-1',
      content: latin.toString('base64'),
      mapping: { text: 'text' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = await srv.ctx.db
      .selectFrom('wb_item')
      .select('text')
      .where('source_id', '=', res.json<{ sourceId: string }>().sourceId)
      .execute();
    expect(items.map((i) => i.text)).toEqual(['café crème à Genève']);
    const binary = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256));
    const bad = await send('binary', 'csv', binary);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('unreadable_encoding');
  });
});
