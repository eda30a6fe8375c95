// A TF-IDF + linear SVM baseline (one-vs-rest, hinge loss, Pegasos SGD), trained and measured in the
// same run as the engine so its figures are never copied from elsewhere. Deterministic: seeded order.
import { createRandom, shuffle, tokenize, type TrainingExample } from '../src/modules/analysis/index.ts';

type Sparse = Map<number, number>;

/** Lower-cased word unigrams and bigrams, as the usual TF-IDF baselines use. */
function grams(text: string): string[] {
  const words = tokenize(text, 'und').map((t) => t.text.toLowerCase());
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

/** Trains one linear SVM per label on TF-IDF vectors and returns a multi-label predictor. */
export function trainTfidfSvm(
  train: readonly TrainingExample[],
  options: { epochs?: number; lambda?: number; seed?: number } = {},
): (text: string) => string[] {
  const epochs = options.epochs ?? 15;
  const lambda = options.lambda ?? 1e-4;
  const vocab = new Map<string, number>();
  const df: number[] = [];
  const docs = train.map((ex) => {
    const seen = new Set<number>();
    const counts = new Map<number, number>();
    for (const g of grams(ex.text)) {
      let id = vocab.get(g);
      if (id === undefined) {
        id = vocab.size;
        vocab.set(g, id);
        df.push(0);
      }
      counts.set(id, (counts.get(id) ?? 0) + 1);
      if (!seen.has(id)) {
        seen.add(id);
        df[id]++;
      }
    }
    return counts;
  });
  const n = train.length;
  const idf = df.map((d) => Math.log((1 + n) / (1 + d)) + 1);
  const vectorize = (counts: Map<number, number>): Sparse => {
    const v: Sparse = new Map();
    let norm = 0;
    for (const [id, c] of counts) {
      const w = (1 + Math.log(c)) * idf[id];
      v.set(id, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [id, w] of v) v.set(id, w / norm);
    return v;
  };
  const xs = docs.map(vectorize);
  const labels = [...new Set(train.flatMap((e) => e.labels))].sort();
  const random = createRandom(options.seed ?? 7);
  const models = labels.map((label) => {
    const y = train.map((e) => (e.labels.includes(label) ? 1 : -1));
    const w = new Float64Array(vocab.size);
    let bias = 0;
    let scale = 1;
    let t = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const i of shuffle(
        xs.map((_, k) => k),
        random,
      )) {
        t++;
        const eta = 1 / (lambda * (t + 1000));
        let margin = bias;
        for (const [id, v] of xs[i]) margin += scale * w[id] * v;
        scale *= 1 - eta * lambda;
        if (y[i] * margin < 1) {
          for (const [id, v] of xs[i]) w[id] += (eta * y[i] * v) / scale;
          bias += eta * y[i] * 0.1;
        }
        if (scale < 1e-9) {
          for (let k = 0; k < w.length; k++) w[k] *= scale;
          scale = 1;
        }
      }
    }
    for (let k = 0; k < w.length; k++) w[k] *= scale;
    return { label, w, bias };
  });
  return (text: string) => {
    const counts = new Map<number, number>();
    for (const g of grams(text)) {
      const id = vocab.get(g);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const x = vectorize(counts);
    const scored = models.map((m) => {
      let s = m.bias;
      for (const [id, v] of x) s += m.w[id] * v;
      return { label: m.label, s };
    });
    const positive = scored.filter((s) => s.s > 0).map((s) => s.label);
    return positive;
  };
}
