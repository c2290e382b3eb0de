import path from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { registerCaseSearchAttributes } from '../app/search-attributes.js';
import { InProcessTimeSkippingEnvironment } from '../test/support/time-skipping-environment.js';
import { CheapCaseActivities } from './support/case-activities.js';
import { returnInput } from './support/case-input.js';
Runtime.install({ logger: new DefaultLogger('ERROR') });
const N = Number(process.env.N ?? 2000);
const env = await InProcessTimeSkippingEnvironment.start();
const client = new Client({ connection: env.connection });
await registerCaseSearchAttributes(env.connection, 'default');
const bundle = await bundleWorkflowCode({ workflowsPath: path.resolve('bench/case-workflows.ts'), logger: new DefaultLogger('ERROR') });
const acts = new CheapCaseActivities();
const worker = await Worker.create({ connection: env.nativeConnection, taskQueue: 'q', workflowBundle: bundle, activities: acts, maxCachedWorkflows: 100 });
const mem = () => { (globalThis as any).gc(); (globalThis as any).gc(); const m = process.memoryUsage(); return m; };
let seq = 0;
const open = async (n: number) => { let next = 0; await Promise.all(Array.from({ length: 100 }, async () => { while (next++ < n) { const id = `d${++seq}`; await client.workflow.start('returnAndRefund', { taskQueue: 'q', workflowId: `case-${id}`, args: [returnInput(id, await env.currentTimeMs())] }); await acts.reached(id, 'AWAITING_RETURN_SHIPMENT'); acts.forget(id); } })); await new Promise((r) => setTimeout(r, 12000)); };
await worker.runUntil(async () => {
  await open(200);
  const a = mem();
  await open(N);
  const b = mem();
  for (const k of ['heapUsed', 'heapTotal', 'external', 'arrayBuffers', 'rss'] as const) console.log(k, ((b[k] - a[k]) / N / 1024).toFixed(2), 'KiB per run');
  console.log('clock heap', (env.devServer.engine as any).clock.heap.length, 'runs', env.devServer.engine.runs.size);
  if (process.env.SNAP) { const v8 = await import('node:v8'); console.log(v8.writeHeapSnapshot('/tmp/diag.heapsnapshot')); }
});
await env.teardown();
process.exit(0);
