/**
 * PGlite has one backend for every socket of its socket server, which takes the sockets' protocol
 * messages into one queue and runs them one at a time. It keeps a client's messages together only
 * inside an explicit transaction (BEGIN … COMMIT). An extended query — Parse, Bind, Describe,
 * Execute, then Sync — is several messages, and `pg` writes each on its own: another client's
 * messages could run between them, so one client's Bind met another's unnamed statement ("bind
 * message supplies 1 parameters, but prepared statement "" requires 26", seen under a burst of case
 * openings), and with equal parameter counts it would have run the other client's statement with
 * its values. Here a client that has begun an extended query keeps the backend until its Sync.
 *
 * The queue is the socket server's own (`queryQueue`, @electric-sql/pglite-socket 0.2): this
 * replaces its `processQueue` and `clearQueueForHandler` with the same logic plus that rule, and a
 * failed message no longer leaves the queue marked busy for ever (the original returns early).
 */

/** The queue as the socket server builds it (not exported by the package). */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(err: unknown): void;
  onData(data: Uint8Array): void;
}
interface PGliteQueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: { isInTransaction(): boolean; runExclusive<T>(fn: () => Promise<T>): Promise<T>; execProtocolRawStream(message: Uint8Array, options: { onRawData(data: Uint8Array): void }): Promise<unknown> };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

const code = (c: string) => c.charCodeAt(0);
/** Parse, Bind, Describe, Execute, Close, Flush: the backend holds the client's unnamed statement and portal until its Sync. */
const OPENS = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map(code));
/** Sync: type 'S', length 4. */
const SYNC = new Uint8Array([code('S'), 0, 0, 0, 4]);

export function keepExtendedQueriesTogether(server: object): void {
  const q = (server as { queryQueue?: PGliteQueryQueue }).queryQueue;
  if (!q || typeof q.processQueue !== 'function' || !Array.isArray(q.queue)) throw new Error('PGLiteSocketServer has no query queue where 0.2 had it: check db/embedded-queue.ts against the installed version');
  /** The client whose extended query is under way: only its messages run until its Sync. */
  let owner: number | null = null;
  /** That client went away before its Sync: the backend gets one, so it leaves the query (and any error state) behind. */
  let syncOwed = false;

  q.processQueue = async function processQueue(this: PGliteQueryQueue) {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        if (syncOwed) {
          syncOwed = false;
          await this.db.runExclusive(() => this.db.execProtocolRawStream(SYNC, { onRawData: () => undefined })).catch(() => undefined);
        }
        const holder = owner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const at = holder === null ? 0 : this.queue.findIndex((m) => m.handlerId === holder);
        if (at < 0) break; // the holder's next message has not come yet: its enqueue starts this again
        const m = this.queue.splice(at, 1)[0]!;
        let bytes = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(m.message, { onRawData: (d) => ((bytes += d.length), m.onData(d)) }));
        } catch (err) {
          m.reject(err);
          continue;
        }
        this.lastHandlerId = m.handlerId;
        owner = OPENS.has(m.message[0]!) ? m.handlerId : null;
        m.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = function clearQueueForHandler(this: PGliteQueryQueue, handlerId: number) {
    clear(handlerId);
    // A client gone in the middle of its extended query: the others go on.
    if (owner === handlerId) {
      owner = null;
      syncOwed = true;
      void this.processQueue();
    }
  };
}
