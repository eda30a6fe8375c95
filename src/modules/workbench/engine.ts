// The trained coder of each series, cached in this process: prepared once, retrained incrementally
// on every human decision, re-coding the whole series as a sparse correction (engine's incremental API).
// Its trained state is saved in wb_engine, so an evicted engine is reloaded without retraining.
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/index.ts';
import { envLimit, Lru } from '../../lib/lru.ts';
import {
  createCoder,
  deserializeCoder,
  type CodedText,
  type Coder,
  type CoderState,
  type PreparedText,
  type TrainingExample,
} from '../analysis/index.ts';
import {
  allThemes,
  codingsOf,
  decisionsByItem,
  ensureState,
  readState,
  saveEngineLabels,
  toCodebook,
  bumpData,
} from './workbench.repository.ts';
import { applyDecisions } from './final-labels.ts';
import type { WbCodingTable } from './workbench.tables.ts';

/** A series' engine in memory. */
export interface SeriesEngine {
  seriesId: string;
  codebookVersion: number;
  /** How many coding decisions of the series it has learnt from. */
  decisions: number;
  coder: Coder;
  ids: string[];
  index: Map<string, number>;
  texts: string[];
  prepared: PreparedText[];
  coded: CodedText[];
  labels: string[];
  /** Milliseconds the last re-coding of the whole series took. */
  lastRecodeMs: number;
}

/** Series up to this size are coded inside the request; larger ones run as a background job. */
export const SYNC_LIMIT = 1000;
// About 100 ms of preparing per chunk between yields, so pages keep answering during a large job.
const CHUNK = 100;

// A trained engine holds its prepared texts (hundreds of MB for a large series): keep a few, for a
// while; an evicted engine is reloaded on demand from its saved state (as a background job for large series).
const engines = new Lru<string, SeriesEngine>(
  envLimit('WB_ENGINE_CACHE', 2),
  envLimit('WB_ENGINE_IDLE_MS', 30 * 60_000),
);

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The labels and the confidence the workbench stores for a coded text. */
export function labelsOf(c: CodedText): { labels: string; confidence: number } {
  if (c.codings.length)
    return {
      labels: c.codings.map((x) => x.themeId).join(';'),
      confidence: Math.min(...c.codings.map((x) => x.confidence)),
    };
  const p = c.probabilities;
  return { labels: '', confidence: 1 - (p.length ? Math.max(...p) : 0) };
}

/** Training examples from people's decisions: whole units with their final labels, and coded spans. */
export function trainingExamples(
  items: readonly { id: string; text: string; engine_labels: string }[],
  codings: readonly WbCodingTable[],
  themeKeys: ReadonlySet<string>,
): TrainingExample[] {
  const byItem = decisionsByItem(codings);
  const out: TrainingExample[] = [];
  for (const it of items) {
    const ds = byItem.get(it.id);
    if (!ds) continue;
    const whole = ds.filter((d) => d.start_offset === null);
    const engine = it.engine_labels ? it.engine_labels.split(';') : [];
    if (whole.length)
      out.push({ text: it.text, labels: applyDecisions(engine, whole).filter((k) => themeKeys.has(k)) });
    for (const d of ds) {
      if (
        d.start_offset === null ||
        d.end_offset === null ||
        d.decision !== 'accept' ||
        !themeKeys.has(d.theme_key)
      )
        continue;
      const span = it.text.slice(d.start_offset, d.end_offset).trim();
      if (span) out.push({ text: span, labels: [d.theme_key] });
    }
  }
  return out;
}

/** The cached engine when it matches the codebook version, else undefined. */
export function cachedEngine(seriesId: string, codebookVersion: number): SeriesEngine | undefined {
  const e = engines.get(seriesId);
  return e && e.codebookVersion === codebookVersion ? e : undefined;
}

/** Forgets a series' engine (tests, codebook edits). */
export function dropEngine(seriesId: string): void {
  engines.delete(seriesId);
}

async function persistChanges(db: Db, e: SeriesEngine, previous: readonly string[]): Promise<number> {
  const changes: { id: string; labels: string; confidence: number }[] = [];
  e.coded.forEach((c, i) => {
    const l = labelsOf(c);
    e.labels[i] = l.labels;
    if (l.labels !== previous[i]) changes.push({ id: e.ids[i], ...l });
  });
  if (changes.length) {
    await saveEngineLabels(db, changes);
    await bumpData(db, e.seriesId);
  }
  return changes.length;
}

/** A saved engine is reused while its codebook and the number of decisions it learnt from still hold. */
async function savedCoder(
  db: Db,
  seriesId: string,
  codebookVersion: number,
  decisions: number,
  log?: (e: unknown) => void,
): Promise<Coder | null> {
  const row = await db
    .selectFrom('wb_engine')
    .select(['codebook_version', 'decisions', 'state'])
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  if (!row || row.codebook_version !== codebookVersion || row.decisions !== decisions) return null;
  try {
    return deserializeCoder(JSON.parse(row.state) as CoderState);
  } catch (e) {
    // Another engine version (after an upgrade) or a damaged row: retrain instead.
    log?.(e);
    return null;
  }
}

/** True when the series has a saved engine for this codebook version and number of decisions (reads only). */
export async function hasCurrentSavedEngine(
  db: Db,
  seriesId: string,
  codebookVersion: number,
  decisions: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('wb_engine')
    .select(['codebook_version', 'decisions'])
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  return !!row && row.codebook_version === codebookVersion && row.decisions === decisions;
}

/** Saves the engine's trained state so an evicted engine comes back without retraining. */
export async function saveEngineState(db: Db, e: SeriesEngine): Promise<void> {
  const row = {
    codebook_version: e.codebookVersion,
    decisions: e.decisions,
    state: JSON.stringify(e.coder.serialize()),
    updated_at: new Date().toISOString(),
  };
  await db
    .insertInto('wb_engine')
    .values({ series_id: e.seriesId, ...row })
    .onConflict((oc) => oc.column('series_id').doUpdateSet(row))
    .execute();
}

/** Forgets the saved engines of series whose units were erased (their words trained them). */
export async function eraseEngineStates(db: Db, seriesIds: readonly string[]): Promise<void> {
  if (!seriesIds.length) return;
  await db.deleteFrom('wb_engine').where('series_id', 'in', seriesIds).execute();
  for (const id of seriesIds) engines.delete(id);
}

type EngineItem = { id: string; text: string; engine_labels: string; engine_confidence: number | null };

/** Prepares and codes every unit in chunks, yielding between them; progress may throw to stop. */
async function codeAll(
  seriesId: string,
  codebookVersion: number,
  decisions: number,
  coder: Coder,
  items: readonly EngineItem[],
  progress?: (done: number, total: number) => Promise<void>,
): Promise<SeriesEngine> {
  const prepared: PreparedText[] = [];
  const coded: CodedText[] = [];
  await progress?.(0, items.length);
  for (let i = 0; i < items.length; i += CHUNK) {
    const p = coder.prepare(items.slice(i, i + CHUNK).map((it) => it.text));
    prepared.push(...p);
    coded.push(...coder.code(p));
    await progress?.(Math.min(items.length, i + CHUNK), items.length);
    await yieldNow();
  }
  return {
    seriesId,
    codebookVersion,
    decisions,
    coder,
    ids: items.map((it) => it.id),
    index: new Map(items.map((it, i) => [it.id, i])),
    texts: items.map((it) => it.text),
    prepared,
    coded,
    labels: items.map((it) => it.engine_labels),
    lastRecodeMs: 0,
  };
}

const itemsOf = (db: Db, seriesId: string): Promise<EngineItem[]> =>
  db
    .selectFrom('wb_item')
    .select(['id', 'text', 'engine_labels', 'engine_confidence'])
    .where('series_id', '=', seriesId)
    .orderBy('id')
    .execute();

/**
 * Loads a series' engine: the saved trained state when it is still current (no retraining),
 * otherwise trains it; then prepares and codes every unit in chunks, yielding between them, and stores
 * the labels that changed; progress(done, total) may throw to stop (a worker that lost its lease).
 * This writes: the coding job and the POSTs that change data call it, never a GET (see restoreEngine).
 */
export async function loadEngine(
  db: Kysely<Database>,
  seriesId: string,
  progress?: (done: number, total: number) => Promise<void>,
  log?: (e: unknown) => void,
): Promise<SeriesEngine & { restored: boolean }> {
  const state = await ensureState(db, seriesId);
  const themes = await allThemes(db, seriesId);
  const codebook = toCodebook(themes);
  const items = await itemsOf(db, seriesId);
  const codings = await codingsOf(db, seriesId);
  const saved = await savedCoder(db, seriesId, state.codebook_version, codings.length, log);
  const coder = saved ?? createCoder(codebook);
  if (!saved) {
    const examples = trainingExamples(items, codings, new Set(codebook.themes.map((t) => t.id)));
    if (examples.length) coder.train(examples);
  }
  const e = await codeAll(seriesId, state.codebook_version, codings.length, coder, items, progress);
  // Never-coded units are written even when the engine gives them no theme, so they count as coded.
  await persistChanges(
    db,
    e,
    items.map((it) => (it.engine_confidence === null ? '\u0000' : it.engine_labels)),
  );
  await db
    .updateTable('wb_state')
    .set({ coded_version: state.codebook_version })
    .where('series_id', '=', seriesId)
    .execute();
  if (!saved) await saveEngineState(db, e);
  engines.set(seriesId, e);
  return { ...e, restored: !!saved };
}

/**
 * Brings a series' saved engine back into this process without writing anything (a GET may do this):
 * only when its saved state is current for the codebook and the decisions; otherwise undefined, and
 * the page offers to run the coding. The units keep their stored labels; the next decision stores
 * whatever its re-coding changes.
 */
export async function restoreEngine(
  db: Db,
  seriesId: string,
  log?: (e: unknown) => void,
): Promise<SeriesEngine | undefined> {
  const state = await readState(db, seriesId);
  const codings = await codingsOf(db, seriesId);
  const coder = await savedCoder(db, seriesId, state.codebook_version, codings.length, log);
  if (!coder) return undefined;
  const e = await codeAll(
    seriesId,
    state.codebook_version,
    codings.length,
    coder,
    await itemsOf(db, seriesId),
  );
  engines.set(seriesId, e);
  return e;
}

/** Learns from one decision at once and re-codes the series; returns how many units changed. */
export async function learn(db: Db, e: SeriesEngine, example: TrainingExample): Promise<number> {
  e.coder.addExample(example);
  e.decisions++;
  const t0 = performance.now();
  e.coded = e.coder.code(e.prepared);
  e.lastRecodeMs = performance.now() - t0;
  const changed = await persistChanges(db, e, [...e.labels]);
  // Saved at once: an engine evicted or lost with its process comes back with what it learnt.
  await saveEngineState(db, e);
  return changed;
}
