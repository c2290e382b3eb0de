import type { Dispatch } from '../matching.js';
import { msOf, type Obj } from '../proto.js';
import type { EngineHost } from './host.js';
import { isOpen, type Run, type WorkflowTask } from './types.js';

/**
 * Sticky task queues, as the Temporal server runs them. A worker keeps the runs it executed in a
 * cache; completing a workflow task with `stickyAttributes` names a queue of that worker alone.
 * The run's later workflow tasks are offered there, and a task taken from it carries only the
 * events after the last completed task's started event (`previousStartedEventId`), which the
 * worker's cached copy lacks. A worker that lost the run (evicted, restarted) fetches the rest with
 * GetWorkflowExecutionHistory, or fails the task with RESET_STICKY_TASK_QUEUE.
 *
 * Stickiness ends (later tasks go to the normal queue with the full history) when a completion
 * comes without sticky attributes, when a workflow task fails or times out, when nobody takes the
 * task from the sticky queue within its schedule-to-start timeout, when that queue has had no
 * poller for a while, on ShutdownWorker naming the queue, and on ResetStickyTaskQueue. It lives in
 * memory only: after a restart every run starts over on its normal queue.
 */
export interface Stickiness {
  namespace: string;
  queue: string;
  scheduleToStartMs: number;
}

/** The real server's window: a sticky queue nobody polled for this long is treated as gone. */
const POLLER_UNAVAILABLE_MS = 10_000;
const DEFAULT_SCHEDULE_TO_START_MS = 10_000;

export class StickyQueues {
  private readonly byRun = new Map<string, Stickiness>();
  /** Workflow tasks dispatched with a partial history (sticky) and with the full one, and the events they carried. */
  readonly stats = { stickyTasks: 0, fullTasks: 0, eventsSent: 0 };

  constructor(private readonly engine: EngineHost) {}

  noteDispatch(partial: boolean, events: number): void {
    if (partial) this.stats.stickyTasks++;
    else this.stats.fullTasks++;
    this.stats.eventsSent += events;
  }

  get(run: Run): Stickiness | undefined {
    return this.byRun.get(run.runId);
  }

  /** A completion sets stickiness with its sticky attributes and clears it without them. */
  onCompleted(run: Run, attrs: Obj | undefined): void {
    const queue: string | undefined = attrs?.workerTaskQueue?.name;
    if (!queue || queue === run.taskQueue) {
      this.byRun.delete(run.runId);
      return;
    }
    const ms = msOf(attrs?.scheduleToStartTimeout);
    this.byRun.set(run.runId, { namespace: run.namespace, queue, scheduleToStartMs: ms > 0 ? ms : DEFAULT_SCHEDULE_TO_START_MS });
  }

  clear(run: Run): void {
    this.byRun.delete(run.runId);
  }

  /**
   * Offers the run's scheduled workflow task: on its sticky queue while the sticky worker is
   * there, moving it to the normal queue if nobody takes it within the schedule-to-start timeout.
   * `offerOn(undefined)` offers on the normal queue and returns the queued thunk.
   */
  offer(run: Run, wft: WorkflowTask, offerOn: (stickyQueue?: string) => Dispatch<Obj>): void {
    const s = this.byRun.get(run.runId);
    const key = s && this.engine.queueKey(s.namespace, s.queue);
    if (!s || !key || !this.engine.workflowTasks.hasPollerSince(key, Date.now() - POLLER_UNAVAILABLE_MS)) {
      this.byRun.delete(run.runId);
      offerOn(undefined);
      return;
    }
    const task = offerOn(s.queue);
    if (wft.startedEventId !== undefined) return; // a sticky poller was waiting and took it
    this.engine.at(this.engine.now() + s.scheduleToStartMs, () => {
      if (run.wft !== wft || wft.startedEventId !== undefined || !isOpen(run)) return;
      this.engine.log('debug', `sticky workflow task of ${run.workflowId}/${run.runId} not taken from ${s.queue} in time: moved to ${run.taskQueue}`);
      this.engine.workflowTasks.withdraw(key, task);
      if (this.byRun.get(run.runId) === s) this.byRun.delete(run.runId);
      offerOn(undefined);
    });
  }

  /** ResetStickyTaskQueue, or a worker that stops: the run's waiting task moves to the normal queue. */
  reset(run: Run): void {
    const s = this.byRun.get(run.runId);
    if (!s) return;
    this.byRun.delete(run.runId);
    if (run.wft && run.wft.startedEventId === undefined && !(run.wft.notBefore && run.wft.notBefore > this.engine.now()) && isOpen(run)) {
      // The thunk left on the sticky queue is harmless: whichever queue serves the task first wins,
      // and a sticky dispatch after the reset carries the full history.
      this.engine.offerWorkflowTask(run);
    }
  }

  /** ShutdownWorker with the worker's sticky queue: every run sticky to it goes back to its normal queue. */
  workerGone(namespace: string, queue: string): void {
    this.engine.workflowTasks.drop(this.engine.queueKey(namespace, queue));
    for (const [runId, s] of [...this.byRun]) {
      if (s.namespace !== namespace || s.queue !== queue) continue;
      const run = this.engine.runs.get(runId);
      if (run) this.reset(run);
      else this.byRun.delete(runId);
    }
  }
}
