// The one multipart/form-data reader (through @fastify/multipart), built so that a body is read only
// after the caller is known and the form proved to come from this site: the CSRF hook calls
// `startMultipart`, which refuses anonymous callers and routes that take no upload before reading a
// byte, then reads the first part alone (the `_csrf` field every upload form starts with). The route
// handler then calls `readMultipart` for the rest, with a byte limit per file and a part limit.
import fastifyMultipart, { type Multipart } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route takes a multipart form whose one file may hold at most `fileBytes`. */
    multipart?: { fileBytes: number };
  }
}

/** Text fields: few and short (upload forms carry a token, a kind, a name and a column mapping). */
const LIMITS = { fields: 40, fieldSize: 16 * 1024, files: 1, parts: 42, headerPairs: 20 };

/** A multipart form as read: its text fields, and its one file when one was chosen. */
export interface MultipartForm {
  fields: Record<string, string>;
  file?: { field: string; name: string; data: Buffer };
}

interface Started {
  parts: AsyncIterator<Multipart>;
  fields: Record<string, string>;
}
const started = new WeakMap<FastifyRequest, Started>();

/** Registers the multipart plugin (it only marks requests; nothing is read until a handler asks). */
export async function registerMultipart(app: FastifyInstance): Promise<void> {
  await app.register(fastifyMultipart, { limits: LIMITS, throwFileSizeLimit: true });
}

export const isMultipart = (req: FastifyRequest) =>
  (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');

// A refusal before the body was read: the connection closes, so the rest of a large body is not read.
const refuse = (status: number, code: string, message: string) =>
  new AppError(status, code, message, undefined, { connection: 'close' });

/**
 * Checks a multipart request before its body is read: the route must take uploads, the caller must be
 * signed in, and the CSRF token must come in the `x-csrf-token` header or as the form's first field.
 */
export async function startMultipart(req: FastifyRequest, expected: string | undefined): Promise<void> {
  const cfg = req.routeOptions.config?.multipart;
  if (!cfg) throw refuse(415, 'unsupported_media_type', 'This address does not take file uploads.');
  if (!req.actor) throw refuse(401, 'unauthenticated', 'Please log in first.');
  const csrfFailed = () =>
    refuse(
      403,
      'csrf_failed',
      'This form has expired or did not come from this site. Reload the page and try again.',
    );
  const parts = req.parts({ limits: { ...LIMITS, fileSize: cfg.fileBytes } })[Symbol.asyncIterator]();
  const state: Started = { parts, fields: {} };
  started.set(req, state);
  if (expected && req.headers['x-csrf-token'] === expected) return;
  let first: IteratorResult<Multipart>;
  try {
    first = await parts.next();
  } catch {
    throw csrfFailed();
  }
  const p = first.done ? null : first.value;
  if (!p || p.type !== 'field' || p.fieldname !== '_csrf' || !expected || p.value !== expected)
    throw csrfFailed();
  state.fields._csrf = String(p.value);
}

/** Reads the rest of a multipart form that `startMultipart` let through: text fields and one file. */
export async function readMultipart(req: FastifyRequest): Promise<MultipartForm> {
  const state = started.get(req);
  if (!state) throw new AppError(415, 'unsupported_media_type', 'Send this form as multipart/form-data.');
  started.delete(req);
  const form: MultipartForm = { fields: state.fields };
  try {
    for (;;) {
      const r = await state.parts.next();
      if (r.done) break;
      const p = r.value;
      if (p.type === 'field') {
        form.fields[p.fieldname] = String(p.value);
        continue;
      }
      let data: Buffer;
      try {
        data = await p.toBuffer();
      } catch (e) {
        // Past the limit the rest is skipped; a body that then breaks off is still "too large".
        throw p.file.truncated ? tooLarge(p.fieldname) : e;
      }
      // A file input left empty still sends a part without a name or content.
      if (data.length || p.filename) form.file = { field: p.fieldname, name: p.filename, data };
    }
  } catch (e) {
    throw multipartError(e, form.file?.field);
  }
  return form;
}

const tooLarge = (field: string) =>
  new AppError(413, 'file_too_large', 'The file is larger than this form takes.', field);

function multipartError(e: unknown, field?: string): AppError {
  if (e instanceof AppError) return e;
  const code = (e as { code?: string }).code ?? '';
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(field ?? 'file');
  if (/LIMIT|TOO_MANY|FST_FILES|FST_PARTS|FST_FIELDS/.test(code))
    return new AppError(413, 'too_many_parts', 'The form has more fields or files than it takes.');
  return new AppError(400, 'bad_multipart', 'The form could not be read.');
}
