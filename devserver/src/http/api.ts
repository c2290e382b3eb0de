/**
 * Temporal's HTTP API (`/api/v1/…`) answered in process: a request is turned into the same
 * request object the gRPC handlers receive, the handler runs, and its answer is written as proto3
 * JSON. Plus the two routes the Web UI's own server adds: `/api/v1/settings` and a run's full
 * history as `history.json`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import grpc from '@grpc/grpc-js';
import type { Type } from 'protobufjs';
import { Code, RpcError, invalidArgument } from '../errors.js';
import type { CallContext, Handlers } from '../grpc.js';
import { lookupType, type Obj } from '../proto.js';
import { messageFromJson, messageToJson } from './json-codec.js';
import { matchRoute, WORKFLOW_SERVICE, type Route } from './routes.js';

/** The Web UI version whose API this server speaks: from 2.23 on, the UI encodes path parameters once. */
export const UI_API_VERSION = '2.38.0';
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** gRPC code → HTTP status, as grpc-gateway maps them (what the real server answers). */
const HTTP_STATUS: Record<number, number> = {
  [Code.OK]: 200,
  [Code.CANCELLED]: 499,
  [Code.UNKNOWN]: 500,
  [Code.INVALID_ARGUMENT]: 400,
  [Code.DEADLINE_EXCEEDED]: 504,
  [Code.NOT_FOUND]: 404,
  [Code.ALREADY_EXISTS]: 409,
  [Code.PERMISSION_DENIED]: 403,
  [Code.RESOURCE_EXHAUSTED]: 429,
  [Code.FAILED_PRECONDITION]: 400,
  [Code.ABORTED]: 409,
  [Code.OUT_OF_RANGE]: 400,
  [Code.UNIMPLEMENTED]: 501,
  [Code.INTERNAL]: 500,
  [Code.UNAVAILABLE]: 503,
  [Code.DATA_LOSS]: 500,
  [Code.UNAUTHENTICATED]: 401,
};

export interface ApiOptions {
  handlers: Record<string, Handlers>;
  defaultNamespace: string;
  /** Runs after every call (the engine persists what the call changed). */
  after: () => void;
  log: (msg: string) => void;
}

/** The UI server's settings, in its PascalCase fields: no auth, no codec, write actions on. */
function settings(defaultNamespace: string): Obj {
  return {
    Auth: { Enabled: false, Options: null },
    BannerText: '',
    DefaultNamespace: defaultNamespace,
    ShowTemporalSystemNamespace: false,
    FeedbackURL: '',
    NotifyOnNewVersion: false,
    Codec: { Endpoint: '', PassAccessToken: false, IncludeCredentials: false, DefaultErrorMessage: '', DefaultErrorLink: '' },
    Version: UI_API_VERSION,
    DisableWriteActions: false,
    WorkflowTerminateDisabled: false,
    WorkflowCancelDisabled: false,
    WorkflowSignalDisabled: false,
    WorkflowUpdateDisabled: false,
    WorkflowResetDisabled: false,
    // Batch operations are not implemented by this server: the UI hides them.
    BatchActionsDisabled: true,
    StartWorkflowDisabled: false,
    HideWorkflowQueryErrors: false,
    RefreshWorkflowCountsDisabled: false,
    ActivityCommandsDisabled: true,
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Errors in the gateway's shape (`google.rpc.Status` as JSON), which the UI reads `message` from. */
function sendError(res: ServerResponse, code: number, message: string, details: unknown[] = []): void {
  if (res.headersSent) return void res.end();
  sendJson(res, HTTP_STATUS[code] ?? 500, { code, message, details });
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RpcError(Code.RESOURCE_EXHAUSTED, `request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalidArgument(`request body is not JSON: ${(err as Error).message}`);
  }
}

function setPath(target: Obj, path: string[], value: unknown, repeatable: boolean): void {
  let at = target;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key];
  }
  const last = path[path.length - 1]!;
  if (repeatable && at[last] !== undefined) at[last] = [...(Array.isArray(at[last]) ? at[last] : [at[last]]), value];
  else at[last] = value;
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * A cross-site page must not be able to terminate workflows through a browser that can reach this
 * port: a write needs a JSON content type or the header the UI always sends (`Caller-Type`), both
 * of which a cross-origin page can only send after a CORS preflight this server never grants.
 */
function crossSiteSafe(req: IncomingMessage): boolean {
  // Other methods than POST (and GET/HEAD, which change nothing) always need a preflight.
  if (req.method !== 'POST') return true;
  const type = String(req.headers['content-type'] ?? '');
  return /^application\/json\b/i.test(type) || req.headers['caller-type'] !== undefined || req.headers['x-csrf-token'] !== undefined;
}

function callContext(req: IncomingMessage, res: ServerResponse): CallContext {
  const callbacks: Array<() => void> = [];
  let gone = false;
  // The UI long-polls history; when the tab closes, the server-side wait ends with it.
  res.on('close', () => {
    if (res.writableFinished) return;
    gone = true;
    for (const cb of callbacks.splice(0)) cb();
  });
  const metadata = new grpc.Metadata();
  for (const name of ['caller-type', 'user-agent']) {
    const value = req.headers[name];
    if (typeof value === 'string') metadata.set(name, value);
  }
  return { onCancel: (cb) => (gone ? cb() : callbacks.push(cb)), metadata };
}

async function requestOf(route: Route, params: Array<{ field: string[]; value: string }>, url: URL, req: IncomingMessage): Promise<Obj> {
  const json: Obj = route.body === '*' ? ((await readBody(req)) as Obj) : {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw invalidArgument('request body must be a JSON object');
  if (route.body !== '*') {
    for (const [key, value] of url.searchParams) setPath(json, key.split('.').map(camel), value, true);
  }
  for (const { field, value } of params) setPath(json, field, value, false);
  return messageFromJson(route.requestType, json);
}

async function call(options: ApiOptions, route: Route, request: Obj, ctx: CallContext): Promise<Obj> {
  const handler = options.handlers[route.service]?.[route.method];
  if (!handler) throw new RpcError(Code.UNIMPLEMENTED, `${route.method} is not implemented by this server`);
  try {
    return await handler(request, ctx);
  } finally {
    options.after();
  }
}

/** Every page of a run's history, as one `History` message (the UI's "download as JSON"). */
async function fullHistory(options: ApiOptions, namespace: string, workflowId: string, runId: string, ctx: CallContext): Promise<Obj> {
  const handler = options.handlers[WORKFLOW_SERVICE]!.GetWorkflowExecutionHistory!;
  const type = lookupType('temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse');
  const events: unknown[] = [];
  let nextPageToken: string | undefined;
  do {
    const page = await handler({ namespace, execution: { workflowId, runId }, nextPageToken }, ctx);
    const json = messageToJson(type, page) as { history?: { events?: unknown[] }; nextPageToken?: string };
    events.push(...(json.history?.events ?? []));
    nextPageToken = json.nextPageToken;
  } while (nextPageToken);
  return { events };
}

const HISTORY_JSON = /^\/api\/v1\/namespaces\/([^/]+)\/workflows\/([^/]+)\/run\/([^/]+)\/history\.json$/;

/** Answers `req` if it is an API call (path under `/api/`); returns false otherwise. */
export async function handleApi(options: ApiOptions, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  if (!url.pathname.startsWith('/api/')) return false;
  const verb = req.method ?? 'GET';
  try {
    if (!crossSiteSafe(req)) {
      sendJson(res, 415, { code: Code.INVALID_ARGUMENT, message: 'send the request body as JSON (Content-Type: application/json)', details: [] });
      return true;
    }
    if (url.pathname === '/api/v1/settings' && (verb === 'GET' || verb === 'HEAD')) {
      sendJson(res, 200, settings(options.defaultNamespace));
      return true;
    }
    const raw = HISTORY_JSON.exec(url.pathname);
    if (raw && verb === 'GET') {
      const [ns, workflowId, runId] = raw.slice(1).map(decodeURIComponent) as [string, string, string];
      const history = await fullHistory(options, ns, workflowId, runId, callContext(req, res));
      const text = JSON.stringify(history, null, 2);
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-disposition': `attachment; filename="${workflowId.replace(/[^\w.-]/g, '_')}_${runId}_history.json"`,
      });
      res.end(text);
      return true;
    }
    const { match, allowed } = matchRoute(verb, url.pathname);
    if (!match) {
      if (allowed.length) {
        res.setHeader('allow', [...new Set(allowed)].join(', '));
        sendJson(res, 405, { code: Code.UNIMPLEMENTED, message: `${verb} is not allowed on ${url.pathname} (allowed: ${[...new Set(allowed)].join(', ')})`, details: [] });
      } else {
        sendJson(res, 404, { code: Code.NOT_FOUND, message: `no API route ${verb} ${url.pathname}`, details: [] });
      }
      return true;
    }
    const request = await requestOf(match.route, match.params, url, req);
    const response = await call(options, match.route, request, callContext(req, res));
    if (!res.destroyed) sendJson(res, 200, messageToJson(match.route.responseType as Type, response));
  } catch (err) {
    if (err instanceof RpcError) sendError(res, err.code, err.message, err.details);
    else {
      options.log(`internal error in HTTP ${verb} ${url.pathname}: ${err instanceof Error ? err.stack : String(err)}`);
      sendError(res, Code.INTERNAL, `internal error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return true;
}
