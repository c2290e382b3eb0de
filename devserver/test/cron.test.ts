/**
 * `cronSchedule` on workflow start, on virtual time: the first run waits for the first cron time
 * (firstWorkflowTaskBackoff), each closed run is followed by the next one at the next cron time
 * (initiator CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE, last completion result passed on, the close
 * event naming the new run), a failed run continues the chain too, terminate ends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { msToTs } from '@temporalio/common/lib/time.js';
import { temporal } from '@temporalio/proto';
import { checkCollectedHistories, eventsOf, getBundle, startSuite, uid, waitFor, withWorker, type Collected, type Suite } from './harness.js';
import type { ScheduledRunInfo } from './workflows/schedules.js';

const HOUR = 3_600_000;
let suite: Suite;
const histories: Collected[] = [];

beforeAll(async () => {
  [suite] = await Promise.all([startSuite({ timeSkipping: true }), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

async function skipTime(ms: number): Promise<void> {
  const connection = await Connection.connect({ address: suite.address, [InternalConnectionOptionsSymbol]: { supportsTestService: true } } as Parameters<typeof Connection.connect>[0]);
  try {
    await connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(ms) });
  } finally {
    await connection.close();
  }
}

/** Every run of the workflow id, oldest first. */
async function runsOf(workflowId: string) {
  const out = [];
  for await (const ex of suite.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) out.push(ex);
  return out.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
}

describe('cronSchedule on start', () => {
  it("'0 * * * *': the first run waits for the hour, then each run chains to the next hour with the CRON_SCHEDULE initiator", async () => {
    const taskQueue = uid('tq-cron');
    const workflowId = uid('cron');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('scheduledRun', { taskQueue, workflowId, cronSchedule: '0 * * * *' });
      const first = await handle.fetchHistory();
      const started = first.events![0]!.workflowExecutionStartedEventAttributes!;
      expect(started.cronSchedule).toBe('0 * * * *');
      const backoff = Number(started.firstWorkflowTaskBackoff?.seconds ?? 0) * 1000;
      const startMs = Number(first.events![0]!.eventTime!.seconds) * 1000;
      expect(backoff).toBeGreaterThan(0);
      expect(backoff).toBeLessThanOrEqual(HOUR);
      // Whole seconds of each: the cron time is worked out as the request comes in and the start event
      // written a moment later, so a second may tick between them (seen once in CI: exactly 1000).
      expect((startMs + backoff) % HOUR).toBeLessThanOrEqual(1000);

      await skipTime(3 * HOUR + 1000);
      const runs = await waitFor('three cron runs closed', async () => {
        const r = await runsOf(workflowId);
        return r.filter((x) => x.status.name === 'COMPLETED').length >= 3 ? r : undefined;
      });
      const completed = runs.filter((r) => r.status.name === 'COMPLETED');
      // the run that waits for the next hour is there too
      expect(runs.some((r) => r.status.name === 'RUNNING')).toBe(true);
      for (let i = 0; i < completed.length; i++) {
        const h = suite.client.workflow.getHandle(workflowId, completed[i]!.runId);
        const history = await h.fetchHistory();
        const attrs = history.events![0]!.workflowExecutionStartedEventAttributes!;
        const done = eventsOf(history, 'WORKFLOW_EXECUTION_COMPLETED')[0]!.workflowExecutionCompletedEventAttributes!;
        const next = runs.find((r) => r.runId === done.newExecutionRunId);
        expect(next, 'the completed event names the next run').toBeDefined();
        const result = (await suite.client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId, runId: completed[i]!.runId } })).history!.events!.at(-1)!;
        expect(result.workflowExecutionCompletedEventAttributes?.newExecutionRunId).toBe(next!.runId);
        expect(completed[i]!.executionTime!.getTime() % HOUR).toBeLessThan(1000);
        if (i > 0) {
          expect(attrs.initiator).toBe(temporal.api.enums.v1.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
          expect(attrs.continuedExecutionRunId).toBe(completed[i - 1]!.runId);
          expect(attrs.lastCompletionResult?.payloads?.length).toBe(1);
          expect(Number(attrs.firstWorkflowTaskBackoff?.seconds ?? 0)).toBeGreaterThan(0);
          expect(attrs.cronSchedule).toBe('0 * * * *');
        }
        histories.push({ workflowId, history, bundle: 'main' });
      }
      // the counter passed through lastResult: run k sees k
      const nth = await suite.client.workflow.getHandle(workflowId, completed[2]!.runId).fetchHistory();
      const payload = eventsOf(nth, 'WORKFLOW_EXECUTION_COMPLETED')[0]!.workflowExecutionCompletedEventAttributes!.result!.payloads![0]!;
      const value = JSON.parse(Buffer.from(payload.data!).toString()) as ScheduledRunInfo;
      expect(value).toMatchObject({ n: 3, lastResult: 2, cronSchedule: '0 * * * *', continuedFrom: completed[1]!.runId });

      // terminate ends the chain
      await handle.terminate('enough');
      const after = await runsOf(workflowId);
      expect(after.filter((r) => r.status.name === 'RUNNING')).toHaveLength(0);
    });
  }, 60_000);

  it('a failed cron run continues the chain (with the last completion result kept); an invalid cron string is refused', async () => {
    const taskQueue = uid('tq-cron-fail');
    const workflowId = uid('cron-fail');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('scheduledFail', { taskQueue, workflowId, cronSchedule: '@every 30m' });
      await skipTime(HOUR + 1000);
      const runs = await waitFor('two failed cron runs', async () => {
        const r = await runsOf(workflowId);
        return r.filter((x) => x.status.name === 'FAILED').length >= 2 ? r : undefined;
      });
      const failed = runs.filter((r) => r.status.name === 'FAILED');
      const h2 = await suite.client.workflow.getHandle(workflowId, failed[1]!.runId).fetchHistory();
      const attrs = h2.events![0]!.workflowExecutionStartedEventAttributes!;
      expect(attrs.continuedExecutionRunId).toBe(failed[0]!.runId);
      expect(attrs.continuedFailure?.message).toBe('cron run failed');
      const failEvent = eventsOf(h2, 'WORKFLOW_EXECUTION_FAILED')[0]!.workflowExecutionFailedEventAttributes!;
      expect(failEvent.newExecutionRunId).toBeTruthy();
      histories.push({ workflowId, history: h2, bundle: 'main' });
      await handle.terminate('enough');
    });
    const bad = await suite.client.workflow.start('scheduledRun', { taskQueue, workflowId: uid('bad-cron'), cronSchedule: '0 25 * * *' }).catch((err: { cause?: { code?: number; details?: string } }) => err);
    expect((bad as { cause?: object }).cause).toMatchObject({ code: 3, details: 'invalid CronSchedule.' });
  }, 60_000);
});

checkCollectedHistories(() => histories, 3);
