/**
 * Task queues and long-poll matching. A task is offered to the oldest waiting poller; a poll with no
 * task waits until one arrives or the long-poll expires (then the caller answers an empty response,
 * which the SDK treats as "no work" and polls again).
 *
 * Tasks are thunks that build the poll response at dispatch time and may decline (return undefined)
 * when they became stale (workflow closed, activity cancelled…), so queues never need scrubbing.
 */
export type Dispatch<R> = (pollerIdentity: string) => R | undefined;

interface Waiter<R> {
  identity: string;
  resolve: (r: R | undefined) => void;
  timer: NodeJS.Timeout;
}

class Queue<R> {
  tasks: Dispatch<R>[] = [];
  waiters: Waiter<R>[] = [];
}

export class Matching<R> {
  private queues = new Map<string, Queue<R>>();

  constructor(private readonly longPollMs: number) {}

  private queue(key: string): Queue<R> {
    let q = this.queues.get(key);
    if (!q) {
      q = new Queue<R>();
      this.queues.set(key, q);
    }
    return q;
  }

  offer(key: string, task: Dispatch<R>): void {
    const q = this.queue(key);
    const w = q.waiters[0];
    if (!w) {
      q.tasks.push(task);
      return;
    }
    const response = task(w.identity);
    if (response === undefined) return; // a stale task is dropped; the poller keeps waiting
    q.waiters.shift();
    clearTimeout(w.timer);
    w.resolve(response);
  }

  /**
   * Long-polls `key`. `onCancel` registers a callback for client cancellation; a cancelled poll
   * never receives a task, so no task is handed to a dead poller.
   */
  poll(key: string, identity: string, onCancel: (cb: () => void) => void, deadlineMs?: number): Promise<R | undefined> {
    const q = this.queue(key);
    while (q.tasks.length) {
      const task = q.tasks.shift()!;
      const response = task(identity);
      if (response !== undefined) return Promise.resolve(response);
    }
    return new Promise<R | undefined>((resolve) => {
      const wait = Math.max(0, Math.min(this.longPollMs, deadlineMs ?? Infinity));
      const waiter: Waiter<R> = {
        identity,
        resolve,
        timer: setTimeout(() => {
          remove();
          resolve(undefined);
        }, wait),
      };
      const remove = () => {
        const i = q.waiters.indexOf(waiter);
        if (i >= 0) q.waiters.splice(i, 1);
      };
      q.waiters.push(waiter);
      onCancel(() => {
        clearTimeout(waiter.timer);
        remove();
        resolve(undefined);
      });
    });
  }

  backlog(key: string): number {
    return this.queues.get(key)?.tasks.length ?? 0;
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
