import type { Codebook } from './codebook.ts';
import { featurize, type FeatureVector } from './features.ts';
import { identifyLanguage } from './language.ts';
import { segment, type Unit } from './segment.ts';
import { tokenize, type Token } from './tokenize.ts';
import { compileZeroShot, zeroShotScores, type ZeroShotIndex } from './zero-shot.ts';

/** A text or a unit of a larger response; a unit's offsets are kept so codings point into the response. */
export type CodingInput = string | { text: string; start?: number };

/** A unit made ready for scoring: its features, zero-shot scores and language. */
export interface PreparedUnit extends Unit {
  language: string;
  x: FeatureVector;
  z: Float64Array;
}

/** A text made ready for scoring: the whole and its idea units. Reusable across re-codings. */
export interface PreparedText {
  text: string;
  /** Offset of `text` within the response it came from (0 for a whole response). */
  offset: number;
  language: string;
  whole: { x: FeatureVector; z: Float64Array };
  units: PreparedUnit[];
  /** Set when the text was prepared as part of a batch: its packed features and first part's index. */
  batch?: PreparedBatch;
  part?: number;
}

/** What preparing texts needs: the compiled codebook, the allowed languages and the feature space. */
export interface Preparer {
  codebook: Codebook;
  zeroShot: ZeroShotIndex;
  languages: readonly string[];
  dims: number;
}

/** Compiles what preparing texts needs once per codebook. */
export function createPreparer(codebook: Codebook, languages: readonly string[], dims: number): Preparer {
  return { codebook, zeroShot: compileZeroShot(codebook), languages, dims };
}

function zOf(p: Preparer, text: string, tokens: Token[], lang: string): Float64Array {
  return zeroShotScores(p.zeroShot, text, tokens, lang);
}

/** Segments, identifies the language of each unit, tokenises, and computes features and zero-shot scores. */
export function prepareText(p: Preparer, input: CodingInput): PreparedText {
  const text = typeof input === 'string' ? input : input.text;
  const offset = typeof input === 'string' ? 0 : (input.start ?? 0);
  const units = segment(text);
  const prepared: PreparedUnit[] = [];
  const allTokens: Token[] = [];
  let longest = { len: -1, lang: 'und' };
  for (const u of units) {
    const language = identifyLanguage(u.text, p.languages);
    const tokens = tokenize(u.text, language);
    const x = featurize(u.text, language, p.dims, tokens);
    const z = zOf(p, u.text, tokens, language);
    prepared.push({ ...u, language, x, z });
    // Scoring the whole response reads only stems and stop flags, not offsets: no need to copy tokens.
    for (const t of tokens) allTokens.push(t);
    if (u.text.length > longest.len) longest = { len: u.text.length, lang: language };
  }
  if (prepared.length === 1) {
    return {
      text,
      offset,
      language: prepared[0].language,
      whole: { x: prepared[0].x, z: prepared[0].z },
      units: prepared,
    };
  }
  // The whole response reuses its units' tokens, each stemmed in its own unit's language.
  const language = longest.lang;
  const whole = { x: featurize(text, language, p.dims, allTokens), z: zOf(p, text, allTokens, language) };
  return { text, offset, language, whole, units: prepared };
}

/** A batch of prepared texts packed into contiguous buffers: one part per whole text and per unit of a multi-unit text. */
export interface PreparedBatch {
  parts: number;
  idx: Int32Array;
  val: Float32Array;
  /** Part p's features are idx[start[p]] .. idx[start[p + 1] - 1]. */
  start: Int32Array;
  /** Zero-shot scores, labelCount per part. */
  z: Float64Array;
}

/**
 * Packs a batch's features into contiguous buffers, so re-scoring it after every new coding is one
 * sequential pass over memory instead of a walk over thousands of small arrays.
 */
export function packBatch(texts: readonly PreparedText[], labelCount: number): PreparedBatch {
  const vectors: { x: FeatureVector; z: Float64Array }[] = [];
  texts.forEach((p) => {
    p.part = vectors.length;
    vectors.push(p.whole);
    if (p.units.length > 1) for (const u of p.units) vectors.push(u);
  });
  const total = vectors.reduce((n, v) => n + v.x.idx.length, 0);
  const batch: PreparedBatch = {
    parts: vectors.length,
    idx: new Int32Array(total),
    val: new Float32Array(total),
    start: new Int32Array(vectors.length + 1),
    z: new Float64Array(vectors.length * labelCount),
  };
  let at = 0;
  vectors.forEach((v, i) => {
    batch.start[i] = at;
    batch.idx.set(v.x.idx, at);
    batch.val.set(v.x.val, at);
    batch.z.set(v.z, i * labelCount);
    at += v.x.idx.length;
  });
  batch.start[vectors.length] = at;
  for (const p of texts) p.batch = batch;
  return batch;
}
