/**
 * The daily after-sales register (每日售后登记表, 003 §8): every case appears on each local day it
 * was open (opened by the end of the day, not closed before it began), with what happened to it
 * that day and the stage it ended the day in. One query over a range of days; the cases open on a
 * day come by the GiST index on (merchantId, [createdAt, closedAt]) (migration figure_rollups), so
 * a day costs the cases open that day, not every case opened before it; the day's steps from
 * CaseEvent(at), and the timeline is read for a case's end-of-day stage only when it changed since.
 */
import { sqlOf, type Db } from './client.js';

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

/** The local days from `from` to `to` (exclusive), as YYYY-MM-DD. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t < Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

type Row = Omit<RegisterRow, 'progress' | 'stage'> & { progress: string | null; stage: string | null; current_stage: string };

export async function dailyRegister(db: Db, q: { merchantId: string; from: string; to: string; timeZone: string }): Promise<RegisterRow[]> {
  // Plain SQL on the pool (db/client.ts): a day of a busy shop is tens of thousands of rows, and
  // decoding them is most of the cost. The days come as an array of known length, so the planner
  // does not expect millions of rows (as it did from generate_series, and compiled the query with
  // JIT for 20 × its run time).
  const rows = await sqlOf(db).query<Row>(
    `WITH days AS (
      SELECT d.day, (d.day::timestamp AT TIME ZONE $3) AS day_start, ((d.day + 1)::timestamp AT TIME ZONE $3) AS day_end
        FROM unnest($1::date[]) AS d(day)
    ), day_events AS (
      -- Each day's steps, all cases at once by CaseEvent(at): a few thousand rows, not a probe per open case.
      SELECT b.day, e."caseId", string_agg(e."kind", ',' ORDER BY e."at", e."id") AS progress
        FROM days b JOIN "CaseEvent" e ON e."at" >= b.day_start AND e."at" < b.day_end
       GROUP BY b.day, e."caseId"
    )
    SELECT to_char(b.day, 'YYYY-MM-DD') AS day, c."id" AS "caseId", c."type"::text AS "type", c."orderId" AS "orderId", c."customerId" AS "customerId",
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
      JOIN "Case" c ON c."merchantId" = $2
                   AND tstzrange(c."createdAt", CASE WHEN c."closedAt" IS NULL THEN NULL ELSE GREATEST(c."closedAt", c."createdAt") END, '[]')
                       && tstzrange(b.day_start, b.day_end, '[)')
                   AND c."createdAt" < b.day_end AND (c."closedAt" IS NULL OR c."closedAt" >= b.day_start)
      LEFT JOIN day_events de ON de.day = b.day AND de."caseId" = c."id"
     ORDER BY b.day, c."createdAt", c."id"`,
    [daysOf(q.from, q.to), q.merchantId, q.timeZone],
  );
  return rows.map(({ current_stage, ...r }) => ({
    ...r,
    // Before its first recorded step a case is where it was opened.
    stage: r.stage ?? (r.progress ? current_stage : 'OPENED'),
    progress: r.progress ? r.progress.split(',') : [],
  }));
}
