/**
 * The simulator's client connection (simulation/in-process-connection.ts): the SDK's own client,
 * its calls handed to the dev server in the same process without gRPC. Everything the simulator
 * does through it must behave as over the network, errors included, since the simulator tells
 * refused inputs and closed cases apart by the client's error types.
 */
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../devserver/src/index.js';
import { ensureRuntime, getBundle } from '../../devserver/test/harness.js';
import { inProcessConnection } from '../../simulation/in-process-connection.js';

let server: DevServer;
let client: Client;
let connection: Connection;
let worker: Worker;
let running: Promise<void>;
const taskQueue = 'in-process';

beforeAll(async () => {
  ensureRuntime();
  server = await startDevServer({ port: 0, timeSkipping: true, logLevel: 'error' });
  worker = await Worker.create({ connection: await NativeConnection.connect({ address: server.address }), taskQueue, workflowBundle: await getBundle(), activities: { unused: async () => undefined } });
  running = worker.run();
  connection = inProcessConnection(server);
  client = new Client({ connection });
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await server?.stop();
});

describe('the SDK client over DevServer.call', () => {
  it('starts, updates, signals, queries and awaits a workflow', async () => {
    const handle = await client.workflow.start('updatable', { taskQueue, workflowId: 'ipc-updatable' });
    expect(await handle.executeUpdate('add', { args: [2] })).toBe(2);
    expect(await handle.executeUpdate('add', { args: [3] })).toBe(5);
    expect(await handle.query('count')).toBe(5);
    await handle.signal('finish');
    expect(await handle.result()).toBe(5);
  });

  it('raises the client’s own errors: a refused update, a start conflict, an unknown workflow', async () => {
    const handle = await client.workflow.start('updatable', { taskQueue, workflowId: 'ipc-refusals' });
    const refused = await handle.executeUpdate('add', { args: [-1] }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('negative values are rejected: -1');
    await expect(client.workflow.start('updatable', { taskQueue, workflowId: 'ipc-refusals' })).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
    await expect(client.workflow.getHandle('ipc-nobody').describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    await handle.signal('finish');
    await handle.result();
  });

  it('moves the time-skipping clock through the test service', async () => {
    const testService = connection.testService!;
    const before = await testService.getCurrentTime({});
    await testService.unlockTimeSkippingWithSleep({ duration: { seconds: 3600 as never } });
    const after = await testService.getCurrentTime({});
    expect(Number(after.time!.seconds) - Number(before.time!.seconds)).toBeGreaterThanOrEqual(3600);
  });
});
