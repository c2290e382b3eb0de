/**
 * Opening a case, the same for every case type: the case row first (with the evidence it came
 * with, in one transaction), then its workflow, with the search attributes ops filter by. The
 * route validates its own body and builds the workflow input.
 *
 * The case id is always minted here — never taken from the client, so one merchant cannot name
 * (and reach) another's case. A client names its cases with its own `reference` instead, unique
 * per merchant: the same reference again with the same request answers the case it opened (200,
 * nothing added, no second workflow — an idempotent open); with another request it is a 409
 * REFERENCE_IN_USE. Another merchant's reference is another case.
 */
import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { goodsAlreadyClaimed, goodsOfCase, GOODS_FIELD, orderAmountProblems, orderDisagreements, stillHoldsGoods, validateOrderTimes, type CaseType, type FulfilmentPolicy, type OrderSnapshot, type Policy } from '../domain/index.js';
import type { CaseByReference, OpeningTerms, Principal } from '../db/repositories.js';
import { recordableOpening } from '../domain/case-inputs.js';
import { evidenceKinds } from '../domain/evidence.js';
import { callerName } from './auth.js';
import { recordInput, senderOf } from './commands.js';
import { closeReasonForAnyone } from './customer-view.js';
import { caseWorkflowId } from '../workflows/contract.js';
import type { ApiDeps } from './context.js';
import { ApiError, assertValid, badRequest } from './errors.js';
import { OneAtATime } from './one-at-a-time.js';
import { startCaseWorkflow } from './case-start.js';
import { unavailableService } from './unavailable.js';
import { assertCustomersParcel } from './return-parcels.js';

export interface OpenCase<I> {
  type: CaseType;
  /** The workflow function's name, as the worker registers it. */
  workflow: string;
  /** The client's own name for the case and the request it comes with (`referenceOf(request)`). */
  reference?: Reference;
  order: OrderSnapshot;
  customer: { id: string; locale: 'zh-CN' | 'en' };
  /** What the customer asked for, kept on the case row. */
  request: unknown;
  requestedAmountMinor: number;
  summary: string;
  /** Evidence sent with the opening: stored with the case row, so once however often the open is sent. */
  evidence?: { urls: string[]; addedBy: string };
  /** The merchant's terms when the route read them already (`repos.openingTerms`): not read again. */
  terms?: OpeningTerms;
  /** `fulfilment`: the fulfilment rules of the same policy version (the case keeps both). */
  input: (c: { caseId: string; merchantId: string; policy: Policy; fulfilment: FulfilmentPolicy; openedAt: number }) => I;
}

/** A client's reference, with the hash of the request that carries it (route and body). */
export interface Reference {
  /** The client's reference; absent when the opening only has an Idempotency-Key. */
  value?: string;
  /** Where the body gave it: `reference`, or the deprecated `caseId` (an error about it names that one). */
  field?: 'body.reference' | 'body.caseId';
  requestHash: string;
  /**
   * Under an Idempotency-Key the case id comes from the key (caller and key hashed), so a retry
   * that takes over the claim of a request that died half-way finds the case row that request
   * wrote instead of minting a second case (found by the crash drill).
   */
  caseId?: string;
}

/** What an opening answers; `created` is false when the reference had opened the case before. */
export interface Opened {
  caseId: string;
  workflowId: string;
  policyVersion: number;
  reference?: string;
  created: boolean;
  /** Opened before (answered 200): where that case stands now, so a client sees one that has closed since. */
  now?: { status: string; stage: string; closeReason: string | null };
  /** Recorded, its workflow not started yet (Temporal away): answered 202. */
  startPending?: boolean;
}

/** The merchant a storefront key acts for (403 for a key bound to none). */
export function merchantOf(p: Principal): string {
  if (!p.merchantId) throw new ApiError(403, 'FORBIDDEN', 'this key is not bound to a merchant');
  return p.merchantId;
}

/** 80 random bits, hex: unguessable, and short enough to write on a parcel (the return code). */
const mintCaseId = () => randomUUID().replace(/-/g, '').slice(0, 20);


/**
 * The reference an opening body carries (`reference`, or `caseId`, its deprecated name), with the
 * hash of the request: the route and the body, the two names counted as one.
 */
export function referenceOf(request: FastifyRequest): Reference | undefined {
  const { caseId: alias, reference, ...rest } = (request.body ?? {}) as Record<string, unknown> & { caseId?: string; reference?: string };
  if (alias !== undefined && reference !== undefined && alias !== reference) throw badRequest('body.caseId', 'is the deprecated name of reference: send reference alone');
  const value = reference ?? alias;
  const claim = request.idempotency;
  if (value === undefined && !claim) return undefined;
  const requestHash = createHash('sha256').update(`${request.method} ${request.routeOptions.url}\n${canonicalJson({ ...rest, reference: value })}`).digest('hex');
  const caseId = claim ? createHash('sha256').update(`${claim.principal}\n${claim.key}`).digest('hex').slice(0, 20) : undefined;
  return { ...(value !== undefined ? { value, field: reference !== undefined ? 'body.reference' : 'body.caseId' } : {}), requestHash, ...(caseId ? { caseId } : {}) };
}

/** 201 with the case just opened, 200 with the one its reference opened before (the same answer, with where that case stands now), 202 when its workflow waits for Temporal. */
export function sendOpened(reply: FastifyReply, opened: Opened, extra: Record<string, unknown> = {}) {
  const { created, startPending, now, ...answer } = opened;
  if (startPending) return reply.status(202).send({ ...answer, ...extra, startPending: true });
  return reply.status(created ? 201 : 200).send({ ...answer, ...extra, ...(!created && now ? now : {}) });
}

/**
 * Refuses an opening whose body the route found wrong (`problems`), or whose order's times lie in
 * the future — all of them in one answer, so a client fixes them in one round.
 */
export function assertOpening(deps: ApiDeps, order: OrderSnapshot, problems: Array<{ field: string; reason: string }>): void {
  assertValid('body', [...problems, ...orderAmountProblems(order), ...validateOrderTimes(order, deps.now?.() ?? Date.now())]);
}

/** Openings per order (api/one-at-a-time.ts): the goods check reads, then the row is written. */
const openings = new OneAtATime();

/**
 * Opens a case whose body the route has checked (assertOpening; a complaint about a case opens
 * from that case's order, checked when it was opened).
 */
export async function openCase<I>(deps: ApiDeps, request: FastifyRequest, merchantId: string, o: OpenCase<I>): Promise<Opened> {
  if (o.reference?.value) {
    const existing = await deps.repos.caseByReference(merchantId, o.reference.value);
    if (existing) return openedBefore(deps, request, merchantId, o, existing);
  }
  const caseId = o.reference?.caseId ?? mintCaseId();
  const shipment = shipmentOf(o);
  if (shipment) await assertCustomersParcel(deps, { caseId, merchantId, customerId: o.customer.id }, shipment);
  // From reading the order's earlier cases to writing this one's row, one opening of the order at a time.
  const opening = await openings.run(`${merchantId}\u0000${o.order.orderId}`, async () => {
    const [{ policy, fulfilment, currency }, ofOrder] = await Promise.all([o.terms ?? deps.repos.openingTerms(merchantId), deps.repos.casesOfOrder(merchantId, o.order.orderId)]);
    const twin = o.reference ? undefined : sentJustBefore(ofOrder, o, deps.now?.() ?? Date.now());
    if (twin !== undefined) return { twin };
    // Not the case itself: a retry under the same Idempotency-Key or reference finds the row its
    // first try wrote, and must get that case (below), not a refusal naming it.
    const others = ofOrder.filter((c) => c.id !== caseId && !(o.reference?.value && c.reference === o.reference.value));
    if (o.type !== 'COMPLAINT') {
      assertSameOrder(others, o.order, o.customer.id);
      // The order's cases that still hold goods; a return approved in part holds what the agent approved.
      const holding = others.filter(stillHoldsGoods);
      assertGoodsFree(o, holding, holding.some((c) => c.type === 'RETURN_AND_REFUND') ? await deps.repos.approvedLines(holding.map((c) => c.id)) : new Map());
      assertPolicyCurrency(o.order, merchantId, currency);
    }
    const openedAt = deps.now?.() ?? Date.now();
    const input = workflowInput(request, merchantId, o, { caseId, policy, fulfilment, openedAt });
    const opening = { kind: o.workflow, arg: recordableOpening(input, policy.version), at: openedAt, sender: senderOf(request), requestId: request.id };
    const row = await deps.repos.openCase(
      {
        id: caseId,
        merchantId,
        reference: o.reference?.value,
        referenceHash: o.reference?.value ? o.reference.requestHash : undefined,
        type: o.type,
        orderId: o.order.orderId,
        orderSnapshot: o.order,
        request: o.request,
        customerId: o.customer.id,
        customerLocale: o.customer.locale,
        currency: o.order.currency,
        requestedAmountMinor: o.requestedAmountMinor,
        policyVersion: policy.version,
        workflowId: caseWorkflowId(caseId),
      },
      o.evidence?.urls.length ? { urls: o.evidence.urls, kinds: evidenceKinds(o.evidence.urls), addedBy: o.evidence.addedBy } : undefined,
      opening,
    );
    return { row, policy, input };
  });
  if (opening.twin !== undefined) return sentAgain(deps, request, merchantId, o, opening.twin);
  const { row, policy, input } = opening;
  // The same reference sent twice at once: the other request's row won.
  if (!row.created) return openedBefore(deps, request, merchantId, o, row.existing);
  await followShipment(deps, caseId, o);
  const opened = { caseId, workflowId: caseWorkflowId(caseId), policyVersion: policy.version, ...(o.reference?.value ? { reference: o.reference.value } : {}), created: true };
  try {
    await startCaseWorkflow(deps.temporal, { caseId, workflow: o.workflow, input, type: o.type, merchantId, orderId: o.order.orderId, customerId: o.customer.id, summary: o.summary });
  } catch (err) {
    // Temporal away: the case and its opening are recorded, and the API starts its workflow once
    // Temporal is back (api/unstarted-openings.ts). Answered 202 with the case, so the client keeps
    // it rather than retrying into a second case (a 503 here left a row no workflow served).
    if (unavailableService(err) !== 'temporal') throw err;
    request.log.warn({ caseId, err: String(err) }, 'Temporal unavailable: case recorded, its workflow starts when Temporal is back');
    return { ...opened, startPending: true };
  }
  return opened;
}

/** The workflow input of an opening: what the route builds, with who opened it (workflows/contract.ts OpenedBy). */
function workflowInput<I>(request: FastifyRequest, merchantId: string, o: OpenCase<I>, c: { caseId: string; policy: Policy; fulfilment: FulfilmentPolicy; openedAt: number }): Record<string, unknown> {
  return { ...o.input({ caseId: c.caseId, merchantId, policy: c.policy, fulfilment: c.fulfilment, openedAt: c.openedAt }), openedBy: callerName(request) } as Record<string, unknown>;
}

/**
 * The policy's amounts (the auto-approve limit, small-amount refunds, discounts, delay compensation,
 * claim caps) are counted in the merchant's currency: a limit of 50000 is CN¥500 for a CNY shop, and
 * read against a JPY order it let ¥45,000 (about CN¥2,100) through without an agent. An order in
 * another currency is refused (400 naming the field) rather than judged by amounts that mean
 * something else. A complaint takes no money decision by rule: it is not refused.
 */
function assertPolicyCurrency(order: OrderSnapshot, merchantId: string, currency: string | undefined): void {
  if (!currency || order.currency === currency) return;
  throw badRequest('body.order.currency', `is ${order.currency}, but ${merchantId}'s after-sales policy counts its amounts in ${currency}: cases are opened for orders in ${currency} only`);
}

/**
 * The order as this request gives it must be the order its earlier cases recorded (domain/order-consistency.ts):
 * 409 ORDER_CONFLICT naming each field and the case, so a storefront bug cannot lift a refund cap.
 */
function assertSameOrder(ofOrder: Array<{ id: string; type: string; customerId: string; orderSnapshot: unknown }>, order: OrderSnapshot, customerId: string): void {
  // A complaint's order may be typed by an agent on the phone: it neither sets nor is held to the order's facts.
  const first = ofOrder.find((c) => c.type !== 'COMPLAINT');
  if (!first) return;
  const problems = orderDisagreements(first.orderSnapshot as OrderSnapshot, order).map((p) => ({ ...p, field: `body.${p.field}` }));
  // The order's customer too: another customer's token would read this order through the new case.
  if (first.customerId !== customerId) problems.unshift({ field: 'body.customer.id', reason: `is ${customerId}, but the order is customer ${first.customerId}'s` });
  if (problems.length) {
    throw new ApiError(409, 'ORDER_CONFLICT', `order ${order.orderId} was recorded otherwise by case ${first.id}: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`, undefined, problems);
  }
}

/**
 * The goods this case asks about, not already held by the order's other cases (domain/order-consistency.ts):
 * 409 GOODS_ALREADY_CLAIMED naming the cases that hold them, so the same units are not refunded twice.
 * `holding`: the order's other cases that still hold goods (stillHoldsGoods), filtered once by the caller.
 */
function assertGoodsFree<I>(o: OpenCase<I>, holding: Awaited<ReturnType<ApiDeps['repos']['casesOfOrder']>>, approved: Map<string, unknown>): void {
  const asked = goodsOfCase(o.type, o.request, o.order);
  if (!asked.length || !holding.length) return;
  const others = holding.map((c) => ({ caseId: c.id, goods: goodsOfCase(c.type, c.request, o.order, approved.get(c.id)) }));
  // Read, then written, one opening of the order at a time in this process (openCase); API
  // processes side by side may both pass. The money cannot: refunds are granted under a lock per
  // order (activities' refundPayment), never past what was paid.
  const problems = goodsAlreadyClaimed(o.order, asked, others);
  if (!problems.length) return;
  const field = `body.${GOODS_FIELD[o.type]}`;
  const named = new Set(problems.flatMap((p) => p.caseIds));
  const follow = named.size > 1 ? 'follow those cases, or ask for what they do not hold' : 'follow that case, or ask for what it does not hold';
  throw new ApiError(409, 'GOODS_ALREADY_CLAIMED', `${problems.map((p) => p.reason).join('; ')}: ${follow}`, undefined, problems.map((p) => ({ field, reason: p.reason })));
}

/**
 * How long an opening sent again without a reference or an Idempotency-Key — the same type, customer,
 * order (as given) and request — is taken for the first (a double tap, a storefront's retry),
 * while that case is open: a trial's customer tapped "1 vase missing" three times, two cases
 * opened (each within the order's two vases) and both were refunded.
 */
export const SAME_OPENING_MINUTES = 10;

/** The request as the client sent it: a complaint's `repeat` is what the platform made of it (the second tap reads as a repeat of the first). */
const asSent = (request: unknown) => {
  const { repeat: _made, ...sent } = (request ?? {}) as Record<string, unknown>;
  return canonicalJson(sent);
};

/** The open case of the order this very opening opened a moment ago, if any (SAME_OPENING_MINUTES). */
function sentJustBefore<I>(ofOrder: Awaited<ReturnType<ApiDeps['repos']['casesOfOrder']>>, o: OpenCase<I>, now: number): string | undefined {
  const since = now - SAME_OPENING_MINUTES * 60_000;
  const asked = asSent(o.request);
  const order = canonicalJson(o.order);
  return ofOrder.find((c) => c.type === o.type && c.customerId === o.customer.id && !c.resolved && c.status !== 'CLOSED' && c.createdAt.getTime() >= since && asSent(c.request) === asked && canonicalJson(c.orderSnapshot) === order)?.id;
}

/** The same opening sent again (sentJustBefore): the case it opened, answered as a reference's (200), its opening finished if it had stopped. */
async function sentAgain<I>(deps: ApiDeps, request: FastifyRequest, merchantId: string, o: OpenCase<I>, caseId: string): Promise<Opened> {
  const existing = (await deps.repos.caseById(caseId))!;
  await finishOpening(deps, request, merchantId, o, existing);
  return asOpenedBefore(existing);
}

/** The answer of an opening sent again: the case it opened, with where it stands now (a case withdrawn or closed since is not opened again). */
export function asOpenedBefore(existing: Pick<CaseByReference, 'id' | 'workflowId' | 'policyVersion' | 'status' | 'stage' | 'closeReason'>, reference?: string): Opened {
  const now = { status: existing.status, stage: existing.stage, closeReason: closeReasonForAnyone(existing.closeReason) };
  return { caseId: existing.id, workflowId: existing.workflowId, policyVersion: existing.policyVersion, ...(reference !== undefined ? { reference } : {}), created: false, now };
}

/** The case a reference opened before: the same request gets it (finished, if its opening had stopped: finishOpening); another request is refused. */
async function openedBefore<I>(deps: ApiDeps, request: FastifyRequest, merchantId: string, o: OpenCase<I>, existing: CaseByReference): Promise<Opened> {
  const reference = o.reference!;
  // By reference: the same request only. By Idempotency-Key: the idempotency claim compared them.
  if (reference.value !== undefined && existing.referenceHash !== reference.requestHash) {
    throw new ApiError(409, 'REFERENCE_IN_USE', `reference ${reference.value} already names case ${existing.id} of this merchant, opened with another request`, reference.field ?? 'body.reference');
  }
  await finishOpening(deps, request, merchantId, o, existing);
  // A new request takes a new reference.
  return asOpenedBefore(existing, reference.value);
}

/**
 * An opening of `existing` sent again (by its reference, or found otherwise: the same complaint
 * tapped twice): an open that stopped between the row and the workflow — a crash, Temporal away —
 * is finished now; a workflow that has run, even one that has ended, is never started again.
 */
export async function finishOpening<I>(deps: ApiDeps, request: FastifyRequest, merchantId: string, o: OpenCase<I>, existing: Pick<CaseByReference, 'id' | 'policyVersion' | 'status' | 'createdAt'>): Promise<void> {
  if (existing.status !== 'CLOSED') {
    const policy = await deps.repos.policyVersion(merchantId, existing.policyVersion);
    if (!policy) throw new Error(`policy ${merchantId} v${existing.policyVersion} of case ${existing.id} is missing`);
    const fulfilment = await deps.repos.fulfilmentPolicy(merchantId, existing.policyVersion);
    await followShipment(deps, existing.id, o);
    await startWorkflow(deps, request, merchantId, o, { caseId: existing.id, policy, fulfilment, openedAt: existing.createdAt.getTime() }).catch((err: unknown) => {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // it ran and has ended meanwhile
    });
  }
}

/** The parcel the case is about (tracking, delay, loss, interception): its courier events belong to it. */
async function followShipment<I>(deps: ApiDeps, caseId: string, o: OpenCase<I>) {
  const shipment = shipmentOf(o);
  if (shipment) await deps.repos.followParcel(caseId, { ...shipment, role: 'ORIGINAL' });
}

function shipmentOf<I>(o: OpenCase<I>): { carrier: string; trackingNumber: string } | undefined {
  const shipment = (o.request as { shipment?: { carrier?: unknown; trackingNumber?: unknown } } | undefined)?.shipment;
  return typeof shipment?.carrier === 'string' && typeof shipment.trackingNumber === 'string' ? { carrier: shipment.carrier, trackingNumber: shipment.trackingNumber } : undefined;
}

/**
 * Finishes an opening sent again (its reference or Idempotency-Key): records the opening as the
 * case's first input, then starts its workflow (api/case-start.ts).
 *
 * The opening is recorded (seq 0, once: a fresh opening wrote it with its row, db/repositories.ts
 * openCase; rows from before that get it here) with the workflow input exactly as sent, its policy
 * named by version: the case row keeps the request, the order and the customer, but not everything
 * the input is built from (the merchant's return address of the day, an exchange's substitute,
 * whether a complaint repeats one), so the what-if — and api/unstarted-openings.ts, for an opening
 * Temporal was away for — starts the workflow from this.
 */
async function startWorkflow<I>(deps: ApiDeps, request: FastifyRequest, merchantId: string, o: OpenCase<I>, c: { caseId: string; policy: Policy; fulfilment: FulfilmentPolicy; openedAt: number }) {
  const input = workflowInput(request, merchantId, o, c);
  const arg = recordableOpening(input, c.policy.version);
  await recordInput(deps, request, { caseId: c.caseId, via: 'START', kind: o.workflow, workflowId: caseWorkflowId(c.caseId), arg, at: new Date(c.openedAt), outcome: 'ACCEPTED' });
  await startCaseWorkflow(deps.temporal, { caseId: c.caseId, workflow: o.workflow, input, type: o.type, merchantId, orderId: o.order.orderId, customerId: o.customer.id, summary: o.summary });
}
