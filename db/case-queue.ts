/**
 * The agents' list of cases in plain SQL (db/client.ts `sqlOf`: a page through Prisma cost several
 * times the statement itself): the cases of a page in one of three orders, with keyset paging from
 * the previous page's last case (its id; for `updated`, its key).
 * - `newest`: createdAt, id descending (the (merchantId, …, createdAt) indexes);
 * - `urgency`: cases still owed their solution first (those that have it wait on the customer, the
 *   warehouse or a parcel), then late ones, then the nearest deadline — the solution deadline or,
 *   when sooner, the deadline of what the case waits for (nextDeadlineAt: an urgent complaint's
 *   handling time); for a case that has its solution, the latter alone — none last, then id: one
 *   ascending key, which the partial index "Case_open_urgency_idx" holds for open cases (migrations
 *   console_queue, solution_given, queue_next_deadline, queue_nearest_deadline), so a page of the
 *   open queue reads 50 index entries whatever its length.
 * - `updated`: the sync order — by the transaction that last changed each case ("CaseChange".seq,
 *   written by a trigger, migration case_change_sequence), then id, ascending; from `updatedAfter`.
 *   It lists only changes of transactions older than the oldest one still running: a change that
 *   commits later carries a larger seq, so it comes after every cursor handed out before — never
 *   behind one (an updatedAt, stamped at its transaction's start, could commit seconds later). A
 *   case that changes moves to the end, so its cursor carries the key itself (`<seq>.<id>`), not
 *   the id: a cursor read again at the case's new place would skip every change in between.
 * The open filter is written as the index's predicate, literally, so the planner can match them.
 */
import type { Sql } from './client.js';
import { looksLikeTrackingNumber, normaliseTrackingNumber } from '../domain/tracking-number.js';

export type CaseOrder = 'newest' | 'urgency' | 'updated';

export interface CaseQueueFilter {
  merchantId?: string;
  status?: string;
  type?: string;
  stage?: string;
  late?: boolean;
  escalated?: boolean;
  stuck?: boolean;
  /** With a refund the customer's bank sent back and not yet paid again (docs/refund-settlement.md). */
  refundReturned?: boolean;
  /** With a refund still pending at the bank after its case was escalated for it (REFUND_PENDING_LONG). */
  refundPendingLong?: boolean;
  reference?: string;
  assigneeId?: string;
  customerId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Changed after this instant (updatedAt >); the start of a sync. */
  updatedAfter?: Date;
  orderId?: string;
  /** Not RESOLVED and not CLOSED. */
  open?: boolean;
  /** A case id, order id, reference or tracking number (the return's, or any parcel the case follows), exactly. */
  search?: string;
  order?: CaseOrder;
  /** The previous page's nextCursor (`caseCursor`): its order and last case's id (`newest.<id>`), or for `updated` its key. */
  cursor?: string;
  limit: number;
}

/** The cursor names no case of this list: a client error, not a reason to start again from the top. */
export class UnknownCursor extends Error {
  constructor(
    cursor: string,
    /** What is wrong with it, for the client. */
    readonly reason = 'names no case of this list: pass the nextCursor of the previous page',
  ) {
    super(`cursor ${JSON.stringify(cursor)} ${reason}`);
  }
}

/**
 * The nextCursor after `last`, the last case of a page in `order` (for `updated`, a row with its
 * `changeSeq`). It names its order (`newest.<id>`, `urgency.<id>`): the same case stands elsewhere
 * in another order, so a cursor taken to another order would page from the wrong place.
 */
export function caseCursor(order: CaseOrder | undefined, last: { id: string; changeSeq?: string }): string {
  return order === 'updated' ? `${last.changeSeq}.${last.id}` : `${order ?? 'newest'}.${last.id}`;
}

/** The order a cursor was handed out for (undefined: a bare case id, from before cursors named it). */
function orderOfCursor(cursor: string): CaseOrder | undefined {
  const named = /^(newest|urgency)\./.exec(cursor)?.[1] as CaseOrder | undefined;
  return named ?? (/^\d{1,18}\./.test(cursor) ? 'updated' : undefined);
}

/** Refuses a cursor handed out for another order than `order`: it would page from the wrong place. */
function refuseOtherOrder(cursor: string, order: CaseOrder): void {
  const from = orderOfCursor(cursor);
  if (from && from !== order) throw new UnknownCursor(cursor, `was handed out for order=${from}: page with the order it came from, or start again without a cursor`);
}

/** The case id a newest or urgency cursor names (a bare case id as it is). */
function cursorCase(cursor: string, order: 'newest' | 'urgency'): string {
  refuseOtherOrder(cursor, order);
  return orderOfCursor(cursor) ? cursor.slice(cursor.indexOf('.') + 1) : cursor;
}

/**
 * The key a sync cursor carries, as the order's columns compare it; `<seq>.` (no case) is a
 * horizon: every change up to that transaction has been seen (`syncHorizon`).
 */
function syncKey(cursor: string): { seq: string; caseId?: string } {
  refuseOtherOrder(cursor, 'updated');
  const m = /^(\d{1,18})\.([A-Za-z0-9_-]{0,64})$/.exec(cursor);
  if (!m) throw new UnknownCursor(cursor);
  return m[2] ? { seq: m[1]!, caseId: m[2] } : { seq: m[1]! };
}

/**
 * Where a sync that listed nothing goes on from: past every change of a transaction older than
 * the oldest one running now (`<seq>.`), all of which a listing run after this call sees. Read
 * before the listing, so that a change committing in between is never behind it.
 */
export async function syncHorizon(sql: Sql): Promise<string> {
  const [row] = await sql.query<{ seq: string }>(`SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint - 1)::text AS seq`, []);
  return `${row!.seq}.`;
}

/** The sync order reads the cases through their change keys. */
const SYNC_FROM = `"CaseChange" k JOIN "Case" c ON c."id" = k."caseId"`;

const OPEN = `c."status" NOT IN ('RESOLVED', 'CLOSED')`;
/** Each order's key (its columns with the type a cursor's value is cast to) and direction. */
const ORDERS: Record<CaseOrder, { key: Array<[column: string, type: string]>; direction: 'ASC' | 'DESC'; after: '<' | '>' }> = {
  newest: { key: [[`c."createdAt"`, 'timestamptz'], [`c."id"`, 'text']], direction: 'DESC', after: '<' },
  urgency: {
    key: [
      [`(c."solutionGivenAt" IS NOT NULL)`, 'boolean'],
      [`(NOT c."late")`, 'boolean'],
      [`COALESCE(CASE WHEN c."solutionGivenAt" IS NULL THEN LEAST(c."solutionDueAt", c."nextDeadlineAt") ELSE c."nextDeadlineAt" END, 'infinity'::timestamptz)`, 'timestamptz'],
      [`c."id"`, 'text'],
    ],
    direction: 'ASC',
    after: '>',
  },
  updated: { key: [[`k."seq"`, 'bigint'], [`k."caseId"`, 'text']], direction: 'ASC', after: '>' },
};

/** The WHERE of a filter, its values numbered from $1. */
function conditions(f: CaseQueueFilter, values: unknown[]): string[] {
  const $ = (v: unknown) => `$${values.push(v)}`;
  const where: string[] = [];
  // The sync order reads the merchant's change keys (their index), then each case by its id.
  if (f.merchantId) where.push(f.order === 'updated' ? `k."merchantId" = ${$(f.merchantId)}` : `c."merchantId" = ${$(f.merchantId)}`);
  if (f.status) where.push(`c."status" = ${$(f.status)}::"CaseStatus"`);
  if (f.type) where.push(`c."type" = ${$(f.type)}::"CaseType"`);
  if (f.stage) where.push(`c."stage" = ${$(f.stage)}`);
  if (f.late !== undefined) where.push(`c."late" = ${$(f.late)}`);
  if (f.escalated !== undefined) where.push(`c."escalated" = ${$(f.escalated)}`);
  if (f.stuck !== undefined) where.push(`c."stuck" = ${$(f.stuck)}`);
  // By the partial index on the holds sent back (few); a payment again has its own hold, `<key>:again`.
  if (f.refundReturned !== undefined) {
    where.push(`${f.refundReturned ? '' : 'NOT '}EXISTS (SELECT 1 FROM "RefundHold" h WHERE h."caseId" = c.id AND h.status = 'FAILED'
      AND NOT EXISTS (SELECT 1 FROM "RefundHold" a WHERE a."stepKey" = h."stepKey" || ':again'))`);
  }
  // The pending holds are few (their partial index); the step is the follower's (db/refund-settlement.ts).
  if (f.refundPendingLong !== undefined) {
    where.push(`${f.refundPendingLong ? '' : 'NOT '}EXISTS (SELECT 1 FROM "RefundHold" h WHERE h."caseId" = c.id AND h.status = 'PENDING'
      AND EXISTS (SELECT 1 FROM "CaseEvent" e WHERE e."caseId" = c.id AND e."stepKey" = h."stepKey" || ':pending-long'))`);
  }
  if (f.reference) where.push(`c."reference" = ${$(f.reference)}`);
  if (f.assigneeId) where.push(`c."assigneeId" = ${$(f.assigneeId)}`);
  if (f.customerId) where.push(`c."customerId" = ${$(f.customerId)}`);
  if (f.createdFrom) where.push(`c."createdAt" >= ${$(f.createdFrom)}`);
  if (f.createdTo) where.push(`c."createdAt" < ${$(f.createdTo)}`);
  if (f.updatedAfter) where.push(`c."updatedAt" > ${$(f.updatedAfter)}`);
  if (f.orderId) where.push(`c."orderId" = ${$(f.orderId)}`);
  // Only transactions that have ended, and every one before them: nothing can commit behind them.
  if (f.order === 'updated') where.push(`k."seq" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`);
  if (f.open) where.push(OPEN);
  if (f.search) {
    const s = $(f.search);
    // Each arm has an index (id, (merchantId, orderId), (reference, merchantId), (customerId, createdAt),
    // returnTrackingNumber, and the parcels' ids as an array computed once): a bitmap OR, never a scan
    // of the merchant's cases.
    // A tracking number is stored normalised (domain/tracking-number.ts): "sf 1400 0000 0009" finds SF1400000000009.
    const tracking = looksLikeTrackingNumber(f.search) ? normaliseTrackingNumber(f.search) : f.search;
    const t = tracking === f.search ? s : $(tracking);
    // Typed in the other case: an order id or a reference as it is usually written (upper case:
    // "so-1003" finds SO-1003), a case id as it is made (lower-case hex). Still an index lookup each.
    const up = f.search.toUpperCase() === f.search ? s : $(f.search.toUpperCase());
    const low = f.search.toLowerCase() === f.search ? s : $(f.search.toLowerCase());
    where.push(
      `(c."id" IN (${s}, ${low}) OR c."orderId" IN (${s}, ${up}) OR c."reference" IN (${s}, ${up}) OR c."customerId" = ${s} OR c."returnTrackingNumber" = ${t} OR c."id" = ANY (ARRAY(SELECT p."caseId" FROM "CaseParcel" p WHERE p."trackingNumber" = ${t})))`,
    );
  }
  return where;
}

/**
 * The key of the case a cursor names as it is now, whether or not the case still matches the
 * filter (the last case of a queue page may have been resolved meanwhile); another merchant's case
 * is no cursor, nor — in a list of one customer's cases (a customer token's) — another customer's:
 * a page answered for it would tell that the case exists and where it stands. The key comes back as
 * JSON (timestamps as text with their zone): both of sqlOf's paths hand it over alike.
 */
async function currentKey(sql: Sql, key: string, cursor: string, owner: { merchantId?: string; customerId?: string }): Promise<unknown[]> {
  const lookup: unknown[] = [cursor];
  let own = owner.merchantId ? ` AND c."merchantId" = $${lookup.push(owner.merchantId)}` : '';
  if (owner.customerId) own += ` AND c."customerId" = $${lookup.push(owner.customerId)}`;
  const [row] = await sql.query<{ k: string }>(`SELECT json_build_array(${key})::text AS k FROM "Case" c WHERE c."id" = $1${own}`, lookup);
  if (!row) throw new UnknownCursor(cursor);
  return JSON.parse(row.k) as unknown[];
}

/**
 * One page of cases (one more than `limit` when there is a next page), in the list's order, as
 * `columns` (a select list over the alias `c`) gives them: one statement, no second read by id.
 */
export async function caseQueuePage<R>(sql: Sql, f: CaseQueueFilter, columns: string): Promise<R[]> {
  const order = ORDERS[f.order ?? 'newest'];
  const key = order.key.map(([column]) => column).join(', ');
  const values: unknown[] = [];
  const where = conditions(f, values);
  if (f.cursor) {
    // Compared as a row, so the index reads on from the cursor.
    const after = (at: unknown[]) => where.push(`(${key}) ${order.after} (${order.key.map(([, type], i) => `$${values.push(at[i])}::${type}`).join(', ')})`);
    if (f.order === 'updated') {
      const sync = syncKey(f.cursor);
      if (sync.caseId === undefined) where.push(`k."seq" > $${values.push(sync.seq)}::bigint`);
      else after([sync.seq, sync.caseId]);
    } else after(await currentKey(sql, key, cursorCase(f.cursor, f.order ?? 'newest'), { merchantId: f.merchantId, customerId: f.customerId }));
  }
  const by = order.key.map(([column]) => `${column} ${order.direction}`).join(', ');
  const from = f.order === 'updated' ? SYNC_FROM : `"Case" c`;
  const select = f.order === 'updated' ? `${columns}, k."seq"::text AS "changeSeq"` : columns;
  return sql.query<R>(`SELECT ${select} FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${by} LIMIT ${Math.trunc(f.limit) + 1}`, values);
}
