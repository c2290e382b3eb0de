/**
 * What case workflows ask of the outside world. Workflows import these types only
 * (`import type`); the worker builds the implementations from injected dependencies.
 * Every call carries a `stepKey` unique within the case, so a retried activity never
 * writes, notifies, refunds or files twice.
 */
export interface Decision {
  rule: string;
  values: Record<string, unknown>;
  policyVersion: number;
  outcome: string;
}

export interface Transition {
  caseId: string;
  stepKey: string;
  stage: string;
  status?: string;
  kind: string;
  actor?: string;
  data?: Record<string, unknown>;
  decision?: Decision;
  /** Every deadline the case has set so far, by name (they accumulate). */
  deadlines?: Record<string, number>;
  /**
   * The deadline of the stage the case is in after this step (null: the stage has none); absent in
   * steps recorded before it was sent.
   */
  stageDeadlineAt?: number | null;
  late?: boolean;
  escalated?: boolean;
  assigneeId?: string;
  refundedAmountMinor?: number;
  satisfaction?: number;
  closeReason?: string;
  /**
   * When the case's solution was given (workflow time), in every step from then on; absent before,
   * and in steps recorded before it was sent. The first one kept wins.
   */
  solutionGivenAt?: number;
  /** Ordering of projections: a transition never overwrites a newer one. */
  version: number;
}

export interface CustomerNotification {
  caseId: string;
  stepKey: string;
  template: string;
  params: Record<string, unknown>;
}

/**
 * What a case workflow did in one workflow task, written together by one activity: its steps in
 * order (timeline + projection) and the messages to send, queued in the notification outbox that
 * the worker's outbox sender delivers (so a slow notifier never holds a case up).
 */
export interface CaseSteps {
  caseId: string;
  /** Names the batch (its first step's key): what the case is marked stuck on when the write keeps failing. */
  stepKey?: string;
  transitions: Transition[];
  notifications: CustomerNotification[];
}

export interface RefundRequest {
  caseId: string;
  stepKey: string;
  merchantId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  reason: string;
  /**
   * What the order was paid: the refund pays at most this less what the order's other cases have
   * refunded or are refunding at this moment (absent in refunds scheduled before the cap existed).
   */
  orderPaidTotalMinor?: number;
  /**
   * Money this case took from the customer on top of the order (an exchange's price difference)
   * that this refund pays back: the order's cap is raised by it for this case and for its others.
   */
  extraPaidMinor?: number;
}

export interface LedgerDocument {
  caseId: string;
  stepKey: string;
  kind: 'RETURN_NOTE' | 'EXPENSE_NOTE' | 'REFUND' | 'OUTBOUND' | 'OUTBOUND_REVERSAL' | 'CLAIM_RECOVERY' | 'PAYMENT_RECEIVED';
  amountMinor: number;
  currency: string;
  lines: Array<Record<string, unknown>>;
  reference?: string;
}

export interface ClaimRequest {
  caseId: string;
  stepKey: string;
  carrier: string;
  trackingNumber: string;
  amountMinor: number;
  currency: string;
  reason: string;
  evidenceUrls: string[];
}

/** What other cases already refunded on the same order: refunds on an order never exceed what was paid. */
export interface OrderRefundsQuery {
  caseId: string;
  merchantId: string;
  orderId: string;
  currency: string;
}
export interface OrderRefunds {
  amountMinor: number;
  /** The shipping fee was refunded by an earlier case (it is refunded once per order). */
  shippingRefunded: boolean;
}

/** A timeline entry written by a process other than the case's own workflow (a courier claim). */
export interface CaseEvent {
  caseId: string;
  /** Unique within the case, like a transition's; a retried write is a no-op. */
  stepKey: string;
  kind: string;
  actor?: string;
  data?: Record<string, unknown>;
  decision?: Decision;
  /** Sets the case's escalated flag (a supervisor should look). */
  escalated?: boolean;
  /**
   * The refund sent back (its REFUND_RETURNED step) that this step settles, by paying it again: the
   * case is no longer escalated if that step is what escalated it, open or closed, and its refunded
   * amount becomes what its ledger nets to.
   */
  settles?: string;
}

export interface ClaimState {
  /** WITHDRAWN: taken back by us before the carrier decided (the parcel turned up). */
  status: 'FILED' | 'PAID' | 'PARTLY_PAID' | 'REFUSED' | 'WITHDRAWN';
  /** What the carrier pays, once decided (0 when refused). */
  paidMinor?: number;
  decidedAt?: number;
}

/** Where an order is in the warehouse (picked? an outbound document? shipped?). */
export interface OrderDispatch {
  status: 'NOT_PICKED' | 'PICKED' | 'PACKED' | 'SHIPPED' | 'CANCELLED';
  outboundId?: string;
  carrier?: string;
  trackingNumber?: string;
  shippedAt?: number;
}

export interface CaseActivities {
  recordTransition(t: Transition): Promise<void>;
  notifyCustomer(n: CustomerNotification): Promise<void>;
  /** Cases since the batched-steps patch: several steps and queued messages in one write. */
  recordSteps(s: CaseSteps): Promise<void>;
  refundPayment(r: RefundRequest): Promise<{ refundId: string; amountMinor: number }>;
  appendLedger(d: LedgerDocument): Promise<void>;
  fileCourierClaim(c: ClaimRequest): Promise<{ claimId: string }>;
  /** The courier's trace: its status and (when the courier gives them) the scans, oldest first. */
  trackParcel(p: { carrier: string; trackingNumber: string }): Promise<{ status: string; deliveredAt?: number; events?: Array<{ at: number; code: string; description?: string }> }>;
  refundedOnOrder(q: OrderRefundsQuery): Promise<OrderRefunds>;
  recordCaseEvent(e: CaseEvent): Promise<void>;
  claimStatus(q: { carrier: string; claimId: string }): Promise<ClaimState>;
  /** Takes a claim back (the parcel it was for turned up): WITHDRAWN, or the carrier's decision if it came first. Idempotent by `stepKey`. */
  withdrawCourierClaim(q: { caseId: string; stepKey: string; carrier: string; claimId: string; reason: string }): Promise<ClaimState>;
  orderDispatch(q: { orderId: string }): Promise<OrderDispatch>;
  /**
   * Whether the warehouse reported an urgent exchange's loan product sent (its SUBSTITUTE_SENT step,
   * written by the API). Not sent: the answer is recorded (step SUBSTITUTE_NOT_SENT, under the same
   * key as the report), so a report after it is refused rather than taken after the case went on.
   */
  loanSent(q: { caseId: string; sku: string }): Promise<{ sent: boolean }>;
  /** Asks the carrier to bring a parcel back; REJECTED ALREADY_DELIVERED (non-retryable) once signed for. */
  interceptParcel(i: { caseId: string; stepKey: string; carrier: string; trackingNumber: string }): Promise<{ interceptId: string }>;
  /** Cancels an order that has not left; REJECTED ALREADY_SHIPPED (non-retryable) once it has. */
  cancelOrder(c: { caseId: string; stepKey: string; orderId: string; reason: string }): Promise<{ reversedOutboundId?: string }>;
}

/** The daily housekeeping (workflows/housekeeping.ts): deletes what the platform no longer needs. */
export interface HousekeepingActivities {
  /** Cutoffs in epoch ms: idempotency answers created before, customer tokens expired or revoked before. */
  sweepExpiredRecords(c: { idempotencyBefore: number; customerTokensBefore: number }): Promise<{ idempotencyRecords: number; customerTokens: number }>;
}

/** The policy what-if job (workflows/policy-simulation.ts): replays a merchant's recorded cases under the current and a candidate policy. */
export interface PolicySimulationActivities {
  /** Runs the job and stores its report; answers how many cases ran and how many the candidate changed. */
  simulatePolicy(job: { simulationId: string }): Promise<{ cases: number; changed: number }>;
  /** Marks the job failed, with why (after the last attempt). */
  markPolicySimulationFailed(job: { simulationId: string; error: string }): Promise<void>;
}
