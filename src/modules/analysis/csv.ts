/** A parsed CSV table: the header row and the data rows, each with the 1-based line it starts on. */
export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

/** One data row, with the physical line it starts on so errors can point at it. */
export interface CsvRow {
  line: number;
  cells: string[];
}

/** A CSV syntax error, with the 1-based line it was found on. */
export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvError';
  }
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, optional BOM) into rows of cells. */
export function parseCsvRecords(text: string): CsvRow[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRow[] = [];
  let cells: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let inQuotes = false;
  let fieldStarted = false;
  let closed = false;
  let i = 0;
  const n = src.length;
  const endRecord = (): void => {
    cells.push(field);
    // A blank line is not a record: spreadsheets often leave one at the end.
    if (!(cells.length === 1 && cells[0] === '' && !fieldStarted)) records.push({ line: recordLine, cells });
    cells = [];
    field = '';
    fieldStarted = false;
    closed = false;
  };
  while (i < n) {
    const c = src[i];
    if (inQuotes) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        closed = true;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '' || closed) throw new CsvError('a quote appears inside an unquoted field', line);
      inQuotes = true;
      fieldStarted = true;
      i++;
    } else if (c === ',') {
      cells.push(field);
      field = '';
      fieldStarted = true;
      closed = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      if (closed) throw new CsvError('text follows a closing quote', line);
      field += c;
      fieldStarted = true;
      i++;
    }
  }
  if (inQuotes) throw new CsvError('a quoted field is never closed', recordLine);
  if (field !== '' || fieldStarted || cells.length > 0) endRecord();
  return records;
}

/** Parses CSV text with a header row; every data row is padded or checked to the header's width. */
export function parseCsv(text: string): CsvTable {
  const records = parseCsvRecords(text);
  if (records.length === 0) throw new CsvError('the file is empty', 1);
  const header = records[0].cells.map((h) => h.trim());
  const rows = records.slice(1);
  for (const row of rows) {
    if (row.cells.length > header.length) {
      throw new CsvError(`row has ${row.cells.length} fields but the header has ${header.length}`, row.line);
    }
    while (row.cells.length < header.length) row.cells.push('');
  }
  return { header, rows };
}

function quoteCell(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Writes rows as RFC 4180 CSV with CRLF line ends, quoting only where needed. */
export function stringifyCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows].map((r) => r.map(quoteCell).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Turns a parsed table into records keyed by column name. */
export function toRecords(table: CsvTable): { line: number; values: Record<string, string> }[] {
  return table.rows.map((row) => {
    const values: Record<string, string> = {};
    table.header.forEach((h, i) => (values[h] = row.cells[i]));
    return { line: row.line, values };
  });
}
