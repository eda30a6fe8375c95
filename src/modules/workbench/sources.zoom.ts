/**
 * Zoom's poll and Q&A reports as its web portal exports them (Reports → Webinar / Meeting → Poll
 * report, Q&A report), recognised by their structure and read into units for the workbench:
 * - the poll report: a "Poll Report" title, "Report Generated:", the webinar or meeting data table,
 *   then one row per respondent and poll. Either each question is a column of the header row after
 *   "#, (Poll Name,) User Name, Email Address, Submitted Date and Time", or the header stops there and
 *   every row carries question, answer, question, answer… cells. A multiple-choice answer lists its
 *   choices separated by ";". Anonymous polls show "Anonymous" instead of name and e-mail.
 * - the Q&A report: a "Question and Answer Report" title, the webinar data table, "Question Details",
 *   then "#, Question, Asker Name, Asker Email, Answer(s)" (newer exports add times and who answered).
 * Lines end in commas, and empty trailing cells are dropped before reading.
 *
 * What people wrote in their own words becomes a unit: the open answers of a poll and the attendees'
 * questions. Choice answers ("Early career") are not texts to code: they become attributes of the same
 * respondent's units. Panelists' answers to questions are left out (listed in `skipped`). E-mail
 * addresses serve only to know which rows are one person's; they are never copied into a unit.
 */
import type { GridRow, ReadTable } from './sources.parse.ts';
import { rowError } from './row-errors.ts';

export type ZoomSourceKind = 'zoom_poll' | 'zoom_qa';

const TITLE: [RegExp, ZoomSourceKind][] = [
  [/^poll(ing)? report$/i, 'zoom_poll'],
  [/^(question and answer|q\s*&\s*a) report$/i, 'zoom_qa'],
];

/** The kind of Zoom report a grid is, from its title line; null when it is none of these. */
export function zoomReportKind(grid: readonly GridRow[]): ZoomSourceKind | null {
  const first = grid.find((r) => r.cells.some((c) => c.trim()));
  const title = first?.cells.find((c) => c.trim())?.trim() ?? '';
  return TITLE.find(([re]) => re.test(title))?.[1] ?? null;
}

const trimRow = (r: GridRow) => {
  const cells = r.cells.map((c) => c.trim());
  while (cells.length && cells[cells.length - 1] === '') cells.pop();
  return { line: r.line, cells };
};

const NUMBER = /^#$|^no\.?$/i;
const POLL_NAME = /^poll( name| title)?$/i;
const NAME = /^(user name|name|participant|display name|asker name|asker)$/i;
const EMAIL = /^(user |asker )?e-?mail( address)?$/i;
const SUBMITTED = /^(submitted( date and time| at| on)?|date and time|time)$/i;
const ANONYMOUS = /^anonymous( attendee| participant)?$/i;

/**
 * The rows under a report's header that carry a number in its "#" column (when it has one), each with
 * a cell reader; other non-empty rows are listed in `skipped` as not being `what`.
 */
function* numberedRows(
  rows: readonly { line: number; cells: string[] }[],
  headerAt: number,
  numberColumn: number,
  skipped: NonNullable<ReadTable['skipped']>,
  what: string,
): Generator<{ line: number; cells: string[]; cell: (i: number) => string }> {
  for (const { line, cells } of rows.slice(headerAt + 1)) {
    if (!cells.length) continue;
    const cell = (i: number) => (i >= 0 ? (cells[i] ?? '') : '');
    if (numberColumn >= 0 && !/^\d+$/.test(cell(numberColumn))) {
      skipped.push({ line, reason: `not ${what} of the report` });
      continue;
    }
    yield { line, cells, cell };
  }
}

/** Is this answer list a choice question (few distinct options, each chosen several times)? */
function looksLikeChoice(answers: readonly string[]): boolean {
  if (answers.some((a) => a.length > 60)) return false;
  const options = new Set(answers.flatMap((a) => a.split(';').map((o) => o.trim().toLowerCase())));
  return options.size <= 8 && answers.length >= 2 * options.size;
}

function readPoll(grid: readonly GridRow[]): ReadTable {
  const rows = grid.map(trimRow);
  const headerAt = rows.findIndex(
    (r) => r.cells.some((c) => NAME.test(c)) && r.cells.some((c) => SUBMITTED.test(c)),
  );
  if (headerAt < 0)
    return {
      header: [],
      rows: [],
      errors: [rowError(rows[0]?.line ?? 1, 'zoomPollHeader')],
    };
  const header = rows[headerAt].cells;
  const at = (re: RegExp) => header.findIndex((h) => re.test(h));
  const cols = { n: at(NUMBER), poll: at(POLL_NAME), name: at(NAME), email: at(EMAIL), when: at(SUBMITTED) };
  const fixed = Math.max(...Object.values(cols)) + 1;
  const questionColumns = header.slice(fixed);
  type Answer = {
    line: number;
    person: string;
    name: string;
    when: string;
    poll: string;
    q: string;
    a: string;
  };
  const answers: Answer[] = [];
  const skipped: NonNullable<ReadTable['skipped']> = [];
  const errors: ReadTable['errors'] = [];
  for (const { line, cells, cell } of numberedRows(rows, headerAt, cols.n, skipped, 'a respondent row')) {
    const rawName = cell(cols.name);
    const anonymous = ANONYMOUS.test(rawName);
    const name = anonymous ? '' : rawName;
    // Which rows are one person's: the address when there is one, else the name; never stored.
    const person = anonymous
      ? `row:${line}`
      : cell(cols.email).toLowerCase() || rawName.toLowerCase() || `row:${line}`;
    const rest = cells.slice(fixed);
    const pairs: [string, string][] = questionColumns.length
      ? questionColumns.map((q, i) => [q, rest[i] ?? ''])
      : Array.from({ length: Math.ceil(rest.length / 2) }, (_, i) => [
          rest[2 * i] ?? '',
          rest[2 * i + 1] ?? '',
        ]);
    let any = false;
    for (const [q, a] of pairs) {
      if (!q || !a) continue;
      any = true;
      answers.push({ line, person, name, when: cell(cols.when), poll: cell(cols.poll), q, a });
    }
    if (!any) errors.push(rowError(line, 'zoomNoAnswer', { line: String(line) }));
  }
  // A question is a choice question or an open one by what people answered.
  const byQuestion = new Map<string, string[]>();
  for (const a of answers) byQuestion.set(a.q, [...(byQuestion.get(a.q) ?? []), a.a]);
  const choice = new Set([...byQuestion].filter(([, as]) => looksLikeChoice(as)).map(([q]) => q));
  const attributes = new Map<string, Record<string, string>>();
  for (const a of answers)
    if (choice.has(a.q))
      attributes.set(a.person, { ...(attributes.get(a.person) ?? {}), [a.q.slice(0, 80)]: a.a });
  const open = answers.filter((a) => !choice.has(a.q));
  for (const a of answers)
    if (choice.has(a.q))
      skipped.push({
        line: a.line,
        reason: `a choice answer to "${a.q.slice(0, 60)}", kept as the respondent's attribute`,
      });
  const attributeNames = [...new Set([...attributes.values()].flatMap((v) => Object.keys(v)))];
  const outRows: ReadTable['rows'] = open.map((a, i) => ({
    line: a.line,
    values: {
      id: `poll-${a.line}-${i + 1}`,
      submitted: a.when,
      speaker: a.name,
      poll: a.poll,
      'poll question': a.q,
      text: a.a,
      ...Object.fromEntries(attributeNames.map((k) => [k, attributes.get(a.person)?.[k] ?? ''])),
    },
  }));
  if (!outRows.length && answers.length) errors.push(rowError(rows[headerAt].line, 'zoomOnlyChoices'));
  return {
    header: ['id', 'submitted', 'speaker', 'poll', 'poll question', 'text', ...attributeNames],
    rows: outRows,
    errors,
    skipped,
    recognised: 'zoom_poll',
  };
}

function readQa(grid: readonly GridRow[]): ReadTable {
  const rows = grid.map(trimRow);
  const headerAt = rows.findIndex(
    (r) => r.cells.some((c) => /^question$/i.test(c)) && r.cells.some((c) => NAME.test(c)),
  );
  if (headerAt < 0)
    return {
      header: [],
      rows: [],
      errors: [rowError(rows[0]?.line ?? 1, 'zoomQaHeader')],
    };
  const header = rows[headerAt].cells;
  const at = (re: RegExp) => header.findIndex((h) => re.test(h));
  const cols = {
    n: at(NUMBER),
    q: at(/^question$/i),
    name: at(NAME),
    when: at(/^(question time|asked at|time|submitted( date and time)?)$/i),
    answers: at(/^answer(\(s\)|s)?$/i),
  };
  const out: ReadTable['rows'] = [];
  const skipped: NonNullable<ReadTable['skipped']> = [];
  const errors: ReadTable['errors'] = [];
  for (const { line, cells, cell } of numberedRows(rows, headerAt, cols.n, skipped, 'a question row')) {
    const text = cell(cols.q);
    if (!text) {
      errors.push(rowError(line, 'zoomEmptyQuestion', { line: String(line) }));
      continue;
    }
    const name = cell(cols.name);
    out.push({
      line,
      values: {
        id: `qa-${cell(cols.n) || line}`,
        submitted: cell(cols.when),
        speaker: ANONYMOUS.test(name) ? '' : name,
        text,
      },
    });
    // The panel's answers (one or more cells from "Answer(s)" on) are not what attendees said.
    if (
      cols.answers >= 0 &&
      cells.slice(cols.answers).some((c) => c && !/^(live answered|answered live|-+)$/i.test(c))
    )
      skipped.push({ line, reason: 'the panel’s answer to this question' });
  }
  return {
    header: ['id', 'submitted', 'speaker', 'text'],
    rows: out,
    errors,
    skipped,
    recognised: 'zoom_qa',
  };
}

/** Reads a grid as a Zoom poll or Q&A report; null when it is neither. */
export function readZoomSource(grid: readonly GridRow[]): ReadTable | null {
  const kind = zoomReportKind(grid);
  if (kind === 'zoom_poll') return readPoll(grid);
  if (kind === 'zoom_qa') return readQa(grid);
  return null;
}
