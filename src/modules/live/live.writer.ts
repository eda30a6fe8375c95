import type { Kysely } from 'kysely';
import { isDatabaseUnavailable, type Database } from '../../db/index.ts';
import { AppError } from '../../lib/errors.ts';
import './live.tables.ts';
import type { LiveParticipantTable, LiveResponseTable } from './live.tables.ts';

export type NewResponse = Omit<LiveResponseTable, 'pinned' | 'answered' | 'upvotes'>;
/** A participant a commit resolved from their key (created now, or found): every process may cache it. */
export interface Resolved {
  roomId: string;
  keyHash: string;
  id: string;
  /** Created by this commit (their first answer). */
  joined: boolean;
}
/** Called after each commit with the answers stored and the participants it resolved. */
export type OnCommitted = (rows: NewResponse[], people: Resolved[]) => void;
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

/** What the live runtime needs from a group-commit writer (a Kysely one, or SQLite on a worker thread). */
export interface AnswerWriter {
  write(row: NewResponse, participant?: LiveParticipantTable): Promise<WriteResult>;
  drain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Group commit: answers arriving within a few milliseconds are inserted in ONE transaction, and
 * each caller is answered only after that transaction committed (durable acknowledgement), so an
 * fsync is shared by hundreds of answers. Duplicates (same room and client key) are detected by
 * the unique constraint with ON CONFLICT DO NOTHING — the same SQL on SQLite and PostgreSQL.
 */
export class ResponseWriter implements AnswerWriter {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing = 0;
  constructor(
    private db: Kysely<Database>,
    private onCommitted: OnCommitted,
    private windowMs = Number(process.env.LIVE_GROUP_COMMIT_MS ?? 3),
    // PostgreSQL commits several batches at once over its pool; an SQLite connection one at a time.
    private parallel = 1,
  ) {}

  /** Queues one answer; resolves once it is committed (or found already committed). */
  write(row: NewResponse, participant?: LiveParticipantTable): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, participant, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.flushing >= this.parallel || this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.flush();
      },
      this.queue.length >= MAX_BATCH ? 0 : this.windowMs,
    );
  }

  /** Waits until everything queued so far is written. */
  async drain(): Promise<void> {
    while (this.queue.length || this.flushing) await new Promise((r) => setTimeout(r, 5));
  }

  async close(): Promise<void> {
    await this.drain();
  }

  private async flush() {
    if (this.flushing >= this.parallel || !this.queue.length) return;
    this.flushing++;
    const batch = this.queue.splice(0, MAX_BATCH);
    const started = performance.now();
    try {
      let results: (WriteResult | AppError)[];
      try {
        const write = (trx: Kysely<Database>) =>
          batch.length > 1 ? insertMany(trx, batch) : insertAll(trx, batch);
        // Without a newcomer the batch is ONE insert, atomic and durable on its own: no BEGIN and
        // COMMIT round trips (a third of the statements of a steady flood). With newcomers, their
        // participant rows and answers commit together.
        results = batch.some((p) => p.participant)
          ? await this.db.transaction().execute(write)
          : await write(this.db);
      } catch (e) {
        // The database is away (a restart, a cut connection): nothing of the batch is acknowledged,
        // each caller is refused at once and resends with the same client key (stored once).
        if (isDatabaseUnavailable(e)) throw e;
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
      const people: Resolved[] = [];
      batch.forEach((p, i) => {
        const r = results[i];
        if (r instanceof Error) p.reject(r);
        else {
          if (!r.duplicate) fresh.push(r.row);
          if (p.participant)
            people.push({
              roomId: r.row.room_id,
              keyHash: p.participant.key_hash,
              id: r.row.participant_id,
              joined: !!r.joined,
            });
          p.resolve(r);
        }
      });
      if (fresh.length || people.length) this.onCommitted(fresh, people);
      if (process.env.LIVE_DEBUG)
        process.stderr.write(`batch ${batch.length} ${(performance.now() - started).toFixed(1)}ms\n`);
    } catch (e) {
      for (const p of batch) p.reject(e);
    } finally {
      this.flushing--;
      if (this.queue.length) this.schedule();
    }
  }
}

async function insertAll(
  trx: Kysely<Database>,
  items: Pick<Pending, 'row' | 'participant'>[],
): Promise<(WriteResult | AppError)[]> {
  const out: (WriteResult | AppError)[] = [];
  for (const item of items) {
    let row = item.row;
    let joined = false;
    // A first answer creates its participant in the same commit (no extra fsync per newcomer).
    if (item.participant) {
      const p = item.participant;
      joined = !!(await trx
        .insertInto('live_participant')
        .values(p)
        .onConflict((oc) => oc.columns(['room_id', 'key_hash']).doNothing())
        .returning('id')
        .executeTakeFirst());
      if (!joined) {
        const existing = await trx
          .selectFrom('live_participant')
          .select('id')
          .where('room_id', '=', p.room_id)
          .where('key_hash', '=', p.key_hash)
          .executeTakeFirstOrThrow();
        row = {
          ...row,
          participant_id: existing.id,
          vote_key: row.vote_key ? `${row.prompt_id}:${existing.id}` : null,
        };
      }
    }
    const inserted = await trx
      .insertInto('live_response')
      .values({ ...row, pinned: 0, answered: 0, upvotes: 0 })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      out.push({ id: row.id, duplicate: false, row, joined });
      continue;
    }
    const same = await trx
      .selectFrom('live_response')
      .selectAll()
      .where('room_id', '=', row.room_id)
      .where('client_key', '=', row.client_key)
      .executeTakeFirst();
    if (same && same.participant_id === row.participant_id)
      out.push({ id: same.id, duplicate: true, row: same, joined });
    else if (same)
      out.push(
        new AppError(
          409,
          'client_key_taken',
          'This client key is already used by someone else; generate a new one.',
          'clientKey',
        ),
      );
    else
      out.push(new AppError(409, 'already_answered', 'You have already answered this question.', 'promptId'));
  }
  return out;
}

const pkey = (roomId: string, keyHash: string) => `${roomId}\u0000${keyHash}`;

/**
 * The whole batch in a handful of statements (multi-row INSERT … ON CONFLICT DO NOTHING RETURNING,
 * then one SELECT for the conflicts): on PostgreSQL a round trip per row would cap the rate.
 */
async function insertMany(
  trx: Kysely<Database>,
  items: Pick<Pending, 'row' | 'participant'>[],
): Promise<(WriteResult | AppError)[]> {
  const ids = new Map<string, string>(); // room+key hash → participant id
  const joinedIds = new Set<string>();
  const parts = new Map<string, LiveParticipantTable>();
  for (const i of items)
    if (i.participant && !parts.has(pkey(i.participant.room_id, i.participant.key_hash)))
      parts.set(pkey(i.participant.room_id, i.participant.key_hash), i.participant);
  if (parts.size) {
    const inserted = await trx
      .insertInto('live_participant')
      .values([...parts.values()])
      .onConflict((oc) => oc.columns(['room_id', 'key_hash']).doNothing())
      .returning(['id', 'room_id', 'key_hash'])
      .execute();
    for (const r of inserted) {
      ids.set(pkey(r.room_id, r.key_hash), r.id);
      joinedIds.add(r.id);
    }
    const missing = [...parts.values()].filter((p) => !ids.has(pkey(p.room_id, p.key_hash)));
    if (missing.length) {
      const found = await trx
        .selectFrom('live_participant')
        .select(['id', 'room_id', 'key_hash'])
        .where(
          'key_hash',
          'in',
          missing.map((p) => p.key_hash),
        )
        .execute();
      for (const r of found) ids.set(pkey(r.room_id, r.key_hash), r.id);
    }
  }
  const rows = items.map((i) => {
    if (!i.participant) return i.row;
    const id = ids.get(pkey(i.participant.room_id, i.participant.key_hash)) ?? i.row.participant_id;
    return id === i.row.participant_id
      ? i.row
      : { ...i.row, participant_id: id, vote_key: i.row.vote_key ? `${i.row.prompt_id}:${id}` : null };
  });
  const inserted = new Set(
    (
      await trx
        .insertInto('live_response')
        .values(rows.map((r) => ({ ...r, pinned: 0, answered: 0, upvotes: 0 })))
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute()
    ).map((r) => r.id),
  );
  const conflicted = rows.filter((r) => !inserted.has(r.id));
  const existing = new Map<string, { id: string; participant_id: string; status: string }>();
  if (conflicted.length) {
    const found = await trx
      .selectFrom('live_response')
      .select(['id', 'room_id', 'client_key', 'participant_id', 'status'])
      .where(
        'client_key',
        'in',
        conflicted.map((r) => r.client_key),
      )
      .execute();
    for (const f of found) existing.set(`${f.room_id}\u0000${f.client_key}`, f);
  }
  const firstJoin = new Set<string>();
  return rows.map((row) => {
    const joined = joinedIds.has(row.participant_id) && !firstJoin.has(row.participant_id);
    if (joined) firstJoin.add(row.participant_id);
    if (inserted.has(row.id)) return { id: row.id, duplicate: false, row, joined };
    const same = existing.get(`${row.room_id}\u0000${row.client_key}`);
    if (same && same.participant_id === row.participant_id)
      return { id: same.id, duplicate: true, row: { ...row, id: same.id, status: same.status }, joined };
    if (same)
      return new AppError(
        409,
        'client_key_taken',
        'This client key is already used by someone else; generate a new one.',
        'clientKey',
      );
    return new AppError(409, 'already_answered', 'You have already answered this question.', 'promptId');
  });
}
