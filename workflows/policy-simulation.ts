/**
 * A policy what-if as a job (docs/policy-simulation.md): the API stores the request and starts
 * this workflow; its one activity replays the merchant's recorded cases under the current and the
 * candidate policy and stores the report. As a workflow it survives a worker restart (the activity
 * runs again from the start) and ops see it in the Temporal UI like any other job.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { PolicySimulationActivities } from '../activities/contract.js';

const { simulatePolicy } = proxyActivities<PolicySimulationActivities>({
  // A month of a busy merchant's cases, twice; the activity heartbeats while it runs.
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '2 minutes',
  retry: { maximumAttempts: 2, initialInterval: '10 seconds' },
});
const { markPolicySimulationFailed } = proxyActivities<PolicySimulationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export const policySimulationWorkflowId = (simulationId: string) => `policy-simulation-${simulationId}`;

export async function policySimulation(job: { simulationId: string }): Promise<{ cases: number; changed: number }> {
  try {
    return await simulatePolicy(job);
  } catch (err) {
    const cause = (err as { cause?: Error }).cause ?? (err as Error);
    await markPolicySimulationFailed({ simulationId: job.simulationId, error: cause.message });
    throw ApplicationFailure.nonRetryable(`policy simulation ${job.simulationId} failed: ${cause.message}`);
  }
}
