import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../lib/errors.ts';
import type { LiveParticipantTable } from './live.tables.ts';
import type { AnswerWriter, NewResponse, WriteResult } from './live.writer.ts';
import { WORKER_SOURCE } from './live.writer.worker.ts';

interface Pending {
  row: NewResponse;
  participant?: LiveParticipantTable;
  resolve: (r: WriteResult) => void;
  reject: (e: unknown) => void;
}
type WorkerResult = (WriteResult & { error?: undefined }) | { error: string; message?: string };

const MAX_BATCH = 1000;
const ERRORS: Record<string, () => AppError> = {
  client_key_taken: () =>
    new AppError(
      409,
      'client_key_taken',
      'This client key is already used by someone else; generate a new one.',
      'clientKey',
    ),
  already_answered: () =>
    new AppError(409, 'already_answered', 'You have already answered this question.', 'promptId'),
};

/**
 * SQLite group commit on a worker thread: while one batch is being committed (and fsynced), the
 * next one gathers; each answer is acknowledged after the COMMIT of its batch returned.
 */
export class SqliteWorkerWriter implements AnswerWriter {
  private worker: Worker;
  private queue: Pending[] = [];
  private inFlight: Pending[] | null = null;
  private seq = 0;
  private closing = false;
  /** Commit durations (ms), for LIVE_DEBUG figures. */
  commitMs: number[] = [];
  constructor(
    private file: string,
    private onCommitted: (rows: NewResponse[], joined: string[]) => void,
  ) {
    this.worker = this.start();
  }

  /** Starts the writer thread; if it ever dies, what it held is refused (never acknowledged) and a new one starts. */
  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, sqliteModule: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    worker.on('message', (m: { id: number; results: WorkerResult[]; ms: number }) => {
      if (this.commitMs.length < 100_000) this.commitMs.push(m.ms);
      this.done(m.results);
    });
    worker.on('error', (e) => this.failInFlight(e));
    worker.on('exit', () => {
      if (this.closing) return;
      this.failInFlight(new Error('The answer writer stopped; please retry.'));
      this.worker = this.start();
      this.send();
    });
    worker.unref();
    return worker;
  }

  write(row: NewResponse, participant?: LiveParticipantTable): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, participant, resolve, reject });
      if (!this.inFlight) setImmediate(() => this.send());
    });
  }

  private send() {
    if (this.inFlight || !this.queue.length) return;
    this.inFlight = this.queue.splice(0, MAX_BATCH);
    this.worker.postMessage({
      id: ++this.seq,
      items: this.inFlight.map((p) => ({ row: p.row, participant: p.participant })),
    });
  }

  private done(results: WorkerResult[]) {
    const batch = this.inFlight ?? [];
    this.inFlight = null;
    const fresh: NewResponse[] = [];
    const joined: string[] = [];
    batch.forEach((p, i) => {
      const r = results[i];
      if (!r || r.error !== undefined) {
        p.reject(r && ERRORS[r.error] ? ERRORS[r.error]() : new Error(r?.message ?? 'write failed'));
        return;
      }
      if (!r.duplicate) fresh.push(r.row);
      if (r.joined) joined.push(r.row.room_id);
      p.resolve(r);
    });
    if (fresh.length || joined.length) this.onCommitted(fresh, joined);
    this.send();
  }

  private failInFlight(e: unknown) {
    for (const p of this.inFlight ?? []) p.reject(e);
    this.inFlight = null;
  }

  async drain(): Promise<void> {
    while (this.queue.length || this.inFlight) await new Promise((r) => setTimeout(r, 5));
  }

  async close(): Promise<void> {
    await this.drain();
    this.closing = true;
    if (process.env.LIVE_DEBUG && this.commitMs.length) {
      const c = [...this.commitMs].sort((a, b) => a - b);
      process.stderr.write(
        `live commits: ${c.length} batches, p50 ${c[Math.floor(c.length / 2)].toFixed(1)} p99 ${c[Math.floor(c.length * 0.99)].toFixed(1)} max ${c[c.length - 1].toFixed(1)} ms\n`,
      );
    }
    await this.worker.terminate();
  }
}
