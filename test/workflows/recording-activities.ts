/**
 * Activities for workflow tests: every call recorded, every notification rendered in both
 * languages (problems collected, as the HTTP notifier would refuse them), sensible answers that a
 * test overrides field by field (`dispatch`, `earlierRefunds`, `trace`, `claimState`…).
 */
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
  RefundRequest,
  Transition,
} from '../../activities/contract.js';
import { render } from '../../adapters/templates.js';
import { waitUntil } from '../support/wait.js';

/** Render problems of every notification any recorder saw in this test file. */
export const renderProblems: string[] = [];

export class RecordingActivities implements CaseActivities {
  transitions: Transition[] = [];
  notifications: CustomerNotification[] = [];
  refunds: RefundRequest[] = [];
  ledger: LedgerDocument[] = [];
  claims: ClaimRequest[] = [];
  events: CaseEvent[] = [];
  intercepts: Array<{ carrier: string; trackingNumber: string }> = [];
  cancellations = 0;
  traces = 0;
  earlier: OrderRefunds = { amountMinor: 0, shippingRefunded: false };
  dispatch: OrderDispatch = { status: 'NOT_PICKED' };
  trace: { status: string; deliveredAt?: number; events?: Array<{ at: number; code: string; description?: string }> } = { status: 'IN_TRANSIT' };
  claimState: ClaimState = { status: 'FILED' };

  recordTransition = async (t: Transition) => void this.transitions.push(t);
  notifyCustomer = async (n: CustomerNotification) => {
    for (const locale of ['zh-CN', 'en'] as const) {
      try {
        render(n.template, locale, n.params);
      } catch (err) {
        renderProblems.push(`${n.template} (${locale}): ${(err as Error).message}`);
      }
    }
    this.notifications.push(n);
  };
  recordSteps = async (s: CaseSteps) => {
    this.transitions.push(...s.transitions);
    for (const n of s.notifications) await this.notifyCustomer(n);
  };
  refundPayment = async (r: RefundRequest) => (this.refunds.push(r), { refundId: `rf-${this.refunds.length}`, amountMinor: r.amountMinor });
  appendLedger = async (d: LedgerDocument) => void this.ledger.push(d);
  fileCourierClaim = async (c: ClaimRequest) => (this.claims.push(c), { claimId: `cl-${this.claims.length}` });
  trackParcel = async () => (this.traces++, { ...this.trace });
  refundedOnOrder = async () => ({ ...this.earlier });
  recordCaseEvent = async (e: CaseEvent) => void this.events.push(e);
  claimStatus = async () => ({ ...this.claimState });
  orderDispatch = async () => ({ ...this.dispatch });
  cancelOrder = async () => (this.cancellations++, this.dispatch.outboundId ? { reversedOutboundId: this.dispatch.outboundId } : {});
  interceptParcel = async (i: { carrier: string; trackingNumber: string }) => (this.intercepts.push({ carrier: i.carrier, trackingNumber: i.trackingNumber }), { interceptId: `ic-${this.intercepts.length}` });

  /** A step's message goes out in the activity after the step: wait for it rather than race it. */
  sent(template: string): Promise<CustomerNotification> {
    return waitUntil(`a ${template} message`, () => this.notifications.find((x) => x.template === template), { state: () => `sent: ${this.templates().join(', ')}` });
  }

  /** Waits until the workflow has recorded a step of this kind (it happens in an activity, after whatever caused it). */
  stepped(kind: string, times = 1): Promise<Transition> {
    return waitUntil(`${times} ${kind} step(s)`, () => this.transitions.filter((t) => t.kind === kind)[times - 1], { state: () => `steps: ${this.kinds().join(', ')}` });
  }

  kinds = () => this.transitions.map((t) => t.kind);
  templates = () => this.notifications.map((n) => n.template);
  docs = () => this.ledger.map((d) => d.kind);
}
