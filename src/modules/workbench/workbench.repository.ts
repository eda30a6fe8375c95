// Kysely queries of the workbench's tables.
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { idFromName, newId } from '../../lib/ids.ts';
import { defaultCodebook, type Codebook, type SeedTerm } from '../analysis/index.ts';
import type { WbCodingTable, WbItemTable, WbStateTable, WbThemeTable } from './workbench.tables.ts';
import './workbench.tables.ts';

const now = () => new Date().toISOString();

/** The state of a series whose workbench holds nothing yet (what a read sees before the first write). */
function defaultState(seriesId: string): WbStateTable {
  return {
    series_id: seriesId,
    codebook_version: 1,
    data_version: 1,
    coded_version: 0,
    live_refreshed_at: null,
    updated_at: new Date(0).toISOString(),
  };
}

/** The default codebook as theme rows of a series (stored on the first write, shown as is before it). */
function defaultThemes(seriesId: string, id: (key: string) => string): WbThemeTable[] {
  const t0 = now();
  return defaultCodebook.themes.map((t, i) => ({
    id: id(t.id),
    series_id: seriesId,
    key: t.id,
    label: t.label,
    labels: JSON.stringify(t.labels ?? {}),
    description: t.description ?? '',
    descriptions: JSON.stringify(t.descriptions ?? {}),
    terms: JSON.stringify(t.terms),
    parent_key: null,
    merged_into: null,
    position: i + 1,
    created_at: t0,
  }));
}

/**
 * The series' workbench state for a read: the stored row, or the defaults when the workbench was never
 * written to (nothing is inserted; GET requests use this).
 */
export async function readState(db: Db, seriesId: string): Promise<WbStateTable> {
  const s = await db.selectFrom('wb_state').selectAll().where('series_id', '=', seriesId).executeTakeFirst();
  return s ?? defaultState(seriesId);
}

/**
 * The series' workbench state, stored with the default codebook the first time. Only writes call it
 * (imports, refresh from live, decisions, codebook edits): reads use readState.
 */
export async function ensureState(db: Db, seriesId: string): Promise<WbStateTable> {
  const s = await db.selectFrom('wb_state').selectAll().where('series_id', '=', seriesId).executeTakeFirst();
  if (s) return s;
  await db
    .insertInto('wb_state')
    .values({ ...defaultState(seriesId), updated_at: now() })
    .onConflict((oc) => oc.column('series_id').doNothing())
    .execute();
  const existing = await db
    .selectFrom('wb_theme')
    .select('id')
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  if (!existing)
    await db
      .insertInto('wb_theme')
      .values(defaultThemes(seriesId, () => newId()))
      .onConflict((oc) => oc.columns(['series_id', 'key']).doNothing())
      .execute();
  return await db
    .selectFrom('wb_state')
    .selectAll()
    .where('series_id', '=', seriesId)
    .executeTakeFirstOrThrow();
}

/** Marks the data as changed (caches keyed on data_version drop). */
export async function bumpData(db: Db, seriesId: string): Promise<void> {
  await db
    .updateTable('wb_state')
    .set({ data_version: sql`data_version + 1`, updated_at: now() })
    .where('series_id', '=', seriesId)
    .execute();
}

/** Marks the codebook as changed: the engine must be rebuilt. */
export async function bumpCodebook(db: Db, seriesId: string): Promise<void> {
  await db
    .updateTable('wb_state')
    .set({
      codebook_version: sql`codebook_version + 1`,
      data_version: sql`data_version + 1`,
      updated_at: now(),
    })
    .where('series_id', '=', seriesId)
    .execute();
}

/**
 * All themes of a series (merged ones included), in codebook order; the default codebook (not stored,
 * ids derived from the series and key) while the workbench was never written to.
 */
export async function allThemes(db: Db, seriesId: string): Promise<WbThemeTable[]> {
  const rows = await db
    .selectFrom('wb_theme')
    .selectAll()
    .where('series_id', '=', seriesId)
    .orderBy('position')
    .orderBy('key')
    .execute();
  return rows.length ? rows : defaultThemes(seriesId, (key) => idFromName(`wb_theme:${seriesId}:${key}`));
}

/** The active codebook (themes not merged away) in the engine's shape. */
export function toCodebook(themes: readonly WbThemeTable[]): Codebook {
  return {
    themes: themes
      .filter((t) => !t.merged_into)
      .map((t) => ({
        id: t.key,
        label: t.label,
        ...(t.description ? { description: t.description } : {}),
        terms: JSON.parse(t.terms) as SeedTerm[],
      })),
  };
}

export type ItemInsert = Omit<WbItemTable, 'id' | 'engine_labels' | 'engine_confidence' | 'created_at'>;

/** Inserts units, skipping ones already imported (same source and external id); returns how many were new. */
export async function insertItems(db: Db, items: readonly ItemInsert[]): Promise<number> {
  let added = 0;
  const t = now();
  for (let i = 0; i < items.length; i += 400) {
    const batch = items
      .slice(i, i + 400)
      .map((it) => ({ ...it, id: newId(), engine_labels: '', engine_confidence: null, created_at: t }));
    const res = await db
      .insertInto('wb_item')
      .values(batch)
      .onConflict((oc) => oc.columns(['source_id', 'external_id']).doNothing())
      .executeTakeFirst();
    added += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/** One unit of a series, or undefined (ids from requests are always checked against the series). */
export async function itemInSeries(
  db: Db,
  seriesId: string,
  itemId: string,
): Promise<WbItemTable | undefined> {
  return db
    .selectFrom('wb_item')
    .selectAll()
    .where('id', '=', itemId)
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
}

/** People's codings of a series, oldest first. */
export async function codingsOf(db: Db, seriesId: string): Promise<WbCodingTable[]> {
  return db
    .selectFrom('wb_coding')
    .selectAll()
    .where('series_id', '=', seriesId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Inserts a person's decision. */
export async function insertCoding(db: Db, row: Omit<WbCodingTable, 'id' | 'created_at'>): Promise<string> {
  const id = newId();
  await db
    .insertInto('wb_coding')
    .values({ ...row, id, created_at: now() })
    .execute();
  return id;
}

/** Writes the engine's labels of the units that changed. */
export async function saveEngineLabels(
  db: Db,
  changes: readonly { id: string; labels: string; confidence: number }[],
): Promise<void> {
  const write = async (trx: Db) => {
    for (const c of changes)
      await trx
        .updateTable('wb_item')
        .set({ engine_labels: c.labels, engine_confidence: c.confidence })
        .where('id', '=', c.id)
        .execute();
  };
  // One transaction per batch: thousands of single-row commits would each wait for the disk.
  if (db.isTransaction) return write(db);
  for (let i = 0; i < changes.length; i += 2000) {
    const batch = changes.slice(i, i + 2000);
    await db.transaction().execute(async (trx) => {
      for (const c of batch)
        await trx
          .updateTable('wb_item')
          .set({ engine_labels: c.labels, engine_confidence: c.confidence })
          .where('id', '=', c.id)
          .execute();
    });
  }
}

/** People's decisions grouped by unit, in order. */
export function decisionsByItem(codings: readonly WbCodingTable[]): Map<string, WbCodingTable[]> {
  const m = new Map<string, WbCodingTable[]>();
  for (const c of codings) {
    const list = m.get(c.item_id) ?? [];
    list.push(c);
    m.set(c.item_id, list);
  }
  return m;
}

/** The sources of a series, oldest first, each with how many units it holds. */
export async function sourcesWithCounts(db: Db, seriesId: string) {
  const rows = await db
    .selectFrom('wb_source')
    .leftJoin('wb_item', 'wb_item.source_id', 'wb_source.id')
    .select(['wb_source.id', 'wb_source.name', 'wb_source.kind', 'wb_source.created_at'])
    .select((eb) => eb.fn.count('wb_item.id').as('n'))
    .where('wb_source.series_id', '=', seriesId)
    .groupBy(['wb_source.id', 'wb_source.name', 'wb_source.kind', 'wb_source.created_at'])
    .orderBy('wb_source.created_at')
    .execute();
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** How many rows of a series a workbench table holds (units or human decisions). */
export async function countOfSeries(
  db: Db,
  table: 'wb_item' | 'wb_coding',
  seriesId: string,
): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .where('series_id', '=', seriesId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
