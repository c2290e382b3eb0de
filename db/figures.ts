/**
 * The business figures computed in the database: one statement summing the period's daily rollups
 * ("FigureDay", kept exact by triggers on "Case", migration figure_rollups) with its order counts
 * joined in — never a case loaded into memory. Periods are the merchant's local days, ISO weeks
 * (Monday) or months. Rollups are kept per time zone; a zone without them (one Postgres does not
 * know) is computed from the cases themselves, with the same result.
 */
import { figuresOf, type FigureCounts, type Figures } from '../domain/index.js';
import { Prisma } from '../generated/prisma/client.js';
import { sqlOf, type Db } from './client.js';

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

export interface CaseAggregate {
  period: Date;
  key: string | null;
  cases: bigint;
  resolved: bigint;
  on_time: bigint;
  revisited: bigint;
  satisfied: bigint;
  complaints: bigint;
}

/** A rollup row's breakdown value; agent and carrier rows of cases without one have keyed = false. */
const ROLLUP_KEY: Record<Breakdown, Prisma.Sql> = {
  none: Prisma.sql`NULL::text`,
  type: Prisma.sql`r."key"`,
  agent: Prisma.sql`CASE WHEN r."keyed" THEN r."key" END`,
  carrier: Prisma.sql`CASE WHEN r."keyed" THEN r."key" END`,
  merchant: Prisma.sql`r."merchantId"`,
};

/** The counts per period and key from the local days' rollups of the zone. */
function rollupCounts(q: FigureQuery): Prisma.Sql {
  const merchant = q.merchantId ? Prisma.sql`AND r."merchantId" = ${q.merchantId}` : Prisma.empty;
  const dim = q.by === 'merchant' ? 'none' : q.by;
  // A rollup row whose cases all changed away (a case reassigned) stays at zero: no group of its own.
  return Prisma.sql`
    SELECT date_trunc(${q.grain}, r."day"::timestamp)::date AS period,
           ${ROLLUP_KEY[q.by]} AS key,
           sum(r."cases") AS cases, sum(r."resolved") AS resolved, sum(r."onTime") AS on_time,
           sum(r."revisited") AS revisited, sum(r."satisfied") AS satisfied, sum(r."complaints") AS complaints
      FROM "FigureDay" r
     WHERE r."zone" = ${q.timeZone} AND r."dim" = ${dim}
       AND r."day" >= ${q.from}::date AND r."day" < ${q.to}::date
       ${merchant}
     GROUP BY 1, 2
    HAVING sum(r."cases") > 0`;
}

/** The same counts straight from the cases: for a zone without rollups. */
function caseCounts(q: FigureQuery): Prisma.Sql {
  const merchant = q.merchantId ? Prisma.sql`AND c."merchantId" = ${q.merchantId}` : Prisma.empty;
  // Local midnight of `from` and `to` in the merchant's zone, so a period is a local day/week/month.
  return Prisma.sql`
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
     GROUP BY 1, 2`;
}

/** Either way on its own, for the tests that hold the rollups to the cases and for the benchmark. */
export const fromRollups = (db: Db, q: FigureQuery) => db.$queryRaw<CaseAggregate[]>`${rollupCounts(q)} ORDER BY 1, 2 NULLS FIRST`;
export const fromCases = (db: Db, q: FigureQuery) => db.$queryRaw<CaseAggregate[]>`${caseCounts(q)} ORDER BY 1, 2 NULLS FIRST`;

/** The counts (the rollups' or the cases'), each row with the orders it divides by, in one statement. */
function withOrders(counts: Prisma.Sql, q: FigureQuery): Prisma.Sql {
  const orderMerchant = q.merchantId ? Prisma.sql`AND o."merchantId" = ${q.merchantId}` : Prisma.empty;
  // Orders are counted per merchant and period; a breakdown by type, agent or carrier divides by the
  // period's orders of every merchant in scope (the rate says how many complaints of that kind per
  // thousand orders); by merchant, by that merchant's.
  const byMerchant = q.by === 'merchant';
  return Prisma.sql`
    WITH c AS (${counts}),
         o AS (SELECT date_trunc(${q.grain}, o."day"::timestamp)::date AS period, ${byMerchant ? Prisma.sql`o."merchantId"` : Prisma.sql`NULL::text`} AS merchant_id,
                      sum(o."orders") AS orders
                 FROM "OrderCount" o
                WHERE o."day" >= ${q.from}::date AND o."day" < ${q.to}::date ${orderMerchant}
                GROUP BY 1, 2)
    SELECT to_char(c.period, 'YYYY-MM-DD') AS period, c.key, c.cases, c.resolved, c.on_time, c.revisited, c.satisfied, c.complaints,
           coalesce(o.orders, 0) AS orders
      FROM c LEFT JOIN o ON o.period = c.period ${byMerchant ? Prisma.sql`AND o.merchant_id = c.key` : Prisma.empty}
     ORDER BY c.period, c.key NULLS FIRST`;
}

export async function businessFigures(db: Db, q: FigureQuery): Promise<FigureRow[]> {
  // Plain SQL on the pool (db/client.ts), not Prisma's $queryRaw: Prisma's per-statement work and its
  // decoding of the sums made every figure slower than the same statement on the pool (a year by
  // day, 365 rows: 10–60 % once warm, several times over on its first calls). The period comes as
  // text, not a date, which pg would read as local midnight; the sums (bigint) come as text from pg
  // and as BigInt through Prisma, and Number reads either.
  type Count = bigint | string;
  type Row = { period: string; key: string | null; cases: Count; resolved: Count; on_time: Count; revisited: Count; satisfied: Count; complaints: Count; orders: Count };
  const sql = sqlOf(db);
  const run = <R>(s: Prisma.Sql) => sql.query<R>(s.text, s.values);
  // From the rollups; nothing there may also mean a zone without rollups: then from the cases. (Not
  // both branches in one statement: the planner would cost the cases' branch in and JIT-compile it.)
  let rows = await run<Row>(withOrders(rollupCounts(q), q));
  if (rows.length === 0) {
    const [{ kept }] = await run<{ kept: boolean }>(Prisma.sql`SELECT EXISTS (SELECT 1 FROM "FigureZone" WHERE "zone" = ${q.timeZone}) AS kept`);
    if (!kept) rows = await run<Row>(withOrders(caseCounts(q), q));
  }
  return rows.map((r) => {
    const counts: FigureCounts = {
      cases: Number(r.cases),
      resolved: Number(r.resolved),
      onTime: Number(r.on_time),
      revisited: Number(r.revisited),
      satisfied: Number(r.satisfied),
      complaints: Number(r.complaints),
      orders: Number(r.orders),
    };
    return { period: r.period, key: r.key, ...counts, ...figuresOf(counts) };
  });
}
