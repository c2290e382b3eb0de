/**
 * The platform's daily housekeeping, started by the Temporal schedule `aftersales-housekeeping`
 * (app/schedules.ts), so ops see each run, its result and the next one in the Temporal UI and can
 * pause, trigger or re-time it there. The retention comes with the schedule's action.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { HousekeepingActivities } from '../activities/contract.js';

const { sweepExpiredRecords } = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes' },
});

export interface HousekeepingInput {
  /** Days an Idempotency-Key answer is kept. */
  idempotencyRetentionDays: number;
  /** Days an expired or revoked customer token is kept after it stopped working. */
  customerTokenRetentionDays: number;
}

const DAY = 86_400_000;

export async function housekeeping(input: HousekeepingInput): Promise<{ idempotencyRecords: number; customerTokens: number }> {
  const now = Date.now();
  return sweepExpiredRecords({ idempotencyBefore: now - input.idempotencyRetentionDays * DAY, customerTokensBefore: now - input.customerTokenRetentionDays * DAY });
}
