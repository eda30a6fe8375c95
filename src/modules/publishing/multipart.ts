import { AppError } from '../../lib/errors.ts';

export interface MultipartBody {
  [field: string]: string | Buffer;
}

/**
 * A small multipart/form-data reader for the console's upload form (a few fields and one file,
 * already size-limited by the body limit). Text fields become strings, files Buffers; it runs as a
 * content-type parser, so the CSRF check sees `_csrf` like in any other form.
 */
export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) throw new AppError(400, 'bad_request', 'The upload could not be read.');
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const out: MultipartBody = {};
  let pos = body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(boundary, start);
    if (next < 0) break;
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the boundary and before the next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const data = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const isFile = /filename="/i.test(headers);
      if (name) out[name] = isFile ? Buffer.from(data) : data.toString('utf8');
    }
    pos = next;
  }
  return out;
}
