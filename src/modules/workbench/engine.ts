// The trained coder of each series, cached in this process: prepared once, retrained incrementally
// on every human decision, re-coding the whole series as a sparse correction (engine's incremental API).
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { envLimit, Lru } from '../../lib/lru.ts';
import {
  createCoder,
  type CodedText,
  type Coder,
  type PreparedText,
  type TrainingExample,
} from '../analysis/index.ts';
import {
  allThemes,
  codingsOf,
  decisionsByItem,
  ensureState,
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
// while; an evicted engine is rebuilt on demand (as a background job for large series).
const engines = new Lru<string, SeriesEngine>(
  envLimit('WB_ENGINE_CACHE', 2),
  envLimit('WB_ENGINE_IDLE_MS', 30 * 60_000),
);
const building = new Map<string, Promise<SeriesEngine>>();

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

/** Builds (trains, prepares, codes) a series' engine, yielding between chunks; progress(done, total). */
export async function buildEngine(
  db: Kysely<Database>,
  seriesId: string,
  progress?: (done: number, total: number) => Promise<void>,
): Promise<SeriesEngine> {
  const state = await ensureState(db, seriesId);
  const themes = await allThemes(db, seriesId);
  const codebook = toCodebook(themes);
  const coder = createCoder(codebook);
  const items = await db
    .selectFrom('wb_item')
    .select(['id', 'text', 'engine_labels', 'engine_confidence'])
    .where('series_id', '=', seriesId)
    .orderBy('id')
    .execute();
  const codings = await codingsOf(db, seriesId);
  const examples = trainingExamples(items, codings, new Set(codebook.themes.map((t) => t.id)));
  if (examples.length) coder.train(examples);
  const prepared: PreparedText[] = [];
  const coded: CodedText[] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    const p = coder.prepare(items.slice(i, i + CHUNK).map((it) => it.text));
    prepared.push(...p);
    coded.push(...coder.code(p));
    await progress?.(Math.min(items.length, i + CHUNK), items.length);
    await yieldNow();
  }
  const e: SeriesEngine = {
    seriesId,
    codebookVersion: state.codebook_version,
    coder,
    ids: items.map((it) => it.id),
    index: new Map(items.map((it, i) => [it.id, i])),
    texts: items.map((it) => it.text),
    prepared,
    coded,
    labels: items.map((it) => it.engine_labels),
    lastRecodeMs: 0,
  };
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
  engines.set(seriesId, e);
  return e;
}

/** Runs one build per series at a time; later callers share it. */
export function buildOnce(
  db: Kysely<Database>,
  seriesId: string,
  progress?: (done: number, total: number) => Promise<void>,
): Promise<SeriesEngine> {
  const running = building.get(seriesId);
  if (running) return running;
  const p = buildEngine(db, seriesId, progress).finally(() => building.delete(seriesId));
  building.set(seriesId, p);
  return p;
}

/** True while a build of the series runs in this process. */
export const isBuilding = (seriesId: string): boolean => building.has(seriesId);

/** Starts coding the series as a background job with progress in wb_job; returns the job id. */
export async function startCodingJob(
  db: Kysely<Database>,
  seriesId: string,
  log?: (e: unknown) => void,
): Promise<string> {
  const running = await db
    .selectFrom('wb_job')
    .select('id')
    .where('series_id', '=', seriesId)
    .where('status', '=', 'running')
    .executeTakeFirst();
  if (running && isBuilding(seriesId)) return running.id;
  const id = newId();
  const t = new Date().toISOString();
  await db
    .insertInto('wb_job')
    .values({
      id,
      series_id: seriesId,
      kind: 'code',
      status: 'running',
      done: 0,
      total: 0,
      error: null,
      created_at: t,
      updated_at: t,
    })
    .execute();
  const update = async (done: number, total: number) => {
    await db
      .updateTable('wb_job')
      .set({ done, total, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
  };
  buildOnce(db, seriesId, update)
    .then(
      async () => {
        await db
          .updateTable('wb_job')
          .set({ status: 'done', updated_at: new Date().toISOString() })
          .where('id', '=', id)
          .execute();
      },
      async (e: unknown) => {
        log?.(e);
        await db
          .updateTable('wb_job')
          .set({
            status: 'failed',
            error: e instanceof Error ? e.message : String(e),
            updated_at: new Date().toISOString(),
          })
          .where('id', '=', id)
          .execute();
      },
    )
    .catch((e: unknown) => log?.(e));
  return id;
}

/** Learns from one decision at once and re-codes the series; returns how many units changed. */
export async function learn(db: Db, e: SeriesEngine, example: TrainingExample): Promise<number> {
  e.coder.addExample(example);
  const t0 = performance.now();
  e.coded = e.coder.code(e.prepared);
  e.lastRecodeMs = performance.now() - t0;
  return persistChanges(db, e, [...e.labels]);
}
