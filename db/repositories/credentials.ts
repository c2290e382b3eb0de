/**
 * API credentials. Only the SHA-256 of a key is stored; the plain key is returned once, at creation.
 * Customer keys carry the one customer they may see; merchant-side keys their merchant. A key past
 * its `expiresAt` or revoked is refused on its next request: the check runs on every lookup.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Prisma, Role } from '../../generated/prisma/client.js';
import type { Db } from './shared.js';

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** The roles keys are made for by hand (customer tokens come from the storefront; courier callbacks are signed, not keyed). */
export const KEY_ROLES = ['STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR', 'ADMIN'] as const satisfies readonly Role[];
export type KeyRole = (typeof KEY_ROLES)[number];
export const isKeyRole = (role: string): role is KeyRole => (KEY_ROLES as readonly string[]).includes(role);

/** The roles of the people a merchant's cases are assigned to (GET /v1/agents). */
export const ASSIGNEE_ROLES = ['AGENT', 'SUPERVISOR'] as const satisfies readonly KeyRole[];
export type AssigneeRole = (typeof ASSIGNEE_ROLES)[number];
export interface Assignee {
  id: string;
  label: string;
  role: AssigneeRole;
}

const credential = { id: true, role: true, merchantId: true, customerId: true, label: true, createdAt: true, expiresAt: true, revokedAt: true } satisfies Prisma.ApiCredentialSelect;

export type Credential = Prisma.ApiCredentialGetPayload<{ select: typeof credential }>;

export const isLive = (c: Pick<Credential, 'revokedAt' | 'expiresAt'>, at: Date): boolean => !c.revokedAt && (!c.expiresAt || c.expiresAt > at);

/** isLive as a filter: not revoked, not past its expiry at `at`. */
const liveAt = (at: Date) => ({ revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] }) satisfies Prisma.ApiCredentialWhereInput;

export function createCredentialRepository(db: Db) {
  /** Creates a credential; `key` is shown to its owner now and can never be read again. */
  async function create(c: { role: Role; label: string; merchantId?: string; customerId?: string; expiresAt?: Date }): Promise<{ credential: Credential; key: string }> {
    const key = `${c.role.toLowerCase()}_${randomBytes(24).toString('base64url')}`;
    const created = await db.apiCredential.create({
      data: { id: randomUUID(), role: c.role, label: c.label, merchantId: c.merchantId, customerId: c.customerId, expiresAt: c.expiresAt, keyHash: hashKey(key) },
      select: credential,
    });
    return { credential: created, key };
  }

  return {
    create,

    /** The live credential a presented key belongs to; null when unknown, revoked or expired. */
    async findByKey(key: string, at = new Date()): Promise<Credential | null> {
      const found = await db.apiCredential.findUnique({ where: { keyHash: hashKey(key) }, select: credential });
      return found && isLive(found, at) ? found : null;
    },

    /**
     * A key for staff or an integration (KEY_ROLES): ADMIN keys belong to no merchant, the others to
     * an existing one; an expiry must lie ahead. Refusals come back as the field at fault and a reason.
     */
    async issue(p: { role: string; merchantId?: string; label: string; expiresAt?: Date }, at = new Date()): Promise<{ problem: { field: string; reason: string } } | { credential: Credential; key: string }> {
      const problem = (field: string, reason: string) => ({ problem: { field, reason } });
      if (!isKeyRole(p.role)) return problem('role', `unknown role ${JSON.stringify(p.role)} (one of ${KEY_ROLES.join(', ')})`);
      if (p.role === 'ADMIN' && p.merchantId) return problem('merchantId', 'ADMIN keys belong to no merchant');
      if (p.role !== 'ADMIN' && !p.merchantId) return problem('merchantId', `${p.role} keys need a merchant`);
      if (p.merchantId && !(await db.merchant.findUnique({ where: { id: p.merchantId }, select: { id: true } }))) return problem('merchantId', `merchant ${JSON.stringify(p.merchantId)} does not exist`);
      if (p.expiresAt && !(p.expiresAt > at)) return problem('expiresAt', `must be in the future, got ${p.expiresAt.toISOString()}`);
      return create({ role: p.role as KeyRole, label: p.label, merchantId: p.merchantId, expiresAt: p.expiresAt });
    },

    async findById(id: string): Promise<Credential | null> {
      return db.apiCredential.findUnique({ where: { id }, select: credential });
    },

    /** Hand-made keys (KEY_ROLES), oldest first; revoked and expired ones only with `all`. */
    async list(f: { merchantId?: string; all?: boolean; at?: Date } = {}): Promise<Credential[]> {
      const at = f.at ?? new Date();
      return db.apiCredential.findMany({
        where: {
          role: { in: [...KEY_ROLES] },
          ...(f.merchantId ? { merchantId: f.merchantId } : {}),
          ...(f.all ? {} : liveAt(at)),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: credential,
      });
    },

    /** A merchant's people a case can be assigned to: its live AGENT and SUPERVISOR keys, by label (ties by id). */
    async assignees(merchantId: string, at = new Date()): Promise<Assignee[]> {
      const found = await db.apiCredential.findMany({
        where: { merchantId, role: { in: [...ASSIGNEE_ROLES] }, ...liveAt(at) },
        orderBy: [{ label: 'asc' }, { id: 'asc' }],
        select: { id: true, label: true, role: true },
      });
      return found as Assignee[];
    },

    /** The names (labels) of these keys, revoked or expired ones too: whom a register's rows name by id. */
    async labels(ids: readonly string[]): Promise<Map<string, string>> {
      if (!ids.length) return new Map();
      const found = await db.apiCredential.findMany({ where: { id: { in: [...ids] } }, select: { id: true, label: true } });
      return new Map(found.flatMap((c) => (c.label ? [[c.id, c.label] as const] : [])));
    },

    /** Whether `id` is one of `merchantId`'s assignees (above): one lookup by primary key. */
    async isAssignee(merchantId: string, id: string, at = new Date()): Promise<boolean> {
      const found = await db.apiCredential.findFirst({ where: { id, merchantId, role: { in: [...ASSIGNEE_ROLES] }, ...liveAt(at) }, select: { id: true } });
      return found !== null;
    },

    /** A customer's live tokens from this merchant, oldest first. */
    customerTokens(merchantId: string, customerId: string, at = new Date()): Promise<Credential[]> {
      return db.apiCredential.findMany({ where: { merchantId, customerId, role: 'CUSTOMER', ...liveAt(at) }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: credential });
    },

    /** Revokes every live token of a customer from this merchant; the tokens revoked now. */
    revokeCustomerTokens(merchantId: string, customerId: string, at = new Date()): Promise<Credential[]> {
      return db.apiCredential.updateManyAndReturn({ where: { merchantId, customerId, role: 'CUSTOMER', ...liveAt(at) }, data: { revokedAt: at }, select: credential });
    },

    /** Revokes (a second revoke keeps the first instant); the credential as it now is, null when unknown. */
    async revoke(id: string, at = new Date()): Promise<Credential | null> {
      await db.apiCredential.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
      return db.apiCredential.findUnique({ where: { id }, select: credential });
    },
  };
}

export type CredentialRepository = ReturnType<typeof createCredentialRepository>;
