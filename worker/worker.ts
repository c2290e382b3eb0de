/**
 * The worker: case workflows plus their activities, built once from the database and the
 * adapters (simulators unless configured otherwise).
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createCaseActivities, type CaseActivityDeps } from '../activities/case-activities.js';
import { CASE_TASK_QUEUE } from '../workflows/contract.js';

export async function createCaseWorker(options: { address: string; namespace: string; deps: CaseActivityDeps; taskQueue?: string }) {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? CASE_TASK_QUEUE,
    workflowsPath: fileURLToPath(new URL('../workflows/index.ts', import.meta.url)),
    activities: createCaseActivities(options.deps),
  });
  return { worker, connection };
}
