import type { Client } from '@temporalio/client';
import type { FastifyRequest } from 'fastify';
import type { CaseSummary, Repositories } from '../db/repositories.js';
import { CASE_STAGE_NAMES, CASE_STATUS_NAMES, CASE_TYPE_NAMES, CLOSE_REASON_NAMES, nameOf, type CaseType, type DisplayLocale, type Names, type OrderSnapshot, type Policy, type Reader } from '../domain/index.js';
import { STEP_NAMES } from '../domain/step-names.js';
import { earlierAnswerSentence, explainSolutionDeadline, type DeadlineReader } from '../domain/solution-deadline.js';
import { commandFor, waitingFor } from '../domain/waiting.js';
import { caseWorkflowId, type EnteredFor } from '../workflows/contract.js';
import { canSee } from './auth.js';
import type { CourierSecret } from './courier-secrets.js';
import { closeReasonForAnyone, isCustomerFacing } from './customer-view.js';
import { conflict, notFound } from './errors.js';

export interface ApiDeps {
  repos: Repositories;
  temporal: Client;
  /** HMAC secrets of courier callbacks, per carrier code. */
  /** One secret per carrier, or several while one is rotated (COURIER_SECRETS naming it twice). */
  courierSecrets: Record<string, CourierSecret>;
  /** Lifetime of a customer token when the storefront asks for none (default: CUSTOMER_TOKEN_TTL.default, one day). */
  customerTokenTtlSeconds?: number;
  now?: () => number;
}

/**
 * The case, if the caller may see it (else 404, never 403: ids cannot be probed). A customer-facing
 * caller gets it with an agent's closing note read as CLOSED_BY_AGENT: whatever is said to them
 * from it (a command refused as too late quotes why the case closed) keeps the staff's words out.
 */
export async function visibleCase(deps: ApiDeps, request: FastifyRequest, caseId: string): Promise<CaseSummary> {
  const c = await deps.repos.caseById(caseId);
  if (!c || !request.principal || !canSee(request.principal, c)) throw notFound();
  return isCustomerFacing(request.principal.role) ? { ...c, closeReason: closeReasonForAnyone(c.closeReason) } : c;
}

/** Why a command came too late, said to whoever sent it (a customer's answer a minute after the deadline): how and when the case closed. */
export function closedCaseMessage(c: Pick<CaseSummary, 'closeReason' | 'closedAt'>): string {
  const when = c.closedAt ? ` at ${new Date(c.closedAt).toISOString()}` : '';
  return `the case is closed${c.closeReason ? ` (${c.closeReason})` : ''}${when}: nothing more can be recorded on it`;
}

/** The case's workflow, for a command that needs the case to be still open. */
export function openWorkflow(deps: ApiDeps, c: CaseSummary) {
  if (c.status === 'CLOSED') throw conflict(closedCaseMessage(c));
  return deps.temporal.workflow.getHandle(caseWorkflowId(c.id));
}

export const actorOf = (request: FastifyRequest) => ({ kind: request.principal!.role.toLowerCase() as 'agent', id: request.principal!.id });

/** Who may give a customer's answer: the customer, their storefront, and staff entering it for them (said on the phone or in a chat). */
export const CUSTOMER_ANSWER_ROLES = ['CUSTOMER', 'STOREFRONT', 'AGENT', 'SUPERVISOR', 'ADMIN'] as const;
export const CUSTOMER_ANSWER_BY_STAFF = 'Staff (an agent, supervisor or admin key) may send it for the customer, as they said it on the phone or in a chat: the step then names the staff member as its actor.';

/** A customer's answer as the workflow takes it: with `by` when staff entered it for the customer. */
export function enteredFor<T extends object>(request: FastifyRequest, answer: T): T & EnteredFor {
  const role = request.principal!.role;
  // Never from the body (its schema refuses `by` too): only a staff key makes an answer staff-entered.
  const { by: _ignored, ...given } = answer as T & EnteredFor;
  return (role === 'CUSTOMER' || role === 'STOREFRONT' ? given : { ...given, by: actorOf(request) }) as T & EnteredFor;
}

/** A time as answers carry it: ISO 8601, null when there is none. */
export const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * What case `caseId` at `stage` waits for (in its `type`, when known), with the deadline as an ISO
 * time (null when none) and the command as this case's path, ready to send. `{carrier}` stays: the
 * courier's own code goes there, and a case may wait for either of its parcels' carriers.
 */
export function waitingForView(caseId: string, stage: string, deadlineMs: number | null | undefined, type?: CaseType, reader: Reader = 'staff', rules?: { proposalDefaultAccept: boolean }, offered?: readonly string[]) {
  const wait = waitingFor(stage, deadlineMs, type, reader, rules, offered);
  return (
    wait && {
      ...wait,
      command: commandFor(wait.command, caseId),
      deadlineAt: wait.deadlineAt === null ? null : new Date(wait.deadlineAt).toISOString(),
    }
  );
}

/**
 * JSON view of a case row: amounts as numbers of minor units, times as ISO strings, what it waits
 * for — said to `reader`: the staff, or the case's customer in their locale, for its customer and
 * the storefront (api/customer-view.ts).
 */
export function caseView(c: CaseSummary, reader: Reader = 'staff', rules?: { proposalDefaultAccept: boolean }, offered?: readonly string[]) {
  return {
    ...c,
    requestedAmountMinor: Number(c.requestedAmountMinor),
    refundedAmountMinor: Number(c.refundedAmountMinor),
    deadlines: (c.deadlines ?? {}) as Record<string, number>,
    solutionDueAt: iso(c.solutionDueAt),
    solutionGivenAt: iso(c.solutionGivenAt),
    nextDeadlineAt: iso(c.nextDeadlineAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    resolvedAt: iso(c.resolvedAt),
    closedAt: iso(c.closedAt),
    waitingFor: waitingForView(c.id, c.stage, c.nextDeadlineAt?.getTime(), c.type, reader, rules, offered),
    names: caseNames(c, reader),
  };
}

/** A reader's language: the customer's locale for them and the storefront, English for staff. */
const languageOf = (reader: Reader): DisplayLocale => (reader === 'staff' ? 'en' : reader);
const named = (names: Readonly<Record<string, Names>>, code: string, reader: Reader) => nameOf(names, code, languageOf(reader));

/** The case's type, stage and status as words in the reader's language (domain/case-types.ts). */
export function caseNames(c: { type: string; stage: string; status: string; closeReason: string | null }, reader: Reader) {
  return {
    type: named(CASE_TYPE_NAMES, c.type, reader),
    stage: named(CASE_STAGE_NAMES, c.stage, reader),
    status: named(CASE_STATUS_NAMES, c.status, reader),
    closeReason: c.closeReason === null ? null : named(CLOSE_REASON_NAMES, c.closeReason, reader),
  };
}

/** A timeline step's name in the reader's language (domain/step-names.ts). */
export const stepName = (kind: string, reader: Reader): string => named(STEP_NAMES, kind, reader);

/**
 * Why the case's solution deadline is when it is, under `policy`, the version the case opened with
 * (`rules.sameDayMeans`, business hours); null until the workflow has set the deadline. The
 * opening instant is the row's `createdAt`, the time an interrupted opening restarts its workflow
 * with too (api/open-case.ts): it is written a few milliseconds after the workflow's `openedAt`.
 * The explanation is the `reader`'s: the staff's English, or the customer's in the case's customer
 * locale, for its customer and the storefront (api/customer-view.ts).
 */
export function solutionDeadlineView(policy: Policy | null, c: CaseSummary, reader: DeadlineReader) {
  if (!c.solutionDueAt || !policy) return null;
  const e = explainSolutionDeadline(policy, c.createdAt.getTime(), reader);
  // A complaint promised an earlier answer (its priority's handling time) says so: the customer's message named that time.
  const answerBy = c.type === 'COMPLAINT' ? (c.deadlines as Record<string, unknown> | null)?.answerBy : undefined;
  const sooner = typeof answerBy === 'number' && answerBy < e.dueAt ? `${reader === 'zh-CN' ? '' : ' '}${earlierAnswerSentence(policy, answerBy, reader)}` : '';
  return { sameDayMeans: e.sameDayMeans, situation: e.situation, dueAt: new Date(e.dueAt).toISOString(), timeZone: policy.businessHours.timeZone, explanation: `${e.text}${sooner}` };
}

const isCount = (v: unknown, min: number): v is number => Number.isSafeInteger(v) && (v as number) >= min;

/**
 * The order snapshot a case was opened with, as the case view shows it: prices, no unit costs (the
 * merchant's), times as ISO strings. Every opening validates the snapshot, so only a row written
 * around the API (an import, a test fixture) can lack one: that reads as null, not as a 500.
 */
export function orderView(snapshot: unknown) {
  const o = snapshot as Partial<OrderSnapshot> | null;
  if (!o || typeof o.orderId !== 'string' || typeof o.currency !== 'string' || !Array.isArray(o.items) || !isCount(o.shippingFeeMinor, 0) || !isCount(o.paidTotalMinor, 0)) return null;
  const items = o.items.filter((i) => i && typeof i.sku === 'string' && isCount(i.quantity, 1) && isCount(i.unitPriceMinor, 0));
  if (items.length !== o.items.length) return null;
  const at = (ms: unknown) => (isCount(ms, 0) ? new Date(ms).toISOString() : null);
  return {
    orderId: o.orderId,
    currency: o.currency,
    items: items.map((i) => ({ sku: i.sku, name: typeof i.name === 'string' ? i.name : '', quantity: i.quantity, unitPriceMinor: i.unitPriceMinor })),
    shippingFeeMinor: o.shippingFeeMinor,
    paidTotalMinor: o.paidTotalMinor,
    shippedAt: at(o.shippedAt),
    deliveredAt: at(o.deliveredAt),
  };
}
