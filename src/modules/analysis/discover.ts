import type { CodedText } from './coder.ts';
import { featurize, type FeatureVector } from './features.ts';
import { identifyLanguage } from './language.ts';
import { SERIES_LANGUAGES } from './languages.ts';
import { tokenize, type Token } from './tokenize.ts';

/** A span of text to look for new themes in; `id` names its response. */
export interface DiscoveryUnit {
  id: string;
  text: string;
  /** Offset of `text` within its response, so quotes point into the response. */
  start?: number;
}

/** A theme the codebook lacks, proposed from units that fit no theme well. */
export interface CandidateTheme {
  label: string;
  terms: string[];
  size: number;
  quotes: { id: string; text: string; start: number; end: number }[];
}

/** How eagerly to propose themes. */
export interface DiscoverOptions {
  /** A unit "fits no theme" when its best theme's probability is below this. */
  maxConfidence?: number;
  minClusterSize?: number;
  maxThemes?: number;
  /** A unit joins a cluster when its cosine similarity to the cluster's centre reaches this. */
  minSimilarity?: number;
  languages?: readonly string[];
}

interface Doc {
  unit: DiscoveryUnit;
  tokens: Token[];
  keys: Set<string>;
  x: FeatureVector;
}

/** Keyphrase candidates of a unit: content-word stems and adjacent content-word pairs. */
function keyphrases(tokens: Token[]): Set<string> {
  const keys = new Set<string>();
  const content = tokens.filter((t) => !t.stop && t.stem.length > 1 && !/^\d+$/.test(t.stem));
  content.forEach((t, i) => {
    keys.add(t.stem);
    const next = content[i + 1];
    if (next && tokens.indexOf(next) === tokens.indexOf(t) + 1) keys.add(`${t.stem} ${next.stem}`);
  });
  return keys;
}

/** The most common surface form of a stem among the cluster's tokens, for a readable label. */
function surfaceOf(stemKey: string, docs: Doc[]): string {
  const parts = stemKey.split(' ');
  const counts = new Map<string, number>();
  for (const d of docs) {
    for (let i = 0; i + parts.length <= d.tokens.length; i++) {
      if (parts.every((p, k) => d.tokens[i + k].stem === p)) {
        const form = d.tokens
          .slice(i, i + parts.length)
          .map((t) => t.norm)
          .join(' ');
        counts.set(form, (counts.get(form) ?? 0) + 1);
      }
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? stemKey;
}

function centroid(docs: Doc[]): Map<number, number> {
  const c = new Map<number, number>();
  for (const d of docs)
    for (let k = 0; k < d.x.idx.length; k++) c.set(d.x.idx[k], (c.get(d.x.idx[k]) ?? 0) + d.x.val[k]);
  let norm = 0;
  for (const v of c.values()) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (const [k, v] of c) c.set(k, v / norm);
  return c;
}

function cosine(x: FeatureVector, c: Map<number, number>): number {
  let s = 0;
  for (let k = 0; k < x.idx.length; k++) s += x.val[k] * (c.get(x.idx[k]) ?? 0);
  return s;
}

/**
 * Proposes new themes from units the codebook does not cover: keyphrases shared by several such
 * units seed clusters (most widely shared first), then units join the nearest cluster by cosine
 * similarity of their features. Deterministic: no random initialisation.
 */
export function discoverThemes(
  units: readonly DiscoveryUnit[],
  codings: readonly CodedText[],
  options: DiscoverOptions = {},
): CandidateTheme[] {
  const maxConfidence = options.maxConfidence ?? 0.4;
  const minSize = options.minClusterSize ?? 3;
  const maxThemes = options.maxThemes ?? 5;
  const minSim = options.minSimilarity ?? 0.25;
  const languages = options.languages ?? SERIES_LANGUAGES;
  const docs: Doc[] = [];
  units.forEach((unit, i) => {
    const scores = Object.values(codings[i]?.scores ?? {});
    if (scores.length > 0 && Math.max(...scores) >= maxConfidence) return;
    const lang = identifyLanguage(unit.text, languages);
    const tokens = tokenize(unit.text, lang);
    docs.push({ unit, tokens, keys: keyphrases(tokens), x: featurize(unit.text, lang, 1 << 16, tokens) });
  });
  const docFreq = new Map<string, number>();
  for (const d of docs) for (const k of d.keys) docFreq.set(k, (docFreq.get(k) ?? 0) + 1);
  const unassigned = new Set(docs);
  const clusters: { key: string; docs: Doc[] }[] = [];
  while (clusters.length < maxThemes) {
    const df = new Map<string, number>();
    for (const d of unassigned) for (const k of d.keys) df.set(k, (df.get(k) ?? 0) + 1);
    // Phrases beat single words at equal spread; they make better labels.
    const ranked = [...df.entries()]
      .filter(([, n]) => n >= minSize)
      .sort(
        (a, b) => b[1] - a[1] || b[0].split(' ').length - a[0].split(' ').length || a[0].localeCompare(b[0]),
      );
    if (ranked.length === 0) break;
    const key = ranked[0][0];
    const members = [...unassigned].filter((d) => d.keys.has(key));
    members.forEach((d) => unassigned.delete(d));
    clusters.push({ key, docs: members });
  }
  // Units that share no keyphrase may still be close to a cluster in character n-grams and words.
  const centres = clusters.map((c) => centroid(c.docs));
  for (const d of [...unassigned]) {
    let best = -1;
    let bestSim = minSim;
    centres.forEach((c, i) => {
      const s = cosine(d.x, c);
      if (s >= bestSim) {
        bestSim = s;
        best = i;
      }
    });
    if (best >= 0) clusters[best].docs.push(d);
  }
  return clusters.map(({ key, docs: members }) => {
    const tf = new Map<string, number>();
    for (const d of members) for (const k of d.keys) if (!k.includes(' ')) tf.set(k, (tf.get(k) ?? 0) + 1);
    // Terms common in the cluster but rare in the other uncovered units describe it best; the
    // seed keyphrase's own words come first.
    const weight = (k: string, n: number): number =>
      (key.split(' ').includes(k) ? 1e6 : 0) +
      n * Math.log((docs.length + 1) / ((docFreq.get(k) ?? 0) - n + 1));
    const top = [...tf.entries()]
      .sort((a, b) => weight(b[0], b[1]) - weight(a[0], a[1]) || a[0].localeCompare(b[0]))
      .slice(0, 6)
      .map(([k]) => k);
    const centre = centroid(members);
    const representative = [...members]
      .sort((a, b) => cosine(b.x, centre) - cosine(a.x, centre) || a.unit.id.localeCompare(b.unit.id))
      .slice(0, 3);
    return {
      label: surfaceOf(key, members),
      terms: top.map((k) => surfaceOf(k, members)),
      size: members.length,
      quotes: representative.map((d) => {
        const start = d.unit.start ?? 0;
        return { id: d.unit.id, text: d.unit.text, start, end: start + d.unit.text.length };
      }),
    };
  });
}
