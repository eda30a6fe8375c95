import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CsvError, parseCsv, toRecords, type CsvTable } from '../modules/analysis/index.ts';

/** Bad input a person can fix: a message naming the file, row and column; the command exits with 2. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly row?: number,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** "IN.csv, row 3, column labels: unknown theme id "x"". */
  describe(): string {
    const where = [
      this.file ? path.basename(this.file) : '',
      this.row !== undefined ? `row ${this.row}` : '',
      this.column ? `column ${this.column}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return bytes.length;
}

/** Reads a file as strict UTF-8; an unreadable, non-UTF-8 or empty file is an InputError. */
export function readUtf8(file: string): string {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputError(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const row = bytes.subarray(0, at).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 1);
    throw new InputError(file, `the file is not valid UTF-8 (byte ${at}); save it as UTF-8`, row);
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new InputError(file, 'the file is empty');
  return text;
}

/** Parses a CSV file's text and checks it has the required columns and at least one data row. */
export function readTable(file: string, text: string, required: readonly string[]): CsvTable {
  let table: CsvTable;
  try {
    table = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw new InputError(file, e.message, e.line);
    throw e;
  }
  for (const col of required) {
    if (!table.header.includes(col))
      throw new InputError(
        file,
        `missing column "${col}" (the header has: ${table.header.join(', ')})`,
        1,
        col,
      );
  }
  if (table.rows.length === 0) throw new InputError(file, 'the file has a header but no rows', 2);
  return table;
}

/** Records of a table keyed by column, with their line numbers. */
export function records(table: CsvTable): { line: number; values: Record<string, string> }[] {
  return toRecords(table);
}

/** Writes a file all at once through a temporary file, so a failure never leaves half an output. */
export function writeAtomically(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, 'utf8');
  renameSync(tmp, file);
}

/** Splits a ';'-separated list, dropping blanks. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}
