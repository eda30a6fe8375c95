// Units from the live conversations of a series: every visible open-text answer with its context.
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { bumpData, insertItems, type ItemInsert } from './workbench.repository.ts';
import { answersForAnalysis } from '../live/index.ts';
import { eraseItems, type ErasureMode } from './privacy.ts';

/** Adds attendee attributes (e.g. from registration) keyed by registration id. */
export type AttributeProvider = (db: Db, seriesId: string) => Promise<Map<string, Record<string, unknown>>>;

/**
 * Providers of registration attributes; the registration module pushes
 * `registrationAttributes` here when it exists, so the join tolerates it missing.
 */
export const attributeProviders: AttributeProvider[] = [];

const str = (v: unknown): string | null =>
  typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null;

/** The series' live source row (created on first use). */
export async function liveSource(db: Db, seriesId: string): Promise<string> {
  const s = await db
    .selectFrom('wb_source')
    .select('id')
    .where('series_id', '=', seriesId)
    .where('kind', '=', 'live')
    .executeTakeFirst();
  if (s) return s.id;
  const id = newId();
  await db
    .insertInto('wb_source')
    .values({
      id,
      series_id: seriesId,
      kind: 'live',
      name: 'Live conversations',
      metadata: '{}',
      created_at: new Date().toISOString(),
    })
    .execute();
  return id;
}

/**
 * Removes the workbench's copies of these live answers (and, by cascade, their codings), their texts in
 * the stored inputs of snapshots, and the quotes of them that snapshots (and so posts) show (eraseItems).
 */
export async function eraseCopiesOfAnswers(
  db: Db,
  answerIds: readonly string[],
  mode: ErasureMode = 'delete',
): Promise<void> {
  if (!answerIds.length) return;
  const items = await db
    .selectFrom('wb_item')
    .select(['id', 'series_id'])
    .where('external_id', 'in', answerIds)
    .execute();
  await eraseItems(db, items, mode);
}

/** Pulls new live answers into the workbench; returns how many units were added. */
export async function refreshFromLive(db: Db, seriesId: string): Promise<number> {
  const sourceId = await liveSource(db, seriesId);
  const rows = await answersForAnalysis(db, seriesId);
  if (rows.length === 0) return 0;
  const known = new Set(
    (await db.selectFrom('wb_item').select('external_id').where('source_id', '=', sourceId).execute()).map(
      (r) => r.external_id,
    ),
  );
  const fresh = rows.filter((r) => !known.has(r.id));
  if (fresh.length === 0) return 0;
  const extra = new Map<string, Record<string, unknown>>();
  for (const provide of attributeProviders) {
    for (const [k, v] of await provide(db, seriesId)) extra.set(k, { ...(extra.get(k) ?? {}), ...v });
  }
  const items: ItemInsert[] = fresh.map((r) => {
    let attrs = r.attributes;
    if (r.registrationId && extra.has(r.registrationId)) attrs = { ...attrs, ...extra.get(r.registrationId) };
    const careerStage = str(attrs.career_stage);
    // Only attributes marked for analysis travel with the copy (never names, e-mails or free text).
    const groups: Record<string, unknown> = {
      ...attrs,
      session_id: r.sessionId,
      prompt_id: r.promptId,
      // A pseudonym, so REFI-QDA Cases group one person's answers (see export.qda.ts).
      ...(r.participantKey ? { participant: r.participantKey } : {}),
    };
    return {
      series_id: seriesId,
      source_id: sourceId,
      external_id: r.id,
      text: r.text,
      region: r.regionKey,
      session: r.sessionTitle,
      prompt_kind: r.promptKind,
      language: r.language || null,
      career_stage: careerStage,
      speaker: null,
      submitted_at: r.createdAt,
      groups: JSON.stringify(groups),
    };
  });
  const added = await insertItems(db, items);
  await db
    .updateTable('wb_state')
    .set({ live_refreshed_at: new Date().toISOString() })
    .where('series_id', '=', seriesId)
    .execute();
  if (added) await bumpData(db, seriesId);
  return added;
}
