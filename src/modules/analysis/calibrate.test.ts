import { describe, expect, it } from 'vitest';
import { calibrateThresholds } from './calibrate.ts';
import { featurize } from './features.ts';
import { DEFAULT_MODEL_OPTIONS, LinearModel, type ModelExample } from './model.ts';

function examples(): ModelExample[] {
  const out: ModelExample[] = [];
  for (let i = 0; i < 300; i++) {
    // Label 0 is common (every other example), label 1 rare (1 in 40) and said in similar words.
    const rare = i % 40 === 1;
    const text = rare
      ? `the van was late again ${i}`
      : i % 2 === 0
        ? `kind staff helped ${i}`
        : `waiting for the van ${i}`;
    out.push({
      x: featurize(text, 'en', 1 << 16),
      z: new Float64Array(2),
      labels: rare ? [1] : i % 2 === 0 ? [0] : [],
    });
  }
  return out;
}

describe('threshold calibration', () => {
  it('keeps the global threshold for frequent themes and tunes only rare ones', () => {
    const options = { ...DEFAULT_MODEL_OPTIONS, dims: 1 << 16 };
    const global = Math.log(0.4 / 0.6);
    const t = calibrateThresholds(examples(), 2, options, global);
    expect(t[0]).toBe(global);
    // A rare theme's threshold stays within the tuning grid, shrunk towards the global one.
    expect(t[1]).toBeGreaterThan(Math.log(0.08 / 0.92) - 1e-9);
    expect(t[1]).toBeLessThan(Math.log(0.7 / 0.3) + 1e-9);
    expect(new LinearModel(2, options).labelCount).toBe(2);
  });

  it('changes nothing when there are too few examples to split', () => {
    const t = calibrateThresholds(examples().slice(0, 20), 2, { ...DEFAULT_MODEL_OPTIONS, dims: 1 << 16 }, 0);
    expect([...t]).toEqual([0, 0]);
  });
});
