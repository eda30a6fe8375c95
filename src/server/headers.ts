import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Security headers for every response. Scripts only from our own origin (no inline script, no eval);
 * inline styles stay allowed because pages carry their small stylesheet inline.
 */
export function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

/** Pages that may be embedded elsewhere (the presenter screen), when origins are configured. */
const EMBEDDABLE = /^\/present\//;

/** Responses that carry nothing personal and may be cached as their route says. */
const SHAREABLE = /^\/(assets\/|healthz$|favicon\.ico$|api\/openapi\.json$)/;

export interface HeaderOptions {
  /** Origins allowed to frame the presenter screen (e.g. a streaming studio). */
  presenterFrameOrigins: string[];
}

/** Sets the security headers on one response (called from an onSend hook). */
export function applySecurityHeaders(req: FastifyRequest, reply: FastifyReply, o: HeaderOptions): void {
  const path = req.url.split('?')[0];
  const embeddable = EMBEDDABLE.test(path) && o.presenterFrameOrigins.length > 0;
  const ancestors = embeddable ? o.presenterFrameOrigins.join(' ') : "'none'";
  reply.header('content-security-policy', contentSecurityPolicy(ancestors));
  if (!embeddable) reply.header('x-frame-options', 'DENY');
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'strict-origin-when-cross-origin');
  reply.header('cross-origin-opener-policy', 'same-origin');
  if (SHAREABLE.test(path)) return;
  // Anything answered to someone signed in may carry their data (console, outbox, registrant lists,
  // exports): never stored by a browser or proxy. Routes without a policy of their own default to the same.
  const signedIn = req.actor !== null || Object.keys(req.cookies ?? {}).some((c) => /session|reader/.test(c));
  const own = String(reply.getHeader('cache-control') ?? '');
  if (signedIn || !own)
    reply.header(
      'cache-control',
      own.includes('no-transform') ? 'private, no-store, no-transform' : 'private, no-store',
    );
}
