// Zod schemas of the workbench's API and forms.
import { z } from 'zod';
import { AppError } from '../../lib/errors.ts';
import { SUPPORTED } from '../../lib/i18n.ts';
import { EXPORT_FORMATS } from './export.ts';
import { IMPORT_KINDS } from './sources.parse.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True for a day that exists on the calendar (2022-02-28, not 2022-02-30 or 9999-99-99). */
export function isCalendarDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A day like 2022-05-31 that exists (or nothing); anything else is refused with the code `invalid_date`. */
const calendarDate = z.string().refine((s) => s === '' || isCalendarDate(s), {
  message: 'Use a date like 2022-05-31.',
  params: { code: 'invalid_date' },
});

export const FiltersQuery = z.object({
  session: z.string().max(300).optional(),
  careerStage: z.string().max(100).optional(),
  language: z.string().max(20).optional(),
  asOf: calendarDate.optional(),
  kind: z.string().max(60).optional(),
});
export type FiltersQueryT = z.infer<typeof FiltersQuery>;

/** Filters without empty values. */
export function cleanFilters(q: FiltersQueryT): {
  session?: string;
  careerStage?: string;
  language?: string;
  asOf?: string;
} {
  const out: Record<string, string> = {};
  for (const k of ['session', 'careerStage', 'language', 'asOf'] as const) if (q[k]) out[k] = q[k];
  return out;
}

export const SeriesParams = z.object({ id: z.string().min(1).max(100) });
export const ItemParams = z.object({ id: z.string().min(1).max(100), itemId: z.string().min(1).max(100) });
export const SnapshotParams = z.object({
  id: z.string().min(1).max(100),
  snapshotId: z.string().min(1).max(100),
});
export const JobParams = z.object({ id: z.string().min(1).max(100), jobId: z.string().min(1).max(100) });

const offset = z.coerce.number().int().min(0).max(1_000_000);
export const DecisionBody = z.object({
  themeKey: z.string().min(1).max(60),
  decision: z.enum(['accept', 'reject']),
  start: z.union([z.literal('').transform(() => undefined), z.null(), offset]).optional(),
  end: z.union([z.literal('').transform(() => undefined), z.null(), offset]).optional(),
});

const Mapping = z.object({
  text: z.string().max(200).optional(),
  id: z.string().max(200).optional(),
  region: z.string().max(200).optional(),
  kind: z.string().max(200).optional(),
  date: z.string().max(200).optional(),
  session: z.string().max(200).optional(),
  language: z.string().max(200).optional(),
  career_stage: z.string().max(200).optional(),
  speaker: z.string().max(200).optional(),
});
const Constants = z.object({
  region: z.string().max(100).optional(),
  kind: z.string().max(60).optional(),
  session: z.string().max(300).optional(),
  language: z.string().max(12).optional(),
  date: z.string().max(40).optional(),
});

export const ImportBody = z.object({
  kind: z.enum(IMPORT_KINDS),
  name: z.string().max(200).default(''),
  content: z.string().min(1).max(40_000_000).describe('the file, base64-encoded'),
  mapping: Mapping.optional(),
  constants: Constants.optional(),
  dryRun: z.boolean().default(false),
});

export const QdpxImportBody = z.object({
  content: z.string().min(1).max(40_000_000).describe('the .qdpx file, base64-encoded'),
});

export const QdpxSummary = z.object({
  codes: z.object({ matched: z.number(), added: z.array(z.string()) }),
  codings: z.object({ added: z.number(), unchanged: z.number() }),
  sources: z.object({ matched: z.number(), byText: z.number() }),
  skipped: z.array(z.object({ source: z.string(), reason: z.string() })),
});

export const SnapshotBody = z.object({
  title: z.string().min(1).max(200),
  filters: z
    .object({
      session: z.string().optional(),
      careerStage: z.string().optional(),
      language: z.string().optional(),
      asOf: calendarDate.optional(),
    })
    .default({}),
  edits: z.record(z.string(), z.string().max(4000)).default({}),
});

/** An export: its format, the filters, and the language of its headings (default: the requester's). */
export const ExportQuery = z
  .object({ format: z.enum(EXPORT_FORMATS), lang: z.enum(SUPPORTED).optional() })
  .merge(FiltersQuery);

export const Err = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});
export const errors = { 400: Err, 401: Err, 403: Err, 404: Err, 409: Err, 422: Err };

/** Parses page input with a schema; the first problem becomes a 422 with the field it concerns. */
export function parseInput<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const i = r.error.issues[0];
  const code = (i as { params?: { code?: string } }).params?.code ?? 'invalid_input';
  throw new AppError(422, code, i.message, i.path.length ? String(i.path[0]) : undefined);
}
