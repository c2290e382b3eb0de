/**
 * The platform's Temporal schedules, created when the worker starts (npm start, npm run worker).
 * A schedule that exists is left as it is: ops may have paused or re-timed it in the Temporal UI.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { CASE_TASK_QUEUE, HOUSEKEEPING_SCHEDULE_ID } from '../workflows/contract.js';
import type { HousekeepingInput } from '../workflows/housekeeping.js';

/** Every day at 03:00 China time, when no shop is busy. */
export const HOUSEKEEPING_AT = { hour: 3, minute: 0, timezone: 'Asia/Shanghai' } as const;

export async function ensureHousekeepingSchedule(client: Client, retention: HousekeepingInput): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: HOUSEKEEPING_SCHEDULE_ID,
      spec: { calendars: [{ hour: HOUSEKEEPING_AT.hour, minute: HOUSEKEEPING_AT.minute, comment: 'daily housekeeping' }], timezone: HOUSEKEEPING_AT.timezone },
      action: { type: 'startWorkflow', workflowType: 'housekeeping', taskQueue: CASE_TASK_QUEUE, workflowId: 'housekeeping', args: [retention] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      state: { note: 'Deletes Idempotency-Key answers and dead customer tokens past their retention (docs/operations.md).' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}
