import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv, parseCsvRecords, stringifyCsv } from './csv.ts';

describe('CSV', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and a BOM', () => {
    const t = parseCsv('\uFEFFid,text\r\n1,"a, ""b""\r\nc"\r\n2,plain\r\n');
    expect(t.header).toEqual(['id', 'text']);
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['1', 'a, "b"\r\nc'],
      ['2', 'plain'],
    ]);
    expect(t.rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('pads short rows and rejects rows wider than the header, naming the line', () => {
    expect(parseCsv('a,b\n1\n').rows[0].cells).toEqual(['1', '']);
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow(CsvError);
    try {
      parseCsv('a,b\n1,2\n1,2,3\n');
    } catch (e) {
      expect((e as CsvError).line).toBe(3);
    }
  });

  it('rejects an unclosed quote and an empty file', () => {
    expect(() => parseCsv('a\n"open\n')).toThrow(/never closed/);
    expect(() => parseCsv('')).toThrow(/empty/);
  });

  it('round-trips any table through stringify and parse', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', '中', ',', '"', '\n', '\r\n', ' ', 'x') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { maxLength: 6 }), (rows) => {
        const text = stringifyCsv(['h1', 'h2'], rows);
        const parsed = parseCsvRecords(text)
          .slice(1)
          .map((r) => r.cells);
        // A row of two empty cells is written as "," and read back as two empty cells.
        expect(parsed).toEqual(rows);
      }),
    );
  });
});
