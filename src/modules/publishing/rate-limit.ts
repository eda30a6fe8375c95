/**
 * A per-address sliding window kept only in memory: addresses are never written anywhere, and
 * they are forgotten once their window has passed.
 */
export class AddressRateLimit {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Records a hit; returns 0 when allowed, else the seconds to wait. */
  hit(address: string, now = Date.now()): number {
    const since = now - this.windowMs;
    const list = (this.hits.get(address) ?? []).filter((t) => t > since);
    if (list.length >= this.max) {
      this.hits.set(address, list);
      return Math.max(1, Math.ceil((list[0] + this.windowMs - now) / 1000));
    }
    list.push(now);
    this.hits.set(address, list);
    if (this.hits.size > 10_000) this.sweep(since);
    return 0;
  }

  private sweep(since: number) {
    for (const [k, v] of this.hits) if (!v.some((t) => t > since)) this.hits.delete(k);
  }
}
