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

/**
 * The Temporal worker's own logs (worker state, the workflow bundler's report) through the same
 * logger, at warn unless asked for more: info lines from the SDK say nothing an operator needs.
 */
export function installTemporalLogging(logger: Logger, level: LogLevel = 'WARN'): void {
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
  try {
    Runtime.install({ logger: forward });
  } catch {
    // Already installed in this process (a second platform in one test process): keep the first.
  }
}

/** The Temporal runtime's level for a pino level (the runtime knows no fatal or silent). */
export function temporalLevelOf(level: string): LogLevel {
  const map: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN' };
  return map[level] ?? 'ERROR';
}
