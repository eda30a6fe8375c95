import type { Db } from '../../db/index.ts';
import { notFound } from '../../lib/errors.ts';
import { html, type Html } from '../../lib/html.ts';
import { newId } from '../../lib/ids.ts';
import { fmt } from '../../lib/format.ts';
import { messages } from './messages/index.ts';

export interface SnapshotQuote {
  id: string;
  text: string;
  group: string;
  /** Set when the quote was removed at the request of the person who said it. */
  erased?: boolean;
}
export interface SnapshotFinding {
  kind: string;
  text: string;
  quotes: SnapshotQuote[];
}
export interface SnapshotTheme {
  id: string;
  label: string;
  count: number;
  share: number;
  low: number;
  high: number;
}
export interface SnapshotResult {
  findings: SnapshotFinding[];
  kinds: Record<string, { themes: SnapshotTheme[] }>;
  /** The names people read for the group keys of the quotes (regions), frozen with the snapshot. */
  groupLabels?: Record<string, string>;
}
export interface SnapshotInput {
  seriesId: string;
  title: string;
  params?: Record<string, unknown>;
  engineVersion: string;
  result: SnapshotResult;
  createdAt?: string;
}
export interface Snapshot {
  id: string;
  seriesId: string;
  title: string;
  createdAt: string;
  engineVersion: string;
  params: Record<string, unknown>;
  result: SnapshotResult;
}

/** Freezes an analysis result so a post or a congress session can show it exactly as published. */
export async function createSnapshot(db: Db, input: SnapshotInput): Promise<string> {
  const id = newId();
  await db
    .insertInto('snapshot')
    .values({
      id,
      series_id: input.seriesId,
      created_at: input.createdAt ?? new Date().toISOString(),
      title: input.title,
      params: JSON.stringify(input.params ?? {}),
      engine_version: input.engineVersion,
      result: JSON.stringify(input.result),
    })
    .execute();
  return id;
}

/** Removes the words of these units from every snapshot quoting them; the quote says it was removed. */
export async function eraseQuotes(db: Db, unitIds: readonly string[]): Promise<number> {
  if (!unitIds.length) return 0;
  const gone = new Set(unitIds);
  // Snapshots are few and small; the quote ids live inside their JSON, so each is read and rewritten.
  const rows = await db.selectFrom('snapshot').select(['id', 'result']).execute();
  let changed = 0;
  for (const r of rows) {
    const result = JSON.parse(r.result) as SnapshotResult;
    let hit = false;
    for (const f of result.findings ?? [])
      f.quotes = f.quotes.map((q) => {
        if (!gone.has(q.id)) return q;
        hit = true;
        return { id: q.id, text: '', group: '', erased: true };
      });
    if (!hit) continue;
    changed++;
    await db
      .updateTable('snapshot')
      .set({ result: JSON.stringify(result) })
      .where('id', '=', r.id)
      .execute();
  }
  return changed;
}

/** One snapshot, or null. */
export async function findSnapshot(db: Db, id: string): Promise<Snapshot | null> {
  const r = await db.selectFrom('snapshot').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return null;
  return {
    id: r.id,
    seriesId: r.series_id,
    title: r.title,
    createdAt: r.created_at,
    engineVersion: r.engine_version,
    params: JSON.parse(r.params) as Record<string, unknown>,
    result: JSON.parse(r.result) as SnapshotResult,
  };
}

/** The snapshots of a series, newest first (for the post and congress forms). */
export async function listSnapshots(
  db: Db,
  seriesId: string,
): Promise<{ id: string; title: string; createdAt: string }[]> {
  const rows = await db
    .selectFrom('snapshot')
    .select(['id', 'title', 'created_at'])
    .where('series_id', '=', seriesId)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, createdAt: r.created_at }));
}

/** Throws 404 unless the snapshot exists and belongs to the series. */
export async function requireSnapshotInSeries(db: Db, id: string, seriesId: string): Promise<void> {
  const s = await db.selectFrom('snapshot').select('series_id').where('id', '=', id).executeTakeFirst();
  if (!s || s.series_id !== seriesId) throw notFound('This snapshot', 'snapshotId');
}

const KIND_LABELS: Record<string, string> = {
  best_practice: 'Best practices',
  recommendation: 'Recommendations',
  need: 'Needs',
};
export const kindLabel = (k: string) => KIND_LABELS[k] ?? k.replace(/_/g, ' ');

/** A prompt kind in a reader's language (an unknown kind keeps its English form). */
const kindIn = (lang: string, k: string) => messages.lookup(lang, `snapshot.kind.${k}`) ?? kindLabel(k);

/** A horizontal bar chart as inline SVG with a text alternative (title + desc + a table beside it). */
export function barChart(kind: string, themes: SnapshotTheme[], idPrefix: string, lang = 'en'): Html {
  const t = messages.t(lang);
  const f = fmt(lang);
  const pct = (x: number) => f.percent(x);
  const kindName = kindIn(lang, kind);
  const rows = themes.slice(0, 8);
  const W = 560;
  const labelW = 210;
  const barMax = W - labelW - 60;
  const rowH = 28;
  const H = rows.length * rowH + 10;
  const titleId = `${idPrefix}-t`;
  const descId = `${idPrefix}-d`;
  const desc = rows
    .map((r) => t('snapshot.chartBar', { label: r.label, count: r.count, share: pct(r.share) }))
    .join('; ');
  return html`<figure class="chart">
<svg role="img" aria-labelledby="${titleId} ${descId}" viewBox="0 0 ${W} ${H}" width="100%" style="max-width:${W}px" xmlns="http://www.w3.org/2000/svg">
<title id="${titleId}">${t('snapshot.chartTitle', { kind: kindName })}</title>
<desc id="${descId}">${desc}</desc>
${rows.map((r, i) => {
  const y = 5 + i * rowH;
  const w = Math.max(2, Math.round(barMax * Math.min(1, r.share)));
  const lo = Math.round(barMax * Math.max(0, Math.min(1, r.low)));
  const hi = Math.round(barMax * Math.max(0, Math.min(1, r.high)));
  return html`<g><text x="${labelW - 8}" y="${y + 18}" text-anchor="end" font-size="13" fill="#1b1f24">${r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label}</text>
<rect x="${labelW}" y="${y + 4}" width="${w}" height="18" fill="#0b5cad"></rect>
${hi > lo ? html`<line x1="${labelW + lo}" x2="${labelW + hi}" y1="${y + 13}" y2="${y + 13}" stroke="#1b1f24" stroke-width="1.5"></line>` : ''}
<text x="${labelW + Math.max(w, hi) + 6}" y="${y + 18}" font-size="13" fill="#1b1f24">${pct(r.share)} (${f.number(r.count)})</text></g>`;
})}
</svg>
<figcaption>${t('snapshot.chartCaption', { kind: kindName })}</figcaption>
</figure>`;
}

/** The findings of a snapshot, frozen: sentences, one chart per kind, and the quotes behind them. */
export function renderSnapshot(s: Snapshot, lang = 'en'): Html {
  const t = messages.t(lang);
  const kinds = s.result.kinds ?? {};
  const findings = s.result.findings ?? [];
  const charted = new Set<string>();
  const chartOf = (kind: string, i: number) => {
    if (charted.has(kind) || !kinds[kind]?.themes.length) return '';
    charted.add(kind);
    return barChart(kind, kinds[kind].themes, `chart-${s.id.slice(-8)}-${i}`, lang);
  };
  const rest = Object.keys(kinds).filter((k) => !findings.some((f) => f.kind === k));
  return html`<section class="findings card" aria-labelledby="snap-${s.id}">
<h2 id="snap-${s.id}">${t('snapshot.heading')} <span data-user-content>${s.title}</span></h2>
<p class="muted">${t('snapshot.frozen', { date: fmt(lang).date(s.createdAt), engine: s.engineVersion })}</p>
${findings.map(
  (f, i) => html`<div class="finding"><h3>${kindIn(lang, f.kind)}</h3><p data-user-content>${f.text}</p>
${chartOf(f.kind, i)}
${f.quotes.length ? html`<ul class="quotes" aria-label="${t('snapshot.quotes')}">${f.quotes.map((q) => (q.erased ? html`<li class="muted"><em>${t('snapshot.erased')}</em></li>` : html`<li><blockquote>“${q.text}”</blockquote><span class="muted">${s.result.groupLabels?.[q.group] ?? q.group}</span></li>`))}</ul>` : ''}</div>`,
)}
${rest.map((k, i) => chartOf(k, findings.length + i))}
</section>`;
}
