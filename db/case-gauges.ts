/**
 * The case gauges of `GET /metrics` (api/metrics.ts), read from the read model at scrape time in
 * one statement: per case type and stage, the open cases (not yet resolved or closed) and of those
 * the late ones (the workflow marked them when the solution deadline passed) and the escalated
 * ones, and the stuck cases (a side effect keeps failing, activities/stuck-watch.ts) of every case
 * whose workflow still runs — a resolved case waiting for its revisit can be stuck too.
 *
 * It reads every row not yet closed: cheap while closed cases are most of the table only with a
 * partial index on ("type", "stage") WHERE status <> 'CLOSED' (not there yet).
 */
import { sqlOf } from './client.js';

export interface CaseGaugeRow {
  type: string;
  stage: string;
  open: number;
  late: number;
  escalated: number;
  stuck: number;
}

/**
 * Not yet resolved: a case waiting for its revisit was resolved, though its status then says it
 * waits for the customer (WAITING_CUSTOMER, stage AWAITING_REVISIT); counted open, it was.
 */
const UNRESOLVED = `c."status" <> 'RESOLVED' AND c."stage" <> 'AWAITING_REVISIT'`;

const CASE_GAUGES = `
  SELECT c."type"::text AS type, c."stage" AS stage,
         (count(*) FILTER (WHERE ${UNRESOLVED}))::int AS open,
         (count(*) FILTER (WHERE ${UNRESOLVED} AND c."late"))::int AS late,
         (count(*) FILTER (WHERE ${UNRESOLVED} AND c."escalated"))::int AS escalated,
         (count(*) FILTER (WHERE c."stuck"))::int AS stuck
    FROM "Case" c
   WHERE c."status" <> 'CLOSED'
   GROUP BY c."type", c."stage"`;

export async function readCaseGauges(db: object): Promise<CaseGaugeRow[]> {
  return sqlOf(db).query<CaseGaugeRow>(CASE_GAUGES, []);
}

export interface RefundGaugeRow {
  currency: string;
  pending: number;
  pendingMinor: number;
  pendingLong: number;
  owed: number;
  owedMinor: number;
}

/**
 * The refunds whose money is not where it should be, per currency (docs/refund-settlement.md):
 * pending at the customer's bank (and of those, pending longer than the refund follower allows
 * before it escalates the case), and sent back and not yet paid again. Few rows, read through the
 * holds' partial indexes on PENDING and FAILED.
 */
export async function readRefundGauges(db: object, pendingTooLongMs: number): Promise<RefundGaugeRow[]> {
  return sqlOf(db).query<RefundGaugeRow>(
    `SELECT h.currency,
            (count(*) FILTER (WHERE h.status = 'PENDING'))::int AS pending,
            coalesce(sum(h."amountMinor") FILTER (WHERE h.status = 'PENDING'), 0)::float8 AS "pendingMinor",
            (count(*) FILTER (WHERE h.status = 'PENDING' AND h."createdAt" <= now() - make_interval(secs => $1::float8)))::int AS "pendingLong",
            (count(*) FILTER (WHERE h.status = 'FAILED' AND a."stepKey" IS NULL))::int AS owed,
            coalesce(sum(h."amountMinor") FILTER (WHERE h.status = 'FAILED' AND a."stepKey" IS NULL), 0)::float8 AS "owedMinor"
       FROM "RefundHold" h
       LEFT JOIN "RefundHold" a ON a."stepKey" = h."stepKey" || ':again'
      WHERE h.status IN ('PENDING', 'FAILED')
      GROUP BY h.currency`,
    [pendingTooLongMs / 1000],
  );
}
