/**
 * A case's documents and money as the ledger booked them (db/repositories/ledger.ts): warehouse
 * documents with their stock movements, expense notes, refunds and claim recoveries. Staff of the
 * case's merchant see them all; a customer sees only the refunds paid to them, since the other
 * documents carry the merchant's costs.
 */
import type { ApiApp } from '../typed-app.js';
import type { LedgerEntry } from '../../db/repositories/ledger.js';
import { principalOf } from '../auth.js';
import { visibleCase, type ApiDeps } from '../context.js';
import { CaseDocuments } from '../responses.js';
import { CaseParams } from '../schemas.js';

type Line = Record<string, unknown>;
type Movement = { sku: string; delta: number };

/** Per SKU, in the order the SKUs first appear: the stockDelta of every line that records one. */
function netted(moves: Movement[]): Movement[] {
  const bySku = new Map<string, number>();
  for (const m of moves) bySku.set(m.sku, (bySku.get(m.sku) ?? 0) + m.delta);
  return [...bySku].map(([sku, delta]) => ({ sku, delta }));
}

/** Lines are JSON written by the workflows; only goods lines (a SKU and a whole stockDelta) move stock. */
const movementsOf = (lines: Line[]): Movement[] =>
  lines.filter((l) => typeof l.sku === 'string' && Number.isSafeInteger(l.stockDelta)).map((l) => ({ sku: l.sku as string, delta: l.stockDelta as number }));

function documentView(e: LedgerEntry) {
  const lines = Array.isArray(e.lines) ? (e.lines.filter((l) => l !== null && typeof l === 'object' && !Array.isArray(l)) as Line[]) : [];
  return { kind: e.kind, amountMinor: Number(e.amountMinor), currency: e.currency, reference: e.reference, bookedAt: e.createdAt.toISOString(), lines, stock: netted(movementsOf(lines)) };
}

export function documentRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get(
    '/v1/cases/:caseId/documents',
    {
      config: { roles: ['CUSTOMER', 'STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR', 'ADMIN'] },
      schema: {
        response: { 200: CaseDocuments },
        tags: ['cases'],
        summary: 'A case’s documents in booking order: refunds, outbound notes and reversals, return and expense notes, claim recoveries, with their stock movements (a customer: only refunds)',
        params: CaseParams,
      },
    },
    async (request) => {
      const c = await visibleCase(deps, request, request.params.caseId);
      const entries = await deps.repos.documents(c.id, principalOf(request).role === 'CUSTOMER' ? ['REFUND'] : undefined);
      const documents = entries.map(documentView);
      const stockNet = netted(documents.flatMap((d) => d.stock)).sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
      return { caseId: c.id, documents, stockNet };
    },
  );
}
