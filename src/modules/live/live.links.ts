import type { LiveLinks } from '../series/index.ts';

export type { LiveLinks };

/** The live links of a session whose room has this join code. */
export function liveLinks(publicUrl: string, sessionId: string, code: string): LiveLinks {
  const base = publicUrl.replace(/\/+$/, '');
  const c = encodeURIComponent(code);
  return {
    liveRoom: `/console/sessions/${encodeURIComponent(sessionId)}/live`,
    presenter: `/present/${c}`,
    attendee: `${base}/j/${c}`,
    qr: `/j/${c}/qr.svg`,
  };
}
