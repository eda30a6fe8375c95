/**
 * Message catalogues per language with ICU-style plurals through Intl.PluralRules.
 * A module keeps its own catalogue (`{ en: {...}, fr: {...} }`); English is the fallback.
 */
export const SUPPORTED = ['ar', 'zh', 'en', 'fr', 'de', 'ru', 'es'] as const;
export type Lang = (typeof SUPPORTED)[number];

/** A message is text with {name} placeholders, or plural forms keyed by Intl plural category. */
export type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Catalogue = Record<string, Message>;
export type Catalogues = { en: Catalogue } & Partial<Record<string, Catalogue>>;

export const dirOf = (lang: string): 'rtl' | 'ltr' => (/^(ar|he|fa|ur)(-|$)/.test(lang) ? 'rtl' : 'ltr');

/** The best supported language for an Accept-Language header (or an explicit choice). */
export function pickLanguage(
  accept: string | undefined,
  supported: readonly string[] = SUPPORTED,
  fallback = 'en',
): string {
  if (!accept) return fallback;
  const wanted = accept
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((x) => x.tag && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    if (supported.includes(tag)) return tag;
    const base = tag.split('-')[0];
    if (supported.includes(base)) return base;
  }
  return fallback;
}

const pluralCache = new Map<string, Intl.PluralRules>();

/** A translate function for one language: t('answers', { count: 3 }). */
export function translator(catalogues: Catalogues, lang: string) {
  const cat = catalogues[lang] ?? catalogues.en;
  let rules = pluralCache.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralCache.set(lang, rules);
  }
  const pr = rules;
  return (key: string, vars: Record<string, string | number> = {}): string => {
    const msg = cat[key] ?? catalogues.en[key] ?? key;
    let text: string;
    if (typeof msg === 'string') text = msg;
    else {
      const n = Number(vars.count ?? 0);
      text = msg[pr.select(n)] ?? msg.other ?? '';
    }
    return text.replace(/\{(\w+)\}/g, (_, k: string) =>
      vars[k] === undefined
        ? `{${k}}`
        : typeof vars[k] === 'number'
          ? new Intl.NumberFormat(lang).format(vars[k])
          : String(vars[k]),
    );
  };
}
