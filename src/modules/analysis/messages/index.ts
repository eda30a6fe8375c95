// The finding sentences in the seven languages: edit the JSON files beside this one (English is the
// source). Nouns are stored in the form the sentences need (French after "les", Russian genitive after
// "среди", German dative after "bei den"), so no sentence inflects a label; groups and themes are labels
// passed in by the caller, never keys. JSON modules keep the analysis engine free of I/O.
import { defineCatalogue } from '../../../lib/i18n.ts';
import ar from './ar.json' with { type: 'json' };
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import es from './es.json' with { type: 'json' };
import fr from './fr.json' with { type: 'json' };
import ru from './ru.json' with { type: 'json' };
import zh from './zh.json' with { type: 'json' };

export const messages = defineCatalogue('analysis', { en, ar, de, es, fr, ru, zh });
