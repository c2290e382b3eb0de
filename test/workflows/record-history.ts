/**
 * Records one return-and-refund history for the replay test, the way the SAVE_HISTORIES=1 run of
 * return-refund.test.ts does (the project's time-skipping dev server — here in process —,
 * recording activities, the history fetched and saved as binary protobuf), for a case the regular
 * test run does not leave behind: an agent approves every requested line, listed in another order
 * than the request.
 *
 *   npx tsx test/workflows/record-history.ts return-refund-v3-reordered-approval
 *
 * writes test/workflows/histories/<name>-<OUTCOME>.pb with whatever the workflow code in the
 * working tree does: run it before a change to keep the old behaviour's history, after it for the new.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: under plain Node (tsx) only the default export is there
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { registerCaseSearchAttributes } from '../../app/search-attributes.js';
import { defaultPolicy } from '../../domain/index.js';
import { caseView, propose } from '../../workflows/contract.js';
import type { ReturnRefundInput } from '../../workflows/return-refund.js';
import { createTimeSkippingEnvironment } from '../support/time-skipping-environment.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { waitUntil } from '../support/wait.js';
import { RecordingActivities } from './recording-activities.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DAY = 86_400_000;
const { temporal } = proto;

const name = process.argv[2];
if (!name || !/^[\w-]+$/.test(name)) throw new Error('usage: npx tsx test/workflows/record-history.ts <history-name-prefix>');

const env = await createTimeSkippingEnvironment();
try {
  await registerCaseSearchAttributes(env.connection, 'default');
  const client = new Client({ connection: env.connection }); // time moves only on env.sleep
  const now = await env.currentTimeMs();
  const p = defaultPolicy();
  const caseId = `rec-${Math.random().toString(36).slice(2, 8)}`;
  const input: ReturnRefundInput = {
    caseId,
    merchantId: 'm1',
    policy: { ...p, version: 3 },
    // Delivered 30 days ago: outside the no-reason window, so an agent decides.
    order: mugAndTeaOrder(`o-${caseId}`, now, 30),
    request: {
      lines: [
        { sku: 'MUG', quantity: 2, reason: 'NO_REASON' },
        { sku: 'TEA', quantity: 1, reason: 'NO_REASON' },
      ],
      evidenceUrls: [],
    },
    customer: { id: 'cust-1', locale: 'zh-CN' },
    openedAt: now,
    returnAddress: { name: '售后部', phone: '+86 571 0000 0000', address: '杭州市余杭区 1 号仓' },
  };
  const taskQueue = `q-${caseId}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: path.resolve(HERE, '../../workflows/index.ts') }),
    activities: new RecordingActivities(),
  });
  const running = worker.run();
  try {
    const handle = await client.workflow.start('returnAndRefund', { taskQueue, workflowId: `case-${caseId}`, args: [input] });
    await waitUntil('the case to wait for a decision', async () => (await handle.query(caseView)).stage === 'AWAITING_DECISION');
    // Every requested line, in reverse order.
    await handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'APPROVE', lines: [{ sku: 'TEA', quantity: 1 }, { sku: 'MUG', quantity: 2 }] }] });
    // Nobody answers and nobody ships: past the consent deadline (declined by default) and the shipping deadline.
    await env.sleep(20 * DAY);
    const outcome = String(await handle.result());
    const file = path.join(HERE, 'histories', `${name}-${outcome}.pb`);
    writeFileSync(file, temporal.api.history.v1.History.encode(await handle.fetchHistory()).finish());
    console.log(`${path.relative(process.cwd(), file)}: ${(await handle.query(caseView)).stage}`);
  } finally {
    worker.shutdown();
    await running;
  }
} finally {
  await env.teardown();
}
