import { CsvError, parseCsv } from './csv.ts';
import { defaultCodebook } from './default-codebook.ts';

/** A seed term; `lang` is its ISO 639-1 language when known, so it is stemmed the right way. */
export interface SeedTerm {
  text: string;
  lang?: string;
}

/** A theme responses can be coded with. */
export interface Theme {
  id: string;
  label: string;
  /** The label in other languages (language code → label); `label` is the source. */
  labels?: Record<string, string>;
  description?: string;
  /** The description in other languages. */
  descriptions?: Record<string, string>;
  terms: SeedTerm[];
}

/** The named categories a series codes its responses with. */
export interface Codebook {
  themes: Theme[];
}

/** A problem in a codebook file, with the line and column it concerns. */
export class CodebookError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column?: string,
  ) {
    super(message);
    this.name = 'CodebookError';
  }
}

const ID = /^[\p{L}\p{N}_][\p{L}\p{N}_.-]*$/u;

function dedupeTerms(terms: SeedTerm[]): SeedTerm[] {
  const seen = new Set<string>();
  return terms.filter((t) => {
    const key = `${t.lang ?? ''}\u0000${t.text.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Parses a codebook CSV (`id,label[,description][,terms]`, terms ';'-separated) without the default's terms. */
export function parseCodebookCsv(csvText: string): Codebook {
  let table;
  try {
    table = parseCsv(csvText);
  } catch (e) {
    if (e instanceof CsvError) throw new CodebookError(e.message, e.line);
    throw e;
  }
  for (const col of ['id', 'label']) {
    if (!table.header.includes(col)) throw new CodebookError(`missing column "${col}"`, 1, col);
  }
  const col = (name: string): number => table.header.indexOf(name);
  const seen = new Set<string>();
  const themes: Theme[] = [];
  for (const row of table.rows) {
    const id = row.cells[col('id')].trim();
    const label = row.cells[col('label')].trim();
    if (!ID.test(id))
      throw new CodebookError(
        `theme id "${id}" must be a non-empty word without spaces or ';'`,
        row.line,
        'id',
      );
    if (seen.has(id)) throw new CodebookError(`theme id "${id}" appears twice`, row.line, 'id');
    seen.add(id);
    const description = col('description') >= 0 ? row.cells[col('description')].trim() : '';
    const terms =
      col('terms') >= 0
        ? row.cells[col('terms')]
            .split(';')
            .map((t) => t.trim())
            .filter(Boolean)
        : [];
    themes.push({
      id,
      label: label || id,
      ...(description ? { description } : {}),
      terms: terms.map((text) => ({ text })),
    });
  }
  if (themes.length === 0) throw new CodebookError('the codebook has no themes', 2);
  return { themes };
}

/** Unites two codebooks: every theme of both; a shared id keeps base's terms, adds extra's and takes extra's wording. */
export function mergeCodebooks(base: Codebook, extra: Codebook): Codebook {
  const extraById = new Map(extra.themes.map((t) => [t.id, t]));
  const themes: Theme[] = base.themes.map((b) => {
    const e = extraById.get(b.id);
    if (!e) return { ...b, terms: [...b.terms] };
    return {
      id: b.id,
      label: e.label || b.label,
      description: e.description ?? b.description,
      terms: dedupeTerms([...b.terms, ...e.terms]),
    };
  });
  const baseIds = new Set(base.themes.map((t) => t.id));
  for (const e of extra.themes) if (!baseIds.has(e.id)) themes.push({ ...e, terms: [...e.terms] });
  return { themes };
}

/**
 * Loads a codebook: 'default' is the shipped one; a CSV gives its own themes, and those whose id is
 * in the default codebook keep the default's seed terms and add the file's.
 */
export function loadCodebook(source: string): Codebook {
  if (source.trim() === 'default') return mergeCodebooks(defaultCodebook, { themes: [] });
  const file = parseCodebookCsv(source);
  const defaults = new Map(defaultCodebook.themes.map((t) => [t.id, t]));
  const merged = mergeCodebooks({ themes: file.themes.map((t) => defaults.get(t.id) ?? t) }, file);
  return merged;
}

/** Every theme id of a codebook. */
export function themeIds(codebook: Codebook): string[] {
  return codebook.themes.map((t) => t.id);
}
