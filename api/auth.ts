/**
 * Who is calling, checked before anything else about the request (so a caller without a key gets
 * 401, and one with the wrong role 403, whatever the body holds):
 * - `Authorization: Bearer <key>` → a stored credential (keys are kept hashed); the roles a route
 *   accepts are declared on the route (`config: { roles }`) and enforced here;
 * - couriers sign their callbacks instead (`config: { auth: 'courier-signature' }`, HMAC of the
 *   exact body bytes and, in the v2 form, of the request line; checked once the body has been read
 *   and before it is validated). A route whose URL says what its body does not (which claim a
 *   decision is for) declares `signedUrl: true` and takes only v2, which a replay to another URL fails;
 * - `config: { auth: 'public' }` for health checks and the API documentation.
 * A customer only ever sees their own cases — any other case is a 404, never a 403, so ids cannot
 * be probed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SIGNATURE_HEADER, signatureProblem } from '../adapters/http/signature.js';
import type { Principal, Repositories, RoleName } from '../db/repositories.js';
import { ApiError } from './errors.js';
import { courierSecretsOf, type CourierSecret } from './courier-secrets.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** The roles that may call this route (any authenticated caller when absent). */
    roles?: readonly RoleName[];
    /** How the route authenticates, when not by bearer key. */
    auth?: 'public' | 'courier-signature';
    /** A signed route whose URL says what its body does not: its signature must cover the URL (v2). */
    signedUrl?: boolean;
    /**
     * The answer carries a secret (a new key, a customer token) in `field`, and names what was made by
     * `id`: an Idempotency-Key's stored answer keeps the id, never the secret (api/idempotency.ts).
     */
    secretInAnswer?: { field: string; id: string };
  }
}

/** How far a courier's signed timestamp may be from our clock (replay window and clock skew). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function installAuth(app: FastifyInstance, deps: { repos: Repositories; courierSecrets: Record<string, CourierSecret>; now?: () => number }): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config ?? {};
    const open = config.auth === 'public' || config.auth === 'courier-signature' || request.url.startsWith('/docs') || !request.routeOptions.url;
    const header = request.headers.authorization;
    if (header && !open) {
      const m = /^Bearer\s+(\S+)$/i.exec(header);
      if (!m) throw new ApiError(401, 'UNAUTHENTICATED', 'Authorization must be "Bearer <key>"');
      const principal = await deps.repos.credential(m[1]!);
      if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'the key is unknown, expired or revoked');
      request.principal = principal;
    }
    if (open) return;
    if (!request.principal) throw new ApiError(401, 'UNAUTHENTICATED', 'an API key is required (Authorization: Bearer <key>)');
    if (config.roles && !config.roles.includes(request.principal.role)) throw new ApiError(403, 'FORBIDDEN', `this action needs one of the roles: ${config.roles.join(', ')}`);
  });
  // The signature covers the exact bytes received, so it can only be checked once they are read.
  app.addHook('preValidation', async (request) => {
    const config = request.routeOptions.config;
    if (config?.auth !== 'courier-signature') return;
    const secret = courierSecretsOf(deps.courierSecrets, (request.params as { carrier?: string }).carrier ?? '');
    // A carrier the platform has no callback secret for cannot sign: said so, for the operator to configure.
    if (!secret?.length) throw new ApiError(404, 'NOT_FOUND', 'carrier not found: no callback secret is configured for it (COURIER_SECRETS)');
    const problem = signatureProblem(secret, request.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, request.rawBody ?? '', {
      toleranceSeconds: SIGNATURE_TOLERANCE_SECONDS,
      now: deps.now?.() ?? Date.now(),
      // The path exactly as it arrived (percent-escapes and query included), as the sender signed it.
      line: { method: request.method, path: request.url },
      lineRequired: config.signedUrl === true,
    });
    if (problem) throw new ApiError(401, 'BAD_SIGNATURE', problem);
  });
}

/** The authenticated caller of a route that declared its roles (the hook above has checked them). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new ApiError(401, 'UNAUTHENTICATED', 'an API key is required (Authorization: Bearer <key>)');
  return request.principal;
}

/** The caller as timelines, notes and audit columns name it: `supervisor:s1`, `admin:k2`; a customer by their customer id. */
export function callerName(request: FastifyRequest): string {
  const p = principalOf(request);
  return p.role === 'CUSTOMER' ? `customer:${p.customerId}` : `${p.role.toLowerCase()}:${p.id}`;
}

/** The merchant whose rows a caller's lists hold: its own; every merchant's (undefined) for an admin or a key bound to none. */
export const merchantScopeOf = (p: Principal): string | undefined => (p.role === 'ADMIN' ? undefined : (p.merchantId ?? undefined));

/** May this principal see this case? Customers: their own; merchant staff: their merchant's; admins: all. */
export function canSee(p: Principal, c: { merchantId: string; customerId: string }): boolean {
  if (p.role === 'ADMIN') return true;
  if (p.merchantId && p.merchantId !== c.merchantId) return false;
  if (p.role === 'CUSTOMER') return p.customerId === c.customerId;
  return true;
}
