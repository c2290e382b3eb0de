/**
 * The most a refund for damaged goods the customer keeps may be, as the workflow checks it
 * (workflows/transit-damage.ts, the assessDamage validator): at most what was paid for the damaged
 * goods (the case's lines × their unit price, domain/fulfilment/common.ts paidValueMinor), and at
 * most the order's paid total. A cup of 88.00 damaged in an order of 359.00: 300.00 is refused.
 */

interface PricedItem {
  sku: string;
  unitPriceMinor?: number;
}
interface Line {
  sku: string;
  quantity: number;
}

/** What was paid for `lines` (Σ quantity × unitPriceMinor; a SKU not in the order counts 0, as the server counts it); null without the order's items. */
export function paidForLinesMinor(items: ReadonlyArray<PricedItem> | null | undefined, lines: ReadonlyArray<Line>): number | null {
  if (!items || !lines.length) return null;
  let sum = 0;
  for (const l of lines) {
    const price = items.find((i) => i.sku === l.sku)?.unitPriceMinor ?? 0;
    if (!Number.isFinite(price)) return null;
    sum += l.quantity * price;
  }
  return sum;
}

export interface RefundLimit {
  minor: number;
  /** Which amount it is: what was paid for the damaged goods, or for the whole order. */
  of: 'damaged' | 'order';
}

/** The lower of the two limits that are known (the damaged goods' when they are equal), or null when neither is. */
export function refundLimit(paidTotalMinor: number | null, damagedPaidMinor: number | null): RefundLimit | null {
  if (damagedPaidMinor !== null && (paidTotalMinor === null || damagedPaidMinor <= paidTotalMinor)) return { minor: damagedPaidMinor, of: 'damaged' };
  return paidTotalMinor === null ? null : { minor: paidTotalMinor, of: 'order' };
}

/**
 * The limit in the workflow's refusal of a refund above it, read from its reason
 * (`proposedRefundMinor 30000 is more than the 8800 paid for the damaged goods`, `… is more than the 35900 paid`);
 * undefined for any other reason.
 */
export function refusedLimit(reason: string): RefundLimit | undefined {
  const m = /^(?:\w+ )?\d+ is more than the (\d+) paid( for the damaged goods)?$/.exec(reason);
  return m ? { minor: Number(m[1]), of: m[2] ? 'damaged' : 'order' } : undefined;
}
