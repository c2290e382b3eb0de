/**
 * The drill's own database on the Postgres server (a fresh `drill_<random>` per run, dropped at the
 * end), and the two reads the checks need. Plain SQL over `pg`, not the platform's repositories:
 * the drill counts what the database holds, independently of the code under test.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface DrillDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(serverUrl: string): Promise<DrillDatabase> {
  const name = `drill_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      // FORCE: a worker or API killed a moment ago may still hold a connection the server has not reaped.
      await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      dropped = true;
    },
  };
}

export interface CaseRow {
  id: string;
  orderId: string;
  type: string;
  stage: string;
  status: string;
  closeReason: string | null;
  createdAt: Date;
}

export interface LedgerRow {
  caseId: string;
  kind: 'REFUND' | 'CLAIM_RECOVERY';
  amountMinor: number;
  reference: string | null;
  idempotencyKey: string;
}

/** Every case of the merchant (also ones the clients never heard of: a retried opening that made a second case). */
export function readCases(url: string, merchantId: string): Promise<CaseRow[]> {
  return withClient(url, async (c) => {
    const r = await c.query(`SELECT id, "orderId", type::text AS type, stage, status::text AS status, "closeReason", "createdAt" FROM "Case" WHERE "merchantId" = $1`, [merchantId]);
    return r.rows as CaseRow[];
  });
}

/** The money entries of the merchant's cases: refunds (booked negative) and claim recoveries. */
export function readLedger(url: string, merchantId: string): Promise<LedgerRow[]> {
  return withClient(url, async (c) => {
    const r = await c.query(
      `SELECT l."caseId", l.kind::text AS kind, l."amountMinor"::text AS amount, l.reference, l."idempotencyKey"
         FROM "LedgerEntry" l JOIN "Case" c ON c.id = l."caseId"
        WHERE c."merchantId" = $1 AND l.kind IN ('REFUND', 'CLAIM_RECOVERY')`,
      [merchantId],
    );
    return r.rows.map((row: { caseId: string; kind: LedgerRow['kind']; amount: string; reference: string | null; idempotencyKey: string }) => ({
      caseId: row.caseId,
      kind: row.kind,
      amountMinor: Number(row.amount),
      reference: row.reference,
      idempotencyKey: row.idempotencyKey,
    }));
  });
}
