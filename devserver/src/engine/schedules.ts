/**
 * Schedules, as the real server's scheduler workflow runs them (service/worker/scheduler/
 * workflow.go and buffer.go, re-written here without a workflow): per schedule, the canonical
 * spec, the action, policies and state; times are processed from the last processed time up to
 * now on the engine's virtual clock (so they fire as skipped time passes), each due time is
 * buffered and the buffer is resolved with the overlap policy against the workflows the schedule
 * started that are still running. Started workflows get the id `<workflowId>-<nominal time in RFC
 * 3339>`, the search attributes TemporalScheduledStartTime and TemporalScheduledById, and the last
 * completion result / failure of the schedule's previous (non-ALLOW_ALL) runs. Every schedule and
 * its state is persisted with the store's meta record (Engine.metaSnapshot).
 */
import { alreadyExists, Code, failedPrecondition, invalidArgument, notFound, RpcError } from '../errors.js';
import { duration, jsonPayload, msOf, timestamp, type Obj, type Payload } from '../proto.js';
import type { EngineHost } from './host.js';
import { canonicalizeSpec, CompiledSpec, type NextTime } from './schedule-spec.js';
import { isOpen, STATUS_ENUM, type Run } from './types.js';

const DEFAULT_CATCHUP_MS = 365 * 86_400_000;
const MIN_CATCHUP_MS = 10_000;
const RECENT_ACTIONS = 10;
const FUTURE_ACTIONS = 10;
const LIST_RECENT_ACTIONS = 5;
const LIST_FUTURE_ACTIONS = 5;
const MAX_BUFFER = 1000;
const MAX_MATCHING_TIMES = 1000;
const MAX_NOTES = 1000;
export const INITIAL_CONFLICT_TOKEN = 1;

export interface BufferedStart {
  nominal: number;
  actual: number;
  overlapPolicy?: string;
  manual: boolean;
}

/** One schedule: JSON-serialisable as is (persisted in the meta record). */
export interface ScheduleState {
  namespace: string;
  scheduleId: string;
  /** temporal.api.schedule.v1.Schedule with the spec in canonical form. */
  schedule: Obj;
  memo?: Obj;
  searchAttributes: Record<string, Payload>;
  createTime: number;
  updateTime?: number;
  createRequestId?: string;
  conflictToken: number;
  lastProcessedTime: number;
  buffered: BufferedStart[];
  actionCount: number;
  missedCatchupWindow: number;
  overlapSkipped: number;
  bufferDropped: number;
  runningWorkflows: Array<{ workflowId: string; runId: string }>;
  recentActions: Obj[];
  lastCompletionResult?: Obj;
  continuedFailure?: Obj;
  invalidScheduleError?: string;
}

interface Live {
  state: ScheduleState;
  spec?: CompiledSpec;
  /** Bumped whenever the wake-up timer is re-armed: older timers do nothing. */
  generation: number;
}

const key = (namespace: string, scheduleId: string) => `${namespace}\0${scheduleId}`;
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const num = (v: unknown) => Number(v ?? 0) || 0;

/** The conflict token on the wire: 8 bytes, big-endian (bytes travel as base64 in our objects). */
export function encodeConflictToken(n: number): string {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(BigInt(n));
  return buf.toString('base64');
}

function decodeConflictToken(token: unknown): number | undefined {
  if (typeof token !== 'string' || token === '') return undefined;
  const buf = Buffer.from(token, 'base64');
  if (buf.length !== 8) return -1;
  return Number(buf.readBigUInt64BE());
}

export class ScheduleManager {
  private readonly schedules = new Map<string, Live>();

  constructor(private readonly e: EngineHost) {}

  // ------------------------------------------------------------------------------ API

  create(namespace: string, req: Obj): Obj {
    const scheduleId = req.scheduleId;
    if (typeof scheduleId !== 'string' || !scheduleId) throw invalidArgument('ScheduleId is not set on request.');
    if (scheduleId.length > 1000) throw invalidArgument('ScheduleId is longer than 1000 characters.');
    const existing = this.schedules.get(key(namespace, scheduleId));
    if (existing) {
      if (req.requestId && existing.state.createRequestId === req.requestId) return { conflictToken: encodeConflictToken(existing.state.conflictToken) };
      throw alreadyExists(`schedule ${JSON.stringify(scheduleId)} is already registered`, [
        { '@type': 'type.googleapis.com/temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure', startRequestId: '', runId: '' },
      ]);
    }
    const ns = this.e.namespace(namespace);
    const schedule = this.validateSchedule(namespace, req.schedule);
    const now = this.e.now();
    const state: ScheduleState = {
      namespace,
      scheduleId,
      schedule,
      memo: req.memo?.fields && Object.keys(req.memo.fields).length ? req.memo : undefined,
      searchAttributes: ns.registry.validate(req.searchAttributes?.indexedFields),
      createTime: now,
      createRequestId: req.requestId,
      conflictToken: INITIAL_CONFLICT_TOKEN,
      lastProcessedTime: now,
      buffered: [],
      actionCount: 0,
      missedCatchupWindow: 0,
      overlapSkipped: 0,
      bufferDropped: 0,
      runningWorkflows: [],
      recentActions: [],
    };
    const live: Live = { state, generation: 0 };
    this.compile(live);
    this.schedules.set(key(namespace, scheduleId), live);
    if (req.initialPatch) this.applyPatch(live, req.initialPatch);
    this.process(live);
    return { conflictToken: encodeConflictToken(INITIAL_CONFLICT_TOKEN) };
  }

  describe(namespace: string, scheduleId: string): Obj {
    const live = this.get(namespace, scheduleId);
    const s = live.state;
    this.forgetClosed(live);
    const registry = this.e.namespace(namespace).registry;
    return {
      schedule: this.scheduleForOutput(s),
      info: {
        actionCount: String(s.actionCount),
        missedCatchupWindow: String(s.missedCatchupWindow),
        overlapSkipped: String(s.overlapSkipped),
        bufferDropped: String(s.bufferDropped),
        bufferSize: String(s.buffered.length),
        runningWorkflows: s.runningWorkflows.map((w) => ({ ...w })),
        recentActions: s.recentActions,
        futureActionTimes: this.futureActionTimes(live, FUTURE_ACTIONS),
        createTime: timestamp(s.createTime),
        updateTime: s.updateTime !== undefined ? timestamp(s.updateTime) : undefined,
        invalidScheduleError: s.invalidScheduleError || undefined,
      },
      memo: s.memo,
      searchAttributes: Object.keys(s.searchAttributes).length ? { indexedFields: registry.stamp(s.searchAttributes) } : undefined,
      conflictToken: encodeConflictToken(s.conflictToken),
    };
  }

  update(namespace: string, req: Obj): Obj {
    const live = this.get(namespace, req.scheduleId);
    const s = live.state;
    const token = decodeConflictToken(req.conflictToken);
    if (token !== undefined && token !== 0 && token !== s.conflictToken) throw failedPrecondition('mismatched conflict token');
    s.schedule = this.validateSchedule(namespace, req.schedule);
    if (req.searchAttributes) s.searchAttributes = this.e.namespace(namespace).registry.validate(req.searchAttributes.indexedFields);
    s.updateTime = this.e.now();
    s.conflictToken++;
    this.compile(live);
    this.process(live);
    return {};
  }

  patch(namespace: string, req: Obj): Obj {
    const live = this.get(namespace, req.scheduleId);
    if (!req.patch) throw invalidArgument('Patch is not set on request.');
    this.applyPatch(live, req.patch);
    this.process(live);
    return {};
  }

  delete(namespace: string, scheduleId: string): Obj {
    const live = this.get(namespace, scheduleId);
    live.generation++;
    this.schedules.delete(key(namespace, live.state.scheduleId));
    this.e.markMetaDirty();
    return {};
  }

  matchingTimes(namespace: string, req: Obj): Obj {
    const live = this.get(namespace, req.scheduleId);
    if (!req.startTime || !req.endTime) throw invalidArgument('missing or invalid query');
    if (!live.spec) throw invalidArgument(`invalid schedule: ${live.state.invalidScheduleError}`);
    const end = msOf(req.endTime);
    const out: Obj[] = [];
    let t = msOf(req.startTime);
    for (let i = 0; i < MAX_MATCHING_TIMES; i++) {
      const n = this.nextTime(live, t);
      if (!n || n.next > end) break;
      out.push(timestamp(n.next));
      t = n.next;
    }
    return { startTime: out };
  }

  /** Schedules of a namespace, newest first, for ListSchedules / CountSchedules (the caller filters). */
  list(namespace: string): ScheduleState[] {
    return [...this.schedules.values()]
      .filter((l) => l.state.namespace === namespace)
      .map((l) => l.state)
      .sort((a, b) => b.createTime - a.createTime || (a.scheduleId < b.scheduleId ? -1 : 1));
  }

  listEntry(s: ScheduleState): Obj {
    const live = this.schedules.get(key(s.namespace, s.scheduleId))!;
    const registry = this.e.namespace(s.namespace).registry;
    return {
      scheduleId: s.scheduleId,
      memo: s.memo,
      searchAttributes: Object.keys(s.searchAttributes).length ? { indexedFields: registry.stamp(s.searchAttributes) } : undefined,
      info: {
        spec: s.schedule.spec,
        workflowType: s.schedule.action?.startWorkflow?.workflowType,
        notes: s.schedule.state?.notes,
        paused: !!s.schedule.state?.paused,
        recentActions: s.recentActions.slice(-LIST_RECENT_ACTIONS),
        futureActionTimes: this.futureActionTimes(live, LIST_FUTURE_ACTIONS),
      },
    };
  }

  // ------------------------------------------------------------------------------ engine hooks

  /** Engine.closeRun: a workflow started by a schedule closed (its whole chain, when `chainContinues` is false). */
  onRunClosed(run: Run, chainContinues: boolean): void {
    if (chainContinues) return;
    const by = run.searchAttributes.TemporalScheduledById;
    if (!by) return;
    let scheduleId: unknown;
    try {
      scheduleId = JSON.parse(Buffer.from(by.data ?? '', 'base64').toString('utf8'));
    } catch {
      return;
    }
    const live = typeof scheduleId === 'string' ? this.schedules.get(key(run.namespace, scheduleId)) : undefined;
    if (!live) return;
    this.noteClosed(live, run);
    // Whatever is buffered behind it is started by a task of its own, not inside this close.
    this.wakeSoon(live);
  }

  snapshot(): ScheduleState[] {
    return [...this.schedules.values()].map((l) => l.state);
  }

  /** After a restart (runs restored first): schedules come back, catch up from their last processed time and re-arm. */
  restore(states: unknown[] | undefined): void {
    for (const raw of states ?? []) {
      const state = raw as ScheduleState;
      if (!state?.scheduleId || !state.namespace || !this.e.namespaces.has(state.namespace)) continue;
      const live: Live = { state, generation: 0 };
      this.compile(live);
      this.schedules.set(key(state.namespace, state.scheduleId), live);
    }
    for (const live of this.schedules.values()) {
      this.forgetClosed(live);
      this.wakeSoon(live);
    }
  }

  // ------------------------------------------------------------------------------ internals

  private get(namespace: string, scheduleId: unknown): Live {
    if (typeof scheduleId !== 'string' || !scheduleId) throw invalidArgument('ScheduleId is not set on request.');
    const live = this.schedules.get(key(namespace, scheduleId));
    if (!live) throw notFound('schedule not found');
    return live;
  }

  private validateSchedule(namespace: string, schedule: Obj | undefined): Obj {
    if (!schedule) throw invalidArgument('Schedule is not set on request.');
    const registry = this.e.namespace(namespace).registry;
    const start = schedule.action?.startWorkflow;
    if (!start) throw invalidArgument('Schedule action is not set on request.');
    if (!start.workflowId) throw invalidArgument('WorkflowId is not set on request.');
    if (`${start.workflowId}-2009-11-10T23:00:00Z`.length > 1000) throw invalidArgument('WorkflowId is longer than 1000 characters.');
    if (!start.workflowType?.name) throw invalidArgument('WorkflowType is not set on request.');
    if (!start.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request.');
    if (start.cronSchedule) throw invalidArgument('Scheduled workflow must not contain CronSchedule');
    if (start.workflowIdReusePolicy && !['WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED', 'WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE'].includes(start.workflowIdReusePolicy)) {
      throw invalidArgument('Scheduled workflow must not contain WorkflowIDReusePolicy');
    }
    for (const f of ['workflowExecutionTimeout', 'workflowRunTimeout', 'workflowTaskTimeout']) {
      if (msOf(start[f]) < 0) throw invalidArgument(`${f} must not be negative`);
    }
    if (start.searchAttributes?.indexedFields) registry.validate(start.searchAttributes.indexedFields);
    if ((schedule.state?.notes ?? '').length > MAX_NOTES) throw invalidArgument('Schedule notes exceeds limit.');
    const policies: Obj = { ...(schedule.policies ?? {}) };
    const overlap = policies.overlapPolicy;
    policies.overlapPolicy = !overlap || overlap === 'SCHEDULE_OVERLAP_POLICY_UNSPECIFIED' ? 'SCHEDULE_OVERLAP_POLICY_SKIP' : overlap;
    policies.catchupWindow = duration(catchupWindowMs(policies.catchupWindow));
    const state: Obj = { ...(schedule.state ?? {}) };
    if (!state.limitedActions) delete state.remainingActions;
    return { ...schedule, spec: canonicalizeSpec(schedule.spec), policies, state };
  }

  private compile(live: Live): void {
    try {
      live.spec = new CompiledSpec(live.state.schedule.spec ?? {});
      live.state.invalidScheduleError = undefined;
    } catch (err) {
      live.spec = undefined;
      live.state.invalidScheduleError = err instanceof Error ? err.message : String(err);
    }
  }

  private scheduleForOutput(s: ScheduleState): Obj {
    const out: Obj = { ...s.schedule, state: { ...(s.schedule.state ?? {}) } };
    if (out.state.limitedActions) out.state.remainingActions = String(num(out.state.remainingActions));
    return out;
  }

  private jitterSeed(s: ScheduleState): string {
    return `${this.e.namespaces.get(s.namespace)?.id ?? s.namespace}-${s.scheduleId}`;
  }

  private nextTime(live: Live, after: number): NextTime | undefined {
    return live.spec?.nextTime(after, this.jitterSeed(live.state));
  }

  private futureActionTimes(live: Live, n: number): Obj[] {
    const s = live.state;
    const limited = !!s.schedule.state?.limitedActions;
    if (limited) n = Math.min(n, num(s.schedule.state.remainingActions));
    const out: Obj[] = [];
    let t = s.lastProcessedTime;
    for (let guard = 0; out.length < n && guard < 10_000; guard++) {
      const next = this.nextTime(live, t);
      if (!next) break;
      t = next.next;
      if (s.updateTime !== undefined && s.updateTime > next.next) continue;
      out.push(timestamp(next.next));
    }
    return out;
  }

  private applyPatch(live: Live, patch: Obj): void {
    const s = live.state;
    const now = this.e.now();
    if (patch.triggerImmediately) {
      const at = patch.triggerImmediately.scheduledTime ? msOf(patch.triggerImmediately.scheduledTime) : now;
      this.addStart(live, at, at, patch.triggerImmediately.overlapPolicy, true);
    }
    for (const bf of patch.backfillRequest ?? []) {
      // The start of a backfill is inclusive.
      this.processTimeRange(live, msOf(bf.startTime) - 1, msOf(bf.endTime), bf.overlapPolicy, true);
    }
    const state = (s.schedule.state ??= {});
    if (patch.pause) {
      state.paused = true;
      state.notes = patch.pause;
      s.conflictToken++;
    }
    if (patch.unpause) {
      state.paused = false;
      state.notes = patch.unpause;
      s.conflictToken++;
    }
    this.e.markMetaDirty();
  }

  private canTakeScheduledAction(live: Live, manual: boolean, decrement: boolean): boolean {
    if (manual) return true;
    const state = live.state.schedule.state ?? {};
    if (state.paused) return false;
    if (!state.limitedActions) return true;
    const remaining = num(state.remainingActions);
    if (remaining > 0) {
      if (decrement) {
        state.remainingActions = String(remaining - 1);
        live.state.conflictToken++;
      }
      return true;
    }
    return false;
  }

  private processTimeRange(live: Live, start: number, end: number, overlapPolicy: string | undefined, manual: boolean): void {
    const s = live.state;
    if (!live.spec) return;
    if (!manual && !this.canTakeScheduledAction(live, false, false)) return;
    const catchup = catchupWindowMs(s.schedule.policies?.catchupWindow);
    let n = this.nextTime(live, start);
    for (let guard = 0; n && n.next <= end && guard < 1_000_000; guard++, n = this.nextTime(live, n.next)) {
      if (!manual && s.updateTime !== undefined && s.updateTime > n.next) continue;
      if (!manual && end - n.next > catchup) {
        s.missedCatchupWindow++;
        continue;
      }
      this.addStart(live, n.nominal, n.next, overlapPolicy, manual);
    }
  }

  private addStart(live: Live, nominal: number, actual: number, overlapPolicy: string | undefined, manual: boolean): void {
    const s = live.state;
    if (s.buffered.length >= MAX_BUFFER) {
      s.bufferDropped++;
      return;
    }
    s.buffered.push({ nominal, actual, overlapPolicy: overlapPolicy && overlapPolicy !== 'SCHEDULE_OVERLAP_POLICY_UNSPECIFIED' ? overlapPolicy : undefined, manual });
  }

  private resolveOverlap(live: Live, policy: string | undefined): string {
    return policy ?? live.state.schedule.policies?.overlapPolicy ?? 'SCHEDULE_OVERLAP_POLICY_SKIP';
  }

  /** Takes the schedule up to now: due times into the buffer, the buffer resolved, the next wake-up armed. */
  private process(live: Live): void {
    if (this.schedules.get(key(live.state.namespace, live.state.scheduleId)) !== live) return;
    const s = live.state;
    const now = this.e.now();
    if (now > s.lastProcessedTime) {
      this.processTimeRange(live, s.lastProcessedTime, now, undefined, false);
      s.lastProcessedTime = now;
    }
    this.processBuffer(live);
    this.arm(live);
    this.e.markMetaDirty();
  }

  private wakeSoon(live: Live): void {
    this.e.at(this.e.now(), () => this.process(live));
  }

  private arm(live: Live): void {
    const gen = ++live.generation;
    const next = this.nextTime(live, live.state.lastProcessedTime);
    if (!next) return;
    this.e.at(next.next, () => {
      if (live.generation === gen) this.process(live);
    });
  }

  /** The chain a schedule started is still running (its newest run is open). */
  private running(s: ScheduleState, w: { workflowId: string; runId: string }): Run | undefined {
    const run = this.e.currentRun(s.namespace, w.workflowId);
    return run && isOpen(run) && run.firstExecutionRunId === w.runId ? run : undefined;
  }

  /** Workflows in `runningWorkflows` that closed without the schedule noticing (e.g. while the server was down). */
  private forgetClosed(live: Live): void {
    for (const w of [...live.state.runningWorkflows]) {
      if (this.running(live.state, w)) continue;
      const run = this.e.currentRun(live.state.namespace, w.workflowId);
      if (run && run.firstExecutionRunId === w.runId) this.noteClosed(live, run);
      else live.state.runningWorkflows = live.state.runningWorkflows.filter((x) => x !== w);
    }
  }

  private noteClosed(live: Live, run: Run): void {
    const s = live.state;
    const i = s.runningWorkflows.findIndex((w) => w.workflowId === run.workflowId && w.runId === run.firstExecutionRunId);
    const recent = s.recentActions.find((a) => a.startWorkflowResult?.workflowId === run.workflowId && a.startWorkflowResult?.runId === run.firstExecutionRunId);
    if (recent) recent.startWorkflowStatus = STATUS_ENUM[run.status];
    if (i < 0) return;
    s.runningWorkflows.splice(i, 1);
    const close = run.history.last() ?? {};
    if (run.status === 'Completed') {
      s.lastCompletionResult = close.workflowExecutionCompletedEventAttributes?.result;
      s.continuedFailure = undefined;
    } else if (run.status === 'Failed') {
      s.continuedFailure = close.workflowExecutionFailedEventAttributes?.failure;
    }
    const state = (s.schedule.state ??= {});
    if (s.schedule.policies?.pauseOnFailure && !state.paused && (run.status === 'Failed' || run.status === 'TimedOut')) {
      state.paused = true;
      state.notes =
        run.status === 'Failed'
          ? `paused due to workflow failure: ${run.workflowId}: ${close.workflowExecutionFailedEventAttributes?.failure?.message ?? ''}`
          : `paused due to workflow timeout: ${run.workflowId}`;
      s.conflictToken++;
    }
    this.e.markMetaDirty();
  }

  /** buffer.go ProcessBuffer, then the starts, cancels and terminates it asks for. */
  private processBuffer(live: Live): void {
    const s = live.state;
    this.forgetClosed(live);
    if (!s.schedule.action?.startWorkflow || s.buffered.length === 0) {
      s.buffered = [];
      return;
    }
    const isRunning = s.runningWorkflows.length > 0;
    const newBuffer: BufferedStart[] = [];
    const overlapping: BufferedStart[] = [];
    let nonOverlapping: BufferedStart | undefined;
    let needCancel = false;
    let needTerminate = false;
    for (const start of s.buffered) {
      const policy = this.resolveOverlap(live, start.overlapPolicy);
      if (policy === 'SCHEDULE_OVERLAP_POLICY_ALLOW_ALL') {
        overlapping.push(start);
        continue;
      }
      if (!isRunning && !nonOverlapping) {
        nonOverlapping = start;
        continue;
      }
      switch (policy) {
        case 'SCHEDULE_OVERLAP_POLICY_BUFFER_ONE':
          if (newBuffer.length === 0) newBuffer.push(start);
          else s.overlapSkipped++;
          break;
        case 'SCHEDULE_OVERLAP_POLICY_BUFFER_ALL':
          newBuffer.push(start);
          break;
        case 'SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER':
          if (isRunning) {
            needCancel = true;
            newBuffer.push(start);
          } else nonOverlapping = start;
          break;
        case 'SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER':
          if (isRunning) {
            needTerminate = true;
            newBuffer.push(start);
          } else nonOverlapping = start;
          break;
        default: // SKIP
          s.overlapSkipped++;
      }
    }
    s.buffered = newBuffer;
    const starts = needCancel || needTerminate ? [] : [...overlapping];
    if (nonOverlapping) starts.push(nonOverlapping);
    for (const start of starts) {
      if (!this.canTakeScheduledAction(live, start.manual, true)) continue;
      const result = this.startWorkflow(live, start);
      if (!result) continue;
      s.actionCount++;
      s.recentActions = [...s.recentActions, result].slice(-RECENT_ACTIONS);
      // ALLOW_ALL runs are not tracked (the real server's DontTrackOverlapping).
      if (start === nonOverlapping) s.runningWorkflows.push({ ...result.startWorkflowResult });
    }
    const identity = this.identity(s);
    for (const w of [...s.runningWorkflows]) {
      const run = this.running(s, w);
      if (!run) continue;
      if (needTerminate) this.e.terminate(run, 'terminated by schedule overlap policy', undefined, identity);
      else if (needCancel) this.e.requestCancel(run, 'cancelled by schedule overlap policy', identity);
    }
  }

  private identity(s: ScheduleState): string {
    return `temporal-scheduler-${s.namespace}-${s.scheduleId}`;
  }

  private startWorkflow(live: Live, start: BufferedStart): Obj | undefined {
    const s = live.state;
    const e = this.e;
    const req = s.schedule.action.startWorkflow as Obj;
    const nominalSec = Math.floor(start.nominal / 1000) * 1000;
    const workflowId = `${req.workflowId}-${rfc3339(nominalSec)}`;
    const allowAll = this.resolveOverlap(live, start.overlapPolicy) === 'SCHEDULE_OVERLAP_POLICY_ALLOW_ALL';
    const registry = e.namespace(s.namespace).registry;
    try {
      const { existing } = e.resolveStartConflict(s.namespace, {
        workflowId,
        workflowIdReusePolicy: start.manual ? 'WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE' : 'WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE',
      });
      if (existing) return undefined;
      const searchAttributes: Record<string, Payload> = {
        ...registry.validate(req.searchAttributes?.indexedFields),
        TemporalScheduledStartTime: jsonPayload(new Date(nominalSec).toISOString(), 'Datetime'),
        TemporalScheduledById: jsonPayload(s.scheduleId, 'Keyword'),
      };
      const run = e.createRun({
        namespace: s.namespace,
        workflowId,
        workflowType: req.workflowType.name,
        taskQueue: req.taskQueue.name,
        input: req.input,
        header: req.header,
        memo: req.memo?.fields,
        searchAttributes,
        runTimeoutMs: msOf(req.workflowRunTimeout),
        executionTimeoutMs: msOf(req.workflowExecutionTimeout),
        workflowTaskTimeoutMs: msOf(req.workflowTaskTimeout),
        retryPolicy: req.retryPolicy,
        identity: this.identity(s),
        requestId: `${s.scheduleId}/${nominalSec}/${e.now()}`,
        lastCompletionResult: allowAll ? undefined : s.lastCompletionResult,
        continuedFailure: allowAll ? undefined : s.continuedFailure,
        priority: req.priority,
        userMetadata: req.userMetadata,
      });
      return {
        scheduleTime: timestamp(start.actual),
        actualTime: timestamp(run.startTime),
        startWorkflowResult: { workflowId, runId: run.runId },
        startWorkflowStatus: 'WORKFLOW_EXECUTION_STATUS_RUNNING',
      };
    } catch (err) {
      if (!(err instanceof RpcError) || err.code !== Code.ALREADY_EXISTS) e.log('warn', `schedule ${s.scheduleId}: start of ${workflowId} failed: ${(err as Error).message}`);
      return undefined;
    }
  }
}

function catchupWindowMs(d: Obj | undefined): number {
  if (!d) return DEFAULT_CATCHUP_MS;
  const ms = msOf(d);
  return ms < MIN_CATCHUP_MS ? MIN_CATCHUP_MS : ms;
}
