import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import grpc from '@grpc/grpc-js';
import type { Engine } from './engine/engine.js';
import type { Handlers } from './grpc.js';
import type { InProcessCallOptions, InProcessCalls } from './in-process.js';
import type { HttpServer } from './http/server.js';
import type { DevServerOptions, LogLevel } from './options.js';
import type { ExpiredFn } from './store-format.js';
import type { IndexedValueType } from './visibility/search-attributes.js';

export type { DevServerOptions, LogLevel } from './options.js';

export interface DevServer {
  address: string;
  port: number;
  /** The HTTP API and Web UI (`http://ip:port`), when `httpPort` was given. */
  httpUrl?: string;
  stop(): Promise<void>;
  /**
   * Calls a unary method from this process, by its gRPC path
   * (`/temporal.api.workflowservice.v1.WorkflowService/StartWorkflowExecution`): the request's
   * protobuf bytes in, the response's out, through the same handlers and with the same errors as
   * over gRPC (a `StatusError`: `code`, `details`, `metadata`), without the socket, HTTP/2 and gRPC
   * framing of both ends. For a client in the server's process (the policy simulator's).
   */
  call(path: string, request: Uint8Array, options?: InProcessCallOptions): Promise<Uint8Array>;
  /** For tests and benchmarks: the engine behind the API. */
  engine: Engine;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

/** The gRPC services the server answers, by full name. */
const SERVICES = [
  'temporal.api.workflowservice.v1.WorkflowService',
  'temporal.api.operatorservice.v1.OperatorService',
  'temporal.api.testservice.v1.TestService',
  'grpc.health.v1.Health',
];

type UnaryFunc = grpc.handleUnaryCall<unknown, unknown>;
interface RealHandler {
  func: UnaryFunc;
  serialize: (value: unknown) => Buffer;
  deserialize: (bytes: Buffer) => unknown;
}

/**
 * The unary methods of SERVICES, read from the JSON descriptor `@temporalio/proto` is built from
 * (a few milliseconds) instead of its protobufjs root (a fifth of a second or more). Undefined if
 * the descriptor cannot be read: the server then listens once everything is loaded.
 */
function methodPaths(): string[] | undefined {
  try {
    const file = createRequire(import.meta.url).resolve('@temporalio/proto/protos/json-module.js');
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf('.addJSON(');
    const end = text.lastIndexOf('});');
    if (start < 0 || end < start) return undefined;
    const json = JSON.parse(text.slice(start + '.addJSON('.length, end + 1)) as Record<string, { nested?: unknown; methods?: Record<string, { requestStream?: boolean; responseStream?: boolean }> }>;
    const paths: string[] = [];
    for (const service of SERVICES) {
      let node: { nested?: unknown; methods?: Record<string, { requestStream?: boolean; responseStream?: boolean }> } | undefined = { nested: json };
      for (const part of service.split('.')) node = (node?.nested as typeof json | undefined)?.[part];
      if (!node?.methods) return undefined;
      for (const [name, m] of Object.entries(node.methods)) if (!m.requestStream && !m.responseStream) paths.push(`/${service}/${name}`);
    }
    return paths;
  } catch {
    return undefined;
  }
}

/**
 * Start-up: the port listens before the engine and the protobuf reflection are loaded (about
 * half a second on a quiet machine, seconds on a loaded one, against the 5 s the Temporal SDK gives
 * a spawned server). Calls that arrive meanwhile are held by a stand-in for their method and
 * handed to the real handler once it is registered; stand-ins are replaced before the first call
 * after that.
 */
function holdEarlyCalls(server: grpc.Server, paths: string[]) {
  let settle!: { resolve: (real: Map<string, RealHandler>) => void; reject: (err: Error) => void };
  const ready = new Promise<Map<string, RealHandler>>((resolve, reject) => (settle = { resolve, reject }));
  ready.catch(() => undefined);
  for (const path of paths) {
    const standIn: UnaryFunc = (call, callback) => {
      ready.then(
        (real) => {
          const h = real.get(path);
          if (!h) return callback({ code: grpc.status.UNIMPLEMENTED, details: `unknown method ${path}` });
          call.request = h.deserialize(call.request as Buffer);
          h.func(call, (err, value, trailer, flags) => callback(err, value === undefined || value === null ? value : h.serialize(value), trailer, flags));
        },
        (err: Error) => callback({ code: grpc.status.UNAVAILABLE, details: `the server failed to start: ${err.message}` }),
      );
    };
    server.register(path, standIn, (b: unknown) => b as Buffer, (b: Buffer) => b, 'unary');
  }
  return {
    /** Registers the real handlers in place of the stand-ins (`add` calls `server.register`). */
    replace(add: () => void): void {
      const real = new Map<string, RealHandler>();
      for (const path of paths) server.unregister(path);
      const register = server.register.bind(server);
      server.register = ((name: string, func: UnaryFunc, serialize: RealHandler['serialize'], deserialize: RealHandler['deserialize'], type: 'unary') => {
        real.set(name, { func, serialize, deserialize });
        return register(name, func, serialize, deserialize, type);
      }) as typeof server.register;
      try {
        add();
      } finally {
        delete (server as { register?: unknown }).register;
      }
      settle.resolve(real);
    },
    fail: (err: Error) => settle.reject(err),
  };
}

function bindPort(server: grpc.Server, ip: string, port: number): Promise<number> {
  return new Promise<number>((resolve, reject) =>
    server.bindAsync(`${ip.includes(':') ? `[${ip}]` : ip}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
}

/** Everything behind the port: loaded once the port listens (see holdEarlyCalls). */
async function startEngine(
  options: DevServerOptions,
  log: (level: Exclude<LogLevel, 'off'>, msg: string) => void,
  server: grpc.Server,
  early: ReturnType<typeof holdEarlyCalls> | undefined,
) {
  const [{ ActivityManager }, { ChildManager }, { CommandProcessor }, { Engine }, { QueryManager }, { UpdateManager }, { addService }, { InProcessCalls }, { operatorService }, { testService }, { workflowService }, { DEFAULT_RETENTION_DAYS }, { Store }, { SearchAttributeRegistry }] =
    await Promise.all([
      import('./engine/activities.js'),
      import('./engine/children.js'),
      import('./engine/commands.js'),
      import('./engine/engine.js'),
      import('./engine/queries.js'),
      import('./engine/updates.js'),
      import('./grpc.js'),
      import('./in-process.js'),
      import('./service/operator-service.js'),
      import('./service/test-service.js'),
      import('./service/workflow-service.js'),
      import('./engine/retention.js'),
      import('./store.js'),
      import('./visibility/search-attributes.js'),
    ]);

  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const serverCreated = new Set(['default', ...(options.namespaces ?? [])]);
  // Decided before the engine exists, so that runs past their retention are never parsed in full.
  const expired: ExpiredFn = (ns, closeTime, meta) => {
    const days = serverCreated.has(ns) ? retentionDays : (meta?.namespaces.find((n) => n.name === ns)?.retentionDays ?? retentionDays);
    return closeTime + days * 86_400_000 <= Date.now() + (meta?.clockOffset ?? 0);
  };
  const opened = options.dbFilename ? Store.open(options.dbFilename, { expired, compactMinBytes: options.compactMinBytes }) : undefined;
  if (opened?.expired) log('info', `dropped ${opened.expired} closed runs past their retention from ${options.dbFilename}`);
  const engine = new Engine(
    {
      timeSkipping: !!options.timeSkipping,
      frozenTime: !!options.frozenTime,
      longPollMs: options.longPollMs ?? 30_000,
      namespaces: options.namespaces ?? [],
      searchAttributes: options.searchAttributes ?? {},
      store: opened?.store,
      retentionDays,
      eagerActivities: options.eagerActivities ?? true,
      log,
    },
    opened?.meta?.clockOffset ?? 0,
  );
  engine.activities = new ActivityManager(engine);
  engine.queries = new QueryManager(engine);
  engine.updates = new UpdateManager(engine);
  engine.commands = new CommandProcessor(engine);
  engine.children = new ChildManager(engine);
  engine.schedules = new (await import('./engine/schedules.js')).ScheduleManager(engine);
  engine.nexus = new (await import('./engine/nexus.js')).NexusManager(engine);

  if (opened) {
    for (const ns of opened.meta?.namespaces ?? []) {
      const state = engine.ensureNamespace(ns.name, ns.description, ns.retentionDays);
      state.id = ns.id;
      state.registry = SearchAttributeRegistry.fromJSON(ns.searchAttributes);
      for (const [name, type] of Object.entries(options.searchAttributes ?? {})) {
        if (state.registry.typeOf(name) === undefined) state.registry.add(name, type);
      }
    }
    for (const run of opened.runs) engine.restoreRun(run);
    engine.nexus.endpoints.restore(opened.meta?.nexusEndpoints);
    engine.rearm();
    engine.schedules.restore(opened.meta?.schedules);
    (await import('./engine/standalone-activities.js')).standaloneActivities(engine).restore(opened.activities);
    engine.markMetaDirty();
    engine.flush();
  }

  const hooks = { after: () => engine.flush(), log: (msg: string) => log('error', msg) };
  const inProcess = new InProcessCalls();
  const handlers = {
    'temporal.api.workflowservice.v1.WorkflowService': workflowService(engine),
    'temporal.api.operatorservice.v1.OperatorService': operatorService(engine),
  };
  const addAll = () => {
    for (const [name, service] of Object.entries(handlers)) addService(server, name, service, hooks, inProcess.methods);
    addService(server, 'temporal.api.testservice.v1.TestService', testService(engine), hooks, inProcess.methods);
    addService(server, 'grpc.health.v1.Health', { Check: () => ({ status: 'SERVING' }) }, hooks, inProcess.methods);
  };
  if (early) early.replace(addAll);
  else addAll();
  return { engine, handlers: handlers as Record<string, Handlers>, opened, hooks, inProcess };
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const threshold = LEVELS[options.logLevel ?? 'warn'];
  const log = (level: Exclude<LogLevel, 'off'>, msg: string) => {
    if (LEVELS[level] >= threshold) process.stderr.write(`[temporal-dev ${level}] ${msg}\n`);
  };

  const server = new grpc.Server({
    'grpc.max_receive_message_length': 128 * 1024 * 1024,
    'grpc.max_send_message_length': 128 * 1024 * 1024,
  });
  const ip = options.ip ?? '127.0.0.1';
  const paths = methodPaths();
  const early = paths && holdEarlyCalls(server, paths);
  let port = early ? await bindPort(server, ip, options.port ?? 7233) : 0;

  let engine: Engine;
  let handlers: Record<string, Handlers>;
  let opened: { store: { close(): void } } | undefined;
  let hooks: { after: () => void; log: (msg: string) => void };
  let inProcess: InProcessCalls;
  try {
    ({ engine, handlers, opened, hooks, inProcess } = await startEngine(options, log, server, early));
  } catch (err) {
    early?.fail(err as Error);
    server.forceShutdown();
    throw err;
  }
  if (!early) port = await bindPort(server, ip, options.port ?? 7233);
  log('info', `listening on ${ip}:${port}${options.dbFilename ? `, persisted in ${options.dbFilename}` : ''}${options.timeSkipping ? ', time skipping' : ''}`);

  let http: HttpServer | undefined;
  if (options.httpPort !== undefined) {
    try {
      const { startHttpServer } = await import('./http/server.js');
      http = await startHttpServer({ port: options.httpPort, ip, uiDir: options.uiDir, handlers, defaultNamespace: options.namespaces?.[0] ?? 'default', after: hooks.after, log: hooks.log });
    } catch (err) {
      server.forceShutdown();
      engine.stop();
      opened?.store.close();
      throw new Error(`the HTTP API / Web UI cannot listen on ${ip}:${options.httpPort}: ${(err as Error).message}`);
    }
    log('info', `HTTP API${options.uiDir ? ' and Web UI' : ''} on ${http.url}`);
  }

  let stopped = false;
  return {
    address: `${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${port}`,
    port,
    httpUrl: http?.url,
    engine,
    call: (path, request, callOptions) => inProcess.call(path, request, callOptions),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      inProcess.stop();
      await http?.close();
      engine.queries.stop();
      (await import('./engine/standalone-activities.js')).standaloneActivities(engine).stop();
      engine.stop();
      // Polls and result waits were answered by engine.stop(); give their responses a moment to leave.
      await Promise.race([new Promise<void>((resolve) => server.tryShutdown(() => resolve())), new Promise((r) => setTimeout(r, 500))]);
      server.forceShutdown();
      engine.flush();
      opened?.store.close();
    },
  };
}

export type { IndexedValueType };
export { startDevServerThread, type DevServerThread } from './thread.js';
export type { StatusError } from './errors.js';
export type { InProcessCallOptions } from './in-process.js';
