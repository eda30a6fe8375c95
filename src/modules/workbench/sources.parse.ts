// Reading imports into rows: CSV and XLSX survey exports, WebVTT and SRT transcripts, video-platform chat.
import ExcelJS from 'exceljs';
import { CsvError, parseCsv } from '../analysis/index.ts';

/** A table read from a file: a header and rows keyed by it, each with its line (or row) number. */
export interface ReadTable {
  header: string[];
  rows: { line: number; values: Record<string, string> }[];
  errors: { line: number; message: string }[];
}

export const IMPORT_KINDS = ['csv', 'xlsx', 'vtt', 'srt', 'chat'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** Reads a CSV file (RFC 4180). */
export function readCsv(text: string): ReadTable {
  try {
    const t = parseCsv(text);
    return {
      header: t.header,
      rows: t.rows.map((r) => ({
        line: r.line,
        values: Object.fromEntries(t.header.map((h, j) => [h, r.cells[j] ?? ''])),
      })),
      errors: [],
    };
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

/** Reads the first worksheet of an XLSX file (row 1 is the header). */
export async function readXlsx(data: Buffer): Promise<ReadTable> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    return { header: [], rows: [], errors: [{ line: 1, message: 'this is not an XLSX workbook' }] };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { header: [], rows: [], errors: [{ line: 1, message: 'the workbook has no worksheet' }] };
  const header: string[] = [];
  ws.getRow(1).eachCell({ includeEmpty: true }, (c, col) => (header[col - 1] = cellText(c.value).trim()));
  const rows: ReadTable['rows'] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const values: Record<string, string> = {};
    header.forEach((h, i) => (values[h] = cellText(row.getCell(i + 1).value)));
    rows.push({ line: n, values });
  });
  return { header, rows, errors: [] };
}

const TIMING = /^(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}\s+-->\s+(\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}/;

function speakerOf(text: string): { speaker: string; text: string } {
  const v = /^<v(?:\.[^ >]+)?\s+([^>]+)>([\s\S]*?)(?:<\/v>)?$/.exec(text);
  if (v) return { speaker: v[1].trim(), text: v[2].replace(/<[^>]+>/g, '').trim() };
  const colon = /^([\p{L}][\p{L}\p{M} .'-]{0,40}):\s+(.+)$/su.exec(text);
  if (colon) return { speaker: colon[1].trim(), text: colon[2].trim() };
  return { speaker: '', text: text.replace(/<[^>]+>/g, '').trim() };
}

/** Reads a WebVTT or SRT transcript into cues with their speaker (voice tags or "Name:" prefixes). */
export function readTranscript(text: string, kind: 'vtt' | 'srt'): ReadTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: ReadTable['rows'] = [];
  const errors: ReadTable['errors'] = [];
  if (kind === 'vtt' && !/^WEBVTT/.test(lines[0] ?? ''))
    errors.push({ line: 1, message: 'a WebVTT file starts with "WEBVTT"' });
  let i = 0;
  let n = 0;
  let lastSpeaker = '';
  while (i < lines.length) {
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
      if (s.speaker) lastSpeaker = s.speaker;
      if (s.text)
        rows.push({
          line: timingAt + 1,
          values: { id: `cue-${++n}`, start, speaker: s.speaker || lastSpeaker, text: s.text },
        });
    } else errors.push({ line: timingAt + 1, message: 'a cue without text' });
    i = j;
  }
  return { header: ['id', 'start', 'speaker', 'text'], rows, errors };
}

const ZOOM = /^(\d{1,2}:\d{2}(?::\d{2})?)\s+From\s+(.+?)(?:\s+to\s+(.+?))?\s*:\s*(.*)$/i;
const TABBED = /^(\d{1,2}:\d{2}(?::\d{2})?)\t\s*([^\t:]+?)\s*:\t?\s*(.*)$/;

/** Reads a video-platform chat export (Zoom's "HH:MM:SS From NAME to Everyone:" and tab-separated forms). */
export function readChat(text: string): ReadTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const rows: ReadTable['rows'] = [];
  const errors: ReadTable['errors'] = [];
  let n = 0;
  let current: { line: number; values: Record<string, string> } | null = null;
  const flush = () => {
    if (current && current.values.text.trim()) rows.push(current);
    else if (current) errors.push({ line: current.line, message: 'a message without text' });
    current = null;
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
        values: { id: `msg-${++n}`, start: time, speaker: speaker.trim(), text: body.trim() },
      };
    } else if (current && line.trim()) {
      current.values.text = `${current.values.text} ${line.trim()}`.trim();
    } else if (line.trim()) {
      errors.push({ line: idx + 1, message: 'not a chat message line' });
    }
  });
  flush();
  return { header: ['id', 'start', 'speaker', 'text'], rows, errors };
}

/** Reads an upload of any supported kind; XLSX arrives as bytes, the others as UTF-8 text. */
export async function readImport(kind: ImportKind, data: Buffer): Promise<ReadTable> {
  if (kind === 'xlsx') return readXlsx(data);
  const text = data.toString('utf8');
  if (kind === 'csv') return readCsv(text);
  if (kind === 'chat') return readChat(text);
  return readTranscript(text, kind);
}
