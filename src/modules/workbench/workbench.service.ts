// The workbench's use cases: open a series, code with the engine, review, edit the codebook.
import type { Kysely } from 'kysely';
import type { Database, Db } from '../../db/index.ts';
import { invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { cleanTranslations, type Translations } from '../../lib/translations.ts';
import { authorize, canFacilitate, canManageSeries, canViewSeries, type Actor } from '../accounts/index.ts';
import { findSeries } from '../series/index.ts';
import { agreementByTheme, type ThemeAgreement } from './agreement.ts';
import { codeNow, startCodingJob } from './coding.job.ts';
import {
  cachedEngine,
  dropEngine,
  hasCurrentSavedEngine,
  learn,
  restoreEngine,
  SYNC_LIMIT,
  type SeriesEngine,
} from './engine.ts';
import { refreshFromLive } from './sources.live.ts';
import {
  allThemes,
  bumpCodebook,
  bumpData,
  codingsOf,
  countOfSeries,
  ensureState,
  insertCoding,
  itemInSeries,
  readState,
} from './workbench.repository.ts';
import { applyDecisions } from './final-labels.ts';
import type { WbItemTable, WbJobTable, WbThemeTable } from './workbench.tables.ts';

export type SeriesRow = NonNullable<Awaited<ReturnType<typeof findSeries>>>;

/** The series (by id or slug) if the actor may read its analysis; 404/403 otherwise. */
export async function viewableSeries(db: Db, actor: Actor | null, idOrSlug: string): Promise<SeriesRow> {
  const s = await findSeries(db, idOrSlug);
  if (!s) throw notFound('This series', 'seriesId');
  authorize(actor, canViewSeries(actor, s.id));
  return s;
}

/** True when the actor may make coding decisions and edit the codebook (coordinators, facilitators). */
export const canCode = (actor: Actor | null, seriesId: string): boolean =>
  canManageSeries(actor, seriesId) || canFacilitate(actor, seriesId);

/** The series if the actor may code it. */
export async function codableSeries(db: Db, actor: Actor | null, idOrSlug: string): Promise<SeriesRow> {
  const s = await viewableSeries(db, actor, idOrSlug);
  authorize(
    actor,
    canCode(actor, s.id),
    'Only coordinators and facilitators of this series can code its responses.',
  );
  return s;
}

/** Opening the workbench (a write: the demo, exports): state and default codebook stored, new live answers pulled in. */
export async function openWorkbench(db: Db, seriesId: string): Promise<{ added: number }> {
  await ensureState(db, seriesId);
  return { added: await refreshFromLive(db, seriesId) };
}

/**
 * The engine of a series, coding it when needed (a write: only POSTs, jobs, the demo and exports call
 * it): from the cache, loaded (or trained) now for small series, or a background job for large ones;
 * both go through the coding job, so only one process codes a series at a time.
 */
export async function engineFor(
  db: Kysely<Database>,
  seriesId: string,
  log?: (e: unknown) => void,
): Promise<{ engine?: SeriesEngine; jobId?: string }> {
  const state = await ensureState(db, seriesId);
  const count = await countOfSeries(db, 'wb_item', seriesId);
  const cached = cachedEngine(seriesId, state.codebook_version);
  if (cached && cached.ids.length === count) return { engine: cached };
  if (count <= SYNC_LIMIT) return codeNow(db, seriesId, state.codebook_version, log);
  return { jobId: await startCodingJob(db, seriesId, log) };
}

/** What a read shows of a series' coding, without starting any. */
export interface CodingStatus {
  units: number;
  /** Units the engine never coded. */
  uncoded: number;
  /** The codebook changed since the units were coded. */
  stale: boolean;
  /** A trained engine for this codebook and these decisions is saved (or in this process). */
  trained: boolean;
  /** The coding job queued, running or retrying, if any. */
  job?: WbJobTable;
}

/** True when every unit is coded with the current codebook and a current trained engine exists. */
export const codingReady = (c: CodingStatus): boolean => !c.uncoded && !c.stale && c.trained;

/** The series' coding as it is (reads only). */
export async function codingStatus(db: Db, seriesId: string): Promise<CodingStatus> {
  const state = await readState(db, seriesId);
  const units = await countOfSeries(db, 'wb_item', seriesId);
  const uncoded = units
    ? Number(
        (
          await db
            .selectFrom('wb_item')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('series_id', '=', seriesId)
            .where('engine_confidence', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      )
    : 0;
  const cached = cachedEngine(seriesId, state.codebook_version);
  const decisions = await countOfSeries(db, 'wb_coding', seriesId);
  const trained =
    units === 0 ||
    (cached?.ids.length === units && cached.decisions === decisions) ||
    (await hasCurrentSavedEngine(db, seriesId, state.codebook_version, decisions));
  const job = await latestJob(db, seriesId);
  return {
    units,
    uncoded,
    stale: units > 0 && state.coded_version !== state.codebook_version,
    trained,
    job: job && ['queued', 'running', 'retrying'].includes(job.status) ? job : undefined,
  };
}

// Saved engines of large series being brought back into this process by a read (no database write).
const restoring = new Map<string, Promise<unknown>>();

/**
 * The engine for a read (the review queue): from this process's cache, or its saved state brought
 * back without writing (in the background for large series: `loading`). When coding has not run or
 * is out of date, no engine: the page shows the status and offers the POST that starts the coding.
 */
export async function engineToRead(
  db: Db,
  seriesId: string,
  log?: (e: unknown) => void,
): Promise<{ engine?: SeriesEngine; status: CodingStatus; loading?: boolean }> {
  const state = await readState(db, seriesId);
  const status = await codingStatus(db, seriesId);
  const cached = cachedEngine(seriesId, state.codebook_version);
  if (cached && cached.ids.length === status.units && !status.uncoded && !status.stale)
    return { engine: cached, status };
  if (!codingReady(status) || status.job) return { status };
  if (status.units > SYNC_LIMIT) {
    if (!restoring.has(seriesId))
      restoring.set(
        seriesId,
        restoreEngine(db, seriesId, log)
          .catch((e: unknown) => log?.(e))
          .finally(() => restoring.delete(seriesId)),
      );
    return { status, loading: true };
  }
  const engine = await restoreEngine(db, seriesId, log);
  return engine ? { engine, status } : { status };
}

/** A coding job of the series (its progress), or 404. */
export async function jobOf(db: Db, seriesId: string, jobId: string) {
  const j = await db
    .selectFrom('wb_job')
    .selectAll()
    .where('id', '=', jobId)
    .where('series_id', '=', seriesId)
    .executeTakeFirst();
  if (!j) throw notFound('This job', 'jobId');
  return j;
}

/** The latest job of a series, for the progress bar. */
export async function latestJob(db: Db, seriesId: string) {
  return db
    .selectFrom('wb_job')
    .selectAll()
    .where('series_id', '=', seriesId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** A unit proposed for review with the theme the engine is least sure about. */
export interface ReviewEntry {
  item: WbItemTable;
  themeKey: string;
  uncertainty: number;
  engineSays: boolean;
  probability: number;
  codings: { themeKey: string; confidence: number; start: number; end: number }[];
}

/** The next units to review, ordered by what teaches the engine most (uncertainty sampling). */
export async function reviewQueue(db: Db, e: SeriesEngine, n: number): Promise<ReviewEntry[]> {
  const decided = new Set(
    (await db.selectFrom('wb_coding').select('item_id').where('series_id', '=', e.seriesId).execute()).map(
      (r) => r.item_id,
    ),
  );
  const open: number[] = [];
  e.ids.forEach((id, i) => {
    if (!decided.has(id)) open.push(i);
  });
  const suggestions = e.coder.suggestNext(
    open.map((i) => e.prepared[i]),
    n,
  );
  const idx = suggestions.map((s) => open[s.index]);
  const items = idx.length
    ? await db
        .selectFrom('wb_item')
        .selectAll()
        .where(
          'id',
          'in',
          idx.map((i) => e.ids[i]),
        )
        .execute()
    : [];
  const byId = new Map(items.map((it) => [it.id, it]));
  const keys = e.coder.codebook.themes.map((t) => t.id);
  return suggestions.flatMap((s, k) => {
    const i = idx[k];
    const item = byId.get(e.ids[i]);
    if (!item) return [];
    const coded = e.coded[i];
    const probability = coded.probabilities[keys.indexOf(s.themeId)] ?? 0;
    return [
      {
        item,
        themeKey: s.themeId,
        uncertainty: s.uncertainty,
        engineSays: coded.codings.some((c) => c.themeId === s.themeId),
        probability,
        codings: coded.codings.map((c) => ({
          themeKey: c.themeId,
          confidence: c.confidence,
          start: c.start,
          end: c.end,
        })),
      },
    ];
  });
}

/** A person's decision on a unit (optionally a span of it). */
export interface DecisionInput {
  themeKey: string;
  decision: 'accept' | 'reject';
  start?: number | null;
  end?: number | null;
}

/** Records a decision (inside the caller's transaction); returns the training example it makes. */
export async function recordDecision(
  db: Db,
  actor: Actor | null,
  seriesId: string,
  itemId: string,
  d: DecisionInput,
): Promise<{ text: string; labels: string[] }> {
  const a = authorize(
    actor,
    canCode(actor, seriesId),
    'Only coordinators and facilitators of this series can code its responses.',
  );
  await ensureState(db, seriesId);
  const item = await itemInSeries(db, seriesId, itemId);
  if (!item) throw notFound('This response', 'itemId');
  const theme = await db
    .selectFrom('wb_theme')
    .select(['key', 'merged_into'])
    .where('series_id', '=', seriesId)
    .where('key', '=', d.themeKey)
    .executeTakeFirst();
  if (!theme || theme.merged_into)
    throw invalid('unknown_theme', 'Choose a theme of this codebook.', 'themeKey');
  let start = d.start ?? null;
  let end = d.end ?? null;
  if (start !== null || end !== null) {
    if (start === null || end === null || start < 0 || end > item.text.length || start >= end)
      throw invalid('bad_span', 'The highlighted passage is not within the response.', 'start');
    if (start === 0 && end === item.text.length) start = end = null;
  }
  const engine = item.engine_labels ? item.engine_labels.split(';') : [];
  await insertCoding(db, {
    series_id: seriesId,
    item_id: itemId,
    theme_key: d.themeKey,
    start_offset: start,
    end_offset: end,
    decision: d.decision,
    engine_said: engine.includes(d.themeKey) ? 1 : 0,
    account_id: a.accountId,
  });
  await bumpData(db, seriesId);
  if (start !== null && end !== null && d.decision === 'accept')
    return { text: item.text.slice(start, end), labels: [d.themeKey] };
  const decisions = await db
    .selectFrom('wb_coding')
    .select(['theme_key', 'decision'])
    .where('item_id', '=', itemId)
    .where('start_offset', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return { text: item.text, labels: applyDecisions(engine, decisions) };
}

/**
 * After the decision is committed: the engine learns from it and re-codes the series. An engine not in
 * this process is loaded (or trained) with the decision now, or as a background job for large series.
 */
export async function learnFromDecision(
  db: Kysely<Database>,
  seriesId: string,
  example: { text: string; labels: string[] },
  log?: (e: unknown) => void,
): Promise<{ changed: number; recodeMs: number } | null> {
  const state = await ensureState(db, seriesId);
  const e = cachedEngine(seriesId, state.codebook_version);
  if (!e) {
    await engineFor(db, seriesId, log);
    return null;
  }
  const changed = await learn(db, e, example);
  return { changed, recodeMs: e.lastRecodeMs };
}

/** Agreement per theme: the engine against people, and people against each other. */
export async function agreement(
  db: Db,
  seriesId: string,
): Promise<{ engine: ThemeAgreement[]; people: ThemeAgreement[] }> {
  const codings = (await codingsOf(db, seriesId)).filter((c) => c.start_offset === null);
  const engine = agreementByTheme(
    codings.map((c) => ({ themeKey: c.theme_key, a: c.engine_said === 1, b: c.decision === 'accept' })),
  );
  // Each person's latest word on each (unit, theme); pairs of different people on the same one.
  const latest = new Map<string, Map<string, boolean>>();
  for (const c of codings) {
    if (!c.account_id) continue;
    const k = `${c.item_id}\u0000${c.theme_key}`;
    const m = latest.get(k) ?? new Map<string, boolean>();
    m.set(c.account_id, c.decision === 'accept');
    latest.set(k, m);
  }
  const pairs: { themeKey: string; a: boolean; b: boolean }[] = [];
  for (const [k, m] of latest) {
    const v = [...m.values()];
    if (v.length >= 2) pairs.push({ themeKey: k.split('\u0000')[1], a: v[0], b: v[1] });
  }
  return { engine, people: agreementByTheme(pairs) };
}

const KEY = /^[\p{Ll}\p{N}_][\p{Ll}\p{N}_.-]{0,59}$/u;

function keyFrom(label: string): string {
  return (
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'theme'
  );
}

/** Seed terms from "en: mentor, mentoring; es: mentoría" or one term per line. */
export function parseTerms(s: string): { text: string; lang?: string }[] {
  const out: { text: string; lang?: string }[] = [];
  for (const part of s.split(/[;\n]/)) {
    const m = /^\s*([a-z]{2}):\s*(.+)$/.exec(part);
    const lang = m?.[1];
    for (const t of (m ? m[2] : part).split(','))
      if (t.trim()) out.push(lang ? { text: t.trim(), lang } : { text: t.trim() });
  }
  return out;
}

/** The reverse of parseTerms, one language per line. */
export function formatTerms(terms: readonly { text: string; lang?: string }[]): string {
  const by = new Map<string, string[]>();
  for (const t of terms) by.set(t.lang ?? '', [...(by.get(t.lang ?? '') ?? []), t.text]);
  return [...by.entries()].map(([l, ts]) => (l ? `${l}: ${ts.join(', ')}` : ts.join(', '))).join('\n');
}

async function themeIn(db: Db, seriesId: string, key: string): Promise<WbThemeTable> {
  await ensureState(db, seriesId);
  const t = await db
    .selectFrom('wb_theme')
    .selectAll()
    .where('series_id', '=', seriesId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!t || t.merged_into) throw notFound('This theme', 'themeKey');
  return t;
}

async function changed(db: Db, seriesId: string): Promise<void> {
  await bumpCodebook(db, seriesId);
  dropEngine(seriesId);
}

/** Codebook edits: create, rename/describe (with seed terms), merge into another theme, split off a new one. */
export const codebookEdits = {
  async create(
    db: Db,
    seriesId: string,
    v: {
      label: string;
      key?: string;
      description?: string;
      terms?: string;
      parent?: string;
      labels?: Translations;
      descriptions?: Translations;
    },
  ): Promise<string> {
    const label = v.label.trim();
    if (!label) throw invalid('label_required', 'Give the theme a name.', 'label');
    // The default codebook is stored first, so the new theme joins it rather than replacing it.
    await ensureState(db, seriesId);
    const key = v.key?.trim() || keyFrom(label);
    if (!KEY.test(key))
      throw invalid('bad_key', 'Use lower-case letters, digits and underscores for the short name.', 'key');
    const existing = await allThemes(db, seriesId);
    if (existing.some((t) => t.key === key))
      throw invalid('duplicate_theme', 'A theme with this short name already exists.', 'key');
    if (v.parent && !existing.some((t) => t.key === v.parent && !t.merged_into))
      throw invalid('unknown_parent', 'Choose a theme of this codebook as the parent.', 'parent');
    await db
      .insertInto('wb_theme')
      .values({
        id: newId(),
        series_id: seriesId,
        key,
        label: label.slice(0, 120),
        labels: JSON.stringify(cleanTranslations(v.labels)),
        description: (v.description ?? '').slice(0, 2000),
        descriptions: JSON.stringify(cleanTranslations(v.descriptions)),
        terms: JSON.stringify(parseTerms(v.terms ?? '')),
        parent_key: v.parent || null,
        merged_into: null,
        position: existing.length + 1,
        created_at: new Date().toISOString(),
      })
      .execute();
    await changed(db, seriesId);
    return key;
  },
  async update(
    db: Db,
    seriesId: string,
    key: string,
    v: { label: string; description: string; terms: string },
  ): Promise<void> {
    await themeIn(db, seriesId, key);
    if (!v.label.trim()) throw invalid('label_required', 'Give the theme a name.', 'label');
    await db
      .updateTable('wb_theme')
      .set({
        label: v.label.trim().slice(0, 120),
        description: v.description.slice(0, 2000),
        terms: JSON.stringify(parseTerms(v.terms)),
      })
      .where('series_id', '=', seriesId)
      .where('key', '=', key)
      .execute();
    await changed(db, seriesId);
  },
  /**
   * Sets a theme's label and description in other languages. Coding does not read them, so the
   * codebook version stays and nothing is coded again.
   */
  async translate(
    db: Db,
    seriesId: string,
    key: string,
    v: { labels: Translations; descriptions: Translations },
  ): Promise<void> {
    await themeIn(db, seriesId, key);
    const long = Object.entries(v.labels).find(([, l]) => l.length > 120);
    if (long) throw invalid('label_too_long', 'A theme name has at most 120 characters.', `label_${long[0]}`);
    await db
      .updateTable('wb_theme')
      .set({
        labels: JSON.stringify(cleanTranslations(v.labels)),
        descriptions: JSON.stringify(
          Object.fromEntries(
            Object.entries(cleanTranslations(v.descriptions)).map(([l, d]) => [l, d.slice(0, 2000)]),
          ),
        ),
      })
      .where('series_id', '=', seriesId)
      .where('key', '=', key)
      .execute();
  },
  async merge(db: Db, seriesId: string, from: string, into: string): Promise<void> {
    if (from === into) throw invalid('same_theme', 'Choose two different themes to merge.', 'into');
    const a = await themeIn(db, seriesId, from);
    const b = await themeIn(db, seriesId, into);
    const terms = [...(JSON.parse(b.terms) as unknown[]), ...(JSON.parse(a.terms) as unknown[])];
    await db
      .updateTable('wb_theme')
      .set({ terms: JSON.stringify(terms) })
      .where('id', '=', b.id)
      .execute();
    await db.updateTable('wb_theme').set({ merged_into: into }).where('id', '=', a.id).execute();
    // People's codings follow the theme they were merged into.
    await db
      .updateTable('wb_coding')
      .set({ theme_key: into })
      .where('series_id', '=', seriesId)
      .where('theme_key', '=', from)
      .execute();
    await changed(db, seriesId);
  },
  async split(
    db: Db,
    seriesId: string,
    from: string,
    v: { label: string; key?: string; terms: string; description?: string },
  ): Promise<string> {
    const a = await themeIn(db, seriesId, from);
    const moved = new Set(parseTerms(v.terms).map((t) => t.text.toLowerCase()));
    const keep = (JSON.parse(a.terms) as { text: string; lang?: string }[]).filter(
      (t) => !moved.has(t.text.toLowerCase()),
    );
    const key = await codebookEdits.create(db, seriesId, {
      label: v.label,
      key: v.key,
      terms: v.terms,
      description: v.description,
      parent: a.parent_key ?? undefined,
    });
    await db
      .updateTable('wb_theme')
      .set({ terms: JSON.stringify(keep) })
      .where('id', '=', a.id)
      .execute();
    return key;
  },
};

/**
 * After a POST that changed the data: codes the series (now for small series, as a job for large ones)
 * when units were never coded, the codebook changed since they were, or no current trained engine exists.
 */
export async function ensureFreshLabels(
  db: Kysely<Database>,
  seriesId: string,
  log?: (e: unknown) => void,
): Promise<void> {
  const status = await codingStatus(db, seriesId);
  if (!codingReady(status)) await engineFor(db, seriesId, log);
}

/** Before an export outside the server: pulls live answers and codes what is not coded yet, waiting for it. */
export async function prepareExport(db: Kysely<Database>, seriesId: string): Promise<void> {
  await openWorkbench(db, seriesId);
  const state = await ensureState(db, seriesId);
  const status = await codingStatus(db, seriesId);
  if (!status.uncoded && !status.stale) return;
  // Waits for the coding, here or in whichever process already runs it.
  for (let wait = 250; ; wait = Math.min(2000, wait * 2)) {
    const { jobId } = await codeNow(db, seriesId, state.codebook_version);
    if (!jobId) return;
    const job = await jobOf(db, seriesId, jobId);
    if (job.status === 'failed') throw new Error(`coding the series failed: ${job.error ?? ''}`);
    if (job.status === 'done') return;
    await new Promise((r) => setTimeout(r, wait));
  }
}
