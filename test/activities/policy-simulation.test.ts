/**
 * The what-if job's activity when its attempt is cancelled (the job's timeout reported back
 * through a heartbeat, the worker stopping): it ends its simulator at once, whatever the
 * simulator is doing, and fails as cancelled. A simulator left running would share the machine
 * with the one the retry starts.
 */
import { CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, describe, expect, it } from 'vitest';
import { createPolicySimulationActivities, type PolicySimulationPorts } from '../../activities/policy-simulation.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createPolicySimulations } from '../../db/policy-simulations.js';
import { createTestDatabase } from '../../db/test-database.js';
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
      attemptFailed: async () => undefined as never,
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

describe('simulatePolicy, its simulator failing', () => {
  let db: Db | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await db?.$disconnect();
    await drop?.();
  });

  it('says why on the job at once (still RUNNING: a retry may follow), and the retry keeps saying it; the last attempt ends FAILED with it', async () => {
    const t = await createTestDatabase();
    drop = t.drop;
    db = createPrisma(t.url);
    await db.merchant.create({ data: { id: 'm-1', name: 'Tea Shop', defaultCurrency: 'CNY' } });
    const jobs = createPolicySimulations(db);
    await jobs.create({ id: 'sim-stall', merchantId: 'm-1', requestedBy: 'admin', from: new Date(0), to: new Date(1), changes: {}, baseVersion: 1, candidate: { rules: policy.rules, businessHours: policy.businessHours, fulfilment: {} } });
    const stalled = 'the simulation made no progress for 300 s (a simulated case may be stuck in its workflow); its process was stopped';
    const simulator: Simulator = { run: async () => Promise.reject(new Error(stalled)), close: async () => undefined };
    const activities = createPolicySimulationActivities({ ...ports(simulator), jobs });
    const attempt = (n: number) => new MockActivityEnvironment({ attempt: n }, { logger: new DefaultLogger('ERROR') }).run(activities.simulatePolicy, { simulationId: 'sim-stall' });

    await expect(attempt(1)).rejects.toThrow(stalled);
    expect(await jobs.byId('sim-stall')).toMatchObject({ status: 'RUNNING', error: `attempt 1 failed: ${stalled}` });
    // The retry, while it runs, says the attempt before failed and why.
    let during: unknown;
    const watching: Simulator = { run: async () => ((during = (await jobs.byId('sim-stall'))?.error), Promise.reject(new Error(stalled))), close: async () => undefined };
    const retried = createPolicySimulationActivities({ ...ports(watching), jobs });
    await expect(new MockActivityEnvironment({ attempt: 2 }, { logger: new DefaultLogger('ERROR') }).run(retried.simulatePolicy, { simulationId: 'sim-stall' })).rejects.toThrow(stalled);
    expect(during).toBe(`attempt 1 failed: ${stalled}; retrying (attempt 2)`);
    expect(await jobs.byId('sim-stall')).toMatchObject({ status: 'RUNNING', error: `attempt 2 failed: ${stalled}` });
    // After the last attempt the workflow marks it failed with the reason (workflows/policy-simulation.ts).
    await activities.markPolicySimulationFailed({ simulationId: 'sim-stall', error: stalled });
    expect(await jobs.byId('sim-stall')).toMatchObject({ status: 'FAILED', error: stalled });
    // Something thrown that is no Error is still said in words, not as "{}".
    await jobs.started('sim-stall', 0);
    const odd = createPolicySimulationActivities({ ...ports({ run: () => Promise.reject({ code: 'EPIPE' }), close: async () => undefined }), jobs });
    await expect(new MockActivityEnvironment({ attempt: 1 }, { logger: new DefaultLogger('ERROR') }).run(odd.simulatePolicy, { simulationId: 'sim-stall' })).rejects.toBeDefined();
    expect((await jobs.byId('sim-stall'))?.error).toBe('attempt 1 failed: {"code":"EPIPE"}');
  });
});
