/**
 * Telling a case something, with one answer for every command: the case id, the stage the case is
 * in *after* the command took effect, its status, and what it now waits for, with the deadline.
 * The workflow's update handler answers before the workflow has moved on, so the answer is read
 * from the workflow's live view right after the command (the same workflow task that ran the
 * handler moved the case to its next stage); once a case has ended, from the read model.
 */
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError, type SignalDefinition, type UpdateDefinition, type WorkflowHandle } from '@temporalio/client';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { recordCaseInput, type NewCaseInput } from '../db/case-inputs.js';
import type { CaseSummary } from '../db/repositories.js';
import { CONSENT_SILENCE, STAGE_WAITS } from '../domain/waiting.js';
import { caseView, caseWorkflowId, INVALID_INPUT, takesSignal } from '../workflows/contract.js';
import { closedCaseMessage, openWorkflow, visibleCase, waitingForView, type ApiDeps } from './context.js';
import { ApiError, conflict } from './errors.js';
import { HeldAtScan } from './held-parcels.js';
import { principalOf } from './auth.js';
import { closeReasonForAnyone, isCustomerFacing, readerOf, waitingForRole } from './customer-view.js';

const Party = Type.Union([Type.Literal('CUSTOMER'), Type.Literal('STOREFRONT'), Type.Literal('WAREHOUSE'), Type.Literal('AGENT'), Type.Literal('COURIER')]);

export const CommandReply = Type.Object(
  {
    caseId: Type.String(),
    stage: Type.String({ description: 'the stage after the command took effect', examples: ['AWAITING_ARRIVAL'] }),
    status: Type.String({ description: 'OPEN, WAITING_CUSTOMER, WAITING_WAREHOUSE, WAITING_COURIER, RESOLVED or CLOSED' }),
    late: Type.Boolean({ description: 'the same-day solution deadline was missed' }),
    waitingFor: Type.Union(
      [
        Type.Object({
          party: Party,
          command: Type.Union([Type.String(), Type.Null()], { description: 'the API call that moves the case on, with this case’s id filled in (a courier’s `{carrier}` is the courier’s own code). For a customer token only where the wait is theirs (`party` CUSTOMER): null for another party’s, a call it cannot make', examples: ['POST /v1/warehouse/arrivals', 'POST /v1/cases/rr-1001/inspection'] }),
          what: Type.String({ description: 'what happens next, as GET /v1/cases/{caseId} says it to the sender: in the case’s `customerLocale` for a customer token or a storefront key, in English for staff, in the case type’s own words (what silence does at a consent is said outright in the case view only)' }),
          deadlineAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when the case stops waiting and acts on its own (reminder, escalation or default outcome)' }),
        }),
        Type.Null(),
      ],
      { description: `who must act next; null while the case works on its own or once it has ended. Stages that wait: ${Object.keys(STAGE_WAITS).join(', ')}` },
    ),
    closeReason: Type.Optional(
      Type.String({
        description:
          'present when the command closed the case (a withdrawal, an agent’s CLOSE): why, as GET /v1/cases/{caseId} says it to the sender — a code (WITHDRAWN …) for a customer token or a storefront key, where an agent’s close reads CLOSED_BY_AGENT; for staff the agent’s note',
        examples: ['WITHDRAWN'],
      }),
    ),
    refundedAmountMinor: Type.Optional(Type.Integer({ description: 'present with closeReason: what the case refunded in all, in minor units of its currency (a withdrawal gives back a price difference paid first; 0 when nothing was)' })),
  },
  { description: 'The answer to every command on a case' },
);
export type CommandReply = Static<typeof CommandReply>;

/** The answer to an arrival scan: a command's answer, and whether the parcel had been scanned in already. */
export const ArrivalReply = Type.Object(
  {
    ...CommandReply.properties,
    alreadyArrived: Type.Optional(
      Type.Object(
        { at: Type.String({ format: 'date-time', description: 'when the first scan took it in' }), by: Type.Optional(Type.String({ description: 'who scanned it then (absent when no clerk was named)' })) },
        { description: 'present when the parcel had been scanned in already (a second scan of the same parcel): nothing was recorded again' },
      ),
    ),
    held: Type.Optional(HeldAtScan),
  },
  { description: 'The answer to an arrival scan' },
);
export type ArrivalReply = Static<typeof ArrivalReply>;

/** The answer to an inspection: a command's answer, and the photos it could not keep, if any. */
export const InspectionReply = Type.Object(
  {
    ...CommandReply.properties,
    evidenceNotKept: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'present only when the case took the inspection but its photos (`evidenceUrls`) could not be stored (the database failed three tries): send them again with POST /v1/cases/{caseId}/evidence, as the inspection itself will not be taken twice',
      }),
    ),
  },
  { description: 'The answer to an inspection' },
);
export type InspectionReply = Static<typeof InspectionReply>;

type Handle = ReturnType<typeof openWorkflow>;

/** What the case waits for after the command, said as the case view says it to the sender (in the customer's language for them and their storefront, in the case type's words). */
async function replyOf(deps: ApiDeps, request: FastifyRequest, c: CaseSummary, handle: Handle, acceptedAt?: string | readonly string[]): Promise<CommandReply> {
  const live = await settledView(handle, acceptedAt);
  if (live && live.status !== 'CLOSED') return replyAt(deps, request, c, live);
  // The command ended the case: the read model has the last word — with why, and what it refunded.
  // The workflow says CLOSED as it writes its last step: that write is waited for (briefly).
  const row = await closedRow(deps, c.id, !!live);
  const closed = row.status === 'CLOSED' && row.closeReason !== null ? { closeReason: (isCustomerFacing(principalOf(request).role) ? closeReasonForAnyone(row.closeReason) : row.closeReason)!, refundedAmountMinor: Number(row.refundedAmountMinor) } : {};
  return live && row.status !== 'CLOSED' ? replyAt(deps, request, c, live) : { caseId: c.id, stage: row.stage, status: row.status, late: row.late, waitingFor: null, ...closed };
}

/** The case's row, once it shows the case closed when `closing` (for up to SETTLE_LIMIT_MS). */
async function closedRow(deps: ApiDeps, caseId: string, closing: boolean): Promise<CaseSummary> {
  const giveUpAt = Date.now() + SETTLE_LIMIT_MS;
  for (let pause = 10; ; pause = Math.min(pause * 2, 100)) {
    const row = (await deps.repos.caseById(caseId))!;
    if (!closing || row.status === 'CLOSED' || Date.now() >= giveUpAt) return row;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** The answer for case `c` at `now`, what it waits for said to the sender. */
async function replyAt(deps: ApiDeps, request: FastifyRequest, c: CaseSummary, now: { stage: string; status: string; late: boolean; stageDeadlineAt?: number | null }): Promise<CommandReply> {
  const { role } = principalOf(request);
  const reader = readerOf(role, c);
  // At a consent whose silence the policy decides, said outright as the case view says it (one read, only there).
  const policy = now.stage === 'AWAITING_CUSTOMER_CONSENT' && CONSENT_SILENCE[c.type] ? await deps.repos.policyVersion(c.merchantId, c.policyVersion) : undefined;
  return { caseId: c.id, stage: now.stage, status: now.status, late: now.late, waitingFor: waitingForRole(role, waitingForView(c.id, now.stage, now.stageDeadlineAt, c.type, reader, policy?.rules)) };
}

/**
 * The case a refused command named, as it is now (its read model, as GET /v1/cases/{caseId} shows
 * it to the sender), for the 409 WRONG_STATE that refuses it (api/errors.ts): a storefront whose
 * customer's answer came at the wrong time can tell them what the case waits for instead, in their
 * language, without asking again. Undefined where the request names no case the sender may see.
 */
export async function refusedCaseNow(deps: ApiDeps, request: FastifyRequest): Promise<CommandReply | undefined> {
  const caseId = (request.params as { caseId?: unknown } | undefined)?.caseId;
  if (typeof caseId !== 'string' || !request.principal) return undefined;
  const c = await visibleCase(deps, request, caseId).catch(() => undefined);
  return c && replyAt(deps, request, c, { ...c, stageDeadlineAt: c.nextDeadlineAt?.getTime() });
}

/**
 * The answer to a command the case had taken already (a second click): the case as it is now — once
 * it has moved on from `answeredAt`, the stages that take the answer, where the first one is still
 * being acted on (two taps at once: the second must not read the case as still asking).
 */
export function caseAsItIs(deps: ApiDeps, request: FastifyRequest, c: CaseSummary, answeredAt?: readonly string[]): Promise<CommandReply> {
  return replyOf(deps, request, c, deps.temporal.workflow.getHandle(caseWorkflowId(c.id)), answeredAt);
}

/** What says a case took an answer: the step it records (of `kinds`) after the step that asked for it, at the stage that takes it. */
export interface AnswerTaken {
  /** The stages the answer is taken at (one per case type): while the read model still shows one, the step may be on its way. */
  stages: readonly string[];
  /** The steps that ask for it (REVISIT_SENT …): only an answer after the last of them is this wait's (a case is revisited again). */
  asked: readonly string[];
  kinds: readonly string[];
  /** Whether the step's data is this very answer. */
  same: (data: Record<string, unknown>) => boolean;
}

/**
 * The answer to a customer's, storefront's or warehouse's answer the case refused for its stage or
 * because it has closed: when the case took this very answer already (a second tap, a webhook or a
 * scanner's report retried without an Idempotency-Key), the case as it is now, as the first one was
 * answered; anything else is refused as before. A different answer after the first stays a 409: the
 * first one stands.
 */
export async function unlessAnsweredAlready(deps: ApiDeps, request: FastifyRequest, c: CaseSummary, answer: Promise<CommandReply>, taken: AnswerTaken): Promise<CommandReply> {
  try {
    return await answer;
  } catch (err) {
    const refusedForWhen = (err instanceof WorkflowUpdateFailedError && !(err.cause instanceof ApplicationFailure && err.cause.type === INVALID_INPUT)) || (err instanceof ApiError && err.code === 'WRONG_STATE');
    const earlier = refusedForWhen ? await answerTakenBefore(deps, c.id, taken) : undefined;
    if (earlier?.same) return caseAsItIs(deps, request, c, taken.stages);
    // Another answer was taken: said so, rather than only that the case has moved on from the stage
    // (a closed case keeps the API's own refusal, which says so and since when).
    if (earlier && !(err instanceof ApiError)) throw new ApiError(409, 'WRONG_STATE', `case ${c.id} took another answer before (${earlier.kind} at ${earlier.at.toISOString()}): the first one stands`);
    throw err;
  }
}

/**
 * The answer the case took to its last ask (its last step of `taken.asked`), and whether it is this one; looked for
 * up to 2 s while the read model still shows the answer's stage. An answer to an earlier ask (the
 * revisit before) is not this wait's: a case reopened since, or waiting for its next revisit, refuses.
 */
async function answerTakenBefore(deps: ApiDeps, caseId: string, taken: AnswerTaken): Promise<{ same: boolean; kind: string; at: Date } | undefined> {
  for (let waited = 0; waited <= 2_000; waited += 50) {
    const timeline = await deps.repos.timeline(caseId);
    let asked = -1;
    timeline.forEach((e, i) => void (taken.asked.includes(e.kind) && (asked = i)));
    const step = asked < 0 ? undefined : timeline.slice(asked + 1).find((e) => taken.kinds.includes(e.kind));
    if (step) return { same: taken.same((step.data ?? {}) as Record<string, unknown>), kind: step.kind, at: step.at };
    const c = await deps.repos.caseById(caseId);
    if (!c || !taken.stages.includes(c.stage)) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/** How long a command's answer waits for the case to move on before it answers with the case as it is. */
const SETTLE_LIMIT_MS = 5_000;

/**
 * The case's live view once the command has taken effect. An update is accepted at a stage
 * (`acceptedAt`), but the workflow may still be busy with the step before (a projection write or a
 * notification it is awaiting) and only leaves that stage when that is done. So while the view
 * still shows the accepted stage, the answer waits, as long as the workflow has something in flight
 * (a workflow task or an activity); a case with nothing in flight is settled where it is.
 */
async function settledView(handle: Handle, acceptedAt: string | readonly string[] | undefined) {
  const giveUpAt = Date.now() + SETTLE_LIMIT_MS;
  const stages = acceptedAt === undefined ? [] : [acceptedAt].flat();
  for (let pause = 10; ; pause = Math.min(pause * 2, 100)) {
    const live = await handle.query(caseView).catch(() => undefined);
    if (!live || !stages.includes(live.stage) || Date.now() >= giveUpAt) return live;
    // The command has taken effect: a failure to look closer answers with what the query saw.
    const raw = (await handle.describe().catch(() => undefined))?.raw;
    if (!raw || (!raw.pendingWorkflowTask && !raw.pendingActivities?.length)) return live;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** A command that needs an answer (a workflow update: a wrong stage is refused with a reason). */
export async function runUpdate<Arg>(deps: ApiDeps, request: FastifyRequest, c: CaseSummary, update: UpdateDefinition<{ stage: string }, [Arg]>, arg: Arg): Promise<CommandReply> {
  const handle = deps.temporal.workflow.getHandle(caseWorkflowId(c.id));
  const accepted = await deliver(deps, request, { caseId: c.id, via: 'UPDATE', kind: update.name, workflowId: handle.workflowId, arg }, () => {
    openWorkflow(deps, c); // a closed case refuses it here: recorded as refused
    const send = () => handle.executeUpdate(update, { args: [arg] });
    return send()
      .catch(async (err: unknown) => {
        // Refused for a stage behind the one the case shows: sent again once the workflow caught up.
        if (behindTheReadModel(err, c) && (await caughtUp(handle, c.stage))) return send();
        throw err;
      })
      .catch(async (err: unknown) => {
        throw notTakenByType(err, request, c) ?? (await endedOutsideTheCase(deps, handle, c, err)) ?? err;
      });
  });
  return replyOf(deps, request, c, handle, accepted.stage);
}

/**
 * The workflow refused a command for its stage while the case's read model already shows the stage
 * the command needs. The step writer writes a stage inside the workflow task that enters it; a
 * worker killed before that task completed leaves the read model ahead, and its successor gets the
 * command in the same task that moves the case there again, validated before the move
 * (drill/findings/quality-problem-read-model-ahead.pb).
 */
function behindTheReadModel(err: unknown, c: CaseSummary): boolean {
  const reason = err instanceof WorkflowUpdateFailedError ? (err.cause as Error | undefined)?.message : undefined;
  const stages = reason ? /^the case is at stage (\S+), not (.+)$/.exec(reason) : null;
  return !!stages && stages[1] !== c.stage && stages[2]!.split(' or ').includes(c.stage);
}

/** How long a command waits for the workflow to reach the stage its case shows. */
const CATCH_UP_MS = 5_000;

/** Whether the workflow reaches `stage` within CATCH_UP_MS (its live view, polled). */
async function caughtUp(handle: Handle, stage: string): Promise<boolean> {
  const giveUpAt = Date.now() + CATCH_UP_MS;
  for (let pause = 20; Date.now() < giveUpAt; pause = Math.min(pause * 2, 250)) {
    if ((await handle.query(caseView).catch(() => undefined))?.stage === stage) return true;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  return false;
}

/**
 * A case's workflow has no handler for a command its type never takes (a complaint's resolution
 * sent to a return): the SDK refuses it as "No registered handler for update: resolveComplaint".
 * Said in the API's words instead, naming the case's type and the call.
 */
function notTakenByType(err: unknown, request: FastifyRequest, c: CaseSummary): ApiError | undefined {
  const reason = err instanceof WorkflowUpdateFailedError ? (err.cause as Error | undefined)?.message : undefined;
  return reason?.startsWith('No registered handler for update') ? notTaken(request, c) : undefined;
}

const notTaken = (request: FastifyRequest, c: CaseSummary) =>
  new ApiError(409, 'WRONG_STATE', `case ${c.id} is of type ${c.type}: ${request.method} ${request.url.split('?')[0]} does not apply to it`);

/** A fact the case takes whenever it comes (a signal); answered 202 with the case as it is now. */
export async function sendSignal<Arg>(deps: ApiDeps, request: FastifyRequest, c: CaseSummary, signal: SignalDefinition<[Arg]>, arg: Arg): Promise<CommandReply> {
  const handle = deps.temporal.workflow.getHandle(caseWorkflowId(c.id));
  await deliver(deps, request, { caseId: c.id, via: 'SIGNAL', kind: signal.name, workflowId: handle.workflowId, arg }, () => {
    // Refused before it is sent (and recorded as refused): the workflow would keep it unread.
    if (!takesSignal(signal.name, c)) throw notTaken(request, c);
    openWorkflow(deps, c);
    return handle.signal(signal, arg).catch(async (err: unknown) => {
      throw (await endedOutsideTheCase(deps, handle, c, err)) ?? err;
    });
  });
  return replyOf(deps, request, c, handle);
}

/**
 * A command to a case whose workflow has ended, though the case read open a moment before. Either
 * the case closed meanwhile (a second tap on what closed it — a withdrawal, a revisit answer —
 * sent before the first's answer came): 409 with how the case closed, as for any closed case. Or
 * its workflow ended without the case closing it (terminated or reset from the Temporal UI,
 * failed, timed out): its read model keeps the stage where it stopped, and a command to it was a
 * 404 "case not found" for a case the same API had just shown. Said as it is: 409, with how the
 * workflow ended, when, and why if it was given.
 */
async function endedOutsideTheCase(deps: ApiDeps, handle: WorkflowHandle, c: CaseSummary, err: unknown): Promise<ApiError | undefined> {
  if (!(err instanceof WorkflowNotFoundError) || c.status === 'CLOSED') return undefined;
  const described = await handle.describe().catch(() => undefined);
  const status = described?.status.name;
  if (!status || status === 'RUNNING') return undefined;
  if (status === 'COMPLETED') {
    // The case's last step is written before its workflow completes: the row says how it closed
    // (by its code: the caller may be the customer, who does not read an agent's note).
    const now = await deps.repos.caseById(c.id);
    return conflict(closedCaseMessage(now?.status === 'CLOSED' ? { ...now, closeReason: closeReasonForAnyone(now.closeReason) } : { closeReason: null, closedAt: described.closeTime ?? null }));
  }
  const when = described.closeTime ? ` at ${described.closeTime.toISOString()}` : '';
  return new ApiError(409, 'WRONG_STATE', `case ${c.id}'s workflow has ended ${status}${when} without closing the case: it stopped at stage ${c.stage} and takes no more commands`);
}

// ---- what came in from outside, recorded for the policy what-if (db/case-inputs.ts) ----

/** An input on its way to a workflow; who sent it comes from the request (a courier: `sender`). */
export type Delivery = Pick<NewCaseInput, 'caseId' | 'via' | 'kind' | 'workflowId' | 'arg'> & { sender?: NewCaseInput['sender'] };

/** The reason a workflow (or the case, having ended) refused an input; undefined when it is not known to have refused it. */
export function refusalOf(err: unknown, to: Pick<Delivery, 'caseId' | 'workflowId'>): string | undefined {
  if (err instanceof WorkflowUpdateFailedError) return (err.cause as Error | undefined)?.message ?? err.message;
  // A process of the case's own (its courier claim) may be what ended, not the case's workflow.
  if (err instanceof WorkflowNotFoundError) return to.workflowId === caseWorkflowId(to.caseId) ? 'the case’s workflow has ended' : `its process ${to.workflowId} has ended`;
  if (err instanceof ApiError && err.code === 'WRONG_STATE') return err.message;
  return undefined;
}

/**
 * Sends one input (`send`) and records it with its outcome. The record is written *after* the
 * workflow answered, for three reasons: the outcome (accepted, or refused with the validator's
 * reason) is only known then; a failure to send (Temporal away, a timeout) is not recorded at all —
 * the request fails with 5xx, its Idempotency-Key is released and the retry sends and records it;
 * and the command never waits for, or fails because of, the record. A request answered from its
 * Idempotency-Key never reaches the route, so it is not recorded twice. `at` is when it was sent,
 * on the same clock as the opening's `openedAt`.
 */
export async function deliver<T>(deps: ApiDeps, request: FastifyRequest, input: Delivery, send: () => Promise<T>): Promise<T> {
  const at = new Date(deps.now?.() ?? Date.now());
  let result: T;
  try {
    result = await send();
  } catch (err) {
    const reason = refusalOf(err, input);
    if (reason !== undefined) await recordInput(deps, request, { ...input, at, outcome: 'REFUSED', reason });
    throw err;
  }
  await recordInput(deps, request, { ...input, at, outcome: 'ACCEPTED' });
  return result;
}

/** Tries this often (backing off 50 ms, then 200 ms) before a write after a taken command is given up. */
const AFTER_TAKEN_ATTEMPTS = 3;

/**
 * A write that follows a command the case's workflow has already taken (its input record, the
 * inspection's photos): retried, and never thrown. The command has happened, so its answer must
 * not become a 500 — a retry would be refused as taken, and what the write held would be lost. A
 * write that keeps failing is logged with `context` (what is needed to recover it) and false.
 */
export async function afterTaken(request: FastifyRequest, context: Record<string, unknown>, what: string, write: () => Promise<unknown>): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await write();
      return true;
    } catch (err) {
      if (attempt >= AFTER_TAKEN_ATTEMPTS) {
        // The error's message and code only: a database error's detail can quote the row ("Failing row contains …").
        const { message, code } = err as { message?: string; code?: string };
        request.log.error({ err: { message, code }, ...context }, what);
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 50 * 4 ** (attempt - 1)));
    }
  }
}

/**
 * Writes the record of an input the workflow has already taken, and never throws (`afterTaken`).
 * A write that keeps failing is logged with the case, the input's name and the request id — no
 * argument, it may hold personal data — and the case's workflow history still holds the input (its
 * header `request-id` names the request), which is where a lost record can be recovered from. A
 * crash between the workflow taking the input and this write loses the record the same way.
 */
/** Who sent a request, as its inputs are recorded: the principal's role and id. */
export const senderOf = (request: FastifyRequest) => ({ role: request.principal?.role ?? 'UNKNOWN', id: request.principal?.id ?? null });

export async function recordInput(deps: ApiDeps, request: FastifyRequest, input: Delivery & Pick<NewCaseInput, 'at' | 'outcome' | 'reason'>): Promise<void> {
  const sender = input.sender ?? senderOf(request);
  await afterTaken(request, { caseId: input.caseId, workflowId: input.workflowId, input: input.kind, outcome: input.outcome }, 'case input taken but not recorded', () =>
    recordCaseInput(deps.repos.db, { ...input, sender, requestId: request.id }),
  );
}
