/**
 * `Idempotency-Key` on POSTs: the same key with the same body gets the same answer (without doing
 * the work again); the same key with a different body is a 422. Keys are scoped to the caller, an
 * authenticated one: a request without a principal (a courier callback, which dedupes by event id)
 * has its key ignored, so nobody can fill the table anonymously. The key is stored, so it may not
 * hold a NUL or a lone surrogate (api/input-safety.ts).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../db/repositories.js';
import { ApiError, badRequest } from './errors.js';
import { unsafeStringReason } from './input-safety.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { principal: string; key: string; hash: string };
  }
}

/** How long an Idempotency-Key may be (long enough for a UUID, short enough to index). */
export const IDEMPOTENCY_KEY = { minLength: 8, maxLength: 200 } as const;

export function installIdempotency(app: FastifyInstance, repos: Repositories): void {
  app.decorateRequest('idempotency', undefined);
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || key === undefined || !request.principal) return;
    if (typeof key !== 'string' || key.length < IDEMPOTENCY_KEY.minLength || key.length > IDEMPOTENCY_KEY.maxLength) {
      throw badRequest('header.idempotency-key', `must be ${IDEMPOTENCY_KEY.minLength} to ${IDEMPOTENCY_KEY.maxLength} characters`);
    }
    const unsafe = unsafeStringReason(key);
    if (unsafe) throw badRequest('header.idempotency-key', unsafe);
    const principal = request.principal.id;
    const hash = createHash('sha256').update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
    const earlier = await repos.idempotent(principal, key);
    if (earlier) {
      if (earlier.requestHash !== hash) throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with a different request');
      reply.header('idempotent-replayed', 'true');
      return reply.status(earlier.status).send(earlier.responseBody);
    }
    request.idempotency = { principal, key, hash };
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const idem = request.idempotency;
    if (!idem || reply.statusCode >= 500 || reply.getHeader('idempotent-replayed')) return payload;
    let body: unknown = null;
    try {
      body = typeof payload === 'string' ? JSON.parse(payload) : null;
    } catch {
      body = null;
    }
    await repos.rememberIdempotent(idem.principal, idem.key, idem.hash, reply.statusCode, body);
    return payload;
  });
}
