import type { FastifyInstance } from 'fastify';
import { consoleHomePages } from './console/home.pages.ts';
import { liveSectionPages } from './console/live.pages.ts';
import { overviewPages } from './console/overview.pages.ts';
import { peoplePages } from './console/people.pages.ts';
import { sessionPages } from './console/sessions.pages.ts';
import { teamPages } from './console/team.pages.ts';

export { parseRegions, seriesNav, NAV_STYLE as SERIES_NAV_STYLE, type Section } from './console/common.ts';

/**
 * The coordinator's console, one page per section of a series (overview, sessions, organisations
 * and people, team, live); registration, workbench and posts are the pages of their modules.
 */
export async function consolePages(app: FastifyInstance): Promise<void> {
  await consoleHomePages(app);
  await overviewPages(app);
  await sessionPages(app);
  await peoplePages(app);
  await teamPages(app);
  await liveSectionPages(app);
}
