// Where people find a session's live conversation. The live module computes these links (it owns the
// rooms); series shows them in the console. Live depends on series, so series does not import live:
// the composition root (src/server/wiring.ts) hands the function in.
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.ts';

/** Where people find a session's live conversation (every session has its room from the moment it exists). */
export interface LiveLinks {
  /** The facilitator's live room in the console. */
  liveRoom: string;
  /** The presenter screen. */
  presenter: string;
  /** The attendees' page, absolute, for mails and QR codes. */
  attendee: string;
  /** An SVG QR code of the attendee link. */
  qr: string;
}

/** The live links of sessions, by session id (a session without a room, which should not be, has none). */
export type LiveLinksOf = (
  db: Kysely<Database>,
  publicUrl: string,
  sessionIds: string[],
) => Promise<Map<string, LiveLinks>>;

let provider: LiveLinksOf | undefined;

/** Called once by the composition root. */
export function setLiveLinksOf(fn: LiveLinksOf): void {
  provider = fn;
}

/** The live links of these sessions (an error while nothing has wired the live module in). */
export const liveLinksOf: LiveLinksOf = (db, publicUrl, sessionIds) => {
  if (!provider) throw new Error('series: live links are not wired (wireModules)');
  return provider(db, publicUrl, sessionIds);
};
