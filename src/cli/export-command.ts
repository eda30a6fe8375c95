// `colloquy export`: a series' coded units, codebook, REFI-QDA project or report, from the configured database.
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/index.ts';
import { isLang, SUPPORTED } from '../lib/i18n.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { findSeries } from '../modules/series/index.ts';
import {
  EXPORT_FORMATS,
  exportSeries,
  prepareExport,
  type ExportFormat,
} from '../modules/workbench/index.ts';
import { loadConfig, sqliteFile } from '../server/config.ts';

export const EXPORT_HELP = `colloquy export --series ID_OR_SLUG --format csv|xlsx|qdc|qdpx|md|docx --output FILE [--data DIR]
                [--as-of YYYY-MM-DD] [--session S] [--career-stage C] [--language L] [--lang ar|de|en|es|fr|ru|zh]

Exports a series from the configured database (COLLOQUY_DATA or DATABASE_URL): coded units as CSV or
XLSX, the codebook as REFI-QDA .qdc, the project as REFI-QDA .qdpx, or the findings report as Markdown
or DOCX. Responses not yet coded by the engine are coded first. Filters apply to csv/xlsx/md/docx.
--language filters responses by their language; --lang is the language of the headings and column
labels of xlsx, md and docx (English by default).`;

/** Runs `colloquy export`; returns the exit status (2 for bad arguments or an unknown series). */
export async function exportCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      series: { type: 'string' },
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      data: { type: 'string' },
      'as-of': { type: 'string' },
      session: { type: 'string' },
      'career-stage': { type: 'string' },
      language: { type: 'string' },
      lang: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(EXPORT_HELP);
    return 0;
  }
  const format = values.format as ExportFormat | undefined;
  if (!values.series || !format || !values.output) {
    console.error(`colloquy export: --series, --format and --output are required.\n\n${EXPORT_HELP}`);
    return 2;
  }
  if (!EXPORT_FORMATS.includes(format)) {
    console.error(`colloquy export: unknown format "${format}" (use ${EXPORT_FORMATS.join(', ')}).`);
    return 2;
  }
  if (values.lang && !isLang(values.lang)) {
    console.error(`colloquy export: --lang must be one of ${SUPPORTED.join(', ')}.`);
    return 2;
  }
  if (values['as-of'] && !/^\d{4}-\d{2}-\d{2}$/.test(values['as-of'])) {
    console.error(`colloquy export: --as-of must be a date like 2022-05-31.`);
    return 2;
  }
  const config = loadConfig({ dataDir: values.data });
  const h = openDatabase({
    databaseUrl: config.databaseUrl,
    sqliteFile: config.databaseUrl ? undefined : sqliteFile(config),
  });
  try {
    await migrateToLatest(h.db);
    const series = await findSeries(h.db, values.series);
    if (!series) {
      console.error(`colloquy export: there is no series "${values.series}".`);
      return 2;
    }
    await prepareExport(h.db, series.id);
    const filters = {
      ...(values['as-of'] ? { asOf: values['as-of'] } : {}),
      ...(values.session ? { session: values.session } : {}),
      ...(values['career-stage'] ? { careerStage: values['career-stage'] } : {}),
      ...(values.language ? { language: values.language } : {}),
    };
    const out = await exportSeries(h.db, series, format, filters, values.lang ?? 'en');
    // Written through a temporary file, so a failed run never leaves half a file behind.
    const tmp = `${values.output}.tmp-${process.pid}`;
    writeFileSync(tmp, out.body);
    renameSync(tmp, values.output);
    console.log(`Wrote ${values.output} (${format}, ${out.body.length} bytes).`);
    return 0;
  } finally {
    await h.close();
  }
}
