// npm run bench:hostile — does one request freeze Colloquy? /healthz latency and RSS growth while
// four hostile imports run at once (a ZIP bomb, a sheet of 200,000 empty rows, the largest CSV
// accepted, a 10 MB line), and the time to code pathological text (100,000 × "."). Files are
// generated here. Prints one JSON object. BENCH_ROUNDS shortens a run while developing.
import JSZip from 'jszip';
import { createCoder, defaultCodebook } from '../src/modules/analysis/index.ts';

import { machineDuring } from './machine.ts';
import { benchWorkbench } from './workbench-series.ts';

const machine = machineDuring();
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] * 10) / 10;
};

async function xlsx(rows: string): Promise<Buffer> {
  const z = new JSZip();
  const ns = 'http://schemas.openxmlformats.org';
  z.file(
    '[Content_Types].xml',
    `<?xml version="1.0"?><Types xmlns="${ns}/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
  );
  z.file(
    '_rels/.rels',
    `<?xml version="1.0"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  z.file(
    'xl/workbook.xml',
    `<?xml version="1.0"?><workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  );
  z.file(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0"?><Relationships xmlns="${ns}/package/2006/relationships"><Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
  );
  z.file(
    'xl/worksheets/sheet1.xml',
    `<?xml version="1.0"?><worksheet xmlns="${ns}/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`,
  );
  return z.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function hostileFiles(round: number): Promise<{ name: string; kind: string; data: Buffer }[]> {
  const header = '<row r="1"><c r="A1" t="inlineStr"><is><t>text</t></is></c></row>';
  const cell = `<c t="inlineStr"><is><t>${'A'.repeat(1000)}${round}</t></is></c>`;
  const empty: string[] = [header];
  for (let i = 2; i <= 200_001; i++) empty.push(`<row r="${i}"/>`);
  const csvRows: string[] = ['id,text'];
  // The largest CSV accepted: distinct answers, just under the row and byte limits.
  for (let i = 0; csvRows.length < 99_000; i++)
    csvRows.push(
      `${i},Answer ${round}-${i}: mentoring from a senior colleague helped me publish in year ${i % 40}.`,
    );
  return [
    { name: 'xlsx bomb', kind: 'xlsx', data: await xlsx(`<row>${cell.repeat(100)}</row>`.repeat(2000)) },
    { name: '200k empty rows', kind: 'xlsx', data: await xlsx(empty.join('')) },
    { name: 'largest CSV', kind: 'csv', data: Buffer.from(csvRows.join('\n')) },
    { name: '10 MB line', kind: 'csv', data: Buffer.from('text\n' + 'x'.repeat(10_000_000)) },
  ];
}

async function main(): Promise<void> {
  const { srv, email, password, seriesId } = await benchWorkbench('hostile', 'Hostile imports');
  await srv.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = srv.app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;

  const files = await Promise.all(Array.from({ length: ROUNDS }, (_, r) => hostileFiles(r)));
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssMax = rssBefore;
  const health: number[] = [];
  let running = true;
  const poll = (async () => {
    while (running) {
      const t0 = performance.now();
      const res = await fetch(`${base}/healthz`);
      await res.text();
      health.push(performance.now() - t0);
      rssMax = Math.max(rssMax, process.memoryUsage().rss);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const outcomes: Record<string, number[]> = {};
  const t0 = performance.now();
  for (const round of files) {
    // Four at once, as four people (or one attacker) would send them.
    await Promise.all(
      round.map(async (f) => {
        const res = await fetch(`${base}/api/series/${seriesId}/workbench/imports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
          body: JSON.stringify({
            kind: f.kind,
            name: f.name,
            content: f.data.toString('base64'),
            dryRun: true,
            mapping: { text: 'text' },
          }),
        });
        await res.text();
        (outcomes[f.name] ??= []).push(res.status);
      }),
    );
  }
  const importsMs = performance.now() - t0;
  running = false;
  await poll;

  // Pathological text through the engine: segmenting, features and coding of one answer.
  const coder = createCoder(defaultCodebook);
  const p0 = performance.now();
  coder.code(['.'.repeat(100_000)]);
  const pathologicalMs = performance.now() - p0;

  await srv.close();
  console.log(
    JSON.stringify({
      bench: 'hostile',
      machine: machine(),
      rounds: ROUNDS,
      concurrentImports: 4,
      outcomes,
      importsMs: Math.round(importsMs),
      healthz: {
        n: health.length,
        p50: pct(health, 50),
        p99: pct(health, 99),
        max: Math.round(Math.max(...health)),
        targetP99Ms: 100,
      },
      rssGrowthMb: Math.round((rssMax - rssBefore) / 1024 / 1024),
      rssTargetMb: 300,
      pathological: { chars: 100_000, codedMs: Math.round(pathologicalMs), targetMs: 1000 },
    }),
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
