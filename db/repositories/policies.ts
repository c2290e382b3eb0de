/**
 * A merchant's policy as numbered versions: durations and thresholds (`rules`) and the business
 * calendar (`businessHours`). Versions are never edited; a case keeps the version it started with.
 * The shape of the JSON is the domain's business (domain/ parses and validates it).
 */
import type { Prisma } from '../../generated/prisma/client.js';
import { isUniqueViolation, type Db, type Json } from './shared.js';

const policyVersion = { merchantId: true, version: true, rules: true, businessHours: true, fulfilment: true, createdAt: true, publishedBy: true, note: true } satisfies Prisma.PolicyVersionSelect;

export type StoredPolicy = Prisma.PolicyVersionGetPayload<{ select: typeof policyVersion }>;

export function createPolicyRepository(db: Db) {
  return {
    async latest(merchantId: string): Promise<StoredPolicy | null> {
      return db.policyVersion.findFirst({ where: { merchantId }, orderBy: { version: 'desc' }, select: policyVersion });
    },

    async get(merchantId: string, version: number): Promise<StoredPolicy | null> {
      return db.policyVersion.findUnique({ where: { merchantId_version: { merchantId, version } }, select: policyVersion });
    },

    /** The newest `limit` versions, newest first. */
    async newest(merchantId: string, limit: number): Promise<StoredPolicy[]> {
      return db.policyVersion.findMany({ where: { merchantId }, orderBy: { version: 'desc' }, take: limit, select: policyVersion });
    },

    /**
     * Publishes the next version (latest + 1). Two publishers at once both succeed, one after the
     * other (the loser of the race retries), so call it outside an interactive transaction.
     */
    async create(merchantId: string, policy: { rules: Json; businessHours: Json; fulfilment?: Json; publishedBy?: string; note?: string }): Promise<StoredPolicy> {
      for (let attempt = 1; ; attempt++) {
        const latest = await db.policyVersion.findFirst({ where: { merchantId }, orderBy: { version: 'desc' }, select: { version: true } });
        try {
          return await db.policyVersion.create({ data: { merchantId, version: (latest?.version ?? 0) + 1, ...policy }, select: policyVersion });
        } catch (err) {
          if (!isUniqueViolation(err) || attempt >= 5) throw err; // someone published that number first
        }
      }
    },
  };
}

export type PolicyRepository = ReturnType<typeof createPolicyRepository>;
