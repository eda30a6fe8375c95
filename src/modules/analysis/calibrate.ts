import { LinearModel, type ModelExample, type ModelOptions } from './model.ts';

/** How per-theme thresholds are tuned on out-of-fold predictions. */
export interface CalibrationOptions {
  folds: number;
  /** Epochs of each fold's model; 0 trains them like the final model (fewer make them underconfident). */
  epochs: number;
  /** Themes with fewer positive examples keep the global threshold. */
  minPositives: number;
  /** Pseudo-count pulling a theme's tuned threshold back towards the global one. */
  shrinkage: number;
}

// Frequent themes are already well served by the global threshold; tuning them trades precision away.
const RARE_SHARE = 0.03;

/** Three folds trained like the final model (two folds or fewer epochs measured worse), tuning themes with 5+ positives. */
export const DEFAULT_CALIBRATION: CalibrationOptions = {
  folds: 3,
  epochs: 0,
  minPositives: 5,
  shrinkage: 10,
};

function f1At(scores: Float64Array, positive: Uint8Array, t: number): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] >= t) {
      if (positive[i]) tp++;
      else fp++;
    } else if (positive[i]) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/**
 * Tunes each theme's decision threshold (in log-odds) on out-of-fold predictions: a theme with few
 * examples gets probabilities that sit low, and one global threshold would never let it apply.
 * Tuned values are shrunk towards the global threshold by how few positives back them.
 */
export function calibrateThresholds(
  examples: readonly ModelExample[],
  labelCount: number,
  modelOptions: ModelOptions,
  globalLogit: number,
  options: CalibrationOptions = DEFAULT_CALIBRATION,
): Float64Array {
  const thresholds = new Float64Array(labelCount).fill(globalLogit);
  const n = examples.length;
  if (n < options.folds * 10) return thresholds;
  const oof = Array.from({ length: labelCount }, () => new Float64Array(n));
  const scratch = new Float64Array(labelCount);
  for (let f = 0; f < options.folds; f++) {
    // Interleaved folds keep the split deterministic and independent of the examples' order of topics.
    const train = examples.filter((_, i) => i % options.folds !== f);
    const model = new LinearModel(labelCount, {
      ...modelOptions,
      epochs: options.epochs || modelOptions.epochs,
    });
    model.fit(train);
    for (let i = f; i < n; i += options.folds) {
      model.logits(examples[i].x, examples[i].z, scratch);
      for (let l = 0; l < labelCount; l++) oof[l][i] = scratch[l];
    }
  }
  const grid: number[] = [];
  for (let p = 0.08; p <= 0.7001; p += 0.02) grid.push(Math.log(p / (1 - p)));
  for (let l = 0; l < labelCount; l++) {
    const positive = new Uint8Array(n);
    let pos = 0;
    examples.forEach((ex, i) => {
      if (ex.labels.includes(l)) {
        positive[i] = 1;
        pos++;
      }
    });
    if (pos < options.minPositives || pos > n * RARE_SHARE) continue;
    let best = globalLogit;
    let bestF1 = f1At(oof[l], positive, globalLogit);
    for (const t of grid) {
      const f1 = f1At(oof[l], positive, t);
      if (f1 > bestF1 + 1e-9) {
        bestF1 = f1;
        best = t;
      }
    }
    thresholds[l] = (pos * best + options.shrinkage * globalLogit) / (pos + options.shrinkage);
  }
  return thresholds;
}
