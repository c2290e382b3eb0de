/** A 400's list of problems (api/errors.ts badInput): every problem found, each once. */
import { describe, expect, it } from 'vitest';
import { badInput } from '../../api/errors.js';

describe('a 400 listing what is wrong', () => {
  it('names a problem two checks both found once, and keeps every other in order', () => {
    const late = { field: 'body.order.deliveredAt', reason: 'must not be before shippedAt' };
    const sku = { field: 'body.lines[0].sku', reason: 'unknown SKU HAT' };
    const e = badInput([late, sku, { ...late }, { field: 'body.order.deliveredAt', reason: 'must not be in the future' }]);
    expect(e.problems).toEqual([late, sku, { field: 'body.order.deliveredAt', reason: 'must not be in the future' }]);
    expect(e.message).toBe('3 problems: body.order.deliveredAt: must not be before shippedAt; body.lines[0].sku: unknown SKU HAT; body.order.deliveredAt: must not be in the future');
    expect(badInput([late, { ...late }]).message).toBe('body.order.deliveredAt: must not be before shippedAt');
  });
});
