import { parseArgs } from 'node:util';
import {
  CodebookError,
  ENGINE_VERSION,
  compare,
  createCoder,
  findings,
  summarizeClaims,
  languageInfo,
  loadCodebook,
  supportedLanguages,
  renderMarkdown,
  stringifyCsv,
  asOfLimit,
  type Codebook,
  type FindingsReport,
  type ResponseRow,
} from '../modules/analysis/index.ts';
import { InputError, readTable, readUtf8, records, splitList, writeAtomically } from './analysis-io.ts';

const CODE_HELP = `Usage: colloquy code --codebook CB.csv|default --input IN.csv --output OUT.csv [--train CODED.csv]

Codes each response of IN.csv (columns id,text) with the themes of the codebook.
  --codebook  CSV with id,label[,description][,terms] (terms ';'-separated), or "default"
  --input     CSV with id,text and any other columns
  --output    CSV written with id,labels,confidence (labels ';'-separated)
  --train     CSV with id,text,labels coded by a person; the engine learns from it
  --threshold probability from which a theme applies (default 0.4)
  --languages the series' languages, comma-separated (default ar,zh,en,fr,de,ru,es,pt)
Exit status: 0 done, 2 bad input (nothing written).`;

const FINDINGS_HELP = `Usage: colloquy findings --codebook CB.csv|default --input CODED.csv [--group region] [--kind prompt_kind]
                         [--time submitted_at --as-of 2022-05-31] [--q 0.05] [--min-support 5]
                         [--format json|md] [--output FILE]

Compares coded responses across groups and writes findings with verbatim quotes.
  --input     CSV with id,text,labels and the group, kind and time columns
  --group     column to compare by (default region)
  --kind      column holding the prompt kind (default prompt_kind; without it, one kind "all")
  --time      column holding when each response was given (default submitted_at)
  --as-of     count only responses given on or before this date
  --q         false discovery rate for distinctive claims, Benjamini–Hochberg over every test (default 0.05)
  --min-support  mentions in the group a distinctive claim needs (default 5)
  --format    json (default) or md
  --output    write to this file instead of standard output
Exit status: 0 done, 2 bad input (nothing written).`;

type Io = { out: (s: string) => void; err: (s: string) => void };
const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

function loadCodebookArg(value: string): Codebook {
  if (value === 'default') return loadCodebook('default');
  try {
    return loadCodebook(readUtf8(value));
  } catch (e) {
    if (e instanceof CodebookError) throw new InputError(value, e.message, e.line, e.column);
    throw e;
  }
}

/** Parses string options strictly; an unknown option or a missing value is bad input. */
function parse(argv: string[], names: readonly string[]): { values: Record<string, string | undefined> } {
  const options = Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
  try {
    const { values } = parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean' } },
      allowPositionals: false,
      strict: true,
    });
    const out: Record<string, string | undefined> = {};
    for (const n of names) {
      const v = (values as Record<string, string | boolean | undefined>)[n];
      out[n] = typeof v === 'string' ? v : undefined;
    }
    return { values: out };
  } catch (e) {
    throw new InputError('', (e as Error).message);
  }
}

function requireOption(values: Record<string, string | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new InputError('', `--${name} is required (see --help)`);
  return v;
}

/** Checks every label is a theme of the codebook, naming the row of the first that is not. */
function checkLabels(
  file: string,
  rows: { line: number; values: Record<string, string> }[],
  column: string,
  ids: Set<string>,
): void {
  for (const r of rows) {
    for (const id of splitList(r.values[column])) {
      if (!ids.has(id))
        throw new InputError(file, `unknown theme id "${id}" (not in the codebook)`, r.line, column);
    }
  }
}

async function run(argv: string[], io: Io, help: string, name: string, body: () => number): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(help + '\n');
    return 0;
  }
  try {
    return body();
  } catch (e) {
    if (e instanceof InputError) {
      io.err(`colloquy ${name}: ${e.describe()}\n`);
      return 2;
    }
    throw e;
  }
}

/** `colloquy code`: codes a CSV of responses, optionally learning from coded ones; returns the exit status. */
export async function codeCommand(argv: string[], io: Io = stdio): Promise<number> {
  return run(argv, io, CODE_HELP, 'code', () => {
    const { values } = parse(argv, ['codebook', 'input', 'output', 'train', 'threshold', 'languages']);
    const cbArg = requireOption(values, 'codebook');
    const inFile = requireOption(values, 'input');
    const outFile = requireOption(values, 'output');
    const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
    if (threshold !== undefined && !(threshold > 0 && threshold < 1))
      throw new InputError('', '--threshold must be a number between 0 and 1');
    const languages = values.languages
      ?.split(',')
      .map((l) => l.trim())
      .filter(Boolean);
    for (const l of languages ?? []) {
      if (!languageInfo(l))
        throw new InputError(
          '',
          `--languages: "${l}" is not a language the engine knows (${supportedLanguages().join(', ')})`,
        );
    }
    const codebook = loadCodebookArg(cbArg);
    const ids = new Set(codebook.themes.map((t) => t.id));
    const input = records(readTable(inFile, readUtf8(inFile), ['id', 'text']));
    let training: { text: string; labels: string[] }[] = [];
    if (typeof values.train === 'string') {
      const coded = records(readTable(values.train, readUtf8(values.train), ['id', 'text', 'labels']));
      checkLabels(values.train, coded, 'labels', ids);
      training = coded.map((r) => ({ text: r.values.text, labels: splitList(r.values.labels) }));
    }
    const coder = createCoder(codebook, {
      ...(threshold === undefined ? {} : { threshold }),
      ...(languages ? { languages } : {}),
    });
    if (training.length > 0) coder.train(training);
    const coded = coder.code(input.map((r) => r.values.text));
    const rows = input.map((r, i) => {
      const c = coded[i];
      // Confidence of the row: the least sure of its themes, or how sure the engine is that none applies.
      const confidence =
        c.codings.length > 0
          ? Math.min(...c.codings.map((x) => x.confidence))
          : 1 - Math.max(0, ...Object.values(c.scores));
      return [r.values.id, c.codings.map((x) => x.themeId).join(';'), confidence.toFixed(3)];
    });
    writeAtomically(outFile, stringifyCsv(['id', 'labels', 'confidence'], rows));
    return 0;
  });
}

/** `colloquy findings`: compares coded responses across groups and prints findings; returns the exit status. */
export async function findingsCommand(argv: string[], io: Io = stdio): Promise<number> {
  return run(argv, io, FINDINGS_HELP, 'findings', () => {
    const { values } = parse(argv, [
      'codebook',
      'input',
      'group',
      'kind',
      'time',
      'as-of',
      'format',
      'output',
      'q',
      'min-support',
    ]);
    const cbArg = requireOption(values, 'codebook');
    const inFile = requireOption(values, 'input');
    const q = values.q === undefined ? 0.05 : Number(values.q);
    if (!(q > 0 && q < 1))
      throw new InputError('', `--q must be a number between 0 and 1, not "${values.q}"`);
    const minSupport = values['min-support'] === undefined ? 5 : Number(values['min-support']);
    if (!Number.isInteger(minSupport) || minSupport < 1)
      throw new InputError(
        '',
        `--min-support must be a whole number of at least 1, not "${values['min-support']}"`,
      );
    const format = values.format ?? 'json';
    if (format !== 'json' && format !== 'md')
      throw new InputError('', `--format must be json or md, not "${format}"`);
    const asOf = values['as-of'];
    if (asOf !== undefined) {
      try {
        asOfLimit(asOf);
      } catch {
        throw new InputError('', `--as-of "${asOf}" is not a date (use YYYY-MM-DD)`);
      }
    }
    const groupCol = values.group ?? 'region';
    const timeCol = values.time ?? 'submitted_at';
    const codebook = loadCodebookArg(cbArg);
    const table = readTable(inFile, readUtf8(inFile), [
      'id',
      'text',
      'labels',
      groupCol,
      ...(values.kind ? [values.kind] : []),
      ...(asOf !== undefined ? [timeCol] : []),
    ]);
    const kindCol = values.kind ?? (table.header.includes('prompt_kind') ? 'prompt_kind' : undefined);
    const rows = records(table);
    checkLabels(inFile, rows, 'labels', new Set(codebook.themes.map((t) => t.id)));
    if (asOf !== undefined) {
      for (const r of rows) {
        if (Number.isNaN(Date.parse(r.values[timeCol])))
          throw new InputError(inFile, `"${r.values[timeCol]}" is not a date or time`, r.line, timeCol);
      }
    }
    const responses: ResponseRow[] = rows.map((r) => ({
      id: r.values.id,
      text: r.values.text,
      labels: splitList(r.values.labels),
      group: r.values[groupCol],
      kind: kindCol ? r.values[kindCol] : undefined,
      time: r.values[timeCol],
      language: r.values.language || undefined,
    }));
    const themeIds = codebook.themes.map((t) => t.id);
    const comparison = compare(responses, { themeIds, asOf });
    const found = findings(comparison, responses, { codebook, groupBy: groupCol, q, minSupport });
    const report: FindingsReport = {
      engineVersion: ENGINE_VERSION,
      ...(asOf ? { asOf } : {}),
      groupBy: groupCol,
      ...(kindCol ? { kindBy: kindCol } : {}),
      n: comparison.n,
      kinds: comparison.kinds,
      acrossGroups: comparison.acrossGroups,
      claims: summarizeClaims(responses, { q, minSupport, ...(asOf ? { asOf } : {}) }),
      findings: found,
    };
    const labels = new Map(codebook.themes.map((t) => [t.id, t.label]));
    const text =
      format === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : renderMarkdown(report, (id) => labels.get(id) ?? id);
    if (values.output) writeAtomically(values.output, text);
    else io.out(text);
    return 0;
  });
}
