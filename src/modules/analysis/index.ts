// The analysis engine's public surface: other modules import only from here.
export {
  parseCsv,
  parseCsvRecords,
  stringifyCsv,
  toRecords,
  CsvError,
  type CsvTable,
  type CsvRow,
} from './csv.ts';
export { segment, type Unit } from './segment.ts';
export { identifyLanguage, supportedLanguages } from './language.ts';
export { LANGUAGES, SERIES_LANGUAGES, languageInfo, type LanguageInfo } from './languages.ts';
export { tokenize, stemWord, normalizeWord, stopWords, type Token } from './tokenize.ts';
export {
  loadCodebook,
  mergeCodebooks,
  parseCodebookCsv,
  themeIds,
  CodebookError,
  type Codebook,
  type Theme,
  type SeedTerm,
} from './codebook.ts';
export { defaultCodebook } from './default-codebook.ts';
export { featurize, type FeatureVector } from './features.ts';
export {
  compileZeroShot,
  zeroShotScores,
  zeroShotEvidence,
  type ZeroShotIndex,
  type ThemeEvidence,
} from './zero-shot.ts';
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
export {
  wilson,
  twoProportionZ,
  fisherExact,
  benjaminiHochberg,
  normalCdf,
  Z95,
  type Interval,
} from './stats.ts';
export {
  compare,
  asOfLimit,
  type Comparison,
  type CompareOptions,
  type CompareRow,
  type DistinctiveTheme,
  type KindComparison,
  type Proportion,
  type ResponseRow,
  type ThemeFigures,
} from './compare.ts';
export {
  findings,
  pickQuotes,
  summarizeClaims,
  type Finding,
  type FindingClaim,
  type FindingCoding,
  type FindingsOptions,
  type Quote,
  type Sensitivity,
} from './findings.ts';
export { renderMarkdown, type ClaimsSummary, type FindingsReport } from './report.ts';
export {
  testClaims,
  dropLowConfidence,
  claimKey,
  type Claim,
  type ClaimOptions,
  type ClaimSet,
  type CodedRow,
  type LabelSource,
} from './claims.ts';
export { FINDING_LANGUAGES } from './findings.ts';
export { messages as analysisMessages } from './messages/index.ts';
export { discoverThemes, type CandidateTheme, type DiscoverOptions, type DiscoveryUnit } from './discover.ts';
export { ENGINE_VERSION } from './version.ts';
