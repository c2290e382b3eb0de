/**
 * Replays one workflow history against this checkout's workflows, as a worker restarted without its
 * cache would: prints "ok" or the nondeterminism error. For a history downloaded from the Temporal UI
 * (JSON) or written by a test (`.pb`, temporal.api.history.v1.History). `--up-to N` replays only the
 * first N events, to find the event where replay and history part.
 *
 *   npx tsx scripts/replay-history.ts drill/findings/lost-parcel-local-activity-6.pb --up-to 50
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const { History } = proto.temporal.api.history.v1;
const WORKFLOWS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../workflows/index.ts');

async function main(): Promise<number> {
  const [file, flag, count] = process.argv.slice(2);
  if (!file || (flag !== undefined && (flag !== '--up-to' || !/^\d+$/.test(count ?? '')))) {
    console.error('usage: npx tsx scripts/replay-history.ts <history.json|history.pb> [--up-to N]');
    return 2;
  }
  const bytes = readFileSync(file);
  const whole = file.endsWith('.json') ? historyFromJSON(JSON.parse(bytes.toString('utf8'))) : History.decode(bytes);
  const events = flag ? (whole.events ?? []).slice(0, Number(count)) : (whole.events ?? []);
  const history = History.create({ events });
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS }, [{ workflowId: path.basename(file), history }])) {
    console.log(result.error ? `replay of ${events.length} events failed: ${result.error.message}` : `replay of ${events.length} events: ok`);
    return result.error ? 1 : 0;
  }
  return 1;
}

main().then((code) => process.exit(code));
