/**
 * What the simulator's workflow interceptor (simulation/local-activities.ts, bundled with the
 * workflows) and its worker (simulation/engine.ts, in-memory-activities.ts) share. A module of its
 * own because the workflow bundle must not import the worker side.
 */
import type { Sinks } from '@temporalio/workflow';

/** The header a simulated case's local activities carry their workflow's time in. */
export const SIMULATED_TIME_HEADER = 'simulated-time';

/**
 * The case activities that only write (every one returns nothing): in a simulation they reach the
 * worker as sink calls, not activities (simulation/local-activities.ts says why).
 */
export const WRITE_ONLY_ACTIVITIES: ReadonlySet<string> = new Set(['recordTransition', 'notifyCustomer', 'recordSteps', 'appendLedger', 'recordCaseEvent']);

export interface SimulationSinks extends Sinks {
  simulation: {
    /** Runs write-only activity `activityType` with `args`, as if at workflow time `at`. */
    write(activityType: string, at: number, args: unknown[]): void;
  };
}
