// The console catalogue (the coordinator's pages of a series): edit the JSON files beside this one
// (English is the source).
import { defineCatalogue } from '../../../../lib/i18n.ts';
import ar from './ar.json' with { type: 'json' };
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };
import zh from './zh.json' with { type: 'json' };

export const messages = defineCatalogue('console', { en, ar, de, es, fr, ru, zh });
export type ConsoleT = ReturnType<typeof messages.t>;
