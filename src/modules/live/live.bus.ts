import { Redis } from 'ioredis';
import type { AnswerOut } from './live.events.ts';

/** What Colloquy processes tell each other about live rooms (one process alone talks to itself). */
export type BusMessage =
  | { t: 'answers'; roomId: string; answers: AnswerOut[] }
  | { t: 'room'; roomId: string; from: string }
  | { t: 'moderation'; roomId: string; answers: AnswerOut[] }
  | { t: 'upvote'; roomId: string; promptId: string; id: string; upvotes: number }
  | { t: 'joined'; roomId: string };

export interface LiveBus {
  publish(msg: BusMessage): void;
  subscribe(fn: (msg: BusMessage) => void): void;
  close(): Promise<void>;
}

/** The default: delivery inside this process, asynchronously like a real bus. */
export function memoryBus(): LiveBus {
  const subs: ((m: BusMessage) => void)[] = [];
  return {
    publish: (msg) => queueMicrotask(() => subs.forEach((fn) => fn(msg))),
    subscribe: (fn) => void subs.push(fn),
    close: async () => {},
  };
}

const CHANNEL = 'colloquy:live';

/** Redis pub/sub, so several processes (over one PostgreSQL) share live rooms. */
export async function redisBus(url: string, onError: (e: Error) => void): Promise<LiveBus> {
  const pub = new Redis(url, { maxRetriesPerRequest: 3 });
  const sub = new Redis(url, { maxRetriesPerRequest: 3 });
  pub.on('error', onError);
  sub.on('error', onError);
  const subs: ((m: BusMessage) => void)[] = [];
  sub.on('message', (_channel: string, text: string) => {
    let msg: BusMessage;
    try {
      msg = JSON.parse(text) as BusMessage;
    } catch (e) {
      onError(new Error(`unreadable live bus message: ${(e as Error).message}`));
      return;
    }
    subs.forEach((fn) => fn(msg));
  });
  await sub.subscribe(CHANNEL);
  return {
    publish: (msg) => void pub.publish(CHANNEL, JSON.stringify(msg)).catch(onError),
    subscribe: (fn) => void subs.push(fn),
    close: async () => {
      sub.disconnect();
      pub.disconnect();
    },
  };
}
