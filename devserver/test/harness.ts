/**
 * Shared harness for the dev-server conformance suite.
 *
 * - starts the in-process dev server (`startDevServer`) and connects a Client + NativeConnection;
 * - bundles workflow code ONCE per process per entry file and reuses the bundle for every Worker;
 * - runs a fresh Worker per test on a unique task queue (`withWorker`), shut down cleanly by
 *   `worker.runUntil`;
 * - collects the history of every closed workflow (`collect`) so that the last test of each file
 *   can replay them all (`replayCollected`).
 *
 * Set DEVSERVER_TEST_DEBUG=1 for a trace of what the tests do (stderr), and
 * DEVSERVER_TEST_LOG=WARN|INFO|DEBUG|TRACE for SDK/core logs (default ERROR), and
 * DEVSERVER_TEST_SERVER_LOG=debug|info|warn for the dev server's own log (stderr).
 */
import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type LogLevel,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { expect, it } from 'vitest';
import { activities as defaultActivities } from './activities.js';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The dev server's package folder (devserver/). */
export const PACKAGE_ROOT = path.resolve(HERE, '..');
export const SERVER_BIN = path.join(PACKAGE_ROOT, 'bin/temporal-dev.js');

export const DEBUG = !!process.env.DEVSERVER_TEST_DEBUG;
export function debug(...args: unknown[]): void {
  if (DEBUG) console.error('[devserver-test]', new Date().toISOString(), ...args);
}

// ---------------------------------------------------------------------------------------------
// Runtime (once per process)

let runtimeInstalled = false;
export function ensureRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (process.env.DEVSERVER_TEST_LOG ?? 'ERROR') as LogLevel;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch {
    // already installed (e.g. by TestWorkflowEnvironment): fine
  }
}

// ---------------------------------------------------------------------------------------------
// Workflow bundles (once per process per entry)

export type BundleName = 'main' | 'wft-broken' | 'wft-fixed';
const BUNDLE_PATHS: Record<BundleName, string> = {
  main: path.join(HERE, 'workflows/index.ts'),
  'wft-broken': path.join(HERE, 'workflows/wft-broken.ts'),
  'wft-fixed': path.join(HERE, 'workflows/wft-fixed.ts'),
};
const bundles = new Map<BundleName, Promise<WorkflowBundleWithSourceMap>>();

export function getBundle(name: BundleName = 'main'): Promise<WorkflowBundleWithSourceMap> {
  let b = bundles.get(name);
  if (!b) {
    ensureRuntime();
    const t0 = Date.now();
    b = bundleWorkflowCode({ workflowsPath: BUNDLE_PATHS[name], logger: new DefaultLogger('WARN') }).then((r) => {
      debug(`bundled ${name} in ${Date.now() - t0} ms`);
      return r;
    });
    bundles.set(name, b);
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Unique names, polling helpers

/** How long a condition may take before a test gives up on it. */
export const WAIT_MS = 30_000;

export function uid(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * Polls `probe` until it returns something truthy. The limit is generous (a loaded 2-core machine
 * can take seconds for one workflow task) and stays below `withWorker`'s 40 s, so that the wait,
 * not the hang guard, reports what never happened.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = WAIT_MS,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v as T;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? ` (last error: ${String(lastErr)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const EventType = temporal.api.enums.v1.EventType;
type History = temporal.api.history.v1.IHistory;

/** Event type names without the `EVENT_TYPE_` prefix, e.g. `WORKFLOW_TASK_FAILED`. */
export function eventNames(history: History | undefined | null): string[] {
  return (history?.events ?? []).map((e) => String(EventType[e.eventType ?? 0]).replace(/^EVENT_TYPE_/, ''));
}

export function eventsOf(history: History | undefined | null, name: string): temporal.api.history.v1.IHistoryEvent[] {
  return (history?.events ?? []).filter((e) => String(EventType[e.eventType ?? 0]) === `EVENT_TYPE_${name}`);
}

/** Resolves once the workflow's history contains an event of the given type. */
export async function waitForEvent(handle: WorkflowHandle, name: string, timeoutMs = WAIT_MS): Promise<History> {
  return waitFor(
    `${name} in history of ${handle.workflowId}`,
    async () => {
      const h = await handle.fetchHistory();
      return eventNames(h).includes(name) ? h : undefined;
    },
    timeoutMs,
    100,
  );
}

/**
 * Structural rules a history must obey for the SDK (see TEMPORAL-PROTOCOL.md §3.2, §4, §5.3).
 * Returns human-readable violations (empty = well-formed).
 */
export function historyViolations(history: History): string[] {
  const events = history.events ?? [];
  const out: string[] = [];
  const name = (i: number) => String(EventType[events[i]?.eventType ?? 0]).replace(/^EVENT_TYPE_/, '');
  const byId = new Map<number, string>();
  events.forEach((e, i) => {
    const id = Number(e.eventId);
    if (id !== i + 1) out.push(`event #${i + 1} has id ${id} (ids must be 1..N without gaps)`);
    if (!e.eventTime) out.push(`event ${id} ${name(i)} has no event_time`);
    byId.set(id, name(i));
  });
  const ref = (id: unknown, expected: string, at: string) => {
    const n = Number(id ?? 0);
    if (byId.get(n) !== expected) out.push(`${at} refers to event ${n} (${byId.get(n) ?? 'none'}), expected ${expected}`);
  };
  const CLOSE = ['WORKFLOW_EXECUTION_COMPLETED', 'WORKFLOW_EXECUTION_FAILED', 'WORKFLOW_EXECUTION_CANCELED', 'WORKFLOW_EXECUTION_TERMINATED', 'WORKFLOW_EXECUTION_TIMED_OUT', 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW'];
  events.forEach((e, i) => {
    const n = name(i);
    const id = Number(e.eventId);
    const at = `event ${id} ${n}`;
    if (i === 0 && n !== 'WORKFLOW_EXECUTION_STARTED') out.push(`first event is ${n}`);
    if (CLOSE.includes(n) && i !== events.length - 1) out.push(`${at} is a close event but not the last event`);
    if (n === 'WORKFLOW_TASK_STARTED') {
      if (name(i - 1) !== 'WORKFLOW_TASK_SCHEDULED') out.push(`${at} not directly after WORKFLOW_TASK_SCHEDULED (after ${name(i - 1)})`);
      ref(e.workflowTaskStartedEventAttributes?.scheduledEventId, 'WORKFLOW_TASK_SCHEDULED', at);
      const next = i + 1 < events.length ? name(i + 1) : undefined;
      const ok = [
        'WORKFLOW_TASK_COMPLETED',
        'WORKFLOW_TASK_FAILED',
        'WORKFLOW_TASK_TIMED_OUT',
        'WORKFLOW_EXECUTION_TERMINATED',
        'WORKFLOW_EXECUTION_TIMED_OUT',
        'WORKFLOW_EXECUTION_CANCELED',
        undefined,
      ];
      if (!ok.includes(next)) out.push(`${at} followed by ${next} (a workflow task must be contiguous; new events are buffered)`);
    }
    if (n === 'WORKFLOW_TASK_COMPLETED') {
      ref(e.workflowTaskCompletedEventAttributes?.scheduledEventId, 'WORKFLOW_TASK_SCHEDULED', `${at}.scheduledEventId`);
      ref(e.workflowTaskCompletedEventAttributes?.startedEventId, 'WORKFLOW_TASK_STARTED', `${at}.startedEventId`);
    }
    if (n === 'ACTIVITY_TASK_STARTED') {
      ref(e.activityTaskStartedEventAttributes?.scheduledEventId, 'ACTIVITY_TASK_SCHEDULED', `${at}.scheduledEventId`);
      const next = name(i + 1);
      if (!['ACTIVITY_TASK_COMPLETED', 'ACTIVITY_TASK_FAILED', 'ACTIVITY_TASK_TIMED_OUT', 'ACTIVITY_TASK_CANCELED'].includes(next)) {
        out.push(`${at} not directly followed by its terminal event (followed by ${next})`);
      }
    }
    const act =
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (act) {
      ref(act.scheduledEventId, 'ACTIVITY_TASK_SCHEDULED', `${at}.scheduledEventId`);
      const started = Number(act.startedEventId ?? 0);
      // 0 = never started (cancelled before dispatch, schedule-to-start/close while waiting)
      if (started !== 0 || !['ACTIVITY_TASK_CANCELED', 'ACTIVITY_TASK_TIMED_OUT'].includes(n)) ref(act.startedEventId, 'ACTIVITY_TASK_STARTED', `${at}.startedEventId`);
    }
    if (e.timerFiredEventAttributes) ref(e.timerFiredEventAttributes.startedEventId, 'TIMER_STARTED', `${at}.startedEventId`);
    if (e.timerCanceledEventAttributes) ref(e.timerCanceledEventAttributes.startedEventId, 'TIMER_STARTED', `${at}.startedEventId`);
  });
  return out;
}

/** Violations of every collected history, prefixed with the workflow id. */
export function collectedViolations(histories: Collected[]): string[] {
  return histories.flatMap((h) => historyViolations(h.history).map((v) => `${h.workflowId}: ${v}`));
}

// ---------------------------------------------------------------------------------------------
// Suite: one in-process server + client per test file

export interface Collected {
  workflowId: string;
  history: History;
  bundle: BundleName;
}

export interface Suite {
  address: string;
  port: number;
  namespace: string;
  connection: Connection;
  client: Client;
  nativeConnection: NativeConnection;
  histories: Collected[];
  /** The in-process server's engine (sticky and matching state, for tests that look inside). */
  engine: Awaited<ReturnType<typeof import('../src/index.js').startDevServer>>['engine'];
  /** The HTTP API's base URL, when started with `http`. */
  httpUrl?: string;
  /** extra clients for other namespaces */
  clientFor(namespace: string): Client;
  stop(): Promise<void>;
}

export interface SuiteOptions {
  namespaces?: string[];
  namespace?: string;
  timeSkipping?: boolean;
  dbFilename?: string;
  searchAttributes?: Record<string, 'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList'>;
  /** Also serve the HTTP API (and the Web UI from `uiDir`) on a free port: `suite.httpUrl`. */
  http?: { uiDir?: string };
  /** The server's eager activity dispatch (default on). */
  eagerActivities?: boolean;
}

export async function startSuite(opts: SuiteOptions = {}): Promise<Suite> {
  ensureRuntime();
  // dynamic import: only the in-process suites need the server source
  const { startDevServer } = await import('../src/index.js');
  const t0 = Date.now();
  const server = await startDevServer({
    port: 0,
    namespaces: opts.namespaces,
    dbFilename: opts.dbFilename,
    timeSkipping: opts.timeSkipping,
    searchAttributes: opts.searchAttributes,
    eagerActivities: opts.eagerActivities,
    ...(opts.http ? { httpPort: 0, uiDir: opts.http.uiDir } : {}),
    ...(process.env.DEVSERVER_TEST_SERVER_LOG ? { logLevel: process.env.DEVSERVER_TEST_SERVER_LOG as 'debug' } : {}),
  });
  debug(`server up at ${server.address} in ${Date.now() - t0} ms`);
  const namespace = opts.namespace ?? 'default';
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const client = new Client({ connection, namespace });
  const extraClients = new Map<string, Client>();
  return {
    address: server.address,
    port: server.port,
    namespace,
    connection,
    client,
    nativeConnection,
    histories: [],
    engine: server.engine,
    httpUrl: server.httpUrl,
    clientFor(ns: string) {
      let c = extraClients.get(ns);
      if (!c) extraClients.set(ns, (c = new Client({ connection, namespace: ns })));
      return c;
    },
    async stop() {
      await connection.close().catch(() => undefined);
      await nativeConnection.close().catch(() => undefined);
      await server.stop();
    },
  };
}

export interface WorkerSpec {
  taskQueue: string;
  timeoutMs?: number;
  bundle?: BundleName;
  namespace?: string;
  activities?: object;
  options?: Partial<WorkerOptions>;
  connection?: NativeConnection;
}

export async function createWorker(suite: Pick<Suite, 'nativeConnection' | 'namespace'>, spec: WorkerSpec): Promise<Worker> {
  return Worker.create({
    connection: spec.connection ?? suite.nativeConnection,
    namespace: spec.namespace ?? suite.namespace,
    taskQueue: spec.taskQueue,
    workflowBundle: await getBundle(spec.bundle ?? 'main'),
    activities: spec.activities ?? defaultActivities,
    shutdownGraceTime: '1s',
    ...spec.options,
  });
}

/** Rejects with a descriptive error if `p` does not settle within `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no outcome after ${ms} ms (hang)`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Runs a fresh worker on `spec.taskQueue` for the duration of `fn`, then shuts it down cleanly.
 * `fn` is bounded by `spec.timeoutMs` (default 40 s, below the 60-s test timeouts) so that a hang
 * caused by the server still shuts the worker down and lets vitest exit.
 */
export async function withWorker<T>(
  suite: Pick<Suite, 'nativeConnection' | 'namespace'>,
  spec: WorkerSpec & { timeoutMs?: number },
  fn: (worker: Worker) => Promise<T>,
): Promise<T> {
  const worker = await createWorker(suite, spec);
  return worker.runUntil(() => withTimeout(fn(worker), spec.timeoutMs ?? 40_000, `test body on task queue ${spec.taskQueue}`));
}

/** Stores the (closed) workflow's full history for the replay test. */
export async function collect(suite: { histories: Collected[] }, handle: WorkflowHandle, bundle: BundleName = 'main'): Promise<History> {
  const history = await handle.fetchHistory();
  suite.histories.push({ workflowId: handle.workflowId, history, bundle });
  return history;
}

export interface ReplayReport {
  replayed: number;
  failures: { workflowId: string; runId: string; error: string }[];
}

/** Replays every collected history with the bundle it ran with. */
export async function replayCollected(histories: Collected[]): Promise<ReplayReport> {
  const report: ReplayReport = { replayed: 0, failures: [] };
  const byBundle = new Map<BundleName, Collected[]>();
  for (const h of histories) byBundle.set(h.bundle, [...(byBundle.get(h.bundle) ?? []), h]);
  for (const [bundle, list] of byBundle) {
    const workflowBundle = await getBundle(bundle);
    const results = Worker.runReplayHistories(
      { workflowBundle, replayName: `devserver-${bundle}` },
      list.map((h) => ({ workflowId: h.workflowId, history: h.history })),
    );
    for await (const r of results) {
      report.replayed++;
      if (r.error) report.failures.push({ workflowId: r.workflowId, runId: r.runId, error: `${r.error.name}: ${r.error.message}` });
    }
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Helpers for tests that spawn the compiled executable

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** true if something accepts TCP connections on 127.0.0.1:port */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
    sock.setTimeout(1000, () => {
      sock.destroy();
      resolve(false);
    });
  });
}

export function assertServerBuilt(): void {
  if (!existsSync(SERVER_BIN) || !existsSync(path.join(PACKAGE_ROOT, 'dist'))) {
    throw new Error(`${SERVER_BIN} or devserver/dist missing: run \`npm run build\` first (npm test does it in pretest)`);
  }
}

export interface SpawnedServer {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

export async function spawnServer(args: string[], port: number): Promise<SpawnedServer> {
  assertServerBuilt();
  const child = spawn(process.execPath, [SERVER_BIN, ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  debug(`spawned server pid ${child.pid}: ${args.join(' ')}`);
  await waitFor(
    `server on port ${port} (output so far: ${out})`,
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
      return isListening(port);
    },
    WAIT_MS,
    50,
  );
  return { child, port, output: () => out, exited };
}

/**
 * The two checks every conformance file ends with, over the histories it collected: each is
 * well-formed for the SDK, and each replays without a non-determinism error. `minimum` guards
 * against a file whose other tests failed silently collecting nothing.
 */
export function checkCollectedHistories(histories: () => Collected[], minimum: number): void {
  it('every collected history is well-formed (contiguous workflow tasks, adjacent activity events, valid references)', () => {
    expect(histories().length).toBeGreaterThan(0);
    expect(collectedViolations(histories())).toEqual([]);
  });

  it('replays every history collected in this file', async () => {
    expect(histories().length).toBeGreaterThanOrEqual(minimum);
    const report = await replayCollected(histories());
    expect(report.failures).toEqual([]);
    expect(report.replayed).toBe(histories().length);
  }, 60_000);
}
