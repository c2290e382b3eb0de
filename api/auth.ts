/**
 * Who is calling: `Authorization: Bearer <key>` → a stored credential (keys are kept hashed).
 * Routes declare the roles they accept; a customer only ever sees their own cases — any other
 * case is a 404, never a 403, so ids cannot be probed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal, Repositories, RoleName } from '../db/repositories.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function installAuth(app: FastifyInstance, repos: Repositories): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header) return;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError(401, 'UNAUTHENTICATED', 'Authorization must be "Bearer <key>"');
    const principal = await repos.credential(m[1]!);
    if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'unknown or revoked key');
    request.principal = principal;
  });
}

export function requireRole(request: FastifyRequest, ...roles: RoleName[]): Principal {
  const p = request.principal;
  if (!p) throw new ApiError(401, 'UNAUTHENTICATED', 'an API key is required (Authorization: Bearer <key>)');
  if (!roles.includes(p.role)) throw new ApiError(403, 'FORBIDDEN', `this action needs one of: ${roles.join(', ')}`);
  return p;
}

/** May this principal see this case? Customers: their own; merchant staff: their merchant's; admins: all. */
export function canSee(p: Principal, c: { merchantId: string; customerId: string }): boolean {
  if (p.role === 'ADMIN') return true;
  if (p.merchantId && p.merchantId !== c.merchantId) return false;
  if (p.role === 'CUSTOMER') return p.customerId === c.customerId;
  return true;
}
