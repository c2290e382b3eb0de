import type { VirtualClock } from '../clock.js';
import type { Matching } from '../matching.js';
import type { Obj, Payload } from '../proto.js';
import type { Store } from '../store.js';
import type { IndexedValueType, SearchAttributeRegistry } from '../visibility/search-attributes.js';
import type { RetryState } from './activity-rules.js';
import type { ActivityState, BufferedEvent, ExecutionStatus, ParentRef, Run } from './types.js';

export interface NamespaceState {
  name: string;
  id: string;
  description: string;
  retentionDays: number;
  registry: SearchAttributeRegistry;
}

export interface EngineOptions {
  timeSkipping: boolean;
  /** See DevServerOptions.frozenTime. */
  frozenTime?: boolean;
  longPollMs: number;
  namespaces: string[];
  searchAttributes: Record<string, IndexedValueType>;
  store?: Store;
  /** Retention of closed runs in the namespaces the server creates (default 7 days). */
  retentionDays?: number;
  /**
   * Eager activity dispatch (the real server's `system.enableActivityEagerExecution`): an activity
   * whose command asks for it goes back in the workflow task completion's response.
   */
  eagerActivities: boolean;
  log: (level: 'debug' | 'info' | 'warn' | 'error', msg: string) => void;
}

/** Input of a new run: from StartWorkflowExecution, a child command, continue-as-new or a retry. */
export interface NewRun {
  runId?: string;
  namespace: string;
  workflowId: string;
  workflowType: string;
  taskQueue: string;
  input?: Obj;
  header?: Obj;
  memo?: Record<string, Payload>;
  searchAttributes?: Record<string, Payload>;
  runTimeoutMs: number;
  executionTimeoutMs: number;
  workflowTaskTimeoutMs: number;
  executionExpiration?: number;
  startDelayMs?: number;
  retryPolicy?: Obj;
  identity?: string;
  requestId?: string;
  parent?: ParentRef;
  root?: { workflowId: string; runId: string };
  firstExecutionRunId?: string;
  continuedExecutionRunId?: string;
  initiator?: string;
  continuedFailure?: Obj;
  lastCompletionResult?: Obj;
  attempt?: number;
  priority?: Obj;
  /** Static summary and details (`temporal.api.sdk.v1.UserMetadata`), kept on the started event. */
  userMetadata?: Obj;
  signal?: { name: string; input?: Obj; header?: Obj; identity?: string };
  /** `cronSchedule` of the chain (engine/cron.ts); a continued run inherits its predecessor's. */
  cronSchedule?: string;
  /**
   * When the run starts, if not now: a run created after its predecessor's close is handled starts
   * at that close, as the real server writes both in one transaction (a cron run's backoff is counted
   * from it).
   */
  startTime?: number;
}

// What the command processor hands to the other managers, reached through the host
// (engine.activities, .children, .updates, .nexus): only the methods it calls.

export interface ActivityCommands {
  schedule(run: Run, attrs: Obj, completedId: number, eager?: boolean): ActivityState;
  handOver(run: Run, eager: ActivityState[], identity: string): Obj[];
  release(run: Run, eager: ActivityState[]): void;
  requestCancel(run: Run, scheduledEventId: number, completedId: number, identity: string | undefined): boolean;
}

export interface ChildCommands {
  start(parent: Run, attrs: Obj, completedId: number): void;
  signalExternal(run: Run, attrs: Obj, completedId: number): void;
  cancelExternal(run: Run, attrs: Obj, completedId: number): void;
}

export interface UpdateCommands {
  hasUndelivered(run: Run): boolean;
  onMessage(run: Run, msg: Obj, completedId: number): void;
}

export interface NexusCommands {
  validateCommands(run: Run, commands: Obj[]): void;
  schedule(run: Run, attrs: Obj, completedId: number, userMetadata?: Obj): void;
  requestCancel(run: Run, attrs: Obj, completedId: number): void;
}

/**
 * The engine as its managers (activities, children, commands, cron, nexus, queries, retention,
 * schedules, sticky, updates) see it: exactly the members of Engine they use. They depend on this,
 * not on Engine, so engine.ts is the only module that knows all managers (no import circles).
 */
export interface EngineHost {
  readonly options: EngineOptions;
  readonly clock: VirtualClock;
  readonly workflowTasks: Matching<Obj>;
  readonly activityTasks: Matching<Obj>;
  readonly namespaces: Map<string, NamespaceState>;
  readonly runs: Map<string, Run>;
  readonly activities: ActivityCommands;
  readonly children: ChildCommands;
  readonly updates: UpdateCommands;
  readonly nexus?: NexusCommands;

  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string): void;
  now(): number;
  /** Runs a clock task as an operation of its own: changes are persisted afterwards. */
  at(time: number, fn: () => void): void;
  /** Marks a run changed: persisted at the end of the current operation, locks re-synchronised. */
  touch(run: Run): void;
  /** Writes every change of the operation before the RPC is answered (acknowledged ⇒ durable). */
  flush(): void;
  markMetaDirty(): void;
  queueKey(namespace: string, taskQueue: string): string;

  namespace(name: string | undefined): NamespaceState;
  currentRun(namespace: string, workflowId: string): Run | undefined;
  findRun(namespace: string, execution: Obj | undefined, firstExecutionRunId?: string): Run;
  removeRun(run: Run): void;

  createRun(spec: NewRun): Run;
  createRunDeferred(spec: NewRun): { runId: string; spec: NewRun; create: () => Run };
  resolveStartConflict(namespace: string, req: Obj): { existing?: Run; started?: false };
  workflowRetry(run: Run, failure: Obj | undefined): { state: RetryState; next?: { runId: string; create: () => Run } };

  addEvent(run: Run, type: string, attrs: Obj, link?: BufferedEvent['link']): void;
  addEvents(run: Run, events: Array<{ type: string; attrs: Obj; link?: BufferedEvent['link'] }>): void;
  scheduleWorkflowTask(run: Run, notBefore?: number): void;
  offerWorkflowTask(run: Run): void;
  finishWorkflowTask(run: Run, startedEventId: number, needsAnother: boolean): void;
  retryWorkflowTask(run: Run, type: 'WORKFLOW_TASK_FAILED' | 'WORKFLOW_TASK_TIMED_OUT', attrs: Obj, resetAttempt?: boolean): void;

  signal(run: Run, name: string, input: Obj | undefined, header: Obj | undefined, identity: string | undefined, requestId?: string, external?: Obj): void;
  requestCancel(run: Run, reason: string | undefined, identity: string | undefined, external?: { initiatedEventId: number; execution: Obj }): void;
  terminate(run: Run, reason: string | undefined, details: Obj | undefined, identity: string | undefined): void;
  closeRun(run: Run, status: ExecutionStatus, chainContinues?: boolean): void;
}
