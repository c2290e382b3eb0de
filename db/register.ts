/**
 * The daily after-sales register (每日售后登记表, 003 §8): every case appears on each local day it
 * was open (opened by the end of the day, not closed before it began), with what happened to it
 * that day and the stage it ended the day in. One query over a range of days; the cases open on a
 * day come by the GiST index on (merchantId, [createdAt, closedAt]) (migration figure_rollups), so
 * a day costs the cases open that day, not every case opened before it; the day's steps from
 * CaseEvent(at), and the timeline is read for a case's end-of-day stage only when it changed since.
 */
import type { Db } from './client.js';

export interface RegisterRow {
  day: string;
  caseId: string;
  type: string;
  orderId: string;
  customerId: string;
  openedAt: Date;
  /** The stage at the end of the day (the last step recorded by then). */
  stage: string;
  status: string;
  assigneeId: string | null;
  late: boolean;
  escalated: boolean;
  /** The steps of that day, in order (empty: nothing happened, the case was waiting). */
  progress: string[];
  closedAt: Date | null;
}

export async function dailyRegister(db: Db, q: { merchantId: string; from: string; to: string; timeZone: string }): Promise<RegisterRow[]> {
  // The planner cannot see how few days generate_series gives and estimates millions of rows: JIT
  // compilation would then cost ~20× the query itself. Off for this statement only — SET LOCAL in a
  // batch transaction, not an interactive one, which a long register would run into the 5 s timeout of.
  const [, rows] = await db.$transaction([
    db.$executeRaw`SET LOCAL jit = off`,
    db.$queryRaw<Array<Omit<RegisterRow, 'day' | 'progress' | 'stage'> & { day: Date; progress: string | null; stage: string | null; current_stage: string }>>`
    WITH days AS (
      SELECT d.day::date AS day, (d.day::timestamp AT TIME ZONE ${q.timeZone}) AS day_start,
             ((d.day + interval '1 day')::timestamp AT TIME ZONE ${q.timeZone}) AS day_end
        FROM generate_series(${q.from}::date, ${q.to}::date - 1, interval '1 day') AS d(day)
    ), day_events AS (
      -- Each day's steps, all cases at once by CaseEvent(at): a few thousand rows, not a probe per open case.
      SELECT b.day, e."caseId", string_agg(e."kind", ',' ORDER BY e."at", e."id") AS progress
        FROM days b JOIN "CaseEvent" e ON e."at" >= b.day_start AND e."at" < b.day_end
       GROUP BY b.day, e."caseId"
    )
    SELECT b.day AS day, c."id" AS "caseId", c."type"::text AS "type", c."orderId" AS "orderId", c."customerId" AS "customerId",
           c."createdAt" AS "openedAt", c."stage" AS current_stage, c."status"::text AS status, c."assigneeId" AS "assigneeId",
           c."late" AS late, c."escalated" AS escalated, c."closedAt" AS "closedAt", de.progress,
           -- A case not written since the day ended is still in the stage it ended the day in; only
           -- the others need the timeline (the last step by the day's end).
           CASE WHEN c."updatedAt" < b.day_end THEN c."stage"
                ELSE (SELECT e."stage" FROM "CaseEvent" e
                       WHERE e."caseId" = c."id" AND e."at" < b.day_end AND e."stage" IS NOT NULL
                       ORDER BY e."at" DESC, e."id" DESC LIMIT 1) END AS stage
      FROM days b
      -- The overlap is the index's expression, word for word; the exact condition follows it.
      JOIN "Case" c ON c."merchantId" = ${q.merchantId}
                   AND tstzrange(c."createdAt", CASE WHEN c."closedAt" IS NULL THEN NULL ELSE GREATEST(c."closedAt", c."createdAt") END, '[]')
                       && tstzrange(b.day_start, b.day_end, '[)')
                   AND c."createdAt" < b.day_end AND (c."closedAt" IS NULL OR c."closedAt" >= b.day_start)
      LEFT JOIN day_events de ON de.day = b.day AND de."caseId" = c."id"
     ORDER BY b.day, c."createdAt", c."id"`,
  ]);
  return rows.map(({ current_stage, ...r }) => ({
    ...r,
    day: r.day.toISOString().slice(0, 10),
    // Before its first recorded step a case is where it was opened.
    stage: r.stage ?? (r.progress ? current_stage : 'OPENED'),
    progress: r.progress ? r.progress.split(',') : [],
  }));
}
