/**
 * What the documents tests share: the shape `GET /v1/cases/:caseId/documents` answers, reading it,
 * checking that a case's documents are booked in order and net to the stock the ledger holds, and
 * the take-back every return goes through over HTTP. `documentsHarness(pt)` after `usePlatform()`.
 */
import { expect } from 'vitest';
import { caseStockMovements } from '../../db/stock.js';
import type { PlatformUnderTest } from './platform-harness.js';

export interface Doc {
  kind: string;
  amountMinor: number;
  currency: string;
  reference: string | null;
  bookedAt: string;
  lines: Array<Record<string, unknown>>;
  stock: Array<{ sku: string; delta: number }>;
}
export interface Documents {
  caseId: string;
  documents: Doc[];
  stockNet: Array<{ sku: string; delta: number }>;
}

export const asRecord = (net: Array<{ sku: string; delta: number }>) => Object.fromEntries(net.map((m) => [m.sku, m.delta]));
/** A document's kind, or for an expense note what it pays for (one purpose line per note). */
export const kindOf = (d: Doc) => (d.kind === 'EXPENSE_NOTE' ? `EXPENSE_NOTE:${d.lines.map((l) => String(l.purpose)).join('+')}` : d.kind);

/** Every document is booked at a real time, in the order the list gives. */
export function expectBookingOrder(docs: Doc[]) {
  const times = docs.map((d) => Date.parse(d.bookedAt));
  expect(times.every((t) => Number.isFinite(t))).toBe(true);
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

export function documentsHarness(pt: PlatformUnderTest) {
  const documents = async (caseId: string, key: string = pt.keys.AGENT!): Promise<Documents> => {
    const r = await pt.call('GET', `/v1/cases/${caseId}/documents`, key);
    expect(r.status).toBe(200);
    return r.body as Documents;
  };
  const tokenOf = async (customerId: string) => (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId })).body.token as string;

  /** Booked in order, and the stock nets as the ledger holds it. */
  async function expectConsistent(caseId: string, staff: Documents) {
    expectBookingOrder(staff.documents);
    expect(asRecord(staff.stockNet)).toEqual(await caseStockMovements(pt.db, caseId));
  }

  /** Sends the goods back, scans them in and inspects them (the take-back every return shares). */
  async function sendBack(caseId: string, token: string, tracking: string, inspection: Record<string, unknown>) {
    await pt.until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: tracking })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: tracking, scannedBy: 'dock-1' })).status).toBe(202);
    await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_INSPECTION');
    const inspected = await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, inspection);
    expect(inspected.status).toBe(200);
    return inspected.body as Record<string, unknown>;
  }

  return { documents, tokenOf, expectConsistent, sendBack };
}
