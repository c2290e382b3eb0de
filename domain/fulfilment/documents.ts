/**
 * The warehouse and finance documents (单据) a case produces, as data, each with its per-SKU stock
 * movement (003 §二, §三.4, §四.3, §五.4). Signs: an outbound (出库单) takes stock out; its
 * reversal (冲单) carries short-shipped lines negative (they never left: stock back) and
 * over-shipped lines positive (they left unrecorded: stock out); a return note (退货单) puts stock
 * back; a blank return (空退单, a return with no goods, turned into an expense note) and an expense
 * note (费用单) move money only.
 */
import type { Names } from '../case-types.js';
import type { OrderSnapshot } from '../return-refund.js';
import { isWhole, type SkuQuantity } from './common.js';

export type DocumentKind = 'OUTBOUND' | 'OUTBOUND_REVERSAL' | 'RETURN_NOTE' | 'BLANK_RETURN' | 'EXPENSE_NOTE';

export const DOCUMENT_NAMES: Readonly<Record<DocumentKind, Names>> = {
  OUTBOUND: { 'zh-CN': '出库单', en: 'Outbound note' },
  OUTBOUND_REVERSAL: { 'zh-CN': '出库单冲单', en: 'Outbound reversal' },
  RETURN_NOTE: { 'zh-CN': '退货单', en: 'Return note' },
  BLANK_RETURN: { 'zh-CN': '空退单（转费用单）', en: 'Blank return (to expense note)' },
  EXPENSE_NOTE: { 'zh-CN': '费用单', en: 'Expense note' },
};

/** What an expense note pays for; a refund with no goods coming back is booked on one (003 §二.4, §四.3.1). */
export type ExpensePurpose = 'REFUND' | 'DISCOUNT' | 'GIFT' | 'RETURN_SHIPPING' | 'COMPENSATION' | 'REPAIR';

export interface DocumentLine {
  sku: string;
  /** Units; signed on a reversal only. */
  quantity: number;
  unitCostMinor: number;
}

export interface StockMovement {
  sku: string;
  /** + into stock, − out of stock. */
  delta: number;
}

export interface CaseDocument {
  kind: DocumentKind;
  lines: DocumentLine[];
  /** Expense notes: what for and how much (minor units). */
  expense?: { purpose: ExpensePurpose; amountMinor: number };
  /** Per SKU, derived from kind and lines. */
  stock: StockMovement[];
}

/** Stock change of one line: outbound and reversal −q, return note +q, paper-only documents 0. */
export function stockDelta(kind: DocumentKind, quantity: number): number {
  if (kind === 'OUTBOUND' || kind === 'OUTBOUND_REVERSAL') return quantity === 0 ? 0 : -quantity;
  return kind === 'RETURN_NOTE' ? quantity : 0;
}

function document(kind: DocumentKind, lines: DocumentLine[]): CaseDocument {
  lines.forEach((l) => {
    const ok = kind === 'OUTBOUND_REVERSAL' ? Number.isSafeInteger(l.quantity) && l.quantity !== 0 : isWhole(l.quantity, 1);
    if (!ok) throw new RangeError(`${kind} line ${l.sku}: quantity must be a whole number ${kind === 'OUTBOUND_REVERSAL' ? '≠ 0' : '≥ 1'}, got ${l.quantity}`);
    if (!isWhole(l.unitCostMinor, 0)) throw new RangeError(`${kind} line ${l.sku}: unitCostMinor must be a whole number ≥ 0`);
  });
  const stock = lines.map((l) => ({ sku: l.sku, delta: stockDelta(kind, l.quantity) })).filter((m) => m.delta !== 0);
  return { kind, lines: lines.map((l) => ({ ...l })), stock };
}

export const outboundNote = (lines: DocumentLine[]) => document('OUTBOUND', lines);
export const outboundReversal = (lines: DocumentLine[]) => document('OUTBOUND_REVERSAL', lines);
export const returnNote = (lines: DocumentLine[]) => document('RETURN_NOTE', lines);
export const blankReturn = (lines: DocumentLine[]) => document('BLANK_RETURN', lines);

export function expenseNote(purpose: ExpensePurpose, amountMinor: number): CaseDocument {
  if (!isWhole(amountMinor, 0)) throw new RangeError(`expense note ${purpose}: amount must be a whole number of minor units ≥ 0, got ${amountMinor}`);
  return { kind: 'EXPENSE_NOTE', lines: [], expense: { purpose, amountMinor }, stock: [] };
}

/** Order lines with the order's unit cost (unknown SKUs throw: validate first). */
export function orderLines(order: OrderSnapshot, lines: SkuQuantity[], sign: 1 | -1 = 1): DocumentLine[] {
  return lines.map((l) => {
    const item = order.items.find((i) => i.sku === l.sku);
    if (!item) throw new RangeError(`${l.sku} is not part of order ${order.orderId}`);
    return { sku: l.sku, quantity: sign * l.quantity, unitCostMinor: item.unitCostMinor };
  });
}

/**
 * 少货 documents (003 §二.3-5): confirmed short → reverse the outbound (the lines negative); a refund
 * is booked on an expense note (费用单冲抵); a re-shipment needs a new outbound note. A shortage the
 * checks could not confirm (`confirmedShort` false) reverses nothing: the stock system says the goods
 * left and nothing shows otherwise — putting them back counted a unit twice when it had come back
 * already with a return of the same order.
 */
export function missingItemsDocuments(order: OrderSnapshot, lines: SkuQuantity[], remedy: { kind: 'REFUND'; refundMinor: number } | { kind: 'RESHIP' }, o: { confirmedShort?: boolean } = {}): CaseDocument[] {
  const docs = o.confirmedShort === false ? [] : [outboundReversal(orderLines(order, lines, -1))];
  docs.push(remedy.kind === 'REFUND' ? expenseNote('REFUND', remedy.refundMinor) : outboundNote(orderLines(order, lines)));
  return docs;
}

export type Settlement =
  | { kind: 'REFUND_ONLY'; refundMinor: number }
  | { kind: 'RETURN_REFUND'; returnShippingMinor: number }
  | { kind: 'RETURN_EXCHANGE'; returnShippingMinor: number };

/**
 * Damage and quality documents (003 §四.3 and §五.4, the same three): refund only → expense note;
 * return and refund → return note + expense note for the return shipping; return and exchange →
 * the same plus a new outbound note for the replacement.
 */
export function settlementDocuments(order: OrderSnapshot, lines: SkuQuantity[], settlement: Settlement): CaseDocument[] {
  if (settlement.kind === 'REFUND_ONLY') return [expenseNote('REFUND', settlement.refundMinor)];
  const docs = [returnNote(orderLines(order, lines)), expenseNote('RETURN_SHIPPING', settlement.returnShippingMinor)];
  if (settlement.kind === 'RETURN_EXCHANGE') docs.push(outboundNote(orderLines(order, lines)));
  return docs;
}
