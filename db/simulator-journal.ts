/**
 * The simulators' journal in Postgres (table SimulatorEffect): each effect a simulated provider
 * made, once per (provider, method, idempotency key), with the request's fingerprint and the answer
 * given. It outlives the worker, so a call retried after a crash gets the first answer, and a crash
 * test counts the provider-side effects from here. Plain SQL (db/client.ts): every notification the
 * outbox sends runs both statements.
 */
import type { SimulatorJournal } from '../adapters/simulators/base.js';
import { sqlOf, type Db } from './client.js';

type Effect = { fingerprint: string; result: unknown };

export function createSimulatorJournal(db: Db): SimulatorJournal {
  const sql = sqlOf(db);
  const find = async (provider: string, method: string, idempotencyKey: string) => {
    const [row] = await sql.query<Effect>('SELECT fingerprint, result FROM "SimulatorEffect" WHERE provider = $1 AND method = $2 AND "idempotencyKey" = $3', [provider, method, idempotencyKey]);
    return row ? { fingerprint: row.fingerprint, result: row.result } : undefined;
  };
  return {
    find,
    async list(provider, method) {
      return sql.query<{ key: string; fingerprint: string; result: unknown; at: Date }>(
        'SELECT "idempotencyKey" AS key, fingerprint, result, at FROM "SimulatorEffect" WHERE provider = $1 AND method = $2 ORDER BY at, "idempotencyKey"',
        [provider, method],
      );
    },
    async remember(provider, method, idempotencyKey, effect) {
      // ON CONFLICT DO NOTHING: the first record of a key wins. RETURNING answers for the usual
      // case (ours went in) in one statement; only whoever came second reads the winner back.
      const [inserted] = await sql.query<Effect>(
        'INSERT INTO "SimulatorEffect" (provider, method, "idempotencyKey", fingerprint, result) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT DO NOTHING RETURNING fingerprint, result',
        [provider, method, idempotencyKey, effect.fingerprint, JSON.stringify(effect.result ?? null)],
      );
      return inserted ? { fingerprint: inserted.fingerprint, result: inserted.result } : (await find(provider, method, idempotencyKey))!;
    },
  };
}
