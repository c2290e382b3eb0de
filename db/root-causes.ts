/**
 * Root causes of wrong and missing shipments (002), counted so the biggest show first: by
 * category, sub-cause, warehouse, SKU or carrier, over the cases of a period. A case counts once,
 * with its latest recorded cause (a cause corrected later replaces the first one).
 */
import { Prisma } from '../generated/prisma/client.js';
import type { Db } from './client.js';

export type RootCauseBreakdown = 'category' | 'subCause' | 'warehouse' | 'sku' | 'carrier';
export const ROOT_CAUSE_EVENT = 'ROOT_CAUSE_RECORDED';

const KEY: Record<RootCauseBreakdown, Prisma.Sql> = {
  category: Prisma.sql`r.data->>'category'`,
  subCause: Prisma.sql`(r.data->>'category') || '.' || (r.data->>'subCause')`,
  warehouse: Prisma.sql`r.data->>'warehouse'`,
  sku: Prisma.sql`r.data->>'sku'`,
  carrier: Prisma.sql`r.data->>'carrier'`,
};

export async function rootCauseCounts(db: Db, q: { merchantId: string; from: Date; to: Date; by: RootCauseBreakdown }): Promise<Array<{ key: string | null; cases: number; share: number }>> {
  const rows = await db.$queryRaw<Array<{ key: string | null; cases: bigint }>>`
    WITH latest AS (
      SELECT DISTINCT ON (e."caseId") e."caseId", e."data"
        FROM "CaseEvent" e JOIN "Case" c ON c."id" = e."caseId"
       WHERE c."merchantId" = ${q.merchantId} AND c."createdAt" >= ${q.from} AND c."createdAt" < ${q.to} AND e."kind" = ${ROOT_CAUSE_EVENT}
       ORDER BY e."caseId", e."at" DESC, e."id" DESC)
    SELECT ${KEY[q.by]} AS key, count(*) AS cases FROM latest r GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST`;
  const total = rows.reduce((s, r) => s + Number(r.cases), 0);
  return rows.map((r) => ({ key: r.key, cases: Number(r.cases), share: Math.round((Number(r.cases) / total) * 10_000) / 100 }));
}
