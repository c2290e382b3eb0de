/**
 * The cost of after-sales (004 §七), from the ledger: money that moved (refunds out, claims
 * recovered in) and the documents' costs (replacement goods at cost, return logistics, repairs and
 * compensation from expense notes). Expense notes that only document a refund are not counted
 * again. Per case, and per merchant and month against the month's budget.
 */
import { Prisma } from '../generated/prisma/client.js';
import type { Db } from './client.js';

export interface CostBreakdown {
  refundsMinor: number;
  replacementGoodsMinor: number;
  logisticsMinor: number;
  /** Repairs done for the customer: parts and labour (a quality problem's REPAIR remedy). */
  repairsMinor: number;
  compensationMinor: number;
  recoveredMinor: number;
  /** Everything spent less what the carriers paid back. */
  netMinor: number;
}

interface CostRow {
  refunds: bigint | null;
  recovered: bigint | null;
  goods: bigint | null;
  logistics: bigint | null;
  repairs: bigint | null;
  compensation: bigint | null;
}

function breakdown(r: CostRow | undefined): CostBreakdown {
  const n = (v: bigint | null | undefined) => Number(v ?? 0n);
  const b = { refundsMinor: n(r?.refunds), replacementGoodsMinor: n(r?.goods), logisticsMinor: n(r?.logistics), repairsMinor: n(r?.repairs), compensationMinor: n(r?.compensation), recoveredMinor: n(r?.recovered) };
  return { ...b, netMinor: b.refundsMinor + b.replacementGoodsMinor + b.logisticsMinor + b.repairsMinor + b.compensationMinor - b.recoveredMinor };
}

/**
 * The cost columns over the ledger entries `where` selects (aliased l). A refund paid as
 * compensation (a delay's, its line kind COMPENSATION) counts as compensation, not as a refund. A
 * price difference the customer paid for a replacement that never shipped, paid back (its line kind
 * DIFFERENCE_RETURNED), was never the shop's money: no cost at all. A loan product lent to an urgent
 * customer goes out as goods (OUTBOUND, loan) and, back in good order, comes back into stock (its
 * RETURN_NOTE line, loan, stockDelta): what came back is taken off the goods, in the month it came
 * back; a loan kept or returned damaged stays a cost. Goods booked out and put back unsent (their
 * OUTBOUND_REVERSAL lines `unsent`, negative quantities) come off the goods. A refund the bank sent back (REFUND_RETURNED,
 * the refund's own lines, money in) takes its refund off again, in the month it came back.
 */
const costOf = (where: Prisma.Sql) => Prisma.sql`
  SELECT sum(-l."amountMinor") FILTER (WHERE l."kind" IN ('REFUND', 'REFUND_RETURNED')) - coalesce(sum(x.paid_compensation), 0) - coalesce(sum(x.difference_returned), 0) AS refunds,
         sum(l."amountMinor") FILTER (WHERE l."kind" = 'CLAIM_RECOVERY') AS recovered,
         sum(x.goods) AS goods, sum(x.logistics) AS logistics, sum(x.repairs) AS repairs,
         coalesce(sum(x.compensation), 0) + coalesce(sum(x.paid_compensation), 0) AS compensation
    FROM "LedgerEntry" l
    LEFT JOIN LATERAL (
      SELECT sum(CASE WHEN l."kind" = 'OUTBOUND' OR (l."kind" = 'OUTBOUND_REVERSAL' AND j->>'unsent' = 'true') THEN (j->>'quantity')::bigint * (j->>'unitCostMinor')::bigint
                      WHEN l."kind" = 'RETURN_NOTE' AND j->>'loan' = 'true' THEN -(j->>'stockDelta')::bigint * (j->>'unitCostMinor')::bigint END) AS goods,
             sum(CASE WHEN l."kind" = 'EXPENSE_NOTE' AND j->>'purpose' = 'RETURN_SHIPPING' THEN (j->>'amountMinor')::bigint END) AS logistics,
             sum(CASE WHEN l."kind" = 'EXPENSE_NOTE' AND j->>'purpose' = 'REPAIR' THEN (j->>'amountMinor')::bigint END) AS repairs,
             sum(CASE WHEN l."kind" = 'EXPENSE_NOTE' AND j->>'purpose' IN ('COMPENSATION', 'GIFT') THEN (j->>'amountMinor')::bigint END) AS compensation,
             sum(CASE WHEN j->>'kind' = 'COMPENSATION' THEN (j->>'amountMinor')::bigint END * CASE l."kind" WHEN 'REFUND' THEN 1 WHEN 'REFUND_RETURNED' THEN -1 END) AS paid_compensation,
             sum(CASE WHEN j->>'kind' = 'DIFFERENCE_RETURNED' THEN (j->>'amountMinor')::bigint END * CASE l."kind" WHEN 'REFUND' THEN 1 WHEN 'REFUND_RETURNED' THEN -1 END) AS difference_returned
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(l."lines") = 'array' THEN l."lines" ELSE '[]'::jsonb END) j
    ) x ON true
   WHERE ${where}`;

export async function caseCosts(db: Db, caseId: string): Promise<CostBreakdown> {
  const [row] = await db.$queryRaw<CostRow[]>(costOf(Prisma.sql`l."caseId" = ${caseId}`));
  return breakdown(row);
}

/** A merchant's costs booked in a local month ('YYYY-MM'), in one currency, against its budget. */
export async function monthCosts(db: Db, q: { merchantId: string; period: string; currency: string; timeZone: string }) {
  const from = `${q.period}-01`;
  /** The merchant's entries booked in the local month (aliased l). */
  const ofMonth = Prisma.sql`l."createdAt" >= (${from}::date::timestamp AT TIME ZONE ${q.timeZone})
      AND l."createdAt" < ((${from}::date + interval '1 month')::timestamp AT TIME ZONE ${q.timeZone})
      AND l."caseId" IN (SELECT c."id" FROM "Case" c WHERE c."merchantId" = ${q.merchantId})`;
  const [row] = await db.$queryRaw<CostRow[]>(costOf(Prisma.sql`l."currency" = ${q.currency} AND ${ofMonth}`));
  const costs = breakdown(row);
  // A month total in one currency says which others the month also booked: a total that silently
  // left out the USD refunds was taken for the whole month.
  const others = await db.$queryRaw<Array<{ currency: string }>>(Prisma.sql`
    SELECT DISTINCT l."currency" FROM "LedgerEntry" l WHERE l."currency" <> ${q.currency} AND ${ofMonth} ORDER BY 1`);
  const budget = await db.budget.findUnique({ where: { merchantId_period: { merchantId: q.merchantId, period: q.period } }, select: { amountMinor: true, currency: true } });
  const budgetMinor = budget && budget.currency === q.currency ? Number(budget.amountMinor) : null;
  return { ...costs, currency: q.currency, otherCurrencies: others.map((o) => o.currency.trim()), budgetMinor, remainingMinor: budgetMinor === null ? null : budgetMinor - costs.netMinor, overBudget: budgetMinor === null ? null : costs.netMinor > budgetMinor };
}
