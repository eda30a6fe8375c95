// The analysis workbench: the only import surface for other modules.
import type { FastifyInstance } from 'fastify';
import { codebookPages } from './codebook.pages.ts';
import { comparePages } from './compare.pages.ts';
import { findingsPages } from './findings.pages.ts';
import { reviewPages } from './review.pages.ts';
import { overviewPages } from './workbench.pages.ts';
import { workbenchApi } from './workbench.routes.ts';
import { parseMultipart } from './multipart.ts';
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

/** Everything the workbench serves: console pages and the JSON API. */
export async function workbenchRoutes(app: FastifyInstance): Promise<void> {
  // Imports arrive as multipart forms, parsed whole before the CSRF check so it sees _csrf (30 MB at most).
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: 45_000_000 },
    (req, body, done) => {
      try {
        done(null, parseMultipart(body as Buffer, String(req.headers['content-type'] ?? '')));
      } catch (e) {
        done(e as Error, undefined);
      }
    },
  );
  await overviewPages(app);
  await reviewPages(app);
  await codebookPages(app);
  await comparePages(app);
  await findingsPages(app);
  await workbenchApi(app);
}
