/**
 * The what-if job's activity when its attempt is cancelled (the job's timeout reported back
 * through a heartbeat, the worker stopping): it ends its simulator at once, whatever the
 * simulator is doing, and fails as cancelled. A simulator left running would share the machine
 * with the one the retry starts.
 */
import { CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { createPolicySimulationActivities, type PolicySimulationPorts } from '../../activities/policy-simulation.js';
import { defaultPolicy } from '../../domain/policy.js';
import type { Simulator } from '../../simulation/index.js';

const policy = defaultPolicy(1);

/** A simulator whose run only ends when it is closed, as a long month of cases would. */
function endlessSimulator() {
  const state = { runs: 0, closed: 0, release: () => undefined as void };
  const simulator: Simulator = {
    run: () => {
      state.runs++;
      return new Promise((_, reject) => (state.release = () => reject(new Error('the simulation stopped: its process ended (exit code 0)'))));
    },
    close: async () => {
      state.closed++;
      state.release();
    },
  };
  return { state, simulator };
}

function ports(simulator: Simulator): PolicySimulationPorts {
  return {
    jobs: {
      byId: async () => ({ id: 'sim-1', merchantId: 'm-1', status: 'RUNNING', baseVersion: 1, candidate: { rules: policy.rules, businessHours: policy.businessHours, fulfilment: {} }, changes: {}, from: new Date(0), to: new Date(1) }) as never,
      started: async () => undefined as never,
      progress: async () => undefined as never,
      finished: async () => undefined as never,
      failed: async () => undefined as never,
      actualCases: async () => [],
    },
    recordedCases: async () => [],
    policyVersion: async () => ({ policy }),
    startSimulator: async () => simulator,
  };
}

describe('simulatePolicy, cancelled', () => {
  it('closes its simulator in the middle of a run and fails as cancelled', async () => {
    const { state, simulator } = endlessSimulator();
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    const activities = createPolicySimulationActivities(ports(simulator));
    const running = env.run(activities.simulatePolicy, { simulationId: 'sim-1' });
    await expect.poll(() => state.runs).toBe(1);
    expect(state.closed).toBe(0);
    env.cancel('CANCELLED');
    await expect(running).rejects.toBeInstanceOf(CancelledFailure);
    expect(state.closed).toBe(1);
  });
});
