/**
 * `npm run drill` — the crash drill that proves exactly-once money: the production layout (dev
 * server, worker, API on a fresh Postgres database) driven by concurrent clients through hundreds
 * of cases while the worker, the API and the dev server are SIGKILLed and restarted; then every
 * refund and courier claim is counted at the provider stubs and in the ledger.
 *
 *   npm run drill [-- --cases 300 --concurrency 8 --kills 3 --seed N --patience-seconds 300 --keep-logs on-failure|always|never --reference --json]
 *
 * --reference: openings carry the client's own `reference` as well; by default a client relies on
 * its Idempotency-Key alone, the contract every POST promises.
 *
 * Postgres: DRILL_DATABASE_URL or DATABASE_URL (a server URL; the drill creates and drops its own
 * database), else postgresql://postgres@127.0.0.1:5432/postgres. Prints the summary table (or the
 * JSON summary with --json); exits 0 only with no duplicate, no loss and every case ended.
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { formatSummary } from './report.js';
import { DEFAULTS, Drill, type DrillOptions } from './run.js';

export class UsageError extends Error {}

export function parseDrillArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): DrillOptions & { json: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        cases: { type: 'string' },
        concurrency: { type: 'string' },
        kills: { type: 'string' },
        seed: { type: 'string' },
        'patience-seconds': { type: 'string' },
        'keep-logs': { type: 'string' },
        json: { type: 'boolean' },
        reference: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const whole = (name: string, text: string | undefined, fallback: number, min: number) => {
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min}, got ${JSON.stringify(text)}`);
    return n;
  };
  const keepLogs = values['keep-logs'] ?? 'on-failure';
  if (!['always', 'on-failure', 'never'].includes(keepLogs)) throw new UsageError(`--keep-logs must be always, on-failure or never, got ${JSON.stringify(keepLogs)}`);
  return {
    cases: whole('cases', values.cases, DEFAULTS.cases, 1),
    concurrency: whole('concurrency', values.concurrency, DEFAULTS.concurrency, 1),
    kills: whole('kills', values.kills, DEFAULTS.kills, 0),
    seed: whole('seed', values.seed, Math.floor(Math.random() * 2 ** 31), 0),
    patienceMs: whole('patience-seconds', values['patience-seconds'], DEFAULTS.patienceMs / 1000, 10) * 1000,
    serverUrl: env.DRILL_DATABASE_URL || env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
    keepLogs: keepLogs as DrillOptions['keepLogs'],
    withReference: values.reference ?? false,
    json: values.json ?? false,
    log: (line) => console.error(`[drill ${new Date().toISOString().slice(11, 19)}] ${line}`),
  };
}

async function main(): Promise<number> {
  let options;
  try {
    options = parseDrillArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`drill: ${err.message}`);
    return 2;
  }
  const drill = new Drill(options);
  // Ctrl-C or a supervisor's TERM: kill what the drill started and drop its database before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void drill.abort().finally(() => process.exit(130)));
  try {
    const summary = await drill.run();
    console.log(options.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
    return summary.ok ? 0 : 1;
  } catch (err) {
    console.error(`drill could not run: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nprocess logs: ${drill.logsDir}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(await main());
