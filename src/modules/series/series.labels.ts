// The one region-label resolution: a region key (kept in URLs, CSV/JSON columns and the API) becomes the
// name a person reads, in their language. A series' region is named by its translation into the reader's
// language, else by the built-in translation when it still has a default region's name, else by its source
// name; a value that is no region of the series is named like a default region, or shown as written
// (a region typed in an imported file).
import type { Db } from '../../db/index.ts';
import { parseTranslations, translate, type Translations } from '../../lib/translations.ts';
import { DEFAULT_REGIONS } from './series.schema.ts';
import { regionsOf } from './series.repository.ts';

const DEFAULTS = new Map(DEFAULT_REGIONS.map((r) => [r.key, r]));

/** A region as stored or presented: its source name and its translations (a JSON text or an object). */
export interface NamedRegion {
  key: string;
  name: string;
  names?: string | Translations | null;
}

/**
 * The translations of a region: its own, over the built-in ones while it keeps a default region's key
 * and English name (a renamed region has only its own).
 */
export function regionTranslations(r: NamedRegion): Translations {
  const own = typeof r.names === 'string' || !r.names ? parseTranslations(r.names) : r.names;
  const d = DEFAULTS.get(r.key);
  return d && d.name === r.name ? { ...d.names, ...own } : own;
}

/** A region's name in a language (its source name when not translated). */
export const regionName = (r: NamedRegion, lang = 'en'): string =>
  translate(r.name, regionTranslations(r), lang);

/** Names regions from a series' regions, in the reader's language, as a function of the region key. */
export function regionNamer(regions: readonly NamedRegion[], lang = 'en'): (key: string) => string {
  const names = new Map(regions.map((r) => [r.key, regionName(r, lang)]));
  return (key) => {
    const own = names.get(key);
    if (own !== undefined) return own;
    const d = DEFAULTS.get(key);
    return d ? regionName(d, lang) : key;
  };
}

/** The region names of a series for a reader's language, as a function of the region key. */
export async function regionLabels(db: Db, seriesId: string, lang = 'en'): Promise<(key: string) => string> {
  return regionNamer(await regionsOf(db, seriesId), lang);
}
