import { DEFAULT_DIMS, type FeatureVector } from './features.ts';
import { createRandom, shuffle } from './random.ts';

/** Settings of the per-label online logistic regression. */
export interface ModelOptions {
  dims: number;
  learningRate: number;
  l2: number;
  epochs: number;
  seed: number;
  /** Weight of the zero-shot prior before any training, and the bias that goes with it. */
  priorWeight: number;
  priorBias: number;
  /** Upper bound of a label's positive-class weight √(negatives / positives). */
  maxPositiveWeight: number;
  /** Confidence margin under which a label is skipped after the first epoch (0 = never skip). */
  fitMargin: number;
}

/** One training example in feature space: its vector, zero-shot scores and positive label indices. */
export interface ModelExample {
  x: FeatureVector;
  z: Float64Array;
  labels: readonly number[];
}

/** Settings measured on the shared benchmarks (see docs/analysis.md). */
export const DEFAULT_MODEL_OPTIONS: ModelOptions = {
  dims: DEFAULT_DIMS,
  learningRate: 0.1,
  l2: 1e-4,
  epochs: 12,
  seed: 20220727,
  priorWeight: 6,
  priorBias: -3.2,
  maxPositiveWeight: 8,
  fitMargin: 0.02,
};

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/**
 * Multi-label linear model: one logistic regression per label over shared hashed features, plus a
 * learned weight on each label's zero-shot score so the codebook prior fades as coded examples grow.
 * Weights are feature-major (w[f * L + l]) so scoring one feature touches one cache line for all labels.
 */
export class LinearModel {
  readonly w: Float32Array;
  /** AdaGrad's sum of squared gradients, one per feature (shared by the labels). */
  readonly gw: Float32Array;
  readonly b: Float64Array;
  readonly v: Float64Array;
  private readonly gb: Float64Array;
  private readonly gv: Float64Array;
  readonly positiveWeight: Float64Array;

  constructor(
    readonly labelCount: number,
    readonly options: ModelOptions = DEFAULT_MODEL_OPTIONS,
  ) {
    this.w = new Float32Array(options.dims * labelCount);
    this.gw = new Float32Array(options.dims);
    this.b = new Float64Array(labelCount).fill(options.priorBias);
    this.v = new Float64Array(labelCount).fill(options.priorWeight);
    this.gb = new Float64Array(labelCount);
    this.gv = new Float64Array(labelCount);
    this.positiveWeight = new Float64Array(labelCount).fill(1);
  }

  /** Forgets everything learnt and returns to the zero-shot prior. */
  reset(): void {
    this.w.fill(0);
    this.gw.fill(0);
    this.b.fill(this.options.priorBias);
    this.v.fill(this.options.priorWeight);
    this.gb.fill(0);
    this.gv.fill(0);
    this.positiveWeight.fill(1);
  }

  /** Raw scores (log-odds) of every label for one vector, written into `out` from `offset` (no subarray: they are slow to create). */
  logits(x: FeatureVector, z: Float64Array, out: Float64Array, offset = 0): Float64Array {
    const L = this.labelCount;
    for (let l = 0; l < L; l++) out[offset + l] = this.b[l] + this.v[l] * z[l];
    const { idx, val } = x;
    const w = this.w;
    for (let k = 0; k < idx.length; k++) {
      const base = idx[k] * L;
      const xv = val[k];
      for (let l = 0; l < L; l++) out[offset + l] += w[base + l] * xv;
    }
    return out;
  }

  /** Probabilities of every label for one vector. */
  predict(
    x: FeatureVector,
    z: Float64Array,
    out: Float64Array = new Float64Array(this.labelCount),
  ): Float64Array {
    this.logits(x, z, out);
    for (let l = 0; l < out.length; l++) out[l] = sigmoid(out[l]);
    return out;
  }

  /**
   * One AdaGrad step of logistic loss on one example; the learning rate adapts per feature. With a margin, labels the model already gets
   * right with that much confidence are left alone (a passive-aggressive rule): an incremental update
   * then touches only the labels it must, which keeps re-scoring a series cheap.
   */
  step(ex: ModelExample, scratch: Float64Array = new Float64Array(this.labelCount), margin = 0): void {
    const L = this.labelCount;
    const lr = this.options.learningRate;
    const l2 = this.options.l2;
    const p = this.predict(ex.x, ex.z, scratch);
    const positive = new Uint8Array(L);
    for (const l of ex.labels) positive[l] = 1;
    const active: number[] = [];
    const grad = new Float64Array(L);
    for (let l = 0; l < L; l++) {
      if (margin > 0 && (positive[l] ? p[l] >= 1 - margin : p[l] <= margin)) continue;
      active.push(l);
      grad[l] = positive[l] ? (p[l] - 1) * this.positiveWeight[l] : p[l];
      const gb = grad[l];
      this.gb[l] += gb * gb;
      this.b[l] -= (lr * gb) / (Math.sqrt(this.gb[l]) + 1e-8);
      // The prior's weight is pulled back towards its starting value, not towards zero.
      const gv = grad[l] * ex.z[l] + 1e-3 * (this.v[l] - this.options.priorWeight);
      this.gv[l] += gv * gv;
      this.v[l] -= (lr * gv) / (Math.sqrt(this.gv[l]) + 1e-8);
    }
    if (active.length === 0) return;
    const { idx, val } = ex.x;
    const w = this.w;
    const gw = this.gw;
    const all = active.length === L;
    // One AdaGrad accumulator per feature, shared by the labels: a tenth of the memory of one per
    // weight, so it stays in cache, and training is memory-bound.
    let g2 = 0;
    for (let a = 0; a < active.length; a++) g2 += grad[all ? a : active[a]] ** 2;
    g2 /= active.length;
    for (let k = 0; k < idx.length; k++) {
      const f = idx[k];
      const base = f * L;
      const xv = val[k];
      gw[f] += xv * xv * g2;
      const rate = lr / (Math.sqrt(gw[f]) + 1e-8);
      for (let a = 0; a < active.length; a++) {
        const l = all ? a : active[a];
        const j = base + l;
        w[j] -= rate * (grad[l] * xv + l2 * w[j]);
      }
    }
  }

  /** Sets each label's positive-class weight from label counts, so rare themes are not drowned out. */
  setPositiveWeights(examples: readonly ModelExample[]): void {
    const counts = new Float64Array(this.labelCount);
    for (const ex of examples) for (const l of ex.labels) counts[l]++;
    const n = examples.length;
    for (let l = 0; l < this.labelCount; l++) {
      const pos = counts[l];
      this.positiveWeight[l] =
        pos > 0 ? Math.min(this.options.maxPositiveWeight, Math.max(1, Math.sqrt((n - pos) / pos))) : 1;
    }
  }

  /** Trains from scratch on all examples for the configured epochs, in a seeded order. */
  fit(examples: readonly ModelExample[]): void {
    this.reset();
    if (examples.length === 0) return;
    this.setPositiveWeights(examples);
    const random = createRandom(this.options.seed);
    const order = examples.map((_, i) => i);
    const scratch = new Float64Array(this.labelCount);
    for (let e = 0; e < this.options.epochs; e++) {
      shuffle(order, random);
      // After the first pass, labels an example already gets right with high confidence are skipped:
      // most (example, label) pairs are easy negatives, and skipping them makes training several times faster.
      const margin = e === 0 ? 0 : this.options.fitMargin;
      for (const i of order) this.step(examples[i], scratch, margin);
    }
  }
}
