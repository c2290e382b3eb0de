/** The housekeeping workflow's activity, over the one statement in db/housekeeping.ts (idempotent: a retry deletes nothing more). */
import type { HousekeepingActivities } from './contract.js';

export interface HousekeepingPort {
  sweep(c: { idempotencyBefore: Date; customerTokensBefore: Date }): Promise<{ idempotencyRecords: number; customerTokens: number }>;
}

export function createHousekeepingActivities(deps: { housekeeping: HousekeepingPort }): HousekeepingActivities {
  return {
    sweepExpiredRecords: (c) => deps.housekeeping.sweep({ idempotencyBefore: new Date(c.idempotencyBefore), customerTokensBefore: new Date(c.customerTokensBefore) }),
  };
}
