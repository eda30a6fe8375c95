import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * A rendered public page kept for anonymous readers, split at the one place that differs per
 * visitor (the CSRF token of the comment form). The large part before it is gzip-compressed once
 * and sync-flushed; each response appends the short tail (token and the end of the form) as a
 * stored deflate block, so readers get gzip without any compression work per request.
 */
export class CachedPage {
  readonly at = Date.now();
  private readonly before: Buffer;
  private readonly after: Buffer | null;
  private gz: { head: Buffer; crc: number; len: number } | null = null;

  constructor(html: string, slot: string) {
    const i = html.indexOf(slot);
    this.before = Buffer.from(i < 0 ? html : html.slice(0, i));
    this.after = i < 0 ? null : Buffer.from(html.slice(i + slot.length));
  }

  /** True when the page carries a form that needs the visitor's token. */
  get needsToken(): boolean {
    return this.after !== null;
  }

  /** The page as plain bytes with the token in its place. */
  plain(token: string): Buffer {
    return this.after ? Buffer.concat([this.before, Buffer.from(token), this.after]) : this.before;
  }

  /** Compresses the large part now (off the request path when called after a render). */
  warm(): void {
    this.gzip('');
  }

  /** The page gzip-encoded with the token in its place. */
  gzip(token: string): Buffer {
    if (!this.gz) {
      const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
      const body = deflateRawSync(this.before, { level: 6, finishFlush: this.after ? constants.Z_SYNC_FLUSH : constants.Z_FINISH });
      this.gz = { head: Buffer.concat([header, body]), crc: crc32(this.before), len: this.before.length };
    }
    const tail = this.after ? Buffer.concat([Buffer.from(token), this.after]) : Buffer.alloc(0);
    const parts = [this.gz.head];
    if (this.after) {
      // Stored (uncompressed) blocks of at most 65,535 bytes; the last one is final.
      for (let off = 0; off < tail.length || off === 0; off += 0xffff) {
        const chunk = tail.subarray(off, off + 0xffff);
        const h = Buffer.alloc(5);
        h[0] = off + 0xffff >= tail.length ? 1 : 0;
        h.writeUInt16LE(chunk.length, 1);
        h.writeUInt16LE(~chunk.length & 0xffff, 3);
        parts.push(h, chunk);
      }
    }
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE((this.after ? crc32(tail, this.gz.crc) : this.gz.crc) >>> 0, 0);
    trailer.writeUInt32LE((this.gz.len + tail.length) % 0x100000000, 4);
    parts.push(trailer);
    return Buffer.concat(parts);
  }
}
