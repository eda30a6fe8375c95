import { Redis } from 'ioredis';
import { envLimit } from '../../lib/lru.ts';
import type { AnswerOut } from './live.events.ts';

/** What Colloquy processes tell each other about live rooms (one process alone talks to itself). */
export type BusMessage =
  // One message per commit and room. `joined`: how many of these answers were their participant's
  // first. `people`: [key hash, participant id] of those the commit resolved from a key, so every
  // process knows them at their next answer (round robin) without asking the database.
  | { t: 'answers'; roomId: string; answers: AnswerOut[]; joined?: number; people?: [string, string][] }
  | { t: 'room'; roomId: string; from: string }
  | { t: 'moderation'; roomId: string; answers: AnswerOut[] }
  | { t: 'upvote'; roomId: string; promptId: string; id: string; upvotes: number }
  | { t: 'joined'; roomId: string; n?: number };

/** A message with its place in the bus's order ('' when the bus has no shared order). */
export interface BusEntry {
  id: string;
  msg: BusMessage;
}

export interface LiveBus {
  publish(msg: BusMessage): void;
  /** Delivers every message, in the same order on every process, with its id. */
  subscribe(fn: (msg: BusMessage, id: string) => void): void;
  /**
   * The messages after `after`, oldest first, so an event stream can resume on any process; null
   * when they are no longer kept (or the bus keeps none).
   */
  history(after: string): Promise<BusEntry[] | null>;
  close(): Promise<void>;
}

/** The default: delivery inside this process, asynchronously like a real bus. */
export function memoryBus(): LiveBus {
  const subs: ((m: BusMessage, id: string) => void)[] = [];
  return {
    publish: (msg) => queueMicrotask(() => subs.forEach((fn) => fn(msg, ''))),
    subscribe: (fn) => void subs.push(fn),
    history: async () => null,
    close: async () => {},
  };
}

export const STREAM = 'colloquy:live:stream';

/** Orders Redis stream ids ("ms-seq"): negative when a is older than b. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || (as ?? 0) - (bs ?? 0);
}

/**
 * A short Redis stream shared by all processes (over one PostgreSQL). Every process reads the same
 * messages in the same order, so a stream id says what a screen has seen wherever it reconnects:
 * the stream is both the bus and the memory for `Last-Event-ID` (LIVE_STREAM_LENGTH messages,
 * minutes of a busy event). When Redis is away, readers retry and catch up from their last id.
 */
export async function redisBus(url: string, onError: (e: Error) => void): Promise<LiveBus> {
  const pub = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  const reader = new Redis(url, { maxRetriesPerRequest: null });
  const reads = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
  let lastLog = 0;
  const report = (e: Error) => {
    if (Date.now() - lastLog < 5000) return;
    lastLog = Date.now();
    onError(e);
  };
  for (const c of [pub, reader, reads]) c.on('error', report);
  const length = envLimit('LIVE_STREAM_LENGTH', 20_000);
  const subs: ((m: BusMessage, id: string) => void)[] = [];
  let closed = false;

  // Start after the newest message: a process that starts now has seen nothing before it.
  const top = (await reads.xrevrange(STREAM, '+', '-', 'COUNT', 1))[0];
  let last = top ? top[0] : '0-0';

  const deliver = (id: string, fields: string[]) => {
    let msg: BusMessage;
    try {
      msg = JSON.parse(fields[1]) as BusMessage;
    } catch (e) {
      report(new Error(`unreadable live bus message ${id}: ${(e as Error).message}`));
      return;
    }
    subs.forEach((fn) => fn(msg, id));
  };

  const loop = async () => {
    while (!closed) {
      try {
        const res = await reader.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', STREAM, last);
        for (const [, entries] of res ?? [])
          for (const [id, fields] of entries) {
            last = id;
            deliver(id, fields);
          }
      } catch (e) {
        if (closed) return;
        report(e as Error);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  void loop();

  return {
    publish: (msg) =>
      void pub
        .xadd(STREAM, 'MAXLEN', '~', String(length), '*', 'm', JSON.stringify(msg))
        .catch((e: Error) => report(e)),
    subscribe: (fn) => void subs.push(fn),
    async history(after) {
      try {
        const oldest = (await reads.xrange(STREAM, '-', '+', 'COUNT', 1))[0];
        // Trimmed past the client's place: it needs a snapshot instead.
        if (!oldest || compareStreamIds(oldest[0], after) > 0) return null;
        const out: BusEntry[] = [];
        let from = `(${after}`;
        for (;;) {
          const batch = await reads.xrange(STREAM, from, '+', 'COUNT', 5000);
          for (const [id, fields] of batch) {
            try {
              out.push({ id, msg: JSON.parse(fields[1]) as BusMessage });
            } catch (e) {
              report(new Error(`unreadable live bus message ${id}: ${(e as Error).message}`));
            }
          }
          if (batch.length < 5000) return out;
          from = `(${batch[batch.length - 1][0]}`;
        }
      } catch (e) {
        report(e as Error);
        return null;
      }
    },
    close: async () => {
      closed = true;
      reader.disconnect();
      reads.disconnect();
      pub.disconnect();
    },
  };
}
