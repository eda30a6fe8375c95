// Coded units as CSV and XLSX. Cells that a spreadsheet would run as a formula are escaped.
import ExcelJS from 'exceljs';
import { stringifyCsv } from '../analysis/index.ts';
import type { ExportData } from './export.data.ts';

/** Prefixes an apostrophe to text starting with = + - @ (or tab/CR), so spreadsheets show it as text. */
export function escapeFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export const UNIT_COLUMNS = [
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
];

/** One row of strings per coded unit, in UNIT_COLUMNS order (already escaped). */
export function unitRows(d: ExportData): string[][] {
  const byItem = new Map<string, string[]>();
  for (const c of d.codings)
    byItem.set(c.item_id, [
      ...(byItem.get(c.item_id) ?? []),
      `${c.decision}:${c.theme_key}${c.start_offset !== null ? `@${c.start_offset}-${c.end_offset}` : ''}`,
    ]);
  return d.items.map((it) =>
    [
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
      it.submitted_at ?? '',
      it.labels.join(';'),
      it.engine_labels,
      it.engine_confidence === null ? '' : it.engine_confidence.toFixed(3),
      (byItem.get(it.id) ?? []).join(';'),
    ].map(escapeFormula),
  );
}

/** Coded units as CSV (RFC 4180). */
export function unitsCsv(d: ExportData): string {
  return stringifyCsv(UNIT_COLUMNS, unitRows(d));
}

/** Coded units and the codebook as an XLSX workbook. */
export async function unitsXlsx(d: ExportData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Colloquy';
  const ws = wb.addWorksheet('Coded units');
  ws.addRow(UNIT_COLUMNS);
  ws.getRow(1).font = { bold: true };
  for (const r of unitRows(d)) ws.addRow(r);
  ws.getColumn(4).width = 80;
  const cb = wb.addWorksheet('Codebook');
  cb.addRow(['key', 'label', 'description', 'terms', 'parent', 'merged_into']);
  cb.getRow(1).font = { bold: true };
  for (const t of d.themes) {
    const terms = (JSON.parse(t.terms) as { text: string; lang?: string }[])
      .map((x) => (x.lang ? `${x.lang}:${x.text}` : x.text))
      .join('; ');
    cb.addRow(
      [t.key, t.label, t.description, terms, t.parent_key ?? '', t.merged_into ?? ''].map(escapeFormula),
    );
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
