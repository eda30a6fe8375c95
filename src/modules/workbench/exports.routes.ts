// The JSON API of export jobs: ask for an export, follow it, download its file.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SUPPORTED } from '../../lib/i18n.ts';
import { EXPORT_FORMATS } from './export.ts';
import { exportFile, exportOf, startExport, type ExportRow } from './export.job.ts';
import { viewableSeries } from './workbench.service.ts';
import * as S from './workbench.schema.ts';

/** The filters an export may be asked with (the compare page's). */
const ExportFilters = S.FiltersQuery.omit({ kind: true }).strict();
export const ExportBody = z.object({
  format: z.enum(EXPORT_FORMATS),
  filters: ExportFilters.default({}),
  /** The language of headings and labels; by default the requester's. */
  lang: z.enum(SUPPORTED).optional(),
});
const ExportParams = z.object({
  id: z.string().min(1).max(100),
  exportId: z.string().min(1).max(100),
});

const ExportJson = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'retrying', 'done', 'failed']),
  format: z.enum(EXPORT_FORMATS),
  lang: z.string(),
  filters: z.record(z.string(), z.string()),
  phase: z.string().nullable(),
  units: z.number().nullable(),
  size: z.number().nullable(),
  fileName: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  statusUrl: z.string(),
  fileUrl: z.string(),
});

const exportUrl = (seriesId: string, exportId: string) =>
  `/api/series/${seriesId}/workbench/exports/${exportId}`;

/** An export as the API gives it. */
export function presentExport(e: ExportRow): z.infer<typeof ExportJson> {
  return {
    id: e.id,
    status: e.status as z.infer<typeof ExportJson>['status'],
    format: e.format as z.infer<typeof ExportJson>['format'],
    lang: e.lang,
    filters: JSON.parse(e.filters) as Record<string, string>,
    phase: e.phase,
    units: e.units === null ? null : Number(e.units),
    size: e.size === null ? null : Number(e.size),
    fileName: e.file_name,
    error: e.error,
    createdAt: e.created_at,
    finishedAt: e.finished_at,
    expiresAt: e.expires_at,
    statusUrl: exportUrl(e.series_id, e.id),
    fileUrl: `${exportUrl(e.series_id, e.id)}/file`,
  };
}

/** POST …/exports, GET …/exports/:exportId and its file. */
export async function exportsApi(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const log = (e: unknown) => app.log.error({ err: e }, 'workbench export failed');
  const tags = ['workbench'];

  r.post(
    '/api/series/:id/workbench/exports',
    {
      schema: {
        tags,
        summary:
          'Asks for an export built in the background (csv, xlsx, qdc, qdpx, md, docx); an identical one being built is reused',
        params: S.SeriesParams,
        body: ExportBody,
        response: { 202: ExportJson.extend({ reused: z.boolean() }), ...S.errors },
      },
    },
    async (req, reply) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      const { id, reused } = await startExport(
        db,
        s.id,
        {
          format: req.body.format,
          filters: S.cleanFilters(req.body.filters),
          lang: req.body.lang ?? req.lang,
          requestedBy: req.actor?.accountId ?? null,
        },
        log,
      );
      const e = await exportOf(db, s.id, id);
      return reply.status(202).send({ ...presentExport(e), reused });
    },
  );

  r.get(
    '/api/series/:id/workbench/exports/:exportId',
    {
      schema: {
        tags,
        summary: 'Status, progress and size of an export',
        params: ExportParams,
        response: { 200: ExportJson, ...S.errors },
      },
    },
    async (req) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      return presentExport(await exportOf(db, s.id, req.params.exportId));
    },
  );

  r.get(
    '/api/series/:id/workbench/exports/:exportId/file',
    {
      schema: {
        tags,
        summary: 'The file of a finished export (409 export_not_ready while it is built, 404 once expired)',
        params: ExportParams,
      },
    },
    async (req, reply) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      const out = await exportFile(db, s.id, req.params.exportId);
      return reply
        .header('content-type', out.type)
        .header('content-disposition', `attachment; filename="${out.fileName}"`)
        .send(out.body);
    },
  );
}
