import { SUPPORTED, type Catalogues } from '../../lib/i18n.ts';
import { messages } from './messages/index.ts';

/** @deprecated The live catalogue as legacy tables, for the console until it uses `messages` directly. */
export const LIVE_MESSAGES = Object.fromEntries(
  SUPPORTED.map((l) => [l, messages.table(l)]),
) as unknown as Catalogues;
/** The attendee and presenter UI in the seven languages of the series. */
export const LANGUAGE_NAMES: Record<string, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  ru: 'Русский',
  es: 'Español',
};
