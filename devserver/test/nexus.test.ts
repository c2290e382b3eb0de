/**
 * Nexus through the official SDK: endpoints created with `TestWorkflowEnvironment.createNexusEndpoint`
 * and the OperatorService (CRUD, the real server's errors, kept across a restart), a worker serving a
 * Nexus service (`nexusServices`: a synchronous operation, a workflow-run operation, an operation
 * error, a handler error) and caller workflows using `createNexusServiceClient`: results, failures
 * as NexusOperationFailure, cancellation of the handler workflow, schedule-to-close timeout, an
 * unknown endpoint failing the workflow task; every collected history replays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Long from 'long';
import * as nexus from 'nexus-rpc';
import { startWorkflow, WorkflowRunOperationHandler } from '@temporalio/nexus';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import {
  checkCollectedHistories,
  collect,
  eventNames,
  eventsOf,
  getBundle,
  startSuite,
  uid,
  waitFor,
  waitForEvent,
  withWorker,
  type Suite,
} from './harness.js';
import { greetingService } from './workflows/nexus-service.js';
import type { NexusErrorView } from './workflows/nexus.js';

let suite: Suite;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
  env = await TestWorkflowEnvironment.createFromExistingServer({ address: suite.address });
}, 60_000);

afterAll(async () => {
  await env?.teardown().catch(() => undefined);
  await suite?.stop();
}, 30_000);

const handler = nexus.serviceHandler(greetingService, {
  echo: async (_ctx, input) => `echo: ${input}`,
  hello: new WorkflowRunOperationHandler(async (ctx, input) =>
    startWorkflow(ctx, 'nexusHelloWorkflow', { workflowId: `nexus-hello-${ctx.requestId}`, args: [input] }),
  ),
  fail: async () => {
    throw new nexus.OperationError('failed', 'operation failed on purpose');
  },
  crash: async () => {
    throw ApplicationFailure.nonRetryable('handler crashed', 'Crash');
  },
});

/** A worker on `taskQueue` serving workflows and the Nexus service, with an endpoint targeting it. */
async function withNexusWorker<T>(fn: (endpoint: string, taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uid('tq-nexus');
  const endpoint = uid('ep').replace(/[^a-zA-Z0-9-]/g, '-');
  const created = await env.createNexusEndpoint(endpoint, taskQueue);
  try {
    return await withWorker(suite, { taskQueue, options: { nexusServices: [handler] } }, () => fn(endpoint, taskQueue));
  } finally {
    await env.deleteNexusEndpoint(created).catch(() => undefined);
  }
}

const op = {
  create: (name: string, taskQueue = 'tq', namespace = 'default') =>
    suite.connection.operatorService.createNexusEndpoint({ spec: { name, target: { worker: { namespace, taskQueue } } } }),
};

async function grpcError(p: Promise<unknown>): Promise<{ code?: number; details?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code?: number; details?: string; message?: string };
    return { code: e.code, details: e.details ?? e.message };
  }
  throw new Error('expected the call to fail');
}

const Status = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, ALREADY_EXISTS: 6, FAILED_PRECONDITION: 9 };

describe('Nexus endpoints (OperatorService)', () => {
  it('create (testEnv), get, list by name and in pages, update with its version, delete', async () => {
    const name = uid('crud').replace(/[^a-zA-Z0-9-]/g, '-');
    const created = await env.createNexusEndpoint(name, 'tq-crud');
    expect(created.version.toString()).toBe('1');
    expect(created.raw.spec?.target?.worker).toMatchObject({ namespace: 'default', taskQueue: 'tq-crud' });
    expect(created.raw.urlPrefix).toBe(`/nexus/endpoints/${created.id}`);

    const got = await suite.connection.operatorService.getNexusEndpoint({ id: created.id });
    expect(got.endpoint?.spec?.name).toBe(name);
    const byName = await suite.connection.operatorService.listNexusEndpoints({ name });
    expect(byName.endpoints?.map((e) => e.id)).toEqual([created.id]);

    const others = await Promise.all([1, 2, 3].map((i) => op.create(`${name}-p${i}`)));
    const seen: string[] = [];
    let token: Uint8Array | undefined;
    do {
      const page = await suite.connection.operatorService.listNexusEndpoints({ pageSize: 2, nextPageToken: token });
      expect(page.endpoints!.length).toBeLessThanOrEqual(2);
      seen.push(...page.endpoints!.map((e) => e.id!));
      token = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (token);
    expect(new Set(seen).size).toBe(seen.length);
    for (const e of [created.raw, ...others.map((o) => o.endpoint!)]) expect(seen).toContain(e.id);

    const updated = await suite.connection.operatorService.updateNexusEndpoint({
      id: created.id,
      version: created.version,
      spec: { name, description: { data: new TextEncoder().encode('"described"') }, target: { worker: { namespace: 'default', taskQueue: 'tq-crud-2' } } },
    });
    expect(updated.endpoint?.version?.toString()).toBe('2');
    expect(updated.endpoint?.spec?.target?.worker?.taskQueue).toBe('tq-crud-2');
    const stale = await grpcError(suite.connection.operatorService.updateNexusEndpoint({ id: created.id, version: created.version, spec: { name, target: { worker: { namespace: 'default', taskQueue: 'x' } } } }));
    expect(stale).toEqual({ code: Status.FAILED_PRECONDITION, details: 'nexus endpoint version mismatch. received: 1 expected 2' });

    await env.deleteNexusEndpoint({ id: created.id, version: updated.endpoint!.version! });
    for (const o of others) await env.deleteNexusEndpoint({ id: o.endpoint!.id!, version: o.endpoint!.version! });
    expect(await grpcError(suite.connection.operatorService.getNexusEndpoint({ id: created.id }))).toEqual({
      code: Status.NOT_FOUND,
      details: `Nexus endpoint with ID \`${created.id}\` not found`,
    });
    expect((await suite.connection.operatorService.listNexusEndpoints({ name })).endpoints).toEqual([]);
  });

  it('answers with the real server’s errors', async () => {
    const name = uid('dup').replace(/[^a-zA-Z0-9-]/g, '-');
    const first = await op.create(name);
    expect(await grpcError(op.create(name))).toEqual({
      code: Status.ALREADY_EXISTS,
      details: `error creating Nexus endpoint. Endpoint with name ${name} already registered`,
    });
    expect(await grpcError(op.create('1-bad_name'))).toEqual({
      code: Status.INVALID_ARGUMENT,
      details: 'endpoint name must match the regex: "^[a-zA-Z][a-zA-Z0-9\\\\-]*[a-zA-Z0-9]$"',
    });
    expect(await grpcError(op.create(''))).toMatchObject({ code: Status.INVALID_ARGUMENT, details: 'endpoint name not set' });
    expect(await grpcError(suite.connection.operatorService.createNexusEndpoint({ spec: { name: 'no-target' } }))).toEqual({
      code: Status.INVALID_ARGUMENT,
      details: 'empty target variant',
    });
    expect(await grpcError(op.create('no-such-ns', 'tq', 'nowhere'))).toMatchObject({ code: Status.FAILED_PRECONDITION });
    expect((await grpcError(op.create('no-such-ns', 'tq', 'nowhere'))).details).toMatch(/^could not verify namespace referenced by target exists: /);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await grpcError(suite.connection.operatorService.deleteNexusEndpoint({ id: missing, version: Long.ONE }))).toEqual({
      code: Status.NOT_FOUND,
      details: `error deleting nexus endpoint with ID: ${missing}`,
    });
    expect(await grpcError(suite.connection.operatorService.deleteNexusEndpoint({ id: first.endpoint!.id!, version: Long.ZERO }))).toEqual({
      code: Status.INVALID_ARGUMENT,
      details: 'endpoint version is non-positive',
    });
    expect(await grpcError(suite.connection.operatorService.updateNexusEndpoint({ id: missing, version: Long.ONE, spec: { name: 'x-y', target: { worker: { namespace: 'default', taskQueue: 'q' } } } }))).toEqual({
      code: Status.NOT_FOUND,
      details: `error updating Nexus endpoint. endpoint ID ${missing} not found`,
    });
    expect(await grpcError(suite.connection.operatorService.getNexusEndpoint({ id: 'not-a-uuid' }))).toMatchObject({ code: Status.INVALID_ARGUMENT });
    await env.deleteNexusEndpoint({ id: first.endpoint!.id!, version: first.endpoint!.version! });
  });

  it('endpoints survive a restart on the same dbFilename', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-nexus-'));
    const dbFilename = path.join(dir, 'db.log');
    try {
      const a = await startSuite({ dbFilename });
      let id: string;
      try {
        const res = await a.connection.operatorService.createNexusEndpoint({ spec: { name: 'kept-endpoint', target: { worker: { namespace: 'default', taskQueue: 'tq-kept' } } } });
        id = res.endpoint!.id!;
      } finally {
        await a.stop();
      }
      const b = await startSuite({ dbFilename });
      try {
        const got = await b.connection.operatorService.getNexusEndpoint({ id });
        expect(got.endpoint?.spec?.name).toBe('kept-endpoint');
        expect(got.endpoint?.version?.toString()).toBe('1');
      } finally {
        await b.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('Nexus operations from workflows', () => {
  it('GetSystemInfo says Nexus is supported', async () => {
    const info = await suite.connection.workflowService.getSystemInfo({});
    expect(info.capabilities?.nexus).toBe(true);
  });

  it('a synchronous operation and a workflow-run operation complete with their results', async () => {
    await withNexusWorker(async (endpoint, taskQueue) => {
      const handle = await suite.client.workflow.start('nexusCallerWorkflow', { taskQueue, workflowId: uid('nexus-caller'), args: [endpoint, 'Ada'] });
      const result = (await handle.result()) as { echo: string; hello: string; token?: string };
      expect(result.echo).toBe('echo: Ada');
      expect(result.hello).toBe('Hello, Ada (from nexusHelloWorkflow)');
      expect(result.token).toBeTruthy();
      const history = await collect(suite, handle);
      expect(eventNames(history).filter((n) => n.startsWith('NEXUS'))).toEqual([
        'NEXUS_OPERATION_SCHEDULED',
        'NEXUS_OPERATION_COMPLETED',
        'NEXUS_OPERATION_SCHEDULED',
        'NEXUS_OPERATION_STARTED',
        'NEXUS_OPERATION_COMPLETED',
      ]);
      const [sched1, sched2] = eventsOf(history, 'NEXUS_OPERATION_SCHEDULED');
      expect(sched1!.nexusOperationScheduledEventAttributes).toMatchObject({ endpoint, service: 'devserver-greeting', operation: 'echo' });
      expect(sched1!.nexusOperationScheduledEventAttributes?.requestId).toBeTruthy();
      const started = eventsOf(history, 'NEXUS_OPERATION_STARTED')[0]!.nexusOperationStartedEventAttributes!;
      expect(Number(started.scheduledEventId)).toBe(Number(sched2!.eventId));
      expect(started.operationToken).toBe(result.token);
      const completed = eventsOf(history, 'NEXUS_OPERATION_COMPLETED');
      expect(completed.map((e) => Number(e.nexusOperationCompletedEventAttributes?.scheduledEventId))).toEqual([Number(sched1!.eventId), Number(sched2!.eventId)]);

      // The handler workflow: started with the caller's request id and a link to its scheduled event.
      const helloId = `nexus-hello-${sched2!.nexusOperationScheduledEventAttributes!.requestId}`;
      const hello = suite.client.workflow.getHandle(helloId);
      const helloHistory = await collect(suite, hello);
      const link = helloHistory.events![0]!.links?.[0]?.workflowEvent;
      expect(link).toMatchObject({ namespace: 'default', workflowId: handle.workflowId });
      expect(Number(link?.eventRef?.eventId)).toBe(Number(sched2!.eventId));
      expect(link?.eventRef?.eventType).toBe(temporal.api.enums.v1.EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED);
      // The caller's started event links back to the handler workflow's started event.
      const back = eventsOf(history, 'NEXUS_OPERATION_STARTED')[0]!.links?.[0]?.workflowEvent;
      expect(back?.workflowId).toBe(helloId);
    });
  });

  it('an operation error and a non-retryable handler error surface as NexusOperationFailure', async () => {
    await withNexusWorker(async (endpoint, taskQueue) => {
      const failed = await suite.client.workflow.start('nexusFailingCallerWorkflow', { taskQueue, workflowId: uid('nexus-fail'), args: [endpoint, 'fail'] });
      const failView = (await failed.result()) as NexusErrorView;
      expect(failView).toMatchObject({ name: 'NexusOperationFailure', isNexusOperationFailure: true, operation: 'fail', causeName: 'ApplicationFailure', causeMessage: 'operation failed on purpose' });
      const failHistory = await collect(suite, failed);
      const failEvent = eventsOf(failHistory, 'NEXUS_OPERATION_FAILED')[0]!.nexusOperationFailedEventAttributes!;
      expect(failEvent.failure?.message).toBe('nexus operation completed unsuccessfully');
      expect(failEvent.failure?.nexusOperationExecutionFailureInfo).toMatchObject({ endpoint, service: 'devserver-greeting', operation: 'fail' });

      const crashed = await suite.client.workflow.start('nexusFailingCallerWorkflow', { taskQueue, workflowId: uid('nexus-crash'), args: [endpoint, 'crash'] });
      const crashView = (await crashed.result()) as NexusErrorView;
      expect(crashView).toMatchObject({ name: 'NexusOperationFailure', isNexusOperationFailure: true, operation: 'crash', causeName: 'HandlerError' });
      expect(crashView.rootMessage).toBe('handler crashed');
      const crashHistory = await collect(suite, crashed);
      const cause = eventsOf(crashHistory, 'NEXUS_OPERATION_FAILED')[0]!.nexusOperationFailedEventAttributes!.failure!.cause!;
      expect(cause.nexusHandlerFailureInfo?.type).toBe('INTERNAL');
    });
  });

  it('cancelling a started workflow-run operation cancels the handler workflow', async () => {
    await withNexusWorker(async (endpoint, taskQueue) => {
      const handle = await suite.client.workflow.start('nexusCancelCallerWorkflow', { taskQueue, workflowId: uid('nexus-cancel'), args: [endpoint, 'Bob'] });
      const result = (await handle.result()) as { token?: string; error?: NexusErrorView };
      expect(result.token).toBeTruthy();
      expect(result.error?.isCancellation).toBe(true);
      const history = await collect(suite, handle);
      expect(eventNames(history).filter((n) => n.startsWith('NEXUS'))).toEqual([
        'NEXUS_OPERATION_SCHEDULED',
        'NEXUS_OPERATION_STARTED',
        'NEXUS_OPERATION_CANCEL_REQUESTED',
        'NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED',
        'NEXUS_OPERATION_CANCELED',
      ]);
      const requestId = eventsOf(history, 'NEXUS_OPERATION_SCHEDULED')[0]!.nexusOperationScheduledEventAttributes!.requestId;
      const hello = suite.client.workflow.getHandle(`nexus-hello-${requestId}`);
      expect((await hello.describe()).status.name).toBe('CANCELLED');
      await collect(suite, hello);
    });
  });

  it('schedule-to-close timeout: TIMED_OUT, a NexusOperationFailure caused by a timeout', async () => {
    await withNexusWorker(async (endpoint, taskQueue) => {
      const handle = await suite.client.workflow.start('nexusTimeoutCallerWorkflow', { taskQueue, workflowId: uid('nexus-timeout'), args: [endpoint, 'Cy'] });
      const v = (await handle.result()) as NexusErrorView;
      expect(v).toMatchObject({ isNexusOperationFailure: true, causeName: 'TimeoutFailure' });
      const history = await collect(suite, handle);
      const timedOut = eventsOf(history, 'NEXUS_OPERATION_TIMED_OUT')[0]!.nexusOperationTimedOutEventAttributes!;
      expect(timedOut.failure?.cause?.timeoutFailureInfo?.timeoutType).toBe(temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
      // The handler workflow is not cancelled by the caller's timeout (as on the real server).
      const requestId = eventsOf(history, 'NEXUS_OPERATION_SCHEDULED')[0]!.nexusOperationScheduledEventAttributes!.requestId;
      const hello = suite.client.workflow.getHandle(`nexus-hello-${requestId}`);
      expect((await hello.describe()).status.name).toBe('RUNNING');
      await hello.terminate('test over');
    });
  });

  it('an unknown endpoint fails the workflow task (BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES)', async () => {
    await withNexusWorker(async (_endpoint, taskQueue) => {
      const handle = await suite.client.workflow.start('nexusCallerWorkflow', { taskQueue, workflowId: uid('nexus-noep'), args: ['no-such-endpoint', 'Dee'] });
      const history = await waitForEvent(handle, 'WORKFLOW_TASK_FAILED');
      const failed = eventsOf(history, 'WORKFLOW_TASK_FAILED')[0]!.workflowTaskFailedEventAttributes!;
      expect(failed.cause).toBe(temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES);
      expect(failed.failure?.message).toBe('endpoint "no-such-endpoint" not found');
      await handle.terminate('test over');
      await waitFor('terminated', async () => (await handle.describe()).status.name === 'TERMINATED');
    });
  });
});

checkCollectedHistories(() => suite.histories, 6);
