/**
 * Idempotency-Key records, per principal, claimed *before* the request runs so that two requests
 * with one key never both do the work:
 * - `claim` inserts the row (INSERT … ON CONFLICT DO NOTHING, its own statement and so its own
 *   short transaction): the request that inserted it holds the claim (a random token) and runs;
 * - any other finds the row: answered (`status` set) → the caller replays it or, for another
 *   request hash, refuses; still claimed → the caller waits and asks again. A claim older than the
 *   lease belongs to a request that died (process killed mid-request): the same request may take
 *   it over;
 * - `finish` stores the answer, `release` gives the key up (a failure, so that a retry runs again).
 * Only the holder of the claim (its token) may finish or release it.
 */
import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.js';
import type { Db, Json } from './shared.js';

const idempotencyRecord = { principal: true, key: true, requestHash: true, status: true, responseBody: true, claimedAt: true, createdAt: true } satisfies Prisma.IdempotencyRecordSelect;

export type IdempotencyRecord = Prisma.IdempotencyRecordGetPayload<{ select: typeof idempotencyRecord }>;

/** `claimed`: this request holds the key (pass `token` to finish or release); else the row as found. */
export type IdempotencyClaim = { claimed: true; token: string } | { claimed: false; record: IdempotencyRecord };

export function createIdempotencyRepository(db: Db) {
  const where = (principal: string, key: string) => ({ principal_key: { principal, key } });
  const get = (principal: string, key: string): Promise<IdempotencyRecord | null> => db.idempotencyRecord.findUnique({ where: where(principal, key), select: idempotencyRecord });

  return {
    get,

    /**
     * Claims the key for this request, or returns the row that holds it. `leaseMs`: how long a
     * claim without an answer is honoured before the same request may take it over.
     */
    async claim(c: { principal: string; key: string; requestHash: string; leaseMs: number }): Promise<IdempotencyClaim> {
      // A row released between our insert and our read is claimed on the next round.
      for (let round = 0; round < 3; round++) {
        const token = randomUUID();
        const [mine] = await db.idempotencyRecord.createManyAndReturn({
          data: [{ principal: c.principal, key: c.key, requestHash: c.requestHash, claimToken: token }],
          skipDuplicates: true,
          select: { principal: true },
        });
        if (mine) return { claimed: true, token };
        const found = await get(c.principal, c.key);
        if (!found) continue;
        if (found.status === null && found.requestHash === c.requestHash && found.claimedAt.getTime() < Date.now() - c.leaseMs) {
          // The claim outlived its lease: take it over, unless another request just did.
          const { count } = await db.idempotencyRecord.updateMany({
            where: { principal: c.principal, key: c.key, status: null, claimedAt: found.claimedAt },
            data: { claimToken: token, claimedAt: new Date() },
          });
          if (count === 1) return { claimed: true, token };
          continue;
        }
        return { claimed: false, record: found };
      }
      throw new Error(`idempotency key ${c.key} keeps changing hands`);
    },

    /** Stores the answer of the request that holds the claim; false when the claim is no longer its own. */
    async finish(f: { principal: string; key: string; token: string; status: number; responseBody: Json | null }): Promise<boolean> {
      const { count } = await db.idempotencyRecord.updateMany({
        where: { principal: f.principal, key: f.key, claimToken: f.token, status: null },
        data: { status: f.status, responseBody: f.responseBody ?? Prisma.JsonNull },
      });
      return count === 1;
    },

    /** Gives the key up (the request failed): the next request with it runs again. */
    async release(r: { principal: string; key: string; token: string }): Promise<void> {
      await db.idempotencyRecord.deleteMany({ where: { principal: r.principal, key: r.key, claimToken: r.token, status: null } });
    },

    /** Forgets answers older than `before` (keys are meant for retries, not forever). */
    async purgeBefore(before: Date): Promise<number> {
      return (await db.idempotencyRecord.deleteMany({ where: { createdAt: { lt: before } } })).count;
    },
  };
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;
