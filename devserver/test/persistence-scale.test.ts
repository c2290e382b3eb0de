/**
 * Persistence at scale: the compiled server restarts on a log bigger than 1 GiB (more than a
 * JavaScript string can hold), written in the store's own (older, events as objects) format by `persistence-gen.mjs`: ~100,000
 * runs closed long ago (each with a superseded record), 200 open runs waiting on a 30-day timer,
 * then the log of a real server killed with SIGKILL while three workflows waited on a timer.
 *
 * After the restart: the open runs are there, the real ones finish with a worker, the runs past
 * their 7-day retention are gone, and the compacted file is small. No wall-clock assertions; the
 * generated file lives in os.tmpdir() and is deleted afterwards (~1.1 GiB of disk at the peak).
 *
 * Requires `npm run build` (done by `npm test`'s pretest).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ensureRuntime, freePort, getBundle, isListening, spawnServer, uid, waitFor, waitForEvent, withWorker, type SpawnedServer } from './harness.js';
import { closedWorkflowId, generateLog, openWorkflowId } from './persistence-gen.mjs';
import { finishSignal } from './workflows/basic.js';

const DAY = 86_400_000;
const GIB = 1024 ** 3;
const CLOSED = 102_000;
const OPEN = 200;

let dir: string;
const servers: SpawnedServer[] = [];
const opened: { close(): Promise<void> }[] = [];

const args = (file: string, port: number) => ['server', 'start-dev', '--port', String(port), '--ip', '127.0.0.1', '--db-filename', file, '--headless', '--log-level', process.env.DEVSERVER_TEST_SERVER_LOG ?? 'warn'];

async function start(file: string): Promise<{ server: SpawnedServer; client: Client; nativeConnection: NativeConnection }> {
  const port = await freePort();
  const server = await spawnServer(args(file, port), port);
  servers.push(server);
  const address = `127.0.0.1:${port}`;
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  opened.push(connection, nativeConnection);
  return { server, client: new Client({ connection }), nativeConnection };
}

async function kill9(server: SpawnedServer): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
  await waitFor('port released', async () => !(await isListening(server.port)));
}

beforeAll(async () => {
  ensureRuntime();
  dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-scale-'));
  await getBundle('main');
}, 60_000);

afterAll(async () => {
  for (const c of opened) await c.close().catch(() => undefined);
  for (const s of servers) {
    if (s.child.exitCode === null) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
  }
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe('restart on a persistence file bigger than 1 GiB', () => {
  it('starts, keeps the open runs (which continue), drops runs past retention and compacts the file', async () => {
    // 1. A real server's log: three workflows waiting on a timer, one closed just now.
    const small = path.join(dir, 'real.db');
    const first = await start(small);
    const taskQueue = uid('tq-scale');
    const live = await withWorker({ nativeConnection: first.nativeConnection, namespace: 'default' }, { taskQueue }, async () => {
      const done = await first.client.workflow.start('activityEcho', { taskQueue, workflowId: uid('scale-done'), args: ['recent'] });
      expect(await done.result()).toBe('recent');
      const waiting = await Promise.all([1, 2, 3].map((i) => first.client.workflow.start('persistent', { taskQueue, workflowId: uid(`scale-wait-${i}`), args: [1000] })));
      for (const h of waiting) await waitForEvent(h, 'TIMER_STARTED');
      return { done: done.workflowId, waiting: waiting.map((h) => h.workflowId) };
    });
    await kill9(first.server);

    // 2. Generated history before it: runs closed 8 to 373 days ago, and open runs on a 30-day timer.
    // Events as objects (the log format before histories were kept as bytes): twice the bytes per
    // run, so the file passes 1 GiB with half the runs to generate and read.
    const big = path.join(dir, 'big.db');
    const now = Date.now();
    const bytes = generateLog(big, { closed: CLOSED, open: OPEN, closedBefore: now - 8 * DAY, spanDays: 365, openFireAt: now + 30 * DAY, prefix: 'scale', suffix: readFileSync(small), format: 'objects' });
    rmSync(small);
    expect(bytes).toBeGreaterThan(GIB);

    // 3. Restart on it.
    const second = await start(big);
    const { client } = second;
    const after = statSync(big).size;
    expect(after).toBeLessThan(bytes / 50);

    // generated open runs: there, running, on their timer
    for (const i of [0, OPEN / 2, OPEN - 1]) {
      const d = await client.workflow.getHandle(openWorkflowId('scale', i)).describe();
      expect(d.status.name).toBe('RUNNING');
      expect(d.historyLength).toBeGreaterThan(5);
    }
    // runs past their 7-day retention: gone, from describe and from visibility
    for (const i of [0, CLOSED / 2, CLOSED - 1]) {
      await expect(client.workflow.getHandle(closedWorkflowId('scale', i)).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    }
    expect((await client.workflow.count()).count).toBe(OPEN + live.waiting.length + 1);
    expect((await client.workflow.count('ExecutionStatus = "Running"')).count).toBe(OPEN + live.waiting.length);
    // the run closed just now is within retention
    expect((await client.workflow.getHandle(live.done).describe()).status.name).toBe('COMPLETED');

    // the real workflows continue with a new worker: their timer fires, a signal completes them
    const results = await withWorker({ nativeConnection: second.nativeConnection, namespace: 'default' }, { taskQueue }, async () =>
      Promise.all(
        live.waiting.map(async (id) => {
          const h = client.workflow.getHandle(id);
          await waitForEvent(h, 'TIMER_FIRED');
          await h.signal(finishSignal, id);
          return h.result();
        }),
      ),
    );
    expect(results).toEqual(live.waiting.map((id) => `activity-done/${id}`));
  }, 240_000);
});
