import grpc from '@grpc/grpc-js';
import { ActivityManager } from './engine/activities.js';
import { ChildManager } from './engine/children.js';
import { CommandProcessor } from './engine/commands.js';
import { Engine } from './engine/engine.js';
import { QueryManager } from './engine/queries.js';
import { UpdateManager } from './engine/updates.js';
import { addService } from './grpc.js';
import { startHttpServer, type HttpServer } from './http/server.js';
import { operatorService } from './service/operator-service.js';
import { testService } from './service/test-service.js';
import { workflowService } from './service/workflow-service.js';
import { DEFAULT_RETENTION_DAYS } from './engine/retention.js';
import { Store, type ExpiredFn } from './store.js';
import { SearchAttributeRegistry, type IndexedValueType } from './visibility/search-attributes.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

export interface DevServerOptions {
  /** 0 picks a free port. Default 7233. */
  port?: number;
  ip?: string;
  /** Namespaces to create besides `default`. */
  namespaces?: string[];
  /** Persist everything to this file (append-only log); omitted = in memory. */
  dbFilename?: string;
  /**
   * Days a closed run is kept in the namespaces the server creates (`default` and `namespaces`);
   * default 7. Namespaces created with RegisterNamespace keep their own retention.
   */
  retentionDays?: number;
  /** Log size below which the persistence file is never compacted at run time (default 64 MiB). */
  compactMinBytes?: number;
  /** Temporal test-server semantics: the clock jumps to the next timer whenever nothing is in flight. */
  timeSkipping?: boolean;
  searchAttributes?: Record<string, IndexedValueType>;
  logLevel?: LogLevel;
  /** How long a poll waits for a task before answering "no work" (must stay under the SDK's 70 s). */
  longPollMs?: number;
  /** Serve Temporal's HTTP API (and the Web UI, with `uiDir`) on this port; 0 picks one; omitted = none. */
  httpPort?: number;
  /** A built Temporal Web UI (the folder holding its `index.html`), served at `/` of the HTTP port. */
  uiDir?: string;
}

export interface DevServer {
  address: string;
  port: number;
  /** The HTTP API and Web UI (`http://ip:port`), when `httpPort` was given. */
  httpUrl?: string;
  stop(): Promise<void>;
  /** For tests and benchmarks: the engine behind the API. */
  engine: Engine;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const threshold = LEVELS[options.logLevel ?? 'warn'];
  const log = (level: Exclude<LogLevel, 'off'>, msg: string) => {
    if (LEVELS[level] >= threshold) process.stderr.write(`[temporal-dev ${level}] ${msg}\n`);
  };

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
      longPollMs: options.longPollMs ?? 30_000,
      namespaces: options.namespaces ?? [],
      searchAttributes: options.searchAttributes ?? {},
      store: opened?.store,
      retentionDays,
      log,
    },
    opened?.meta?.clockOffset ?? 0,
  );
  engine.activities = new ActivityManager(engine);
  engine.queries = new QueryManager(engine);
  engine.updates = new UpdateManager(engine);
  engine.commands = new CommandProcessor(engine);
  engine.children = new ChildManager(engine);

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
    engine.rearm();
    engine.markMetaDirty();
    engine.flush();
  }

  const server = new grpc.Server({
    'grpc.max_receive_message_length': 128 * 1024 * 1024,
    'grpc.max_send_message_length': 128 * 1024 * 1024,
  });
  const hooks = { after: () => engine.flush(), log: (msg: string) => log('error', msg) };
  const handlers = {
    'temporal.api.workflowservice.v1.WorkflowService': workflowService(engine),
    'temporal.api.operatorservice.v1.OperatorService': operatorService(engine),
  };
  for (const [name, service] of Object.entries(handlers)) addService(server, name, service, hooks);
  addService(server, 'temporal.api.testservice.v1.TestService', testService(engine), hooks);
  addService(server, 'grpc.health.v1.Health', { Check: () => ({ status: 'SERVING' }) }, hooks);

  const ip = options.ip ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${ip.includes(':') ? `[${ip}]` : ip}:${options.port ?? 7233}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  log('info', `listening on ${ip}:${port}${options.dbFilename ? `, persisted in ${options.dbFilename}` : ''}${options.timeSkipping ? ', time skipping' : ''}`);

  let http: HttpServer | undefined;
  if (options.httpPort !== undefined) {
    try {
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
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await http?.close();
      engine.queries.stop();
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
