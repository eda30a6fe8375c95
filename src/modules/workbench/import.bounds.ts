// Limits on imported files, checked before any parser sees them: a file may be refused, never
// allowed to freeze the server. Pure functions over bytes; the caller turns errors into 413/422.
import { inflateRawSync } from 'node:zlib';
import { AppError } from '../../lib/errors.ts';
import type { ImportKind } from './sources.parse.ts';

/** The largest file accepted (bytes as uploaded). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** The most a workbook may unpack to, over all its parts (declared sizes, checked before inflating). */
export const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
/** Rows (lines of text files) per import. */
export const MAX_IMPORT_ROWS = 100_000;
/** One line of a text file. */
export const MAX_LINE_CHARS = 1_000_000;
/** One answer: longer ones are left out with a message (analysis cost grows with length). */
export const MAX_UNIT_CHARS = 20_000;

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

const tooLarge = (code: string, message: string) => new AppError(413, code, message, 'file');

/**
 * The parts of a ZIP file (XLSX) with their declared sizes, read from the central directory only:
 * nothing is inflated. Returns null when the bytes are not a ZIP file.
 */
export interface ZipEntry {
  name: string;
  compressed: number;
  size: number;
  method: number;
  offset: number;
}

export function zipEntries(buf: Buffer): ZipEntry[] | null {
  // The end-of-central-directory record is in the last 64 KiB + 22 bytes.
  const from = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= from; i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) return null;
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    out.push({
      name: buf.toString('utf8', at + 46, at + 46 + nameLen),
      compressed,
      size,
      method: buf.readUInt16LE(at + 10),
      offset: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Refuses a workbook whose parts would unpack beyond the limit (a ZIP bomb) before it is opened. */
export function checkWorkbook(buf: Buffer): void {
  const entries = zipEntries(buf);
  if (!entries) return; // not a ZIP: the parser says "this is not an XLSX workbook"
  if (entries.length > 10_000)
    throw tooLarge(
      'workbook_too_large',
      `This workbook has ${entries.length} parts; at most 10,000 are read.`,
    );
  let total = 0;
  for (const e of entries) {
    // 0xFFFFFFFF means ZIP64: a part of 4 GB or more.
    if (e.size === 0xffffffff || e.compressed === 0xffffffff)
      throw tooLarge('workbook_too_large', 'This workbook has a part of 4 GB or more.');
    total += e.size;
  }
  if (total > MAX_UNPACKED_BYTES)
    throw tooLarge(
      'workbook_too_large',
      `This workbook would unpack to ${mb(total)}; at most ${mb(MAX_UNPACKED_BYTES)} are read. Split it, or save it as CSV.`,
    );
  // Rows are counted in the raw sheet XML (inflated with a cap) before the workbook parser builds
  // objects for them: a million empty rows fit in a few MB but take the parser many seconds.
  for (const e of entries) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(e.name) || e.offset + 30 > buf.length) continue;
    if (buf.readUInt32LE(e.offset) !== 0x04034b50) continue;
    const start = e.offset + 30 + buf.readUInt16LE(e.offset + 26) + buf.readUInt16LE(e.offset + 28);
    const raw = buf.subarray(start, start + e.compressed);
    let xml: Buffer;
    try {
      xml = e.method === 0 ? raw : inflateRawSync(raw, { maxOutputLength: MAX_UNPACKED_BYTES });
    } catch {
      throw tooLarge(
        'workbook_too_large',
        `This workbook's sheet unpacks to more than ${mb(MAX_UNPACKED_BYTES)}.`,
      );
    }
    let rows = 0;
    for (let i = xml.indexOf('<row'); i >= 0; i = xml.indexOf('<row', i + 4)) rows++;
    checkRowCount(rows);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('windows-1252');

/**
 * Text as UTF-8: UTF-8 (with or without BOM) as it is, UTF-16 with a BOM decoded, anything else read
 * as Windows-1252 (a superset of Latin-1, what spreadsheet programs write on Western Windows).
 */
export function toUtf8(buf: Buffer): { data: Buffer; encoding: string } {
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return { data: Buffer.from(new TextDecoder('utf-16le').decode(buf), 'utf8'), encoding: 'UTF-16LE' };
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return { data: Buffer.from(new TextDecoder('utf-16be').decode(buf), 'utf8'), encoding: 'UTF-16BE' };
  try {
    utf8.decode(buf);
    return { data: buf, encoding: 'UTF-8' };
  } catch {
    const text = latin1.decode(buf);
    // Control characters other than tab and line ends mean this is no text file at all.
    if (/[\u0000-\u0008\u000e-\u001f]/.test(text))
      throw new AppError(
        422,
        'unreadable_encoding',
        'This file is not text in a known encoding. Save it as CSV in UTF-8 and try again.',
        'file',
      );
    return { data: Buffer.from(text, 'utf8'), encoding: 'Windows-1252' };
  }
}

/** Refuses text with too many lines or a line too long to be an answer, counting in one pass. */
export function checkLines(buf: Buffer): void {
  let lines = 0;
  let start = 0;
  for (;;) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl;
    if (
      end - start > MAX_LINE_CHARS * 4 ||
      (end - start > MAX_LINE_CHARS && buf.toString('utf8', start, end).length > MAX_LINE_CHARS)
    )
      throw new AppError(
        422,
        'line_too_long',
        `Line ${lines + 1} is longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters; is this the right file?`,
        'file',
      );
    lines++;
    if (lines > MAX_IMPORT_ROWS + 1)
      throw tooLarge(
        'too_many_rows',
        `This file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows; split it into smaller files.`,
      );
    if (nl < 0) break;
    start = nl + 1;
  }
}

/**
 * Every check an upload passes before parsing: size, then (workbooks) declared unpacked size, or
 * (text) encoding, line length and line count. Returns the bytes to parse (text as UTF-8).
 */
export function boundedImport(kind: ImportKind, data: Buffer): { data: Buffer; encoding?: string } {
  if (data.length > MAX_IMPORT_BYTES)
    throw tooLarge(
      'file_too_large',
      `This file has ${mb(data.length)}; at most ${mb(MAX_IMPORT_BYTES)} can be imported at once. Split it into smaller files.`,
    );
  if (kind === 'xlsx') {
    checkWorkbook(data);
    return { data };
  }
  const text = toUtf8(data);
  checkLines(text.data);
  return text;
}

/** Refuses a workbook with too many rows once read (rows of a sheet are not lines of the file). */
export function checkRowCount(rows: number): void {
  if (rows > MAX_IMPORT_ROWS)
    throw tooLarge(
      'too_many_rows',
      `This file has ${rows.toLocaleString('en')} rows; at most ${MAX_IMPORT_ROWS.toLocaleString('en')} are imported at once. Split it into smaller files.`,
    );
}
