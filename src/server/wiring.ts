import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';
import { UUID_RE } from '../lib/ids.ts';
import {
  analysisAttributes,
  answerIdsOfRegistrations,
  createRoomForSession,
  eraseParticipantsOfRegistrations,
  exportAnswersOfRegistrations,
  liveLinksOf,
  roomCodeOfSession,
  setRegistrationResolver,
} from '../modules/live/index.ts';
import { eraseCommenter, exportCommenter } from '../modules/publishing/index.ts';
import {
  byToken,
  erasureHooks,
  exportHooks,
  registrationAttributes,
  setJoinLinkResolver,
} from '../modules/registration/index.ts';
import {
  attributeProviders,
  eraseCopiesOfAnswers,
  eraseImportsNaming,
  eraseUploadsNaming,
  exportImportsNaming,
} from '../modules/workbench/index.ts';
import {
  findSeries,
  findSession,
  regionsOf,
  sessionPath,
  setLiveLinksOf,
  setSessionCreated,
} from '../modules/series/index.ts';
import { setSeriesDirectory } from '../modules/accounts/index.ts';

let wired = false;

/**
 * The few places where feature modules meet, in one file so that none of them imports another's
 * internals: a new session gets its live room, registration links carry attributes into live rooms,
 * e-mails link to the live room, and an attendee's export and erasure reach their answers and comments.
 * Called when the app is assembled, by the CLI and by the test factories: anything that creates sessions.
 */
export function wireModules(): void {
  if (wired) return;
  wired = true;

  // Accounts asks series for a series' title and regions; series imports accounts for its rights.
  setSeriesDirectory({ findSeries, regionsOf });
  // The console's session rows link to each session's live room, presenter screen and QR code.
  setLiveLinksOf(liveLinksOf);
  // A session has its live room (and join code) from the moment it exists, in the same transaction,
  // so no page has to create one when first looked at.
  setSessionCreated(async (db, session) => {
    await createRoomForSession(db, session);
  });

  // A registration link (?reg=TOKEN) brings the attendee's attributes into the live room.
  setRegistrationResolver(async (db, token) => {
    try {
      const [r] = await byToken(db, token);
      const answers = JSON.parse(r.answers) as Record<string, unknown>;
      // Only what is marked for analysis reaches the room: never free-text answers, names or e-mails.
      const attributes = analysisAttributes({ ...answers, country: r.country, language: r.language });
      return { registrationId: r.id, attributes };
    } catch (e) {
      // An unknown or expired link joins without attributes; anything else (database away) is an error.
      if (e instanceof AppError && e.status < 500) return null;
      throw e;
    }
  });

  // E-mails send attendees to the session's live room through a stable link that never changes.
  setJoinLinkResolver((session, ctx) => `${ctx.publicUrl}/sessions/${session.id}/join`);

  // The workbench analyses answers by career stage, country and attendance from registrations
  // (never by name or e-mail).
  attributeProviders.push(async (db, seriesId) => {
    const byKey = await registrationAttributes(db, seriesId);
    const out = new Map<string, Record<string, unknown>>();
    for (const [key, a] of byKey) {
      if (key !== a.registrationId) continue;
      out.set(key, { career_stage: a.career_stage, country: a.country, attended: a.attended });
    }
    return out;
  });

  erasureHooks.push(async (db, e) => {
    if (e.registrationIds.length) {
      // In both modes the person's words leave the workbench's copies, snapshots and published quotes.
      await eraseCopiesOfAnswers(db, await answerIdsOfRegistrations(db, e.registrationIds), e.mode);
      // Live then deletes (or, anonymising, keeps only choices and values of) the answers, unlinked.
      await eraseParticipantsOfRegistrations(db, e.registrationIds, e.mode);
    }
    await eraseCommenter(db, e.email);
    // Files waiting between an import's preview and its commit may hold the person's rows.
    await eraseUploadsNaming(db, e.email);
    // Imported rows naming the person (their address, or their name as speaker or cell) go with them.
    await eraseImportsNaming(db, { email: e.email, names: e.names }, e.mode, e.seriesId);
  });

  exportHooks.push(async (db, email, registrationIds, names) => ({
    liveAnswers: await exportAnswersOfRegistrations(db, registrationIds),
    comments: await exportCommenter(db, email),
    importedRows: await exportImportsNaming(db, { email, names }),
  }));
}

/**
 * GET /sessions/:id/join: the live room of a session (open or closed, the room page says which); the
 * session's public page only for a session without a room, which the migration that gave every session
 * one leaves none of.
 */
export async function joinRoutes(app: FastifyInstance): Promise<void> {
  // Wired when the app is assembled, not at import time: the modules import each other's surfaces.
  wireModules();
  app.get('/sessions/:id/join', { schema: { hide: true } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const qs = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    if (!UUID_RE.test(id)) return reply.redirect('/', 302);
    const code = await roomCodeOfSession(app.ctx.db, id);
    if (code) return reply.redirect(`/j/${encodeURIComponent(code)}${qs}`, 302);
    const session = await findSession(app.ctx.db, id);
    const series = session ? await findSeries(app.ctx.db, session.series_id) : undefined;
    return reply.redirect(session && series ? sessionPath(series.slug, session.id) : '/', 302);
  });
}
