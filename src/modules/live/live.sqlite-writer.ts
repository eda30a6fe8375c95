import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../lib/errors.ts';
import type { LiveParticipantTable } from './live.tables.ts';
import type { AnswerWriter, NewResponse, OnCommitted, Resolved, WriteResult } from './live.writer.ts';
import {
  DUPLICATE,
  FAILED,
  INSERTED,
  ITEM_CELLS,
  JOINED,
  RESULT_CELLS,
  WORKER_SOURCE,
} from './live.writer.worker.ts';

interface Pending {
  row: NewResponse;
  participant?: LiveParticipantTable;
  resolve: (r: WriteResult) => void;
  reject: (e: unknown) => void;
}
type Cell = string | number | null;

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

/** A batch as one flat array of cells (see live.writer.worker.ts): cheap to copy to the thread. */
function cellsOf(batch: Pending[]): Cell[] {
  const c: Cell[] = new Array<Cell>(batch.length * ITEM_CELLS).fill(null);
  for (let k = 0, i = 0; k < batch.length; k++, i += ITEM_CELLS) {
    const r = batch[k].row;
    const p = batch[k].participant;
    c[i] = p ? 1 : 0;
    c[i + 1] = r.id;
    c[i + 2] = r.prompt_id;
    c[i + 3] = r.room_id;
    c[i + 4] = r.session_id;
    c[i + 5] = r.participant_id;
    c[i + 6] = r.client_key;
    c[i + 7] = r.vote_key;
    c[i + 8] = r.text;
    c[i + 9] = r.choices;
    c[i + 10] = r.value;
    c[i + 11] = r.language;
    c[i + 12] = r.status;
    c[i + 13] = r.created_at;
    if (p) {
      c[i + 14] = p.id;
      c[i + 15] = p.room_id;
      c[i + 16] = p.key_hash;
      c[i + 17] = p.registration_id;
      c[i + 18] = p.attributes;
      c[i + 19] = p.language;
      c[i + 20] = p.created_at;
    }
  }
  return c;
}

/** The row as written for another participant id (its one-vote key follows). */
function withParticipant(row: NewResponse, participantId: string): NewResponse {
  if (participantId === row.participant_id) return row;
  return {
    ...row,
    participant_id: participantId,
    vote_key: row.vote_key ? `${row.prompt_id}:${participantId}` : null,
  };
}

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
    private onCommitted: OnCommitted,
  ) {
    this.worker = this.start();
  }

  /** Starts the writer thread; if it ever dies, what it held is refused (never acknowledged) and a new one starts. */
  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.file, sqliteModule: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    worker.on('message', (m: { id: number; out: Cell[]; ms: number }) => {
      if (this.commitMs.length < 100_000) this.commitMs.push(m.ms);
      this.done(m.out);
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
    this.worker.postMessage({ id: ++this.seq, cells: cellsOf(this.inFlight) });
  }

  private done(out: Cell[]) {
    const batch = this.inFlight ?? [];
    this.inFlight = null;
    const fresh: NewResponse[] = [];
    const people: Resolved[] = [];
    for (let i = 0, o = 0; i < batch.length; i++, o += RESULT_CELLS) {
      const p = batch[i];
      const code = out[o];
      if (code === INSERTED || code === JOINED) {
        // An existing participant was found for a "new" one (two first answers at once): theirs.
        const row = out[o + 1] === null ? p.row : withParticipant(p.row, out[o + 1] as string);
        fresh.push(row);
        if (p.participant)
          people.push({
            roomId: row.room_id,
            keyHash: p.participant.key_hash,
            id: row.participant_id,
            joined: code === JOINED,
          });
        p.resolve({ id: row.id, duplicate: false, joined: code === JOINED, row });
      } else if (code === DUPLICATE) {
        const row = {
          ...withParticipant(p.row, out[o + 3] as string),
          id: out[o + 1] as string,
          status: out[o + 2] as string,
        };
        p.resolve({ id: row.id, duplicate: true, joined: false, row });
      } else {
        const error = code === FAILED ? (out[o + 1] as string) : '';
        p.reject(
          ERRORS[error] ? ERRORS[error]() : new Error((out[o + 2] as string | null) ?? 'write failed'),
        );
      }
    }
    if (fresh.length || people.length) this.onCommitted(fresh, people);
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
