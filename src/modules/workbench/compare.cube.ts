// The compare page's data for large series: units aggregated in SQL by everything the page filters and
// groups on (kind, region, session, career stage, language, day, engine labels), so 50,000 responses
// arrive as a few thousand weighted rows; units people decided are added one by one with their final labels.
import { PostgresAdapter, sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { envLimit, Lru } from '../../lib/lru.ts';
import {
  compare,
  testClaims,
  type ClaimSet,
  type Codebook,
  type CompareRow,
  type Comparison,
} from '../analysis/index.ts';
import { filterRows, type Filters } from './compare.service.ts';
import { labelResolver } from './final-labels.ts';
import { allThemes, readState } from './workbench.repository.ts';

/** A weighted row with the columns the filters use. */
export type CubeRow = CompareRow & {
  group: string;
  kind: string;
  session: string;
  careerStage: string;
  language: string;
};

/** The aggregated units of one data version. */
export interface Cube {
  version: string;
  codebookVersion: number;
  codebook: Codebook;
  rows: CubeRow[];
  units: number;
  sessions: string[];
  careerStages: string[];
  languages: string[];
}

// Bounded like the compare caches in compare.service.ts (same limits).
const cubes = new Lru<string, Cube>(
  envLimit('COMPARE_CACHE_SERIES', 8),
  envLimit('COMPARE_CACHE_MS', 30 * 60_000),
);
const compared = new Lru<string, { comparison: Comparison; claims: ClaimSet }>(
  envLimit('COMPARE_CACHE_ENTRIES', 64),
  envLimit('COMPARE_CACHE_MS', 30 * 60_000),
);
const uniq = (xs: string[]) => [...new Set(xs.filter(Boolean))].sort();

/** The day (UTC) of an instant, per dialect: instants are text on SQLite and timestamptz on PostgreSQL. */
function dayOf(db: Db) {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<string | null>`to_char(submitted_at at time zone 'UTC', 'YYYY-MM-DD')`
    : sql<string | null>`substr(submitted_at, 1, 10)`;
}

/** Loads (or takes from the cache) the aggregated units of a series. */
export async function loadCube(db: Db, seriesId: string): Promise<Cube> {
  const state = await readState(db, seriesId);
  const version = `${state.data_version}:${state.codebook_version}`;
  const hit = cubes.get(seriesId);
  if (hit && hit.version === version) return hit;
  const decided = db.selectFrom('wb_coding').select('item_id').where('series_id', '=', seriesId);
  const [themes, groups, singles, codings] = await Promise.all([
    allThemes(db, seriesId),
    db
      .selectFrom('wb_item')
      .select([
        'prompt_kind',
        'region',
        'session',
        'career_stage',
        'language',
        'engine_labels',
        dayOf(db).as('day'),
      ])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('series_id', '=', seriesId)
      .where('id', 'not in', decided)
      .groupBy(['prompt_kind', 'region', 'session', 'career_stage', 'language', 'engine_labels', dayOf(db)])
      .execute(),
    db
      .selectFrom('wb_item')
      .select([
        'id',
        'prompt_kind',
        'region',
        'session',
        'career_stage',
        'language',
        'engine_labels',
        dayOf(db).as('day'),
      ])
      .where('series_id', '=', seriesId)
      .where('id', 'in', decided)
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
  // One object literal per row, every property always present: spreading conditional parts built
  // slow dictionary-shaped objects, which cost more than the rest of loading on 50,000 units.
  const row = (
    r: {
      prompt_kind: string | null;
      region: string | null;
      session: string | null;
      career_stage: string | null;
      language: string | null;
      day: string | null;
    },
    labels: string[],
    weight: number,
  ): CubeRow => ({
    labels,
    weight,
    group: r.region ?? '(none)',
    kind: r.prompt_kind ?? 'all',
    time: r.day ? `${r.day}T00:00:00.000Z` : undefined,
    session: r.session ?? '',
    careerStage: r.career_stage ?? '',
    language: r.language ?? '',
  });
  const rows: CubeRow[] = groups.map((g) => row(g, labels.engineLabels(g.engine_labels), Number(g.n)));
  for (const it of singles) rows.push(row(it, labels.finalLabels(it.id, it.engine_labels), 1));
  const cube: Cube = {
    version,
    codebookVersion: state.codebook_version,
    codebook: labels.codebook,
    rows,
    units: rows.reduce((a, r) => a + (r.weight ?? 1), 0),
    sessions: uniq(rows.map((r) => r.session)),
    careerStages: uniq(rows.map((r) => r.careerStage)),
    languages: uniq(rows.map((r) => r.language)),
  };
  cubes.set(seriesId, cube);
  return cube;
}

/** The compare page's comparison (as-of by day), cached per data version and filters. */
export async function compareCube(
  db: Db,
  seriesId: string,
  f: Filters,
): Promise<{ cube: Cube; comparison: Comparison; claims: ClaimSet }> {
  const cube = await loadCube(db, seriesId);
  const key = `${seriesId}|${cube.version}|${f.session ?? ''}|${f.careerStage ?? ''}|${f.language ?? ''}|${f.asOf ?? ''}`;
  let hit = compared.get(key);
  if (!hit) {
    const rows = filterRows(cube.rows, f);
    const asOf = f.asOf ? { asOf: f.asOf } : {};
    hit = {
      comparison: compare(rows, { themeIds: cube.codebook.themes.map((t) => t.id), ...asOf }),
      // Distinctive claims: every kind × region × theme test in one Benjamini–Hochberg family.
      claims: testClaims(rows, asOf),
    };
    compared.set(key, hit);
  }
  return { cube, ...hit };
}

/** Drops the cube caches (benchmarks measure cold requests with it). */
export function clearCubeCache(): void {
  cubes.clear();
  compared.clear();
}
