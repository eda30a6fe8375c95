import type { LiveLinks } from '../series/index.ts';

export type { LiveLinks };

/** The live links of a session whose room has this join code. */
export function liveLinks(
  publicUrl: string,
  sessionId: string,
  code: string,
): Required<{
  [K in keyof LiveLinks]: string;
}>;
/** The live links of a session; without a room yet only the live room link is known. */
export function liveLinks(publicUrl: string, sessionId: string, code: string | null): LiveLinks;
export function liveLinks(publicUrl: string, sessionId: string, code: string | null): LiveLinks {
  const base = publicUrl.replace(/\/+$/, '');
  const c = code ? encodeURIComponent(code) : null;
  return {
    liveRoom: `/console/sessions/${encodeURIComponent(sessionId)}/live`,
    presenter: c ? `/present/${c}` : null,
    attendee: c ? `${base}/j/${c}` : null,
    qr: c ? `/j/${c}/qr.svg` : null,
  };
}
