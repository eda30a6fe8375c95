/**
 * iCalendar (RFC 5545) writer with iTIP methods (RFC 5546): CRLF line endings, lines folded at
 * 75 octets without splitting a UTF-8 character, TEXT values escaped, instants in UTC.
 * A presenter: data in, text out; no database.
 */

export type IcsMethod = 'REQUEST' | 'CANCEL' | 'PUBLISH';

export interface IcsPerson {
  name: string;
  email: string;
}

export interface IcsEvent {
  uid: string;
  sequence: number;
  /** When this object was produced (DTSTAMP). */
  stamp: Date | string;
  start: Date | string;
  end: Date | string;
  summary: string;
  description?: string;
  url?: string;
  /** The video link: what calendar apps show as the place. */
  location?: string;
  status?: 'CONFIRMED' | 'CANCELLED' | 'TENTATIVE';
  organizer?: IcsPerson;
  attendee?: IcsPerson & { partstat?: 'ACCEPTED' | 'NEEDS-ACTION' | 'DECLINED' };
}

/** "20220323T050000Z": the UTC form every major calendar accepts. */
export function icsInstant(d: Date | string): string {
  return new Date(d)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** Escapes a TEXT value: backslash, semicolon, comma and line breaks (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Quoted parameter value (CN="…"): double quotes are not allowed inside, so they are dropped. */
function paramValue(s: string): string {
  return `"${s.replace(/["\r\n]/g, '')}"`;
}

/** Folds one content line at 75 octets; continuation lines start with a space (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  let limit = 75;
  while (start < bytes.length) {
    let end = Math.min(start + limit, bytes.length);
    // Never cut inside a multi-byte character: back up to a lead byte.
    while (end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
    limit = 74; // the leading space counts
  }
  return parts.join('\r\n ');
}

function eventLines(e: IcsEvent, method: IcsMethod): string[] {
  const status = e.status ?? (method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED');
  const lines = [
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    `SEQUENCE:${e.sequence}`,
    `DTSTAMP:${icsInstant(e.stamp)}`,
    `DTSTART:${icsInstant(e.start)}`,
    `DTEND:${icsInstant(e.end)}`,
    `SUMMARY:${escapeText(e.summary)}`,
  ];
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.url) lines.push(`URL:${e.url.replace(/[\r\n]/g, '')}`);
  lines.push(`STATUS:${status}`);
  if (e.organizer) lines.push(`ORGANIZER;CN=${paramValue(e.organizer.name)}:mailto:${e.organizer.email}`);
  if (e.attendee) {
    const partstat = e.attendee.partstat ?? 'ACCEPTED';
    lines.push(
      `ATTENDEE;CN=${paramValue(e.attendee.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=${partstat};RSVP=FALSE:mailto:${e.attendee.email}`,
    );
  }
  lines.push('END:VEVENT');
  return lines;
}

/** A whole VCALENDAR with its METHOD; REQUEST and CANCEL carry one event (one UID) per iTIP message. */
export function icsCalendar(method: IcsMethod, events: IcsEvent[], opts: { name?: string } = {}): string {
  if (method !== 'PUBLISH' && events.length !== 1)
    throw new Error('An iTIP REQUEST or CANCEL carries exactly one event');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Colloquy//Colloquy 0.1//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
  ];
  if (opts.name) lines.push(`X-WR-CALNAME:${escapeText(opts.name)}`);
  for (const e of events) lines.push(...eventLines(e, method));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
