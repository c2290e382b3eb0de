/**
 * No request, however malformed, may crash the server or surface as an internal error: every
 * unary method of every service is called with an empty request, with garbage bytes and with
 * plausible-but-wrong field values, and must answer with a deliberate status (or succeed).
 */
import grpc from '@grpc/grpc-js';
import type { Service, Type } from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '../src/proto.js';
import { startDevServer, type DevServer } from '../src/index.js';

const SERVICES = [
  'temporal.api.workflowservice.v1.WorkflowService',
  'temporal.api.operatorservice.v1.OperatorService',
  'temporal.api.testservice.v1.TestService',
];
// Calls that legitimately wait (long polls, sleeps) are given a short deadline; DEADLINE_EXCEEDED is fine for them.
const WAITING = new Set(['PollWorkflowTaskQueue', 'PollActivityTaskQueue', 'PollNexusTaskQueue', 'Sleep', 'SleepUntil', 'UnlockTimeSkippingWithSleep', 'PollWorkflowExecutionUpdate', 'QueryWorkflow', 'UpdateWorkflowExecution']);

let server: DevServer;
let client: grpc.Client;

beforeAll(async () => {
  server = await startDevServer({ port: 0, longPollMs: 200 });
  client = new grpc.Client(server.address, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  await server.stop();
});

function call(path: string, body: Buffer, deadlineMs = 2000): Promise<grpc.ServiceError | null> {
  return new Promise((resolve) =>
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, body, { deadline: Date.now() + deadlineMs }, (err) =>
      resolve(err ?? null),
    ),
  );
}

function methods(serviceName: string): Array<{ name: string; path: string; reqType: Type }> {
  const service = root.lookup(serviceName) as Service;
  return Object.entries(service.methods)
    .filter(([, m]) => !m.requestStream && !m.responseStream)
    .map(([name, m]) => {
      m.resolve();
      return { name, path: `/${serviceName}/${name}`, reqType: m.resolvedRequestType as Type };
    });
}

/** Success, or any status but the ones that mean "the server did not expect this". */
const allowed = (err: grpc.ServiceError | null) => err === null || ![grpc.status.INTERNAL, grpc.status.UNKNOWN].includes(err.code);

describe('malformed requests', () => {
  it('every unary method answers an empty request with a deliberate status', async () => {
    const failures: string[] = [];
    for (const svc of SERVICES) {
      for (const m of methods(svc)) {
        const err = await call(m.path, Buffer.alloc(0), WAITING.has(m.name) ? 300 : 2000);
        if (!allowed(err)) failures.push(`${m.name}: ${err?.code} ${err?.details}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('garbage bytes are INVALID_ARGUMENT, never a crash', async () => {
    const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x12, 0x99, 0x01]);
    const codes = new Set<number>();
    for (const m of methods(SERVICES[0]!)) {
      const err = await call(m.path, garbage, 300);
      if (err) codes.add(err.code);
      expect(err === null || err.code !== grpc.status.INTERNAL, `${m.name}: ${err?.details}`).toBe(true);
    }
    expect(codes.has(grpc.status.INVALID_ARGUMENT)).toBe(true);
  });

  it('wrong values in plausible requests get INVALID_ARGUMENT / NOT_FOUND with a message', async () => {
    const encode = (method: string, obj: object) => {
      const type = root.lookupType(`temporal.api.workflowservice.v1.${method}Request`);
      return Buffer.from(type.encode(type.fromObject(obj)).finish());
    };
    const path = (m: string) => `/temporal.api.workflowservice.v1.WorkflowService/${m}`;
    const cases: Array<[string, object, number]> = [
      ['StartWorkflowExecution', { namespace: 'default', workflowId: 'w', taskQueue: { name: 'q' } }, grpc.status.INVALID_ARGUMENT],
      ['StartWorkflowExecution', { namespace: 'default', workflowId: 'w', workflowType: { name: 't' }, taskQueue: { name: 'q' }, workflowRunTimeout: { seconds: '-5' } }, grpc.status.INVALID_ARGUMENT],
      ['StartWorkflowExecution', { namespace: 'nope', workflowId: 'w', workflowType: { name: 't' }, taskQueue: { name: 'q' } }, grpc.status.NOT_FOUND],
      ['StartWorkflowExecution', { namespace: 'default', workflowId: 'w', workflowType: { name: 't' }, taskQueue: { name: 'q' }, searchAttributes: { indexedFields: { NoSuchAttr: { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"x"') } } } }, grpc.status.INVALID_ARGUMENT],
      ['SignalWorkflowExecution', { namespace: 'default', workflowExecution: { workflowId: 'missing' }, signalName: 's' }, grpc.status.NOT_FOUND],
      ['RespondWorkflowTaskCompleted', { namespace: 'default', taskToken: Buffer.from('not a token') }, grpc.status.INVALID_ARGUMENT],
      ['RespondActivityTaskCompleted', { namespace: 'default', taskToken: Buffer.from(JSON.stringify({ k: 'a', ns: 'default', r: 'x', s: 5, a: 1 })) }, grpc.status.NOT_FOUND],
      ['ListWorkflowExecutions', { namespace: 'default', query: 'WorkflowId = ' }, grpc.status.INVALID_ARGUMENT],
      ['CountWorkflowExecutions', { namespace: 'default', query: 'Nope = 1' }, grpc.status.INVALID_ARGUMENT],
      ['GetWorkflowExecutionHistory', { namespace: 'default', execution: { workflowId: 'missing' } }, grpc.status.NOT_FOUND],
    ];
    for (const [method, body, code] of cases) {
      const err = await call(path(method), encode(method, body));
      expect(err?.code, `${method} ${JSON.stringify(body)} → ${err?.details}`).toBe(code);
      expect(err?.details.length).toBeGreaterThan(5);
    }
  });

  it('still serves normally afterwards', async () => {
    const err = await call('/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo', Buffer.alloc(0));
    expect(err).toBeNull();
  });
});
