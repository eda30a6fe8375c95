import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/index.ts';
import { AppError } from '../lib/errors.ts';
import { translateError } from './error-messages.ts';

interface IssueLike {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** A stable error code for a zod issue, so clients can react without parsing messages. */
function issueCode(i: IssueLike): string {
  const p = i.params ?? {};
  const custom = (p.params as { code?: string } | undefined)?.code;
  if (custom) return custom;
  switch (i.keyword) {
    case 'too_big':
      return p.origin === 'string' ? 'too_long' : 'too_big';
    case 'too_small':
      return p.origin === 'string' && p.minimum === 1 ? 'required' : 'too_small';
    case 'invalid_type':
      return p.input === undefined ? 'required' : 'invalid_type';
    case 'invalid_format':
      return p.format === 'email' ? 'invalid_email' : 'invalid_format';
    case 'invalid_value':
      return 'invalid_choice';
    case 'unrecognized_keys':
      return 'unknown_field';
    default:
      return 'invalid_value';
  }
}

function fieldOf(i: IssueLike): string | undefined {
  const path = (i.instancePath ?? '').split('/').filter(Boolean);
  return path.length ? path.join('.') : undefined;
}

/** Turns any thrown error into `{ error: { code, message, field } }` and a 4xx/5xx status. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as FastifyError & { validation?: IssueLike[]; validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(e)) {
    const first = e.validation[0] as IssueLike;
    const field = fieldOf(first);
    const where = e.validationContext && e.validationContext !== 'body' ? ` (${e.validationContext})` : '';
    let message = first.message ?? 'This value is not valid.';
    if (issueCode(first) === 'required' && /expected/i.test(message)) message = 'This field is required.';
    return new AppError(422, issueCode(first), `${message}${where && !field ? where : ''}`, field);
  }
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (e.statusCode === 400 && /JSON/i.test(e.message))) {
    return new AppError(400, 'malformed_json', 'The request body is not valid JSON.');
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new AppError(413, 'too_large', 'The request is too large.');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new AppError(415, 'unsupported_media_type', 'Send JSON or a form.');
  if (e.statusCode === 429)
    return new AppError(429, 'rate_limited', 'Too many requests; please wait a moment and try again.');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppError(e.statusCode, 'bad_request', 'The request could not be understood.');
  }
  if (isDatabaseUnavailable(err))
    return new AppError(
      503,
      'database_unavailable',
      'The service cannot reach its database for a moment. Please try again in a few seconds.',
      undefined,
      { 'retry-after': '2' },
    );
  return new AppError(
    500,
    'internal_error',
    'Something went wrong on our side. It has been logged; please try again.',
  );
}

export function wantsHtml(req: FastifyRequest): boolean {
  return (
    !req.url.startsWith('/api/') && req.url !== '/healthz' && (req.headers.accept ?? '').includes('text/html')
  );
}

export function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  err: unknown,
  renderHtml?: (e: AppError) => string,
) {
  const appErr = toAppError(err);
  // A database away for a moment is expected (a restart, a failover): one line, not a stack per request.
  if (appErr.code === 'database_unavailable')
    req.log.warn({ err: (err as Error).message }, 'request refused: database unavailable');
  else if (appErr.status >= 500) req.log.error({ err }, 'request failed');
  else req.log.info({ code: appErr.code, status: appErr.status }, 'request refused');
  if (appErr.headers) void reply.headers(appErr.headers);
  if (renderHtml && wantsHtml(req)) {
    return reply.status(appErr.status).type('text/html; charset=utf-8').send(renderHtml(appErr));
  }
  const message = translateError(req.lang, appErr);
  return reply.status(appErr.status).send({ error: { ...appErr.toJSON().error, message } });
}
