import path from 'node:path';
import v8 from 'node:v8';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { registerCaseSearchAttributes } from '../app/search-attributes.js';
import { InProcessTimeSkippingEnvironment } from '../test/support/time-skipping-environment.js';
import { encodedHistory } from '../devserver/src/engine/encoded-history.js';
import { CheapCaseActivities } from './support/case-activities.js';
import { returnInput } from './support/case-input.js';
Runtime.install({ logger: new DefaultLogger('ERROR') });
const env = await InProcessTimeSkippingEnvironment.start();
const client = new Client({ connection: env.connection });
await registerCaseSearchAttributes(env.connection, 'default');
const bundle = await bundleWorkflowCode({ workflowsPath: path.resolve('bench/case-workflows.ts'), logger: new DefaultLogger('ERROR') });
const acts = new CheapCaseActivities();
const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'q', workflowBundle: bundle, activities: acts, maxCachedWorkflows: 100 });
await worker.runUntil(async () => {
  for (let i = 0; i < 200; i++) { const id = `d${i}`; await client.workflow.start('returnAndRefund', { taskQueue: 'q', workflowId: `case-${id}`, args: [returnInput(id, await env.currentTimeMs())] }); await acts.reached(id, 'AWAITING_RETURN_SHIPMENT'); }
  await new Promise((r) => setTimeout(r, 2000));
});
const runs = [...env.devServer.engine.runs.values()];
const fields: Record<string, number> = {};
let enc = 0;
for (const r of runs) {
  for (const [k, v] of Object.entries(r)) fields[k] = (fields[k] ?? 0) + (JSON.stringify(v) ?? '').length;
  enc += encodedHistory(r).length;
}
console.log('runs', runs.length, 'history events', runs[0]!.history.length, 'historyBytes', runs[0]!.historyBytes);
for (const [k, v] of Object.entries(fields).sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(k, (v / runs.length).toFixed(0), 'JSON chars per run');
console.log('encoded history bytes per run', (enc / runs.length).toFixed(0));
const e = env.devServer.engine as any;
console.log('sticky', e.sticky.byRun.size, 'clock heap', e.clock.heap.length);
console.log('matching keys', Object.keys(e.workflowTasks));
const ev = runs[0]!.history.map((h: any) => [h.eventType, JSON.stringify(h).length]);
console.log(ev);
console.log(JSON.stringify(runs[0]!.history[0]).slice(0, 3000));
await env.teardown();
process.exit(0);
