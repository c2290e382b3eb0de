/**
 * Cross-origin access (CORS) for browsers on other origins: the customer's "my after-sales" pages
 * call the API straight from the shop's site with a customer token, and a browser sends nothing
 * cross-origin unless the API says it may. Only the origins the operator lists (`CORS_ORIGINS`, or
 * `*` for any) are answered so; keys travel in the Authorization header, never in cookies, so no
 * credentials mode is offered.
 *
 * A preflight (OPTIONS with Access-Control-Request-Method) is answered here, before the rate
 * limiter and authentication: it carries no key, and a phone network's shared addresses would use
 * up the anonymous allowance on preflights alone. An origin not listed gets a 403 saying so (the
 * browser would only say "failed to fetch"). Every other answer to a listed origin — errors
 * included — carries the headers that let the page read it.
 */
import type { FastifyInstance } from 'fastify';
import { errorBody } from './errors.js';

/** `*`: any origin; a list: exactly these (scheme, host and port, as a browser sends Origin). */
export type CorsOrigins = '*' | readonly string[];

const METHODS = 'GET, POST, PUT, PATCH, DELETE';
/** What a page may send: the key, a JSON body, an idempotency key and its own request id. */
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-None-Match, X-Request-Id';
/** What a page may read besides the simple headers: a replayed answer, when to retry, the request's id, the limits, where a new job is, a download's file name. */
const EXPOSED_HEADERS = 'Idempotent-Replayed, Retry-After, X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Location, Content-Disposition';
/** How long a browser may reuse a preflight's answer (seconds). */
const PREFLIGHT_MAX_AGE = '600';

export function installCors(app: FastifyInstance, origins: CorsOrigins): void {
  const allows = (origin: string) => origins === '*' || origins.includes(origin);
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin) return;
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    // The answer depends on the Origin whenever an origin list decides it.
    if (origins !== '*') reply.header('vary', 'Origin');
    if (!allows(origin)) {
      if (preflight) return reply.status(403).send(errorBody('FORBIDDEN', `origin ${origin} may not call this API from a browser: the API's CORS_ORIGINS does not list it`));
      return;
    }
    reply.header('access-control-allow-origin', origins === '*' ? '*' : origin);
    if (!preflight) {
      reply.header('access-control-expose-headers', EXPOSED_HEADERS);
      return;
    }
    return reply
      .status(204)
      .header('access-control-allow-methods', METHODS)
      .header('access-control-allow-headers', ALLOWED_HEADERS)
      .header('access-control-max-age', PREFLIGHT_MAX_AGE)
      .send();
  });
}

/**
 * `CORS_ORIGINS` as configured: `*`, or origins separated by commas, each scheme://host[:port]
 * with nothing after it (a browser's Origin never has a path or a trailing slash). Problems are
 * pushed to `problems`.
 */
export function parseCorsOrigins(text: string, problems: string[]): CorsOrigins {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 1 && items[0] === '*') return '*';
  for (const item of items) {
    if (item === '*') problems.push('CORS_ORIGINS: * stands alone (any origin), not in a list');
    else if (!/^https?:\/\/[^\s/:?#]+(:\d{1,5})?$/.test(item)) problems.push(`CORS_ORIGINS must list origins as scheme://host[:port] with no path or trailing slash (as a browser sends Origin), got ${JSON.stringify(item)}`);
  }
  return items;
}
