import { describe, expect, it } from 'vitest';
import { offerAt } from '../../domain/offer.js';

describe('offerAt: what the customer is offered at the wait the case is in', () => {
  it('a discount, a price difference: the amounts of the step that began the wait', () => {
    const discount = [{ kind: 'OPENED' }, { kind: 'DISCOUNT_OFFERED', data: { amountMinor: 1000, currency: 'CNY' } }];
    expect(offerAt('AWAITING_CUSTOMER_CONSENT', discount)).toEqual({ kind: 'DISCOUNT', amountMinor: 1000, currency: 'CNY' });
    expect(offerAt('AWAITING_PAYMENT', [{ kind: 'DIFFERENCE_DUE', data: { amountMinor: 5000, currency: 'CNY' } }])).toEqual({ kind: 'PRICE_DIFFERENCE', amountMinor: 5000, currency: 'CNY' });
    // Past the wait, nothing is offered any more; a step without its amounts offers nothing readable.
    expect(offerAt('RESOLVED', discount)).toBeNull();
    expect(offerAt('AWAITING_CUSTOMER_CONSENT', [{ kind: 'DISCOUNT_OFFERED', data: {} }])).toBeNull();
  });

  it('a price difference unpaid by its deadline is still offered, late, while the agent decides; not once the agent has', () => {
    const unpaid = [{ kind: 'DIFFERENCE_DUE', data: { amountMinor: 5000, currency: 'CNY' } }, { kind: 'DIFFERENCE_UNPAID' }, { kind: 'AGENT_REMINDER' }];
    expect(offerAt('AWAITING_AGENT', unpaid)).toEqual({ kind: 'PRICE_DIFFERENCE', amountMinor: 5000, currency: 'CNY', late: true });
    expect(offerAt('AWAITING_AGENT', [...unpaid, { kind: 'AGENT_RESOLVED' }, { kind: 'REOPENED' }])).toBeNull();
    // Another agent wait offers nothing.
    expect(offerAt('AWAITING_AGENT', [{ kind: 'OPENED' }, { kind: 'NOT_SHORT' }])).toBeNull();
  });

  it("a return's consent is its approved lines, not an offer here: the latest step decides", () => {
    expect(offerAt('AWAITING_CUSTOMER_CONSENT', [{ kind: 'CONSENT_REQUESTED' }])).toBeNull();
  });

  it('a choice: the remedies of the decision before it, as remedy-choice takes them, else a refund or the goods again', () => {
    const quality = [
      { kind: 'DISCOUNT_OFFERED', data: { amountMinor: 1000, currency: 'CNY' } },
      { kind: 'DISCOUNT_DECLINED', decision: { rule: 'qualityInsists', values: { options: ['REPAIR', 'EXCHANGE', 'RETURN_REFUND'] } } },
      { kind: 'CHOICE_REQUESTED' },
    ];
    expect(offerAt('AWAITING_CUSTOMER_CHOICE', quality)).toEqual({ kind: 'CHOICE', remedies: ['REFUND', 'RESHIP', 'REPAIR'] });
    const noRepair = quality.map((s) => (s.decision ? { ...s, decision: { ...s.decision, values: { options: ['EXCHANGE', 'RETURN_REFUND'] } } } : s));
    expect(offerAt('AWAITING_CUSTOMER_CHOICE', noRepair)).toEqual({ kind: 'CHOICE', remedies: ['REFUND', 'RESHIP'] });
    expect(offerAt('AWAITING_CUSTOMER_CHOICE', [{ kind: 'OPENED' }, { kind: 'CHOICE_REQUESTED' }])).toEqual({ kind: 'CHOICE', remedies: ['REFUND', 'RESHIP'] });
  });

  it('a choice says what the refund pays where the decision offering it worked it out (missing items), and nothing where it comes later', () => {
    const missing = [
      { kind: 'SOLUTION_PROPOSED', decision: { rule: 'missingItemsCustomerChooses', values: { refundMinor: 20_000, currency: 'CNY', options: ['REFUND', 'RESHIP'] } } },
      { kind: 'CHOICE_REQUESTED' },
    ];
    expect(offerAt('AWAITING_CUSTOMER_CHOICE', missing)).toEqual({ kind: 'CHOICE', remedies: ['REFUND', 'RESHIP'], refund: { amountMinor: 20_000, currency: 'CNY' } });
    // A lost parcel's refund is reckoned when it is chosen: no amount promised before.
    expect(offerAt('AWAITING_CUSTOMER_CHOICE', [{ kind: 'CAUSE_DECIDED', decision: { rule: 'lostParcelCause', values: { options: ['RESHIP', 'REFUND'] } } }, { kind: 'CHOICE_REQUESTED' }])).toEqual({ kind: 'CHOICE', remedies: ['REFUND', 'RESHIP'] });
  });
});
