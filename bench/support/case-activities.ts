/**
 * Cheap in-memory case activities for the workflow-engine benchmarks (bench/case-lifecycles.ts,
 * bench/case-memory.ts): every activity of `activities/contract.ts` answers at once from memory —
 * no Postgres, no rendering of messages — so what the benchmarks time and weigh is the workflow
 * engine (dev server, SDK worker), not the platform's I/O.
 *
 * The benchmark drives each case as the tests do, waiting for a stage before it sends the command
 * that stage accepts. The tests ask the workflow (a `caseView` query: one more workflow task per
 * poll); here the driver waits for the step that the workflow records through `recordSteps` when
 * it enters a stage, which happens in this same process — the same thing the tests' `until` waits
 * for as well, at no cost to the server.
 */
import type { CaseActivities, CaseSteps, Transition } from '../../activities/contract.js';

export class CheapCaseActivities implements CaseActivities {
  /** Stages each case has recorded (cleared by `forget` once a case is done with). */
  private readonly stages = new Map<string, Set<string>>();
  private readonly waiters = new Map<string, Array<{ stage: string; resolve: () => void }>>();
  calls = 0;
  refunds = 0;

  private seen(t: Transition): void {
    let set = this.stages.get(t.caseId);
    if (!set) this.stages.set(t.caseId, (set = new Set()));
    set.add(t.stage);
    const waiting = this.waiters.get(t.caseId);
    if (!waiting) return;
    const still = waiting.filter((w) => (w.stage === t.stage ? (w.resolve(), false) : true));
    if (still.length) this.waiters.set(t.caseId, still);
    else this.waiters.delete(t.caseId);
  }

  /** Resolves once case `caseId` has recorded a step at `stage`. */
  reached(caseId: string, stage: string): Promise<void> {
    if (this.stages.get(caseId)?.has(stage)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(caseId) ?? [];
      list.push({ stage, resolve });
      this.waiters.set(caseId, list);
    });
  }

  forget(caseId: string): void {
    this.stages.delete(caseId);
    this.waiters.delete(caseId);
  }

  recordTransition = async (t: Transition) => {
    this.calls++;
    this.seen(t);
  };
  notifyCustomer = async () => void this.calls++;
  recordSteps = async (s: CaseSteps) => {
    this.calls++;
    for (const t of s.transitions) this.seen(t);
  };
  refundPayment = async (r: { amountMinor: number }) => (this.calls++, { refundId: `rf-${++this.refunds}`, amountMinor: r.amountMinor });
  appendLedger = async () => void this.calls++;
  fileCourierClaim = async () => (this.calls++, { claimId: `cl-${this.calls}` });
  trackParcel = async () => (this.calls++, { status: 'IN_TRANSIT' });
  refundedOnOrder = async () => (this.calls++, { amountMinor: 0, shippingRefunded: false });
  recordCaseEvent = async () => void this.calls++;
  claimStatus = async () => (this.calls++, { status: 'FILED' as const });
  withdrawCourierClaim = async () => (this.calls++, { status: 'WITHDRAWN' as const });
  orderDispatch = async () => (this.calls++, { status: 'NOT_PICKED' as const });
  loanSent = async () => (this.calls++, { sent: true });
  cancelOrder = async () => (this.calls++, {});
  interceptParcel = async () => (this.calls++, { interceptId: `ic-${this.calls}` });
  /** The baseline workflow's one activity (bench/case-workflows.ts). */
  touch = async (n: number) => (this.calls++, n);
}
