/**
 * One virtual clock drives every timer, timeout, backoff and event time of the server.
 *
 * Normal mode: virtual time = wall time. Time-skipping mode (Temporal's test server semantics):
 * while nothing holds a lock, the clock jumps straight to the next due task. Locks are held by the
 * client (`LockTimeSkipping`, and initially once, as the Java test server does) and by every
 * outstanding unit of work (workflow task, activity, query, update) so that time only jumps when
 * nothing is in flight.
 */
interface Task {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export interface TimerHandle {
  cancel(): void;
}

export class VirtualClock {
  private offset = 0;
  private heap: Task[] = [];
  private seq = 0;
  private wallTimer: NodeJS.Timeout | undefined;
  private wallTimerAt = Infinity;
  private skipScheduled = false;
  private stopped = false;
  private userLocks: number;
  private workLocks = 0;

  constructor(
    readonly timeSkipping: boolean,
    offsetMs = 0,
  ) {
    this.offset = offsetMs;
    // The standalone test server starts locked: time runs normally until a client unlocks it.
    this.userLocks = timeSkipping ? 1 : 0;
  }

  now(): number {
    return Date.now() + this.offset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Runs `fn` once the virtual clock reaches `at` (immediately-due tasks run on the next tick). */
  schedule(at: number, fn: () => void): TimerHandle {
    const task: Task = { at, seq: this.seq++, fn, cancelled: false };
    this.push(task);
    this.reschedule();
    return {
      cancel: () => {
        task.cancelled = true;
      },
    };
  }

  lockWork(): void {
    this.workLocks++;
  }

  unlockWork(): void {
    if (this.workLocks > 0) this.workLocks--;
    this.reschedule();
  }

  lockUser(): void {
    this.userLocks++;
  }

  /**
   * May go below zero: N concurrent `result()` calls unlock N times and lock N times when they
   * return, which must bring the count back to where it was (clamping at zero would leave the
   * clock locked after the first one returns).
   */
  unlockUser(): void {
    this.userLocks--;
    this.reschedule();
  }

  /** Advances virtual time by `ms` without waiting (used by `Sleep` when skipping is possible). */
  get canSkip(): boolean {
    return this.timeSkipping && this.userLocks <= 0 && this.workLocks === 0;
  }

  get pendingTasks(): number {
    return this.heap.length;
  }

  stop(): void {
    this.stopped = true;
    if (this.wallTimer) clearTimeout(this.wallTimer);
    this.heap = [];
  }

  private reschedule(): void {
    if (this.stopped) return;
    this.dropCancelledHead();
    const next = this.heap[0];
    if (!next) return;
    if (this.canSkip) {
      if (!this.skipScheduled) {
        this.skipScheduled = true;
        // setImmediate lets in-flight I/O (a poll that is about to take a task) take locks first.
        setImmediate(() => {
          this.skipScheduled = false;
          this.skipAhead();
        });
      }
      return;
    }
    const delay = Math.max(0, next.at - this.now());
    const wallAt = Date.now() + delay;
    if (this.wallTimer && this.wallTimerAt <= wallAt) return;
    if (this.wallTimer) clearTimeout(this.wallTimer);
    this.wallTimerAt = wallAt;
    this.wallTimer = setTimeout(
      () => {
        this.wallTimer = undefined;
        this.wallTimerAt = Infinity;
        this.runDue();
      },
      Math.min(delay, 2 ** 31 - 1),
    );
  }

  private skipAhead(): void {
    if (this.stopped || !this.canSkip) return this.reschedule();
    this.dropCancelledHead();
    const next = this.heap[0];
    if (!next) return;
    const now = this.now();
    if (next.at > now) this.offset += next.at - now;
    this.runDue();
  }

  private runDue(): void {
    if (this.stopped) return;
    const now = this.now();
    // Run every task that is due; each may schedule more work (and take locks).
    for (;;) {
      this.dropCancelledHead();
      const top = this.heap[0];
      if (!top || top.at > now) break;
      this.pop();
      try {
        top.fn();
      } catch (err) {
        console.error('[devserver] timer task failed', err);
      }
    }
    this.reschedule();
  }

  private dropCancelledHead(): void {
    while (this.heap.length && this.heap[0]!.cancelled) this.pop();
  }

  // --- binary heap ordered by (at, seq) ---
  private less(a: Task, b: Task): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(task: Task): void {
    const h = this.heap;
    h.push(task);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Task | undefined {
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
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
