/**
 * Task queues and long-poll matching. A task is offered to the oldest waiting poller; a poll with no
 * task waits until one arrives or the long-poll expires (then the caller answers an empty response,
 * which the SDK treats as "no work" and polls again).
 *
 * Tasks are thunks that build the poll response at dispatch time and may decline (return undefined)
 * when they became stale (workflow closed, activity cancelled…), so queues never need scrubbing.
 *
 * Fair dispatch: a queue keeps two classes of tasks, each FIFO. `resumed` tasks belong to runs that
 * already ran a workflow task (woken by a timer, a signal, an activity result, a query…); `first`
 * tasks start new runs. A burst of new workflows would otherwise queue thousands of first tasks in
 * front of a timer that falls due, and the timer's workflow would wake minutes late. Resumed tasks go
 * first, but after `RESUMED_BURST` of them in a row a waiting first task is served, so new runs still
 * progress while many timers fall due.
 */
export type Dispatch<R> = (pollerIdentity: string) => R | undefined;

/** A poller as DescribeTaskQueue reports it. */
export interface PollerSeen {
  identity: string;
  /** Wall clock, ms. */
  lastAccessTime: number;
  ratePerSecond: number;
}

/**
 * The real server's matching keeps the pollers of each task queue in a cache with a 5-minute TTL
 * (`matching.PollerHistoryTTL`), refreshed when a poll starts and when it ends (not when the client
 * cancelled it); each sticky queue is a queue of its own there too.
 */
export const POLLER_HISTORY_TTL_MS = 5 * 60_000;
/** What a poller reports when it sets no `maxTasksPerSecond` (the real server's `defaultTaskDispatchRPS`). */
export const DEFAULT_POLLER_RPS = 100_000;

export type TaskClass = 'first' | 'resumed';

/** Resumed tasks served in a row before a waiting first task gets its turn. */
const RESUMED_BURST = 4;

interface Waiter<R> {
  identity: string;
  resolve: (r: R | undefined) => void;
  timer: NodeJS.Timeout;
}

/** FIFO with O(1) removal at the head (Array#shift copies large arrays). */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  remove(item: T): void {
    const i = this.items.indexOf(item, this.head);
    if (i >= 0) this.items.splice(i, 1);
  }
}

class Queue<R> {
  first = new Fifo<Dispatch<R>>();
  resumed = new Fifo<Dispatch<R>>();
  /** Resumed tasks served since the last first task. */
  streak = 0;
  waiters: Waiter<R>[] = [];
  /** Wall-clock time a poller was last seen on this queue (waiting or just answered). */
  lastPollAt = 0;
  /** Identity → when it last polled here and the rate it asked for (DescribeTaskQueue). */
  pollers = new Map<string, PollerSeen>();

  get length(): number {
    return this.first.length + this.resumed.length;
  }

  next(): Dispatch<R> | undefined {
    const takeFirst = this.first.length > 0 && (this.resumed.length === 0 || this.streak >= RESUMED_BURST);
    if (takeFirst) {
      this.streak = 0;
      return this.first.shift();
    }
    if (this.resumed.length) this.streak++;
    return this.resumed.shift();
  }
}

/** An offer held back by `Matching.hold`. */
export interface HeldOffer<R> {
  key: string;
  task: Dispatch<R>;
  cls: TaskClass;
}

export class Matching<R> {
  private queues = new Map<string, Queue<R>>();
  /** Set while `hold` runs: offers land here instead of reaching a poller or a queue. */
  private holding?: HeldOffer<R>[];

  constructor(private readonly longPollMs: number) {}

  /**
   * Runs `fn` (synchronously) with the offers it makes held back: no poller gets them and nothing is
   * queued. The caller hands them over itself (eager workflow start: the first task goes to the
   * starting worker in the start response) or gives them back with `release` once it has finished
   * setting the run up (update-with-start: the update is admitted before any worker sees the task).
   */
  hold<T>(fn: () => T): { value: T; held: HeldOffer<R>[] } {
    const outer = this.holding;
    const held: HeldOffer<R>[] = [];
    this.holding = held;
    let done = false;
    try {
      const value = fn();
      done = true;
      return { value, held };
    } finally {
      this.holding = outer;
      if (!done) this.release(held);
    }
  }

  /** Offers what `hold` held back, in order. */
  release(held: HeldOffer<R>[]): void {
    for (const h of held.splice(0)) this.offer(h.key, h.task, h.cls);
  }

  private queue(key: string): Queue<R> {
    let q = this.queues.get(key);
    if (!q) {
      q = new Queue<R>();
      this.queues.set(key, q);
    }
    return q;
  }

  offer(key: string, task: Dispatch<R>, cls: TaskClass = 'resumed'): void {
    if (this.holding) {
      this.holding.push({ key, task, cls });
      return;
    }
    const q = this.queue(key);
    const w = q.waiters[0];
    if (!w) {
      q[cls].push(task);
      return;
    }
    const response = task(w.identity);
    if (response === undefined) return; // a stale task is dropped; the poller keeps waiting
    q.waiters.shift();
    clearTimeout(w.timer);
    q.lastPollAt = Date.now();
    w.resolve(response);
  }

  /** Takes a task out of its queue before any poller gets it (it moved to another queue). */
  withdraw(key: string, task: Dispatch<R>): void {
    const q = this.queues.get(key);
    q?.first.remove(task);
    q?.resumed.remove(task);
  }

  /**
   * Long-polls `key`. `onCancel` registers a callback for client cancellation; a cancelled poll
   * never receives a task, so no task is handed to a dead poller.
   */
  poll(key: string, identity: string, onCancel: (cb: () => void) => void, deadlineMs?: number, ratePerSecond = DEFAULT_POLLER_RPS): Promise<R | undefined> {
    const q = this.queue(key);
    q.lastPollAt = Date.now();
    const seen = () => {
      if (identity) q.pollers.set(identity, { identity, lastAccessTime: Date.now(), ratePerSecond });
    };
    seen();
    for (let task = q.next(); task; task = q.next()) {
      const response = task(identity);
      if (response !== undefined) return Promise.resolve(response);
    }
    return new Promise<R | undefined>((resolve) => {
      const wait = Math.max(0, Math.min(this.longPollMs, deadlineMs ?? Infinity));
      const waiter: Waiter<R> = {
        identity,
        resolve: (r) => {
          seen();
          resolve(r);
        },
        timer: setTimeout(() => {
          remove();
          seen();
          resolve(undefined);
        }, wait),
      };
      const remove = () => {
        const i = q.waiters.indexOf(waiter);
        if (i >= 0) q.waiters.splice(i, 1);
        q.lastPollAt = Date.now();
      };
      q.waiters.push(waiter);
      onCancel(() => {
        clearTimeout(waiter.timer);
        remove();
        resolve(undefined);
      });
    });
  }

  /** Whether a poller is waiting on `key` now or was seen there at or after `sinceMs` (wall clock). */
  hasPollerSince(key: string, sinceMs: number): boolean {
    const q = this.queues.get(key);
    return !!q && (q.waiters.length > 0 || q.lastPollAt >= sinceMs);
  }

  /** Forgets a queue whose worker has gone (a sticky queue after ShutdownWorker): its waiters get "no work". */
  drop(key: string): void {
    const q = this.queues.get(key);
    if (!q) return;
    this.queues.delete(key);
    for (const w of q.waiters) {
      clearTimeout(w.timer);
      w.resolve(undefined);
    }
  }

  /** Pollers seen on `key` within the TTL (wall clock), as the real server's poller history keeps them. */
  pollers(key: string, nowMs = Date.now()): PollerSeen[] {
    const q = this.queues.get(key);
    if (!q) return [];
    const out: PollerSeen[] = [];
    for (const [identity, p] of q.pollers) {
      if (p.lastAccessTime > nowMs - POLLER_HISTORY_TTL_MS) out.push(p);
      else q.pollers.delete(identity);
    }
    return out;
  }

  backlog(key: string): number {
    return this.queues.get(key)?.length ?? 0;
  }

  pollerCount(key: string): number {
    return this.queues.get(key)?.waiters.length ?? 0;
  }

  stop(): void {
    for (const q of this.queues.values()) {
      for (const w of q.waiters) {
        clearTimeout(w.timer);
        w.resolve(undefined);
      }
      q.waiters = [];
    }
  }
}
