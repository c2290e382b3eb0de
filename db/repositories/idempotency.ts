/**
 * Answers to API requests that carried an Idempotency-Key, per principal: the same key and body get
 * the same answer; the same key with another body is refused by the caller (compare `requestHash`).
 */
import type { Prisma } from '../../generated/prisma/client.js';
import type { Db, Json } from './shared.js';

const idempotencyRecord = { principal: true, key: true, requestHash: true, status: true, responseBody: true, createdAt: true } satisfies Prisma.IdempotencyRecordSelect;

export type IdempotencyRecord = Prisma.IdempotencyRecordGetPayload<{ select: typeof idempotencyRecord }>;

export function createIdempotencyRepository(db: Db) {
  return {
    async get(principal: string, key: string): Promise<IdempotencyRecord | null> {
      return db.idempotencyRecord.findUnique({ where: { principal_key: { principal, key } }, select: idempotencyRecord });
    },

    /** Stores the answer; when two requests race, the first stored answer wins and is returned to both. */
    async put(r: { principal: string; key: string; requestHash: string; status: number; responseBody: Json }): Promise<{ record: IdempotencyRecord; created: boolean }> {
      const [record] = await db.idempotencyRecord.createManyAndReturn({ data: [r], skipDuplicates: true, select: idempotencyRecord });
      if (record) return { record, created: true };
      return { record: await db.idempotencyRecord.findUniqueOrThrow({ where: { principal_key: { principal: r.principal, key: r.key } }, select: idempotencyRecord }), created: false };
    },

    /** Forgets answers older than `before` (keys are meant for retries, not forever). */
    async purgeBefore(before: Date): Promise<number> {
      return (await db.idempotencyRecord.deleteMany({ where: { createdAt: { lt: before } } })).count;
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
