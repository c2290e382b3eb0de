import { describe, expect, it } from 'vitest';
import {
  checkOutboundRecord,
  checkStockCount,
  checkWaybillWeight,
  decideMissingItemsRemedy,
  missingItemsVerdict,
  validateMissingItemsClaim,
  weightToleranceGrams,
  type MissingItemsEvidence,
} from '../../../domain/fulfilment/index.js';
import { order, policy, withRules } from './fixtures.js';

const weights = { MUG: 350, LAMP: 1200, STICKER: 10 };
// Whole parcel: 200 + 3 × 350 + 1200 + 2 × 10 = 2470 g; tolerance max(50, 5% = 123) = 123 g.
const weighed = (waybillWeightGrams: number): MissingItemsEvidence => ({ waybillWeightGrams, unitWeightsGrams: weights, packagingWeightGrams: 200 });
const oneMug = [{ sku: 'MUG', quantity: 1 }];
const rules = policy.rules;

describe('validateMissingItemsClaim', () => {
  it('names every bad field: lines above ordered, unknown SKUs, negative weights and counts', () => {
    const problems = validateMissingItemsClaim(order, [{ sku: 'MUG', quantity: 4 }, { sku: 'NOPE', quantity: 1 }], {
      waybillWeightGrams: -1,
      packagingWeightGrams: 1.5,
      unitWeightsGrams: { MUG: -3 },
      outboundRecord: [{ sku: 'MUG', quantity: -1 }],
      stockCount: [{ sku: 'MUG', systemQuantity: -1, countedQuantity: 0.5 }],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'claimed[0].quantity',
      'claimed[1].sku',
      'evidence.waybillWeightGrams',
      'evidence.packagingWeightGrams',
      'evidence.unitWeightsGrams.MUG',
      'evidence.outboundRecord[0].quantity',
      'evidence.stockCount[0].systemQuantity',
      'evidence.stockCount[0].countedQuantity',
    ]);
    expect(problems[0].reason).toBe('more than the 3 ordered');
    expect(validateMissingItemsClaim(order, [], {})).toEqual([{ field: 'claimed', reason: 'must not be empty' }]);
    expect(validateMissingItemsClaim(order, [{ sku: 'MUG', quantity: 1 }, { sku: 'MUG', quantity: 1 }], {})).toEqual([{ field: 'claimed[1].sku', reason: 'MUG appears twice' }]);
    expect(validateMissingItemsClaim(order, [{ sku: 'MUG', quantity: 0 }], {})).toEqual([{ field: 'claimed[0].quantity', reason: 'must be a whole number ≥ 1' }]);
  });
});

describe('the three checks (003 §二.1-3)', () => {
  it('outbound record: short by the claim, complete, or in between', () => {
    expect(checkOutboundRecord(order, oneMug, undefined).result).toBe('UNKNOWN');
    expect(checkOutboundRecord(order, oneMug, [{ sku: 'MUG', quantity: 2 }]).result).toBe('SHORT');
    expect(checkOutboundRecord(order, oneMug, [{ sku: 'MUG', quantity: 1 }]).result).toBe('SHORT');
    expect(checkOutboundRecord(order, oneMug, [{ sku: 'MUG', quantity: 3 }]).result).toBe('COMPLETE');
    expect(checkOutboundRecord(order, [{ sku: 'MUG', quantity: 2 }], [{ sku: 'MUG', quantity: 2 }]).result).toBe('UNKNOWN');
    expect(checkOutboundRecord(order, oneMug, []).result).toBe('SHORT'); // not on the record at all
    expect(checkOutboundRecord(order, [...oneMug, { sku: 'LAMP', quantity: 1 }], [{ sku: 'MUG', quantity: 2 }, { sku: 'LAMP', quantity: 1 }]).result).toBe('UNKNOWN');
  });
  it('waybill weight: tolerance is the larger of grams and percent', () => {
    expect(weightToleranceGrams(rules, 2470)).toBe(123);
    expect(weightToleranceGrams(rules, 500)).toBe(50);
    expect(checkWaybillWeight(rules, order, oneMug, weighed(2470))).toMatchObject({ result: 'COMPLETE', values: { expectedWeightGrams: 2470, missingWeightGrams: 350, toleranceGrams: 123 } });
    expect(checkWaybillWeight(rules, order, oneMug, weighed(2347)).result).toBe('COMPLETE');
    expect(checkWaybillWeight(rules, order, oneMug, weighed(2593)).result).toBe('COMPLETE');
    expect(checkWaybillWeight(rules, order, oneMug, weighed(2346)).result).toBe('UNKNOWN');
    expect(checkWaybillWeight(rules, order, oneMug, weighed(2243)).result).toBe('SHORT');
    expect(checkWaybillWeight(rules, order, oneMug, weighed(1997)).result).toBe('SHORT');
    expect(checkWaybillWeight(rules, order, oneMug, weighed(1996)).result).toBe('UNKNOWN');
  });
  it('waybill weight cannot tell goods lighter than twice the tolerance, nor without every weight', () => {
    const r = { ...rules, weightTolerancePercent: 0 }; // tolerance 50 g
    const at = (mug: number) => checkWaybillWeight(r, order, oneMug, { waybillWeightGrams: 1000, unitWeightsGrams: { ...weights, MUG: mug } });
    expect(at(100)).toMatchObject({ result: 'UNKNOWN', why: 'the missing goods are too light for the scale to tell' });
    expect(at(101).why).not.toBe('the missing goods are too light for the scale to tell');
    expect(checkWaybillWeight(rules, order, [{ sku: 'STICKER', quantity: 2 }], weighed(2450)).result).toBe('UNKNOWN');
    expect(checkWaybillWeight(rules, order, oneMug, { waybillWeightGrams: 2000, unitWeightsGrams: { MUG: 350 } })).toMatchObject({ result: 'UNKNOWN', values: { unweighed: ['LAMP', 'STICKER'] } });
    expect(checkWaybillWeight(rules, order, oneMug, { unitWeightsGrams: weights }).result).toBe('UNKNOWN');
  });
  it('stock count: the missing units still on the shelf, or a count that matches the system', () => {
    expect(checkStockCount(oneMug, undefined).result).toBe('UNKNOWN');
    expect(checkStockCount(oneMug, [{ sku: 'MUG', systemQuantity: 10, countedQuantity: 11 }]).result).toBe('SHORT');
    expect(checkStockCount([{ sku: 'MUG', quantity: 2 }], [{ sku: 'MUG', systemQuantity: 10, countedQuantity: 11 }]).result).toBe('UNKNOWN');
    expect(checkStockCount(oneMug, [{ sku: 'MUG', systemQuantity: 10, countedQuantity: 10 }]).result).toBe('COMPLETE');
    expect(checkStockCount(oneMug, [{ sku: 'MUG', systemQuantity: 10, countedQuantity: 9 }]).result).toBe('UNKNOWN');
    expect(checkStockCount(oneMug, [{ sku: 'LAMP', systemQuantity: 1, countedQuantity: 1 }]).result).toBe('UNKNOWN');
  });
});

describe('missingItemsVerdict', () => {
  const verdict = (e: MissingItemsEvidence) => missingItemsVerdict(policy, order, oneMug, e).verdict;
  const surplus = [{ sku: 'MUG', systemQuantity: 10, countedQuantity: 11 }];
  const matches = [{ sku: 'MUG', systemQuantity: 10, countedQuantity: 10 }];
  it('confirmed short when a check shows it and none contradicts', () => {
    const d = missingItemsVerdict(policy, order, oneMug, { ...weighed(2120), stockCount: surplus });
    expect(d.verdict).toBe('CONFIRMED_SHORT');
    expect(d.decision).toMatchObject({ rule: 'missingItemsThreeChecks', policyVersion: 7, outcome: 'CONFIRMED_SHORT' });
    expect(verdict({ outboundRecord: [{ sku: 'MUG', quantity: 2 }] })).toBe('CONFIRMED_SHORT');
  });
  it('not short only on physical proof; the paper record alone proves nothing', () => {
    expect(verdict({ ...weighed(2470), outboundRecord: [{ sku: 'MUG', quantity: 3 }] })).toBe('NOT_SHORT');
    expect(verdict({ stockCount: matches })).toBe('NOT_SHORT');
    expect(verdict({ outboundRecord: [{ sku: 'MUG', quantity: 3 }] })).toBe('UNVERIFIABLE');
  });
  it('unverifiable when nothing is conclusive or the checks disagree', () => {
    expect(verdict({})).toBe('UNVERIFIABLE');
    expect(verdict({ ...weighed(2120), stockCount: matches })).toBe('UNVERIFIABLE');
    expect(verdict({ outboundRecord: [{ sku: 'MUG', quantity: 3 }], stockCount: surplus })).toBe('UNVERIFIABLE');
  });
  it('an invalid claim is no verdict', () => {
    const d = missingItemsVerdict(policy, order, [{ sku: 'MUG', quantity: 9 }], {});
    expect(d).toMatchObject({ verdict: 'UNVERIFIABLE', decision: { rule: 'validMissingItemsClaim', outcome: 'INVALID' } });
  });
});

describe('decideMissingItemsRemedy (003 §二.4-5)', () => {
  const stickers = [{ sku: 'STICKER', quantity: 2 }];
  it('small amount and small and light → refund at once, confirmed or not', () => {
    for (const v of ['CONFIRMED_SHORT', 'UNVERIFIABLE'] as const) {
      const d = decideMissingItemsRemedy(policy, order, stickers, v, { unitWeightsGrams: weights }, 0);
      expect(d).toEqual({
        rule: 'smallAmountMaxMinor',
        policyVersion: 7,
        outcome: 'REFUND_NOW',
        values: { verdict: v, valueMinor: 1000, weightGrams: 20, refundMinor: 1000, smallAmountMaxMinor: 3000, smallLightMaxWeightGrams: 300, currency: 'CNY' },
      });
    }
  });
  it('records showing a complete parcel → explain with the evidence', () => {
    expect(decideMissingItemsRemedy(policy, order, stickers, 'NOT_SHORT', { unitWeightsGrams: weights }, 0).outcome).toBe('EXPLAIN_WITH_EVIDENCE');
  });
  it('boundaries of amount and weight; unknown weight is not "light"', () => {
    const at = (smallAmountMaxMinor: number, smallLightMaxWeightGrams: number) =>
      decideMissingItemsRemedy(withRules({ smallAmountMaxMinor, smallLightMaxWeightGrams }), order, oneMug, 'CONFIRMED_SHORT', { unitWeightsGrams: weights }, 0).outcome;
    expect(at(3333, 350)).toBe('REFUND_NOW');
    expect(at(3332, 350)).toBe('CUSTOMER_CHOOSES');
    expect(at(3333, 349)).toBe('CUSTOMER_CHOOSES');
    expect(decideMissingItemsRemedy(policy, order, stickers, 'UNVERIFIABLE', {}, 0).outcome).toBe('CUSTOMER_CHOOSES');
  });
  it('larger → apologise, the customer chooses refund or re-shipment', () => {
    const d = decideMissingItemsRemedy(policy, order, [{ sku: 'LAMP', quantity: 1 }], 'UNVERIFIABLE', { unitWeightsGrams: weights }, 0);
    expect(d).toMatchObject({ rule: 'missingItemsCustomerChooses', outcome: 'CUSTOMER_CHOOSES', values: { valueMinor: 150_000, refundMinor: 150_000, options: ['REFUND', 'RESHIP'], apologise: true } });
  });
  it('the refund never exceeds what is still refundable; invalid input is named', () => {
    const d = decideMissingItemsRemedy(policy, order, stickers, 'CONFIRMED_SHORT', { unitWeightsGrams: weights }, order.paidTotalMinor - 400);
    expect(d.values).toMatchObject({ valueMinor: 1000, refundMinor: 400 });
    expect(decideMissingItemsRemedy(policy, order, stickers, 'CONFIRMED_SHORT', {}, order.paidTotalMinor + 1).values.refundMinor).toBe(0);
    expect(decideMissingItemsRemedy(policy, order, stickers, 'CONFIRMED_SHORT', {}, -1)).toMatchObject({ outcome: 'INVALID', values: { problems: [{ field: 'alreadyRefundedMinor' }] } });
    expect(decideMissingItemsRemedy(policy, order, [{ sku: 'STICKER', quantity: 3 }], 'CONFIRMED_SHORT', {}, 0).outcome).toBe('INVALID');
  });
});
