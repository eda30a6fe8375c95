import type { FastifyInstance } from 'fastify';
import { consolePages, publicSeriesPages } from '../../modules/series/index.ts';

/** Server-rendered pages: the public series pages and the coordinator console. */
export async function pageRoutes(app: FastifyInstance): Promise<void> {
  await publicSeriesPages(app);
  await consolePages(app);
}
