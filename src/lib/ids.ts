import { randomFillSync } from 'node:crypto';

let lastMs = 0;
let seq = 0;

// Randomness comes from a pool refilled 4 KB at a time: on the live answer path (1,000 ids a
// second) one getrandom call per id showed up in profiles, and one per token (a new attendee's key,
// an anonymous CSRF token) was a tenth of the server's CPU time in bench:ingest. Every byte is
// handed out once, so an id shown in a URL never shares bytes with a token.
const pool = Buffer.alloc(4096);
let at = pool.length;
function take(n: number): Buffer {
  if (n > pool.length) {
    const big = Buffer.alloc(n);
    return randomFillSync(big);
  }
  if (at + n > pool.length) {
    randomFillSync(pool);
    at = 0;
  }
  const b = pool.subarray(at, at + n);
  at += n;
  return b;
}

/** A UUIDv7: time-ordered, so primary-key indexes stay compact, and safe to show in URLs. */
export function newId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1;
    ms = lastMs;
  } else {
    lastMs = ms;
    seq = take(2).readUInt16BE(0) & 0x7ff;
  }
  const b = Buffer.from(take(16));
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A random URL-safe token for cookies, invitations and links sent by e-mail. */
export function newToken(bytes = 32): string {
  return take(bytes).toString('base64url');
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
