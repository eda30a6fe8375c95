// One entry point for every export format (API, buttons and the command line use it alike).
import type { Db } from '../../db/index.ts';
import type { Filters } from './compare.service.ts';
import { exportData } from './export.data.ts';
import { codebookQdc, projectQdpx } from './export.qda.ts';
import { findingsReport, reportDocx, reportMarkdown } from './export.report.ts';
import { unitsCsv, unitsXlsx } from './export.tabular.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'qdc', 'qdpx', 'md', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  qdc: 'application/xml; charset=utf-8',
  qdpx: 'application/zip',
  md: 'text/markdown; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/**
 * Builds an export of a series; the file name tells what it is. Headings and column labels of the
 * report (Markdown, DOCX) and the spreadsheet (XLSX) are in `lang`; CSV and the REFI-QDA files keep
 * their stable machine names. `onLoaded` is told how many units were loaded before the file is built
 * (the export job's progress and heartbeat).
 */
export async function exportSeries(
  db: Db,
  series: { id: string; slug: string; title: string },
  format: ExportFormat,
  filters: Filters = {},
  lang = 'en',
  onLoaded?: (units: number) => Promise<void>,
): Promise<{ body: Buffer; fileName: string; type: string }> {
  const d = await exportData(db, series, filters, lang);
  await onLoaded?.(d.items.length);
  const base = `${series.slug}-${format === 'qdc' ? 'codebook' : format === 'md' || format === 'docx' ? 'report' : format === 'qdpx' ? 'project' : 'coded-units'}`;
  let body: Buffer;
  if (format === 'csv') body = Buffer.from(`\uFEFF${unitsCsv(d)}`, 'utf8');
  else if (format === 'xlsx') body = await unitsXlsx(d);
  else if (format === 'qdc') body = Buffer.from(codebookQdc(d), 'utf8');
  else if (format === 'qdpx') body = await projectQdpx(d);
  else if (format === 'md') body = Buffer.from(reportMarkdown(d, await findingsReport(db, d)), 'utf8');
  else body = await reportDocx(d, await findingsReport(db, d));
  return { body, fileName: `${base}.${format}`, type: EXPORT_TYPES[format] };
}
