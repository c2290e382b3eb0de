/**
 * The housekeeping's deletes go a batch at a time (db/housekeeping.ts): a backlog larger than one
 * batch is deleted in full, and what is still needed is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../db/client.js';
import { createHousekeeping } from '../../db/housekeeping.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';

let t: TestDatabase;
let db: Db;
const DAY = 86_400_000;
const hash = (n: number) => String(n).padStart(64, '0');

beforeAll(async () => {
  t = await createTestDatabase();
  db = createPrisma(t.url);
});

afterAll(async () => {
  await db?.$disconnect();
  await t?.drop();
});

describe('the housekeeping sweep', () => {
  it('deletes a backlog bigger than its batch, batch after batch, and keeps the rest', async () => {
    const now = Date.now();
    const old = new Date(now - 10 * DAY);
    for (let n = 0; n < 7; n++) {
      await db.$executeRawUnsafe(`INSERT INTO "IdempotencyRecord" (principal, key, "requestHash", status, "createdAt") VALUES ('hk', $1, $2, 201, $3)`, `old-${n}`, hash(n), old);
    }
    await db.$executeRawUnsafe(`INSERT INTO "IdempotencyRecord" (principal, key, "requestHash", status, "createdAt") VALUES ('hk', 'fresh', $1, 201, $2)`, hash(99), new Date(now - DAY));
    for (let n = 0; n < 3; n++) {
      await db.$executeRawUnsafe(`INSERT INTO "ApiCredential" (id, role, "keyHash", "customerId", label, "expiresAt") VALUES ($1, 'CUSTOMER', $2, 'c', 'expired', $3)`, `tok-${n}`, hash(100 + n), old);
    }
    const sweep = createHousekeeping(db, 2).sweep;
    const cutoff = new Date(now - 7 * DAY);
    expect(await sweep({ idempotencyBefore: cutoff, customerTokensBefore: cutoff })).toEqual({ idempotencyRecords: 7, customerTokens: 3 });
    expect((await db.$queryRawUnsafe<Array<{ key: string }>>(`SELECT key FROM "IdempotencyRecord"`)).map((r) => r.key)).toEqual(['fresh']);
    expect(await db.$queryRawUnsafe(`SELECT count(*)::int AS n FROM "ApiCredential" WHERE role = 'CUSTOMER'`)).toEqual([{ n: 0 }]);
    // Run again (a retry): nothing more.
    expect(await sweep({ idempotencyBefore: cutoff, customerTokensBefore: cutoff })).toEqual({ idempotencyRecords: 0, customerTokens: 0 });
  });
});
