/**
 * Workflow interceptor for the simulator's worker only (bundled with the case workflows in
 * simulation/engine.ts). Production workers never load this module.
 *
 * Why: a simulated case's activities are in-memory (simulation/in-memory-activities.ts) and take
 * microseconds, yet as ordinary activities each one costs a trip through the dev server — three
 * history events, a task to poll, and a new workflow task to deliver its result. So:
 *
 * - Every activity runs as a local activity: inside the workflow task that asked for it, no server
 *   round trip (a refund, a provider's answer, what other cases refunded on the order).
 * - A local activity that only writes (`WRITE_ONLY_ACTIVITIES`: steps, messages, ledger documents,
 *   case events; each returns nothing) — whether the workflow asked for it as one, as cases do for
 *   their steps, or it was an activity turned local above — becomes a sink call: the workflow goes
 *   on at once, and the worker runs the in-memory write when the activation ends, before the
 *   workflow task completes (the SDK processes sink calls before it hands the completion back). No
 *   activity, no marker in history, no activation to deliver its result.
 *
 * The workflow code, its decisions and the activities' results are the same; only the history's
 * shape differs, which no one replays: a simulated run is started fresh and thrown away (and a
 * replay after a cache eviction sees the same shape, since the interceptor runs then too; sinks
 * are not called again while replaying).
 *
 * Neither a sink call nor a local activity runs on the dev server's virtual clock, so each carries
 * the workflow's time (`Date.now()` in a workflow is the workflow task's time on that clock), which
 * the activities take as the instant they ran at (`activityTime` in in-memory-activities.ts).
 */
import { defaultPayloadConverter, proxyLocalActivities, proxySinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { SIMULATED_TIME_HEADER, WRITE_ONLY_ACTIVITIES, type SimulationSinks } from './simulated-time.js';

const { simulation } = proxySinks<SimulationSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input) {
        // Through the SDK's local activity path, so it passes scheduleLocalActivity below.
        const { startToCloseTimeout, scheduleToCloseTimeout, retry, cancellationType } = input.options;
        const local = proxyLocalActivities({
          ...(startToCloseTimeout !== undefined ? { startToCloseTimeout } : {}),
          ...(scheduleToCloseTimeout !== undefined ? { scheduleToCloseTimeout } : {}),
          ...(retry !== undefined ? { retry } : {}),
          ...(cancellationType !== undefined ? { cancellationType } : {}),
        }) as Record<string, (...args: unknown[]) => Promise<unknown>>;
        return local[input.activityType]!(...input.args);
      },
      scheduleLocalActivity(input, next) {
        if (WRITE_ONLY_ACTIVITIES.has(input.activityType)) {
          simulation.write(input.activityType, Date.now(), input.args);
          return Promise.resolve(undefined);
        }
        return next({ ...input, headers: { ...input.headers, [SIMULATED_TIME_HEADER]: defaultPayloadConverter.toPayload(Date.now()) } });
      },
    },
  ],
});
