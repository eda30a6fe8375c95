// The analysis workbench: the only import surface for other modules.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { codebookPages } from './codebook.pages.ts';
import { comparePages } from './compare.pages.ts';
import { findingsPages } from './findings.pages.ts';
import { reviewPages } from './review.pages.ts';
import { overviewPages } from './workbench.pages.ts';
import { workbenchApi } from './workbench.routes.ts';
import './workbench.tables.ts';

export { attributeProviders, refreshFromLive, type AttributeProvider } from './sources.live.ts';
export { exportSeries, EXPORT_FORMATS, type ExportFormat } from './export.ts';
export { seedWorkbenchDemo } from './demo.ts';
export { cohensKappa, krippendorffAlpha } from './agreement.ts';

/** Everything the workbench serves: console pages and the JSON API. */
export async function workbenchRoutes(app: FastifyInstance): Promise<void> {
  // Imports arrive as multipart forms; fields become plain values so the CSRF check sees _csrf.
  await app.register(fastifyMultipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 30_000_000, fieldSize: 45_000_000, files: 1, fields: 40 } });
  await overviewPages(app);
  await reviewPages(app);
  await codebookPages(app);
  await comparePages(app);
  await findingsPages(app);
  await workbenchApi(app);
}
