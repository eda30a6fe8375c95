// A minimal PNG encoder and bar chart for the DOCX report: no browser, no native module.
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 as PNG chunks need it. */
export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** An RGB image in memory. */
export class Raster {
  readonly data: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background: [number, number, number] = [255, 255, 255],
  ) {
    this.data = new Uint8Array(width * height * 3);
    for (let i = 0; i < width * height; i++) this.data.set(background, i * 3);
  }
  /** Fills a rectangle (clipped to the image). */
  rect(x: number, y: number, w: number, h: number, rgb: [number, number, number]): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let yy = y0; yy < y1; yy++)
      for (let xx = x0; xx < x1; xx++) this.data.set(rgb, (yy * this.width + xx) * 3);
  }
}

/** Encodes an RGB raster as a PNG file. */
export function encodePng(r: Raster): Buffer {
  const stride = r.width * 3;
  const raw = Buffer.alloc((stride + 1) * r.height);
  for (let y = 0; y < r.height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    raw.set(r.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(r.width, 0);
  ihdr.writeUInt32BE(r.height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A horizontal bar chart (share with its interval as a thin line) as PNG; labels go beside it in the document. */
export function barChartPng(
  bars: readonly { share: number; low: number; high: number }[],
  width = 480,
): Buffer {
  const rowH = 26;
  const height = Math.max(1, bars.length) * rowH + 10;
  const r = new Raster(width, height);
  const max = width - 20;
  bars.forEach((b, i) => {
    const y = 5 + i * rowH;
    r.rect(10, y + 4, Math.max(2, max * Math.min(1, b.share)), 16, [11, 92, 173]);
    const lo = 10 + max * Math.max(0, b.low);
    const hi = 10 + max * Math.min(1, b.high);
    r.rect(lo, y + 11, Math.max(1, hi - lo), 2, [27, 31, 36]);
    r.rect(lo, y + 7, 1, 10, [27, 31, 36]);
    r.rect(hi, y + 7, 1, 10, [27, 31, 36]);
  });
  r.rect(10, 0, 1, height, [140, 149, 159]);
  return encodePng(r);
}
