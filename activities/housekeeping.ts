/** The housekeeping workflow's activity, over db/housekeeping.ts (idempotent: a retry deletes only what is left). */
import type { HousekeepingActivities } from './contract.js';

export interface HousekeepingPort {
  sweep(c: { idempotencyBefore: Date; customerTokensBefore: Date }): Promise<{ idempotencyRecords: number; customerTokens: number }>;
}

export function createHousekeepingActivities(deps: { housekeeping: HousekeepingPort }): HousekeepingActivities {
  return {
    sweepExpiredRecords: (c) => deps.housekeeping.sweep({ idempotencyBefore: new Date(c.idempotencyBefore), customerTokensBefore: new Date(c.customerTokensBefore) }),
  };
}
