import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { barChartPng, crc32, encodePng, Raster } from './png.ts';

function chunks(png: Buffer): { type: string; data: Buffer; crcOk: boolean }[] {
  const out = [];
  let o = 8;
  while (o < png.length) {
    const len = png.readUInt32BE(o);
    const type = png.subarray(o + 4, o + 8).toString('ascii');
    const data = png.subarray(o + 8, o + 8 + len);
    const crcOk = png.readUInt32BE(o + 8 + len) === crc32(png.subarray(o + 4, o + 8 + len));
    out.push({ type, data, crcOk });
    o += 12 + len;
  }
  return out;
}

describe('PNG charts for the DOCX report', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('encodes a raster that decodes back to the same pixels', () => {
    const r = new Raster(3, 2);
    r.rect(1, 0, 1, 2, [11, 92, 173]);
    const png = encodePng(r);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const cs = chunks(png);
    expect(cs.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(cs.every((c) => c.crcOk)).toBe(true);
    const raw = inflateSync(cs[1].data);
    expect([...raw.subarray(0, 10)]).toEqual([0, 255, 255, 255, 11, 92, 173, 255, 255, 255]);
  });

  it('draws one bar per theme, longer for a larger share', () => {
    const png = barChartPng(
      [
        { share: 0.5, low: 0.4, high: 0.6 },
        { share: 0.1, low: 0.05, high: 0.2 },
      ],
      200,
    );
    const cs = chunks(png);
    expect(cs[0].data.readUInt32BE(0)).toBe(200);
    const raw = inflateSync(cs[1].data);
    const stride = 200 * 3 + 1;
    const blue = (row: number) => {
      let n = 0;
      for (let x = 0; x < 200; x++) {
        const o = row * stride + 1 + x * 3;
        if (raw[o] === 11 && raw[o + 1] === 92) n++;
      }
      return n;
    };
    expect(blue(5 + 8)).toBeGreaterThan(blue(5 + 26 + 8) * 3);
  });
});
