// Figures on the TUNING data only, for improving the engine without looking at held-out data:
// dev-responses' three tuning regions (codebook only, and leave-one-region-out training among them)
// and pxtext's training part (the 70% of bench/analysis.ts's seeded split), 3-fold cross-validated.
// The held-out regions and pxtext's test part are filtered out before anything is computed.
// `ANALYSIS_OPTIONS='{"threshold":0.45}'` passes coder options; `ERRORS=1` prints the tuning regions' per-theme errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  createCoder,
  loadCodebook,
  type CoderOptions,
  type Codebook,
  type TrainingExample,
} from '../src/modules/analysis/index.ts';
import { f1Scores, fixedSplit, readRecords, sharedDataDir, splitLabels } from './eval-lib.ts';

const SEED = 2022;
const TUNING_REGIONS = new Set(['asia_oceania', 'europe', 'latin_america_caribbean']);
const options = JSON.parse(process.env.ANALYSIS_OPTIONS ?? '{}') as CoderOptions;

const predict = (codebook: Codebook, train: readonly TrainingExample[], test: readonly TrainingExample[]) => {
  const coder = createCoder(codebook, options);
  if (train.length > 0) coder.train(train);
  return coder.code(test.map((t) => t.text)).map((c) => c.codings.map((x) => x.themeId));
};

const dataDir = sharedDataDir();
const devCodebook = loadCodebook(readFileSync(path.join(dataDir, 'codebook.csv'), 'utf8'));
const tuning = readRecords('dev-responses.csv')
  .filter((r) => TUNING_REGIONS.has(r.region))
  .map((r) => ({ text: r.text, labels: splitLabels(r.gold_themes), region: r.region, language: r.language }));

const t0 = performance.now();
const zeroShot = predict(devCodebook, [], tuning);
// Leave one tuning region out: train on the other two, code it; predictions pooled over the three.
const gold: string[][] = [];
const loro: string[][] = [];
for (const region of TUNING_REGIONS) {
  const test = tuning.filter((d) => d.region === region);
  gold.push(...test.map((d) => d.labels));
  loro.push(
    ...predict(
      devCodebook,
      tuning.filter((d) => d.region !== region),
      test,
    ),
  );
}

const pxCodebook = loadCodebook(readFileSync(path.join(dataDir, 'pxtext-dev/codebook.csv'), 'utf8'));
const px = readRecords('pxtext-dev/dev.csv').map((r) => ({ text: r.text, labels: splitLabels(r.labels) }));
const pxTrain = fixedSplit(px, 0.7, SEED).train;
const folds = 3;
const pxGold: string[][] = [];
const pxPred: string[][] = [];
for (let f = 0; f < folds; f++) {
  const test = pxTrain.filter((_, i) => i % folds === f);
  pxGold.push(...test.map((d) => [...d.labels]));
  pxPred.push(
    ...predict(
      pxCodebook,
      pxTrain.filter((_, i) => i % folds !== f),
      test,
    ),
  );
}

const out: Record<string, unknown> = {
  options,
  devTuningCodebookOnly: f1Scores(
    tuning.map((d) => d.labels),
    zeroShot,
  ),
  devTuningLeaveOneRegionOut: f1Scores(gold, loro),
  pxtextTrainPart3Fold: { rows: pxTrain.length, ...f1Scores(pxGold, pxPred) },
  ms: Math.round(performance.now() - t0),
};
if (process.env.ERRORS) {
  out.errors = tuning
    .map((d, i) => ({ lang: d.language, text: d.text, gold: d.labels, got: zeroShot[i] }))
    .filter((e) => e.gold.join(';') !== [...e.got].sort().join(';'));
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
