/**
 * What a restart writes: nothing for a run that only waits (on a timer, a signal), so a log of
 * waiting cases does not grow with every start; a run that had something in flight (here an
 * activity no worker holds any more) is re-armed and written again. The waiting runs are all back,
 * their timers armed. The log is generated in the current format (events as bytes) by
 * `persistence-gen.mjs`, which needs the compiled server (`npm run build`, done by `npm test`).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection } from '@temporalio/worker';
import Long from 'long';
import { startDevServer } from '../src/index.js';
import { ensureRuntime, getBundle, waitFor, withWorker } from './harness.js';
import { generateLog, openWorkflowId } from './persistence-gen.mjs';
import { addItemUpdate, cartWorkflow } from './workflows/with-start.js';

const OPEN = 40;
let dir: string;

beforeAll(async () => {
  ensureRuntime();
  dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-restart-writes-'));
  await getBundle('main');
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Run records in the log, per run id. */
function recordsPerRun(file: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\{"k":"run","h":\{"id":"([^"]+)"/.exec(line);
    if (m) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  return counts;
}

const { CommandType, TaskQueueKind } = temporal.api.enums.v1;

describe('restart writes', () => {
  it('waiting runs are restored without a new record (also one with a completed update); a run with an activity in flight is written again', async () => {
    const file = path.join(dir, 'temporal.db');
    // Runs closed long ago (past retention, over 1 MiB of them) too, so the first start compacts the log.
    generateLog(file, { closed: 400, open: OPEN, prefix: 'waits', closedBefore: Date.now() - 30 * 86_400_000, spanDays: 10 });

    // Runs of our own: one with an activity scheduled that no worker takes before the server
    // stops, one waiting for a signal after an update completed (a case after its first command).
    let server = await startDevServer({ port: 0, dbFilename: file, logLevel: 'off' });
    let busyRunId: string;
    let cartRunId: string;
    try {
      // The log was compacted at start; the log it replaced is unlinked in the background.
      await waitFor('the replaced log to be unlinked', () => !existsSync(`${file}.superseded-by-snapshot`));
      const nativeConnection = await NativeConnection.connect({ address: server.address });
      const cartQueue = `restart-writes-cart-${randomUUID()}`;
      cartRunId = await withWorker({ nativeConnection, namespace: 'default' }, { taskQueue: cartQueue }, async () => {
        const client = new Client({ connection: await Connection.connect({ address: server.address }) });
        const cart = await client.workflow.start(cartWorkflow, { taskQueue: cartQueue, workflowId: 'cart', args: ['ann'] });
        expect(await cart.executeUpdate(addItemUpdate, { args: ['hat', 3] })).toBe(3);
        await client.connection.close();
        return cart.firstExecutionRunId;
      });
      await nativeConnection.close();
      const connection = await Connection.connect({ address: server.address });
      const svc = connection.workflowService;
      const taskQueue = `restart-writes-${randomUUID()}`;
      busyRunId = (await svc.startWorkflowExecution({ namespace: 'default', workflowId: 'busy', workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: randomUUID() })).runId!;
      const task = await svc.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL }, identity: 'hand' });
      await svc.respondWorkflowTaskCompleted({
        namespace: 'default',
        taskToken: task.taskToken,
        identity: 'hand',
        commands: [
          {
            commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
            scheduleActivityTaskCommandAttributes: { activityId: 'a1', activityType: { name: 'never' }, taskQueue: { name: taskQueue }, startToCloseTimeout: { seconds: Long.fromNumber(600) } },
          },
        ],
      });
      await connection.close();
    } finally {
      await server.stop();
    }
    const before = recordsPerRun(file);
    expect(before.size).toBe(OPEN + 2);
    expect(before.has(cartRunId)).toBe(true);

    server = await startDevServer({ port: 0, dbFilename: file, logLevel: 'off' });
    try {
      const waiting = [...server.engine.runs.values()].filter((r) => r.workflowId.startsWith('waits-open-'));
      expect(waiting.map((r) => r.workflowId).sort()).toEqual(Array.from({ length: OPEN }, (_, i) => openWorkflowId('waits', i)));
      for (const run of waiting) {
        expect(run.status).toBe('Running');
        expect(Object.keys(run.timers)).toEqual(['1']);
      }
      expect(server.engine.runs.get(busyRunId)?.activities).not.toEqual({});
      expect(Object.values(server.engine.runs.get(cartRunId)!.updates).map((u) => u.stage)).toEqual(['COMPLETED']);
    } finally {
      await server.stop();
    }
    const after = recordsPerRun(file);
    for (const [runId, n] of before) expect(after.get(runId), runId).toBe(runId === busyRunId ? n + 1 : n);
  }, 60_000);
});
