import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import './live.tables.ts';
import type { LiveParticipantTable, LiveResponseTable } from './live.tables.ts';

export type NewResponse = Omit<LiveResponseTable, 'pinned' | 'answered' | 'upvotes'>;
export interface WriteResult {
  id: string;
  duplicate: boolean;
  row: NewResponse;
  /** The participant was created by this write (their first answer). */
  joined?: boolean;
}
interface Pending {
  row: NewResponse;
  participant?: LiveParticipantTable;
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
    private onCommitted: (rows: NewResponse[], joined: string[]) => void,
    private windowMs = Number(process.env.LIVE_GROUP_COMMIT_MS ?? 3),
  ) {}

  /** Queues one answer; resolves once it is committed (or found already committed). */
  write(row: NewResponse, participant?: LiveParticipantTable): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, participant, resolve, reject });
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
        results = await this.db.transaction().execute((trx) => insertAll(trx, batch));
      } catch {
        // One bad row must not sink its neighbours: retry each in its own transaction.
        results = [];
        for (const p of batch) {
          try {
            results.push((await this.db.transaction().execute((trx) => insertAll(trx, [p])))[0]);
          } catch (e) {
            results.push(e as AppError);
          }
        }
      }
      const fresh: NewResponse[] = [];
      const joined: string[] = [];
      batch.forEach((p, i) => {
        const r = results[i];
        if (r instanceof Error) p.reject(r);
        else {
          if (!r.duplicate) fresh.push(r.row);
          if (r.joined) joined.push(r.row.room_id);
          p.resolve(r);
        }
      });
      if (fresh.length || joined.length) this.onCommitted(fresh, joined);
    } finally {
      this.flushing = false;
      if (this.queue.length) this.schedule();
    }
  }
}

async function insertAll(trx: Kysely<Database>, items: Pick<Pending, 'row' | 'participant'>[]): Promise<(WriteResult | AppError)[]> {
  const out: (WriteResult | AppError)[] = [];
  for (const item of items) {
    let row = item.row;
    let joined = false;
    // A first answer creates its participant in the same commit (no extra fsync per newcomer).
    if (item.participant) {
      const p = item.participant;
      joined = !!(await trx.insertInto('live_participant').values(p).onConflict((oc) => oc.columns(['room_id', 'key_hash']).doNothing()).returning('id').executeTakeFirst());
      if (!joined) {
        const existing = await trx.selectFrom('live_participant').select('id').where('room_id', '=', p.room_id).where('key_hash', '=', p.key_hash).executeTakeFirstOrThrow();
        row = { ...row, participant_id: existing.id, vote_key: row.vote_key ? `${row.prompt_id}:${existing.id}` : null };
      }
    }
    const inserted = await trx.insertInto('live_response').values({ ...row, pinned: 0, answered: 0, upvotes: 0 }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    if (inserted) {
      out.push({ id: row.id, duplicate: false, row, joined });
      continue;
    }
    const same = await trx.selectFrom('live_response').selectAll().where('room_id', '=', row.room_id).where('client_key', '=', row.client_key).executeTakeFirst();
    if (same && same.participant_id === row.participant_id) out.push({ id: same.id, duplicate: true, row: same, joined });
    else if (same) out.push(new AppError(409, 'client_key_taken', 'This client key is already used by someone else; generate a new one.', 'clientKey'));
    else out.push(new AppError(409, 'already_answered', 'You have already answered this question.', 'promptId'));
  }
  return out;
}
