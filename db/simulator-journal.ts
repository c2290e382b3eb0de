/**
 * The simulators' journal in Postgres (table SimulatorEffect): each effect a simulated provider
 * made, once per (provider, method, idempotency key), with the request's fingerprint and the answer
 * given. It outlives the worker, so a call retried after a crash gets the first answer, and a crash
 * test counts the provider-side effects from here.
 */
import type { SimulatorJournal } from '../adapters/simulators/base.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Db } from './client.js';

export function createSimulatorJournal(db: Db): SimulatorJournal {
  const find = async (provider: string, method: string, idempotencyKey: string) => {
    const row = await db.simulatorEffect.findUnique({ where: { provider_method_idempotencyKey: { provider, method, idempotencyKey } }, select: { fingerprint: true, result: true } });
    return row ? { fingerprint: row.fingerprint, result: row.result as unknown } : undefined;
  };
  return {
    find,
    async remember(provider, method, idempotencyKey, effect) {
      // ON CONFLICT DO NOTHING: the first record of a key wins; whoever came second reads it back.
      await db.simulatorEffect.createMany({
        data: [{ provider, method, idempotencyKey, fingerprint: effect.fingerprint, result: (effect.result ?? null) as Prisma.InputJsonValue }],
        skipDuplicates: true,
      });
      return (await find(provider, method, idempotencyKey))!;
    },
  };
}
