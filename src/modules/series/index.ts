export * from './series.service.ts';
export * as seriesSchema from './series.schema.ts';
export { DEFAULT_REGIONS, UI_LANGUAGES } from './series.schema.ts';
export { seriesPath, sessionPath } from './series.presenter.ts';
export { regionLabels, regionNamer } from './series.labels.ts';
export {
  countSeries,
  findSeries,
  findSession,
  lockSession,
  regionsOf,
  sessionsByIds,
  sessionsOf,
} from './series.repository.ts';
export { seriesRoutes } from './series.routes.ts';
export { publicSeriesPages, CITIES, seriesPageSections, viewerTime } from './series.pages.ts';
export { consolePages, parseRegions, seriesNav, SERIES_NAV_STYLE, type Section } from './console.pages.ts';
export {
  onSessionChanged,
  emitSessionChanged,
  onSessionDeleting,
  emitSessionDeleting,
  setSessionCreated,
  type NewSession,
  type SessionChange,
} from './series.events.ts';
export { setLiveLinksOf, type LiveLinks, type LiveLinksOf } from './console/live-links.ts';
