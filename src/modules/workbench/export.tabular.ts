// Coded units as CSV and XLSX. CSV cells that a spreadsheet would run as a formula are escaped;
// XLSX cells are typed (text, number, date), and a text cell is never run as a formula.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { stringifyCsv } from '../analysis/index.ts';
import type { ExportData } from './export.data.ts';
import { messages } from './messages/index.ts';

import { escapeFormula } from '../../lib/tabular.ts';

export { escapeFormula };

const UNIT_COLUMN_KEYS = [
  'id',
  'source',
  'external_id',
  'text',
  'region',
  'session',
  'prompt_kind',
  'language',
  'career_stage',
  'speaker',
  'submitted_at',
  'themes',
  'engine_themes',
  'engine_confidence',
  'people_decisions',
] as const;

/** The coded units' columns: CSV headers and JSON keys, stable for machines. */
export const UNIT_COLUMNS: readonly string[] = UNIT_COLUMN_KEYS;

const THEME_COLUMNS = ['key', 'label', 'description', 'terms', 'parent', 'merged_into'] as const;

/** A cell as a spreadsheet should hold it: text, a number or an instant. */
export type Cell = string | number | Date | null;

/** "2022-04-01" or an ISO instant as a Date (UTC); anything else stays text. */
function instant(s: string | null): Date | string | null {
  if (!s) return null;
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) return s;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s);
  return Number.isNaN(d.getTime()) ? s : d;
}

/** One row per coded unit, in UNIT_COLUMNS order, with dates and numbers typed. */
export function unitCells(d: ExportData): Cell[][] {
  const byItem = new Map<string, string[]>();
  for (const c of d.codings)
    byItem.set(c.item_id, [
      ...(byItem.get(c.item_id) ?? []),
      `${c.decision}:${c.theme_key}${c.start_offset !== null ? `@${c.start_offset}-${c.end_offset}` : ''}`,
    ]);
  return d.items.map((it) => [
    it.id,
    it.sourceName,
    it.external_id,
    it.text,
    it.region ?? '',
    it.session ?? '',
    it.prompt_kind ?? '',
    it.language ?? '',
    it.career_stage ?? '',
    it.speaker ?? '',
    instant(it.submitted_at),
    it.labels.join(';'),
    it.engine_labels,
    it.engine_confidence === null ? null : Math.round(it.engine_confidence * 1000) / 1000,
    (byItem.get(it.id) ?? []).join(';'),
  ]);
}

/** A cell as CSV text: instants in ISO form, and the formula guard, which only CSV needs. */
function csvText(c: Cell): string {
  if (c === null) return '';
  if (c instanceof Date)
    return c.toISOString().endsWith('T00:00:00.000Z') ? c.toISOString().slice(0, 10) : c.toISOString();
  if (typeof c === 'number') return c.toFixed(3);
  return escapeFormula(c);
}

/** One row of strings per coded unit, in UNIT_COLUMNS order (escaped for CSV). */
export function unitRows(d: ExportData): string[][] {
  return unitCells(d).map((r) => r.map(csvText));
}

/** Coded units as CSV (RFC 4180). */
export function unitsCsv(d: ExportData): string {
  return stringifyCsv(UNIT_COLUMNS, unitRows(d));
}

/**
 * Coded units and the codebook as an XLSX workbook: sheet names and header rows in the export's
 * language (a spreadsheet is read by people; CSV keeps the machine column names), columns in
 * UNIT_COLUMNS order.
 */
export async function unitsXlsx(d: ExportData): Promise<Buffer> {
  const t = messages.t(d.lang);
  // Written as a stream, row by row: a 50,000-unit workbook built whole in memory took about 1 GB
  // (bench:export); rows committed one at a time leave only the compressed file in memory.
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  wb.creator = 'Colloquy';
  const ws = wb.addWorksheet(t('export.sheet.units'));
  // In XLSX a string cell is never evaluated, so text goes in as it is: no formula guard here.
  const atCol = UNIT_COLUMNS.indexOf('submitted_at') + 1;
  const confidenceCol = UNIT_COLUMNS.indexOf('engine_confidence') + 1;
  ws.columns = UNIT_COLUMN_KEYS.map((_, i) => ({
    width: i + 1 === 4 ? 80 : i + 1 === atCol ? 18 : undefined,
    style: i + 1 === confidenceCol ? { numFmt: '0.000' } : {},
  }));
  const head = ws.addRow(UNIT_COLUMN_KEYS.map((c) => t(`export.unit.${c}`)));
  head.font = { bold: true };
  head.commit();
  for (const r of unitCells(d)) {
    const row = ws.addRow(r);
    const at = r[atCol - 1];
    if (at instanceof Date)
      row.getCell(atCol).numFmt = at.getTime() % 86_400_000 === 0 ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm';
    row.commit();
  }
  ws.commit();
  const cb = wb.addWorksheet(t('export.sheet.codebook'));
  const cbHead = cb.addRow(THEME_COLUMNS.map((c) => t(`export.theme.${c}`)));
  cbHead.font = { bold: true };
  cbHead.commit();
  for (const t of d.themes) {
    const terms = (JSON.parse(t.terms) as { text: string; lang?: string }[])
      .map((x) => (x.lang ? `${x.lang}:${x.text}` : x.text))
      .join('; ');
    cb.addRow([t.key, t.label, t.description, terms, t.parent_key ?? '', t.merged_into ?? '']).commit();
  }
  cb.commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
