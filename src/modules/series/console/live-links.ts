// Where people find a session's live conversation. The live module computes these links (it owns the
// rooms); series shows them in the console. Live depends on series, so series does not import live:
// the composition root (src/server/wiring.ts) hands the function in.
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/index.ts';

/** Where people find a session's live conversation. */
export interface LiveLinks {
  /** The facilitator's live room in the console (creates the room on first visit). */
  liveRoom: string;
  /** The presenter screen (null until the room exists). */
  presenter: string | null;
  /** The attendees' page, absolute, for mails and QR codes (null until the room exists). */
  attendee: string | null;
  /** An SVG QR code of the attendee link (null until the room exists). */
  qr: string | null;
}

/** The live links of sessions, by session id. */
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
