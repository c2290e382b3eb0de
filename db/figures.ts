/**
 * The business figures computed in the database: one aggregate over a merchant's cases of the
 * period (index Case(merchantId, createdAt)), one over its order counts — never a case loaded into
 * memory. Periods are the merchant's local days, ISO weeks (Monday) or months.
 */
import { figuresOf, type FigureCounts, type Figures } from '../domain/index.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Db } from './client.js';

export type Grain = 'day' | 'week' | 'month';
export type Breakdown = 'none' | 'type' | 'agent' | 'carrier' | 'merchant';

export interface FigureQuery {
  /** One merchant, or all (admins). */
  merchantId?: string;
  /** Local dates 'YYYY-MM-DD'; `to` is exclusive. */
  from: string;
  to: string;
  grain: Grain;
  by: Breakdown;
  timeZone: string;
}

export interface FigureRow extends FigureCounts, Figures {
  /** First local day of the period, 'YYYY-MM-DD'. */
  period: string;
  /** The breakdown's value (case type, agent id, carrier, merchant); null for 'none' or when unknown. */
  key: string | null;
}

const KEY: Record<Breakdown, Prisma.Sql> = {
  none: Prisma.sql`NULL::text`,
  type: Prisma.sql`c."type"::text`,
  agent: Prisma.sql`c."assigneeId"`,
  carrier: Prisma.sql`c."carrier"`,
  merchant: Prisma.sql`c."merchantId"`,
};

interface CaseAggregate {
  period: Date;
  key: string | null;
  cases: bigint;
  resolved: bigint;
  on_time: bigint;
  revisited: bigint;
  satisfied: bigint;
  complaints: bigint;
}

export async function businessFigures(db: Db, q: FigureQuery): Promise<FigureRow[]> {
  const merchant = q.merchantId ? Prisma.sql`AND c."merchantId" = ${q.merchantId}` : Prisma.empty;
  // Local midnight of `from` and `to` in the merchant's zone, so a period is a local day/week/month.
  const cases = await db.$queryRaw<CaseAggregate[]>`
    SELECT date_trunc(${q.grain}, c."createdAt" AT TIME ZONE ${q.timeZone})::date AS period,
           ${KEY[q.by]} AS key,
           count(*) AS cases,
           count(*) FILTER (WHERE c."resolvedAt" IS NOT NULL) AS resolved,
           count(*) FILTER (WHERE NOT c."late") AS on_time,
           count(*) FILTER (WHERE c."satisfaction" IS NOT NULL) AS revisited,
           count(*) FILTER (WHERE c."satisfaction" >= 4) AS satisfied,
           -- A case turned into a complaint opens a COMPLAINT case of its own: count those, once.
           count(*) FILTER (WHERE c."type" = 'COMPLAINT') AS complaints
      FROM "Case" c
     WHERE c."createdAt" >= (${q.from}::date::timestamp AT TIME ZONE ${q.timeZone})
       AND c."createdAt" <  (${q.to}::date::timestamp AT TIME ZONE ${q.timeZone})
       ${merchant}
     GROUP BY 1, 2
     ORDER BY 1, 2 NULLS FIRST`;
  const orderMerchant = q.merchantId ? Prisma.sql`AND o."merchantId" = ${q.merchantId}` : Prisma.empty;
  const orders = await db.$queryRaw<Array<{ period: Date; merchant_id: string; orders: bigint }>>`
    SELECT date_trunc(${q.grain}, o."day"::timestamp)::date AS period, o."merchantId" AS merchant_id, sum(o."orders") AS orders
      FROM "OrderCount" o
     WHERE o."day" >= ${q.from}::date AND o."day" < ${q.to}::date ${orderMerchant}
     GROUP BY 1, 2`;
  const day = (d: Date) => d.toISOString().slice(0, 10);
  // Orders are counted per merchant and period; a breakdown by type, agent or carrier divides by the
  // period's orders (the rate says how many complaints of that kind per thousand orders).
  const orderTotals = new Map<string, number>();
  for (const o of orders) {
    const key = `${day(o.period)}|${q.by === 'merchant' ? o.merchant_id : ''}`;
    orderTotals.set(key, (orderTotals.get(key) ?? 0) + Number(o.orders));
  }
  const ordersFor = (period: string, merchantId: string | null) => orderTotals.get(`${period}|${q.by === 'merchant' ? merchantId : ''}`) ?? 0;
  return cases.map((r) => {
    const period = day(r.period);
    const counts: FigureCounts = {
      cases: Number(r.cases),
      resolved: Number(r.resolved),
      onTime: Number(r.on_time),
      revisited: Number(r.revisited),
      satisfied: Number(r.satisfied),
      complaints: Number(r.complaints),
      orders: ordersFor(period, r.key),
    };
    return { period, key: r.key, ...counts, ...figuresOf(counts) };
  });
}
