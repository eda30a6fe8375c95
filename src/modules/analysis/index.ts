// The analysis engine's public surface: other modules import only from here.
export { parseCsv, parseCsvRecords, stringifyCsv, toRecords, CsvError, type CsvTable, type CsvRow } from './csv.ts';
export { segment, type Unit } from './segment.ts';
export { identifyLanguage, supportedLanguages } from './language.ts';
export { LANGUAGES, SERIES_LANGUAGES, languageInfo, type LanguageInfo } from './languages.ts';
export { tokenize, stemWord, normalizeWord, stopWords, type Token } from './tokenize.ts';
export { loadCodebook, mergeCodebooks, parseCodebookCsv, themeIds, CodebookError, type Codebook, type Theme, type SeedTerm } from './codebook.ts';
export { defaultCodebook } from './default-codebook.ts';
export { featurize, type FeatureVector } from './features.ts';
export { compileZeroShot, zeroShotScores, zeroShotEvidence, type ZeroShotIndex, type ThemeEvidence } from './zero-shot.ts';
export { type CodingInput, type PreparedText, type PreparedUnit } from './prepare.ts';
export {
  createCoder,
  deserializeCoder,
  deserializeCoder as deserialize,
  type Coder,
  type CoderOptions,
  type CoderState,
  type Coding,
  type CodedText,
  type Suggestion,
  type TrainingExample,
} from './coder.ts';
export { createRandom, shuffle } from './random.ts';
export { ENGINE_VERSION } from './version.ts';
