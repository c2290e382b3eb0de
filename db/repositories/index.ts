/**
 * Prisma behind small repository modules with explicit selects: nothing leaves the database that a
 * caller did not ask for. Each module is a factory taking the client (or a transaction's client).
 */
import type { PrismaClient } from '../../generated/prisma/client.js';
import { createCaseRepository } from './cases.js';
import { createCredentialRepository } from './credentials.js';
import { createIdempotencyRepository } from './idempotency.js';
import { createLedgerRepository } from './ledger.js';
import { createPolicyRepository } from './policies.js';
import { createTimelineRepository } from './timeline.js';

export * from './cases.js';
export * from './credentials.js';
export * from './idempotency.js';
export * from './ledger.js';
export * from './policies.js';
export * from './shared.js';
export * from './timeline.js';

export function createRepositorySet(db: PrismaClient) {
  return {
    cases: createCaseRepository(db),
    timeline: createTimelineRepository(db),
    ledger: createLedgerRepository(db),
    policies: createPolicyRepository(db),
    credentials: createCredentialRepository(db),
    idempotency: createIdempotencyRepository(db),
  };
}

export type RepositorySet = ReturnType<typeof createRepositorySet>;
