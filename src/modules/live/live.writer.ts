import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import './live.tables.ts';
import type { LiveResponseTable } from './live.tables.ts';

export type NewResponse = Omit<LiveResponseTable, 'pinned' | 'answered' | 'upvotes'>;
export interface WriteResult {
  id: string;
  duplicate: boolean;
  row: NewResponse;
}
interface Pending {
  row: NewResponse;
  resolve: (r: WriteResult) => void;
  reject: (e: unknown) => void;
}

const MAX_BATCH = 400;

/**
 * Group commit: answers arriving within a few milliseconds are inserted in ONE transaction, and
 * each caller is answered only after that transaction committed (durable acknowledgement), so an
 * fsync is shared by hundreds of answers. Duplicates (same room and client key) are detected by
 * the unique constraint with ON CONFLICT DO NOTHING — the same SQL on SQLite and PostgreSQL.
 */
export class ResponseWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing = false;
  constructor(
    private db: Kysely<Database>,
    private onCommitted: (rows: NewResponse[]) => void,
    private windowMs = Number(process.env.LIVE_GROUP_COMMIT_MS ?? 3),
  ) {}

  /** Queues one answer; resolves once it is committed (or found already committed). */
  write(row: NewResponse): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.flushing || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.queue.length >= MAX_BATCH ? 0 : this.windowMs);
  }

  /** Waits until everything queued so far is written. */
  async drain(): Promise<void> {
    while (this.queue.length || this.flushing) await new Promise((r) => setTimeout(r, 5));
  }

  private async flush() {
    if (this.flushing || !this.queue.length) return;
    this.flushing = true;
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      let results: (WriteResult | AppError)[];
      try {
        results = await this.db.transaction().execute((trx) => insertAll(trx, batch.map((p) => p.row)));
      } catch {
        // One bad row must not sink its neighbours: retry each in its own transaction.
        results = [];
        for (const p of batch) {
          try {
            results.push((await this.db.transaction().execute((trx) => insertAll(trx, [p.row])))[0]);
          } catch (e) {
            results.push(e as AppError);
          }
        }
      }
      const fresh: NewResponse[] = [];
      batch.forEach((p, i) => {
        const r = results[i];
        if (r instanceof Error) p.reject(r);
        else {
          if (!r.duplicate) fresh.push(r.row);
          p.resolve(r);
        }
      });
      if (fresh.length) this.onCommitted(fresh);
    } finally {
      this.flushing = false;
      if (this.queue.length) this.schedule();
    }
  }
}

async function insertAll(trx: Kysely<Database>, rows: NewResponse[]): Promise<(WriteResult | AppError)[]> {
  const out: (WriteResult | AppError)[] = [];
  for (const row of rows) {
    const inserted = await trx.insertInto('live_response').values({ ...row, pinned: 0, answered: 0, upvotes: 0 }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    if (inserted) {
      out.push({ id: row.id, duplicate: false, row });
      continue;
    }
    const same = await trx.selectFrom('live_response').selectAll().where('room_id', '=', row.room_id).where('client_key', '=', row.client_key).executeTakeFirst();
    if (same && same.participant_id === row.participant_id) out.push({ id: same.id, duplicate: true, row: same });
    else if (same) out.push(new AppError(409, 'client_key_taken', 'This client key is already used by someone else; generate a new one.', 'clientKey'));
    else out.push(new AppError(409, 'already_answered', 'You have already answered this question.', 'promptId'));
  }
  return out;
}
