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
