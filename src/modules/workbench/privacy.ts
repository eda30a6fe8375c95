// A person's words in the workbench: erasing units (with their texts in snapshot inputs and the quotes
// snapshots show), and finding the imported rows that name a person, for their export and erasure.
import type { Db } from '../../db/index.ts';
import { eraseQuotes } from '../publishing/index.ts';
import { eraseEngineStates } from './engine.ts';
import { eraseExportsOfSeries } from './export.job.ts';

/** Who a data request is about: the address, and the names they registered with. */
export interface PersonRef {
  email: string;
  names: readonly string[];
}

/** How a person asked to be erased: everything deleted, or kept for analysis without them. */
export type ErasureMode = 'delete' | 'anonymise';

// What a snapshot's stored unit keeps after its person's erasure: enough to count it under its theme,
// region and kind (the published figures do not change). Deleting also drops its time, session,
// language and career stage, which with other data could point back at the person; anonymising keeps
// them for analysis, as the anonymised registration keeps its choices.
const KEPT_WHEN_DELETED = new Set(['id', 'labels', 'coding', 'group', 'kind']);

/**
 * Removes these units (and, by cascade, their codings), their texts (and, deleting, their other
 * attributes) in the stored inputs of snapshots, and the quotes of them that snapshots (and so posts)
 * show; a saved engine is retrained without them, and the series' stored export files are deleted.
 */
export async function eraseItems(
  db: Db,
  items: readonly { id: string; series_id: string }[],
  mode: ErasureMode = 'delete',
): Promise<void> {
  if (!items.length) return;
  const ids = new Set(items.map((i) => i.id));
  const series = [...new Set(items.map((i) => i.series_id))];
  for (const seriesId of series) {
    const inputs = await db
      .selectFrom('wb_snapshot_input')
      .select(['snapshot_id', 'labels'])
      .where('series_id', '=', seriesId)
      .execute();
    for (const input of inputs) {
      const stored = JSON.parse(input.labels) as {
        rows: ({ id: string; text: string } & Record<string, unknown>)[];
      };
      if (!stored.rows.some((r) => ids.has(r.id))) continue;
      // The unit stays counted (the published figures do not change); its words are gone.
      stored.rows = stored.rows.map((r) => {
        if (!ids.has(r.id)) return r;
        if (mode === 'anonymise') return { ...r, text: '' };
        // Blank rather than missing, as a stored row has them (a compare row's types).
        return {
          ...Object.fromEntries(Object.entries(r).filter(([k]) => KEPT_WHEN_DELETED.has(k))),
          id: r.id,
          text: '',
          session: '',
          careerStage: '',
          language: '',
        };
      });
      await db
        .updateTable('wb_snapshot_input')
        .set({ labels: JSON.stringify(stored) })
        .where('snapshot_id', '=', input.snapshot_id)
        .execute();
    }
  }
  await eraseQuotes(db, [...ids]);
  await db
    .deleteFrom('wb_item')
    .where('id', 'in', [...ids])
    .execute();
  // A saved engine keeps the words it learnt from: it is retrained without them.
  await eraseEngineStates(db, series);
  // Stored export files hold them too: they go (asking again builds them without these words).
  await eraseExportsOfSeries(db, series);
}

// LIKE wildcards and PostgreSQL's escape character become "any one character": a wider first pass.
const likeOf = (s: string) => `%${s.replace(/[%_\\]/g, '_')}%`;
const folded = (s: string) => s.trim().toLowerCase();

/**
 * The imported units that name this person: their address anywhere in the row or the text, or one of
 * their names as the speaker or as a whole cell. Units from live answers are found by answer instead.
 */
async function itemsNaming(db: Db, person: PersonRef, seriesId?: string) {
  const email = folded(person.email);
  // A name of one or two letters would match too much to say it is this person.
  const names = [...new Set(person.names.map(folded).filter((n) => n.length >= 3))];
  if (!email && !names.length) return [];
  const needles = [email, ...names].filter(Boolean);
  let q = db
    .selectFrom('wb_item')
    .innerJoin('wb_source', 'wb_source.id', 'wb_item.source_id')
    .select([
      'wb_item.id',
      'wb_item.series_id',
      'wb_item.external_id',
      'wb_item.text',
      'wb_item.speaker',
      'wb_item.groups',
      'wb_item.submitted_at',
      'wb_source.name as source_name',
    ])
    .where('wb_source.kind', '!=', 'live')
    .where((eb) =>
      eb.or(
        needles.flatMap((n) => [
          eb(eb.fn('lower', ['wb_item.groups']), 'like', likeOf(n)),
          eb(eb.fn('lower', ['wb_item.speaker']), 'like', likeOf(n)),
          eb(eb.fn('lower', ['wb_item.text']), 'like', likeOf(n)),
        ]),
      ),
    );
  if (seriesId) q = q.where('wb_item.series_id', '=', seriesId);
  const rows = await q.execute();
  return rows.filter((r) => {
    if (email && (folded(r.groups).includes(email) || folded(r.text).includes(email))) return true;
    const cells = Object.values(JSON.parse(r.groups) as Record<string, unknown>)
      .filter((v): v is string => typeof v === 'string')
      .map(folded);
    return names.some((n) => folded(r.speaker ?? '') === n || cells.includes(n));
  });
}

/** A person's export: the imported rows that name them, as imported. */
export async function exportImportsNaming(db: Db, person: PersonRef) {
  return (await itemsNaming(db, person)).map((r) => ({
    seriesId: r.series_id,
    source: r.source_name,
    id: r.external_id,
    text: r.text,
    speaker: r.speaker,
    row: JSON.parse(r.groups) as unknown,
    submittedAt: r.submitted_at,
  }));
}

/**
 * Erasure (either mode): the imported rows that name the person go, with their quotes and snapshot
 * texts; what they said cannot be told apart from who said it, so nothing of the row is kept. With a
 * series (the retention purge of that series), only its rows.
 */
export async function eraseImportsNaming(
  db: Db,
  person: PersonRef,
  mode: ErasureMode,
  seriesId?: string,
): Promise<number> {
  const items = await itemsNaming(db, person, seriesId);
  await eraseItems(db, items, mode);
  return items.length;
}
