// Reading imports into rows: CSV and XLSX survey exports, WebVTT and SRT transcripts, video-platform chat.
import ExcelJS from 'exceljs';
import { CsvError, parseCsvRecords } from '../analysis/index.ts';
import { readZoomSource, type ZoomSourceKind } from './sources.zoom.ts';
import { rowError, type RowError } from './row-errors.ts';

/** A table read from a file: a header and rows keyed by it, each with its line (or row) number. */
export interface ReadTable {
  header: string[];
  rows: { line: number; values: Record<string, string> }[];
  errors: RowError[];
  /**
   * How the `start` column reads: `offset` from the recording's start (transcripts) or `clock`, the
   * time of day (chat). With a date given at import, it makes `submitted_at`.
   */
  timing?: 'offset' | 'clock';
  /** Lines left out on purpose (direct messages, reactions), with why. */
  skipped?: { line: number; reason: string }[];
  /** The other tool's report this file was recognised as (a Zoom poll or Q&A report). */
  recognised?: ZoomSourceKind;
}

export const IMPORT_KINDS = ['csv', 'xlsx', 'vtt', 'srt', 'chat'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A row of cells as read from a file, with its line (CSV) or row number (XLSX). */
export interface GridRow {
  line: number;
  cells: string[];
}

const HEADER_SCAN = 20;
const LOOKS_LIKE_DATA = /^(-?[\d.,\s%]+|\d{4}-\d{2}-\d{2}.*|.*@.*)$/;

/**
 * The header row of a sheet as people make them: title rows, notes and blank lines above it are
 * skipped. The header is the first of the top rows with the most distinct labels (a merged title
 * repeated across cells counts once); known column names weigh more.
 */
export function findHeaderRow(grid: readonly GridRow[], known: (h: string) => boolean = () => false): number {
  let best = -1;
  let bestScore = 0;
  for (let i = 0; i < Math.min(grid.length, HEADER_SCAN); i++) {
    const labels = new Set(grid[i].cells.map((c) => c.trim()).filter((c) => c && !LOOKS_LIKE_DATA.test(c)));
    if (labels.size < 2) continue;
    const score = labels.size + 3 * [...labels].filter(known).length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

/** A table from rows of cells: header found, empty header cells named, repeated names numbered. */
export function tableFromGrid(grid: readonly GridRow[], known?: (h: string) => boolean): ReadTable {
  const at = findHeaderRow(grid, known);
  if (at < 0)
    return {
      header: [],
      rows: [],
      errors: [rowError(grid[0]?.line ?? 1, 'noHeader')],
    };
  const seen = new Map<string, number>();
  const header = grid[at].cells.map((c, i) => {
    const base = c.trim() || `column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
  const rows: ReadTable['rows'] = [];
  for (const r of grid.slice(at + 1)) {
    if (!r.cells.some((c) => c.trim())) continue;
    rows.push({ line: r.line, values: Object.fromEntries(header.map((h, j) => [h, r.cells[j] ?? ''])) });
  }
  return { header, rows, errors: [] };
}

/** Reads a CSV file (RFC 4180), finding its header row below any title rows. */
export function readCsv(text: string, known?: (h: string) => boolean): ReadTable {
  try {
    const grid = parseCsvRecords(text);
    return readZoomSource(grid) ?? tableFromGrid(grid, known);
  } catch (e) {
    if (e instanceof CsvError)
      return { header: [], rows: [], errors: [{ line: e.line, message: e.message }] };
    throw e;
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((p) => p.text).join('');
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v);
}

/**
 * Reads the first worksheet of an XLSX file. A merged range gives its value to every cell it covers
 * (a region merged down several answers belongs to each), and the header row is found as in CSV.
 */
export async function readXlsx(data: Buffer, known?: (h: string) => boolean): Promise<ReadTable> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { header: [], rows: [], errors: [rowError(1, 'notXlsx')] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { header: [], rows: [], errors: [rowError(1, 'noWorksheet')] };
  const width = ws.columnCount;
  const grid: GridRow[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      cells.push(cellText(cell.isMerged ? cell.master.value : cell.value));
    }
    grid.push({ line: n, cells });
  });
  // A Zoom report opened in Excel and saved as a workbook reads as the CSV it came from.
  return readZoomSource(grid) ?? tableFromGrid(grid, known);
}

const TIMING = /^(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s+-->\s+(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}/;

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  lrm: '\u200e',
  rlm: '\u200f',
};

/** Decodes the character references of WebVTT cue text (&amp; &lt; &gt; &nbsp; &lrm; &rlm; &#…;). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[ref.toLowerCase()] ?? m;
  });
}

/** Cue text without markup: tags (<i>, <c.x>, <00:01.000>) dropped, then references decoded. */
const plain = (s: string) =>
  decodeEntities(s.replace(/<[^>]*>/g, ''))
    .replace(/[ \t\r\n]+/g, ' ')
    .trim();

// "Name: text", "NAME: text", ">> NAME: text", "- Name: text": a speaker label of up to 40 characters.
const LABEL = /^(?:>>\s*|-\s+)?([\p{L}][\p{L}\p{M} .'’-]{0,40}?)\s*:\s+(.+)$/su;

/**
 * The speaker of one cue: a WebVTT voice span (<v Name>), an SRT italic label (<i>Name:</i>), or a
 * "Name:" / "NAME:" prefix. A cue without one has no speaker: it is not credited to the previous one.
 */
function speakerOf(text: string): { speaker: string; text: string } {
  const v = /^<v(?:\.[^ \t>]+)*[ \t]+([^>]+)>([\s\S]*?)(?:<\/v>)?$/.exec(text);
  if (v) return { speaker: plain(v[1]), text: plain(v[2]) };
  const italic = /^<(i|b|u)>\s*([^<:]{1,40}?)\s*:\s*<\/\1>\s*([\s\S]+)$/.exec(text);
  if (italic) return { speaker: plain(italic[2]), text: plain(italic[3]) };
  const label = LABEL.exec(plain(text));
  if (label) return { speaker: label[1].trim(), text: label[2].trim() };
  return { speaker: '', text: plain(text) };
}

/** Reads a WebVTT or SRT transcript into cues with their speaker (voice tags, italic or "Name:" labels). */
export function readTranscript(text: string, kind: 'vtt' | 'srt'): ReadTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: ReadTable['rows'] = [];
  const errors: ReadTable['errors'] = [];
  if (kind === 'vtt' && !/^WEBVTT/.test(lines[0] ?? '')) errors.push(rowError(1, 'notWebvtt'));
  let i = 0;
  let n = 0;
  while (i < lines.length) {
    // NOTE, STYLE and REGION blocks of WebVTT are not cues.
    if (kind === 'vtt' && /^(NOTE|STYLE|REGION)(\s|$)/.test(lines[i])) {
      while (i < lines.length && lines[i].trim() !== '') i++;
      continue;
    }
    const timingAt = TIMING.test(lines[i])
      ? i
      : TIMING.test(lines[i + 1] ?? '') && lines[i].trim()
        ? i + 1
        : -1;
    if (timingAt < 0) {
      i++;
      continue;
    }
    const start = lines[timingAt].split('-->')[0].trim().replace(',', '.');
    const body: string[] = [];
    let j = timingAt + 1;
    while (j < lines.length && lines[j].trim() !== '') body.push(lines[j++].trim());
    const joined = body.join(' ');
    if (joined) {
      const s = speakerOf(joined);
      if (s.text)
        rows.push({
          line: timingAt + 1,
          values: { id: `cue-${++n}`, start, speaker: s.speaker, text: s.text },
        });
    } else errors.push(rowError(timingAt + 1, 'cueWithoutText'));
    i = j;
  }
  return { header: ['id', 'start', 'speaker', 'text'], rows, errors, timing: 'offset' };
}

// Zoom's saved chat: "HH:MM:SS From NAME to Everyone:" (text after it or on the next, tabbed, lines),
// "… From NAME to OTHER(Direct Message):" / "(Privately)" for direct messages, and the older
// tab-separated "HH:MM:SS\tNAME:\ttext".
const ZOOM = /^(\d{1,2}:\d{2}(?::\d{2})?)\s+From\s+(.+?)(?:\s+to\s+(.+?))?\s*:\s*(.*)$/i;
const TABBED = /^(\d{1,2}:\d{2}(?::\d{2})?)\t\s*([^\t:]+?)\s*:\t?\s*(.*)$/;
const DIRECT = /\((Direct Message|Privately|Private)\)\s*$|^me$/i;
const REACTION = /^(Reacted to |Removed an? .{1,16} reaction from )/;
const REPLY = /^Replying to "/;

/**
 * Reads a video-platform chat export. Direct messages and reaction lines are left out (and listed
 * in `skipped`); a reply keeps its own words without the "Replying to …" quote line.
 */
export function readChat(text: string): ReadTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: ReadTable['rows'] = [];
  const errors: ReadTable['errors'] = [];
  const skipped: NonNullable<ReadTable['skipped']> = [];
  let n = 0;
  let current: { line: number; values: Record<string, string>; body: string[]; direct: boolean } | null =
    null;
  const flush = () => {
    const c = current;
    current = null;
    if (!c) return;
    if (c.direct) return skipped.push({ line: c.line, reason: 'a direct message' });
    let body = c.body;
    if (body.length && REACTION.test(body[0])) return skipped.push({ line: c.line, reason: 'a reaction' });
    if (body.length && REPLY.test(body[0])) {
      // Zoom quotes the message replied to on its own line; the reply's words follow. A quote on the
      // same line as the words ends at the last closing quotation mark.
      body =
        body.length > 1 ? body.slice(1) : [body[0].replace(/^Replying to ".*"\s*/, '').replace(REPLY, '')];
    }
    const joined = body.join(' ').trim();
    if (joined) rows.push({ line: c.line, values: { ...c.values, text: joined } });
    else errors.push(rowError(c.line, 'messageWithoutText'));
  };
  lines.forEach((raw, idx) => {
    const line = raw.trimEnd();
    const z = ZOOM.exec(line) ?? null;
    const t = z ? null : TABBED.exec(line);
    if (z || t) {
      flush();
      const [time, speaker, body] = z ? [z[1], z[2], z[4]] : [t![1], t![2], t![3]];
      current = {
        line: idx + 1,
        values: { id: `msg-${++n}`, start: time, speaker: speaker.trim(), text: '' },
        body: body.trim() ? [body.trim()] : [],
        direct: z ? DIRECT.test(z[3] ?? '') : false,
      };
    } else if (current && line.trim()) {
      current.body.push(line.trim());
    } else if (line.trim()) {
      errors.push(rowError(idx + 1, 'notChatLine'));
    }
  });
  flush();
  return { header: ['id', 'start', 'speaker', 'text'], rows, errors, timing: 'clock', skipped };
}

/** Reads an upload of any supported kind; XLSX arrives as bytes, the others as UTF-8 text. */
export async function readImport(
  kind: ImportKind,
  data: Buffer,
  known?: (h: string) => boolean,
): Promise<ReadTable> {
  if (kind === 'xlsx') return readXlsx(data, known);
  const text = data.toString('utf8');
  if (kind === 'csv') return readCsv(text, known);
  if (kind === 'chat') return readChat(text);
  return readTranscript(text, kind);
}
