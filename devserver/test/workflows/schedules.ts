import { ApplicationFailure, condition, defineSignal, setHandler, sleep, workflowInfo } from '@temporalio/workflow';

export const releaseSignal = defineSignal('release');

/** What a scheduled or cron run saw of itself: the chain counter grows through lastResult. */
export interface ScheduledRunInfo {
  n: number;
  workflowId: string;
  cronSchedule?: string;
  continuedFrom?: string;
  lastResult?: unknown;
}

/** Completes at once with a counter one past the previous run's (`lastResult`: schedules and cron). */
export async function scheduledRun(): Promise<ScheduledRunInfo> {
  const info = workflowInfo();
  const last = info.lastResult as ScheduledRunInfo | undefined;
  return { n: (last?.n ?? 0) + 1, workflowId: info.workflowId, cronSchedule: info.cronSchedule, continuedFrom: info.continuedFromExecutionRunId, lastResult: last?.n };
}

/** Runs until released (or for `ms`), to make scheduled runs overlap. */
export async function scheduledHold(ms = 3_600_000): Promise<string> {
  let released = false;
  setHandler(releaseSignal, () => void (released = true));
  await condition(() => released, ms);
  return workflowInfo().workflowId;
}

/** A cron run that fails: the chain goes on (no retry policy) with the last completion result kept. */
export async function scheduledFail(): Promise<void> {
  await sleep(1);
  throw ApplicationFailure.create({ message: 'cron run failed', nonRetryable: true });
}
