/**
 * The dev server's options, in a module of their own: index.ts starts the server with them and
 * thread.ts hands them to a thread, without thread.ts importing index.ts back (index.ts re-exports both).
 */
import type { IndexedValueType } from './visibility/search-attributes.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

export interface DevServerOptions {
  /** 0 picks a free port. Default 7233. */
  port?: number;
  ip?: string;
  /** Namespaces to create besides `default`. */
  namespaces?: string[];
  /** Persist everything to this file (append-only log); omitted = in memory. */
  dbFilename?: string;
  /**
   * Days a closed run is kept in the namespaces the server creates (`default` and `namespaces`);
   * default 7. Namespaces created with RegisterNamespace keep their own retention.
   */
  retentionDays?: number;
  /** Log size below which the persistence file is never compacted at run time (default 64 MiB). */
  compactMinBytes?: number;
  /** Temporal test-server semantics: the clock jumps to the next timer whenever nothing is in flight. */
  timeSkipping?: boolean;
  /**
   * With time skipping: while anything is in flight the clock stands still (instead of running at
   * wall speed, as Temporal's test server does), so a run sees the same instants on any machine.
   */
  frozenTime?: boolean;
  searchAttributes?: Record<string, IndexedValueType>;
  logLevel?: LogLevel;
  /** How long a poll waits for a task before answering "no work" (must stay under the SDK's 70 s). */
  longPollMs?: number;
  /** Serve Temporal's HTTP API (and the Web UI, with `uiDir`) on this port; 0 picks one; omitted = none. */
  httpPort?: number;
  /** A built Temporal Web UI (the folder holding its `index.html`), served at `/` of the HTTP port. */
  uiDir?: string;
  /**
   * Hand an activity to the worker that scheduled it, in its workflow task completion's response,
   * when the command asks for it (the real server's `system.enableActivityEagerExecution`, off
   * there and in the Temporal CLI's start-dev; Temporal's SDK test setups turn it on). Default true.
   */
  eagerActivities?: boolean;
}
