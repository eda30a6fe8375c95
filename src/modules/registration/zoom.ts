/**
 * Zoom's web-portal reports as they come, recognised by their structure (pure: text in, rows out):
 * - webinar attendee report: "Attendee Report" preamble, then Host Details, Panelist Details,
 *   Attendee Details (and Other Attended) sections, each with its own header row;
 * - webinar registration report: a preamble, then registrant rows (no attendance);
 * - meeting participants export, with or without the "Meeting ID, Topic, …" meeting-data preamble.
 * Lines end in commas; empty trailing cells are dropped before reading.
 */
import { CsvError, parseCsvRecords } from '../analysis/index.ts';

export type ZoomReportKind = 'webinar_attendees' | 'webinar_registrations' | 'meeting_participants';
export type ZoomRole = 'host' | 'panelist' | 'attendee' | 'participant' | 'registrant';

/** One person-row of a report, read through the header of its own section. */
export interface ZoomRow {
  line: number;
  role: ZoomRole;
  email: string;
  name: string;
  /** False when the report says the person did not attend ("Attended: No"). */
  attended: boolean;
  minutes: number;
  joinedAt: string | null;
}

export interface ZoomReport {
  kind: ZoomReportKind;
  rows: ZoomRow[];
}

const SECTION: [RegExp, ZoomRole][] = [
  [/^host details$/i, 'host'],
  [/^panelist details$/i, 'panelist'],
  [/^(attendee details|other attended)$/i, 'attendee'],
  [/^registrant details$/i, 'registrant'],
];

const isEmail = (h: string) => /^(user\s*)?e-?mail(\s*address)?$/i.test(h);
/** A header row names an e-mail column and holds no address itself. */
const isHeader = (cells: string[]) => cells.some(isEmail) && !cells.some((c) => c.includes('@'));
/** The meeting-data or webinar preamble table ("Meeting ID, Topic, …" / "Topic, Webinar ID, …"). */
const isPreamble = (cells: string[]) =>
  cells.some((c) => /^(meeting|webinar) id$/i.test(c)) && cells.some((c) => /^topic$/i.test(c));

/** "Mar 23, 2022 05:01:00", "03/23/2022 05:01:00 AM", ISO: an instant, or null for "--". */
function instant(s: string): string | null {
  const t = Date.parse(s.replace(/\s+(AM|PM)$/i, ' $1'));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Reads a Zoom report; throws CsvError for broken CSV and returns null when it is no known report. */
export function readZoomReport(text: string): ZoomReport | null {
  const records = parseCsvRecords(text).map((r) => {
    const cells = r.cells.map((c) => c.trim());
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    return { line: r.line, cells };
  });
  const title = records[0]?.cells[0] ?? '';
  let kind: ZoomReportKind | null = /^attendee report$/i.test(title)
    ? 'webinar_attendees'
    : /^registration report$/i.test(title)
      ? 'webinar_registrations'
      : null;
  let role: ZoomRole | null = kind === 'webinar_registrations' ? 'registrant' : null;
  let header: string[] | null = null;
  let skipNext = false;
  const rows: ZoomRow[] = [];
  for (const { line, cells } of records) {
    if (!cells.length) continue;
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (isPreamble(cells)) {
      skipNext = true; // the one row of meeting or webinar data under it
      header = null;
      continue;
    }
    const section = cells.length === 1 ? SECTION.find(([re]) => re.test(cells[0])) : undefined;
    if (section) {
      role = section[1];
      header = null;
      continue;
    }
    if (isHeader(cells)) {
      header = cells;
      if (!kind) {
        kind = 'meeting_participants';
        role = 'participant';
      }
      role ??= 'attendee';
      continue;
    }
    if (!header || !role || cells.length < 2) continue;
    const get = (re: RegExp) => {
      const i = header!.findIndex((h) => re.test(h));
      return i >= 0 ? (cells[i] ?? '').trim() : '';
    };
    const first = get(/^first name$/i);
    const last = get(/^last name$/i);
    const display = get(/^(user )?name( \(original name\))?$/i).replace(/\s*\(.*\)\s*$/, '');
    const attendedCell = get(/^attended$/i);
    const minutesCell = get(/^(time in session|duration)\s*\(minutes\)$/i);
    rows.push({
      line,
      role,
      email: header.findIndex(isEmail) >= 0 ? cells[header.findIndex(isEmail)].toLowerCase() : '',
      name: display || [first, last].filter(Boolean).join(' '),
      attended: role !== 'registrant' && !/^no$/i.test(attendedCell),
      minutes: Math.max(0, Math.round(Number(minutesCell) || 0)),
      joinedAt: instant(get(/^join time$/i)),
    });
  }
  return kind ? { kind, rows } : null;
}

export { CsvError };
