import { describe, expect, it } from 'vitest';
import { SUPPORTED } from '../../lib/i18n.ts';
import { CONSOLE_MESSAGES } from './live.console.i18n.ts';
import { LIVE_MESSAGES } from './live.i18n.ts';

describe('messages of the live room', () => {
  for (const [name, catalogue] of Object.entries({ console: CONSOLE_MESSAGES, attendee: LIVE_MESSAGES }))
    for (const lang of SUPPORTED)
      it(`has every ${name} message in ${lang}, with every plural form the language uses`, () => {
        const mine = catalogue[lang];
        expect(mine, lang).toBeDefined();
        const missing = Object.keys(catalogue.en).filter((k) => !mine?.[k]);
        expect(missing).toEqual([]);
        const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
        for (const [key, msg] of Object.entries(mine!))
          if (typeof msg !== 'string')
            for (const f of forms)
              expect(msg[f] ?? (f === 'other' ? undefined : msg.other), `${key}.${f}`).toBeTruthy();
        // Placeholders must survive translation, or a count or title silently disappears.
        for (const [key, msg] of Object.entries(catalogue.en)) {
          const names = (m: unknown) => [...JSON.stringify(m).matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();
          const en = [...new Set(names(msg))];
          expect([...new Set(names(mine![key]))], `${lang}.${key}`).toEqual(
            expect.arrayContaining(en.filter((n) => n !== 'count')),
          );
        }
      });
});
