/**
 * Numbers, dates, times and time ranges for a reader's language, through Intl only.
 *
 * One convention per page: every time on a page comes from the same `fmt(lang)`, which uses the
 * language's own hour cycle (12-hour in English and Arabic, 24-hour in the others), so a page
 * never mixes "9:00 PM" with "21:00". Ranges go through Intl's formatRange and put the zone once,
 * after the range ("21:00–22:30 (GMT+8)"), never inside it ("21:00 – GMT+8 22:30").
 */
import { toLang, type Lang } from './i18n.ts';
import { envLimit, Lru } from './lru.ts';
import { formatter } from './time.ts';

/** The Intl locale used for each language (English uses the UK forms: "Sun 1 Mar 2026"). */
export const LOCALES: Record<Lang, string> = {
  ar: 'ar',
  zh: 'zh-CN',
  en: 'en-GB',
  fr: 'fr',
  de: 'de',
  ru: 'ru',
  es: 'es',
};

/** The language's own hour cycle: 12-hour in English (as most English readers expect) and Arabic. */
export const HOUR_CYCLE: Record<Lang, 'h12' | 'h23'> = {
  ar: 'h12',
  zh: 'h23',
  en: 'h12',
  fr: 'h23',
  de: 'h23',
  ru: 'h23',
  es: 'h23',
};

const DATE: Intl.DateTimeFormatOptions = {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
};
const TIME = (lang: Lang): Intl.DateTimeFormatOptions => ({
  hour: 'numeric',
  minute: '2-digit',
  hourCycle: HOUR_CYCLE[lang],
});

const numberFmt = new Map<string, Intl.NumberFormat>();
const listFmt = new Map<string, Intl.ListFormat>();
const relativeFmt = new Map<string, Intl.RelativeTimeFormat>();
const asDate = (d: Date | string | number) => (d instanceof Date ? d : new Date(d));
const ms = (d: Date | string | number) => asDate(d).getTime();

// Formatted instants, by kind, locale, zone and instant. Intl's formatting (formatRange above all) was
// most of an uncached public series page's CPU time: six sessions each show their time in the reader's,
// the organiser's and 21 cities' zones, the same strings on every request. Bounded like every cache.
const formatted = new Lru<string, string>(envLimit('FORMAT_CACHE_ENTRIES', 20_000));
function remember(key: string, make: () => string): string {
  let text = formatted.get(key);
  if (text === undefined) {
    text = make();
    formatted.set(key, text);
  }
  return text;
}

/** The formatting helpers for one language; `tz` is the IANA zone times are shown in. */
export function fmt(langIn: string | undefined) {
  const lang = toLang(langIn);
  const locale = LOCALES[lang];
  const nf = (opts: Intl.NumberFormatOptions = {}) => {
    const key = `${locale}|${JSON.stringify(opts)}`;
    let f = numberFmt.get(key);
    if (!f) {
      f = new Intl.NumberFormat(locale, opts);
      numberFmt.set(key, f);
    }
    return f;
  };
  const zoneName = (d: Date, tz: string) =>
    remember(
      `z|${locale}|${tz}|${d.getTime()}`,
      () =>
        formatter(locale, tz, { timeZoneName: 'short' })
          .formatToParts(d)
          .find((p) => p.type === 'timeZoneName')?.value ?? tz,
    );

  return {
    lang,
    locale,
    /** 1,234.5 / 1 234,5 / 1.234,5 as the language writes it. */
    number: (n: number, opts?: Intl.NumberFormatOptions) => nf(opts).format(n),
    /** A share (0.42 → "42%"). */
    percent: (share: number, digits = 0) =>
      nf({ style: 'percent', maximumFractionDigits: digits }).format(share),
    /** "Sun 1 Mar 2026" in the zone. */
    date: (d: Date | string | number, tz = 'UTC') =>
      remember(`d|${locale}|${tz}|${ms(d)}`, () => formatter(locale, tz, DATE).format(asDate(d))),
    /** "9:00 PM" or "21:00", by the language's convention. */
    time: (d: Date | string | number, tz = 'UTC') =>
      remember(`t|${locale}|${tz}|${ms(d)}`, () => formatter(locale, tz, TIME(lang)).format(asDate(d))),
    /** Date and time, the zone after it: "Sun 1 Mar 2026, 9:00 pm (GMT+8)" (never inside, as zh would). */
    dateTime: (d: Date | string | number, tz = 'UTC', opts: { zone?: boolean } = {}) => {
      const text = remember(`dt|${locale}|${tz}|${ms(d)}`, () =>
        formatter(locale, tz, { ...DATE, ...TIME(lang) }).format(asDate(d)),
      );
      return opts.zone === false ? text : `${text} (${zoneName(asDate(d), tz)})`;
    },
    /** The zone's short name at an instant ("GMT+8", "UTC+8", "غرينتش+8"). */
    zone: (d: Date | string | number, tz: string) => zoneName(asDate(d), tz),
    /**
     * A time range: the date once when both ends fall on the same day in the zone, the zone once at
     * the end. "Sun 1 Mar 2026, 9:00 – 10:30 PM (GMT+8)"; across days both dates are shown.
     */
    range: (
      start: Date | string | number,
      end: Date | string | number,
      tz = 'UTC',
      opts: { zone?: boolean } = {},
    ) => {
      const s = asDate(start);
      const e = asDate(end);
      const text = remember(`r|${locale}|${tz}|${s.getTime()}|${e.getTime()}`, () =>
        formatter(locale, tz, { ...DATE, ...TIME(lang) }).formatRange(s, e.getTime() < s.getTime() ? s : e),
      );
      return opts.zone === false ? text : `${text} (${zoneName(s, tz)})`;
    },
    /** Only the times of a range ("21:00–22:30"), for lists grouped under a date heading. */
    timeRange: (start: Date | string | number, end: Date | string | number, tz = 'UTC') =>
      remember(`tr|${locale}|${tz}|${ms(start)}|${ms(end)}`, () =>
        formatter(locale, tz, TIME(lang)).formatRange(asDate(start), asDate(end)),
      ),
    /** "in 3 hours", "2 days ago". */
    relative: (value: number, unit: Intl.RelativeTimeFormatUnit) => {
      let f = relativeFmt.get(locale);
      if (!f) relativeFmt.set(locale, (f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })));
      return f.format(value, unit);
    },
    /** "a, b and c" in the language. */
    list: (items: string[]) => {
      let f = listFmt.get(locale);
      if (!f) listFmt.set(locale, (f = new Intl.ListFormat(locale, { type: 'conjunction' })));
      return f.format(items);
    },
  };
}

export type Fmt = ReturnType<typeof fmt>;
