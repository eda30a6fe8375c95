// The compare page's data: final labels of every unit (people override the engine), filtered and compared.
// Rows are cached per data version, comparisons per filter set, so repeated views answer from memory.
import type { Db } from '../../db/index.ts';
import { envLimit, Lru } from '../../lib/lru.ts';
import {
  compare,
  type Codebook,
  type Comparison,
  type LabelSource,
  type ResponseRow,
} from '../analysis/index.ts';
import { clearCubeCache } from './compare.cube.ts';
import { labelResolver } from './final-labels.ts';
import { allThemes, readState } from './workbench.repository.ts';

/** A unit as the comparison sees it, with the columns the filters use. */
export interface Row extends ResponseRow {
  session: string;
  careerStage: string;
  language: string;
  group: string;
  kind: string;
  /** Per label, who coded it: a person's accept, or the engine with the unit's lowest engine confidence. */
  coding?: Record<string, LabelSource>;
}

/** The filters of the compare and findings pages. */
export interface Filters {
  session?: string;
  careerStage?: string;
  language?: string;
  asOf?: string;
}

/** Everything loaded for one data version of a series. */
export interface Loaded {
  version: string;
  codebookVersion: number;
  codebook: Codebook;
  rows: Row[];
  sessions: string[];
  careerStages: string[];
  languages: string[];
  regions: string[];
  kinds: string[];
  /** Latest human decisions as [itemId, themeKey, decision], for snapshots. */
  decisions: [string, string, string][];
}

// Bounded (COMPARE_CACHE_SERIES series loaded, COMPARE_CACHE_ENTRIES comparisons), so a server that
// serves many series for months keeps only the recent ones.
const loaded = new Lru<string, Loaded>(
  envLimit('COMPARE_CACHE_SERIES', 8),
  envLimit('COMPARE_CACHE_MS', 30 * 60_000),
);
const compared = new Lru<string, { comparison: Comparison; rows: Row[] }>(
  envLimit('COMPARE_CACHE_ENTRIES', 64),
  envLimit('COMPARE_CACHE_MS', 30 * 60_000),
);

const PERSON: LabelSource = { by: 'person' };

/** Labels with who coded each: a person's accept, or the engine with the unit's lowest engine confidence. */
function withCoding(
  labels: string[],
  accepted: ReadonlySet<string> | undefined,
  confidence: number | null,
): { labels: string[]; coding?: Record<string, LabelSource> } {
  if (labels.length === 0) return { labels };
  const engine: LabelSource = { by: 'engine', confidence: confidence ?? 0 };
  return { labels, coding: Object.fromEntries(labels.map((k) => [k, accepted?.has(k) ? PERSON : engine])) };
}
const uniq = (xs: string[]) => [...new Set(xs.filter(Boolean))].sort();

/** Loads (or takes from the cache) the series' units with their final labels. */
export async function loadRows(db: Db, seriesId: string): Promise<Loaded> {
  const state = await readState(db, seriesId);
  const version = `${state.data_version}:${state.codebook_version}`;
  const hit = loaded.get(seriesId);
  if (hit && hit.version === version) return hit;
  const [themes, items, codings] = await Promise.all([
    allThemes(db, seriesId),
    db
      .selectFrom('wb_item')
      .select([
        'id',
        'region',
        'session',
        'prompt_kind',
        'language',
        'career_stage',
        'submitted_at',
        'engine_labels',
        'engine_confidence',
      ])
      .where('series_id', '=', seriesId)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('wb_coding')
      .select(['item_id', 'theme_key', 'decision'])
      .where('series_id', '=', seriesId)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  const labels = labelResolver(themes, codings);
  // Themes a person accepted, per unit: the findings say who coded what they rest on.
  const accepted = new Map<string, Set<string>>();
  for (const [item, key, d] of labels.decisions) {
    if (d !== 'accept') continue;
    const set = accepted.get(item) ?? new Set<string>();
    set.add(key);
    accepted.set(item, set);
  }
  const rows: Row[] = items.map((it) => ({
    id: it.id,
    // Texts are loaded only where quotes are shown (withTexts): the comparison does not need them.
    text: '',
    ...withCoding(labels.finalLabels(it.id, it.engine_labels), accepted.get(it.id), it.engine_confidence),
    group: it.region ?? '(none)',
    kind: it.prompt_kind ?? 'all',
    ...(it.submitted_at ? { time: it.submitted_at } : {}),
    language: it.language ?? '',
    session: it.session ?? '',
    careerStage: it.career_stage ?? '',
  }));
  const l: Loaded = {
    version,
    codebookVersion: state.codebook_version,
    codebook: labels.codebook,
    rows,
    sessions: uniq(rows.map((r) => r.session)),
    careerStages: uniq(rows.map((r) => r.careerStage)),
    languages: uniq(rows.map((r) => r.language)),
    regions: uniq(rows.map((r) => r.group)),
    kinds: uniq(rows.map((r) => r.kind)),
    decisions: labels.decisions,
  };
  loaded.set(seriesId, l);
  return l;
}

/** The rows a filter set keeps (as-of is applied by the comparison itself). */
export function filterRows<T extends { session: string; careerStage: string; language: string }>(
  rows: readonly T[],
  f: Filters,
): T[] {
  return rows.filter(
    (r) =>
      (!f.session || r.session === f.session) &&
      (!f.careerStage || r.careerStage === f.careerStage) &&
      (!f.language || r.language === f.language),
  );
}

/** Compares the filtered units of a series per prompt kind and region (cached per data version and filters). */
export async function compareSeries(
  db: Db,
  seriesId: string,
  f: Filters,
): Promise<{ loaded: Loaded; comparison: Comparison; rows: Row[] }> {
  const l = await loadRows(db, seriesId);
  const key = `${seriesId}|${l.version}|${f.session ?? ''}|${f.careerStage ?? ''}|${f.language ?? ''}|${f.asOf ?? ''}`;
  let hit = compared.get(key);
  if (!hit) {
    const rows = filterRows(l.rows, f);
    hit = {
      comparison: compare(rows, {
        themeIds: l.codebook.themes.map((t) => t.id),
        ...(f.asOf ? { asOf: f.asOf } : {}),
      }),
      rows,
    };
    compared.set(key, hit);
  }
  return { loaded: l, ...hit };
}

/** The rows with their texts (for quotes and findings), loaded once per data version. */
export async function withTexts(db: Db, seriesId: string, l: Loaded, rows: readonly Row[]): Promise<Row[]> {
  let texts = textCache.get(l);
  if (!texts) {
    const all = await db
      .selectFrom('wb_item')
      .select(['id', 'text'])
      .where('series_id', '=', seriesId)
      .execute();
    texts = new Map(all.map((r) => [r.id, r.text]));
    textCache.set(l, texts);
  }
  return rows.map((r) => ({ ...r, text: texts.get(r.id) ?? '' }));
}
const textCache = new WeakMap<Loaded, Map<string, string>>();

/** Drops the caches (benchmarks measure cold requests with it). */
export function clearCompareCache(): void {
  loaded.clear();
  compared.clear();
  clearCubeCache();
}
