import type { ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.ts';
import { newToken } from '../../lib/ids.ts';
import { envLimit } from '../../lib/lru.ts';
import { compareStreamIds, type BusEntry, type BusMessage, type LiveBus } from './live.bus.ts';
import type { AnswerOut, LiveEventName, LiveEvents, RoomState } from './live.events.ts';
import { answerOut, countParticipants, findRoomById, responsesOf } from './live.repository.ts';
import { Aggregate } from './live.results.ts';
import { loadRoomState } from './live.state.ts';
import type { LiveRoomTable } from './live.tables.ts';

export type Channel = 'attendee' | 'screen' | 'console';
const CHANNELS: Channel[] = ['attendee', 'screen', 'console'];
const RING = 256;
const SLICE = 500;
const SCREEN_TICK_MS = 100;
const ATTENDEE_EVERY = 10; // attendee ticks every 10 screen ticks: about once a second
/** A room nobody watches in this process is unloaded after this long without use (LIVE_ROOM_IDLE_MS). */
const ROOM_IDLE_MS = envLimit('LIVE_ROOM_IDLE_MS', 5 * 60_000);
/** Where the hub reports what went wrong (a pino logger fits). */
export interface HubLog {
  warn(obj: object, msg: string): void;
}

interface AggEntry {
  agg: Aggregate | null;
  buffer: AnswerOut[];
  loading: boolean;
}

/** One room as this process sees it: state, running results, subscribers, recent events. */
class RoomHub {
  state: RoomState | null = null;
  row: LiveRoomTable | null = null;
  participants = 0;
  aggs = new Map<string, AggEntry>();
  subs: Record<Channel, Set<ServerResponse>> = { attendee: new Set(), screen: new Set(), console: new Set() };
  rings: Record<Channel, { seq: number; frame: Buffer }[]> = { attendee: [], screen: [], console: [] };
  seq = 0;
  /** Per channel: the newest event that fell out of the ring (a client behind it needs a snapshot). */
  evicted: Record<Channel, number> = { attendee: 0, screen: 0, console: 0 };
  pendingAnswers: AnswerOut[] = [];
  dirtyScreen = false;
  dirtyAttendee = false;
  /** When this process last used the room (a request, a subscriber, a bus message). */
  usedAt = Date.now();
  failed = false;
  /** The bus position up to which this room's answers have gone out to screens (see `emit`). */
  flushed: string;
  ready: Promise<void>;
  constructor(
    public id: string,
    private hub: LiveHub,
  ) {
    this.flushed = hub.cursor;
    this.ready = this.load();
  }

  /** (Re)loads the room; a load that failed (database away) marks the room to be made anew. */
  load(): Promise<void> {
    const p = this.reload();
    this.ready = p;
    p.catch(() => {
      this.failed = true;
    });
    return p;
  }

  async reload() {
    const room = await findRoomById(this.hub.db, this.id);
    if (!room) return;
    this.row = room;
    this.state = await loadRoomState(this.hub.db, room);
    this.participants = await countParticipants(this.hub.db, this.id);
    for (const p of this.state.prompts) if (p.status === 'open') this.agg(p.id);
  }

  /** The running results of a prompt, loading them from the database the first time. */
  agg(promptId: string): Aggregate | null {
    let e = this.aggs.get(promptId);
    if (!e) {
      e = { agg: null, buffer: [], loading: false };
      this.aggs.set(promptId, e);
    }
    if (!e.agg && !e.loading) {
      const entry = e;
      const prompt = this.state?.prompts.find((p) => p.id === promptId);
      if (!prompt) return null;
      entry.loading = true;
      void responsesOf(this.hub.db, this.id, promptId)
        .then((rows) => {
          const agg = new Aggregate(prompt);
          for (let i = rows.length - 1; i >= 0; i--) agg.add(answerOut(rows[i]));
          for (const a of entry.buffer) agg.add(a);
          entry.buffer = [];
          entry.agg = agg;
          this.dirtyScreen = this.dirtyAttendee = true;
        })
        .catch((e: unknown) =>
          // The next tick or request asks again (entry.agg is still null).
          this.hub.log.warn({ err: e, roomId: this.id, promptId }, 'live results could not be loaded'),
        )
        .finally(() => {
          entry.loading = false;
        });
    }
    return e.agg;
  }

  addAnswers(answers: AnswerOut[]) {
    for (const a of answers) {
      const e = this.aggs.get(a.promptId);
      if (e?.agg) e.agg.add(a);
      else if (e) e.buffer.push(a);
      this.pendingAnswers.push(a);
    }
    this.dirtyScreen = this.dirtyAttendee = true;
  }

  /**
   * An event id says where a client is: this process and its ring (`boot:seq`), and the bus
   * position whose answers it has been sent (`flushed`), so another process can resume it.
   */
  eventId(seq = this.seq): string {
    return `${this.hub.boot}:${seq}:${this.flushed}`;
  }

  /** Sends an event to a channel's subscribers and keeps it for Last-Event-ID resumption. */
  emit<K extends LiveEventName>(channel: Channel, name: K, data: LiveEvents[K]) {
    const seq = ++this.seq;
    // Encoded once: 10,000 streams then share one buffer instead of each encoding the text again.
    const frame = Buffer.from(`id: ${this.eventId(seq)}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    const ring = this.rings[channel];
    ring.push({ seq, frame });
    if (ring.length > RING) this.evicted[channel] = ring.shift()!.seq;
    const subs = this.subs[channel];
    if (subs.size <= SLICE) for (const res of subs) res.write(frame);
    else {
      // 10,000 phones: write in slices between other work, so answers are not held up by a tick.
      const list = [...subs];
      let i = 0;
      const step = () => {
        for (const end = Math.min(i + SLICE, list.length); i < end; i++)
          if (!list[i].destroyed) list[i].write(frame);
        if (i < list.length) setImmediate(step);
      };
      step();
    }
  }

  tick(attendeeTurn: boolean, countTurn: boolean) {
    if (!this.state) return;
    if (this.dirtyScreen) {
      this.dirtyScreen = false;
      const batch = this.pendingAnswers;
      this.pendingAnswers = [];
      // Every answer the bus delivered so far is in this batch: later frames carry that position.
      this.flushed = this.hub.cursor;
      if (batch.length) {
        if (this.subs.console.size || this.rings.console.length)
          this.emit('console', 'answers.new', { answers: batch });
        const visible = batch.filter((a) => a.status === 'visible');
        if (visible.length) this.emit('screen', 'answers.new', { answers: visible });
      }
      for (const p of this.state.prompts) {
        if (p.status !== 'open' && p.id !== this.state.currentPromptId) continue;
        const results = this.agg(p.id)?.results() ?? null;
        const total = results?.total ?? 0;
        this.emit('screen', 'results.tick', {
          promptId: p.id,
          total,
          participants: this.participants,
          results,
        });
        this.emit('console', 'results.tick', {
          promptId: p.id,
          total,
          participants: this.participants,
          results,
        });
      }
    }
    // Attendees need results only once revealed (then about once a second); before that a
    // participation count every few seconds is enough — 10,000 phones, one write each.
    const anyRevealed = this.state.prompts.some(
      (p) => p.revealed && (p.status === 'open' || p.id === this.state!.currentPromptId),
    );
    if (attendeeTurn && this.dirtyAttendee && (anyRevealed || countTurn)) {
      this.dirtyAttendee = false;
      for (const p of this.state.prompts) {
        if (p.status !== 'open' && !(p.revealed && p.id === this.state.currentPromptId)) continue;
        const results = this.agg(p.id)?.results() ?? null;
        this.emit('attendee', 'results.tick', {
          promptId: p.id,
          total: results?.total ?? 0,
          participants: this.participants,
          results: p.revealed ? results : null,
        });
      }
    }
  }

  /** The answers and moderation a client missed, from the bus's history, as frames (one string). */
  replay(channel: Channel, entries: BusEntry[]): string {
    if (channel === 'attendee') return '';
    const id = this.eventId();
    const parts: string[] = [];
    for (const { msg } of entries) {
      if (msg.t === 'answers') {
        const answers =
          channel === 'screen' ? msg.answers.filter((a) => a.status === 'visible') : msg.answers;
        if (answers.length)
          parts.push(`id: ${id}\nevent: answers.new\ndata: ${JSON.stringify({ answers })}\n\n`);
      } else if (msg.t === 'moderation')
        parts.push(
          `id: ${id}\nevent: moderation.changed\ndata: ${JSON.stringify({ answers: msg.answers })}\n\n`,
        );
    }
    return parts.join('');
  }

  /** Snapshot for a (re)connecting client whose last event is no longer in the ring. */
  private attendeeSnapshot: { key: string; frame: string } | null = null;

  /**
   * Snapshot for a (re)connecting client whose last event is no longer in the ring, as ONE string
   * (one write). Attendees all get the same one, so it is built at most once per event or second.
   */
  snapshot(channel: Channel, recent: AnswerOut[]): string {
    if (!this.state) return '';
    const key = `${this.seq}:${Math.floor(Date.now() / 1000)}`;
    if (channel === 'attendee' && this.attendeeSnapshot?.key === key) return this.attendeeSnapshot.frame;
    const id = this.eventId();
    const parts: string[] = [];
    const add = <K extends LiveEventName>(name: K, data: LiveEvents[K]) =>
      parts.push(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    add('room.state', this.state);
    if (recent.length)
      add('answers.new', {
        answers: channel === 'screen' ? recent.filter((a) => a.status === 'visible') : recent,
      });
    for (const p of this.state.prompts) {
      if (p.status === 'draft') continue;
      const results = this.aggs.get(p.id)?.agg?.results() ?? null;
      add('results.tick', {
        promptId: p.id,
        total: results?.total ?? 0,
        participants: this.participants,
        results: channel === 'attendee' && !p.revealed ? null : results,
      });
    }
    const frame = parts.join('');
    if (channel === 'attendee') this.attendeeSnapshot = { key, frame };
    return frame;
  }
}

/**
 * Live fan-out in this process: answers and control changes arrive from the bus (from this or
 * another process), are folded into per-room running results, and go out on a tick — about once a
 * second to attendees, every 100 ms to presenter and facilitator screens — never one message per
 * answer to everyone. A connection costs one ServerResponse in a Set.
 */
export class LiveHub {
  rooms = new Map<string, RoomHub>();
  boot = newToken(4);
  /** The id of the last bus message handled here ('' on a bus without a shared order). */
  cursor = '';
  private timer: NodeJS.Timeout;
  private heartbeat: NodeJS.Timeout;
  private turn = 0;
  private sweeper: NodeJS.Timeout;
  constructor(
    public db: Kysely<Database>,
    private bus: LiveBus,
    public log: HubLog = { warn: () => {} },
  ) {
    bus.subscribe((m, id) => {
      if (id) this.cursor = id;
      try {
        this.onMessage(m);
      } catch (e) {
        // One bad message (from another process, or a bug) must not stop the others.
        log.warn({ err: e, message: m.t, roomId: m.roomId }, 'live bus message failed');
      }
    });
    this.timer = setInterval(() => {
      const attendeeTurn = ++this.turn % ATTENDEE_EVERY === 0;
      const countTurn = this.turn % (ATTENDEE_EVERY * 5) === 0;
      for (const room of this.rooms.values()) room.tick(attendeeTurn, countTurn);
    }, SCREEN_TICK_MS);
    this.heartbeat = setInterval(() => {
      for (const room of this.rooms.values())
        for (const c of CHANNELS) for (const res of room.subs[c]) res.write(':\n\n');
    }, 20_000);
    // Rooms are unloaded when nobody here watches them and they have not been used for a while
    // (a closed session's room goes away by itself): months of sessions, bounded memory and ticks.
    this.sweeper = setInterval(() => this.unloadIdle(), Math.min(30_000, ROOM_IDLE_MS));
    this.timer.unref();
    this.heartbeat.unref();
    this.sweeper.unref();
  }

  /** Unloads rooms without subscribers here that were not used for `idleMs`; returns how many. */
  unloadIdle(idleMs = ROOM_IDLE_MS, now = Date.now()): number {
    let n = 0;
    for (const [id, r] of this.rooms) {
      if (r.subs.attendee.size || r.subs.screen.size || r.subs.console.size) continue;
      if (now - r.usedAt < idleMs) continue;
      this.rooms.delete(id);
      n++;
    }
    return n;
  }

  publish(msg: BusMessage) {
    this.bus.publish(msg);
  }

  /** A room with its state loaded (from memory after the first time). */
  async loaded(roomId: string): Promise<RoomHub> {
    const r = this.room(roomId);
    await r.ready;
    return r;
  }

  /** Reloads a room here now and tells every process (and their screens) that it changed. */
  async refresh(roomId: string) {
    const r = this.room(roomId);
    await r.ready;
    await r.load();
    this.bus.publish({ t: 'room', roomId, from: this.boot });
  }

  private room(roomId: string): RoomHub {
    let r = this.rooms.get(roomId);
    if (!r || r.failed) {
      r = new RoomHub(roomId, this);
      this.rooms.set(roomId, r);
    }
    r.usedAt = Date.now();
    return r;
  }

  private onMessage(m: BusMessage) {
    const r = this.rooms.get(m.roomId);
    if (!r) return; // nobody watches this room in this process
    r.usedAt = Date.now();
    if (m.t === 'answers') {
      r.addAnswers(m.answers);
      if (m.joined) r.participants += m.joined;
    } else if (m.t === 'joined') {
      r.participants += m.n ?? 1;
      r.dirtyScreen = r.dirtyAttendee = true;
    } else if (m.t === 'upvote') {
      r.aggs.get(m.promptId)?.agg?.upvoted(m.id, m.upvotes);
      r.dirtyScreen = r.dirtyAttendee = true;
    } else if (m.t === 'moderation') {
      for (const a of m.answers) r.aggs.delete(a.promptId); // recount without hidden answers
      for (const a of m.answers) r.agg(a.promptId);
      r.emit('console', 'moderation.changed', { answers: m.answers });
      r.emit('screen', 'moderation.changed', { answers: m.answers });
      r.dirtyScreen = r.dirtyAttendee = true;
    } else if (m.t === 'room') {
      const reload = m.from === this.boot ? Promise.resolve() : (r.ready = r.reload());
      // A failed reload (the database is away) keeps the state this process had; the next
      // change or request reloads again. `ready` must not stay rejected for later requests.
      r.ready = reload.then(
        () => {
          if (!r.state) return;
          for (const c of CHANNELS) r.emit(c, 'room.state', r.state);
          r.dirtyScreen = r.dirtyAttendee = true;
        },
        (e: unknown) => this.log.warn({ err: e, roomId: m.roomId }, 'live room could not be reloaded'),
      );
    }
  }

  /**
   * Attaches an SSE response to a room's channel. A client that was here gets the events it missed
   * from the ring; one that was on another process gets the answers it missed from the bus's
   * history (Redis), then the current state; anyone else gets a snapshot with recent answers.
   */
  async attach(roomId: string, channel: Channel, res: ServerResponse, lastEventId: string | undefined) {
    const r = this.room(roomId);
    await r.ready;
    const [boot, seqText, position] = (lastEventId ?? '').split(':');
    const seq = Number(seqText);
    let out = 'retry: 2000\n\n';
    if (boot === this.boot && Number.isInteger(seq) && seq <= r.seq && seq >= r.evicted[channel]) {
      for (const e of r.rings[channel]) if (e.seq > seq) out += e.frame.toString();
    } else {
      const missed = position ? await this.bus.history(position) : null;
      if (missed) {
        // Only what already went out here: later answers reach this client with the next tick.
        const upTo = r.flushed;
        const entries = missed.filter(
          (e) => e.msg.roomId === roomId && upTo && compareStreamIds(e.id, upTo) <= 0,
        );
        out += r.snapshot(channel, []) + r.replay(channel, entries);
      } else {
        const recent = channel === 'attendee' ? [] : await this.recentAnswers(r);
        out += r.snapshot(channel, recent);
      }
    }
    res.write(out);
    r.subs[channel].add(res);
    res.on('close', () => r.subs[channel].delete(res));
  }

  private async recentAnswers(r: RoomHub): Promise<AnswerOut[]> {
    const current = r.state?.currentPromptId;
    if (!current) return [];
    return (await responsesOf(this.db, r.id, current, undefined, 50)).map(answerOut).reverse();
  }

  /** Connected clients in this process (for figures and tests). */
  connections(): number {
    let n = 0;
    for (const r of this.rooms.values()) for (const c of CHANNELS) n += r.subs[c].size;
    return n;
  }

  async close() {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    clearInterval(this.sweeper);
    for (const r of this.rooms.values()) for (const c of CHANNELS) for (const res of r.subs[c]) res.end();
    await this.bus.close();
  }
}
