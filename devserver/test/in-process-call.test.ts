/**
 * `DevServer.call`: a unary method called from the server's own process, protobuf bytes in and
 * out, through the same handlers as gRPC. Its errors must be the statuses a gRPC client would get
 * (the SDK's client maps them to its own errors by code and details), and a long poll must honour
 * the caller's deadline and cancellation as over gRPC. The policy simulator's client runs on it
 * (test/simulation/in-process-connection.test.ts drives the SDK's client through it).
 */
import grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer, type StatusError } from '../src/index.js';
import { decodeMessage, encodeMessage, lookupType } from '../src/proto.js';

const WS = '/temporal.api.workflowservice.v1.WorkflowService';
let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({ port: 0, logLevel: 'error' });
});
afterAll(() => server.stop());

const encode = (type: string, value: object) => encodeMessage(lookupType(type), value);
const decode = (type: string, bytes: Uint8Array) => decodeMessage(lookupType(type), Buffer.from(bytes)) as Record<string, unknown>;
const failure = (p: Promise<unknown>) => p.then(() => expect.unreachable('the call succeeded'), (err: StatusError) => err);

function startRequest(workflowId: string, taskQueue: string) {
  return encode('temporal.api.workflowservice.v1.StartWorkflowExecutionRequest', {
    namespace: 'default',
    workflowId,
    workflowType: { name: 'wf' },
    taskQueue: { name: taskQueue },
    requestId: `${workflowId}-req`,
  });
}

describe('DevServer.call', () => {
  it('answers a method with its response bytes', async () => {
    const res = decode('temporal.api.workflowservice.v1.StartWorkflowExecutionResponse', await server.call(`${WS}/StartWorkflowExecution`, startRequest('ipc-start', 'ipc-q1')));
    expect(res.runId).toMatch(/^[0-9a-f-]{36}$/);
    const described = decode(
      'temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse',
      await server.call(`${WS}/DescribeWorkflowExecution`, encode('temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest', { namespace: 'default', execution: { workflowId: 'ipc-start' } })),
    );
    expect((described.workflowExecutionInfo as { execution: { runId: string } }).execution.runId).toBe(res.runId);
  });

  it('fails as gRPC does: the code, the details, and the status details in the metadata', async () => {
    const notFound = await failure(server.call(`${WS}/DescribeWorkflowExecution`, encode('temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest', { namespace: 'default', execution: { workflowId: 'ipc-none' } })));
    expect(notFound.code).toBe(grpc.status.NOT_FOUND);
    expect(notFound.message).toBe(`5 NOT_FOUND: ${notFound.details}`);

    await server.call(`${WS}/StartWorkflowExecution`, startRequest('ipc-twice', 'ipc-q2'));
    const again = await failure(server.call(`${WS}/StartWorkflowExecution`, encode('temporal.api.workflowservice.v1.StartWorkflowExecutionRequest', { namespace: 'default', workflowId: 'ipc-twice', workflowType: { name: 'wf' }, taskQueue: { name: 'ipc-q2' }, requestId: 'other' })));
    expect(again.code).toBe(grpc.status.ALREADY_EXISTS);
    // The SDK's client reads WorkflowExecutionAlreadyStartedFailure from here.
    const details = decode('google.rpc.Status', again.metadata.get('grpc-status-details-bin')[0] as Buffer);
    expect((details.details as Array<Record<string, unknown>>)[0]!['@type']).toBe('type.googleapis.com/temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure');

    expect((await failure(server.call(`${WS}/NoSuchMethod`, new Uint8Array()))).code).toBe(grpc.status.UNIMPLEMENTED);
    expect((await failure(server.call(`${WS}/StartWorkflowExecution`, Uint8Array.of(0xff, 0xff, 0xff)))).code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('answers a long poll empty before the caller’s deadline', async () => {
    const poll = encode('temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest', { namespace: 'default', taskQueue: { name: 'ipc-idle' }, identity: 't' });
    const res = decode('temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse', await server.call(`${WS}/PollWorkflowTaskQueue`, poll, { deadline: Date.now() + 1_300 }));
    expect(res.taskToken ?? new Uint8Array()).toHaveLength(0);
  });

  it('fails a call past its deadline with DEADLINE_EXCEEDED', async () => {
    // The test service's Sleep waits out its duration on a server without time skipping.
    const sleep = encode('temporal.api.testservice.v1.SleepRequest', { duration: { seconds: 30 } });
    const late = await failure(server.call('/temporal.api.testservice.v1.TestService/Sleep', sleep, { deadline: Date.now() + 200 }));
    expect([late.code, late.message]).toEqual([grpc.status.DEADLINE_EXCEEDED, '4 DEADLINE_EXCEEDED: Deadline exceeded']);
  });

  it('cancels a long poll when the caller aborts, so the next task goes to a poller that is still there', async () => {
    const poll = encode('temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest', { namespace: 'default', taskQueue: { name: 'ipc-q3' }, identity: 't' });
    const abort = new AbortController();
    const abandoned = failure(server.call(`${WS}/PollWorkflowTaskQueue`, poll, { signal: abort.signal }));
    abort.abort();
    expect((await abandoned).code).toBe(grpc.status.CANCELLED);

    await server.call(`${WS}/StartWorkflowExecution`, startRequest('ipc-after-abort', 'ipc-q3'));
    const task = decode('temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse', await server.call(`${WS}/PollWorkflowTaskQueue`, poll, { deadline: Date.now() + 10_000 }));
    expect((task.workflowExecution as { workflowId: string }).workflowId).toBe('ipc-after-abort');
  });
});

describe('DevServer.call around a stop, and far deadlines', () => {
  it('fails a call under way and refuses later ones once the server stops, as gRPC would', async () => {
    const own = await startDevServer({ port: 0, logLevel: 'error' });
    const poll = encode('temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest', { namespace: 'default', taskQueue: { name: 'ipc-stop' }, identity: 't' });
    const waiting = failure(own.call(`${WS}/PollWorkflowTaskQueue`, poll));
    await own.stop();
    expect((await waiting).code).toBe(grpc.status.UNAVAILABLE);
    const later = await failure(own.call(`${WS}/GetSystemInfo`, encode('temporal.api.workflowservice.v1.GetSystemInfoRequest', {})));
    expect([later.code, later.details]).toEqual([grpc.status.UNAVAILABLE, 'the server has stopped']);
  });

  it('takes a deadline beyond what a timer can hold as no deadline (a long poll answers as usual)', async () => {
    const own = await startDevServer({ port: 0, logLevel: 'error', longPollMs: 200 });
    try {
      const poll = encode('temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest', { namespace: 'default', taskQueue: { name: 'ipc-far' }, identity: 't' });
      const res = decode('temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse', await own.call(`${WS}/PollWorkflowTaskQueue`, poll, { deadline: Date.now() + 30 * 86_400_000 }));
      expect(res.taskToken ?? new Uint8Array()).toHaveLength(0);
    } finally {
      await own.stop();
    }
  });
});
