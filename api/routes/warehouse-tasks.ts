/**
 * The warehouse's work list: every case waiting on the warehouse (a parcel to receive, a return to
 * inspect, records to check, a re-shipment to pack), the soonest deadline first, late ones marked,
 * each with the lines to expect or check. The tasks are done through the case's own routes
 * (arrival scan, inspection, warehouse check, re-shipment), which signal the case's workflow.
 */
import type { ApiApp } from '../typed-app.js';
import { Type } from 'typebox';
import { commandFor, isLoanBackStage, STAGE_WAITS } from '../../domain/waiting.js';
import { merchantScopeOf, principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ParcelLookup, WarehouseTasks } from '../responses.js';
import { normaliseTrackingNumber } from '../../domain/tracking-number.js';
import { badRequest } from '../errors.js';
import { refundBeforeShippingOf } from './fulfilment.js';
import { approvedOrAsked, goodsLines } from '../../domain/goods-lines.js';

/**
 * What the warehouse is asked to do at each stage that waits on it (domain/waiting.ts says which
 * call does it; a test keeps the two lists the same). Re-shipments and replacements are packed at
 * AWAITING_DISPATCH as at AWAITING_RESHIPMENT; a lost parcel's dispatch is verified as a missing
 * item's is (the workflows name both tasks VERIFY_DISPATCH in their steps).
 */
export const WAREHOUSE_TASKS: Readonly<Record<string, string>> = {
  AWAITING_ARRIVAL: 'RECEIVE_RETURN',
  AWAITING_INTERCEPTED_PARCEL: 'RECEIVE_INTERCEPTED_PARCEL',
  AWAITING_SUBSTITUTE_RETURN: 'RECEIVE_SUBSTITUTE',
  AWAITING_SUBSTITUTE_INSPECTION: 'INSPECT_SUBSTITUTE',
  AWAITING_INSPECTION: 'INSPECT_RETURN',
  AWAITING_WAREHOUSE_CHECK: 'VERIFY_DISPATCH',
  AWAITING_DISPATCH_CONFIRMATION: 'VERIFY_DISPATCH',
  AWAITING_VERIFICATION: 'VERIFY_WRONG_ITEM',
  AWAITING_OUTGOING_CHECK: 'CHECK_OUTGOING',
  AWAITING_RESHIPMENT: 'PACK_RESHIPMENT',
  AWAITING_DISPATCH: 'PACK_RESHIPMENT',
  AWAITING_REPAIR: 'REPAIR',
  AWAITING_PROMISED_SHIPPING: 'SHIP_ORDER',
};

/** Stages where goods come back to the warehouse: a wrong item's parcel holds what arrived, not what was ordered. */
const RECEIVING = new Set(['AWAITING_ARRIVAL', 'AWAITING_INSPECTION']);
/** The loan product an exchange's request names (its SKU and name), if it does. */
function loanOf(request: unknown): { sku: string; name?: string } | undefined {
  const loan = (request as { substitute?: { sku?: unknown; name?: unknown } } | null)?.substitute;
  return typeof loan?.sku === 'string' ? { sku: loan.sku, ...(typeof loan.name === 'string' ? { name: loan.name } : {}) } : undefined;
}
/** Stages where goods go out: an exchange's line goes out as its replacement (another size, colour, model). */
const SENDING = new Set(['AWAITING_OUTGOING_CHECK', 'AWAITING_RESHIPMENT', 'AWAITING_DISPATCH']);

/**
 * The loan product an urgent exchange lends goes out at once, beside whatever the case waits for:
 * a task of its own, not of a stage (db/repositories/loans.ts), until the warehouse reports it sent
 * or the case no longer waits for it (closed, resolved, its replacement delivered, refunded instead).
 */
const SEND_SUBSTITUTE = 'SEND_SUBSTITUTE';
const TASK_NAMES = [...new Set(Object.values(WAREHOUSE_TASKS)), SEND_SUBSTITUTE];
const TaskQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    task: Type.Optional(Type.Union(TASK_NAMES.map((n) => Type.Literal(n)), { description: 'only this task (INSPECT_RETURN: the returns waiting for inspection)' })),
  },
  { additionalProperties: false },
);
const ParcelQuery = Type.Object({ trackingNumber: Type.String({ minLength: 1, maxLength: 100, description: "the parcel's tracking number as on its label; typed with spaces, in lower case or full width as well" }) }, { additionalProperties: false });

type Line = { sku: string; name: string; quantity: number };
type Asked = { sku: string; quantity: number; replacementSku?: unknown };

/**
 * The lines a case is about, named as the order names them: the request's `lines` (a return, a
 * quality or damage report, an exchange: what comes back, and at the stages that send goods out its
 * replacements), its `missing` lines, the SKU that was ordered in place of a wrong item; else the
 * whole order (a lost parcel is re-shipped whole). A replacement not in the order goes by its SKU.
 * Where an agent approved less than was asked (`approved`: the lines of their decision), what comes
 * back is what they approved: a refused line is not expected, and one approved in part counts less.
 */
export function warehouseLines(orderSnapshot: unknown, request: unknown, stage?: string, approved?: unknown, loanSku?: string, askedBack?: unknown): Line[] {
  const items = goodsLines<{ sku: string; quantity: number; name?: unknown }>((orderSnapshot as { items?: unknown } | null)?.items);
  const nameOf = (sku: string) => {
    const name = items.find((i) => i.sku === sku)?.name;
    return typeof name === 'string' ? name : sku;
  };
  const r = (request ?? {}) as { lines?: unknown; missing?: unknown; orderedSku?: unknown; arrivedBarcode?: unknown; barcodes?: unknown };
  // An exchange's loan product coming back: the one unit lent, not the goods exchanged (its SKU in
  // the request; for cases opened before the request kept it, `loanSku` from the lending step).
  const loan = loanOf(request) ?? (loanSku ? { sku: loanSku } : undefined);
  if (stage && isLoanBackStage(stage) && loan) return [{ sku: loan.sku, name: loan.name ?? nameOf(loan.sku), quantity: 1 }];
  if (stage && RECEIVING.has(stage) && typeof r.arrivedBarcode === 'string') {
    // A wrong item coming back: the goods its RETURN_REQUESTED step asked back (the warehouse's
    // findings, by SKU and name); for cases asked before the step named them, what arrived, known by
    // its barcode (the SKU when the catalogue has it).
    const asked = goodsLines<{ sku: string; quantity: number; name?: unknown }>(askedBack);
    if (asked.length) return asked.map((l) => ({ sku: l.sku, name: typeof l.name === 'string' ? l.name : nameOf(l.sku), quantity: l.quantity }));
    const barcodes = (r.barcodes && typeof r.barcodes === 'object' ? r.barcodes : {}) as Record<string, unknown>;
    const arrived = Object.keys(barcodes).find((sku) => barcodes[sku] === r.arrivedBarcode);
    return [arrived ? { sku: arrived, name: nameOf(arrived), quantity: 1 } : { sku: r.arrivedBarcode, name: `barcode ${r.arrivedBarcode}`, quantity: 1 }];
  }
  const sending = !!stage && SENDING.has(stage);
  const requested: Asked[] = goodsLines<Asked>(r.lines).length ? goodsLines<Asked>(r.lines) : goodsLines(r.missing).length ? goodsLines(r.missing) : typeof r.orderedSku === 'string' ? [{ sku: r.orderedSku, quantity: 1 }] : items;
  // What comes back only: goods sent out keep their replacements from the request.
  const expected: Asked[] = sending ? requested : approvedOrAsked(approved, requested);
  return expected.map((l) => {
    const sku = sending && 'replacementSku' in l && typeof l.replacementSku === 'string' ? l.replacementSku : l.sku;
    return { sku, name: nameOf(sku), quantity: l.quantity };
  });
}

/** The call that does the task and the task in words; none where the courier, not the warehouse, moves the case on (its signed events). */
function warehouseCall(caseId: string, stage: string): { command?: string; what?: string } {
  const wait = STAGE_WAITS[stage];
  if (!wait) return {};
  return { ...(wait.command.startsWith('POST /v1/couriers/') ? {} : { command: commandFor(wait.command, caseId) }), what: wait.what };
}

/** The task's words, saying where goods taken in from the hold shelf are: on the shelf, as held (when, by whom). */
function withShelf(call: { command?: string; what?: string }, held: { heldAt: Date; heldBy: string; trackingNumber: string | null } | undefined) {
  if (!held || !call.what) return call;
  return { ...call, what: `${call.what} — the parcel is on the hold shelf (held ${held.heldAt.toISOString()} by ${held.heldBy}${held.trackingNumber ? `, ${held.trackingNumber}` : ', by its return code'}), taken in from there by the platform` };
}

/** The goods asked back of wrong items on their way back (their RETURN_REQUESTED step's lines): what the request cannot say. */
async function askedBackFromSteps(deps: ApiDeps, cases: ReadonlyArray<{ id: string; stage: string; request: unknown }>): Promise<Map<string, unknown>> {
  const wrongItems = cases.filter((c) => RECEIVING.has(c.stage) && typeof (c.request as { arrivedBarcode?: unknown } | null)?.arrivedBarcode === 'string');
  const found = await Promise.all(wrongItems.map(async (c) => [c.id, (await deps.repos.latestStepData(c.id, ['RETURN_REQUESTED']))?.lines] as const));
  return new Map(found.filter((f) => f[1] !== undefined));
}

/** The loan SKU of cases at a loan's stages whose request does not name it (opened before it did): from their SUBSTITUTE_LENT step. */
async function loanSkusFromSteps(deps: ApiDeps, cases: ReadonlyArray<{ id: string; stage: string; request: unknown }>): Promise<Map<string, string>> {
  const unnamed = cases.filter((c) => isLoanBackStage(c.stage) && !loanOf(c.request));
  const found = await Promise.all(unnamed.map(async (c) => [c.id, (await deps.repos.latestStepData(c.id, ['SUBSTITUTE_LENT']))?.sku] as const));
  return new Map(found.filter((f): f is readonly [string, string] => typeof f[1] === 'string'));
}

/**
 * Tracking inquiries told to ship now whose order is being refunded before shipping, or was: not
 * the warehouse's to pack (the API refuses their re-shipment; each resolves by itself when its
 * time to ship is up, workflows/tracking-inquiry.ts). One lookup per such inquiry: they are few.
 */
async function ordersNotToShip(deps: ApiDeps, cases: ReadonlyArray<{ id: string; type: string; stage: string; merchantId: string; orderId: string }>): Promise<Set<string>> {
  const inquiries = cases.filter((c) => c.type === 'TRACKING_INQUIRY' && c.stage === 'AWAITING_DISPATCH');
  const refunded = await Promise.all(inquiries.map(async (c) => ((await refundBeforeShippingOf(deps, c)) ? c.id : undefined)));
  return new Set(refunded.filter((id): id is string => !!id));
}

/** The loan to send, named as lent: the request's loan (its name where the shop gave one), else the lending step's SKU. */
function loanLine(request: unknown, sku: string | null): Line[] {
  const loan = loanOf(request);
  const lent = loan?.sku ?? sku;
  return lent ? [{ sku: lent, name: loan?.name ?? lent, quantity: 1 }] : [];
}

export function warehouseTaskRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/v1/warehouse/tasks', { config: { roles: ['WAREHOUSE', 'SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: WarehouseTasks }, tags: ['warehouse'], summary: 'Cases waiting on the warehouse, soonest deadline first, with the lines to expect or check', querystring: TaskQuery } }, async (request) => {
    const p = principalOf(request);
    const { limit, task } = request.query;
    const stages = task ? Object.keys(WAREHOUSE_TASKS).filter((stage) => WAREHOUSE_TASKS[stage] === task) : undefined;
    const scope = merchantScopeOf(p);
    const [cases, toSend] = await Promise.all([
      task === SEND_SUBSTITUTE ? [] : deps.repos.waitingOnWarehouse(scope, limit ?? 50, stages),
      !task || task === SEND_SUBSTITUTE ? deps.repos.loans.toSend(scope, limit ?? 50) : [],
    ]);
    const [approved, loans, askedBack, refunding, fromShelf] = await Promise.all([
      deps.repos.approvedLines(cases.map((c) => c.id)),
      loanSkusFromSteps(deps, cases),
      askedBackFromSteps(deps, cases),
      ordersNotToShip(deps, cases),
      // Goods taken in from the hold shelf by themselves are still on it: the clerk inspecting them is told where.
      deps.repos.heldParcels.takenInByItself(cases.filter((c) => c.stage === 'AWAITING_INSPECTION').map((c) => c.id)),
    ]);
    // Due when lent (the customer was told it goes out at once): among the others by that, soonest first.
    const sends = toSend.map((l) => ({
      caseId: l.id,
      type: l.type,
      stage: l.stage,
      task: SEND_SUBSTITUTE,
      command: `POST /v1/cases/${encodeURIComponent(l.id)}/substitute-sent`,
      what: 'the warehouse sends the loan product to the customer (they were told it goes out first)',
      dueAt: l.lentAt.toISOString(),
      late: false,
      escalated: l.escalated,
      orderId: l.orderId,
      returnTrackingNumber: l.returnTrackingNumber,
      lines: loanLine(l.request, l.sku),
    }));
    const items = [
      ...sends,
      ...cases.filter((c) => !refunding.has(c.id)).map((c) => ({
        caseId: c.id,
        type: c.type,
        stage: c.stage,
        task: WAREHOUSE_TASKS[c.stage] ?? 'OTHER',
        ...withShelf(warehouseCall(c.id, c.stage), fromShelf.get(c.id)),
        dueAt: c.nextDeadlineAt?.toISOString() ?? null,
        late: c.late,
        escalated: c.escalated,
        orderId: c.orderId,
        returnTrackingNumber: c.returnTrackingNumber,
        lines: warehouseLines(c.orderSnapshot, c.request, c.stage, approved.get(c.id), loans.get(c.id), askedBack.get(c.id)),
      })),
    ];
    // Stable: the database's order (deadline, then opening) stands among equals; no deadline last.
    const due = (t: { dueAt: string | null }) => (t.dueAt === null ? Infinity : Date.parse(t.dueAt));
    return { items: items.sort((a, b) => due(a) - due(b)).slice(0, limit ?? 50) };
  });

  // A parcel in hand with no slip, a refused replacement back at the dock: whose is it? An arrival
  // scan books it in (and refuses what it cannot place); this only looks, so the desk can decide.
  app.get('/v1/warehouse/parcels', { config: { roles: ['WAREHOUSE', 'SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: ParcelLookup }, tags: ['warehouse'], summary: 'The cases a parcel belongs to, by its tracking number, without booking it in', querystring: ParcelQuery } }, async (request) => {
    const p = principalOf(request);
    const trackingNumber = normaliseTrackingNumber(request.query.trackingNumber);
    if (!trackingNumber) throw badRequest('querystring.trackingNumber', 'holds no tracking number once its white space is gone');
    const found = await deps.repos.casesOfParcel(trackingNumber, merchantScopeOf(p));
    const [approved, loans, askedBack] = await Promise.all([deps.repos.approvedLines(found.map((c) => c.id)), loanSkusFromSteps(deps, found), askedBackFromSteps(deps, found)]);
    return {
      trackingNumber,
      cases: found.map((c) => ({
        caseId: c.id,
        type: c.type,
        stage: c.stage,
        status: c.status,
        role: c.role,
        carrier: c.carrier,
        orderId: c.orderId,
        task: WAREHOUSE_TASKS[c.stage] ?? null,
        ...(WAREHOUSE_TASKS[c.stage] ? warehouseCall(c.id, c.stage) : {}),
        lines: warehouseLines(c.orderSnapshot, c.request, c.stage, approved.get(c.id), loans.get(c.id), askedBack.get(c.id)),
      })),
    };
  });
}
