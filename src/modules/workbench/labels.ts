// Labels for people, keys for machines: the one place the workbench turns region, theme and prompt-kind
// keys into what a person reads on a page, in a report or in a snapshot. Keys stay in URLs, CSV/JSON
// columns and the API. Region names come from the series module (its one region-label resolution).
import type { Db } from '../../db/index.ts';
import { regionLabels } from '../series/index.ts';
import { messages } from './messages/index.ts';
import { allThemes } from './workbench.repository.ts';

const KIND_LABELS: Record<string, string> = {
  best_practice: 'Best practices',
  recommendation: 'Recommendations',
  need: 'Needs',
  all: 'All responses',
};

/** A prompt kind as people read it. */
export const kindLabel = (k: string): string =>
  KIND_LABELS[k] ?? (k.charAt(0).toUpperCase() + k.slice(1)).replace(/_/g, ' ');

const KIND_KEYS = {
  best_practice: 'kind.best_practice',
  recommendation: 'kind.recommendation',
  need: 'kind.need',
  all: 'kind.all',
} as const;

/** A prompt kind in the reader's language (an unknown kind falls back to its English form). */
export function kindLabelIn(lang: string): (k: string) => string {
  const t = messages.t(lang);
  return (k) => (k in KIND_KEYS ? t(KIND_KEYS[k as keyof typeof KIND_KEYS]) : kindLabel(k));
}

/** The names people read for a series' regions, themes and prompt kinds. */
export interface Labels {
  region: (key: string) => string;
  theme: (key: string) => string;
  kind: (key: string) => string;
}

/** The labels of one series for a reader's language. */
export async function workbenchLabels(db: Db, seriesId: string, lang = 'en'): Promise<Labels> {
  const [region, themes] = await Promise.all([regionLabels(db, seriesId, lang), allThemes(db, seriesId)]);
  const themeNames = new Map(themes.map((t) => [t.key, t.label]));
  const noRegion = messages.t(lang)('region.none');
  return {
    region: (k) => (k === '(none)' ? noRegion : region(k)),
    theme: (k) => themeNames.get(k) ?? k,
    kind: lang === 'en' ? kindLabel : kindLabelIn(lang),
  };
}

/** The labels of the given region keys, for storing beside keys in a snapshot. */
export function labelMap(keys: Iterable<string>, label: (key: string) => string): Record<string, string> {
  return Object.fromEntries([...new Set(keys)].map((k) => [k, label(k)]));
}
