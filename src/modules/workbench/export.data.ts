// What every export reads: the series' units with their final labels, people's codings, the codebook.
import type { Db } from '../../db/index.ts';
import { compareSeries, type Filters, type Loaded } from './compare.service.ts';
import { accountNames } from '../accounts/index.ts';
import { allThemes, codingsOf } from './workbench.repository.ts';
import { workbenchLabels, type Labels } from './labels.ts';
import type { WbCodingTable, WbItemTable, WbThemeTable } from './workbench.tables.ts';

/** Everything an export needs, loaded once. */
export interface ExportData {
  series: { id: string; slug: string; title: string };
  items: (WbItemTable & { sourceName: string; sourceKind: string; labels: string[] })[];
  themes: WbThemeTable[];
  codings: (WbCodingTable & { accountName: string | null })[];
  loaded: Loaded;
  filters: Filters;
  /** Names people read for regions, themes and prompt kinds (keys stay in CSV/JSON columns). */
  labels: Labels;
  /** The language of the export's headings, labels and finding sentences. */
  lang: string;
}

/** Loads a series for export. */
export async function exportData(
  db: Db,
  series: { id: string; slug: string; title: string },
  filters: Filters = {},
  lang = 'en',
): Promise<ExportData> {
  const { loaded } = await compareSeries(db, series.id, filters);
  const [items, themes, codings, labels] = await Promise.all([
    db
      .selectFrom('wb_item')
      .innerJoin('wb_source', 'wb_source.id', 'wb_item.source_id')
      .selectAll('wb_item')
      .select(['wb_source.name as sourceName', 'wb_source.kind as sourceKind'])
      .where('wb_item.series_id', '=', series.id)
      .orderBy('wb_item.id')
      .execute(),
    allThemes(db, series.id),
    codingsOf(db, series.id),
    workbenchLabels(db, series.id, lang),
  ]);
  const names = await accountNames(
    db,
    codings.flatMap((c) => (c.account_id ? [c.account_id] : [])),
  );
  const final = new Map(loaded.rows.map((r) => [r.id, r.labels as string[]]));
  return {
    series,
    items: items.map((it) => ({ ...it, labels: final.get(it.id) ?? [] })),
    themes,
    codings: codings.map((c) => ({
      ...c,
      accountName: c.account_id ? (names.get(c.account_id) ?? null) : null,
    })),
    loaded,
    filters,
    labels,
    lang,
  };
}
