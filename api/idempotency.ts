/**
 * `Idempotency-Key` on POSTs: the same key with the same body gets the same answer (without doing
 * the work again); the same key with a different body is a 422. The key is claimed in the database
 * before the handler runs (db/repositories/idempotency.ts), so duplicates that arrive together do
 * the work once: the others wait for the first answer (up to `waitMs`, then 409
 * IDEMPOTENCY_IN_PROGRESS with Retry-After) and get it; a 5xx releases the key for a retry. Keys
 * are scoped to the caller, an authenticated one: a request without a principal (a courier
 * callback, which dedupes by event id) has its key ignored, so nobody can fill the table
 * anonymously. The key is stored, so it may not hold a NUL or a lone surrogate (api/input-safety.ts).
 *
 * An answer that hands out a secret (a new API key, a customer token: the route's `secretInAnswer`)
 * is stored without it — only a key's hash is ever kept, and a stored answer is readable by whoever
 * reads the database or a backup. The same request again is then a 409 SECRET_NOT_REPEATED naming
 * what was made, to be revoked and made again, rather than a second one made unasked.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../db/repositories.js';
import type { Prisma } from '../generated/prisma/client.js';
import { ApiError, badRequest, errorBody } from './errors.js';
import { unsafeStringReason } from './input-safety.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { principal: string; key: string; hash: string; token: string };
  }
}

/** How long an Idempotency-Key may be (long enough for a UUID, short enough to index). */
export const IDEMPOTENCY_KEY = { minLength: 8, maxLength: 200 } as const;

export interface IdempotencyOptions {
  /** How long a duplicate waits for the first request's answer before 409 IDEMPOTENCY_IN_PROGRESS (default 30 s). */
  waitMs?: number;
  /** How long a claim without an answer is honoured; after that its request is taken for dead (default 2 min). */
  leaseMs?: number;
}

export const IDEMPOTENCY_WAIT_MS = 30_000;
export const IDEMPOTENCY_LEASE_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function installIdempotency(app: FastifyInstance, repos: Repositories, options: IdempotencyOptions = {}): void {
  const waitMs = options.waitMs ?? IDEMPOTENCY_WAIT_MS;
  const leaseMs = options.leaseMs ?? IDEMPOTENCY_LEASE_MS;
  app.decorateRequest('idempotency', undefined);
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return;
    if (typeof key !== 'string' || key.length < IDEMPOTENCY_KEY.minLength || key.length > IDEMPOTENCY_KEY.maxLength) {
      throw badRequest('headers.idempotency-key', `must be ${IDEMPOTENCY_KEY.minLength} to ${IDEMPOTENCY_KEY.maxLength} characters`);
    }
    const unsafe = unsafeStringReason(key);
    if (unsafe) throw badRequest('headers.idempotency-key', unsafe);
    const principal = request.principal.id;
    // The body with its keys sorted: the same JSON with its fields in another order is the same request.
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? null)}`).digest('hex');
    // Records made before keys were sorted (kept 24 hours): a retry sends the same bytes as its first request.
    const unsortedHash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const deadline = Date.now() + waitMs;
    for (let pause = 25; ; pause = Math.min(pause * 2, 500)) {
      const claim = await repos.idempotency.claim({ principal, key, requestHash: hash, leaseMs });
      if (claim.claimed) {
        request.idempotency = { principal, key, hash, token: claim.token };
        return;
      }
      const earlier = claim.record;
      if (earlier.requestHash !== hash && earlier.requestHash !== unsortedHash) throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request', 'headers.idempotency-key');
      if (earlier.status !== null) {
        const secret = request.routeOptions.config?.secretInAnswer;
        if (secret && earlier.status < 300) return reply.status(409).send(errorBody('SECRET_NOT_REPEATED', secretNotRepeated(secret, earlier.responseBody)));
        reply.header('idempotent-replayed', 'true');
        return reply.status(earlier.status).send(earlier.responseBody);
      }
      // The first request with this key is still running: wait for its answer, within limits.
      if (Date.now() >= deadline) {
        reply.header('retry-after', String(Math.max(1, Math.ceil(waitMs / 1000 / 6))));
        return reply.status(409).send(errorBody('IDEMPOTENCY_IN_PROGRESS', 'a request with this Idempotency-Key is still running: retry later for its answer'));
      }
      await sleep(Math.min(pause, Math.max(0, deadline - Date.now())));
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem) return payload;
    request.idempotency = undefined; // answered once, whatever happens next
    const claim = { principal: idem.principal, key: idem.key, token: idem.token };
    // A failure is not an answer: the key is released so that a retry (or a waiting duplicate) runs again.
    if (reply.statusCode >= 500) {
      await repos.idempotency.release(claim);
      return payload;
    }
    let body: unknown = null;
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : null;
    } catch {
      body = null;
    }
    const secret = request.routeOptions.config?.secretInAnswer;
    if (secret && body && typeof body === 'object') {
      const { [secret.field]: _secret, ...kept } = body as Record<string, unknown>;
      body = kept;
    }
    try {
      await repos.idempotency.finish({ ...claim, status: reply.statusCode, responseBody: body as Prisma.InputJsonValue | null });
    } catch (err) {
      await repos.idempotency.release(claim).catch(() => undefined);
      throw err;
    }
    return payload;
  });
}

function secretNotRepeated(secret: { field: string; id: string }, stored: unknown): string {
  const id = stored && typeof stored === 'object' ? (stored as Record<string, unknown>)[secret.id] : undefined;
  const made = typeof id === 'string' ? `${secret.id} ${id}` : 'it';
  return `this Idempotency-Key already made ${made}; its ${secret.field} is shown once and not kept, so it cannot be answered again: revoke ${made} and make another with a new Idempotency-Key`;
}
