/**
 * Rate limits (@fastify/rate-limit's counters, in memory per API process), checked when a request
 * arrives, before its key is looked up or its body read:
 * - a request with a bearer key counts against that key (`RATE_LIMIT_PER_KEY_PER_MINUTE`, generous:
 *   a busy storefront or scanner must never feel it), wherever it comes from;
 * - a request without a valid key — none, an unknown, expired or revoked one, or an unknown route —
 *   counts against its IP address (`RATE_LIMIT_ANONYMOUS_PER_MINUTE`: nothing legitimate sends
 *   many). A key that turns out not to be valid is counted once it has been refused; once an
 *   address has used up its allowance, a keyed request from it is let through only if its key is
 *   valid (so a client with a good key behind the same address keeps working);
 * - a courier callback counts against its carrier and IP address, with the per-key limit (one for a
 *   carrier that is not configured counts as anonymous);
 * - `/health`, `/ready` and `/docs` are never limited.
 * Over the limit: 429 in the one error shape with `Retry-After`; every limited answer carries
 * `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (seconds).
 */
import { createHash } from 'node:crypto';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RATE_LIMITS, type RateLimits } from '../app/config.js';
import type { Repositories } from '../db/repositories.js';
import { ApiError } from './errors.js';
import { carrierCodeOf } from '../domain/carriers.js';
import { courierSecretsOf, type CourierSecret } from './courier-secrets.js';

declare module './context.js' {
  interface ApiDeps {
    /** Requests per minute per key and per anonymous IP (default: RATE_LIMITS, as in app/config.ts). */
    rateLimits?: RateLimits;
  }
}

const WINDOW_MS = 60_000;
/** Counters kept per limiter (least recently used dropped first). */
const CACHE = 20_000;
const EXEMPT = /^\/(health|ready|docs)(\/|\?|$)/;
const BEARER = /^Bearer\s+(\S+)$/i;

interface Outcome {
  max: number;
  remaining: number;
  ttlInSeconds: number;
  isExceeded: boolean;
}

/** Routes that authenticate otherwise than by bearer key (as api/auth.ts decides). */
const isOpen = (request: FastifyRequest) => {
  const config = request.routeOptions.config ?? {};
  return config.auth === 'public' || config.auth === 'courier-signature' || request.url.startsWith('/docs') || !request.routeOptions.url;
};

const tokenOf = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
};

function limited(reply: FastifyReply, result: Outcome | { isAllowed: true }): void {
  if ('isAllowed' in result && result.isAllowed) return;
  const o = result as Outcome;
  reply.header('x-ratelimit-limit', o.max);
  reply.header('x-ratelimit-remaining', o.remaining);
  reply.header('x-ratelimit-reset', o.ttlInSeconds);
  if (!o.isExceeded) return;
  const seconds = Math.max(1, o.ttlInSeconds);
  reply.header('retry-after', seconds);
  throw new ApiError(429, 'RATE_LIMITED', `too many requests: retry in ${seconds} s`);
}

export async function installRateLimits(app: FastifyInstance, deps: { repos: Repositories; courierSecrets: Record<string, CourierSecret>; rateLimits?: RateLimits }): Promise<void> {
  const limits = deps.rateLimits ?? RATE_LIMITS;
  await app.register(rateLimit, { global: false });
  const perKey = app.createRateLimit({
    max: limits.perKeyPerMinute,
    timeWindow: WINDOW_MS,
    cache: CACHE,
    // The key's hash, not the key: the counters hold nothing that authenticates.
    keyGenerator: (request) => `key:${createHash('sha256').update(tokenOf(request) ?? '').digest('hex')}`,
  } as Parameters<typeof app.createRateLimit>[0]);
  const anonymous = app.createRateLimit({ max: limits.anonymousPerMinute, timeWindow: WINDOW_MS, cache: CACHE } as Parameters<typeof app.createRateLimit>[0]);
  const courier = app.createRateLimit({
    max: limits.perKeyPerMinute,
    timeWindow: WINDOW_MS,
    cache: CACHE,
    keyGenerator: (request) => `courier:${carrierCodeOf((request.params as { carrier?: string }).carrier ?? '')}:${normalizeIP(request.ip)}`,
  } as Parameters<typeof app.createRateLimit>[0]);
  /** Requests already counted against their address (so a refused key is not counted twice). */
  const countedAnonymous = new WeakSet<FastifyRequest>();

  app.addHook('onRequest', async (request, reply) => {
    if (EXEMPT.test(request.url)) return;
    if (request.routeOptions.config?.auth === 'courier-signature') {
      // A configured carrier has its own allowance; any other name is a caller without credentials.
      const carrier = (request.params as { carrier?: string }).carrier ?? '';
      if (courierSecretsOf(deps.courierSecrets, carrier) !== undefined) return limited(reply, await courier(request));
      countedAnonymous.add(request);
      return limited(reply, await anonymous(request));
    }
    const token = isOpen(request) ? undefined : tokenOf(request);
    if (token === undefined) {
      countedAnonymous.add(request);
      return limited(reply, await anonymous(request));
    }
    limited(reply, await perKey(request));
    // The address has used up its allowance without a valid key: let only a valid key through.
    const address = await anonymous(request, { increment: false });
    if (address.isAllowed || address.remaining > 0 || (await deps.repos.credential(token))) return;
    countedAnonymous.add(request);
    limited(reply, await anonymous(request));
  });

  // A key refused by authentication (401) was a request without a valid key: counted against its
  // address now, and answered with that counter's headers (the key's would tell a prober it has
  // thousands of tries left when it has the address's few).
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 401 || request.principal || countedAnonymous.has(request) || EXEMPT.test(request.url) || isOpen(request)) return payload;
    countedAnonymous.add(request);
    const counted = await anonymous(request).catch(() => undefined);
    if (counted && !('isAllowed' in counted && counted.isAllowed)) {
      const o = counted as Outcome;
      reply.header('x-ratelimit-limit', o.max);
      reply.header('x-ratelimit-remaining', o.remaining);
      reply.header('x-ratelimit-reset', o.ttlInSeconds);
    }
    return payload;
  });
}
