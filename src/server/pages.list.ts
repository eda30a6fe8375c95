/**
 * Every server-rendered page, kept next to the routes: the seven-language browser sweep
 * (test/browser/languages.test.ts) visits each one in every language at 360 px and 1,280 px.
 * `test/integration/pages-list.test.ts` fails when a GET route that renders HTML is in neither
 * PAGES nor NOT_PAGES, so a new page joins the sweep by being added here.
 */

/** The ids a URL needs, taken from the demo data by the sweep. */
export interface PageFixture {
  seriesId: string;
  slug: string;
  sessionId: string;
  personId: string;
  postId: string;
  postSlug: string;
  translationGroup: string;
  congressId: string;
  congressSlug: string;
  roomCode: string;
  registrationToken: string;
  snapshotId: string;
}

export interface PageEntry {
  /** The route as registered (Fastify syntax). */
  route: string;
  /** A URL of the route for the fixture. */
  url: (f: PageFixture) => string;
  area: 'public' | 'console' | 'workbench' | 'account';
  /** Needs a logged-in coordinator. */
  auth: boolean;
  /**
   * Chrome still in English (left to its owner's restructuring, see docs/i18n.md); the sweep still
   * checks lang/dir, overflow and accessibility, and fails once the page is translated so the flag goes.
   */
  english?: true;
  /** One text in its own language (a post): <html lang> is the text's, and its chrome follows it. */
  ownLanguage?: true;
}

const s = (f: PageFixture) => `/console/series/${f.seriesId}`;

const ALL: PageEntry[] = [
  // Public
  { route: '/', url: () => '/', area: 'public', auth: false },
  { route: '/login', url: () => '/login', area: 'account', auth: false },
  { route: '/series/:slug', url: (f) => `/series/${f.slug}`, area: 'public', auth: false },
  {
    route: '/series/:slug/sessions/:id',
    url: (f) => `/series/${f.slug}/sessions/${f.sessionId}`,
    area: 'public',
    auth: false,
  },
  { route: '/series/:slug/register', url: (f) => `/series/${f.slug}/register`, area: 'public', auth: false },
  { route: '/series/:slug/posts', url: (f) => `/series/${f.slug}/posts`, area: 'public', auth: false },
  {
    route: '/series/:slug/posts/:postSlug',
    url: (f) => `/series/${f.slug}/posts/${f.postSlug}`,
    area: 'public',
    auth: false,
  },
  {
    route: '/series/:slug/posts/t/:group',
    url: (f) => `/series/${f.slug}/posts/t/${f.translationGroup}`,
    area: 'public',
    auth: false,
  },
  {
    route: '/series/:slug/congress/:cslug',
    url: (f) => `/series/${f.slug}/congress/${f.congressSlug}`,
    area: 'public',
    auth: false,
  },
  { route: '/j/:code', url: (f) => `/j/${f.roomCode}`, area: 'public', auth: false },
  { route: '/present/:code', url: (f) => `/present/${f.roomCode}`, area: 'public', auth: false },
  {
    route: '/registrations/:token',
    url: (f) => `/registrations/${f.registrationToken}`,
    area: 'public',
    auth: false,
  },
  { route: '/invite/:token', url: () => '/invite/not-a-valid-token', area: 'account', auth: false },
  // Account
  { route: '/account', url: () => '/account', area: 'account', auth: true },
  // Console
  { route: '/console', url: () => '/console', area: 'console', auth: true },
  {
    route: '/console/series/new',
    url: () => '/console/series/new',
    area: 'console',
    auth: true,
  },
  { route: '/console/series/:id', url: (f) => s(f), area: 'console', auth: true },
  { route: '/console/series/:id/sessions', url: (f) => `${s(f)}/sessions`, area: 'console', auth: true },
  {
    route: '/console/series/:id/sessions/new',
    url: (f) => `${s(f)}/sessions/new`,
    area: 'console',
    auth: true,
  },
  { route: '/console/series/:id/people', url: (f) => `${s(f)}/people`, area: 'console', auth: true },
  { route: '/console/series/:id/team', url: (f) => `${s(f)}/team`, area: 'console', auth: true },
  { route: '/console/series/:id/live', url: (f) => `${s(f)}/live`, area: 'console', auth: true },
  {
    route: '/console/series/:id/registrations',
    url: (f) => `${s(f)}/registrations`,
    area: 'console',
    auth: true,
  },
  { route: '/console/series/:id/posts', url: (f) => `${s(f)}/posts`, area: 'console', auth: true },
  { route: '/console/series/:id/posts/new', url: (f) => `${s(f)}/posts/new`, area: 'console', auth: true },
  { route: '/console/series/:id/comments', url: (f) => `${s(f)}/comments`, area: 'console', auth: true },
  {
    route: '/console/series/:id/congress/new',
    url: (f) => `${s(f)}/congress/new`,
    area: 'console',
    auth: true,
  },
  {
    route: '/console/sessions/:id',
    url: (f) => `/console/sessions/${f.sessionId}`,
    area: 'console',
    auth: true,
  },
  {
    route: '/console/sessions/:id/live',
    url: (f) => `/console/sessions/${f.sessionId}/live`,
    area: 'console',
    auth: true,
  },
  { route: '/console/people/:id', url: (f) => `/console/people/${f.personId}`, area: 'console', auth: true },
  { route: '/console/posts/:id', url: (f) => `/console/posts/${f.postId}`, area: 'console', auth: true },
  {
    route: '/console/congress/:id',
    url: (f) => `/console/congress/${f.congressId}`,
    area: 'console',
    auth: true,
  },
  {
    route: '/console/series/:id/registrants',
    url: (f) => `${s(f)}/registrants`,
    area: 'console',
    auth: true,
  },
  {
    route: '/console/series/:id/registrants/write',
    url: (f) => `${s(f)}/registrants/write`,
    area: 'console',
    auth: true,
  },
  {
    route: '/console/sessions/:id/registrants',
    url: (f) => `/console/sessions/${f.sessionId}/registrants`,
    area: 'console',
    auth: true,
  },
  {
    route: '/console/sessions/:id/registrants/write',
    url: (f) => `/console/sessions/${f.sessionId}/registrants/write`,
    area: 'console',
    auth: true,
  },
  { route: '/console/outbox', url: () => '/console/outbox', area: 'console', auth: true },
  {
    route: '/console/publishing/oidc',
    url: () => '/console/publishing/oidc',
    area: 'console',
    auth: true,
  },
  // Workbench
  { route: '/console/series/:id/workbench', url: (f) => `${s(f)}/workbench`, area: 'workbench', auth: true },
  {
    route: '/console/series/:id/workbench/review',
    url: (f) => `${s(f)}/workbench/review`,
    area: 'workbench',
    auth: true,
  },
  {
    route: '/console/series/:id/workbench/codebook',
    url: (f) => `${s(f)}/workbench/codebook`,
    area: 'workbench',
    auth: true,
  },
  {
    route: '/console/series/:id/workbench/compare',
    url: (f) => `${s(f)}/workbench/compare`,
    area: 'workbench',
    auth: true,
  },
  {
    route: '/console/series/:id/workbench/quotes',
    url: (f) => `${s(f)}/workbench/quotes`,
    area: 'workbench',
    auth: true,
  },
  {
    route: '/console/series/:id/workbench/findings',
    url: (f) => `${s(f)}/workbench/findings`,
    area: 'workbench',
    auth: true,
  },
  {
    route: '/console/series/:id/workbench/exports',
    url: (f) => `${s(f)}/workbench/exports`,
    area: 'workbench',
    auth: true,
  },
  {
    route: '/console/series/:id/workbench/snapshots/:snapshotId',
    url: (f) => `${s(f)}/workbench/snapshots/${f.snapshotId}`,
    area: 'workbench',
    auth: true,
  },
];

/**
 * Pages whose chrome is still English (none now). A page listed here may leave English chrome; remove
 * its route once it is translated (the sweep fails while a translated page is still listed).
 */
const STILL_ENGLISH = new Set<string>([]);

/** Pages that are one text in its own language (a post and its translations). */
const OWN_LANGUAGE = new Set(['/series/:slug/posts/:postSlug', '/series/:slug/posts/t/:group']);

export const PAGES: PageEntry[] = ALL.map((p) => ({
  ...p,
  ...(STILL_ENGLISH.has(p.route) ? { english: true as const } : {}),
  ...(OWN_LANGUAGE.has(p.route) ? { ownLanguage: true as const } : {}),
}));

/** GET routes that are not pages of their own (files, feeds, redirects, sign-in hand-offs). */
export const NOT_PAGES: string[] = [
  '/healthz',
  '/favicon.ico',
  '/setup', // only before the first account exists; covered by the first-run test
  '/j', // redirects to /j/:code
  '/j/:code/qr.svg',
  '/sessions/:id/join', // redirects to the meeting
  '/uploads/:id',
  '/series/:slug/calendar.ics',
  '/series/:slug/sessions/:id.ics',
  '/series/:slug/feed.rss',
  '/series/:slug/feed.atom',
  '/series/:slug/posts/:postSlug/comments.rss',
  '/series/:slug/posts/:postSlug/comments.atom',
  '/registrations/:token/export',
  '/registrations/:token/sessions/:id.ics',
  '/registrations/:id/reminders-off/:sig', // a signed link from a mail; same shell as the manage page
  '/registrations/:id/messages-off/:sig', // likewise
  '/join/:id/:sig', // a registrant's signed join link: records attendance and redirects
  '/comments/login',
  '/comments/login/callback',
  '/comments/unsubscribe', // a token link from a reply mail: a button that POSTs (unsubscribe.http.test.ts)
  '/console/series/:id/registrants/export.csv',
  '/console/series/:id/registrants/export.xlsx',
  '/console/sessions/:id/registrants/export.csv',
  '/console/sessions/:id/registrants/export.xlsx',
];
