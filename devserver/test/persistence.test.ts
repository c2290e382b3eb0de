/**
 * Persistence: the compiled executable (`devserver/bin/temporal-dev.js server start-dev
 * --db-filename F`) is killed with SIGKILL while a workflow waits on a timer and a signal, then
 * restarted on the same file and port. The workflow must resume and complete with the same
 * result, and completed histories must stay readable.
 *
 * Requires `npm run build` (done by `npm test`'s pretest).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { attemptsOf } from './activities.js';
import {
  createWorker,
  debug,
  ensureRuntime,
  eventNames,
  freePort,
  getBundle,
  isListening,
  replayCollected,
  spawnServer,
  uid,
  waitFor,
  waitForEvent,
  withWorker,
  type Collected,
  type SpawnedServer,
  collectedViolations,
} from './harness.js';
import { finishSignal } from './workflows/basic.js';

let dir: string;
let dbFile: string;
let port: number;
let server: SpawnedServer | undefined;
const opened: { close(): Promise<void> }[] = [];
const histories: Collected[] = [];

function args(): string[] {
  return ['server', 'start-dev', '--port', String(port), '--ip', '127.0.0.1', '--db-filename', dbFile, '--headless', '--log-level', process.env.DEVSERVER_TEST_SERVER_LOG ?? 'warn'];
}

async function connect(): Promise<{ client: Client; nativeConnection: NativeConnection; connection: Connection }> {
  const address = `127.0.0.1:${port}`;
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  opened.push(connection, nativeConnection);
  return { client: new Client({ connection }), nativeConnection, connection };
}

async function kill9(): Promise<void> {
  const s = server!;
  s.child.kill('SIGKILL');
  await s.exited;
  server = undefined;
  await waitFor('port released', async () => !(await isListening(port)));
  debug('server killed');
}

async function collectFrom(handle: WorkflowHandle): Promise<void> {
  histories.push({ workflowId: handle.workflowId, history: await handle.fetchHistory(), bundle: 'main' });
}

beforeAll(async () => {
  ensureRuntime();
  dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-persist-'));
  dbFile = path.join(dir, 'temporal.db');
  port = await freePort();
  await getBundle('main');
}, 60_000);

afterAll(async () => {
  for (const c of opened) await c.close().catch(() => undefined);
  if (server) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('persistence across kill -9', () => {
  it('a workflow waiting on a timer and a signal survives SIGKILL + restart; closed histories stay readable', async () => {
    server = await spawnServer(args(), port);
    const c1 = await connect();
    const taskQueue = uid('tq-persist');
    const done = await withWorker({ nativeConnection: c1.nativeConnection, namespace: 'default' }, { taskQueue }, async () => {
      const completed = await c1.client.workflow.start('activityEcho', { taskQueue, workflowId: uid('persist-done'), args: ['before-crash'] });
      expect(await completed.result()).toBe('before-crash');
      const waiting = await c1.client.workflow.start('persistent', { taskQueue, workflowId: uid('persist-wait'), args: [3000] });
      await waitForEvent(waiting, 'TIMER_STARTED');
      return {
        completed,
        completedHistory: await completed.fetchHistory(),
        waiting,
        waitingHistory: await waiting.fetchHistory(),
      };
    });
    // no worker is connected now; the server dies while the workflow waits on its 3 s timer
    await kill9();

    server = await spawnServer(args(), port);
    const c2 = await connect();
    const completed = c2.client.workflow.getHandle(done.completed.workflowId);
    const waiting = c2.client.workflow.getHandle(done.waiting.workflowId);

    // the closed workflow: same status, result and history
    expect((await completed.describe()).status.name).toBe('COMPLETED');
    expect(await completed.result()).toBe('before-crash');
    const after = await completed.fetchHistory();
    expect(eventNames(after)).toEqual(eventNames(done.completedHistory));
    expect(after.events?.map((e) => Number(e.eventId))).toEqual(done.completedHistory.events?.map((e) => Number(e.eventId)));

    // the waiting workflow: still running, its history up to the crash is intact
    const wdesc = await waiting.describe();
    expect(wdesc.status.name).toBe('RUNNING');
    expect(wdesc.runId).toBe(done.waiting.firstExecutionRunId);
    const prefix = eventNames(await waiting.fetchHistory()).slice(0, done.waitingHistory.events!.length);
    expect(prefix).toEqual(eventNames(done.waitingHistory));

    const result = await withWorker({ nativeConnection: c2.nativeConnection, namespace: 'default' }, { taskQueue }, async () => {
      // the timer (3 s) is due while the server is down or right after restart; it must still fire
      await waitForEvent(waiting, 'TIMER_FIRED');
      await waiting.signal(finishSignal, 'after-restart');
      return waiting.result();
    });
    expect(result).toBe('activity-done/after-restart');
    const hist = await waiting.fetchHistory();
    const names = eventNames(hist);
    expect(names.filter((n) => n === 'ACTIVITY_TASK_COMPLETED')).toHaveLength(1);
    expect(names.filter((n) => n === 'TIMER_FIRED')).toHaveLength(1);
    expect(names.at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
    // the activity was not executed again after the restart
    expect(attemptsOf(waiting.workflowId)).toHaveLength(1);
    await collectFrom(completed);
    await collectFrom(waiting);
  }, 90_000);

  it('a running worker keeps working across a server kill -9 and restart', async () => {
    if (!server) server = await spawnServer(args(), port);
    const c = await connect();
    const taskQueue = uid('tq-persist-live');
    const worker = await createWorker({ nativeConnection: c.nativeConnection, namespace: 'default' }, { taskQueue });
    const result = await worker.runUntil(async () => {
      const h = await c.client.workflow.start('counter', { taskQueue, workflowId: uid('persist-live'), args: [{}] });
      await waitForEvent(h, 'WORKFLOW_TASK_COMPLETED');
      await kill9();
      server = await spawnServer(args(), port);
      // same Client connection and same worker: both must reconnect to the restarted server
      await waitFor('client reconnects', async () => (await h.describe()).status.name === 'RUNNING', undefined, 200);
      await h.signal('inc', 4);
      await h.signal(finishSignal, 'live');
      const r = await h.result();
      await collectFrom(h);
      return r;
    });
    expect(result).toEqual({ count: 4, signals: 1, note: 'live' });
  }, 90_000);

  it('every collected history is well-formed (contiguous workflow tasks, adjacent activity events, valid references)', () => {
    expect(histories.length).toBeGreaterThan(0);
    expect(collectedViolations(histories)).toEqual([]);
  });

  it('replays every history collected in this file', async () => {
    expect(histories.length).toBeGreaterThanOrEqual(1); // 3 when both tests above passed
    const report = await replayCollected(histories);
    expect(report.failures).toEqual([]);
    expect(report.replayed).toBe(histories.length);
  }, 60_000);
});
