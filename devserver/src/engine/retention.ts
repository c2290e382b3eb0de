import { isOpen, type Run } from './types.js';
import type { Engine } from './engine.js';

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
  private heap: Array<{ at: number; runId: string }> = [];
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private stopped = false;

  constructor(private readonly engine: Engine) {}

  retentionMs(namespace: string): number {
    const days = this.engine.namespaces.get(namespace)?.retentionDays ?? this.engine.options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    return days * DAY_MS;
  }

  /** Called when a run closes and for closed runs restored after a restart. */
  schedule(run: Run): void {
    if (isOpen(run) || run.closeTime === undefined) return;
    this.push({ at: run.closeTime + this.retentionMs(run.namespace), runId: run.runId });
    this.arm();
  }

  /** Removes every run whose deadline has passed; returns how many. */
  sweep(): number {
    const now = this.engine.now();
    let removed = 0;
    while (this.heap.length && this.heap[0]!.at <= now) {
      const { runId } = this.pop()!;
      const run = this.engine.runs.get(runId);
      // The namespace's retention may have changed since the deadline was set: check it again.
      if (!run || isOpen(run) || run.closeTime === undefined) continue;
      const at = run.closeTime + this.retentionMs(run.namespace);
      if (at > now) {
        this.push({ at, runId });
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
    const next = this.heap[0];
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

  private push(item: { at: number; runId: string }): void {
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= h[i]!.at) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): { at: number; runId: string } | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l]!.at < h[m]!.at) m = l;
        if (r < h.length && h[r]!.at < h[m]!.at) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
