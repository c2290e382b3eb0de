/**
 * What a customer is offered at the wait the case is in, read from the step that began it: the
 * discount for keeping goods (a quality problem, a wrong item: DISCOUNT_OFFERED), the price
 * difference an exchange asks them to pay (DIFFERENCE_DUE), the remedies they choose between
 * (CHOICE_REQUESTED). `waitingFor` says who acts and how; this says for what, so a shop's app can
 * show "accept a 30.00 discount?" without reading the timeline. Null at any other stage, and at a
 * return's consent, whose proposal is the case's `approvedLines`.
 */

import { currentAgentWait } from './waiting.js';

/** A remedy as POST …/remedy-choice takes it. */
export type Remedy = 'REFUND' | 'RESHIP' | 'REPAIR';

export type Offer =
  | { kind: 'DISCOUNT'; amountMinor: number; currency: string }
  | { kind: 'PRICE_DIFFERENCE'; amountMinor: number; currency: string; late?: true }
  | { kind: 'CHOICE'; remedies: Remedy[]; refund?: { amountMinor: number; currency: string } };

/** A step of the timeline as far as this reads it. */
interface Step {
  kind: string;
  data?: unknown;
  decision?: unknown;
}

/** The steps that begin each customer wait (the first of each list is the one that offers something). */
const OPENED_BY: Readonly<Record<string, readonly string[]>> = {
  AWAITING_CUSTOMER_CONSENT: ['DISCOUNT_OFFERED', 'CONSENT_REQUESTED'],
  AWAITING_PAYMENT: ['DIFFERENCE_DUE'],
  AWAITING_CUSTOMER_CHOICE: ['CHOICE_REQUESTED'],
};

/** A decision's options as remedy-choice takes them: some name them as the shop does (EXCHANGE, RETURN_REFUND). */
const REMEDY_OF: Readonly<Record<string, Remedy>> = { REFUND: 'REFUND', RETURN_REFUND: 'REFUND', RESHIP: 'RESHIP', EXCHANGE: 'RESHIP', REPAIR: 'REPAIR' };

export function offerAt(stage: string, timeline: readonly Step[]): Offer | null {
  if (stage === 'AWAITING_AGENT') return lateDifference(timeline);
  const kinds = OPENED_BY[stage];
  if (!kinds) return null;
  let at = timeline.length - 1;
  while (at >= 0 && !kinds.includes(timeline[at]!.kind)) at--;
  if (at < 0) return null;
  const step = timeline[at]!;
  const data = (step.data ?? {}) as { amountMinor?: unknown; currency?: unknown };
  const money = Number.isSafeInteger(data.amountMinor) && typeof data.currency === 'string' ? { amountMinor: data.amountMinor as number, currency: data.currency } : null;
  if (step.kind === 'DISCOUNT_OFFERED') return money && { kind: 'DISCOUNT', ...money };
  if (step.kind === 'DIFFERENCE_DUE') return money && { kind: 'PRICE_DIFFERENCE', ...money };
  if (step.kind === 'CHOICE_REQUESTED') return { kind: 'CHOICE', ...choiceBefore(timeline.slice(0, at)) };
  return null;
}

/**
 * The remedies of the latest decision before the choice that lists them (otherwise a refund or the
 * goods again), and what choosing the refund pays where that decision worked it out (missing items:
 * `refundMinor`); not where it is worked out later (a lost parcel's at the choice, goods that must
 * come back first).
 */
function choiceBefore(steps: readonly Step[]): { remedies: Remedy[]; refund?: { amountMinor: number; currency: string } } {
  for (let i = steps.length - 1; i >= 0; i--) {
    const values = ((steps[i]!.decision ?? null) as { values?: { options?: unknown; refundMinor?: unknown; currency?: unknown } } | null)?.values;
    const options = values?.options;
    if (!Array.isArray(options)) continue;
    const remedies = options.map((o) => REMEDY_OF[String(o)]).filter((r): r is Remedy => !!r);
    if (!remedies.length) continue;
    const refund = remedies.includes('REFUND') && Number.isSafeInteger(values!.refundMinor) && typeof values!.currency === 'string' ? { amountMinor: values!.refundMinor as number, currency: values!.currency } : undefined;
    // The customer chooses among them in the order the command lists them.
    return { remedies: (['REFUND', 'RESHIP', 'REPAIR'] as const).filter((r) => remedies.includes(r)), ...(refund ? { refund } : {}) };
  }
  return { remedies: ['REFUND', 'RESHIP'] };
}

/**
 * An exchange's price difference unpaid by its deadline waits for an agent (DIFFERENCE_UNPAID), and
 * a payment confirmed before the agent decides is still taken (POST …/difference-paid): the
 * difference is still offered then, marked `late`, so a shop's app can say it may still be paid.
 */
function lateDifference(timeline: readonly Step[]): Offer | null {
  if (currentAgentWait(timeline.map((s) => s.kind)) !== 'DIFFERENCE_UNPAID') return null;
  const due = offerAt('AWAITING_PAYMENT', timeline);
  return due?.kind === 'PRICE_DIFFERENCE' ? { ...due, late: true } : null;
}
