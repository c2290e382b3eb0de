/**
 * `cronSchedule` on StartWorkflowExecution, with the real server's semantics (common/backoff/cron.go
 * and the history service's handleCron): the first run waits for the first cron time
 * (`firstWorkflowTaskBackoff`); a run that completes, fails (after its retry policy gave up) or times
 * out is followed by a new run of the chain (initiator CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE,
 * attempt 1) that waits for the next cron time after now, counted from the closed run's execution
 * time; the new run gets the last completion result (a failed run passes on the one it received,
 * and its failure as `continuedFailure`). Cancel and terminate end the chain.
 *
 * Cron strings are robfig/cron's standard form: 5 fields, `@hourly`…, `@every 1h30m`, an optional
 * `CRON_TZ=`/`TZ=` prefix; times are UTC unless a time zone is given.
 */
import { invalidArgument } from '../errors.js';
import { msOf, type Obj } from '../proto.js';
import { nextRunOfChain } from './chain.js';
import { changeEvent } from './history.js';
import type { EngineHost } from './host.js';
import { CompiledSpec, parseCronString } from './schedule-spec.js';
import type { ExecutionStatus, Run } from './types.js';

interface CronSchedule {
  next(after: number): number | undefined;
}

const cache = new Map<string, CronSchedule | Error>();

function compile(cron: string): CronSchedule {
  let c = cache.get(cron);
  if (!c) {
    try {
      c = compileUncached(cron);
    } catch (err) {
      c = err instanceof Error ? err : new Error(String(err));
    }
    if (cache.size > 1000) cache.clear();
    cache.set(cron, c);
  }
  if (c instanceof Error) throw c;
  return c;
}

function compileUncached(cron: string): CronSchedule {
  const trimmed = cron.trim();
  const body = trimmed.replace(/^(CRON_TZ|TZ)=\S+\s+/, '');
  if (body.startsWith('@every')) {
    // robfig: a constant delay from the previous time, rounded to the second
    const parsed = parseCronString(body);
    const every = Math.max(1000, Math.floor(msOf(parsed.interval!.interval) / 1000) * 1000);
    return { next: (after) => Math.floor(after / 1000) * 1000 + every };
  }
  if (body.startsWith('@') && !['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'].includes(body)) {
    throw new Error(`unrecognized descriptor: ${body}`);
  }
  if (!body.startsWith('@') && body.split(/\s+/).length !== 5) throw new Error('expected exactly 5 fields');
  const parsed = parseCronString(trimmed);
  const spec = new CompiledSpec({ structuredCalendar: [parsed.structured], timezoneName: parsed.timezone || 'UTC' }, { domOrDow: parsed.domOrDow });
  return { next: (after) => spec.nextTime(after)?.nominal };
}

/** Refuses what robfig/cron's ParseStandard refuses, with the real server's message. */
export function validateCronSchedule(cron: string | undefined): void {
  if (!cron) return;
  try {
    compile(cron);
  } catch {
    throw invalidArgument('invalid CronSchedule.');
  }
}

/** backoff.GetBackoffForNextSchedule: ms from `now` to the first cron time at or after now, counted from `scheduled` (whole seconds, rounded up). */
export function cronBackoffMs(cron: string, scheduled: number, now: number): number | undefined {
  let schedule: CronSchedule;
  try {
    schedule = compile(cron);
  } catch {
    return undefined;
  }
  let next: number | undefined;
  if (now < scheduled) next = scheduled;
  else {
    next = schedule.next(scheduled);
    while (next !== undefined && next < now) next = schedule.next(next);
  }
  if (next === undefined) return undefined;
  return Math.ceil((next - now) / 1000) * 1000;
}

/** The cron schedule a run was started with (kept on its WorkflowExecutionStarted event). */
export function cronScheduleOf(run: Run | undefined): string | undefined {
  const started = run?.history.first()?.workflowExecutionStartedEventAttributes as Obj | undefined;
  return started?.cronSchedule || undefined;
}

/**
 * Called by Engine.closeRun before the run's close is handled, with its close event just written:
 * for a cron run that completed, failed or timed out (and is not being retried), writes the new
 * run's id into the close event and returns the function that creates that run (called once the
 * close is handled).
 */
export function cronContinuation(e: EngineHost, run: Run, status: ExecutionStatus): (() => void) | undefined {
  if (status !== 'Completed' && status !== 'Failed' && status !== 'TimedOut') return undefined;
  const cron = cronScheduleOf(run);
  if (!cron) return undefined;
  const now = e.now();
  const backoff = cronBackoffMs(cron, run.executionTime, now);
  if (backoff === undefined) return undefined;
  const closeEvent = run.history.last();
  const closeKey = closeEvent && Object.keys(closeEvent).find((k) => k.endsWith('EventAttributes'));
  if (!closeEvent || !closeKey) return undefined;
  const closeAttrs = closeEvent[closeKey] as Obj;
  const started = run.history.first()!.workflowExecutionStartedEventAttributes as Obj;
  const failure = status === 'Completed' ? undefined : (closeAttrs.failure ?? { message: 'workflow run timed out', timeoutFailureInfo: { timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE' } });
  const next = e.createRunDeferred({
    ...nextRunOfChain(run),
    runTimeoutMs: run.runTimeoutMs !== run.executionTimeoutMs ? run.runTimeoutMs : 0,
    startDelayMs: backoff,
    initiator: 'CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE',
    lastCompletionResult: status === 'Completed' ? closeAttrs.result : started.lastCompletionResult,
    continuedFailure: failure,
    attempt: 1,
    cronSchedule: cron,
  });
  // Events are kept encoded: the close event is written again with the new run's id.
  changeEvent(run, run.history.length - 1, (ev) => void ((ev[closeKey] as Obj).newExecutionRunId = next.runId));
  return () => {
    next.create();
  };
}

/** StartWorkflowExecution with `cronSchedule`: the delay of the first run (start delay, then the first cron time). */
export function firstCronDelayMs(cron: string, now: number, startDelayMs: number): number {
  const at = now + startDelayMs;
  return startDelayMs + (cronBackoffMs(cron, at, at) ?? 0);
}

/** StartWorkflowExecution / SignalWithStart: the first run's delay and the chain's cron schedule. */
export function cronStart(req: Obj, now: number): { startDelayMs: number; cronSchedule?: string } {
  const delay = msOf(req.workflowStartDelay);
  if (!req.cronSchedule) return { startDelayMs: delay };
  validateCronSchedule(req.cronSchedule);
  return { startDelayMs: firstCronDelayMs(req.cronSchedule, now, delay), cronSchedule: req.cronSchedule };
}
