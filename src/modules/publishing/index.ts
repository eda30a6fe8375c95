import type { FastifyInstance } from 'fastify';
import { seriesPageSections } from '../series/index.ts';
import { publishingConsolePages } from './console.pages.ts';
import { congressPages, seriesPageSection } from './congress.pages.ts';
import { publishingPublicPages } from './publishing.pages.ts';
import { publishingApi } from './publishing.routes.ts';
import { oidcRoutes } from './oidc.ts';
import { perWindow } from '../../server/limits.ts';
import './publishing.tables.ts';

export {
  createSnapshot,
  eraseQuotes,
  findSnapshot,
  listSnapshots,
  renderSnapshot,
  type Snapshot,
  type SnapshotInput,
  type SnapshotResult,
} from './snapshot.ts';
export { eraseCommenter, exportCommenter } from './comments.service.ts';
export { createCongressSession } from './congress.service.ts';
export { seedPublishingDemo } from './demo.ts';
export { createPost, isVisible as isPostVisible, postPath } from './posts.service.ts';
export { renderCommentMarkdown, renderPostMarkdown } from './markdown.ts';

/** Everything publishing serves: public blog pages and feeds, console pages, the JSON API, sign-in, congress pages. */
export async function publishingRoutes(app: FastifyInstance): Promise<void> {
  // Once per process: the public series page lists the latest posts and the congress sessions.
  if (!seriesPageSections.includes(seriesPageSection)) seriesPageSections.push(seriesPageSection);
  // Per address, across processes when REDIS_URL is set; addresses are never written to the database.
  const limiter = app.ctx.limits.limiter(
    'comment',
    perWindow(
      Number(process.env.COMMENT_RATE_LIMIT ?? 5),
      Number(process.env.COMMENT_RATE_WINDOW_MS ?? 60_000),
    ),
  );
  await publishingPublicPages(app, limiter);
  await publishingConsolePages(app);
  await publishingApi(app, limiter);
  await congressPages(app);
  await oidcRoutes(app);
}
