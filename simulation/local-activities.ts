/**
 * Workflow interceptor for the simulator's worker only (bundled with the case workflows in
 * simulation/engine.ts): every activity a case workflow schedules runs as a local activity.
 *
 * Why: a simulated case's activities are in-memory (simulation/in-memory-activities.ts) and take
 * microseconds, yet as ordinary activities each one costs a trip through the dev server — three
 * history events, a task to poll, and a new workflow task to deliver its result. Run locally, the
 * worker executes it inside the workflow task that asked for it and the workflow goes on in the
 * same task. The workflow code, its decisions and the activities' results are the same; only the
 * history's shape differs, which no one replays: a simulated run is started fresh and thrown away.
 * Production workers never load this module.
 *
 * A local activity's own times are the worker's wall clock, not the dev server's virtual one, so
 * each call carries the workflow's time in a header (`SIMULATED_TIME_HEADER`), which the
 * activities take as the instant they ran at (`activityTime` in in-memory-activities.ts).
 */
import { defaultPayloadConverter, proxyLocalActivities, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { SIMULATED_TIME_HEADER } from './simulated-time.js';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input) {
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
        // Date.now() in a workflow is the workflow task's time on the server's (virtual) clock.
        return next({ ...input, headers: { ...input.headers, [SIMULATED_TIME_HEADER]: defaultPayloadConverter.toPayload(Date.now()) } });
      },
    },
  ],
});
