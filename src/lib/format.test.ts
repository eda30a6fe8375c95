import { describe, expect, it } from 'vitest';
import { fmt, LOCALES } from './format.ts';
import { SUPPORTED } from './i18n.ts';

// 13:00–14:30 UTC is 21:00–22:30 in Singapore (UTC+8, no daylight saving).
const START = '2026-03-01T13:00:00Z';
const END_SAME_DAY = '2026-03-01T14:30:00Z';
const END_NEXT_DAY = '2026-03-02T14:30:00Z';
const TZ = 'Asia/Singapore';

const weekday = (lang: string, iso: string) =>
  new Intl.DateTimeFormat(LOCALES[lang as keyof typeof LOCALES], { weekday: 'short', timeZone: TZ }).format(
    new Date(iso),
  );

const twelveHour = { ar: true, en: true, zh: false, fr: false, de: false, ru: false, es: false } as const;

describe('time ranges in each language', () => {
  for (const lang of SUPPORTED) {
    const f = fmt(lang);
    it(`${lang}: a range within a day shows the date once and the zone once, after the times`, () => {
      const text = f.range(START, END_SAME_DAY, TZ);
      const zone = f.zone(START, TZ);
      expect(text.endsWith(`(${zone})`)).toBe(true);
      expect(text.split(zone).length).toBe(2); // the zone appears exactly once
      expect(text.split(weekday(lang, START)).length).toBe(2); // the date appears exactly once
      expect(text).not.toMatch(/[–-]\s*(GMT|UTC)/); // never "21:00 – GMT+8 22:30"
    });

    it(`${lang}: a range across days shows both dates and the zone once`, () => {
      const text = f.range(START, END_NEXT_DAY, TZ);
      expect(text).toContain(weekday(lang, START));
      expect(text).toContain(weekday(lang, END_NEXT_DAY));
      expect(text.indexOf(weekday(lang, START))).toBeLessThan(text.indexOf(weekday(lang, END_NEXT_DAY)));
      expect(text.split(f.zone(START, TZ)).length).toBe(2);
    });

    it(`${lang}: uses the ${twelveHour[lang] ? '12' : '24'}-hour convention everywhere`, () => {
      const times = [
        f.time(START, TZ),
        f.timeRange(START, END_SAME_DAY, TZ),
        f.range(START, END_SAME_DAY, TZ),
        f.dateTime(START, TZ),
      ];
      for (const t of times) {
        if (twelveHour[lang]) expect(t).not.toMatch(/21[:.]00/);
        else expect(t).toMatch(/21[:.]00/);
      }
      if (twelveHour[lang]) expect(f.time(START, TZ)).toMatch(/9[:.]00/);
    });
  }

  it('zh puts the zone after the range, not between its ends', () => {
    expect(fmt('zh').range(START, END_SAME_DAY, TZ)).toMatch(/21:00–22:30 \(GMT\+8\)$/);
    expect(fmt('zh').dateTime(START, TZ)).toMatch(/21:00 \(GMT\+8\)$/);
  });

  it('en and ar read 12-hour times with their own day-period words', () => {
    expect(fmt('en').time(START, TZ)).toMatch(/^9:00\spm$/i);
    expect(fmt('ar').time(START, TZ)).toContain('م');
  });

  it('numbers follow the language', () => {
    expect(fmt('de').number(1234.5)).toBe('1.234,5');
    expect(fmt('fr').number(1234.5).replace(/\s/g, ' ')).toBe('1 234,5');
    expect(fmt('en').number(1234.5)).toBe('1,234.5');
  });

  it('an unsupported language falls back to English', () => {
    expect(fmt('pt-BR').lang).toBe('en');
  });
});
