/** What the engine knows about one language: its script, stemmer, stop-word list and trigram model. */
export interface LanguageInfo {
  code: string;
  name: string;
  script: 'Arab' | 'Hani' | 'Latn' | 'Cyrl' | 'Armn' | 'Taml';
  /** snowball-stemmers algorithm, when there is one. */
  stemmer?: string;
  /** key of the `stopword` package list. */
  stopwords?: string;
  /** ISO 639-3 code of the franc-min trigram model, when franc knows the language. */
  franc?: string;
}

const L = (
  code: string,
  name: string,
  script: LanguageInfo['script'],
  stemmer?: string,
  stopwords?: string,
  franc?: string,
): LanguageInfo => ({ code, name, script, stemmer, stopwords, franc });

/** Every language the engine can analyse: the attendee UI's seven, Portuguese, and the stemmer's others. */
export const LANGUAGES: readonly LanguageInfo[] = [
  L('ar', 'Arabic', 'Arab', 'arabic', 'ara', 'arb'),
  L('zh', 'Chinese', 'Hani', undefined, 'zho'),
  L('en', 'English', 'Latn', 'english', 'eng', 'eng'),
  L('fr', 'French', 'Latn', 'french', 'fra', 'fra'),
  L('de', 'German', 'Latn', 'german', 'deu', 'deu'),
  L('ru', 'Russian', 'Cyrl', 'russian', 'rus', 'rus'),
  L('es', 'Spanish', 'Latn', 'spanish', 'spa', 'spa'),
  L('pt', 'Portuguese', 'Latn', 'portuguese', 'por', 'por'),
  L('it', 'Italian', 'Latn', 'italian', 'ita', 'ita'),
  L('nl', 'Dutch', 'Latn', 'dutch', 'nld', 'nld'),
  L('ca', 'Catalan', 'Latn', 'catalan', 'cat'),
  L('cs', 'Czech', 'Latn', 'czech', 'ces', 'ces'),
  L('da', 'Danish', 'Latn', 'danish', 'dan'),
  L('fi', 'Finnish', 'Latn', 'finnish', 'fin'),
  L('hu', 'Hungarian', 'Latn', 'hungarian', 'hun', 'hun'),
  L('ga', 'Irish', 'Latn', 'irish', 'gle'),
  L('nb', 'Norwegian', 'Latn', 'norwegian', 'nob'),
  L('ro', 'Romanian', 'Latn', 'romanian', 'ron', 'ron'),
  L('sl', 'Slovene', 'Latn', 'slovene', 'slv'),
  L('sv', 'Swedish', 'Latn', 'swedish', 'swe', 'swe'),
  L('tr', 'Turkish', 'Latn', 'turkish', 'tur', 'tur'),
  L('eu', 'Basque', 'Latn', 'basque', 'eus'),
  L('hy', 'Armenian', 'Armn', 'armenian', 'hye'),
  L('ta', 'Tamil', 'Taml', 'tamil'),
];

/** The series' default languages: the attendee UI's seven plus Portuguese. */
export const SERIES_LANGUAGES: readonly string[] = ['ar', 'zh', 'en', 'fr', 'de', 'ru', 'es', 'pt'];

const BY_CODE = new Map(LANGUAGES.map((l) => [l.code, l]));

/** Looks a language up by its ISO 639-1 code. */
export function languageInfo(code: string): LanguageInfo | undefined {
  return BY_CODE.get(code);
}
