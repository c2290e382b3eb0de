/**
 * Activities for workflow tests: the simulation's in-memory case activities
 * (simulation/in-memory-activities.ts: every call recorded, sensible answers that a test overrides
 * field by field — `dispatch`, `earlier`, `trace`, `claimState`…), and every notification rendered
 * in both languages (problems collected, as the HTTP notifier would refuse them).
 */
import type { CustomerNotification, Transition } from '../../activities/contract.js';
import { render } from '../../adapters/templates.js';
import { InMemoryCaseActivities } from '../../simulation/in-memory-activities.js';
import { waitUntil } from '../support/wait.js';

/** Render problems of every notification any recorder saw in this test file. */
export const renderProblems: string[] = [];

export class RecordingActivities extends InMemoryCaseActivities {
  override notifyCustomer = async (n: CustomerNotification): Promise<void> => {
    for (const locale of ['zh-CN', 'en'] as const) {
      try {
        render(n.template, locale, n.params);
      } catch (err) {
        renderProblems.push(`${n.template} (${locale}): ${(err as Error).message}`);
      }
    }
    this.keepNotification(n);
  };

  /**
   * Other cases of the order were granted all of it but `leftMinor`, under the order's refund lock,
   * after this case decided its amount: the provider pays at most that (activities/case-activities.ts).
   */
  leaveOnOrder(leftMinor: number): this {
    const pay = this.refundPayment;
    this.refundPayment = async (r) => ({ ...(await pay(r)), amountMinor: Math.min(r.amountMinor, leftMinor) });
    return this;
  }

  /** Other cases of the order were refunded `refundedMinor` before: a refund gets what the order's cap leaves. */
  othersRefundedOnOrder(refundedMinor: number): this {
    const pay = this.refundPayment;
    this.refundPayment = async (r) => ({ ...(await pay(r)), amountMinor: Math.max(0, Math.min(r.amountMinor, (r.orderPaidTotalMinor ?? Infinity) + (r.extraPaidMinor ?? 0) - refundedMinor)) });
    return this;
  }

  /** A step's message goes out in the activity after the step: wait for it rather than race it. */
  sent(template: string): Promise<CustomerNotification> {
    return waitUntil(`a ${template} message`, () => this.notifications.find((x) => x.template === template), { state: () => `sent: ${this.templates().join(', ')}` });
  }

  /** Waits until the workflow has recorded a step of this kind (it happens in an activity, after whatever caused it). */
  stepped(kind: string, times = 1): Promise<Transition> {
    return waitUntil(`${times} ${kind} step(s)`, () => this.transitions.filter((t) => t.kind === kind)[times - 1], { state: () => `steps: ${this.kinds().join(', ')}` });
  }
}
