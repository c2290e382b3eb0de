/**
 * The stock ledger and the cost ledger of a case (004 §七, docs/after-sales.md "Figures"). A case's documents
 * must net, SKU by SKU, to what physically moved; and every case has a cost: logistics both
 * ways, replacement goods at cost, repair, compensation, refunds and labour, less what courier
 * claims recovered — compared with the budget.
 */
import { addMoney, compareMoney, isKnownCurrency, money, subtractMoney, sumMoney, type Money } from '../money.js';
import type { Problem } from '../return-refund.js';
import { isWhole } from './common.js';
import { stockDelta, type CaseDocument, type StockMovement } from './documents.js';

export interface StockBalanceLine {
  sku: string;
  documented: number;
  physical: number;
  /** documented − physical; 0 everywhere when the ledger balances. */
  difference: number;
}

const net = (moves: StockMovement[]) => {
  const bySku = new Map<string, number>();
  for (const m of moves) bySku.set(m.sku, (bySku.get(m.sku) ?? 0) + m.delta);
  return bySku;
};

/**
 * Proves the documents (the original outbound included) net to what physically moved, per SKU.
 * Each document's stock movements are recomputed from its kind and lines, and a stored `stock`
 * that disagrees is a problem — the proof never trusts a derived field.
 */
export function stockBalance(documents: CaseDocument[], physical: StockMovement[]): { balanced: boolean; lines: StockBalanceLine[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const documentedMoves: StockMovement[] = [];
  documents.forEach((doc, i) => {
    const moves = doc.lines.map((l) => ({ sku: l.sku, delta: stockDelta(doc.kind, l.quantity) }));
    const stored = net(doc.stock);
    for (const [sku, delta] of net(moves)) {
      if ((stored.get(sku) ?? 0) !== delta) problems.push({ field: `documents[${i}].stock`, reason: `${sku}: stored ${stored.get(sku) ?? 0}, lines give ${delta}` });
      stored.delete(sku);
    }
    for (const [sku, delta] of stored) if (delta !== 0) problems.push({ field: `documents[${i}].stock`, reason: `${sku}: stored ${delta}, lines give 0` });
    documentedMoves.push(...moves);
  });
  physical.forEach((m, i) => {
    if (!Number.isSafeInteger(m.delta)) problems.push({ field: `physical[${i}].delta`, reason: 'must be a whole number of units' });
  });
  const doc = net(documentedMoves);
  const phys = net(physical);
  const skus = [...new Set([...doc.keys(), ...phys.keys()])].sort();
  const lines = skus.map((sku) => {
    const documented = doc.get(sku) ?? 0;
    const moved = phys.get(sku) ?? 0;
    return { sku, documented, physical: moved, difference: documented - moved };
  });
  return { balanced: !problems.length && lines.every((l) => l.difference === 0), lines, problems };
}

export type CostKind = 'LOGISTICS_OUT' | 'LOGISTICS_RETURN' | 'REPLACEMENT_GOODS' | 'REPAIR' | 'COMPENSATION' | 'REFUND' | 'LABOUR' | 'CLAIM_RECOVERED';
export const COST_KINDS: readonly CostKind[] = ['LOGISTICS_OUT', 'LOGISTICS_RETURN', 'REPLACEMENT_GOODS', 'REPAIR', 'COMPENSATION', 'REFUND', 'LABOUR', 'CLAIM_RECOVERED'];

export interface CostEntry {
  kind: CostKind;
  /** Always ≥ 0; CLAIM_RECOVERED is subtracted. */
  amountMinor: number;
  note?: string;
}

/**
 * Cost entries a case's own documents imply: a new outbound → replacement goods at cost; expense
 * notes → refund (REFUND), compensation (DISCOUNT, COMPENSATION, and GIFT — goods given away,
 * valued at cost) or return logistics (RETURN_SHIPPING). Pass only the case's documents, not the
 * original outbound. Shipping paid to couriers, labour, repair and recoveries come from their own records.
 */
export function costEntriesFromDocuments(documents: CaseDocument[]): CostEntry[] {
  const out: CostEntry[] = [];
  for (const doc of documents) {
    if (doc.kind === 'OUTBOUND') out.push({ kind: 'REPLACEMENT_GOODS', amountMinor: doc.lines.reduce((s, l) => s + l.quantity * l.unitCostMinor, 0) });
    if (doc.kind === 'EXPENSE_NOTE' && doc.expense) {
      const p = doc.expense.purpose;
      const kind: CostKind = p === 'REFUND' ? 'REFUND' : p === 'RETURN_SHIPPING' ? 'LOGISTICS_RETURN' : 'COMPENSATION';
      out.push({ kind, amountMinor: doc.expense.amountMinor, note: p });
    }
  }
  return out;
}

export interface CaseCostSummary {
  currency: string;
  logistics: Money;
  replacementAndRepair: Money;
  compensation: Money;
  refunds: Money;
  labour: Money;
  recovered: Money;
  /** Everything spent, before recoveries. */
  gross: Money;
  /** gross − recovered. */
  net: Money;
  /** Set when a budget is given: net above it. */
  overBudget?: boolean;
}

/**
 * The case's cost (004 §七.2 成本核算台賬): grouped as the budget is (人工, 物流, 換貨及維修, 客戶補償,
 * plus refunds), less the courier compensation recovered through claims. Negative or fractional
 * amounts and unknown kinds are problems, and no summary is given.
 */
export function caseCostSummary(currency: string, entries: CostEntry[], budgetMinor?: number): { summary?: CaseCostSummary; problems: Problem[] } {
  const problems: Problem[] = isKnownCurrency(currency) ? [] : [{ field: 'currency', reason: `must be a supported ISO-4217 code such as CNY, got ${JSON.stringify(currency)}` }];
  entries.forEach((e, i) => {
    if (!COST_KINDS.includes(e.kind)) problems.push({ field: `entries[${i}].kind`, reason: `must be one of ${COST_KINDS.join(', ')}` });
    if (!isWhole(e.amountMinor, 0)) problems.push({ field: `entries[${i}].amountMinor`, reason: `must be a whole number of minor units ≥ 0, got ${JSON.stringify(e.amountMinor)}` });
  });
  if (budgetMinor !== undefined && !isWhole(budgetMinor, 0)) problems.push({ field: 'budgetMinor', reason: 'must be a whole number of minor units ≥ 0' });
  if (problems.length) return { problems };
  const total = (...kinds: CostKind[]) => sumMoney(entries.filter((e) => kinds.includes(e.kind)).map((e) => money(e.amountMinor, currency)), currency);
  const logistics = total('LOGISTICS_OUT', 'LOGISTICS_RETURN');
  const replacementAndRepair = total('REPLACEMENT_GOODS', 'REPAIR');
  const compensation = total('COMPENSATION');
  const refunds = total('REFUND');
  const labour = total('LABOUR');
  const recovered = total('CLAIM_RECOVERED');
  const gross = [replacementAndRepair, compensation, refunds, labour].reduce(addMoney, logistics);
  const netCost = subtractMoney(gross, recovered);
  const summary: CaseCostSummary = { currency, logistics, replacementAndRepair, compensation, refunds, labour, recovered, gross, net: netCost };
  if (budgetMinor !== undefined) summary.overBudget = compareMoney(netCost, money(budgetMinor, currency)) > 0;
  return { summary, problems };
}
