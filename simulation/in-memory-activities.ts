/**
 * Case activities that write nowhere real: every step, message, refund, ledger document and claim
 * kept in memory, and the providers (payment, courier, warehouse) answered by simulators. What a
 * policy simulation runs the real workflows with (simulation/engine.ts), and what the workflow
 * tests record with (test/workflows/recording-activities.ts extends the per-case class).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Context } from '@temporalio/activity';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type {
  CaseActivities,
  CaseEvent,
  CaseSteps,
  ClaimRequest,
  ClaimState,
  CustomerNotification,
  LedgerDocument,
  OrderDispatch,
  OrderRefunds,
  OrderRefundsQuery,
  RefundRequest,
  Transition,
} from '../activities/contract.js';
import { caseWorkflowId } from '../domain/workflow-ids.js';
import { courierAnswerAt, shiftInstants, warehouseAnswerAt, type CourierAnswer, type WarehouseAnswer } from './recorded.js';
import { SIMULATED_TIME_HEADER } from './simulated-time.js';

/** A step as kept in memory, with the workflow time it was written at (`activityTime`). */
export type TimedTransition = Transition & { at: number };

/** Workflow times carried by the simulator's local activities (simulation/local-activities.ts), by activity. */
const simulatedTimes = new WeakMap<Context, number>();

/**
 * Worker interceptor of the simulator: keeps the workflow time a local activity was called at
 * (its `SIMULATED_TIME_HEADER`), since a local activity's own times are the worker's wall clock.
 */
export const simulatedTimeInterceptor: ActivityInterceptorsFactory = (ctx) => ({
  inbound: {
    execute(input, next) {
      const header = input.headers[SIMULATED_TIME_HEADER];
      if (header) simulatedTimes.set(ctx, defaultPayloadConverter.fromPayload<number>(header));
      return next(input);
    },
  },
});

/** Workflow times of the simulator's write-only activities, which arrive as sink calls, not in an activity. */
const sinkTimes = new AsyncLocalStorage<number>();

/** Runs a write-only activity that reached the worker as a sink call (simulation/local-activities.ts) as if at workflow time `at`. */
export function runAt<T>(at: number, write: () => T): T {
  return sinkTimes.run(at, write);
}

/**
 * When an activity ran, on the workflow's (virtual) clock: the workflow time it was called at
 * (simulator), else its scheduled time; outside a worker, the wall clock.
 */
function activityTime(): number {
  const sinkTime = sinkTimes.getStore();
  if (sinkTime !== undefined) return sinkTime;
  try {
    const ctx = Context.current();
    return simulatedTimes.get(ctx) ?? ctx.info.currentAttemptScheduledTimestampMs;
  } catch {
    return Date.now();
  }
}

/** The simulated case whose workflow made the current call (an activity knows its workflow); none outside an activity or for another workflow. */
function askingCaseId(): string | undefined {
  const prefix = caseWorkflowId('');
  try {
    const id = Context.current().info.workflowExecution?.workflowId;
    return id?.startsWith(prefix) ? id.slice(prefix.length) : undefined;
  } catch {
    return undefined;
  }
}

/** One case's activities: what its workflow did, in memory; the providers answer what a test sets. */
export class InMemoryCaseActivities implements CaseActivities {
  transitions: TimedTransition[] = [];
  notifications: CustomerNotification[] = [];
  refunds: RefundRequest[] = [];
  ledger: LedgerDocument[] = [];
  claims: ClaimRequest[] = [];
  events: CaseEvent[] = [];
  intercepts: Array<{ carrier: string; trackingNumber: string }> = [];
  cancellations = 0;
  traces = 0;
  /** What other cases refunded on the order (the simulation answers from its other cases instead). */
  earlier: OrderRefunds = { amountMinor: 0, shippingRefunded: false };
  dispatch: OrderDispatch = { status: 'NOT_PICKED' };
  /**
   * What the warehouse told the real case (simulation/recorded.ts `warehouseAnswers`), with when it
   * was heard on the recorded clock: the simulation's answers for its order, by time
   * (`warehouseAnswerAt`). Empty: another case's of the order, or the simulator's default answers;
   * either way the case is marked as resting on them.
   */
  recordedDispatch: WarehouseAnswer[] = [];
  /**
   * What the courier's trace told the real case (simulation/recorded.ts `courierAnswers`), on the
   * recorded clock, and the numbers its parcels were corrected from: the simulation's trace of its
   * parcels, by time (`courierAnswerAt`). Empty: the simulator's "in transit", an assumption.
   */
  recordedTraces: CourierAnswer[] = [];
  recordedCorrections: Record<string, string> = {};
  /** How far this case's clock is moved from the recorded one (simulation/recorded.ts `weekShift`): a whole number of weeks. */
  clockShift = 0;
  trace: { status: string; deliveredAt?: number; events?: Array<{ at: number; code: string; description?: string }> } = { status: 'IN_TRANSIT' };
  claimState: ClaimState = { status: 'FILED' };
  /**
   * Providers' answers this case's own history does not hold: the stage it was at, per kind — the
   * simulators' answers, or (`fromAnotherCase`) what the warehouse told another case of the order.
   */
  providerAnswers: Array<{ kind: 'courierTrace' | 'warehouseDispatch'; stage: string; fromAnotherCase?: true }> = [];
  /** Step keys already written: a retried activity writes nothing twice (as the real store). */
  private readonly written = new Set<string>();

  /** Keeps a message (once per step key): what sending it means here. */
  protected keepNotification(n: CustomerNotification): void {
    if (this.once(`n:${n.stepKey}`)) this.notifications.push(n);
  }

  private once(key: string): boolean {
    if (this.written.has(key)) return false;
    this.written.add(key);
    return true;
  }

  recordTransition = async (t: Transition) => {
    if (this.once(`t:${t.stepKey}`)) this.transitions.push({ ...t, at: activityTime() });
  };
  notifyCustomer = async (n: CustomerNotification): Promise<void> => this.keepNotification(n);
  recordSteps = async (s: CaseSteps) => {
    for (const t of s.transitions) await this.recordTransition(t);
    for (const n of s.notifications) await this.notifyCustomer(n);
  };
  refundPayment = async (r: RefundRequest) => {
    if (this.once(`r:${r.stepKey}`)) this.refunds.push(r);
    return { refundId: `rf-${this.refunds.length}`, amountMinor: r.amountMinor };
  };
  appendLedger = async (d: LedgerDocument) => void (this.once(`l:${d.stepKey}`) && this.ledger.push(d));
  fileCourierClaim = async (c: ClaimRequest) => {
    if (this.once(`c:${c.stepKey}`)) this.claims.push(c);
    return { claimId: `cl-${this.claims.length}` };
  };
  /** The tracking numbers traced, in order (the simulation's shared trace answers for any of them). */
  traced: string[] = [];
  trackParcel = async (p?: { trackingNumber: string }) => (this.traces++, p && this.traced.push(p.trackingNumber), { ...this.trace });
  refundedOnOrder = async (_q: OrderRefundsQuery) => ({ ...this.earlier });
  recordCaseEvent = async (e: CaseEvent) => void (this.once(`e:${e.stepKey}`) && this.events.push(e));
  claimStatus = async () => ({ ...this.claimState });
  /** The claims withdrawn, by claim id (the parcel turned up): the claim then reads WITHDRAWN unless the carrier had decided it. */
  withdrawals: string[] = [];
  withdrawCourierClaim = async (q: { stepKey: string; claimId: string }) => {
    if (this.once(`w:${q.stepKey}`)) this.withdrawals.push(q.claimId);
    return this.claimState.status === 'FILED' ? { status: 'WITHDRAWN' as const } : { ...this.claimState };
  };
  orderDispatch = async () => ({ ...this.dispatch });
  /**
   * The warehouse's answer, out of a real case's `answers` (this case's or another's), to a question
   * this case asks at simulated time `now`: the one known by then, moved with this case's clock
   * (undefined when there are none). It becomes this case's order state, so its cancellation
   * reverses what it was told was picked; the case the answers are from is left as it was.
   */
  hearRecordedDispatch(answers: readonly WarehouseAnswer[], now: number): OrderDispatch | undefined {
    const heard = warehouseAnswerAt(answers, now - this.clockShift);
    if (!heard) return undefined;
    this.dispatch = shiftInstants(heard, this.clockShift);
    return { ...this.dispatch };
  }
  /**
   * The courier's trace of `trackingNumber` asked at simulated time `now`, out of this case's record
   * (`recordedTraces`), moved with its clock; undefined when the record says nothing of that parcel.
   */
  hearRecordedTrace(trackingNumber: string, now: number): InMemoryCaseActivities['trace'] | undefined {
    const heard = courierAnswerAt(this.recordedTraces, trackingNumber, now - this.clockShift, this.recordedCorrections);
    if (!heard) return undefined;
    this.traces++;
    this.traced.push(trackingNumber);
    return shiftInstants(heard, this.clockShift);
  }
  /** Whether the warehouse reported the loan product sent (the API's step, not an input the simulation replays: sent, as before the question was asked). */
  loanOut = true;
  loanSent = async (q: { caseId: string; sku: string }) => {
    // Unsent, the answer is a timeline entry of its own, as the store writes it.
    if (!this.loanOut) await this.recordCaseEvent({ caseId: q.caseId, stepKey: 'loan:sent', kind: 'SUBSTITUTE_NOT_SENT', actor: 'system', data: { sku: q.sku } });
    return { sent: this.loanOut };
  };
  cancelOrder = async () => (this.cancellations++, this.dispatch.outboundId ? { reversedOutboundId: this.dispatch.outboundId } : {});
  interceptParcel = async (i: { carrier: string; trackingNumber: string }) => (
    this.intercepts.push({ carrier: i.carrier, trackingNumber: i.trackingNumber }), { interceptId: `ic-${this.intercepts.length}` }
  );

  kinds = () => this.transitions.map((t) => t.kind);
  templates = () => this.notifications.map((n) => n.template);
  docs = () => this.ledger.map((d) => d.kind);
}

/**
 * The activities of one worker serving many simulated cases: each call goes to its case's
 * in-memory activities. Calls that name no case (the courier's trace, the warehouse's dispatch,
 * a claim's status) get the simulators' answers (in transit, not picked, filed: a claim's decision
 * comes from its recorded `claimDecided` signal), except the warehouse's dispatch for an order
 * whose case recorded what the warehouse said (`recordedDispatch`), answered by the time asked.
 * What other cases refunded on an order is what the other simulated cases of the same run refunded on it.
 */
export function routedActivities(
  caseOf: (caseId: string) => InMemoryCaseActivities,
  all: () => Iterable<InMemoryCaseActivities>,
  /** The case a parcel or an order belongs to (`trace:<tracking number>`, `dispatch:<order id>`), when known. */
  caseOfProvider: (key: string) => InMemoryCaseActivities | undefined = () => undefined,
): CaseActivities {
  const providers = new InMemoryCaseActivities();
  // A provider's answer stands in for one history does not have: the case it was for rests on it.
  const answered = (key: string, kind: 'courierTrace' | 'warehouseDispatch', store = caseOfProvider(key), fromAnotherCase = false) => {
    if (!store || store.providerAnswers.some((a) => a.kind === kind && !!a.fromAnotherCase === fromAnotherCase)) return;
    const stage = [...store.transitions].sort((a, b) => a.version - b.version).at(-1)?.stage ?? 'OPENED';
    store.providerAnswers.push({ kind, stage, ...(fromAnotherCase ? { fromAnotherCase: true as const } : {}) });
  };
  return {
    recordTransition: (t) => caseOf(t.caseId).recordTransition(t),
    notifyCustomer: (n) => caseOf(n.caseId).notifyCustomer(n),
    recordSteps: (s) => caseOf(s.caseId).recordSteps(s),
    refundPayment: (r) => caseOf(r.caseId).refundPayment(r),
    appendLedger: (d) => caseOf(d.caseId).appendLedger(d),
    fileCourierClaim: (c) => caseOf(c.caseId).fileCourierClaim(c),
    recordCaseEvent: (e) => caseOf(e.caseId).recordCaseEvent(e),
    interceptParcel: (i) => caseOf(i.caseId).interceptParcel(i),
    cancelOrder: (c) => caseOf(c.caseId).cancelOrder(),
    loanSent: (q) => caseOf(q.caseId).loanSent(q),
    // What the real case's steps say the trace said (the asking case's record, else the parcel's
    // case's), by the time asked; else the simulator's "in transit", an assumption.
    trackParcel: async (p) => {
      const key = `trace:${p.trackingNumber}`;
      const asking = askingCaseId();
      const owner = caseOfProvider(key);
      const asker = asking === undefined ? owner : caseOf(asking);
      const now = activityTime();
      const known = asker?.hearRecordedTrace(p.trackingNumber, now) ?? (owner && owner !== asker ? owner.hearRecordedTrace(p.trackingNumber, now) : undefined);
      if (known) return known;
      answered(key, 'courierTrace', asker);
      return providers.trackParcel();
    },
    claimStatus: () => providers.claimStatus(),
    withdrawCourierClaim: (q) => caseOf(q.caseId).withdrawCourierClaim(q),
    // What the real case heard by the time it asks, when its steps say; else the simulator's answer,
    // an assumption. The asking case's own record first: two cases of one order in a run (a refund
    // before shipping, an inquiry) each heard the warehouse at their own time; the order's case when
    // the call names none. A case without a record hears the order's case's (read, not moved: that
    // case still hears its own), marked as resting on another case's record.
    orderDispatch: async (q) => {
      const key = `dispatch:${q.orderId}`;
      const asking = askingCaseId();
      const owner = caseOfProvider(key);
      const asker = asking === undefined ? owner : caseOf(asking);
      const record = asker?.recordedDispatch.length ? asker : owner?.recordedDispatch.length ? owner : undefined;
      const known = record && asker?.hearRecordedDispatch(record.recordedDispatch, activityTime());
      if (known) {
        if (record !== asker) answered(key, 'warehouseDispatch', asker, true);
        return known;
      }
      answered(key, 'warehouseDispatch', asker);
      return providers.orderDispatch();
    },
    refundedOnOrder: async (q) => {
      let amountMinor = 0;
      let shippingRefunded = false;
      for (const other of all()) {
        for (const r of other.refunds) if (r.caseId !== q.caseId && r.merchantId === q.merchantId && r.orderId === q.orderId && r.currency === q.currency) amountMinor += r.amountMinor;
        for (const d of other.ledger) if (d.caseId !== q.caseId && d.kind === 'REFUND' && other.refunds.some((r) => r.orderId === q.orderId) && d.lines.some((l) => l.kind === 'SHIPPING')) shippingRefunded = true;
      }
      return { amountMinor, shippingRefunded };
    },
  };
}
