/**
 * The dev server on a thread of its own (devserver/src/thread.ts), as the platform's `npm start`
 * embeds it: a client in the embedding process reaches it over gRPC and HTTP like any server; it
 * stops with its log flushed, so a server started again on the same file has the same workflows;
 * and a server that cannot start says why (its thread is ended, not left behind).
 *
 * Runs the compiled server (`npm run build`, done by `npm test`'s pretest).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { startDevServerThread, type DevServerThread } from '../src/thread.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-thread-'));
const dbFilename = path.join(dir, 'temporal.db');
const running: DevServerThread[] = [];

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startDevServerThread>[0]): Promise<DevServerThread> {
  const server = await startDevServerThread({ ip: '127.0.0.1', port: 0, ...options });
  running.push(server);
  return server;
}

async function describeRun(address: string, workflowId: string) {
  const connection = await Connection.connect({ address });
  try {
    return await new Client({ connection }).workflow.getHandle(workflowId).describe();
  } finally {
    await connection.close();
  }
}

describe('the dev server on its own thread', () => {
  it('serves gRPC and HTTP, stops with its log flushed, and starts again with what it held', async () => {
    const first = await start({ dbFilename, httpPort: 0 });
    expect(first.address).toBe(`127.0.0.1:${first.port}`);
    const connection = await Connection.connect({ address: first.address });
    const client = new Client({ connection });
    // No worker: the run waits for its first task, which is all this needs.
    await client.workflow.start('nobodyRunsThis', { taskQueue: 'thread-test', workflowId: 'thread-wf-1', args: [] });
    await connection.close();
    expect((await describeRun(first.address, 'thread-wf-1')).status.name).toBe('RUNNING');
    const overHttp = (await (await fetch(`${first.httpUrl}/api/v1/namespaces/default/workflows/thread-wf-1`)).json()) as { workflowExecutionInfo: { type: { name: string } } };
    expect(overHttp.workflowExecutionInfo.type.name).toBe('nobodyRunsThis');

    await first.stop();
    await first.stop(); // a second stop is the same stop
    await expect(Connection.connect({ address: first.address, connectTimeout: 500 }).then((c) => c.workflowService.getSystemInfo({}))).rejects.toThrow();

    const second = await start({ dbFilename });
    const again = await describeRun(second.address, 'thread-wf-1');
    expect(again.status.name).toBe('RUNNING');
    expect(again.type).toBe('nobodyRunsThis');
  });

  it('rejects with the reason when it cannot start (the port taken)', async () => {
    const holder = await start({});
    await expect(startDevServerThread({ ip: '127.0.0.1', port: holder.port })).rejects.toThrow(new RegExp(String(holder.port)));
  });
});
