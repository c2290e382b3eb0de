/**
 * API credentials. Only the SHA-256 of a key is stored; the plain key is returned once, at creation.
 * Customer keys carry the one customer they may see; merchant-side keys their merchant.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Prisma, Role } from '../../generated/prisma/client.js';
import type { Db } from './shared.js';

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

const credential = { id: true, role: true, merchantId: true, customerId: true, label: true, createdAt: true, revokedAt: true } satisfies Prisma.ApiCredentialSelect;

export type Credential = Prisma.ApiCredentialGetPayload<{ select: typeof credential }>;

export function createCredentialRepository(db: Db) {
  return {
    /** Creates a credential; `key` is shown to its owner now and can never be read again. */
    async create(c: { role: Role; label: string; merchantId?: string; customerId?: string }): Promise<{ credential: Credential; key: string }> {
      const key = `${c.role.toLowerCase()}_${randomBytes(24).toString('base64url')}`;
      const created = await db.apiCredential.create({
        data: { id: randomUUID(), role: c.role, label: c.label, merchantId: c.merchantId, customerId: c.customerId, keyHash: hashKey(key) },
        select: credential,
      });
      return { credential: created, key };
    },

    /** The live credential a presented key belongs to; null when unknown or revoked. */
    async findByKey(key: string): Promise<Credential | null> {
      const found = await db.apiCredential.findUnique({ where: { keyHash: hashKey(key) }, select: credential });
      return found && !found.revokedAt ? found : null;
    },

    async revoke(id: string, at = new Date()): Promise<void> {
      await db.apiCredential.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
    },
  };
}

export type CredentialRepository = ReturnType<typeof createCredentialRepository>;
