/**
 * The daily housekeeping as ops meet it: a Temporal schedule the platform creates at start (seen in
 * the Temporal UI), whose run deletes Idempotency-Key answers past their retention and customer
 * tokens long dead, and nothing else.
 */
import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { HOUSEKEEPING_SCHEDULE_ID } from '../../workflows/contract.js';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform({ IDEMPOTENCY_RETENTION_DAYS: '7' });
const DAY = 86_400_000;
const hash = (n: number) => String(n).padStart(64, '0');

describe('the daily housekeeping', () => {
  it('is a schedule the platform created at start: every day at 03:00 China time', async () => {
    const schedule = await new Client({ connection: pt.temporal }).schedule.getHandle(HOUSEKEEPING_SCHEDULE_ID).describe();
    expect(schedule.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    expect(schedule.spec.timezone).toBe('Asia/Shanghai');
    expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'housekeeping', args: [{ idempotencyRetentionDays: 7, customerTokenRetentionDays: 30 }] });
    expect(schedule.info.nextActionTimes.length).toBeGreaterThan(0);
  });

  it('deletes old Idempotency-Key answers and long-dead customer tokens, and keeps the rest', async () => {
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
    await pt.db.$executeRawUnsafe(
      `INSERT INTO "IdempotencyRecord" (principal, key, "requestHash", status, "createdAt") VALUES ('hk', 'old', $1, 201, $2), ('hk', 'fresh', $1, 201, $3)`,
      hash(1), at(8), at(1),
    );
    await pt.db.$executeRawUnsafe(
      `INSERT INTO "ApiCredential" (id, role, "keyHash", "customerId", label, "expiresAt", "revokedAt") VALUES
        ('hk-dead', 'CUSTOMER', $1, 'c1', 'expired long ago', $4, NULL),
        ('hk-revoked', 'CUSTOMER', $2, 'c2', 'revoked long ago', NULL, $4),
        ('hk-recent', 'CUSTOMER', $3, 'c3', 'expired yesterday', $5, NULL),
        ('hk-staff', 'AGENT', $6, NULL, 'revoked staff key', NULL, $4)`,
      hash(2), hash(3), hash(4), at(40), at(1), hash(5),
    );
    const handle = new Client({ connection: pt.temporal }).schedule.getHandle(HOUSEKEEPING_SCHEDULE_ID);
    await handle.trigger();
    const result = await waitUntil('the triggered housekeeping run to finish', async () => {
      const action = (await handle.describe()).info.recentActions[0];
      if (!action) return undefined;
      const run = new Client({ connection: pt.temporal }).workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId);
      return (await run.describe()).status.name === 'COMPLETED' ? run.result() : undefined;
    });
    expect(result).toEqual({ idempotencyRecords: 1, customerTokens: 2 });
    const keys = await pt.db.$queryRawUnsafe<Array<{ key: string }>>(`SELECT key FROM "IdempotencyRecord" WHERE principal = 'hk' ORDER BY key`);
    expect(keys.map((k) => k.key)).toEqual(['fresh']);
    const creds = await pt.db.$queryRawUnsafe<Array<{ id: string }>>(`SELECT id FROM "ApiCredential" WHERE id LIKE 'hk-%' ORDER BY id`);
    expect(creds.map((c) => c.id)).toEqual(['hk-recent', 'hk-staff']);
  });
});
