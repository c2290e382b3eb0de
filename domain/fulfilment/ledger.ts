/**
 * The stock ledger of a case (docs/after-sales.md "Figures"): a case's documents must net, SKU by
 * SKU, to what physically moved. What a case cost is reckoned from its booked ledger rows in
 * db/costs.ts (the console's figures) and simulation/result.ts (the policy what-if), kept equal by
 * a test.
 */
import type { Problem } from '../return-refund.js';
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
