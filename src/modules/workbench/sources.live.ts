// Units from the live conversations of a series: every visible open-text answer with its context.
import type { Db } from '../../db/index.ts';
import { newId } from '../../lib/ids.ts';
import { bumpData, insertItems, type ItemInsert } from './workbench.repository.ts';
import '../live/live.tables.ts';

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

/** Pulls new live answers into the workbench; returns how many units were added. */
export async function refreshFromLive(db: Db, seriesId: string): Promise<number> {
  const sourceId = await liveSource(db, seriesId);
  const rows = await db
    .selectFrom('live_response as r')
    .innerJoin('live_prompt as p', 'p.id', 'r.prompt_id')
    .innerJoin('session as s', 's.id', 'r.session_id')
    .leftJoin('region as g', 'g.id', 's.region_id')
    .leftJoin('live_participant as a', 'a.id', 'r.participant_id')
    .select([
      'r.id',
      'r.text',
      'r.language',
      'r.created_at',
      'r.session_id',
      'p.kind',
      'p.id as prompt_id',
      's.title as session_title',
      'g.key as region',
      'a.attributes',
      'a.registration_id',
    ])
    .where('p.series_id', '=', seriesId)
    .where('p.type', '=', 'open_text')
    .where('r.status', '=', 'visible')
    .where('r.text', 'is not', null)
    .execute();
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
    let attrs: Record<string, unknown> = {};
    try {
      attrs = r.attributes ? (JSON.parse(r.attributes) as Record<string, unknown>) : {};
    } catch {
      attrs = {};
    }
    if (r.registration_id && extra.has(r.registration_id))
      attrs = { ...attrs, ...extra.get(r.registration_id) };
    const careerStage = str(attrs.career_stage) ?? str(attrs.careerStage);
    const groups: Record<string, unknown> = { ...attrs, session_id: r.session_id, prompt_id: r.prompt_id };
    return {
      series_id: seriesId,
      source_id: sourceId,
      external_id: r.id,
      text: r.text ?? '',
      region: r.region ?? null,
      session: r.session_title,
      prompt_kind: r.kind,
      language: r.language || null,
      career_stage: careerStage,
      speaker: null,
      submitted_at: r.created_at,
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
