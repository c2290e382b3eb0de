import { isOpen, type Run } from './types.js';

interface Waiter {
  /** History length the caller already has: it waits for more (or for the run to close). */
  length: number;
  done: () => void;
}

/**
 * Long polls of GetWorkflowExecutionHistory with `wait_new_event` (the Web UI and `temporal
 * workflow show --follow` tail a running workflow this way): each waits until the run's history
 * grows past the caller's page token, the run closes, the wait times out, or the caller cancels.
 * The engine calls `notify` for every run an operation changed, once that operation is persisted,
 * so a reader never sees an event that a crash could still take back.
 */
export class HistoryWaiters {
  private readonly byRun = new Map<string, Set<Waiter>>();

  wait(run: Run, length: number, maxWaitMs: number, onCancel?: (cb: () => void) => void): Promise<void> {
    if (run.history.length > length || !isOpen(run)) return Promise.resolve();
    return new Promise((resolve) => {
      let set = this.byRun.get(run.runId);
      if (!set) this.byRun.set(run.runId, (set = new Set()));
      const waiters = set;
      const waiter: Waiter = {
        length,
        done: () => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (waiters.size === 0 && this.byRun.get(run.runId) === waiters) this.byRun.delete(run.runId);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, maxWaitMs);
      waiters.add(waiter);
      onCancel?.(waiter.done);
    });
  }

  /** Wakes the waiters of `run` that now have something to read (or whose run closed or went away). */
  notify(run: Run, gone = false): void {
    const set = this.byRun.get(run.runId);
    if (!set) return;
    for (const w of [...set]) if (gone || !isOpen(run) || run.history.length > w.length) w.done();
  }

  /** Requests waiting now (tests check that a cancelled one is gone). */
  get pending(): number {
    let n = 0;
    for (const set of this.byRun.values()) n += set.size;
    return n;
  }

  stop(): void {
    for (const set of [...this.byRun.values()]) for (const w of [...set]) w.done();
  }
}
