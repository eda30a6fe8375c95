/**
 * The site icon, built once in memory as a 16×16 ICO (a 32-bit bitmap): browsers ask for
 * `/favicon.ico` on every first visit, and a 404 there fills logs and shows a blank tab icon.
 */

const SIZE = 16;
/** Brand colour as BGRA (the ICO bitmap byte order). */
const FILL = [0x8a, 0x4a, 0x1f, 0xff];

/** Whether pixel (x, y) from the top-left lies inside the rounded square with a white speech dot. */
function pixel(x: number, y: number): number[] {
  const c = (SIZE - 1) / 2;
  const corner = Math.max(Math.abs(x - c) - 4.5, 0) ** 2 + Math.max(Math.abs(y - c) - 4.5, 0) ** 2;
  if (corner > 9) return [0, 0, 0, 0];
  const dot = (x - c) ** 2 + (y - c) ** 2;
  return dot < 9 ? [0xff, 0xff, 0xff, 0xff] : FILL;
}

/** The ICO file's bytes: header, one directory entry, a BITMAPINFOHEADER, pixels bottom-up, AND mask. */
export function faviconIco(): Buffer {
  const pixels = SIZE * SIZE * 4;
  const mask = SIZE * 4; // 1 bit per pixel, rows padded to 4 bytes; all zero (alpha decides)
  const image = 40 + pixels + mask;
  const buf = Buffer.alloc(6 + 16 + image);
  buf.writeUInt16LE(0, 0);
  buf.writeUInt16LE(1, 2); // type: icon
  buf.writeUInt16LE(1, 4); // one image
  buf.writeUInt8(SIZE, 6);
  buf.writeUInt8(SIZE, 7);
  buf.writeUInt16LE(1, 10); // planes
  buf.writeUInt16LE(32, 12); // bits per pixel
  buf.writeUInt32LE(image, 14);
  buf.writeUInt32LE(22, 18); // offset of the image
  let o = 22;
  buf.writeUInt32LE(40, o);
  buf.writeInt32LE(SIZE, o + 4);
  buf.writeInt32LE(SIZE * 2, o + 8); // height counts the XOR and AND bitmaps
  buf.writeUInt16LE(1, o + 12);
  buf.writeUInt16LE(32, o + 14);
  buf.writeUInt32LE(pixels + mask, o + 20);
  o += 40;
  for (let y = SIZE - 1; y >= 0; y--) {
    for (let x = 0; x < SIZE; x++) {
      for (const b of pixel(x, y)) buf.writeUInt8(b, o++);
    }
  }
  return buf;
}
