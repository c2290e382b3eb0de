import { startDevServer, type DevServerOptions, type LogLevel } from './index.js';
import { parseIndexedValueType } from './visibility/search-attributes.js';

const USAGE = `temporal-dev — a Temporal-compatible development server (no download, no Docker)

Usage:
  temporal-dev [server start-dev] [--port 7233] [--ip 127.0.0.1] [--namespace NS]...
               [--db-filename FILE] [--search-attribute Name=Type]... [--log-level warn]
               [--time-skipping] [--retention-days 7] [--ui-port 8233] [--ui-dir DIR]
  temporal-dev <port> [--enable-time-skipping]     (Java test-server form, time skipping)

--retention-days: days closed workflows are kept (namespaces the server creates; default 7).
--dynamic-config-value system.enableActivityEagerExecution=false: no eager activity dispatch
  (on by default); other dynamic config keys are accepted and ignored.
--ui-port (or --http-port): serve Temporal's HTTP API at /api/v1 on this port, and with --ui-dir
  (a built Temporal Web UI, e.g. the repository's ui/build) the Web UI at /.
Unknown flags are ignored, so the Temporal CLI's own flags can be passed through.`;

/**
 * Parses the three command lines the server is started with: our own flags, the Temporal CLI's
 * `server start-dev …` (what `TestWorkflowEnvironment.createLocal` spawns) and the Java test
 * server's `<port> [extra…]` (what `createTimeSkipping` spawns).
 */
export function parseArgs(argv: string[]): DevServerOptions & { help?: boolean } {
  const args = [...argv];
  const opts: DevServerOptions & { help?: boolean } = { namespaces: [], searchAttributes: {} };
  if (args[0] && /^\d+$/.test(args[0])) {
    opts.port = Number(args.shift());
    opts.timeSkipping = true;
    opts.ip = '127.0.0.1';
  } else if (args[0] === 'server' && args[1] === 'start-dev') {
    args.splice(0, 2);
  }
  const takesValue = new Set([
    '--port', '-p', '--ip', '--retention-days', '--namespace', '-n', '--db-filename', '-f', '--search-attribute', '--log-level',
    '--log-format', '--ui-port', '--ui-dir', '--dynamic-config-value', '--ui-ip', '--http-port', '--metrics-port', '--config', '--env', '--log-config',
  ]);
  for (let i = 0; i < args.length; i++) {
    let flag = args[i]!;
    let value: string | undefined;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    } else if (takesValue.has(flag)) {
      value = args[++i];
    }
    const need = () => {
      if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
      return value;
    };
    switch (flag) {
      case '--port':
      case '-p': {
        const port = Number(need());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0…65535, got ${value}`);
        opts.port = port;
        break;
      }
      case '--ip':
        opts.ip = need();
        break;
      case '--ui-port':
      case '--http-port': {
        const port = Number(need());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${flag} must be 0…65535, got ${value}`);
        opts.httpPort = port;
        break;
      }
      case '--ui-dir':
        opts.uiDir = need();
        break;
      case '--retention-days': {
        const days = Number(need());
        if (!Number.isFinite(days) || days <= 0) throw new Error(`--retention-days must be a positive number, got ${value}`);
        opts.retentionDays = days;
        break;
      }
      case '--namespace':
      case '-n':
        opts.namespaces!.push(need());
        break;
      case '--db-filename':
      case '-f':
        opts.dbFilename = need();
        break;
      case '--search-attribute': {
        const [name, type] = need().split('=');
        if (!name || !type) throw new Error(`--search-attribute expects Name=Type, got ${value}`);
        opts.searchAttributes![name] = parseIndexedValueType(type);
        break;
      }
      case '--log-level': {
        const level = need().toLowerCase();
        if (!['debug', 'info', 'warn', 'error', 'off', 'never', 'fatal'].includes(level)) throw new Error(`--log-level must be debug|info|warn|error, got ${value}`);
        opts.logLevel = (level === 'never' ? 'off' : level === 'fatal' ? 'error' : level) as LogLevel;
        break;
      }
      case '--time-skipping':
      case '--enable-time-skipping':
        opts.timeSkipping = true;
        break;
      case '--dynamic-config-value': {
        const setting = need();
        const eq = setting.indexOf('=');
        if (eq <= 0) throw new Error(`--dynamic-config-value expects KEY=VALUE, got ${setting}`);
        const [key, raw] = [setting.slice(0, eq), setting.slice(eq + 1)];
        if (key === 'system.enableActivityEagerExecution') {
          if (raw !== 'true' && raw !== 'false') throw new Error(`--dynamic-config-value ${key} must be true or false, got ${raw}`);
          opts.eagerActivities = raw === 'true';
        }
        break;
      }
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        // Unknown flags (and their values, when we know they take one) are ignored.
        break;
    }
  }
  return opts;
}

export async function main(argv: string[]): Promise<void> {
  let opts: ReturnType<typeof parseArgs>;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`temporal-dev: ${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const server = await startDevServer(opts);
  // The SDK forwards a spawned server's output into the test run: say where we listen only to a person
  // (at info level and below the server's own log already says it).
  if (!opts.timeSkipping && process.stderr.isTTY && opts.logLevel !== 'info' && opts.logLevel !== 'debug') {
    process.stderr.write(`temporal-dev listening on ${server.address}${opts.dbFilename ? ` (persisted in ${opts.dbFilename})` : ''}\n`);
    if (server.httpUrl) process.stderr.write(`${opts.uiDir ? 'Temporal UI and HTTP API' : 'HTTP API'}  ${server.httpUrl}\n`);
  }
  const shutdown = () => {
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
