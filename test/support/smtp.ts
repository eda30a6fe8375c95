import { SMTPServer } from 'smtp-server';

/** One message the test SMTP server received, with its MIME parts decoded. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  text: string;
  html: string;
  /** Every text/calendar part (the alternative and the attachment). */
  calendars: { method: string | null; content: string }[];
}

function unfoldHeaders(head: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) map.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return map;
}

function decodeQp(s: string): Buffer {
  const clean = s.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    if (clean[i] === '=' && /^[0-9A-F]{2}$/i.test(clean.slice(i + 1, i + 3))) {
      bytes.push(parseInt(clean.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(clean[i], 'utf8'));
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) in a header. */
export function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_, _cs: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQp(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

interface Part {
  type: string;
  params: string;
  body: string;
}

function walk(entity: string, out: Part[]) {
  const sep = /\r?\n\r?\n/.exec(entity);
  const head = sep ? entity.slice(0, sep.index) : entity;
  const body = sep ? entity.slice(sep.index + sep[0].length) : '';
  const h = unfoldHeaders(head);
  const ctype = h.get('content-type') ?? 'text/plain';
  const type = ctype.split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(ctype)?.[1];
    if (!boundary) return;
    const pieces = body.split(`--${boundary}`).slice(1);
    for (const p of pieces) {
      if (p.startsWith('--')) break;
      walk(p.replace(/^\r?\n/, ''), out);
    }
    return;
  }
  const cte = (h.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded =
    cte === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : cte === 'quoted-printable'
        ? decodeQp(body).toString('utf8')
        : body;
  out.push({ type, params: ctype, body: decoded });
}

/** Parses a raw message into subject, text, html and calendar parts. */
export function parseMail(raw: string, envelope: { from: string; to: string[] }): ReceivedMail {
  const sep = /\r?\n\r?\n/.exec(raw)!;
  const h = unfoldHeaders(raw.slice(0, sep.index));
  const parts: Part[] = [];
  walk(raw, parts);
  return {
    ...envelope,
    raw,
    subject: decodeWords(h.get('subject') ?? ''),
    text: parts.find((p) => p.type === 'text/plain')?.body ?? '',
    html: parts.find((p) => p.type === 'text/html')?.body ?? '',
    calendars: parts
      .filter((p) => p.type === 'text/calendar' || p.type === 'application/ics')
      .map((p) => ({ method: /method=("?)([A-Z]+)\1/i.exec(p.params)?.[2] ?? null, content: p.body })),
  };
}

/** A real SMTP server on 127.0.0.1 (port 0) that keeps every message it receives. */
export async function startSmtp(): Promise<{
  url: string;
  mails: ReceivedMail[];
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        mails.push(
          parseMail(Buffer.concat(chunks).toString('utf8'), {
            from,
            to: session.envelope.rcptTo.map((r) => r.address),
          }),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}?ignoreTLS=true`,
    mails,
    async waitFor(n, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (mails.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
