// Findings: the engine's sentences over the compared units, edited by the analyst, frozen as a snapshot
// (publishing's table, so posts can embed it) together with the inputs that reproduce it exactly.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { notFound } from '../../lib/errors.ts';
import {
  compare,
  ENGINE_VERSION,
  findings,
  summarizeClaims,
  type ClaimsSummary,
  type Codebook,
  type Comparison,
  type Finding,
} from '../analysis/index.ts';
import { createSnapshot, findSnapshot, type SnapshotResult } from '../publishing/index.ts';
import { compareSeries, filterRows, withTexts, type Filters, type Row } from './compare.service.ts';
import { labelMap, workbenchLabels } from './labels.ts';

/** SHA-256 of a value's JSON. */
export const hashOf = (v: unknown): string => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** As-of checkpoints: for each session, the last day a response of it was given. */
export function sessionCheckpoints(rows: readonly Row[]): string[] {
  const last = new Map<string, string>();
  for (const r of rows) {
    if (!r.time) continue;
    const day = r.time.slice(0, 10);
    const key = r.session || day;
    if ((last.get(key) ?? '') < day) last.set(key, day);
  }
  return [...new Set(last.values())].sort();
}

/**
 * The engine's findings for a comparison, with the codebook's labels and the regions' names: distinctive
 * claims corrected over every test, with their sensitivity replayed as of each session's last day.
 */
export function engineFindings(
  codebook: Codebook,
  comparison: Comparison,
  rows: readonly Row[],
  groupLabel: (key: string) => string,
  language?: string,
): Finding[] {
  return findings(comparison, rows, {
    codebook,
    groupBy: 'region',
    groupLabel,
    checkpoints: sessionCheckpoints(rows),
    ...(language ? { language } : {}),
  });
}

/** The correction behind the distinctive claims of these rows. */
export function claimsSummary(comparison: Comparison, rows: readonly Row[]): ClaimsSummary {
  return summarizeClaims(rows, comparison.asOf ? { asOf: comparison.asOf } : {});
}

/** The shape a post embeds: sentences (as edited) with quotes, and per kind the themes' figures. */
export function snapshotResult(
  codebook: Codebook,
  comparison: Comparison,
  found: readonly Finding[],
  edits: Record<number, string> = {},
  groupLabels: Record<string, string> = {},
): SnapshotResult {
  const label = new Map(codebook.themes.map((t) => [t.id, t.label]));
  const kinds: SnapshotResult['kinds'] = {};
  for (const [kind, k] of Object.entries(comparison.kinds)) {
    kinds[kind] = {
      themes: k.themes
        .filter((t) => t.count > 0)
        .slice(0, 8)
        .map((t) => ({
          id: t.id,
          label: label.get(t.id) ?? t.id,
          count: t.count,
          share: t.share,
          low: t.low,
          high: t.high,
        })),
    };
  }
  return {
    // A post shows only the claims that held; the ones that did not stay in the workbench, greyed.
    findings: found
      .map((f, i) => ({ f, i }))
      .filter(({ f }) => f.held)
      .map(({ f, i }) => ({
        kind: f.kind,
        text: edits[i]?.trim() || f.text,
        quotes: f.quotes.map((q) => ({ id: q.id, text: q.text, group: q.group ?? '' })),
      })),
    kinds,
    groupLabels,
  };
}

/** Current findings of a series under filters. */
export async function currentFindings(db: Db, seriesId: string, f: Filters, language = 'en') {
  const [{ loaded: cached, comparison, rows: bare }, labels] = await Promise.all([
    compareSeries(db, seriesId, f),
    workbenchLabels(db, seriesId, language),
  ]);
  // Sentences, figures and a saved snapshot name the themes in the findings' language (the cached
  // codebook is shared, so it gets a copy).
  const themes = cached.codebook.themes.map((t) => ({ ...t, label: labels.theme(t.id) }));
  const loaded = { ...cached, codebook: { ...cached.codebook, themes } };
  const rows = await withTexts(db, seriesId, loaded, bare);
  const groupLabels = labelMap(comparison.groups, labels.region);
  const found = engineFindings(loaded.codebook, comparison, rows, (k) => groupLabels[k] ?? k, language);
  return { loaded, comparison, rows, found, labels, groupLabels, claims: claimsSummary(comparison, rows) };
}

interface StoredRows {
  rows: Row[];
}

/** Saves the findings as a snapshot, with the codebook, people's codings and the units' labels as of now. */
export async function saveFindingsSnapshot(
  db: Db,
  seriesId: string,
  input: { title: string; filters: Filters; edits: Record<number, string>; language?: string },
): Promise<string> {
  const language = input.language ?? 'en';
  const { loaded, comparison, rows, found, groupLabels } = await currentFindings(
    db,
    seriesId,
    input.filters,
    language,
  );
  const result = snapshotResult(loaded.codebook, comparison, found, input.edits, groupLabels);
  const stored: StoredRows = { rows: await withTexts(db, seriesId, loaded, loaded.rows) };
  const date = new Date().toISOString();
  const params = {
    date,
    filters: input.filters,
    codebookVersion: loaded.codebookVersion,
    engineVersion: ENGINE_VERSION,
    units: rows.length,
    codebookHash: hashOf(loaded.codebook),
    codingsHash: hashOf(loaded.decisions),
    rowsHash: hashOf(stored.rows),
    resultHash: hashOf({ kinds: comparison.kinds, findings: found.map((f) => f.text) }),
    edits: input.edits,
    language,
  };
  const id = await createSnapshot(db, {
    seriesId,
    title: input.title.trim() || 'Findings',
    params,
    engineVersion: ENGINE_VERSION,
    result,
    createdAt: date,
  });
  await db
    .insertInto('wb_snapshot_input')
    .values({
      snapshot_id: id,
      series_id: seriesId,
      codebook: JSON.stringify(loaded.codebook),
      codings: JSON.stringify(loaded.decisions),
      labels: JSON.stringify(stored),
      created_at: date,
    })
    .execute();
  return id;
}

/** What reproducing a snapshot found. */
export interface Reproduction {
  snapshotId: string;
  title: string;
  createdAt: string;
  checks: { name: string; ok: boolean }[];
  equal: boolean;
  result: SnapshotResult;
}

/** Recomputes a snapshot from its stored inputs and says whether everything equals what was published. */
export async function reproduceSnapshot(db: Db, seriesId: string, snapshotId: string): Promise<Reproduction> {
  const snap = await findSnapshot(db, snapshotId);
  if (!snap || snap.seriesId !== seriesId) throw notFound('This snapshot', 'snapshotId');
  const input = await db
    .selectFrom('wb_snapshot_input')
    .selectAll()
    .where('snapshot_id', '=', snapshotId)
    .executeTakeFirst();
  if (!input) throw notFound('The stored inputs of this snapshot', 'snapshotId');
  const p = snap.params as {
    filters?: Filters;
    codebookHash?: string;
    codingsHash?: string;
    rowsHash?: string;
    resultHash?: string;
    edits?: Record<number, string>;
    engineVersion?: string;
    language?: string;
  };
  const codebook = JSON.parse(input.codebook) as Codebook;
  const decisions = JSON.parse(input.codings) as unknown;
  const stored = JSON.parse(input.labels) as StoredRows;
  const f = p.filters ?? {};
  const rows = filterRows(stored.rows, f);
  const comparison = compare(rows, {
    themeIds: codebook.themes.map((t) => t.id),
    ...(f.asOf ? { asOf: f.asOf } : {}),
  });
  // The region names the snapshot was published with, so the sentences reproduce word for word.
  const groupLabels = snap.result.groupLabels ?? {};
  // Written again in the language the snapshot was saved in, so the sentences compare word for word.
  const found = engineFindings(codebook, comparison, rows, (k) => groupLabels[k] ?? k, p.language);
  const result = snapshotResult(codebook, comparison, found, p.edits ?? {}, groupLabels);
  const checks = [
    { name: 'engine version', ok: (p.engineVersion ?? snap.engineVersion) === ENGINE_VERSION },
    { name: 'codebook', ok: hashOf(codebook) === p.codebookHash },
    { name: 'people’s codings', ok: hashOf(decisions) === p.codingsHash },
    { name: 'coded units', ok: hashOf(stored.rows) === p.rowsHash },
    {
      name: 'figures and sentences',
      ok: hashOf({ kinds: comparison.kinds, findings: found.map((x) => x.text) }) === p.resultHash,
    },
    { name: 'published result', ok: JSON.stringify(result) === JSON.stringify(snap.result) },
  ];
  return {
    snapshotId,
    title: snap.title,
    createdAt: snap.createdAt,
    checks,
    equal: checks.every((c) => c.ok),
    result,
  };
}
