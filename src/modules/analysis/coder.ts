import { fromBase64, toBase64 } from './base64.ts';
import { calibrateThresholds } from './calibrate.ts';
import type { Codebook } from './codebook.ts';
import { SERIES_LANGUAGES } from './languages.ts';
import { DEFAULT_MODEL_OPTIONS, LinearModel, type ModelExample, type ModelOptions } from './model.ts';
import { createPreparer, packBatch, prepareText, type CodingInput, type PreparedText } from './prepare.ts';
import { createRandom } from './random.ts';
import { ScoreCache } from './score-cache.ts';
import { ENGINE_VERSION } from './version.ts';

/** A text coded by a person: the theme ids that apply to it. */
export interface TrainingExample {
  text: string;
  labels: readonly string[];
}

/** One theme found in a text, with the engine's confidence and the verbatim span that carries it. */
export interface Coding {
  themeId: string;
  confidence: number;
  start: number;
  end: number;
  unitIndex: number;
}

/** The engine's reading of one text: its codings, every theme's probability, and its language. */
export interface CodedText {
  codings: Coding[];
  /** Probability of every theme by id (computed on access; `probabilities` is the same in codebook order). */
  readonly scores: Record<string, number>;
  readonly probabilities: Float64Array;
  language: string;
}

/** A coded text; `scores` is built only when asked for, since a 10,000-text re-coding rarely needs all of them. */
class CodedResult implements CodedText {
  constructor(
    readonly codings: Coding[],
    /** Log-odds of every text of the batch; this text's start at `offset`. */
    private readonly all: Float64Array,
    private readonly offset: number,
    readonly language: string,
    private readonly ids: readonly string[],
  ) {}

  get probabilities(): Float64Array {
    return Float64Array.from(this.all.subarray(this.offset, this.offset + this.ids.length), sigmoid);
  }

  get scores(): Record<string, number> {
    const out: Record<string, number> = {};
    this.ids.forEach((id, l) => (out[id] = sigmoid(this.all[this.offset + l])));
    return out;
  }

  toJSON(): { codings: Coding[]; scores: Record<string, number>; language: string } {
    return { codings: this.codings, scores: this.scores, language: this.language };
  }
}

/** A text the engine would learn most from if a person coded it next. */
export interface Suggestion {
  index: number;
  uncertainty: number;
  themeId: string;
}

/** How the coder decides. */
export interface CoderOptions {
  languages?: readonly string[];
  /** A theme applies when its probability reaches this. */
  threshold?: number;
  /** When no theme reaches the threshold, the best one still applies if it reaches this. */
  fallbackThreshold?: number;
  /** How many past examples are replayed with each new one, so one coding cannot swing the model. */
  replay?: number;
  model?: Partial<ModelOptions>;
  /** Tune rare themes' thresholds on out-of-fold predictions when training (default false: measured no better, three times slower). */
  calibrate?: boolean;
}

/** A serialised coder: everything needed to rebuild it without retraining. */
export interface CoderState {
  engineVersion: string;
  codebook: Codebook;
  options: CoderOptions;
  examples: TrainingExample[];
  model: {
    b: number[];
    v: number[];
    positiveWeight: number[];
    thresholds: number[];
    idx: string;
    w: string;
    gwIdx: string;
    gw: string;
  };
}

/** A coder: learns from people's codings and codes new texts. */
export interface Coder {
  readonly codebook: Codebook;
  /** Replaces the coded examples and retrains from scratch. */
  train(examples: readonly TrainingExample[]): void;
  /** Learns from one more coded example incrementally, in milliseconds. */
  addExample(example: TrainingExample): void;
  /** Prepares texts once (segmenting, features) so they can be re-coded cheaply after each new coding. */
  prepare(inputs: readonly CodingInput[]): PreparedText[];
  /** Codes texts, units or prepared texts. */
  code(inputs: readonly (CodingInput | PreparedText)[]): CodedText[];
  /** Ranks texts by how much a person's coding would teach the engine (uncertainty sampling). */
  suggestNext(inputs: readonly (CodingInput | PreparedText)[], n: number): Suggestion[];
  /** How many coded examples the coder has learnt from. */
  exampleCount(): number;
  serialize(): CoderState;
}

// An incremental update leaves alone the labels already right with 90% confidence (see LinearModel.step).
const INCREMENTAL_MARGIN = 0.1;
// How much less a single idea unit's log-odds count than the whole answer's (about 0.9× in probability near the threshold).
const UNIT_DISCOUNT = 0.2;

const DEFAULTS = { threshold: 0.4, fallbackThreshold: 0.3, replay: 1 };

function isPrepared(x: CodingInput | PreparedText): x is PreparedText {
  return typeof x === 'object' && 'whole' in x;
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function logit(p: number): number {
  return Math.log(p / (1 - p));
}

/** Creates a coder for a codebook; untrained, it codes from the codebook alone (zero-shot). */
export function createCoder(codebook: Codebook, options: CoderOptions = {}): Coder {
  const modelOptions: ModelOptions = { ...DEFAULT_MODEL_OPTIONS, ...options.model };
  const threshold = options.threshold ?? DEFAULTS.threshold;
  const thresholdLogit = logit(threshold);
  // Per-theme decision thresholds in log-odds; training may tune them.
  const thresholds = new Float64Array(codebook.themes.length).fill(thresholdLogit);
  const fallbackLogit = logit(options.fallbackThreshold ?? DEFAULTS.fallbackThreshold);
  const replay = options.replay ?? DEFAULTS.replay;
  const ids = codebook.themes.map((t) => t.id);
  const indexOf = new Map(ids.map((id, i) => [id, i]));
  const preparer = createPreparer(codebook, options.languages ?? SERIES_LANGUAGES, modelOptions.dims);
  const model = new LinearModel(ids.length, modelOptions);
  const examples: TrainingExample[] = [];
  const modelExamples: ModelExample[] = [];
  const random = createRandom(modelOptions.seed ^ 0x9e3779b9);
  const L = ids.length;
  const cache = new ScoreCache(model);

  const toModelExample = (ex: TrainingExample): ModelExample => {
    const labels = ex.labels.map((id) => {
      const i = indexOf.get(id);
      if (i === undefined) throw new Error(`unknown theme id "${id}"`);
      return i;
    });
    const p = prepareText(preparer, ex.text);
    return { x: p.whole.x, z: p.whole.z, labels };
  };

  const prep = (x: CodingInput | PreparedText): PreparedText =>
    isPrepared(x) ? x : prepareText(preparer, x);

  const unitTop = new Float64Array(L);
  /** Log-odds of each theme for the text, and the unit that best carries each. */
  const score = (p: PreparedText, out: Float64Array, at: number, best: Int32Array): void => {
    const { data, whole, units } = cache.logits(p);
    best.fill(0);
    if (units.length === 0) {
      for (let l = 0; l < L; l++) out[at + l] = data[whole + l];
      return;
    }
    for (let l = 0; l < L; l++) unitTop[l] = data[units[0] + l];
    for (let ui = 1; ui < units.length; ui++) {
      const o = units[ui];
      for (let l = 0; l < L; l++) {
        if (data[o + l] > unitTop[l]) {
          unitTop[l] = data[o + l];
          best[l] = ui;
        }
      }
    }
    // A theme that one idea unit carries clearly counts even when the rest of the answer dilutes it;
    // the discount keeps a unit's evidence a little below the whole answer's.
    for (let l = 0; l < L; l++) out[at + l] = Math.max(data[whole + l], unitTop[l] - UNIT_DISCOUNT);
  };

  const codeOne = (p: PreparedText, all: Float64Array, offset: number, best: Int32Array): CodedText => {
    score(p, all, offset, best);
    const chosen: number[] = [];
    let top = 0;
    // Decisions compare log-odds with the thresholds' log-odds: no exponentials for themes that do not apply.
    for (let l = 0; l < L; l++) {
      if (all[offset + l] >= thresholds[l]) chosen.push(l);
      if (all[offset + l] > all[offset + top]) top = l;
    }
    if (chosen.length === 0 && L > 0 && all[offset + top] >= fallbackLogit) chosen.push(top);
    chosen.sort((a, b) => all[offset + b] - all[offset + a] || a - b);
    const codings: Coding[] = chosen.map((l) => {
      const unit = p.units[best[l]];
      const start = unit ? unit.start : 0;
      const end = unit ? unit.end : p.text.length;
      return {
        themeId: ids[l],
        confidence: sigmoid(all[offset + l]),
        start: start + p.offset,
        end: end + p.offset,
        unitIndex: unit ? best[l] : 0,
      };
    });
    return new CodedResult(codings, all, offset, p.language, ids);
  };

  const coder: Coder = {
    codebook,
    train(list) {
      const fresh = list.map(toModelExample);
      examples.length = 0;
      modelExamples.length = 0;
      examples.push(...list.map((e) => ({ text: e.text, labels: [...e.labels] })));
      modelExamples.push(...fresh);
      model.fit(modelExamples);
      thresholds.fill(thresholdLogit);
      if (options.calibrate === true)
        thresholds.set(calibrateThresholds(modelExamples, L, modelOptions, thresholdLogit));
      cache.invalidate();
    },
    addExample(example) {
      const ex = toModelExample(example);
      examples.push({ text: example.text, labels: [...example.labels] });
      modelExamples.push(ex);
      const scratch = new Float64Array(L);
      // A few steps on the new example, interleaved with replayed old ones, keep the model balanced.
      const steps: ModelExample[] = [];
      for (let k = 0; k < 2; k++) {
        steps.push(ex);
        for (let r = 0; r < replay && modelExamples.length > 1; r++)
          steps.push(modelExamples[Math.floor(random() * (modelExamples.length - 1))]);
      }
      cache.update(
        steps.flatMap((s) => [...s.x.idx]),
        () => steps.forEach((s) => model.step(s, scratch, INCREMENTAL_MARGIN)),
      );
    },
    prepare(inputs) {
      const batch = inputs.map((i) => prepareText(preparer, i));
      packBatch(batch, L);
      return batch;
    },
    code(inputs) {
      // One buffer holds every text's log-odds: 10,000 small allocations would cost more than the scoring.
      const all = new Float64Array(inputs.length * L);
      const best = new Int32Array(L);
      return inputs.map((input, i) => codeOne(prep(input), all, i * L, best));
    },
    suggestNext(inputs, n) {
      const logits = new Float64Array(L);
      const best = new Int32Array(L);
      const ranked: Suggestion[] = inputs.map((input, index) => {
        score(prep(input), logits, 0, best);
        // The label whose log-odds sit closest to the decision threshold is the one a coding would settle.
        let closest = 0;
        let margin = Infinity;
        for (let l = 0; l < L; l++) {
          const m = Math.abs(logits[l] - thresholds[l]);
          if (m < margin) {
            margin = m;
            closest = l;
          }
        }
        return { index, uncertainty: 1 / (1 + margin), themeId: ids[closest] ?? '' };
      });
      ranked.sort((a, b) => b.uncertainty - a.uncertainty || a.index - b.index);
      return ranked.slice(0, Math.max(0, n));
    },
    exampleCount: () => examples.length,
    serialize() {
      const nz: number[] = [];
      for (let j = 0; j < model.w.length; j++) if (model.w[j] !== 0) nz.push(j);
      const idx = Int32Array.from(nz);
      const w = Float32Array.from(nz, (j) => model.w[j]);
      const nzg: number[] = [];
      for (let f = 0; f < model.gw.length; f++) if (model.gw[f] !== 0) nzg.push(f);
      const gwIdx = Int32Array.from(nzg);
      const gw = Float32Array.from(nzg, (f) => model.gw[f]);
      return {
        engineVersion: ENGINE_VERSION,
        codebook,
        options,
        examples: examples.map((e) => ({ text: e.text, labels: [...e.labels] })),
        model: {
          b: [...model.b],
          v: [...model.v],
          positiveWeight: [...model.positiveWeight],
          thresholds: [...thresholds],
          idx: toBase64(new Uint8Array(idx.buffer)),
          w: toBase64(new Uint8Array(w.buffer)),
          gwIdx: toBase64(new Uint8Array(gwIdx.buffer)),
          gw: toBase64(new Uint8Array(gw.buffer)),
        },
      };
    },
  };
  const restore = (state: CoderState): void => {
    examples.push(...state.examples);
    modelExamples.push(...state.examples.map(toModelExample));
    model.b.set(state.model.b);
    model.v.set(state.model.v);
    model.positiveWeight.set(state.model.positiveWeight);
    thresholds.set(state.model.thresholds);
    const idx = new Int32Array(fromBase64(state.model.idx).buffer);
    const w = new Float32Array(fromBase64(state.model.w).buffer);
    for (let k = 0; k < idx.length; k++) model.w[idx[k]] = w[k];
    const gwIdx = new Int32Array(fromBase64(state.model.gwIdx).buffer);
    const gw = new Float32Array(fromBase64(state.model.gw).buffer);
    for (let k = 0; k < gwIdx.length; k++) model.gw[gwIdx[k]] = gw[k];
  };
  restorers.set(coder, restore);
  return coder;
}

const restorers = new WeakMap<Coder, (state: CoderState) => void>();

/** Rebuilds a coder from serialize()'s output; refuses state from another engine version. */
export function deserializeCoder(state: CoderState): Coder {
  if (state.engineVersion !== ENGINE_VERSION) {
    throw new Error(
      `model state is from engine ${state.engineVersion}, this is ${ENGINE_VERSION}: retrain it`,
    );
  }
  const coder = createCoder(state.codebook, state.options);
  restorers.get(coder)?.(state);
  return coder;
}
