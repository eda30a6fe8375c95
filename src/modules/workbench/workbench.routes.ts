// The workbench's JSON API: same services as the pages.
import { MAX_IMPORT_BYTES } from './import.bounds.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../lib/errors.ts';
import { inTransaction } from '../../server/tx.ts';
import { findSnapshot } from '../publishing/index.ts';
import { regionsOf } from '../series/index.ts';
import { compareCube } from './compare.cube.ts';
import { exportSeries } from './export.ts';
import { assertSyncExportable } from './export.job.ts';
import { currentFindings, reproduceSnapshot, saveFindingsSnapshot } from './findings.service.ts';
import { importQdpx } from './import.qda.ts';
import { previewImportInWorker } from './import.worker.ts';
import { importSource } from './sources.import.ts';
import { refreshFromLive } from './sources.live.ts';
import {
  agreement,
  codableSeries,
  engineToRead,
  jobOf,
  ensureFreshLabels,
  learnFromDecision,
  recordDecision,
  reviewQueue,
  viewableSeries,
} from './workbench.service.ts';
import { countOfSeries, sourcesWithCounts } from './workbench.repository.ts';
import * as S from './workbench.schema.ts';

const write = [{ session: [], csrf: [] }];
const Agreement = z.array(
  z.object({
    themeKey: z.string(),
    units: z.number(),
    kappa: z.number().nullable(),
    alpha: z.number().nullable(),
  }),
);
const Figures = z.object({
  count: z.number(),
  n: z.number(),
  share: z.number(),
  low: z.number(),
  high: z.number(),
});

const Claim = z.object({
  kind: z.string(),
  group: z.string(),
  themeId: z.string(),
  count: z.number(),
  n: z.number(),
  share: z.number(),
  low: z.number(),
  high: z.number(),
  otherCount: z.number(),
  otherN: z.number(),
  otherShare: z.number(),
  lift: z.number(),
  p: z.number(),
  q: z.number(),
  held: z.boolean(),
  failed: z.enum(['support', 'q']).optional(),
});
/** Distinctive claims after the Benjamini–Hochberg correction over every test of the report. */
const ClaimsJson = z.object({
  tests: z.number(),
  q: z.number(),
  minSupport: z.number(),
  claims: z.array(Claim),
});
const Sensitivity = z.object({
  withoutLowConfidence: z.boolean(),
  minConfidence: z.number(),
  checkpoints: z.array(z.object({ asOf: z.string(), held: z.boolean() })),
  firstHeld: z.string().optional(),
});
const FindingJson = z.object({
  kind: z.string(),
  type: z.enum(['top', 'distinctive']),
  text: z.string(),
  themes: z.array(z.string()),
  group: z.string().optional(),
  held: z.boolean(),
  figures: z.record(
    z.string(),
    Figures.extend({
      lift: z.number().optional(),
      p: z.number().optional(),
      q: z.number().optional(),
      otherShare: z.number().optional(),
    }),
  ),
  claim: Claim.omit({ themeId: true })
    .extend({ tests: z.number(), minSupport: z.number(), qLevel: z.number(), sensitivity: Sensitivity })
    .optional(),
  coding: z.object({
    units: z.number(),
    byPerson: z.number(),
    byEngine: z.number(),
    mostlyEngine: z.boolean(),
  }),
  quotes: z.array(
    z.object({
      id: z.string(),
      themeId: z.string(),
      text: z.string(),
      start: z.number(),
      end: z.number(),
      group: z.string().optional(),
      language: z.string().optional(),
      codedBy: z.enum(['person', 'engine']),
      confidence: z.number().optional(),
    }),
  ),
});

/** JSON API of the workbench under /api/series/:id/workbench. */
export async function workbenchApi(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = app.ctx;
  const log = (e: unknown) => app.log.error({ err: e }, 'workbench job failed');
  const tags = ['workbench'];

  r.get(
    '/api/series/:id/workbench',
    {
      schema: {
        tags,
        summary: 'Workbench summary: responses, sources, decisions, agreement per theme',
        params: S.SeriesParams,
        response: {
          200: z.object({
            responses: z.number(),
            sources: z.array(z.object({ id: z.string(), kind: z.string(), name: z.string() })),
            decisions: z.number(),
            agreement: z.object({ engine: Agreement, people: Agreement }),
          }),
          ...S.errors,
        },
      },
    },
    async (req) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      // GET reads only: new live answers come in through POST …/refresh.
      const sources = (await sourcesWithCounts(db, s.id)).map(({ id, kind, name }) => ({ id, kind, name }));
      return {
        responses: await countOfSeries(db, 'wb_item', s.id),
        sources,
        decisions: await countOfSeries(db, 'wb_coding', s.id),
        agreement: await agreement(db, s.id),
      };
    },
  );

  r.post(
    '/api/series/:id/workbench/refresh',
    {
      schema: {
        tags,
        summary: 'Pull new live answers into the workbench',
        security: write,
        params: S.SeriesParams,
        response: { 200: z.object({ added: z.number() }), ...S.errors },
      },
    },
    async (req) => {
      const s = await codableSeries(db, req.actor, req.params.id);
      const added = await inTransaction(db, (trx) => refreshFromLive(trx, s.id));
      await ensureFreshLabels(db, s.id, log);
      return { added };
    },
  );

  r.post(
    '/api/series/:id/workbench/imports',
    {
      // Base64 of the largest file accepted, plus the JSON around it; import.bounds.ts checks the rest.
      bodyLimit: Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 65_536,
      schema: {
        tags,
        summary: 'Import a CSV, XLSX, WebVTT, SRT or chat file (base64); dryRun previews it',
        security: write,
        params: S.SeriesParams,
        body: S.ImportBody,
        response: {
          200: z.object({
            sourceId: z.string().nullable(),
            added: z.number(),
            total: z.number(),
            mapping: z.record(z.string(), z.string()),
            errors: z.array(z.object({ line: z.number(), message: z.string() })),
            skipped: z.array(z.object({ line: z.number(), reason: z.string() })),
            recognised: z.enum(['zoom_poll', 'zoom_qa']).optional(),
          }),
          ...S.errors,
        },
      },
    },
    async (req) => {
      const s = await codableSeries(db, req.actor, req.params.id);
      const data = Buffer.from(req.body.content, 'base64');
      const p = await previewImportInWorker(
        req.body.kind,
        data,
        req.body.mapping,
        req.body.constants,
        await regionsOf(db, s.id),
      );
      const mapping = Object.fromEntries(
        Object.entries(p.mapping).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
      if (req.body.dryRun)
        return {
          sourceId: null,
          added: 0,
          total: p.total,
          mapping,
          errors: p.errors,
          skipped: p.skipped,
          ...(p.recognised ? { recognised: p.recognised } : {}),
        };
      const out = await inTransaction(db, (trx) =>
        importSource(trx, s.id, {
          kind: req.body.kind,
          name: req.body.name,
          data,
          mapping: p.mapping,
          constants: req.body.constants,
          preview: p,
        }),
      );
      await ensureFreshLabels(db, s.id, log);
      return {
        sourceId: out.sourceId,
        added: out.added,
        total: out.total,
        mapping,
        errors: out.errors,
        skipped: p.skipped,
        ...(p.recognised ? { recognised: p.recognised } : {}),
      };
    },
  );

  r.post(
    '/api/series/:id/workbench/imports/qdpx',
    {
      bodyLimit: Math.ceil((MAX_IMPORT_BYTES * 4) / 3) + 65_536,
      schema: {
        tags,
        summary: 'Import a REFI-QDA project (.qdpx, base64) coded in another tool as codings of this series',
        security: write,
        params: S.SeriesParams,
        body: S.QdpxImportBody,
        response: { 200: S.QdpxSummary, ...S.errors },
      },
    },
    async (req) => {
      const s = await codableSeries(db, req.actor, req.params.id);
      const data = Buffer.from(req.body.content, 'base64');
      const out = await inTransaction(db, (trx) => importQdpx(trx, req.actor, s.id, data));
      await ensureFreshLabels(db, s.id, log);
      return out;
    },
  );

  r.get(
    '/api/series/:id/workbench/review',
    {
      schema: {
        tags,
        summary: 'The next responses to review, ordered by what teaches the engine most',
        params: S.SeriesParams,
        querystring: z.object({ n: z.coerce.number().int().min(1).max(100).default(10) }),
        response: {
          200: z.object({
            ready: z.boolean(),
            jobId: z.string().nullable(),
            items: z.array(
              z.object({
                id: z.string(),
                text: z.string(),
                region: z.string().nullable(),
                kind: z.string().nullable(),
                themeKey: z.string(),
                engineSays: z.boolean(),
                probability: z.number(),
                codings: z.array(
                  z.object({
                    themeKey: z.string(),
                    confidence: z.number(),
                    start: z.number(),
                    end: z.number(),
                  }),
                ),
              }),
            ),
          }),
          ...S.errors,
        },
      },
    },
    async (req) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      // The engine from this process or its saved state; when coding has not run, POST …/refresh starts it.
      const { engine, status } = await engineToRead(db, s.id, log);
      if (!engine) return { ready: false, jobId: status.job?.id ?? null, items: [] };
      const q = await reviewQueue(db, engine, req.query.n);
      return {
        ready: true,
        jobId: null,
        items: q.map((x) => ({
          id: x.item.id,
          text: x.item.text,
          region: x.item.region,
          kind: x.item.prompt_kind,
          themeKey: x.themeKey,
          engineSays: x.engineSays,
          probability: x.probability,
          codings: x.codings,
        })),
      };
    },
  );

  r.post(
    '/api/series/:id/workbench/items/:itemId/codings',
    {
      schema: {
        tags,
        summary: 'Accept or reject a theme on a response (or a span of it); the engine retrains at once',
        security: write,
        params: S.ItemParams,
        body: S.DecisionBody,
        response: { 201: z.object({ changed: z.number(), recodeMs: z.number() }), ...S.errors },
      },
    },
    async (req, reply) => {
      const s = await codableSeries(db, req.actor, req.params.id);
      const example = await inTransaction(db, (trx) =>
        recordDecision(trx, req.actor, s.id, req.params.itemId, req.body),
      );
      const learnt = await learnFromDecision(db, s.id, example, log);
      return reply.status(201).send({ changed: learnt?.changed ?? 0, recodeMs: learnt?.recodeMs ?? 0 });
    },
  );

  r.get(
    '/api/series/:id/workbench/compare',
    {
      schema: {
        tags,
        summary: 'Themes per prompt kind and region with Wilson intervals; across and distinctive themes',
        params: S.SeriesParams,
        querystring: S.FiltersQuery,
        response: {
          200: z.object({
            n: z.number(),
            kinds: z.record(
              z.string(),
              z.object({
                n: z.number(),
                top: z.array(z.string()),
                themes: z.array(Figures.extend({ id: z.string(), groups: z.record(z.string(), Figures) })),
              }),
            ),
            acrossGroups: z.record(z.string(), z.array(z.string())),
            claims: ClaimsJson,
          }),
          ...S.errors,
        },
      },
    },
    async (req) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      const { comparison, claims } = await compareCube(db, s.id, S.cleanFilters(req.query));
      return {
        n: comparison.n,
        kinds: comparison.kinds,
        acrossGroups: comparison.acrossGroups,
        claims,
      };
    },
  );

  r.get(
    '/api/series/:id/workbench/findings',
    {
      schema: {
        tags,
        summary:
          'The findings: sentences with n, shares, adjusted q, sensitivity and quotes; claims that did not survive are kept, held false',
        params: S.SeriesParams,
        querystring: S.FiltersQuery,
        response: {
          200: z.object({
            n: z.number(),
            claims: z.object({
              tests: z.number(),
              q: z.number(),
              minSupport: z.number(),
              held: z.number(),
              notHeld: z.number(),
            }),
            findings: z.array(FindingJson),
          }),
          ...S.errors,
        },
      },
    },
    async (req) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      const { comparison, claims, found } = await currentFindings(
        db,
        s.id,
        S.cleanFilters(req.query),
        req.lang,
      );
      return { n: comparison.n, claims, findings: found };
    },
  );

  r.post(
    '/api/series/:id/workbench/snapshots',
    {
      schema: {
        tags,
        summary: 'Save the findings (optionally edited) as a snapshot a post can embed',
        security: write,
        params: S.SeriesParams,
        body: S.SnapshotBody,
        response: { 201: z.object({ id: z.string() }), ...S.errors },
      },
    },
    async (req, reply) => {
      const s = await codableSeries(db, req.actor, req.params.id);
      const edits = Object.fromEntries(Object.entries(req.body.edits).map(([k, v]) => [Number(k), v]));
      const id = await inTransaction(db, (trx) =>
        saveFindingsSnapshot(trx, s.id, {
          title: req.body.title,
          filters: req.body.filters,
          edits,
          language: req.lang,
        }),
      );
      app.ctx.invalidate();
      return reply.status(201).send({ id });
    },
  );

  r.get(
    '/api/series/:id/workbench/snapshots/:snapshotId',
    {
      schema: {
        tags,
        summary: 'A snapshot as JSON, with the result of reproducing it from its stored inputs',
        params: S.SnapshotParams,
        response: {
          200: z.object({
            id: z.string(),
            title: z.string(),
            createdAt: z.string(),
            engineVersion: z.string(),
            params: z.record(z.string(), z.unknown()),
            result: z.unknown(),
            reproduced: z.object({
              equal: z.boolean(),
              checks: z.array(z.object({ name: z.string(), ok: z.boolean() })),
            }),
          }),
          ...S.errors,
        },
      },
    },
    async (req) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      const snap = await findSnapshot(db, req.params.snapshotId);
      if (!snap || snap.seriesId !== s.id) throw notFound('This snapshot', 'snapshotId');
      const rep = await reproduceSnapshot(db, s.id, snap.id);
      return {
        id: snap.id,
        title: snap.title,
        createdAt: snap.createdAt,
        engineVersion: snap.engineVersion,
        params: snap.params,
        result: snap.result,
        reproduced: { equal: rep.equal, checks: rep.checks },
      };
    },
  );

  r.get(
    '/api/series/:id/workbench/export',
    {
      schema: {
        tags,
        summary:
          'Export built within the request, for series up to WB_EXPORT_SYNC_MAX_UNITS responses (409 export_too_large above: POST …/exports): coded units (csv, xlsx), codebook (qdc), project (qdpx), report (md, docx)',
        params: S.SeriesParams,
        querystring: S.ExportQuery,
      },
    },
    async (req, reply) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      await assertSyncExportable(db, s.id);
      // req.lang is the `lang` parameter when given, else the requester's language.
      const out = await exportSeries(db, s, req.query.format, S.cleanFilters(req.query), req.lang);
      return reply
        .header('content-type', out.type)
        .header('content-disposition', `attachment; filename="${out.fileName}"`)
        .send(out.body);
    },
  );

  r.get(
    '/api/series/:id/workbench/jobs/:jobId',
    {
      schema: {
        tags,
        summary: 'Progress of a background coding job',
        params: S.JobParams,
        response: {
          200: z.object({
            id: z.string(),
            status: z.string(),
            done: z.number(),
            total: z.number(),
            error: z.string().nullable(),
          }),
          ...S.errors,
        },
      },
    },
    async (req) => {
      const s = await viewableSeries(db, req.actor, req.params.id);
      const j = await jobOf(db, s.id, req.params.jobId);
      return { id: j.id, status: j.status, done: j.done, total: j.total, error: j.error };
    },
  );
}
