/**
 * A worker's background loop over a table of work (the notification outbox, the refund follower):
 * `drain` runs at once when kicked and then every `pollMs`, never two at a time — a kick while one
 * runs runs it once more after it. Its errors go to `onError`; the loop goes on.
 */
export interface PollingLoop {
  /** Drains now (coalesced with a drain under way). */
  kick(): void;
  start(): void;
  /** Stops polling and waits for the drain under way. */
  stop(): Promise<void>;
}

export function createPollingLoop(o: { drain: () => Promise<void>; pollMs: number; onError?: (err: unknown) => void }): PollingLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;

  function kick(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await o.drain().catch((err: unknown) => o.onError?.(err));
      } while (again);
    })().finally(() => (running = undefined));
  }

  return {
    kick,
    start() {
      timer ??= setInterval(kick, o.pollMs);
      timer.unref();
      kick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
