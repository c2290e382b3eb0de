/**
 * SIGNAL_TAKERS (workflows/contract.ts) says which case types take the signals only some types
 * take; the API refuses such a signal with 409 for the others, which would keep it unread. This
 * test holds the table to the workflows: a case of every type is started (its input taken from a
 * saved history of that type, test/workflows/histories) and asked, by the SDK's built-in metadata
 * query, which signals it has handlers for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { describe, expect, it } from 'vitest';
import { CASE_TYPES, type CaseType } from '../../domain/case-types.js';
import { SIGNAL_TAKERS } from '../../workflows/contract.js';
import { bundleCaseWorkflows, newCaseId, useCaseEnvironment } from './case-harness.js';
import { RecordingActivities } from './recording-activities.js';

const HISTORIES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'histories');

/** The workflow type of each case type (workflows/index.ts; the API's open routes name the same). */
const WORKFLOW_OF: Record<CaseType, string> = {
  TRACKING_INQUIRY: 'trackingInquiry',
  MISSING_ITEMS: 'missingItems',
  LOST_PARCEL: 'lostParcel',
  WRONG_ITEM: 'wrongItem',
  TRANSIT_DAMAGE: 'transitDamage',
  QUALITY_PROBLEM: 'qualityProblem',
  DELAY: 'deliveryDelay',
  REFUND_NOT_SHIPPED: 'refundNotShipped',
  REFUND_SHIPPED: 'refundShipped',
  RETURN_AND_REFUND: 'returnAndRefund',
  EXCHANGE_RESHIPMENT: 'exchange',
  COMPLAINT: 'complaint',
};

/** The opening input of a saved case of this workflow type (recorded with the current code: `-local-`; the returns' newest are `-v7-`). */
function recordedInput(workflowType: string): Record<string, unknown> {
  const prefix = workflowType === 'returnAndRefund' ? 'return-refund-v7-' : `${workflowType.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-local-`;
  const file = readdirSync(HISTORIES).filter((f) => f.startsWith(prefix)).sort()[0];
  if (!file) throw new Error(`no saved history ${prefix}*.pb`);
  const history = temporal.api.history.v1.History.decode(readFileSync(path.join(HISTORIES, file)));
  const started = history.events[0]!.workflowExecutionStartedEventAttributes!;
  expect(started.workflowType?.name).toBe(workflowType);
  return JSON.parse(Buffer.from(started.input!.payloads![0]!.data!).toString('utf8')) as Record<string, unknown>;
}

const ce = useCaseEnvironment();

describe('which case types take which signals', () => {
  it('every case type has handlers for exactly the signals SIGNAL_TAKERS gives it', async () => {
    // One worker for every case, kept running: a case that ends in its first task (a wrong item
    // found to be right) must still have a worker to answer the query.
    const taskQueue = `signal-takers-${newCaseId('q')}`;
    const worker = await Worker.create({ connection: ce.env.nativeConnection, taskQueue, workflowBundle: await bundleCaseWorkflows(), activities: new RecordingActivities() });
    const found: Record<string, CaseType[]> = Object.fromEntries(Object.keys(SIGNAL_TAKERS).map((s) => [s, []]));
    await worker.runUntil(async () => {
      for (const type of CASE_TYPES) {
        const workflow = WORKFLOW_OF[type];
        const handle = await ce.client.workflow.start(workflow, { taskQueue, workflowId: `case-${newCaseId(`sig-${type}-`)}`, args: [recordedInput(workflow)] });
        // Answered once the first workflow task is done: every handler is set before a case's first step.
        const metadata = await handle.query(workflowMetadataQuery);
        const signals = new Set((metadata.definition?.signalDefinitions ?? []).map((d) => d.name));
        expect([signals.has('escalate'), signals.has('assign')], workflow).toEqual([true, true]);
        for (const signal of Object.keys(SIGNAL_TAKERS)) if (signals.has(signal)) found[signal]!.push(type);
        await handle.terminate('signal handlers read').catch((err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError)) throw err; // it has ended already
        });
      }
    });
    expect(found).toEqual(Object.fromEntries(Object.entries(SIGNAL_TAKERS).map(([s, types]) => [s, [...types].sort((a, b) => CASE_TYPES.indexOf(a) - CASE_TYPES.indexOf(b))])));
  }, 120_000);
});
