/**
 * What every case workflow shares: the projection of its state into Postgres (through an
 * idempotent activity), customer notifications, the same-day solution deadline, escalation and
 * assignment, waiting for an agent, and the satisfaction revisit (回访). Orchestration only —
 * decisions come from `domain/`.
 */
import { ApplicationFailure, CancellationScope, condition, patched, proxyActivities, proxyLocalActivities, setCurrentDetails, setHandler, sleep, upsertSearchAttributes, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { CaseActivities, CaseSteps, Decision, Transition } from '../activities/contract.js';
import { actingAgentOf } from '../domain/acting-agent.js';
import { caseCurrentDetails } from '../domain/case-details.js';
import { hoursUntilReminder, REMINDERS_BACK_OFF_UP_TO_HOURS } from '../domain/reminders.js';
import { agentActions, isReopenedWait, isSupervisorsAction } from '../domain/waiting.js';
import { atLocalTimeOn, endOfLocalDay, refundOutcome, revisitOutcome, type Policy } from '../domain/index.js';
import {
  actorName,
  answeredBy,
  answerRevisit,
  assign,
  CASE_SEARCH_ATTRIBUTES,
  caseView,
  clearEscalation,
  escalate,
  invalidInput,
  REFUND_STILL_OWED,
  SUPERVISOR_REQUIRED,
  refundPaidAgain,
  refundSentBack,
  resolveByAgent,
  withdrawRequest,
  type AgentResolution,
  type CaseView,
  type EscalationAbout,
  type RevisitAnswer,
  type Withdrawal,
} from './contract.js';

/** The earliest of a step's deadlines, if it sets any. */
function earliest(deadlines: StepFields['deadlines']): number | undefined {
  const set = Object.values(deadlines ?? {}).filter((d): d is number => typeof d === 'number');
  return set.length ? Math.min(...set) : undefined;
}

const HOUR = 3_600_000;
export const hours = (h: number) => h * HOUR;
export const days = (d: number) => d * 24 * HOUR;

const CASE_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    // Business refusals are final; everything else (network, 5xx, database hiccups) is retried.
    nonRetryableErrorTypes: ['REJECTED', 'INVALID_REQUEST', 'NOT_FOUND', 'IDEMPOTENCY_KEY_REUSED'],
  },
} satisfies ActivityOptions & LocalActivityOptions;

export const activities = proxyActivities<CaseActivities>(CASE_ACTIVITY_OPTIONS);

/** The step writer as a local activity (LOCAL_STEPS_PATCH): same timeout, same retries. */
const localWrites = proxyLocalActivities<Pick<CaseActivities, 'recordSteps'>>(CASE_ACTIVITY_OPTIONS);

/**
 * Patch: cases started since search attributes exist keep CaseStage/CaseStatus/CaseLate current
 * (an UpsertWorkflowSearchAttributes command on change); cases started before replay without them.
 */
export const SEARCH_ATTRIBUTES_PATCH = 'case-search-attributes';

/**
 * Patch: cases opened since write their steps and queue their messages in batches — everything a
 * workflow task did, in one `recordSteps` activity that runs while the case goes on — instead of
 * one activity per step and per message, each awaited. Opening a return went from five activities
 * one after another to one. Replayed by the histories in test/workflows/histories/*-batched-*.pb;
 * cases from before replay with `recordTransition` / `notifyCustomer`.
 */
export const BATCHED_STEPS_PATCH = 'batched-case-steps';

/**
 * Patch: cases opened since also keep Escalated and Assignee current and set SolutionDueAt when
 * the same-day deadline is known, so ops can filter on them in the Temporal UI (docs/operations.md).
 * Cases from before replay without these upserts. Replayed by test/workflows/histories/*-ops-*.pb.
 */
export const OPS_SEARCH_ATTRIBUTES_PATCH = 'ops-search-attributes';

/**
 * Patch: cases opened since write each batch of steps in a local activity — run by the worker
 * inside the workflow task that queued it — instead of an activity the server schedules and hands
 * back. It saves a round trip through the server per batch (completion, hand-over, the result's
 * own workflow task): a scanned parcel shows on the case sooner, and the history no longer holds
 * the batch as an activity's input (README, *Batched steps and the notification outbox*: figures
 * and trade-off). Replayed by
 * test/workflows/histories/*-local-*.pb; cases from before write with the `recordSteps` activity.
 */
export const LOCAL_STEPS_PATCH = 'local-case-steps';

/**
 * Patch: cases record an escalation or an assignment as soon as it comes, whatever they wait for.
 * Before, only a wait for an agent recorded them, so one sent while the case waited on the customer,
 * the warehouse or a courier stayed unrecorded — no step, no `escalated`, no assignee on the case
 * row — unless the case later waited for an agent. The marker is written when the first such request
 * comes; histories without it keep recording them in agent waits only. Replayed by
 * test/workflows/histories/return-refund-requests-*.pb.
 */
export const REQUESTS_ANY_STAGE_PATCH = 'requests-any-stage';

/**
 * Patch: a parcel the warehouse scans while the case still waits for the customer's shipment (a
 * customer who sent the goods without telling us the tracking number) ends that wait as the
 * shipment would, and the case goes on to inspection (return-and-refund; the take-back of
 * exchange, quality problem, transit damage and wrong item). Before, the scan was kept unread and
 * the case closed NOT_SHIPPED with the goods in the warehouse. Replayed by
 * test/workflows/histories/*-v8-scanned-before-shipment-*.pb.
 */
export const SCAN_BEFORE_SHIPMENT_PATCH = 'scan-before-shipment';

/**
 * Patch: the days the customer is given to send goods back (`customerShipReturnDays`: a return, a
 * take-back, an exchange's loaned substitute) end with the shop's day — 23:59 in its time zone on
 * the last day — instead of exactly that many × 24 hours after the step, which told customers to
 * ship "by 04:01". The reminder counted back from it moves to the shop's closing time when it would
 * fall in the evening (not a message at 23:59). Deadline and reminder are timers' durations, so runs
 * from before keep theirs: every older history with a return replays the code before it, and
 * test/workflows/histories/*-v15-ship-by-end-of-day-*.pb (a return, an exchange's take-back) the code after.
 */
export const SHIP_BY_END_OF_DAY_PATCH = 'ship-by-end-of-day';

/**
 * Patch: goods asked back are asked for with all the customer needs. The ask names the return code
 * to put in the parcel (the case id, which the warehouse can scan instead of a tracking number):
 * `returnApprovedWithCode`; a take-back's (not a return's) `sendGoodsBackWithCode` also says that
 * not sending closes the request, or `sendOldGoodsBack` that an agent calls when the customer
 * already has the replacement; a take-back reminds a day before, as a return does, and its close
 * no longer calls it a return (`closedGoodsNotSent`); goods that arrive are said to have arrived
 * (`goodsReceived`, as a return's `parcelReceived`), and what their inspection found (`goodsInspected`). An exchange's loan item, once due back, is
 * asked for with where to, by when and its code (`sendLoanBack`; code and address on the
 * SUBSTITUTE_DUE step) and given the return's arrival days after that date before an agent is
 * called (before, the customer heard nothing and the loan had to be inspected by the day it was
 * due to be sent). Replayed by test/workflows/histories/*-v16-send-back-told-*.pb.
 */
export const SEND_BACK_TOLD_PATCH = 'send-back-told';

/**
 * Patch: a case an agent closes tells its customer that, and where to turn if the outcome is unclear
 * (`caseClosedByAgent`; with why when the agent wrote it for the customer, `caseClosedByAgentWithReason`),
 * instead of `caseClosed`'s "completed": an agent closes a return lost on the
 * way, goods never sent back, a count that differs, often with nothing given. Replayed by
 * test/workflows/histories/*-v17-agent-close-told-*.pb.
 */
export const AGENT_CLOSE_TOLD_PATCH = 'agent-close-told';

/**
 * Patch: an agent's resolution that lets the case go on may carry words for the customer
 * (`customerMessage`), sent as `agentDecisionExplained` before the case moves on; before, only a
 * CLOSE took them, and a case resolved after a misuse finding or a low revisit score went on to ask
 * for a rating without a word of what was decided. Replayed by test/workflows/histories/*-v19-agent-word-told-*.pb.
 */
export const AGENT_WORD_TOLD_PATCH = 'agent-word-told';

/**
 * Patch: the revisit says what silence does — the request closes as it stands — and that a low
 * score has it looked at again (`revisitSilenceCloses`); `revisit` asked for a score by a date and
 * left both unsaid. Replayed by test/workflows/histories/*-v19-revisit-silence-*.pb.
 */
export const REVISIT_SILENCE_PATCH = 'revisit-silence-told';

/**
 * Patch: an agent acting on a case nobody was given takes it in the workflow too (domain/acting-agent.ts),
 * as the read model has always had it: the Temporal UI's Assignee named nobody while the console
 * named the agent, so ops filtering by Assignee missed the cases agents were working. Its first
 * such step upserts the attribute. Replayed by test/workflows/histories/*-v20-acting-agent-takes-*.pb.
 */
export const ACTING_AGENT_TAKES_PATCH = 'acting-agent-takes';

/**
 * Patch: an escalation while a case is RESOLVED (waiting out the days before its revisit) reopens it
 * to an agent, escalated, so the supervisors' queue of open escalated cases shows it: a customer who
 * calls back unhappy before the revisit, or staff who find the resolution wrong. Before, the
 * escalation was recorded and the case went on waiting, RESOLVED, in nobody's queue. The marker is
 * written only when such an escalation comes. Replayed by
 * test/workflows/histories/return-refund-v9-escalated-when-resolved-*.pb (before) and -v10- (after).
 */
export const ESCALATION_REOPENS_PATCH = 'escalation-reopens-resolved';

/**
 * Patch: cases opened since let each activation settle before the local step writer takes a batch
 * (`settledActivation`), not only before the first: their batches no longer depend on which
 * workflow task hands the writer's result over. Cases from before keep taking the next batch as
 * soon as the result comes, as their histories were written: when the result came a task late in
 * their first run and on replay alike (the worker answered a query, or heartbeated, while the write
 * ran), that split a batch, and replay must split it the same way. Replayed by
 * test/workflows/histories/*-late-write-*.pb (before) and *-settled-*.pb (after);
 * test/workflows/writer-settles.test.ts hands every settled history's writer results over a task
 * later.
 */
export const WRITER_SETTLES_PATCH = 'writer-settles-each-batch';

/**
 * Patch: a refund the customer's bank sent back while the case is RESOLVED (waiting out the days
 * before its revisit), or before it came to rest and not yet in an agent's hands, reopens it to an
 * agent (REOPENED_ON_REFUND_RETURNED), as an escalation does, but without a second message to the
 * customer: the refund follower has told them already (docs/refund-settlement.md). Before, the case
 * went on to ask a customer still without their money how satisfied they were. The marker is
 * written only when such a refund comes back. Replayed by
 * test/workflows/histories/return-refund-v13-refund-sent-back-unpatched-*.pb (told, before) and
 * return-refund-v14-*refund-sent-back-*.pb (after: in the rest, before it, with an escalation).
 */
export const REFUND_SENT_BACK_REOPENS_PATCH = 'refund-sent-back-reopens';

/**
 * Patch: an escalation, or a refund the bank sent back and not paid again, while the revisit is out
 * stops it and reopens the case to an agent, as either does in the days before the revisit
 * (`restUntilRevisit`). Before, the revisit went on: a customer whose refund had just come back was
 * still waiting to be asked how satisfied they were, and a revisit left unanswered closed the case
 * with its escalation open. The marker is written only when such news comes while the revisit is
 * out. Replayed by test/workflows/histories/return-refund-v22-*-at-revisit-unpatched-*.pb (before)
 * and return-refund-v22-*-at-revisit-*.pb (after).
 */
export const REVISIT_INTERRUPTED_PATCH = 'revisit-interrupted';

/**
 * Patch: reminders nobody answers come further apart when the policy reminds more often than daily
 * (domain/reminders.ts): each twice the one before, up to a day. Before, a one-hour policy reminded
 * every hour for as long as the wait lasted — a forgotten case grew its history by 8,760 steps a
 * year, and a what-if run on 3-minute reminders sat at 0 % through its 120-day run-on. The marker is
 * written at a wait's second reminder, only under such a policy: the daily default never writes it;
 * a wait under way when this code came backs off from its first turn run live.
 * Replayed by test/workflows/histories/complaint-v27-reminders-back-off-*.pb (after; its -unpatched
 * twin, before).
 */
export const REMINDERS_BACK_OFF_PATCH = 'reminders-back-off';

/** The sessions of this workflow run (the SDK gives every run its own copy of workflow modules). */
const sessions: CaseSession[] = [];

/**
 * Wraps a case workflow so that, however it ends — returning, failing on a refusal, cancelled —
 * the steps and messages still queued by its session are written first. A case that fails keeps
 * the timeline and read model of what it did up to the failure. Adds no command when nothing is
 * queued (every successful end already waited for its last writes).
 */
export function caseWorkflow<A extends unknown[], R>(run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  const flushAll = () => CancellationScope.nonCancellable(() => Promise.all(sessions.map((s) => s.flush())));
  return async (...args: A) => {
    let result: R;
    try {
      result = await run(...args);
    } catch (err) {
      await flushAll().catch(() => undefined); // the workflow's own failure is what it ends with
      throw err;
    }
    await flushAll();
    return result;
  };
}

export type StepFields = Omit<Transition, 'caseId' | 'stepKey' | 'kind' | 'version' | 'stage'>;

/**
 * Resolves once the workflow code has gone as far as the current activation lets it: the
 * microtasks queued so far have run, and conditions are checked only between microtask runs.
 *
 * The step writer waits for it before taking a batch, so a batch holds every step its activation
 * queued, whatever order the activation's jobs came in. Which activation brings a local activity's
 * result is not always the same on replay: a worker answering queries the moment a write finishes
 * records the write's marker with that workflow task but hands the result to the workflow only in
 * the next one, beside that task's own news (a child started, a timer fired); on replay the result
 * comes with its marker. A writer that went on at once took, in the first run, the one step the
 * news had queued so far, and on replay nothing, and the case's next replay failed
 * (drill/findings/lost-parcel-local-activity-6.pb; docs/operations.md, *A case whose replay failed*).
 */
function settledActivation(): Promise<void> {
  let settled = false;
  void Promise.resolve().then(() => (settled = true));
  return condition(() => settled);
}

/** Waits for `ready` until `deadline` (absolute workflow time); true if it became ready in time. */
export function waitUntil(ready: () => boolean, deadline: number): Promise<boolean> {
  if (ready()) return Promise.resolve(true);
  const ms = deadline - Date.now();
  if (ms <= 0) return Promise.resolve(false);
  return condition(ready, ms);
}

export type ClosedByRevisit = 'CLOSED_SATISFIED' | 'CLOSED_UNANSWERED' | 'CLOSED_BY_AGENT';

/**
 * One case's session inside its workflow: the stage it is at, the read-model projection of every
 * step, and the handlers every case type answers (escalate, assign, revisit, agent resolution).
 */
export class CaseSession {
  stage: string;
  private seq = 0;
  private readonly view: CaseView;
  /** Escalations and the last assignment asked for and not yet recorded, with who asked (the step's actor). */
  private readonly escalations: Array<{ actor: string; reason: string; about?: EscalationAbout }> = [];
  /** How many escalations have been recorded as steps (a wait that an escalation ends counts them). */
  private escalationsRecorded = 0;
  private reassignedTo: { actor: string; agentId: string } | undefined;
  /** Escalations a supervisor has dealt with (clearEscalation), to record as steps. */
  private readonly clearings: Array<{ actor: string; note: string }> = [];
  private revisitAnswer: RevisitAnswer | undefined;
  /** Refunds the bank sent back, by id: the follower may tell the case of one twice (a retry). */
  private readonly refundsSentBack = new Set<string>();
  /** How many of them a reopening has taken into account (an agent had the case while they were owed). */
  private refundsReopenedFor = 0;
  /** Those of them paid again since (told by the payment again's step): nothing to reopen the case for. */
  private readonly refundsPaidAgain = new Set<string>();
  private agentResolution: AgentResolution | undefined;
  private published = { stage: '', status: '', late: false, escalated: false, assignee: '' };
  private readonly batched: boolean;
  private readonly localWriter: boolean;
  /** WRITER_SETTLES_PATCH: the local writer waits for its activation to settle before every batch. */
  private readonly settlesEachBatch: boolean;
  private readonly opsAttributes: boolean;
  /**
   * The first agent whose own act is among the case's steps (domain/acting-agent.ts), as the read
   * model counts it: a case running when ACTING_AGENT_TAKES_PATCH came takes the agent who acted
   * first, before the patch, not the next one. Workflow state only.
   */
  private firstActingAgent: string | null = null;
  private solutionDueAt: number | undefined;
  /** The step that began the current agent wait: which actions it takes (agentActions). */
  private agentWaitKind: string | undefined;
  /** The current agent wait's own refusals of a resolution (a validator's, beside the action table's). */
  private agentWaitRefuses: ((r: AgentResolution) => void) | undefined;
  /** Whether the solution has been given (the case type's own test, from watchSolutionDeadline) and when it was first seen so. */
  private solved: (() => boolean) | undefined;
  private solutionGivenAt: number | undefined;
  /** How many stages were entered, and at which of them a command was taken (see `taken`). */
  private stageEntry = 0;
  private answeredEntry = -1;
  private pending: Omit<CaseSteps, 'caseId'> = { transitions: [], notifications: [] };
  private writer: Promise<void> | undefined;
  private writeFailure: unknown;
  /**
   * Money the case holds that is the customer's once an agent closes it (an exchange's price
   * difference paid for a replacement that never reached them): paid back before the CLOSED step,
   * which says what it came to. Set by the case type; none by default.
   */
  beforeAgentClose: (() => Promise<number>) | undefined;

  constructor(
    readonly caseId: string,
    readonly policy: Policy,
    /** The case input's `openedBy` (contract.ts OpenedBy): the actor of its OPENED step. */
    private readonly openedBy?: string,
    /** The case's customer: the actor of the steps their own answers make (a revisit's score). */
    private readonly customerId?: string,
  ) {
    this.stage = 'OPENED';
    this.batched = patched(BATCHED_STEPS_PATCH);
    this.localWriter = this.batched && patched(LOCAL_STEPS_PATCH);
    this.opsAttributes = patched(OPS_SEARCH_ATTRIBUTES_PATCH);
    this.settlesEachBatch = this.localWriter && patched(WRITER_SETTLES_PATCH);
    sessions.push(this);
    this.view = { caseId, stage: this.stage, status: 'OPEN', late: false, escalated: false, deadlines: {} };
    setHandler(caseView, () => ({ ...this.view, stage: this.stage, deadlines: { ...this.view.deadlines } }));
    setHandler(escalate, (e) => void this.escalations.push({ actor: actorName(e.by), reason: e.reason, ...(e.about ? { about: e.about } : {}) }));
    setHandler(assign, (a) => void (this.reassignedTo = { actor: actorName(a.by), agentId: a.agentId }));
    // Adds a step only when such a signal comes: histories without one replay as before.
    setHandler(clearEscalation, (c) => void this.clearings.push({ actor: actorName(c.by), note: c.note }));
    // Acted on when the case rests before its revisit, or comes to (restUntilRevisit); before that
    // the read model's escalation and worklist carry it (the case is with people already).
    setHandler(refundSentBack, (r) => void this.refundsSentBack.add(r.refundId));
    setHandler(refundPaidAgain, (r) => void this.refundsPaidAgain.add(r.returnedRefundId));
    setHandler(answerRevisit, (a) => ((this.revisitAnswer = a), this.taken()), {
      validator: (a) => {
        this.requireStage('AWAITING_REVISIT');
        if (!Number.isInteger(a.score) || a.score < 1 || a.score > 5) throw invalidInput('score', 'score must be a whole number from 1 to 5');
      },
    });
    setHandler(resolveByAgent, (r) => ((this.agentResolution = r), this.taken()), {
      validator: (r) => {
        this.requireStage('AWAITING_AGENT');
        // CONTINUE where a refund must be chosen would refund what came back without saying so; a
        // refund action where none is owed (asOffered: from the API) would go on and refund nothing.
        const allowed = agentActions(this.agentWaitKind ?? '');
        if (!allowed.includes(r.action) && (r.action === 'CONTINUE' || r.asOffered)) throw invalidInput('action', `this wait (${this.agentWaitKind}) takes ${allowed.join(', ')}`);
        if (r.action === 'CONTINUE' && r.refundsSentBackSeen && isReopenedWait(this.agentWaitKind)) this.requireNoRefundUnseen(r.refundsSentBackSeen);
        this.agentWaitRefuses?.(r);
        if (r.rolesChecked && r.by.kind === 'agent' && isSupervisorsAction(this.agentWaitKind, r.action)) {
          throw ApplicationFailure.create({ type: SUPERVISOR_REQUIRED, nonRetryable: true, message: `this wait (${this.agentWaitKind}) leaves ${r.action} to a supervisor` });
        }
      },
    });
    void this.recordRequestsAsTheyCome();
  }

  /**
   * Escalations and assignments, recorded when they come (REQUESTS_ANY_STAGE_PATCH). Woken before
   * an agent wait is (its condition was registered first); in a history from before the patch it
   * stops at the first request and leaves them to the agent waits, as that history did.
   */
  private async recordRequestsAsTheyCome(): Promise<void> {
    for (;;) {
      await condition(() => this.hasRequests);
      if (!patched(REQUESTS_ANY_STAGE_PATCH)) return;
      await this.recordRequests();
    }
  }

  /**
   * A refund sent back that the workflow heard of after the API's guard read the timeline (the
   * follower's signal between the two), and not paid again: the agent resolving the reopened case
   * did not know of it. Refused, as the guard would have, instead of counting it as seen to.
   */
  private requireNoRefundUnseen(seen: readonly string[]): void {
    const unseen = [...this.refundsSentBack].filter((id) => !seen.includes(id) && !this.refundsPaidAgain.has(id));
    if (unseen.length) {
      throw ApplicationFailure.create({ type: REFUND_STILL_OWED, nonRetryable: true, message: `the customer's bank sent back refund ${unseen.join(', ')} just now, not paid again yet: pay it again first, or CLOSE the case` });
    }
  }

  /**
   * Who answered a revisit, as the step's actor: the staff who entered it for the customer, or the
   * customer (as a return's consent names them: contract.ts answeredBy). A step's actor is an
   * activity's input: no patch.
   */
  private answeredBy(answer: RevisitAnswer | undefined): { actor?: string } {
    if (answer?.by) return { actor: actorName(answer.by) };
    return answer && this.customerId ? { actor: `customer:${this.customerId}` } : {};
  }

  /** Read through a method: TypeScript cannot see that handlers change the field during an await. */
  private currentAgentResolution(): AgentResolution | undefined {
    return this.agentResolution;
  }

  /** Read through a method: TypeScript cannot see that handlers change the field during an await. */
  private currentRevisitAnswer(): RevisitAnswer | undefined {
    return this.revisitAnswer;
  }

  /** Update validators call this: a command for another stage is refused before it reaches history. */
  requireStage(expected: string | readonly string[]): void {
    const stages = typeof expected === 'string' ? [expected] : expected;
    if (!stages.includes(this.stage)) throw new Error(`the case is at stage ${this.stage}, not ${stages.join(' or ')}`);
    if (this.answeredEntry === this.stageEntry) throw new Error(`the case at stage ${this.stage} has taken a command already and is acting on it`);
  }

  /**
   * An update handler's answer: the stage, and the stage's wait answered. Two commands sent at
   * once both passed their validators before either was acted on — an approval and a rejection,
   * scores 1 and 5, two inspections — and the workflow acted on one while the API told both they
   * were taken. A second one at the same stage now fails `requireStage`. Handlers run again on
   * replay, validators do not: the mark is rebuilt from history.
   */
  taken(): { stage: string } {
    this.answeredEntry = this.stageEntry;
    return { stage: this.stage };
  }

  /**
   * Takes the customer's withdrawal (withdrawRequest) when `validate` lets it through, once per stage
   * entry as every answer (taken): the caller's waits end on the withdrawal it returns, and the caller
   * closes the case with it (closeWithdrawn). A new update: a history without one replays as written.
   */
  takeWithdrawal(validate: () => void): () => Withdrawal | undefined {
    let withdrawal: Withdrawal | undefined;
    setHandler(withdrawRequest, (w) => ((withdrawal = w), this.taken()), { validator: (_w) => validate() });
    return () => withdrawal;
  }

  /** takeWithdrawal at `stages`, before anything was sent, paid or answered there; `alsoRequire` checks what the stage alone cannot tell. */
  takeWithdrawalAt(stages: readonly string[], alsoRequire?: () => void): () => Withdrawal | undefined {
    return this.takeWithdrawal(() => {
      this.requireStage(stages);
      alsoRequire?.();
    });
  }

  /** Records a step: timeline event + read-model update; the step key makes a retried write a no-op. */
  async step(kind: string, fields: StepFields = {}): Promise<void> {
    if (kind === 'OPENED' && fields.actor === undefined && this.openedBy) fields = { ...fields, actor: this.openedBy };
    this.seq += 1;
    const v = this.view;
    // A step that sets a deadline in a stage that had none gives the stage its deadline (a parcel
    // sent again: the delivery is followed until deliveryDueAt); so does one that sets a new
    // deadline once the stage's own has passed (refunded at the interception deadline, the parcel
    // is awaited until arrivalDueAt; the warehouse reminded, dispatch is due again). Otherwise a
    // case would say it waits until a time already gone. Query state and activity input only.
    const stepDeadline = earliest(fields.deadlines);
    if (stepDeadline !== undefined && (v.stageDeadlineAt === undefined || v.stageDeadlineAt <= Date.now())) v.stageDeadlineAt = stepDeadline;
    if (fields.status) v.status = fields.status;
    if (fields.late !== undefined) v.late = fields.late;
    if (fields.escalated !== undefined) v.escalated = fields.escalated;
    this.firstActingAgent ??= actingAgentOf({ kind, actor: fields.actor });
    if (fields.assigneeId !== undefined) v.assigneeId = fields.assigneeId;
    else if (!v.assigneeId && this.firstActingAgent && patched(ACTING_AGENT_TAKES_PATCH)) v.assigneeId = this.firstActingAgent;
    if (fields.deadlines) Object.assign(v.deadlines, fields.deadlines);
    if (patched(SEARCH_ATTRIBUTES_PATCH)) this.publishSearchAttributes();
    this.showDetails();
    const transition: Transition = {
      ...fields,
      stage: this.stage,
      status: v.status,
      deadlines: { ...v.deadlines },
      // The deadline of the stage the case is in (set by enter()): what it waits for until. An
      // activity's input, not a command: replay is unaffected.
      stageDeadlineAt: v.stageDeadlineAt ?? null,
      caseId: this.caseId,
      stepKey: `${this.seq}:${kind}`,
      kind,
      version: this.seq,
    };
    if (!this.batched) {
      this.withSolutionGiven([transition]);
      return activities.recordTransition(transition);
    }
    this.pending.transitions.push(transition);
    await this.queued();
  }

  /**
   * Starts the writer if it is idle. It first lets the rest of this workflow task's steps join the
   * batch (a condition without a timeout adds no command). While its activity runs, later steps
   * gather for the next batch.
   * A closed case waits for its last steps to be written: the workflow ends right after.
   */
  private async queued(): Promise<void> {
    if (this.writeFailure) throw this.writeFailure;
    if (!this.writer) this.writer = this.writeBatches();
    if (this.view.status === 'CLOSED') {
      await condition(() => !this.writer);
      if (this.writeFailure) throw this.writeFailure;
    }
  }

  /** Upserts only what changed, so a step that moves nothing adds no command. */
  private publishSearchAttributes(): void {
    const now = { stage: this.stage, status: this.view.status, late: this.view.late, escalated: this.view.escalated, assignee: this.view.assigneeId ?? '' };
    const p = this.published;
    const { CaseStage, CaseStatus, CaseLate, Escalated, Assignee } = CASE_SEARCH_ATTRIBUTES;
    const changes = [
      ...(now.stage !== p.stage ? [{ key: CaseStage, value: now.stage }] : []),
      ...(now.status !== p.status ? [{ key: CaseStatus, value: now.status }] : []),
      ...(now.late !== p.late ? [{ key: CaseLate, value: now.late }] : []),
      ...(this.opsAttributes && now.escalated !== p.escalated ? [{ key: Escalated, value: now.escalated }] : []),
      ...(this.opsAttributes && now.assignee !== p.assignee ? [{ key: Assignee, value: now.assignee }] : []),
    ];
    if (changes.length) upsertSearchAttributes(changes);
    this.published = now;
  }

  /** The case as the Temporal UI shows it under "Current details" (a query answer: no command). */
  private showDetails(): void {
    const v = this.view;
    setCurrentDetails(
      caseCurrentDetails({ stage: this.stage, status: v.status, late: v.late, escalated: v.escalated, assigneeId: v.assigneeId, stageDeadlineAt: v.stageDeadlineAt, solutionDueAt: this.solutionDueAt }),
    );
  }

  /** Moves to `stage` and records why. */
  async enter(stage: string, kind: string, fields: StepFields = {}): Promise<void> {
    this.stage = stage;
    this.stageEntry += 1;
    // The deadline this stage set (the earliest, when it set several): what a command's answer
    // reports as "waiting until". Query state only: no command changes, so no patch is needed.
    // A wait with no deadline of its own (an agent's decision) still runs against the same-day
    // solution deadline while the solution is owed: that is when the case escalates on its own.
    this.view.stageDeadlineAt = earliest(fields.deadlines) ?? this.owedSolutionDueAt();
    await this.step(kind, fields);
  }

  /** The same-day solution deadline while the solution is still owed and the deadline ahead. */
  private owedSolutionDueAt(): number | undefined {
    return this.solutionDueAt !== undefined && this.solutionDueAt > Date.now() && !this.solved?.() ? this.solutionDueAt : undefined;
  }

  /**
   * Stamps the steps about to be written with when the solution was given, once it has been (the
   * case type's own test, `solved`, from watchSolutionDeadline): the read model then tells a case
   * still owed its solution from one that has it and waits on the customer or a parcel. Checked
   * when a batch is written, after everything of its workflow task ran, so it also covers a
   * solution given just after the step that carries it; the time is that workflow task's. An
   * activity's input, not a command (like stageDeadlineAt): replay is unaffected, no patch.
   */
  private withSolutionGiven(transitions: Transition[]): void {
    if (this.solutionGivenAt === undefined && this.solved?.()) this.solutionGivenAt = Date.now();
    if (this.solutionGivenAt !== undefined) for (const t of transitions) t.solutionGivenAt = this.solutionGivenAt;
  }

  /**
   * The opening's "a solution by …" (caseOpenedSolutionBy), when the solution came in the same
   * workflow task with a message of its own (a return approved by policy), is not sent: the customer
   * read both in the same second, a promise and what kept it. Which messages a batch carries is an
   * activity's input, not a command: no patch.
   */
  private withoutSpentPromise(batch: Omit<CaseSteps, 'caseId'>): void {
    if (this.solutionGivenAt === undefined) return;
    const kept = batch.notifications.filter((n) => n.template !== 'caseOpenedSolutionBy');
    // Only beside another message (the solution's): the customer is never left without a word.
    if (kept.length && kept.length < batch.notifications.length) batch.notifications = kept;
  }

  private async writeBatches(): Promise<void> {
    try {
      for (let first = true; ; first = false) {
        // The first batch waits for the rest of its workflow task's steps; since WRITER_SETTLES_PATCH
        // the local writer waits so before every batch (`settledActivation` says why).
        if (first || this.settlesEachBatch) await settledActivation();
        const batch = this.pending;
        // Checked and cleared in one go, so a step queued from here on starts a new writer.
        if (!batch.transitions.length && !batch.notifications.length) return void (this.writer = undefined);
        this.pending = { transitions: [], notifications: [] };
        this.withSolutionGiven(batch.transitions);
        this.withoutSpentPromise(batch);
        // The batch's first step names it, so a batch that keeps failing marks the case stuck on it.
        const stepKey = `${(batch.transitions[0] ?? batch.notifications[0])!.stepKey}:batch`;
        try {
          await (this.localWriter ? localWrites : activities).recordSteps({ caseId: this.caseId, stepKey, ...batch });
        } catch (err) {
          // Back in front of what came since: a flush after a failure or a cancellation writes it again (idempotently).
          this.pending = { transitions: [...batch.transitions, ...this.pending.transitions], notifications: [...batch.notifications, ...this.pending.notifications] };
          throw err;
        }
      }
    } catch (err) {
      this.writeFailure = err;
      this.writer = undefined;
    }
  }

  /** Writes whatever is still queued and waits for it (a case ending, also by failure or cancellation). */
  async flush(): Promise<void> {
    if (!this.batched) return;
    this.writeFailure = undefined;
    if (!this.writer && (this.pending.transitions.length || this.pending.notifications.length)) this.writer = this.writeBatches();
    await condition(() => !this.writer);
    if (this.writeFailure) throw this.writeFailure;
  }

  async notify(template: string, params: Record<string, unknown> = {}): Promise<void> {
    this.seq += 1;
    const notification = { caseId: this.caseId, stepKey: `${this.seq}:notify:${template}`, template, params };
    if (!this.batched) return activities.notifyCustomer(notification);
    this.pending.notifications.push(notification);
    await this.queued();
  }

  /** A stable key for a money or document step: a retry or a replay never pays or files twice. */
  key(step: string): string {
    return `${this.caseId}:${step}`;
  }

  decision(rule: string, values: Record<string, unknown>, outcome: string): Decision {
    return { rule, values, policyVersion: this.policy.version, outcome };
  }

  /**
   * The resolution's decision when a refund came to less than asked: other cases of the order were
   * refunded first (CAPPED, or NOTHING_LEFT). None when it was paid in full.
   */
  refundShortOf(rule: string, askedMinor: number, grantedMinor: number): { decision?: Decision } {
    return grantedMinor < askedMinor ? { decision: this.decision(rule, { refundMinor: askedMinor, grantedMinor }, refundOutcome(askedMinor, grantedMinor)) } : {};
  }

  /**
   * Same-day solution (003 §8): the case must have a proposed solution by `deadline`. On breach it
   * is marked late and escalated to a supervisor and the customer gets an apology; the workflow
   * keeps waiting — a breach changes who looks at the case, not what happens next.
   */
  async watchSolutionDeadline(deadline: number, solved: () => boolean, values: Record<string, unknown>): Promise<void> {
    this.solutionDueAt = deadline;
    this.solved = solved;
    if (this.opsAttributes) upsertSearchAttributes([{ key: CASE_SEARCH_ATTRIBUTES.SolutionDueAt, value: new Date(deadline) }]);
    this.showDetails();
    if (await waitUntil(solved, deadline)) {
      // Woken in the workflow task that gave it: its time, even if no step is written then.
      this.solutionGivenAt ??= Date.now();
      return;
    }
    // The reading of "same day" the deadline was computed under belongs to the decision's values (policies before it: the business day).
    const sameDayMeans = this.policy.rules.sameDayMeans ?? 'BUSINESS_DAY';
    await this.step('SLA_BREACHED', { late: true, escalated: true, decision: this.decision('sameDaySolution', { ...values, sameDayMeans }, 'BREACHED') });
    await this.apologiseForLateness();
  }

  /** Whether the customer has been told the promised time passed (caseEscalated): said once per case. */
  private apologisedForLateness = false;
  /**
   * The message that says so: the after-sales request's, or another the case type names its case by
   * (a complaint is a complaint to its customer, not an after-sales request). An activity's input: no patch.
   */
  lateApology = 'caseEscalated';
  /** Tells the customer the time promised them passed and a supervisor has the case (once). */
  async apologiseForLateness(): Promise<void> {
    if (this.apologisedForLateness) return;
    this.apologisedForLateness = true;
    await this.notify(this.lateApology, {});
  }

  /** Records the escalations and the assignment asked for since the last call. */
  async recordRequests(): Promise<void> {
    for (let e = this.escalations.shift(); e; e = this.escalations.shift()) {
      // `about`: the step's data (an activity's input), so no patch.
      await this.step('ESCALATED', { actor: e.actor, escalated: true, data: { reason: e.reason, ...(e.about ? { about: e.about } : {}) } });
      this.escalationsRecorded += 1;
    }
    if (this.reassignedTo !== undefined) {
      const { actor, agentId } = this.reassignedTo;
      this.reassignedTo = undefined;
      await this.step('ASSIGNED', { actor, assigneeId: agentId, data: { assigneeId: agentId } });
    }
    for (let c = this.clearings.shift(); c; c = this.clearings.shift()) {
      await this.step('ESCALATION_CLEARED', { actor: c.actor, escalated: false, data: { note: c.note } });
    }
  }

  get hasRequests(): boolean {
    return this.escalations.length > 0 || this.reassignedTo !== undefined || this.clearings.length > 0;
  }

  /**
   * Waits for `ready`, recording escalations meanwhile and reminding (escalating) every
   * `reminderHours`. `lookAgain`, when given, runs when a reminder is due, before it: what it finds
   * may make the wait `ready` (a tracking inquiry's order cancelled meanwhile), and then no reminder is sent.
   */
  async waitWithReminders(ready: () => boolean, reminderKind: string, lookAgain?: () => Promise<void>): Promise<void> {
    const every = this.policy.rules.agentReminderHours;
    let reminded = 0;
    let backOff: boolean | undefined;
    while (!ready()) {
      // Asked each turn, not once per wait: a wait under way when this code came replays its turns
      // without the marker (false) and backs off from its first turn run live (true, the marker there).
      if (reminded > 0 && every < REMINDERS_BACK_OFF_UP_TO_HOURS) backOff = patched(REMINDERS_BACK_OFF_PATCH);
      const remindAt = Date.now() + hours(backOff ? hoursUntilReminder(every, reminded) : every);
      await waitUntil(() => ready() || this.hasRequests, remindAt);
      await this.recordRequests();
      if (!ready() && Date.now() >= remindAt) await lookAgain?.();
      if (!ready() && Date.now() >= remindAt) {
        await this.step(reminderKind, { escalated: true });
        reminded++;
      }
    }
  }

  /**
   * When `n` days given to the customer to send goods back end, and when to remind them `h` hours
   * before (SHIP_BY_END_OF_DAY_PATCH). Behind the patch the reminder, counted back from 23:59, is
   * moved to the shop's closing time of its day when it would fall in the evening: a reminder at
   * 23:59 the night before is a message at midnight. With no hours before, it is the deadline itself.
   */
  customerShipDeadline(n: number): { dueAt: number; reminderAt: (h: number) => number } {
    const exact = Date.now() + days(n);
    if (!patched(SHIP_BY_END_OF_DAY_PATCH)) return { dueAt: exact, reminderAt: (h) => exact - hours(h) };
    const cal = this.policy.businessHours;
    const dueAt = endOfLocalDay(cal, exact);
    return { dueAt, reminderAt: (h) => (h > 0 ? Math.min(dueAt - hours(h), atLocalTimeOn(cal, dueAt - hours(h), cal.close)) : dueAt) };
  }

  /**
   * Hands the case to an agent (stage AWAITING_AGENT) and waits for their resolution. `refuses`
   * throws for a resolution this case cannot take although its wait's kind does (run by the
   * update's validator: a refusal writes nothing into the history, so no patch).
   */
  async waitForAgent(kind: string, fields: StepFields = {}, refuses?: (r: AgentResolution) => void): Promise<AgentResolution> {
    return (await this.waitForAgentUnless(kind, () => false, fields, refuses))!;
  }

  /** Whether the case waits for an agent at the wait `kind` began (a handler's validator asks: another input may end it). */
  awaitsAgent(kind: string): boolean {
    return this.stage === 'AWAITING_AGENT' && this.agentWaitKind === kind && this.answeredEntry !== this.stageEntry;
  }

  /**
   * waitForAgent, ended without an agent's resolution when `unless` comes true first (what the agent
   * was to decide happened meanwhile: a price difference paid late): then undefined, and no
   * AGENT_RESOLVED step.
   */
  async waitForAgentUnless(kind: string, unless: () => boolean, fields: StepFields = {}, refuses?: (r: AgentResolution) => void): Promise<AgentResolution | undefined> {
    this.agentResolution = undefined;
    this.agentWaitKind = kind;
    this.agentWaitRefuses = refuses;
    // A wait with no deadline of its own once the solution is given (a count that differs, a reopened
    // case) is due when its first reminder escalates it: the queue sorts it by that, not last.
    const due = fields.deadlines || this.owedSolutionDueAt() ? {} : { deadlines: { agentDueAt: Date.now() + hours(this.policy.rules.agentReminderHours) } };
    await this.enter('AWAITING_AGENT', kind, { status: 'OPEN', escalated: true, ...due, ...fields });
    await this.waitWithReminders(() => !!this.agentResolution || unless(), 'AGENT_REMINDER');
    const r = this.currentAgentResolution();
    if (!r) return undefined;
    // What the customer was told, beside the staff's note: the timeline shows both to the staff.
    await this.step('AGENT_RESOLVED', { actor: actorName(r.by), data: { action: r.action, note: r.note, ...(r.customerMessage?.trim() ? { customerMessage: r.customerMessage.trim() } : {}) } });
    // A CLOSE says it in the closing message (closeByAgent).
    if (r.action !== 'CLOSE' && r.customerMessage?.trim() && patched(AGENT_WORD_TOLD_PATCH)) await this.notify('agentDecisionExplained', { message: customerWords(r.customerMessage) });
    return r;
  }

  /**
   * The customer took the request back before anything was sent or refunded: closed WITHDRAWN, with
   * their reason, and told so by `message` (what becomes of the order differs by type).
   */
  async closeWithdrawn(w: Withdrawal, message: string, fields: Pick<StepFields, 'refundedAmountMinor'> = {}): Promise<'WITHDRAWN'> {
    await this.enter('CLOSED', 'WITHDRAWN', { status: 'CLOSED', closeReason: 'WITHDRAWN', actor: answeredBy(w.by, this.customerId ?? ''), data: w.reason ? { comment: w.reason } : {}, ...fields });
    await this.notify(message, { caseId: this.caseId });
    return 'WITHDRAWN';
  }

  async closeByAgent(resolution: AgentResolution): Promise<'CLOSED_BY_AGENT'> {
    const refundedMinor = (await this.beforeAgentClose?.()) ?? 0;
    await this.enter('CLOSED', 'CLOSED_BY_AGENT', { status: 'CLOSED', closeReason: resolution.note ?? 'closed by agent', ...(refundedMinor ? { refundedAmountMinor: refundedMinor } : {}) });
    if (!patched(AGENT_CLOSE_TOLD_PATCH)) await this.notify('caseClosed', {});
    else if (resolution.customerMessage) await this.notify('caseClosedByAgentWithReason', { reason: customerWords(resolution.customerMessage) });
    else await this.notify('caseClosedByAgent', {});
    return 'CLOSED_BY_AGENT';
  }

  /**
   * After resolution: wait the policy's days, ask for satisfaction 1–5; ≤ 2 reopens the case to an
   * agent (and is revisited again after they resolve it); no answer in the window closes it as
   * unanswered.
   */
  async revisit(): Promise<ClosedByRevisit> {
    const rules = this.policy.rules;
    for (;;) {
      const interrupted = await this.restUntilRevisit(days(rules.revisitAfterDays));
      if (interrupted) {
        // A refund sent back: the customer heard of it from the follower, with what happens next.
        if (interrupted === 'ESCALATED') await this.notify('caseReopenedByStaff', {});
        const closed = await this.reopenToAgent(interrupted === 'ESCALATED' ? 'REOPENED_ON_ESCALATION' : 'REOPENED_ON_REFUND_RETURNED');
        if (closed) return closed;
        continue;
      }
      const revisitDueAt = Date.now() + days(rules.revisitAnswerDays);
      this.revisitAnswer = undefined;
      await this.enter('AWAITING_REVISIT', 'REVISIT_SENT', { status: 'WAITING_CUSTOMER', deadlines: { revisitDueAt } });
      await this.notify(patched(REVISIT_SILENCE_PATCH) ? 'revisitSilenceCloses' : 'revisit', { answerBy: revisitDueAt });
      const asked = { escalations: this.escalationsRecorded, refunds: this.refundsSentBack.size };
      // The customer's answer, once given, is acted on as before, whatever came with it.
      const stoppedBy = () => (this.currentRevisitAnswer() ? undefined : this.revisitStoppedBy(asked));
      const answered = await waitUntil(() => !!this.revisitAnswer || !!stoppedBy(), revisitDueAt);
      const stopped = stoppedBy();
      if (stopped) {
        if (stopped === 'ESCALATED') await this.notify('caseReopenedByStaff', {});
        const closed = await this.reopenToAgent(stopped === 'ESCALATED' ? 'REOPENED_ON_ESCALATION' : 'REOPENED_ON_REFUND_RETURNED');
        if (closed) return closed;
        continue;
      }
      const answer = this.currentRevisitAnswer();
      const score = answered ? answer?.score : undefined;
      const outcome = revisitOutcome(score);
      if (outcome === 'UNANSWERED') {
        await this.enter('CLOSED', 'CLOSED_UNANSWERED', {
          status: 'CLOSED',
          closeReason: 'REVISIT_UNANSWERED',
          decision: this.decision('revisitAnswerDays', { revisitDueAt, days: rules.revisitAnswerDays }, 'UNANSWERED'),
        });
        return 'CLOSED_UNANSWERED';
      }
      if (outcome === 'SATISFIED') {
        // The score (and what the customer said) on the step too: the timeline shows each revisit's answer.
        await this.enter('CLOSED', 'CLOSED_SATISFIED', { status: 'CLOSED', closeReason: 'SATISFIED', satisfaction: score, data: { score, ...(answer?.comment ? { comment: answer.comment } : {}) }, ...this.answeredBy(answer) });
        await this.notify('caseClosed', {});
        return 'CLOSED_SATISFIED';
      }
      await this.notify('caseReopened', {});
      const closed = await this.reopenToAgent('REOPENED', { satisfaction: score, data: { score, comment: answer?.comment }, ...this.answeredBy(answer) });
      if (closed) return closed;
    }
  }

  /**
   * What stops a revisit that is out, if anything (REVISIT_INTERRUPTED_PATCH): an escalation since
   * it was asked, or a refund sent back since and not paid again. The patch is asked only once such
   * news has come, so the histories of revisits without any replay as they were written.
   */
  private revisitStoppedBy(asked: { escalations: number; refunds: number }): 'ESCALATED' | 'REFUND_RETURNED' | undefined {
    const escalated = this.escalationsRecorded > asked.escalations || this.escalations.length > 0;
    const refundOwed = [...this.refundsSentBack].slice(asked.refunds).some((id) => !this.refundsPaidAgain.has(id));
    if (!(escalated || refundOwed) || !patched(REVISIT_INTERRUPTED_PATCH)) return undefined;
    return escalated ? 'ESCALATED' : 'REFUND_RETURNED';
  }

  /** An agent handles the case again: it closes, or is resolved again and revisited later. */
  private async reopenToAgent(kind: string, fields: StepFields = {}): Promise<'CLOSED_BY_AGENT' | undefined> {
    const resolution = await this.waitForAgent(kind, fields);
    // Whatever reopened it, the agent had the refunds sent back until now (the API takes no CONTINUE
    // at a reopened case while one is owed): they do not reopen it again.
    this.refundsReopenedFor = this.refundsSentBack.size;
    if (resolution.action === 'CLOSE') return this.closeByAgent(resolution);
    await this.enter('RESOLVED', 'RESOLVED_AGAIN', { status: 'RESOLVED' });
    return undefined;
  }

  /**
   * The days between resolution and the revisit; what ended them early, if anything: an escalation
   * recorded meanwhile (ESCALATION_REOPENS_PATCH) or a refund the bank sent back, meanwhile or
   * before and not yet given to an agent (REFUND_SENT_BACK_REOPENS_PATCH). The timer is the one
   * `sleep` the code before the patches started, and it is cancelled only behind a marker: a history
   * from before, escalated while RESOLVED, replays its timer firing as it did.
   */
  private async restUntilRevisit(ms: number): Promise<'ESCALATED' | 'REFUND_RETURNED' | undefined> {
    // Sent back before the case came to rest (a refund-shipped case waiting for its parcel, say) and
    // not paid again since: nobody is asked how satisfied they are first.
    const owedSinceReopened = [...this.refundsSentBack].slice(this.refundsReopenedFor).some((id) => !this.refundsPaidAgain.has(id));
    if (owedSinceReopened && patched(REFUND_SENT_BACK_REOPENS_PATCH)) return 'REFUND_RETURNED';
    const seen = this.escalationsRecorded;
    let refundsSeen = this.refundsSentBack.size;
    const timer = new CancellationScope();
    const due = timer.run(() => sleep(ms));
    for (;;) {
      const watch = new CancellationScope();
      const interrupted = watch.run(() => condition(() => this.escalationsRecorded > seen || this.refundsSentBack.size > refundsSeen)).then(
        () => true,
        () => false,
      );
      await Promise.race([due, interrupted]);
      // Recorded meanwhile, or — come in the same activation as the timer (a worker that was away) —
      // taken but not recorded yet when the timer won the race: either reopens the case.
      const escalated = this.escalationsRecorded > seen || this.escalations.length > 0;
      const why =
        escalated && patched(ESCALATION_REOPENS_PATCH)
          ? 'ESCALATED'
          : this.refundsSentBack.size > refundsSeen && patched(REFUND_SENT_BACK_REOPENS_PATCH)
            ? 'REFUND_RETURNED'
            : undefined;
      watch.cancel();
      if (why) {
        timer.cancel();
        await due.catch(() => undefined);
        return why;
      }
      // Only a refund heard by code from before its patch (a history): the rest goes on watching for
      // an escalation, as that code did. Anything else waits for the timer, as the code before did
      // (this path's awaits are that code's: a history's local step writes replay in the same tasks).
      if (!escalated && this.refundsSentBack.size > refundsSeen) {
        refundsSeen = this.refundsSentBack.size;
        continue;
      }
      await due;
      return undefined;
    }
  }
}

/** An agent's words for the customer, as a template's sentence takes them: its end is the template's, the agent's own full stop would double it. */
const customerWords = (text: string) => text.trim().replace(/[。.!！?？;；]+$/u, '');
