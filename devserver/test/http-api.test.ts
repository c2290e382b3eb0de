/**
 * Temporal's HTTP API (`/api/v1`) as the Web UI and curl users call it, against a real worker:
 * list and count, describe, history (paged, long-polled, as a download), query (incl. the stack
 * trace), signal and terminate; errors in the gateway's shape; the UI's static files with the
 * single-page-app fallback. Answers are compared with the gRPC answers for the same data, written
 * by the reference proto3 JSON implementation (protobufjs' protojson).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupType } from '../src/proto.js';
import { startHttpServer } from '../src/http/server.js';
import { WORKFLOW_SERVICE } from '../src/http/routes.js';
import { getBundle, startSuite, uid, waitFor, waitForEvent, withWorker, type Suite } from './harness.js';
import { finishSignal, incSignal } from './workflows/basic.js';

const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = requireFromProto('protobufjs/ext/protojson') as { toJson: (type: unknown, message: unknown) => unknown };

let suite: Suite;
let uiDir: string;

beforeAll(async () => {
  uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ui-build-'));
  fs.writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>Temporal UI shell</title>');
  fs.mkdirSync(path.join(uiDir, '_app/immutable'), { recursive: true });
  fs.writeFileSync(path.join(uiDir, '_app/immutable/app.123.js'), 'console.log("app")');
  [suite] = await Promise.all([startSuite({ http: { uiDir } }), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
  fs.rmSync(uiDir, { recursive: true, force: true });
}, 30_000);

const api = (p: string) => `${suite.httpUrl}/api/v1/namespaces/default${p}`;
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const decode = (payload: { data?: string }) => JSON.parse(Buffer.from(payload.data ?? '', 'base64').toString('utf8'));

describe('a running workflow through the HTTP API', () => {
  it('lists, describes, pages and long-polls history, queries, signals and terminates it', async () => {
    const taskQueue = uid('tq-http');
    const workflowId = uid('http wf/ä'); // a slash and non-ASCII: path parameters are encoded once
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId, args: [{}], staticSummary: 'counts signals', staticDetails: '**until** finished' });
      await waitForEvent(handle, 'WORKFLOW_TASK_COMPLETED');
      const id = encodeURIComponent(workflowId);

      // list, filtered with the visibility query, and the grouped count the UI's status filter shows
      const list = await json(await fetch(api(`/workflows?query=${encodeURIComponent(`WorkflowId="${workflowId}"`)}`)));
      expect(list.status).toBe(200);
      expect(list.body.executions).toHaveLength(1);
      expect(list.body.executions[0]).toMatchObject({ execution: { workflowId, runId: handle.firstExecutionRunId }, status: 'WORKFLOW_EXECUTION_STATUS_RUNNING', type: { name: 'counter' } });
      const grpcList = await suite.connection.workflowService.listWorkflowExecutions({ namespace: 'default', query: `WorkflowId="${workflowId}"` });
      expect(list.body).toEqual(protojson.toJson(lookupType('temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse'), grpcList));
      const count = await json(await fetch(api(`/workflow-count?query=${encodeURIComponent(`TaskQueue="${taskQueue}" GROUP BY ExecutionStatus`)}`)));
      expect(count.body.count).toBe('1');
      expect(count.body.groups.map((g: any) => decode(g.groupValues[0]))).toEqual(['Running']);

      // describe: exactly the gRPC answer in proto3 JSON
      const described = await json(await fetch(api(`/workflows/${id}?execution.runId=${handle.firstExecutionRunId}`)));
      const grpcDescribed = await suite.connection.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId, runId: handle.firstExecutionRunId } });
      expect(described.body).toEqual(protojson.toJson(lookupType('temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse'), grpcDescribed));
      // the static summary and details the UI shows on the workflow's page
      expect(decode(described.body.executionConfig.userMetadata.summary)).toBe('counts signals');
      expect(await (await handle.describe()).staticDetails()).toBe('**until** finished');
      expect(described.body.workflowExecutionInfo.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

      // history in pages of 2, the token sent back the way the UI sends it (next_page_token)
      const first = await json(await fetch(api(`/workflows/${id}/history?maximumPageSize=2`)));
      expect(first.body.history.events.map((e: any) => e.eventId)).toEqual(['1', '2']);
      expect(first.body.history.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
      const second = await json(await fetch(api(`/workflows/${id}/history?maximumPageSize=100&next_page_token=${encodeURIComponent(first.body.nextPageToken)}`)));
      const seen = [...first.body.history.events, ...second.body.history.events];
      expect(seen.map((e: any) => Number(e.eventId))).toEqual(seen.map((_: unknown, i: number) => i + 1));

      // the UI's live view: with waitNewEvent a running workflow's last page carries a token to wait
      // on, and the long poll answers when a signal (sent over HTTP) lands
      const live = await json(await fetch(api(`/workflows/${id}/history?waitNewEvent=true&maximumPageSize=100`)));
      expect(live.body.history.events.length).toBe(seen.length);
      const token = live.body.nextPageToken;
      expect(token).toEqual(expect.any(String));
      const polled = fetch(api(`/workflows/${id}/history?waitNewEvent=true&nextPageToken=${encodeURIComponent(token)}`)).then(json);
      const signalled = await post(api(`/workflows/${id}/signal/inc`), { input: { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('5').toString('base64') }] } });
      expect(signalled.status).toBe(200);
      const news = await polled;
      expect(news.body.history.events.map((e: any) => e.eventType)).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED');

      // queries: a declared one and the stack trace the UI's "Call Stack" tab asks for
      await waitFor('the signal to be handled', async () => (await handle.query<number>('count')) === 5);
      const queried = await json(await post(api(`/workflows/${id}/query/count`), { execution: { runId: handle.firstExecutionRunId }, query: {} }));
      expect(queried.status).toBe(200);
      expect(decode(queried.body.queryResult.payloads[0])).toBe(5);
      const stack = await json(await post(api(`/workflows/${id}/query/__stack_trace`), { query: {} }));
      expect(decode(stack.body.queryResult.payloads[0])).toMatch(/counter/);

      // the whole history as the UI's download
      const download = await fetch(`${suite.httpUrl}/api/v1/namespaces/default/workflows/${id}/run/${handle.firstExecutionRunId}/history.json`);
      expect(download.headers.get('content-disposition')).toMatch(/attachment; filename=".*_history\.json"/);
      const all = (await download.json()) as { events: Array<{ eventId: string }> };
      expect(all.events.length).toBeGreaterThanOrEqual(seen.length + 1);

      // terminate, as the UI's button does (it sends Caller-Type, not a JSON content type)
      const terminated = await fetch(api(`/workflows/${id}/terminate`), { method: 'POST', headers: { 'caller-type': 'operator' }, body: JSON.stringify({ reason: 'ops test' }) });
      expect(terminated.status).toBe(200);
      const after = await handle.describe();
      expect(after.status.name).toBe('TERMINATED');
      // finishing it now is refused in the gateway's error shape
      const late = await json(await post(api(`/workflows/${id}/signal/${finishSignal.name}`), {}));
      expect(late.status).toBe(404);
      expect(late.body).toMatchObject({ code: 5, message: expect.stringMatching(/already completed|not found/i), details: expect.any(Array) });
    });
    expect(incSignal.name).toBe('inc');
  }, 60_000);
});

describe('errors', () => {
  it('answers unknown routes, wrong verbs, bad values and unknown workflows with a status and a message', async () => {
    const unknownRoute = await json(await fetch(api('/no-such-thing')));
    expect(unknownRoute).toEqual({ status: 404, body: { code: 5, message: 'no API route GET /api/v1/namespaces/default/no-such-thing', details: [] } });
    const wrongVerb = await fetch(api('/workflows'), { method: 'DELETE' });
    expect(wrongVerb.status).toBe(405);
    expect(wrongVerb.headers.get('allow')).toBe('GET');
    const badEnum = await json(await fetch(api('/task-queues/q?taskQueueType=WORKERS')));
    expect(badEnum.status).toBe(400);
    expect(badEnum.body.message).toMatch(/^taskQueueType: "WORKERS" is not one of /);
    const missing = await json(await fetch(api('/workflows/never-started')));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe(5);
    const notJson = await json(await post(api('/workflows/x/terminate'), undefined).then(() => fetch(api('/workflows/x/terminate'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' })));
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toMatch(/request body is not JSON/);
  });

  it("answers the schedules page's count of scheduler workflows (none here: schedules are not workflows)", async () => {
    const query = encodeURIComponent('TemporalNamespaceDivision="TemporalScheduler" AND ExecutionStatus="Running"');
    const count = await json(await fetch(api(`/workflow-count?query=${query}`)));
    expect(count).toEqual({ status: 200, body: {} }); // count 0, omitted as proto3 JSON omits defaults
  });

  it('refuses a write a cross-site page could send (form content type, no UI header)', async () => {
    const res = await fetch(api('/workflows/x/terminate'), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(415);
  });

  it('serves the UI settings the UI needs before it renders', async () => {
    const settings = await json(await fetch(`${suite.httpUrl}/api/v1/settings`));
    expect(settings.body).toMatchObject({ Auth: { Enabled: false }, DefaultNamespace: 'default', BatchActionsDisabled: true });
    // Below 2.23 the UI would encode path parameters twice.
    expect(settings.body.Version.split('.').map(Number)[1]).toBeGreaterThanOrEqual(23);
  });
});

describe('the UI files', () => {
  it('serves files, falls back to the app page for page paths, and 404s missing assets', async () => {
    const page = await fetch(`${suite.httpUrl}/namespaces/default/workflows/some-id/run/history`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('Temporal UI shell');
    const asset = await fetch(`${suite.httpUrl}/_app/immutable/app.123.js`);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await asset.text()).toContain('console.log');
    expect((await fetch(`${suite.httpUrl}/_app/immutable/missing.js`)).status).toBe(404);
    // no way out of the build folder
    const escape = await fetch(`${suite.httpUrl}/%2e%2e/%2e%2e/etc/passwd`);
    expect(await escape.text()).not.toMatch(/root:/);
  });
});

describe('long polls', () => {
  it('ends the server-side wait when the caller goes away', async () => {
    let cancelled!: () => void;
    const wasCancelled = new Promise<void>((resolve) => (cancelled = resolve));
    const server = await startHttpServer({
      port: 0,
      ip: '127.0.0.1',
      defaultNamespace: 'default',
      after: () => undefined,
      log: () => undefined,
      handlers: {
        [WORKFLOW_SERVICE]: {
          GetWorkflowExecutionHistory: (_req, ctx) =>
            new Promise((resolve) =>
              ctx.onCancel(() => {
                cancelled();
                resolve({});
              }),
            ),
        },
      },
    });
    try {
      const abort = new AbortController();
      const request = fetch(`${server.url}/api/v1/namespaces/default/workflows/w/history?waitNewEvent=true`, { signal: abort.signal }).catch((err: Error) => err.name);
      // the request is in the handler once the server has it; abort it like a closed tab
      setImmediate(() => setTimeout(() => abort.abort(), 50));
      expect(await request).toBe('AbortError');
      await wasCancelled;
    } finally {
      await server.close();
    }
  });
});
