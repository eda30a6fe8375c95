import type { LinearModel } from './model.ts';
import type { PreparedBatch, PreparedText } from './prepare.ts';

/** Where a text's log-odds live: rows of `data` (L values each) for the whole and for each unit. */
export interface CachedLogits {
  data: Float64Array;
  whole: number;
  units: number[];
}

interface Delta {
  version: number;
  /** One bit per feature, set when it changed: small enough to stay in cache while scanning. */
  changed: Uint32Array;
  /** position + 1 of each changed feature in `dw`, read only for features whose bit is set. */
  position: Int32Array;
  /** The labels the update changed; `dw` holds one value per changed feature and changed label. */
  labels: Int32Array;
  dw: Float32Array;
  db: Float64Array;
  dv: Float64Array;
}

const MAX_DELTAS = 16;

/**
 * Keeps the log-odds of prepared batches and brings them up to date after an incremental update by
 * adding only what changed: one new coding touches a few hundred features, so re-scoring a
 * 10,000-response series is one sequential pass over packed features instead of a full re-scoring.
 */
export class ScoreCache {
  private version = 0;
  private deltas: Delta[] = [];
  private readonly batches = new WeakMap<PreparedBatch, { version: number; logits: Float64Array }>();

  constructor(private readonly model: LinearModel) {}

  /** Forgets the deltas: after full retraining every batch is re-scored from scratch. */
  invalidate(): void {
    this.version++;
    this.deltas = [];
  }

  /** Runs an update that changes only the given features (plus biases and prior weights), recording its delta. */
  update(features: Iterable<number>, apply: () => void): void {
    const m = this.model;
    const L = m.labelCount;
    const feats = [...new Set(features)];
    const before = new Float32Array(feats.length * L);
    feats.forEach((f, k) => before.set(m.w.subarray(f * L, f * L + L), k * L));
    const b0 = Float64Array.from(m.b);
    const v0 = Float64Array.from(m.v);
    apply();
    const labels = Int32Array.from(
      Array.from({ length: L }, (_, l) => l).filter((l) => m.b[l] !== b0[l] || m.v[l] !== v0[l]),
    );
    const n = labels.length;
    const dw = new Float32Array(feats.length * n);
    const position = new Int32Array(m.options.dims);
    const changed = new Uint32Array(Math.ceil(m.options.dims / 32));
    feats.forEach((f, k) => {
      position[f] = k + 1;
      changed[f >>> 5] |= 1 << (f & 31);
      for (let a = 0; a < n; a++) dw[k * n + a] = m.w[f * L + labels[a]] - before[k * L + labels[a]];
    });
    this.version++;
    this.deltas.push({
      version: this.version,
      changed,
      position,
      labels,
      dw,
      db: m.b.map((x, l) => x - b0[l]),
      dv: m.v.map((x, l) => x - v0[l]),
    });
    if (this.deltas.length > MAX_DELTAS) this.deltas.shift();
  }

  private scoreAll(batch: PreparedBatch, logits: Float64Array): void {
    const L = this.model.labelCount;
    const { w, b, v } = this.model;
    const { idx, val, start, z } = batch;
    for (let part = 0; part < batch.parts; part++) {
      const o = part * L;
      for (let l = 0; l < L; l++) logits[o + l] = b[l] + v[l] * z[o + l];
      for (let k = start[part]; k < start[part + 1]; k++) {
        const base = idx[k] * L;
        const xv = val[k];
        for (let l = 0; l < L; l++) logits[o + l] += w[base + l] * xv;
      }
    }
  }

  private correct(batch: PreparedBatch, logits: Float64Array, d: Delta): void {
    const L = this.model.labelCount;
    const { idx, val, start, z } = batch;
    const { changed, position, labels, dw, db, dv } = d;
    const n = labels.length;
    if (n === 0) return;
    for (let part = 0; part < batch.parts; part++) {
      const o = part * L;
      for (let a = 0; a < n; a++) logits[o + labels[a]] += db[labels[a]] + dv[labels[a]] * z[o + labels[a]];
      for (let k = start[part]; k < start[part + 1]; k++) {
        const f = idx[k];
        if ((changed[f >>> 5] & (1 << (f & 31))) === 0) continue;
        const base = (position[f] - 1) * n;
        const xv = val[k];
        for (let a = 0; a < n; a++) logits[o + labels[a]] += dw[base + a] * xv;
      }
    }
  }

  /** Up-to-date log-odds of a whole batch: computed once, then corrected after each update. */
  private batchLogits(batch: PreparedBatch): Float64Array {
    let entry = this.batches.get(batch);
    if (entry && entry.version === this.version) return entry.logits;
    const first = this.deltas[0];
    if (entry && first && entry.version >= first.version - 1) {
      for (const d of this.deltas) if (d.version > entry.version) this.correct(batch, entry.logits, d);
    } else {
      entry = {
        version: this.version,
        logits: entry?.logits ?? new Float64Array(batch.parts * this.model.labelCount),
      };
      this.scoreAll(batch, entry.logits);
      this.batches.set(batch, entry);
    }
    entry.version = this.version;
    return entry.logits;
  }

  /** Log-odds of a prepared text: from its batch when it has one, else computed afresh. */
  logits(p: PreparedText): CachedLogits {
    const L = this.model.labelCount;
    const multi = p.units.length > 1;
    if (p.batch && p.part !== undefined) {
      const data = this.batchLogits(p.batch);
      const whole = p.part * L;
      return { data, whole, units: multi ? p.units.map((_, i) => whole + (i + 1) * L) : [] };
    }
    const data = new Float64Array((multi ? p.units.length + 1 : 1) * L);
    this.model.logits(p.whole.x, p.whole.z, data, 0);
    if (multi) p.units.forEach((u, i) => this.model.logits(u.x, u.z, data, (i + 1) * L));
    return { data, whole: 0, units: multi ? p.units.map((_, i) => (i + 1) * L) : [] };
  }
}
