/**
 * Exchange and re-shipment (换货 / 补发, 售后发货, docs/after-sales.md §11; seed 000): what goes out instead of
 * what the customer has, and the money between them — a dearer replacement is paid by the customer
 * before it ships, a cheaper one refunds the difference (差价多退少补).
 */
import { detectCountMismatch, orderLineProblems, type CountMismatch, type InspectedLine, type Problem } from './return-refund.js';
import type { OrderSnapshot } from './return-refund.js';

export interface ExchangeLine {
  /** The ordered SKU being exchanged or re-sent. */
  sku: string;
  quantity: number;
  /** Another variant (size, colour, model); absent: the same SKU again. */
  replacementSku?: string;
  replacementUnitPriceMinor?: number;
  replacementUnitCostMinor?: number;
}

export interface OutgoingLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  unitCostMinor: number;
}

const whole = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;

/** An exchange's lines (orderLineProblems) and what each sends instead. The order is validated by the caller. */
export function validateExchange(order: OrderSnapshot, lines: ExchangeLine[]): Problem[] {
  return orderLineProblems(order, lines, 'lines', (l, i) => {
    const problems: Problem[] = [];
    if (l.replacementSku !== undefined && (typeof l.replacementSku !== 'string' || !l.replacementSku.trim())) problems.push({ field: `lines[${i}].replacementSku`, reason: 'must be a SKU' });
    for (const f of ['replacementUnitPriceMinor', 'replacementUnitCostMinor'] as const) {
      if (l[f] !== undefined && !whole(l[f], 0)) problems.push({ field: `lines[${i}].${f}`, reason: 'must be a whole number of minor units ≥ 0' });
    }
    // Another variant needs its price and cost, each named where it is missing.
    if (l.replacementSku && l.replacementSku !== l.sku) {
      for (const f of ['replacementUnitPriceMinor', 'replacementUnitCostMinor'] as const) {
        if (l[f] === undefined) problems.push({ field: `lines[${i}].${f}`, reason: `another variant (${l.replacementSku}) needs its ${f === 'replacementUnitPriceMinor' ? 'price' : 'cost'}` });
      }
    }
    return problems;
  });
}

/**
 * An exchange for the same goods (no replacementSku, or the ordered SKU again) sends them at the
 * price paid: a price of its own would ask the customer for a difference on the very same item (a
 * trial's finding: 20.00 more for the same T-shirt). Checked when one is opened (the API), not by
 * the workflow, as reshipmentProblems: exchanges opened before still run as they began.
 */
export function sameGoodsPriceProblems(order: OrderSnapshot, lines: ExchangeLine[]): Problem[] {
  const problems: Problem[] = [];
  (lines ?? []).forEach((l, i) => {
    const item = order.items.find((x) => x.sku === l.sku);
    const same = l.replacementSku === undefined || l.replacementSku === l.sku;
    if (same && item && l.replacementUnitPriceMinor !== undefined && l.replacementUnitPriceMinor !== item.unitPriceMinor) {
      problems.push({ field: `lines[${i}].replacementUnitPriceMinor`, reason: `the same goods go out at the price paid (${item.unitPriceMinor}): a price of their own is for another variant (replacementSku)` });
    }
  });
  return problems;
}

/**
 * A re-shipment (补发) sends the ordered goods again: another variant, or another price, is an
 * exchange. Checked when one is opened (the API), not by the workflow: re-shipments opened before
 * with a variant still run as they began.
 */
export function reshipmentProblems(order: OrderSnapshot, lines: ExchangeLine[]): Problem[] {
  const problems: Problem[] = [];
  (lines ?? []).forEach((l, i) => {
    const item = order.items.find((x) => x.sku === l.sku);
    if (l.replacementSku !== undefined && l.replacementSku !== l.sku) problems.push({ field: `lines[${i}].replacementSku`, reason: 'a re-shipment sends the ordered goods again: for another variant, open an EXCHANGE' });
    else if (item && l.replacementUnitPriceMinor !== undefined && l.replacementUnitPriceMinor !== item.unitPriceMinor) problems.push({ field: `lines[${i}].replacementUnitPriceMinor`, reason: `a re-shipment sends the ordered goods again at the price paid (${item.unitPriceMinor}): for another price, open an EXCHANGE` });
  });
  return problems;
}

/** What goes out: the replacement (or the same goods again), at its price and cost. */
export function outgoingLines(order: OrderSnapshot, lines: ExchangeLine[]): OutgoingLine[] {
  return lines.map((l) => {
    const item = order.items.find((x) => x.sku === l.sku)!;
    return {
      sku: l.replacementSku ?? l.sku,
      quantity: l.quantity,
      unitPriceMinor: l.replacementUnitPriceMinor ?? item.unitPriceMinor,
      unitCostMinor: l.replacementUnitCostMinor ?? item.unitCostMinor,
    };
  });
}

/** Replacement price − price paid, over the lines: > 0 the customer pays it, < 0 it is refunded. */
export function exchangeDifferenceMinor(order: OrderSnapshot, lines: ExchangeLine[]): number {
  return lines.reduce((sum, l) => {
    const item = order.items.find((x) => x.sku === l.sku)!;
    return sum + l.quantity * ((l.replacementUnitPriceMinor ?? item.unitPriceMinor) - item.unitPriceMinor);
  }, 0);
}

export interface NoStockRefund {
  amountMinor: number;
  /**
   * The ledger lines: each exchanged line at the price paid, and the difference paid for a dearer
   * replacement (DIFFERENCE_RETURNED: the customer's own money going back, not an after-sales cost,
   * unlike a cheaper replacement's PRICE_DIFFERENCE; db/costs.ts).
   */
  breakdown: NoStockRefundLine[];
}
export interface NoStockRefundLine {
  kind: 'GOODS' | 'DIFFERENCE_RETURNED' | 'CAP';
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
}

/** The ledger line of a price difference paid for a dearer replacement and given back: the customer's own money, above the order's cap (db/costs.ts counts it as no cost). */
export const differenceReturnedLine = (amountMinor: number): NoStockRefundLine => ({ kind: 'DIFFERENCE_RETURNED', sku: 'PRICE_DIFFERENCE', quantity: 1, unitPriceMinor: amountMinor, amountMinor });

/**
 * No unit in stock passes the outgoing check and the customer takes a refund instead (an agent's
 * decision, with the customer's consent): what the exchanged goods were paid, plus the difference
 * the customer already paid for a dearer replacement that will now never ship. Goods that came back
 * (`returned`, the inspection) count only as far as they came back in good order, as a return's
 * refund counts them (computeRefund); without an inspection (a re-shipment: the customer never had
 * the goods) every exchanged unit counts.
 */
export function noStockRefund(order: OrderSnapshot, lines: ExchangeLine[], differencePaidMinor: number, returned?: ReadonlyArray<{ sku: string; receivedQuantity: number; condition: string }>): NoStockRefund {
  const okBack = new Map<string, number>();
  for (const l of returned ?? []) if (l.condition === 'OK') okBack.set(l.sku, (okBack.get(l.sku) ?? 0) + l.receivedQuantity);
  const breakdown: NoStockRefundLine[] = lines.map((l) => {
    const unitPriceMinor = order.items.find((x) => x.sku === l.sku)?.unitPriceMinor ?? 0;
    const quantity = returned ? Math.min(l.quantity, okBack.get(l.sku) ?? 0) : l.quantity;
    return { kind: 'GOODS', sku: l.sku, quantity, unitPriceMinor, amountMinor: quantity * unitPriceMinor };
  });
  if (differencePaidMinor > 0) breakdown.push(differenceReturnedLine(differencePaidMinor));
  return { amountMinor: breakdown.reduce((s, b) => s + b.amountMinor, 0), breakdown };
}

/** The ledger lines of what was actually paid: the breakdown, and a CAP line for what the order had no more of. */
export function noStockRefundPaid(refund: NoStockRefund, paidMinor: number): NoStockRefundLine[] {
  const cut = refund.amountMinor - paidMinor;
  return cut > 0 ? [...refund.breakdown, { kind: 'CAP', sku: 'CAP', quantity: 1, unitPriceMinor: -cut, amountMinor: -cut }] : refund.breakdown;
}

/** An exchanged line that did not come back as asked: short or over (CountMismatch), or damaged by the customer. */
export type ReturnedNotAsAsked = CountMismatch | { sku: string; expected: number; received: number; kind: 'DAMAGED_BY_CUSTOMER' };

/**
 * What of the goods an exchange takes back did not come back as asked: fewer than asked (an empty
 * box: a MISSING line counts none), or goods the customer damaged (docs/after-sales.md §11). The
 * replacement is not owed for those as a matter of course: an agent decides with the customer.
 * Empty when everything came back in order.
 */
export function returnedNotAsAsked(lines: ReadonlyArray<{ sku: string; quantity: number }>, inspected: InspectedLine[]): ReturnedNotAsAsked[] {
  const out: ReturnedNotAsAsked[] = detectCountMismatch({ lines }, inspected);
  // By SKU: two lines of one SKU (one pair to size L, one to size M) are one set of goods back.
  const asked = new Map<string, number>();
  for (const line of lines) asked.set(line.sku, (asked.get(line.sku) ?? 0) + line.quantity);
  for (const [sku, expected] of asked) {
    const damaged = inspected.filter((l) => l.sku === sku && l.condition === 'DAMAGED_BY_CUSTOMER').reduce((sum, l) => sum + l.receivedQuantity, 0);
    if (damaged > 0) out.push({ sku, expected, received: damaged, kind: 'DAMAGED_BY_CUSTOMER' });
  }
  return out;
}

/**
 * What an inspection of a lent loan product coming back cannot say (workflows/exchange.ts reads its
 * line's receivedQuantity as what came back): MISSING with its one unit received. The unit came
 * back (OK, DAMAGED_BY_CUSTOMER) or it did not (MISSING, receivedQuantity 0: an agent settles the
 * loan not returned); said both ways, the case would take the loan as back and resolve. Elsewhere a
 * MISSING line's count is the units announced (counted as 0 received): the goods a case asked back
 * are compared line by line, the loan by its one line.
 */
export function loanInspectionProblems(loanSku: string, lines: InspectedLine[]): Problem[] {
  return [...lines.entries()]
    .filter(([, l]) => l.sku === loanSku && l.condition === 'MISSING' && l.receivedQuantity > 0)
    .map(([i, l]) => ({
      field: `lines[${i}].receivedQuantity`,
      reason: `${loanSku} reported MISSING with receivedQuantity ${l.receivedQuantity}: the loan product lent came back (report its condition, OK or DAMAGED_BY_CUSTOMER) or is missing (receivedQuantity 0: an agent settles the loan not returned)`,
    }));
}
