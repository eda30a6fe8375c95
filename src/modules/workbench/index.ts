// The analysis workbench: the only import surface for other modules.
import type { FastifyInstance } from 'fastify';
import { codebookPages } from './codebook.pages.ts';
import { comparePages } from './compare.pages.ts';
import { findingsPages } from './findings.pages.ts';
import { reviewPages } from './review.pages.ts';
import { overviewPages } from './workbench.pages.ts';
import { workbenchApi } from './workbench.routes.ts';
import { exportsApi } from './exports.routes.ts';
import { exportsPages } from './exports.pages.ts';
import './workbench.tables.ts';

export {
  attributeProviders,
  eraseCopiesOfAnswers,
  refreshFromLive,
  type AttributeProvider,
} from './sources.live.ts';
export { exportSeries, EXPORT_FORMATS, type ExportFormat } from './export.ts';
export { seedWorkbenchDemo } from './demo.ts';
export { saveFindingsSnapshot } from './findings.service.ts';
export { importSource } from './sources.import.ts';
export { prepareExport } from './workbench.service.ts';
export { cohensKappa, krippendorffAlpha } from './agreement.ts';
export { eraseUploadsNaming } from './uploads.ts';
export { eraseImportsNaming, exportImportsNaming, type PersonRef } from './privacy.ts';

/** Everything the workbench serves: console pages and the JSON API. */
export async function workbenchRoutes(app: FastifyInstance): Promise<void> {
  await overviewPages(app);
  await reviewPages(app);
  await codebookPages(app);
  await comparePages(app);
  await findingsPages(app);
  await workbenchApi(app);
  await exportsPages(app);
  await exportsApi(app);
}
