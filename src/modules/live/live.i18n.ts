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
