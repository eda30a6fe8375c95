/**
 * Finishing touches on the OpenAPI document generated from the route schemas: an operationId and a
 * security requirement for every operation, and the media types of the routes that do not answer
 * JSON (event streams, file downloads).
 */
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** "GET /api/series/:id/registrations" → "getSeriesByIdRegistrations": unique per method and path. */
export function operationIdFor(method: string, url: string): string {
  const words = url
    .replace(/^\/api\//, '/')
    .split('/')
    .filter(Boolean)
    .map((seg) => (seg.startsWith(':') ? `by-${seg.slice(1)}` : seg))
    .flatMap((seg) => seg.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0].toUpperCase() + w.slice(1))].join('');
}

const READS = new Set(['GET', 'HEAD']);

/**
 * Who may call an operation: public routes need nothing; a read needs the session cookie when it
 * is not public; a write needs the session cookie and the CSRF header.
 */
export function securityFor(method: string, isPublic: boolean): Record<string, string[]>[] {
  if (isPublic) return [];
  return READS.has(method) ? [{ session: [] }] : [{ session: [], csrf: [] }];
}

type Transform = typeof jsonSchemaTransform;

/** The route transform: zod schemas to JSON Schema, plus operationId and security. */
export const openapiTransform: Transform = (args) => {
  const route = args.route;
  const method = (Array.isArray(route.method) ? route.method[0] : route.method).toUpperCase();
  const isPublic = route.config?.public === true;
  const out = jsonSchemaTransform(args);
  const schema = out.schema as FastifySchema & { operationId?: string; security?: unknown };
  return {
    ...out,
    schema: {
      ...schema,
      operationId: schema.operationId ?? operationIdFor(method, args.url),
      security: schema.security ?? securityFor(method, isPublic),
    },
  };
};

/** A workbench export file, in any of its formats. */
const EXPORT_FILE = {
  description: 'The export file in the chosen format',
  content: Object.fromEntries(
    [
      'text/csv',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/xml',
      'application/zip',
      'text/markdown',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    ].map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]),
  ),
};

/** Responses of routes whose body is not JSON, by "METHOD path" as the document writes paths. */
const NON_JSON: Record<string, { description: string; content: Record<string, unknown> }> = {
  'get /api/rooms/{code}/events': {
    description: 'Server-sent events of the room (text/event-stream)',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  },
  'get /api/live/rooms/{roomId}/events': {
    description: 'Server-sent events of the room for its facilitators (text/event-stream)',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  },
  'get /api/series/{id}/workbench/export': EXPORT_FILE,
  'get /api/series/{id}/workbench/exports/{exportId}/file': EXPORT_FILE,
};

interface Doc {
  paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
}

/** The document transform: documents the 200 of routes that answer something other than JSON. */
export function openapiTransformObject<T>(doc: T): T {
  const paths = (doc as Doc).paths ?? {};
  for (const [path, ops] of Object.entries(paths))
    for (const [method, op] of Object.entries(ops)) {
      const fill = NON_JSON[`${method} ${path}`];
      // The generator writes a bare "Default Response" when a route declares none.
      const documented = (op.responses?.['200'] as { content?: unknown } | undefined)?.content;
      if (fill && !documented) op.responses = { ...op.responses, 200: fill };
    }
  return doc;
}
