/**
 * A bounded cache: at most `max` entries, each kept at most `ttlMs` after it was last written.
 * Reading an entry makes it recently used (an entry read since the last `max / 2` insertions is
 * never the next to go); writing past `max` drops the least recently used. Every per-process cache goes through this, so a server that runs for months stays bounded.
 */
export class Lru<K, V> {
  private readonly map = new Map<K, { value: V; at: number; pos: number }>();
  /** Insertions so far: an entry's `pos` says how many came after it. */
  private writes = 0;
  constructor(
    readonly max: number,
    readonly ttlMs = Infinity,
    private readonly now: () => number = Date.now,
  ) {
    if (!(max >= 1)) throw new Error(`Lru max must be at least 1, not ${max}`);
  }

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (this.ttlMs !== Infinity && this.now() - e.at > this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    // Map keeps insertion order: re-inserting moves the entry to the most recent end. An entry
    // already in the newer half is left where it is (it cannot be the next to go), so a hot entry
    // costs one lookup, not a delete and an insert, on most reads.
    if (this.writes - e.pos >= this.max / 2) {
      this.map.delete(key);
      e.pos = ++this.writes;
      this.map.set(key, e);
    }
    return e.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    this.map.delete(key);
    this.map.set(key, { value, at: this.now(), pos: ++this.writes });
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
    return this;
  }

  delete(key: K): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }

  get size(): number {
    return this.map.size;
  }

  /** Live values, oldest first (expired ones are skipped, not removed). */
  *values(): IterableIterator<V> {
    const now = this.now();
    for (const e of this.map.values()) if (now - e.at <= this.ttlMs) yield e.value;
  }
}

/** A positive integer from the environment, or the default when unset or not a positive integer. */
export function envLimit(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env[name]);
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback;
}
