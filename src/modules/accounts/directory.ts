// What accounts needs to know about series (a title for an invitation, the regions a role can be
// limited to). Series depends on accounts for its rights, so accounts cannot import series back: the
// composition root (src/server/wiring.ts) hands these two functions in.
import type { Db } from '../../db/index.ts';

/** The series lookups accounts asks for. */
export interface SeriesDirectory {
  findSeries: (db: Db, idOrSlug: string) => Promise<{ id: string; title: string } | undefined>;
  regionsOf: (db: Db, seriesId: string) => Promise<{ id: string; key: string; name: string }[]>;
}

let directory: SeriesDirectory | undefined;

/** Called once by the composition root. */
export function setSeriesDirectory(d: SeriesDirectory): void {
  directory = d;
}

/** The wired series lookups; an error while nothing has wired them. */
export function seriesDirectory(): SeriesDirectory {
  if (!directory) throw new Error('accounts: the series directory is not wired (wireModules)');
  return directory;
}
