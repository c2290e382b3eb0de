/**
 * One logger for the API and the worker: pino (Fastify's own), JSON lines in production,
 * pretty-printed when a person is watching a terminal. What a request logs is chosen here, not
 * left to defaults: method, path and status with the request id — never headers (keys, signatures),
 * query strings (customer ids, order ids) or bodies.
 */
import { Runtime, type LogLevel, type LogMetadata, type Logger as TemporalLogger } from '@temporalio/worker';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { requestIdOf } from '../api/request-context.js';
import { workerMetricsAddressOf } from './config.js';

export interface LogOptions {
  level?: string;
  /** Human-readable lines instead of JSON (defaults to: stdout is a terminal). */
  pretty?: boolean;
}

export function createLogger(options: LogOptions = {}): Logger {
  const level = options.level ?? 'info';
  const usePretty = options.pretty ?? process.stdout.isTTY === true;
  const base = { level, base: undefined, redact: { paths: ['req.headers', '*.authorization', '*.key', '*.secret', '*.token'], censor: '[redacted]' } };
  return usePretty ? pino(base, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true })) : pino(base);
}

const pathOnly = (url: string) => {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
};

/** Fastify's options for logging: our logger, our request ids, our (minimal) request fields. */
export function fastifyLogging(logger: Logger | false): Pick<FastifyServerOptions, 'genReqId' | 'logController'> & { loggerInstance?: FastifyBaseLogger } {
  return {
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: !logger }),
    ...(logger
      ? {
          loggerInstance: logger.child({}, {
            serializers: {
              req: (req: FastifyRequest) => ({ method: req.method, path: pathOnly(req.url) }),
              res: (res: FastifyReply) => ({ statusCode: res.statusCode }),
            },
          }),
        }
      : {}),
  };
}

/** Where the worker's Temporal SDK metrics are served (Prometheus text at `http://<address>/metrics`). */
export interface TemporalMetricsOptions {
  /** host:port to bind; undefined = no metrics endpoint. */
  address?: string;
}

/**
 * Installs the process's Temporal runtime (once per process, before any worker or native
 * connection exists): the worker's own logs (worker state, the workflow bundler's report) through
 * the same logger, at warn unless asked for more — info lines from the SDK say nothing an operator
 * needs — and, with `metrics.address`, the SDK's metrics (workflow task and activity latencies and
 * failures, schedule-to-start, pollers, sticky cache) for Prometheus.
 *
 * Without `metrics` the address comes from WORKER_METRICS_ADDRESS or the development default
 * (`npm start`: 127.0.0.1:9464; none under tests), as app/config.ts decides. An address that cannot
 * be bound (taken by another `npm start` or worker) is logged as a warning and the runtime runs
 * without metrics: metrics never stop the platform. Returns the address actually served, if any.
 */
export function installTemporalLogging(logger: Logger, level: LogLevel = 'WARN', metrics: TemporalMetricsOptions = { address: workerMetricsAddressOf(process.env, 'development') }): string | undefined {
  const order: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];
  const at = (l: LogLevel) => order.indexOf(l) >= order.indexOf(level);
  const child = logger.child({ component: 'temporal' });
  const forward: TemporalLogger = {
    log: (l, message, meta) => void (at(l) && child[l === 'TRACE' ? 'trace' : (l.toLowerCase() as 'debug' | 'info' | 'warn' | 'error')](meta ?? {}, message)),
    trace: (m: string, meta?: LogMetadata) => forward.log('TRACE', m, meta),
    debug: (m: string, meta?: LogMetadata) => forward.log('DEBUG', m, meta),
    info: (m: string, meta?: LogMetadata) => forward.log('INFO', m, meta),
    warn: (m: string, meta?: LogMetadata) => forward.log('WARN', m, meta),
    error: (m: string, meta?: LogMetadata) => forward.log('ERROR', m, meta),
  };
  // The SDK core's own messages (e.g. TMPRL1104, a workflow task over 5 s) through the same JSON
  // logger: left to the core they were written to stderr as coloured text among the JSON lines.
  const logging = { filter: { core: level, other: level }, forward: {} };
  if (metrics.address) {
    try {
      // The SDK's defaults (names with the temporal_ prefix, durations in milliseconds), as Temporal's
      // documentation and community dashboards expect them.
      Runtime.install({ logger: forward, telemetryOptions: { logging, metrics: { prometheus: { bindAddress: metrics.address } } } });
      logger.info(`worker metrics (Temporal SDK, Prometheus) on http://${metrics.address}/metrics`);
      return metrics.address;
    } catch (err) {
      if (alreadyInstalled(err)) return undefined;
      // The exporter binds when the runtime is made; the runtime is not kept when that fails.
      logger.warn(`worker metrics not served: ${metrics.address} cannot be bound (${err instanceof Error ? err.message : String(err)}); set WORKER_METRICS_ADDRESS to another host:port, or off`);
    }
  }
  try {
    Runtime.install({ logger: forward, telemetryOptions: { logging } });
  } catch (err) {
    if (!alreadyInstalled(err)) throw err;
  }
  return undefined;
}

/** Already installed in this process (a second platform in one test process): the first runtime stays. */
const alreadyInstalled = (err: unknown) => /already been (installed|instantiated)/.test(String(err));

/** The Temporal runtime's level for a pino level (the runtime knows no fatal or silent). */
export function temporalLevelOf(level: string): LogLevel {
  const map: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' };
  return map[level] ?? 'ERROR';
}

/**
 * A failure that repeats while its cause lasts (the outbox polling a database that is away, every
 * second): each distinct failure is said the first time with its error (for its stack), then at most
 * once per `everyMs` with how often it came meanwhile, without the stack — an operator trial counted
 * 38 stack traces in 40 s of one outage. Failures are told apart by their message's first line, so
 * another failure (a bug) arriving during an outage is still said at once.
 */
export function repeatedFailureLog(say: (line: string, err?: unknown) => void, everyMs = 60_000, now: () => number = Date.now): (err: unknown) => void {
  const seen = new Map<string, { lastSaidAt: number; since: number }>();
  return (err) => {
    const message = err instanceof Error ? (err.message.split('\n').find((l) => l.trim())?.trim() ?? err.name) : String(err);
    const known = seen.get(message);
    if (!known) {
      // A bounded memory of what was said: the oldest is forgotten first.
      if (seen.size >= 100) seen.delete(seen.keys().next().value!);
      seen.set(message, { lastSaidAt: now(), since: 0 });
      return say(message, err);
    }
    if (now() - known.lastSaidAt < everyMs) {
      known.since += 1;
      return;
    }
    say(known.since ? `${message} (and ${known.since} more time${known.since === 1 ? '' : 's'} since it was last said)` : message);
    known.lastSaidAt = now();
    known.since = 0;
  };
}

/** The providers running on a simulator, in words for the start-up log ('' when none). */
export function simulatedProvidersLine(simulators: Readonly<Record<string, unknown>>): string {
  const names = Object.entries(simulators).filter(([, s]) => s !== undefined).map(([name]) => name);
  return names.length ? `simulated providers: ${names.join(', ')} — refunds, messages, tracking and warehouse work done by them reach no real provider or customer` : '';
}
