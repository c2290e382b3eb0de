/**
 * The stock movements a case's documents booked, per SKU (each ledger line's stockDelta): what the
 * warehouse's stock count should see moving because of the case. Used to prove a case's documents
 * net to what physically moved.
 */
import type { Db } from './client.js';

export async function caseStockMovements(db: Db, caseId: string): Promise<Record<string, number>> {
  const rows = await db.$queryRaw<Array<{ sku: string; delta: bigint }>>`
    SELECT j->>'sku' AS sku, sum((j->>'stockDelta')::bigint) AS delta
      FROM "LedgerEntry" l, jsonb_array_elements(CASE WHEN jsonb_typeof(l."lines") = 'array' THEN l."lines" ELSE '[]'::jsonb END) j
     WHERE l."caseId" = ${caseId} AND j ? 'sku' AND j ? 'stockDelta'
     GROUP BY 1 ORDER BY 1`;
  return Object.fromEntries(rows.map((r) => [r.sku, Number(r.delta)]));
}
