/**
 * One virtual clock drives every timer, timeout, backoff and event time of the server.
 *
 * Normal mode: virtual time = wall time. Time-skipping mode (Temporal's Java test server,
 * `SelfAdvancingTimerImpl`): while nothing holds a lock, the clock jumps straight to the next due
 * task; while anything does, it runs at wall speed. As there, the locks are one count:
 * - the client's (`LockTimeSkipping`; one taken at start, as the test server's constructor does;
 *   `UnlockTimeSkipping` gives one back — the SDK's `result()` does both around its long poll);
 * - one per unit of work in flight (a scheduled or started workflow task, an activity from its
 *   schedule to its completion except while it waits out a retry backoff, a query, an update no
 *   worker has accepted yet; see Engine.syncLocks);
 * - `UnlockTimeSkippingWithSleep` (the SDK's `env.sleep`) gives one back until its time comes and
 *   takes it again then — whoever calls it: an activity calling `env.sleep` releases the lock its
 *   own execution holds, so time skips around it (the example of `TestWorkflowEnvironment.sleep`).
 * One difference: the Java server refuses an unlock that finds the count at zero ("Unbalanced lock
 * and unlock calls"); here client unlocks below zero are remembered, so that N concurrent
 * `result()` calls, which unlock N times and lock N times, leave the count where it was, but they
 * never cancel the lock of work in flight.
 *
 * `frozen` (an option of this server, not of Temporal's): while anything holds a lock, time stands
 * still instead of running at wall speed, so only a skip moves it. A workflow then sees exactly
 * the instants it is driven to, however long its tasks take on a loaded machine: replays that must
 * come out the same every time (the platform's policy what-if) use it.
 */
import { MinHeap } from './heap.js';

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
  /** Ordered by (at, seq): due time, then scheduling order. */
  private readonly heap = new MinHeap<Task>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  private seq = 0;
  private wallTimer: NodeJS.Timeout | undefined;
  private wallTimerAt = Infinity;
  private skipScheduled = false;
  private stopped = false;
  private userLocks: number;
  private workLocks = 0;
  /** `UnlockTimeSkippingWithSleep` calls still sleeping: each counts as one unlock. */
  private sleepUnlocks = 0;

  /** With `frozen`: the wall time virtual time started from; it never moves but by skips. */
  private readonly frozenBase: number | undefined;

  constructor(
    readonly timeSkipping: boolean,
    offsetMs = 0,
    frozen = false,
  ) {
    this.offset = offsetMs;
    this.frozenBase = frozen && timeSkipping ? Date.now() : undefined;
    // The standalone test server starts locked: time runs normally until a client unlocks it.
    this.userLocks = timeSkipping ? 1 : 0;
  }

  now(): number {
    return (this.frozenBase ?? Date.now()) + this.offset;
  }

  get offsetMs(): number {
    return this.offset;
  }

  /** Runs `fn` once the virtual clock reaches `at` (immediately-due tasks run on the next tick). */
  schedule(at: number, fn: () => void): TimerHandle {
    const task: Task = { at, seq: this.seq++, fn, cancelled: false };
    this.heap.push(task);
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

  /**
   * `UnlockTimeSkippingWithSleep`: one unlock until virtual time reaches `at`, then `done` runs
   * with the lock taken again — at that instant, before any later task, as the Java test server
   * does in the sleep's timer task.
   */
  unlockUntil(at: number, done: () => void): void {
    this.sleepUnlocks++;
    this.schedule(at, () => {
      this.sleepUnlocks--;
      done();
    });
  }

  /**
   * The lock count the Java test server keeps (see the top of this file): time skips at zero.
   * Client unlocks below zero do not count against work in flight.
   */
  get lockCount(): number {
    return Math.max(this.userLocks, 0) + this.workLocks - this.sleepUnlocks;
  }

  get canSkip(): boolean {
    return this.timeSkipping && this.lockCount <= 0;
  }

  get pendingTasks(): number {
    return this.heap.size;
  }

  stop(): void {
    this.stopped = true;
    if (this.wallTimer) clearTimeout(this.wallTimer);
    this.heap.clear();
  }

  private reschedule(): void {
    if (this.stopped) return;
    this.dropCancelledHead();
    const next = this.heap.peek();
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
    // Frozen: while locked, only what is due now runs; the rest waits for a skip.
    if (this.frozenBase !== undefined && delay > 0) return;
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
    const next = this.heap.peek();
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
      const top = this.heap.peek();
      if (!top || top.at > now) break;
      this.heap.pop();
      try {
        top.fn();
      } catch (err) {
        console.error('[devserver] timer task failed', err);
      }
    }
    this.reschedule();
  }

  private dropCancelledHead(): void {
    while (this.heap.size && this.heap.peek()!.cancelled) this.heap.pop();
  }
}
