// Labels for people, keys for machines: the one place the workbench turns region, theme and prompt-kind
// keys into what a person reads on a page, in a report or in a snapshot. Keys stay in URLs, CSV/JSON
// columns and the API. Region names come from the series module (its one region-label resolution).
import type { Db } from '../../db/index.ts';
import { parseTranslations, translate, type Translations } from '../../lib/translations.ts';
import { defaultCodebook } from '../analysis/index.ts';
import { regionLabels } from '../series/index.ts';
import { messages } from './messages/index.ts';
import { allThemes } from './workbench.repository.ts';
import type { WbThemeTable } from './workbench.tables.ts';

const DEFAULT_THEMES = new Map(defaultCodebook.themes.map((t) => [t.id, t]));

type ThemeText = Pick<WbThemeTable, 'key' | 'label' | 'labels' | 'description' | 'descriptions'>;

/**
 * A theme's label and description in other languages: its own translations, over the default codebook's
 * while the theme keeps a default theme's key and English label (a renamed theme has only its own).
 */
export function themeTranslations(th: ThemeText): { labels: Translations; descriptions: Translations } {
  const d = DEFAULT_THEMES.get(th.key);
  const same = d && d.label === th.label;
  return {
    labels: { ...(same ? d.labels : {}), ...parseTranslations(th.labels) },
    descriptions: {
      ...(same && d.description === th.description ? d.descriptions : {}),
      ...parseTranslations(th.descriptions),
    },
  };
}

/** A theme's label and description in a language (the source text where not translated). */
export function themeIn(th: ThemeText, lang: string): { label: string; description: string } {
  const tr = themeTranslations(th);
  return {
    label: translate(th.label, tr.labels, lang),
    description: translate(th.description, tr.descriptions, lang),
  };
}

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
  const themeNames = new Map(themes.map((t) => [t.key, themeIn(t, lang).label]));
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
