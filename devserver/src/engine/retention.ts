import { MinHeap } from '../heap.js';
import { isOpen, type Run } from './types.js';
import type { EngineHost } from './host.js';

export const DEFAULT_RETENTION_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Temporal's namespace retention: a closed run is kept for the namespace's retention period after
 * its close time, then removed (history, visibility, persistence).
 *
 * Deadlines are compared with the server clock (`engine.now()`), but they are deliberately not
 * clock tasks: in time-skipping mode the clock jumps to its next task whenever nothing is in flight,
 * and a removal days ahead must not make it jump. Instead removals are checked on every flush (every
 * operation, including the clock's own tasks, so a skip past a deadline removes the run at the next
 * operation) and by an unreferenced wall timer for a server that is otherwise idle.
 */
export class Retention {
  /** Min-heap of removal deadlines, by time. */
  private readonly heap = new MinHeap<{ at: number; runId: string }>((a, b) => a.at < b.at);
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;

  constructor(private readonly engine: EngineHost) {}

  retentionMs(namespace: string): number {
    const days = this.engine.namespaces.get(namespace)?.retentionDays ?? this.engine.options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    return days * DAY_MS;
  }

  /** Called when a run closes and for closed runs restored after a restart. */
  schedule(run: Run): void {
    if (isOpen(run) || run.closeTime === undefined) return;
    this.heap.push({ at: run.closeTime + this.retentionMs(run.namespace), runId: run.runId });
    this.arm();
  }

  /** Removes every run whose deadline has passed; returns how many. */
  sweep(): number {
    const now = this.engine.now();
    let removed = 0;
    while (this.heap.size && this.heap.peek()!.at <= now) {
      const { runId } = this.heap.pop()!;
      const run = this.engine.runs.get(runId);
      // The namespace's retention may have changed since the deadline was set: check it again.
      if (!run || isOpen(run) || run.closeTime === undefined) continue;
      const at = run.closeTime + this.retentionMs(run.namespace);
      if (at > now) {
        this.heap.push({ at, runId });
        continue;
      }
      this.engine.removeRun(run);
      removed++;
    }
    this.arm();
    return removed;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    const next = this.heap.peek();
    if (this.stopped || !next) return;
    const wallAt = Date.now() + Math.max(0, next.at - this.engine.now());
    if (this.timer && this.timerAt <= wallAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = wallAt;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        // flush sweeps and persists the removals
        this.engine.flush();
        this.arm();
      },
      Math.min(Math.max(0, wallAt - Date.now()), 2 ** 31 - 1),
    );
    this.timer.unref();
  }
}
