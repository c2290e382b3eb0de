import { describe, expect, it } from 'vitest';
import { approvedLinesOf, approvedOrAsked, goodsLines } from '../../domain/goods-lines.js';

const asked = [
  { sku: 'MUG-01', quantity: 2, reason: 'DEFECTIVE' },
  { sku: 'PAN-02', quantity: 1, reason: 'NO_LONGER_WANTED' },
];
const approval = (lines: unknown, outcome = 'APPROVE') => ({ kind: 'SOLUTION_PROPOSED', decision: { rule: 'agentDecision', outcome, values: { lines } } });

describe('goodsLines: the well-formed lines of a recorded value', () => {
  it('keeps lines with a SKU and a positive whole quantity, with their other fields', () => {
    expect(goodsLines([{ sku: 'MUG-01', quantity: 2, replacementSku: 'MUG-02' }, { sku: 'X', quantity: 0 }, { sku: 'Y', quantity: 1.5 }, { quantity: 1 }, null, 'MUG-01'])).toEqual([
      { sku: 'MUG-01', quantity: 2, replacementSku: 'MUG-02' },
    ]);
  });
  it('is empty for anything that is not a list', () => {
    expect(goodsLines(undefined)).toEqual([]);
    expect(goodsLines({ sku: 'MUG-01', quantity: 1 })).toEqual([]);
  });
});

describe('approvedOrAsked: what a case expects of its goods', () => {
  it('is what the agent approved when they approved lines: a refused line is gone, one approved in part counts less', () => {
    expect(approvedOrAsked([{ sku: 'MUG-01', quantity: 1 }], asked)).toEqual([{ sku: 'MUG-01', quantity: 1 }]);
  });
  it('is what was asked when no agent decided on lines', () => {
    expect(approvedOrAsked(undefined, asked)).toBe(asked);
    expect(approvedOrAsked([], asked)).toBe(asked);
  });
});

describe('approvedLinesOf: the latest agent approval on a timeline', () => {
  it('reads the lines of the latest approval by an agent, SKU and quantity only', () => {
    const timeline = [{ kind: 'OPENED' }, approval([{ sku: 'MUG-01', quantity: 2, reason: 'DEFECTIVE' }]), { kind: 'NOTE' }, approval([{ sku: 'MUG-01', quantity: 1, reason: 'DEFECTIVE' }])];
    expect(approvedLinesOf(timeline)).toEqual([{ sku: 'MUG-01', quantity: 1 }]);
  });
  it('ignores a rejection, an automatic approval and other steps', () => {
    expect(approvedLinesOf([approval([{ sku: 'MUG-01', quantity: 1 }]), approval(asked, 'REJECT')])).toEqual([{ sku: 'MUG-01', quantity: 1 }]);
    expect(approvedLinesOf([{ kind: 'SOLUTION_PROPOSED', decision: { rule: 'returnApproval', outcome: 'APPROVE', values: { lines: asked } } }])).toBeNull();
    expect(approvedLinesOf([{ kind: 'OPENED', decision: { rule: 'agentDecision', outcome: 'APPROVE', values: { lines: asked } } }])).toBeNull();
    expect(approvedLinesOf([])).toBeNull();
  });
});
