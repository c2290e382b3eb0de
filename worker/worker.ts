/**
 * The worker: case workflows plus their activities, built once from the database and the
 * adapters (simulators unless configured otherwise), the notification outbox sender that
 * delivers the messages the cases queue, and the refund follower that asks the payment provider
 * about pending refunds. `run()` runs them all and stops them all.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createCaseActivities, type CaseActivityDeps } from '../activities/case-activities.js';
import { createHousekeepingActivities, type HousekeepingPort } from '../activities/housekeeping.js';
import { createPolicySimulationActivities, type PolicySimulationPorts } from '../activities/policy-simulation.js';
import { createNotificationOutbox } from '../activities/notification-outbox.js';
import { createRefundFollower, type RefundSettlementPort, type RefundStatusPort, type TellCase } from '../activities/refund-follower.js';
import { DEFAULT_STUCK_LIMITS } from '../activities/stuck-watch.js';
import { CASE_TASK_QUEUE } from '../workflows/contract.js';
import { CASE_WORKER_TUNING } from './tuning.js';
import { caseWorkflowBundle } from './workflow-bundle.js';

export async function createCaseWorker(options: {
  address: string;
  namespace: string;
  deps: Omit<CaseActivityDeps, 'outbox'>;
  /** The daily housekeeping's deletes (db/housekeeping.ts); without it the housekeeping workflow's activity is missing. */
  housekeeping?: HousekeepingPort;
  /** The policy what-if job's ports (worker/policy-simulation.ts); without them the job's activities are missing. */
  policySimulations?: PolicySimulationPorts;
  taskQueue?: string;
  /** Stack traces in the workflow sandbox (WORKFLOW_STACK_TRACES): off unless true, worker/workflow-bundle.ts. */
  stackTraces?: boolean;
  onOutboxError?: (err: unknown) => void;
  /**
   * Pending refunds followed until the bank answers (db/refund-settlement.ts, the payment adapter);
   * not followed without it. `tellCase` tells a case's workflow of a refund sent back (worker/tell-case.ts).
   */
  refunds?: { store: RefundSettlementPort; payment: RefundStatusPort; tellCase?: TellCase; onError?: (err: unknown) => void };
}) {
  const { deps } = options;
  const outbox = createNotificationOutbox({ store: deps.store, notifier: deps.notifier, stuckLimits: deps.stuckLimits ?? DEFAULT_STUCK_LIMITS, onError: options.onOutboxError });
  const refundFollower = options.refunds ? createRefundFollower({ ...options.refunds, onReturned: () => outbox.kick() }) : undefined;
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? CASE_TASK_QUEUE,
    workflowBundle: await caseWorkflowBundle({ stackTraces: options.stackTraces }),
    activities: {
      ...createCaseActivities({ ...deps, outbox }),
      ...(options.housekeeping ? createHousekeepingActivities({ housekeeping: options.housekeeping }) : {}),
      ...(options.policySimulations ? createPolicySimulationActivities(options.policySimulations) : {}),
    },
    ...CASE_WORKER_TUNING,
  });
  const run = async () => {
    outbox.start();
    refundFollower?.start();
    try {
      await worker.run();
    } finally {
      await Promise.all([outbox.stop(), refundFollower?.stop()]);
    }
  };
  return { worker, connection, outbox, refundFollower, run };
}
