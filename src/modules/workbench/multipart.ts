// A small multipart/form-data parser for the import form. It runs as a content-type parser, i.e. before
// the app's CSRF check (a preValidation hook), which then finds `_csrf` in the body like any other form.
import { invalid } from '../../lib/errors.ts';

/** Parses a multipart body: text fields as strings, file fields as Buffers. */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string | Buffer> {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!m) throw invalid('bad_multipart', 'The form could not be read (no boundary).');
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`);
  const out: Record<string, string | Buffer> = {};
  let pos = body.indexOf(delimiter);
  while (pos >= 0) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    // Part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const headers = part.subarray(0, split).toString('utf8');
      const content = part.subarray(split + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const isFile = /filename="/i.test(headers);
      if (name) out[name] = isFile ? Buffer.from(content) : content.toString('utf8');
    }
    pos = next;
  }
  return out;
}
