import { describe, expect, it } from 'vitest';
import { featurize, sparseDot } from './features.ts';
import { LinearModel, DEFAULT_MODEL_OPTIONS } from './model.ts';

describe('features', () => {
  it('are sparse, sorted, L2-normalised and deterministic', () => {
    const a = featurize('a mentor for every new librarian', 'en');
    expect([...a.idx]).toEqual([...a.idx].sort((x, y) => x - y));
    expect(sparseDot(a, a)).toBeCloseTo(1, 5);
    expect(featurize('a mentor for every new librarian', 'en')).toEqual(a);
  });

  it('share character n-grams between cognates in different languages', () => {
    const es = featurize('mentoría', 'es');
    const en = featurize('mentoring', 'en');
    const unrelated = featurize('presupuesto', 'es');
    expect(sparseDot(es, en)).toBeGreaterThan(sparseDot(es, unrelated) + 0.2);
  });

  it('give Chinese text character bigrams, so related phrasings overlap', () => {
    expect(sparseDot(featurize('团队协作的项目', 'zh'), featurize('加强团队合作', 'zh'))).toBeGreaterThan(
      0.1,
    );
  });
});

describe('the linear model', () => {
  it('starts from the zero-shot prior and learns a label from examples', () => {
    const options = { ...DEFAULT_MODEL_OPTIONS, dims: 1 << 12 };
    const model = new LinearModel(2, options);
    const z = new Float64Array([0.9, 0]);
    const x = featurize('van late', 'en', 1 << 12);
    const before = model.predict(x, z);
    expect(before[0]).toBeGreaterThan(0.5);
    expect(before[1]).toBeLessThan(0.1);
    const none = new Float64Array(2);
    const untrained = model.predict(x, none)[1];
    model.fit([
      { x, z: none, labels: [1] },
      { x: featurize('kind staff', 'en', 1 << 12), z: none, labels: [0] },
    ]);
    expect(model.predict(x, none)[1]).toBeGreaterThan(untrained + 0.3);
  });
});
