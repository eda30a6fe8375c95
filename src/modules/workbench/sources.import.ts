// Imports: map a file's columns to text, groups, kind and date; preview; report rows that cannot be read.
import { boundedImport, checkRowCount, MAX_UNIT_CHARS } from './import.bounds.ts';
import type { Db } from '../../db/index.ts';
import { invalid } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { identifyLanguage } from '../analysis/index.ts';
import { regionsOf } from '../series/index.ts';
import { readImport, type ImportKind, type ReadTable } from './sources.parse.ts';
import { bumpData, ensureState, insertItems, type ItemInsert } from './workbench.repository.ts';
import { rowError, type RowError } from './row-errors.ts';

/** Which column holds what; `text` is required. */
export interface ColumnMapping {
  text?: string;
  id?: string;
  region?: string;
  kind?: string;
  date?: string;
  session?: string;
  language?: string;
  career_stage?: string;
  speaker?: string;
}
export const MAPPED_FIELDS = [
  'text',
  'id',
  'region',
  'kind',
  'date',
  'session',
  'language',
  'career_stage',
  'speaker',
] as const;

/** Values for every row when the file has no such column (e.g. a transcript's region and session). */
export interface ImportConstants {
  region?: string;
  kind?: string;
  session?: string;
  language?: string;
  date?: string;
}

/** A header as compared: lower case, accents and punctuation folded ("Career stage" = "career_stage"). */
export function headerKey(h: string): string {
  return h
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_|_$/g, '');
}

// Common column names in the seven languages (en, fr, es, de, ar, zh, ru), compared by headerKey.
const GUESSES: Record<(typeof MAPPED_FIELDS)[number], string[]> = {
  text: [
    'text',
    'response',
    'answer',
    'comment',
    'comments',
    'message',
    'verbatim',
    'your_answer',
    'texte',
    'reponse',
    'commentaire',
    'respuesta',
    'texto',
    'comentario',
    'antwort',
    'kommentar',
    'nachricht',
    'النص',
    'الإجابة',
    'الاجابة',
    'إجابة',
    'تعليق',
    '回答',
    '答复',
    '文本',
    '评论',
    'ответ',
    'текст',
    'комментарий',
  ],
  id: [
    'id',
    'response_id',
    'respondent',
    'respondent_id',
    'row_id',
    'identifiant',
    'identificador',
    'kennung',
    'المعرف',
    '编号',
    'идентификатор',
  ],
  region: [
    'region',
    'regional_division',
    'division',
    'region_name',
    'région',
    'región',
    'المنطقة',
    '地区',
    '区域',
    'регион',
  ],
  kind: [
    'prompt_kind',
    'kind',
    'question_kind',
    'type',
    'prompt',
    'question',
    'question_type',
    'type_de_question',
    'tipo',
    'pregunta',
    'frage',
    'fragetyp',
    'السؤال',
    '问题',
    '提示',
    'вопрос',
    'тип',
  ],
  date: [
    'submitted_at',
    'submitted',
    'submitted_on',
    'date',
    'timestamp',
    'created_at',
    'time',
    'start',
    'date_de_soumission',
    'soumis_le',
    'fecha',
    'enviado',
    'datum',
    'eingereicht',
    'zeitstempel',
    'التاريخ',
    '日期',
    '提交时间',
    'дата',
    'отправлено',
  ],
  session: ['session', 'session_date', 'webinar', 'sesion', 'sitzung', 'الجلسة', '场次', '会议', 'сессия'],
  language: ['language', 'lang', 'langue', 'idioma', 'sprache', 'اللغة', '语言', 'язык'],
  career_stage: [
    'career_stage',
    'career',
    'stage',
    'etape_de_carriere',
    'stade_de_carriere',
    'etapa_profesional',
    'etapa_de_carrera',
    'karrierestufe',
    'berufsphase',
    'المرحلة_المهنية',
    '职业阶段',
    'этап_карьеры',
  ],
  speaker: [
    'speaker',
    'name',
    'author',
    'from',
    'nom',
    'auteur',
    'nombre',
    'autor',
    'sprecher',
    'الاسم',
    '姓名',
    '发言人',
    'имя',
    'автор',
  ],
};
const GUESS_KEYS = Object.fromEntries(
  Object.entries(GUESSES).map(([f, names]) => [f, new Set(names.map(headerKey))]),
) as Record<(typeof MAPPED_FIELDS)[number], Set<string>>;

/** Whether a header is a column name Colloquy knows (helps find the header row). */
export const knownHeader = (h: string): boolean => MAPPED_FIELDS.some((f) => GUESS_KEYS[f].has(headerKey(h)));

/** Guesses a mapping from header names (in any of the seven languages); each column serves once. */
export function guessMapping(header: readonly string[]): ColumnMapping {
  const m: ColumnMapping = {};
  const used = new Set<string>();
  for (const f of MAPPED_FIELDS) {
    const h = header.find((x) => !used.has(x) && GUESS_KEYS[f].has(headerKey(x)));
    if (h) {
      m[f] = h;
      used.add(h);
    }
  }
  return m;
}

/** A region of the series as an import may name it: its key, its name, or another name of it. */
export interface RegionRef {
  key: string;
  name: string;
  aliases?: string[];
}

/**
 * The series' region key a cell names ("Europe", "europe", "EUROPE", "Asia-Oceania", "asia_oceania"),
 * or the cell as written when it names none.
 */
export function matchRegion(value: string, regions: readonly RegionRef[]): string {
  const k = headerKey(value.replace(/&/g, ' and '));
  if (!k) return value;
  for (const r of regions)
    if ([r.key, r.name, ...(r.aliases ?? [])].some((n) => headerKey(n.replace(/&/g, ' and ')) === k))
      return r.key;
  return value;
}

function toInstant(v: string): string | null {
  const s = v.trim();
  if (!s) return null;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(s)
    ? `${s}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(s)
      ? `${s.replace(' ', 'T')}Z`
      : s;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,3}))?$/;

/**
 * An instant from a date given at import and a time read from the file: a cue's offset is added to
 * the given instant (the recording's start); a chat's clock time replaces the time of the given day.
 */
export function onDate(given: string, time: string, timing: 'offset' | 'clock'): string | null {
  const base = toInstant(given);
  const m = CLOCK.exec(time.trim());
  if (!base || !m) return null;
  const [, a, b, c, frac] = m;
  // "MM:SS.mmm" (short WebVTT timestamps) or "HH:MM[:SS]".
  const [h, min, sec] = c === undefined && frac !== undefined ? [0, +a, +b] : [+a, +b, +(c ?? 0)];
  const ms = ((h * 60 + min) * 60 + sec) * 1000 + (frac ? +frac.padEnd(3, '0') : 0);
  const t = new Date(base).getTime();
  if (timing === 'offset') return new Date(t + ms).toISOString();
  return new Date(t - (t % 86_400_000) + ms).toISOString();
}

/** A unit ready to insert, before it belongs to a source. */
export type MappedRow = Omit<ItemInsert, 'series_id' | 'source_id'>;

/** Maps rows with the mapping; rows without text or with an unreadable date are reported, not imported. */
export function mapRows(
  table: ReadTable,
  mapping: ColumnMapping,
  constants: ImportConstants = {},
  regions: readonly RegionRef[] = [],
): { rows: MappedRow[]; errors: RowError[] } {
  const region = (v: string) => (v && regions.length ? matchRegion(v, regions) : v);
  const errors = [...table.errors];
  const rows: MappedRow[] = [];
  if (!mapping.text || !table.header.includes(mapping.text)) {
    if (table.header.length) errors.push(rowError(1, 'noTextColumn'));
    return { rows, errors };
  }
  const seen = new Set<string>();
  const col = (r: Record<string, string>, c: string | undefined) => (c ? (r[c] ?? '').trim() : '');
  for (const { line, values } of table.rows) {
    const text = col(values, mapping.text);
    if (!text) {
      errors.push(rowError(line, 'emptyText', { line: String(line) }));
      continue;
    }
    const cell = col(values, mapping.date);
    const rawDate = cell || constants.date || '';
    // A transcript's cue start or a chat's clock time, on the date given at import.
    const date =
      cell && table.timing && constants.date && CLOCK.test(cell)
        ? onDate(constants.date, cell, table.timing)
        : rawDate
          ? toInstant(rawDate)
          : null;
    if (rawDate && !date && mapping.date && !/^\d{1,2}:\d{2}/.test(rawDate)) {
      errors.push(
        rowError(line, 'notADate', { line: String(line), column: mapping.date, value: rawDate.slice(0, 40) }),
      );
      continue;
    }
    let id = col(values, mapping.id) || `row-${line}`;
    if (seen.has(id)) id = `${id}#${line}`;
    seen.add(id);
    const language = (col(values, mapping.language) || constants.language || identifyLanguage(text))
      .toLowerCase()
      .slice(0, 12);
    rows.push({
      external_id: id,
      text,
      region: region(col(values, mapping.region) || constants.region || '') || null,
      session: col(values, mapping.session) || constants.session || null,
      prompt_kind: col(values, mapping.kind) || constants.kind || null,
      language,
      career_stage: col(values, mapping.career_stage) || null,
      speaker: col(values, mapping.speaker) || null,
      submitted_at: date,
      groups: JSON.stringify(values),
    });
  }
  return { rows, errors };
}

/** What an import would do: the header, the guessed or given mapping, the first rows, and the problems. */
export interface ImportPreview {
  header: string[];
  mapping: ColumnMapping;
  total: number;
  preview: MappedRow[];
  errors: RowError[];
  /** Lines left out on purpose (a chat's direct messages and reactions), with why. */
  skipped: { line: number; reason: string }[];
  /** Another tool's report recognised by its structure (a Zoom poll or Q&A report). */
  recognised?: ReadTable['recognised'];
}

/** Reads and maps a file without saving anything. */
export async function previewImport(
  kind: ImportKind,
  data: Buffer,
  mapping?: ColumnMapping,
  constants?: ImportConstants,
  regions: readonly RegionRef[] = [],
): Promise<ImportPreview & { rows: MappedRow[] }> {
  // Bounded before any parser runs (size, unpacked size, encoding, lines); see import.bounds.ts.
  const table = await readImport(kind, boundedImport(kind, data).data, knownHeader);
  checkRowCount(table.rows.length);
  const m = mapping && mapping.text ? mapping : { ...guessMapping(table.header), ...(mapping ?? {}) };
  const mapped = mapRows(table, m, constants, regions);
  // Very long answers are left out with a message: analysis time grows with their length.
  const errors = [...mapped.errors];
  const rows = mapped.rows.filter((r) => {
    if (r.text.length <= MAX_UNIT_CHARS) return true;
    errors.push(
      rowError(Number(/^row-(\d+)$/.exec(r.external_id)?.[1] ?? 0), 'tooLong', {
        length: r.text.length,
        max: MAX_UNIT_CHARS,
      }),
    );
    return false;
  });
  return {
    header: table.header,
    mapping: m,
    total: table.rows.length,
    preview: rows.slice(0, 10),
    errors,
    skipped: table.skipped ?? [],
    ...(table.recognised ? { recognised: table.recognised } : {}),
    rows,
  };
}

/** Imports a file as a new source of the series. */
export async function importSource(
  db: Db,
  seriesId: string,
  input: {
    kind: ImportKind;
    name: string;
    data: Buffer;
    mapping?: ColumnMapping;
    constants?: ImportConstants;
    /** The file already read (in a worker thread), so it is not read again here. */
    preview?: Awaited<ReturnType<typeof previewImport>>;
  },
): Promise<{ sourceId: string; added: number; errors: RowError[]; total: number }> {
  // Region names and codes in the file become the series' region keys ("Europe" = "europe").
  const p =
    input.preview ??
    (await previewImport(
      input.kind,
      input.data,
      input.mapping,
      input.constants,
      await regionsOf(db, seriesId),
    ));
  if (p.rows.length === 0)
    throw invalid('nothing_to_import', p.errors[0]?.message ?? 'The file has no rows with text.', 'file');
  await ensureState(db, seriesId);
  const sourceId = newId();
  await db
    .insertInto('wb_source')
    .values({
      id: sourceId,
      series_id: seriesId,
      kind: input.kind,
      name: input.name.slice(0, 200) || input.kind,
      metadata: JSON.stringify({
        mapping: p.mapping,
        constants: input.constants ?? {},
        rows: p.total,
        skipped: p.errors.length,
      }),
      created_at: new Date().toISOString(),
    })
    .execute();
  const added = await insertItems(
    db,
    p.rows.map((r) => ({ ...r, series_id: seriesId, source_id: sourceId })),
  );
  await bumpData(db, seriesId);
  return { sourceId, added, errors: p.errors, total: p.total };
}
