// Queries to a workflow that is running and then closes, from several clients at once (not a test;
// prints figures):
//
//   npx tsx bench/queries.ts                      (BENCH_ROUNDS=5, BENCH_CLIENTS=12)
//
// One dev server in this process, one worker, the `queriedSteps` workflow of bench/bench-workflows.ts
// (ten short timers, a local activity after each: about 2 s). Rounds alternate: the workflow alone
// (the baseline), and the workflow with BENCH_CLIENTS clients each querying it in a loop until it
// has closed and their last query is answered. Figures: the round's time (start to the last answer)
// against the baseline's, and the slowest query of each round (median and worst over the rounds).
// Before the dev server kept one query task out per run (2026-12-04), queries asked as the workflow
// closed were dropped by the SDK's core and answered only by the re-offer, 5–10 s later, repeatedly.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startDevServer } from '../devserver/src/index.js';
import { median, report } from './support/results.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 12);
if (![ROUNDS, CLIENTS].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('BENCH_ROUNDS and BENCH_CLIENTS: positive integers');
  process.exit(2);
}
const TASK_QUEUE = 'bench-queries';
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

Runtime.install({ logger: new DefaultLogger('ERROR') });
const server = await startDevServer({ port: 0, logLevel: 'error' });
const connection = await NativeConnection.connect({ address: server.address });
const worker = await Worker.create({
  connection,
  taskQueue: TASK_QUEUE,
  workflowBundle: await bundleWorkflowCode({ workflowsPath: path.join(HERE, 'bench-workflows.ts'), logger: new DefaultLogger('ERROR') }),
  activities: { touch: async (n: number) => n },
});
const client = new Client({ connection: await Connection.connect({ address: server.address }) });

/** One round: the workflow's time to its last answer, the slowest query and how many were answered. */
async function round(clients: number, n: number): Promise<{ ms: number; slowestMs: number; answered: number }> {
  const started = Date.now();
  const handle = await client.workflow.start('queriedSteps', { taskQueue: TASK_QUEUE, workflowId: `bench-queries-${clients}-${n}-${started}` });
  let closed = false;
  let slowestMs = 0;
  let answered = 0;
  const askers = Array.from({ length: clients }, async () => {
    while (!closed) {
      const asked = Date.now();
      await handle.query('stepsWritten');
      slowestMs = Math.max(slowestMs, Date.now() - asked);
      answered += 1;
    }
  });
  await handle.result();
  closed = true;
  await Promise.all(askers);
  return { ms: Date.now() - started, slowestMs, answered };
}

const alone: number[] = [];
const queried: { ms: number; slowestMs: number; answered: number }[] = [];
await worker.runUntil(async () => {
  await round(0, -1); // warm-up: the bundle's first activations
  for (let n = 0; n < ROUNDS; n++) {
    alone.push((await round(0, n)).ms);
    queried.push(await round(CLIENTS, n));
    console.log(`round ${n + 1}: alone ${fmt(alone.at(-1)!)}; with ${CLIENTS} clients querying ${fmt(queried.at(-1)!.ms)}, slowest query ${fmt(queried.at(-1)!.slowestMs)}, ${queried.at(-1)!.answered} answered`);
  }
});
await server.stop();

const baseline = median(alone);
const withQueries = median(queried.map((r) => r.ms));
const slowest = queried.map((r) => r.slowestMs);
report(
  [
    { figure: 'baseline: the workflow alone (10 timers, a local activity each), median', measured: fmt(baseline), ratio: '1' },
    { figure: `the same workflow with ${CLIENTS} clients querying it until it closed, median`, measured: fmt(withQueries), ratio: (withQueries / baseline).toFixed(2) },
    { figure: 'slowest query of a round: median / worst', measured: `${fmt(median(slowest))} / ${fmt(Math.max(...slowest))}` },
    { figure: 'queries answered per second, median', measured: String(Math.round(median(queried.map((r) => (r.answered * 1000) / r.ms)))) },
  ],
  `Queries to a running and closing workflow (${ROUNDS} rounds, ${CLIENTS} clients)`,
);
process.exit(0);
