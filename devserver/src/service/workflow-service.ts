import { alreadyExists, invalidArgument, notFound, RpcError, Code } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { decodeToken } from '../engine/tokens.js';
import { isOpen } from '../engine/types.js';
import { duration, msOf, type Obj } from '../proto.js';
import type { Handlers } from '../grpc.js';
import { describeTaskQueue } from './task-queues.js';
import { resetWorkflow } from '../engine/reset.js';
import { DEFAULT_POLLER_RPS } from '../matching.js';
import { describeExecution, historyPage, historyReversePage, waitForCloseEvent } from './read-model.js';
import { countExecutions, listExecutions } from './visibility-list.js';
import { executeMultiOperation, startEagerly } from './multi-operation.js';
import { cronStart } from '../engine/cron.js';
import { scheduleHandlers } from './schedules.js';
import { withStandaloneActivities } from './standalone-activities.js';
import { nexusTaskHandlers } from './nexus-tasks.js';

const SERVER_VERSION = '1.24.0-devserver';

/** temporal.api.workflowservice.v1.WorkflowService: the calls the TypeScript SDK makes. */
export function workflowService(e: Engine): Handlers {
  const requireString = (value: unknown, what: string) => {
    if (typeof value !== 'string' || value.length === 0) throw invalidArgument(`${what} is not set on request.`);
    return value;
  };

  const startSpec = (req: Obj) => {
    const ns = e.namespace(req.namespace);
    requireString(req.workflowId, 'WorkflowId');
    requireString(req.workflowType?.name, 'WorkflowType');
    requireString(req.taskQueue?.name, 'TaskQueue');
    for (const f of ['workflowExecutionTimeout', 'workflowRunTimeout', 'workflowTaskTimeout', 'workflowStartDelay']) {
      if (msOf(req[f]) < 0) throw invalidArgument(`${f} must not be negative`);
    }
    if (req.workflowId.length > 1000) throw invalidArgument('WorkflowId is longer than 1000 characters.');
    return {
      namespace: ns.name,
      workflowId: req.workflowId,
      workflowType: req.workflowType.name,
      taskQueue: req.taskQueue.name,
      input: req.input,
      header: req.header,
      memo: req.memo?.fields,
      searchAttributes: req.searchAttributes?.indexedFields ? ns.registry.validate(req.searchAttributes.indexedFields) : undefined,
      runTimeoutMs: msOf(req.workflowRunTimeout),
      executionTimeoutMs: msOf(req.workflowExecutionTimeout),
      workflowTaskTimeoutMs: msOf(req.workflowTaskTimeout),
      // `cronSchedule`: the first run waits for the first cron time (engine/cron.ts).
      ...cronStart(req, e.now()),
      retryPolicy: req.retryPolicy,
      identity: req.identity,
      requestId: req.requestId,
      priority: req.priority,
      // Static summary and details (the UI shows them on the workflow's page).
      userMetadata: req.userMetadata,
    };
  };

  // StartActivityExecution, PollActivityExecution…, and the worker calls of standalone activities (service/standalone-activities.ts)
  return withStandaloneActivities(e, {
    // CreateSchedule, DescribeSchedule, UpdateSchedule, PatchSchedule, ListSchedules… (service/schedules.ts)
    ...scheduleHandlers(e),
    // PollNexusTaskQueue, RespondNexusTaskCompleted, RespondNexusTaskFailed (service/nexus-tasks.ts)
    ...nexusTaskHandlers(e),

    GetSystemInfo: (_req, ctx) => {
      rejectGzip(ctx.requestEncoding);
      return {
        serverVersion: SERVER_VERSION,
        capabilities: {
          signalAndQueryHeader: true,
          internalErrorDifferentiation: true,
          activityFailureIncludeHeartbeat: true,
          supportsSchedules: true,
          encodedFailureAttributes: true,
          upsertMemo: true,
          sdkMetadata: true,
          countGroupByExecutionStatus: true,
          nexus: true,
        },
      };
    },

    GetClusterInfo: () => ({
      supportedClients: {},
      serverVersion: SERVER_VERSION,
      clusterId: 'devserver',
      clusterName: 'devserver',
      historyShardCount: 1,
      persistenceStore: 'devserver',
      visibilityStore: 'devserver',
    }),

    DescribeNamespace: (req) => {
      const ns = req.id ? [...e.namespaces.values()].find((n) => n.id === req.id) : e.namespace(req.namespace);
      if (!ns) throw notFound(`Namespace with id ${req.id} is not found.`);
      return namespaceInfo(ns);
    },

    ListNamespaces: () => ({ namespaces: [...e.namespaces.values()].map(namespaceInfo) }),

    RegisterNamespace: (req) => {
      const name = requireString(req.namespace, 'Namespace');
      if (e.namespaces.has(name)) throw alreadyExistsNs();
      e.ensureNamespace(name, req.description ?? '', Math.max(1, Math.round(msOf(req.workflowExecutionRetentionPeriod) / 86_400_000)));
      return {};
    },

    StartWorkflowExecution: (req) => {
      const spec = startSpec(req);
      const { existing, started } = e.resolveStartConflict(spec.namespace, req);
      // A Nexus workflow-run handler's start carries completion callbacks (engine/nexus.ts).
      if (existing) return { runId: existing.runId, started: started ?? true, ...e.nexus?.onWorkflowStart(existing, req, false) };
      if (req.requestEagerExecution && !spec.startDelayMs) return startEagerly(e, spec, req.identity);
      const run = e.createRun(spec);
      return { runId: run.runId, started: true, ...e.nexus?.onWorkflowStart(run, req, true) };
    },

    ExecuteMultiOperation: (req, ctx) => executeMultiOperation(e, req, ctx, startSpec),

    SignalWithStartWorkflowExecution: (req) => {
      const spec = startSpec(req);
      requireString(req.signalName, 'SignalName');
      const current = e.currentRun(spec.namespace, spec.workflowId);
      if (current && isOpen(current)) {
        e.signal(current, req.signalName, req.signalInput, req.header, req.identity, req.requestId);
        return { runId: current.runId, started: false };
      }
      // A closed predecessor is subject to the reuse policy; a running one was signalled above.
      const { existing } = e.resolveStartConflict(spec.namespace, { ...req, requestId: undefined });
      if (existing) return { runId: existing.runId, started: false };
      const run = e.createRun({ ...spec, signal: { name: req.signalName, input: req.signalInput, header: req.header, identity: req.identity } });
      return { runId: run.runId, started: true };
    },

    SignalWorkflowExecution: (req) => {
      const ns = e.namespace(req.namespace);
      requireString(req.signalName, 'SignalName');
      const run = e.findOpenRun(ns.name, req.workflowExecution);
      e.signal(run, req.signalName, req.input, req.header, req.identity, req.requestId);
      return {};
    },

    RequestCancelWorkflowExecution: (req) => {
      const ns = e.namespace(req.namespace);
      const run = e.findOpenRun(ns.name, req.workflowExecution, req.firstExecutionRunId);
      e.requestCancel(run, req.reason, req.identity);
      return {};
    },

    ResetWorkflowExecution: (req) => resetWorkflow(e, req),

    TerminateWorkflowExecution: (req) => {
      const ns = e.namespace(req.namespace);
      const run = e.findOpenRun(ns.name, req.workflowExecution, req.firstExecutionRunId);
      e.terminate(run, req.reason, req.details, req.identity);
      return {};
    },

    QueryWorkflow: async (req, ctx) => {
      const ns = e.namespace(req.namespace);
      const run = e.findRun(ns.name, req.execution);
      return e.queries.query(run, req.query, req.queryRejectCondition, ctx.onCancel);
    },

    RespondQueryTaskCompleted: (req) => {
      const token = decodeToken(req.taskToken);
      if (token.k !== 'q') throw invalidArgument('not a query task token');
      e.queries.answer(token.id, req);
      return {};
    },

    UpdateWorkflowExecution: async (req, ctx) => {
      const ns = e.namespace(req.namespace);
      const run = e.findRun(ns.name, req.workflowExecution, req.firstExecutionRunId);
      return e.updates.update(run, req, ctx.onCancel);
    },

    PollWorkflowExecutionUpdate: async (req, ctx) => {
      const ns = e.namespace(req.namespace);
      const run = e.findRun(ns.name, req.updateRef?.workflowExecution);
      return e.updates.poll(run, req, ctx.onCancel);
    },

    DescribeWorkflowExecution: (req) => {
      const ns = e.namespace(req.namespace);
      return describeExecution(e, e.findRun(ns.name, req.execution));
    },

    GetWorkflowExecutionHistory: async (req, ctx) => {
      const ns = e.namespace(req.namespace);
      const run = e.findRun(ns.name, req.execution);
      if (req.historyEventFilterType === 'HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT') {
        return waitForCloseEvent(e, run, !!req.waitNewEvent, ctx.onCancel);
      }
      return historyPage(e, run, req, ctx.onCancel);
    },

    GetWorkflowExecutionHistoryReverse: (req) => {
      const ns = e.namespace(req.namespace);
      return historyReversePage(e.findRun(ns.name, req.execution), req);
    },

    ListWorkflowExecutions: (req) => listExecutions(e, e.namespace(req.namespace), req),
    ListOpenWorkflowExecutions: (req) => listExecutions(e, e.namespace(req.namespace), { ...req, pageSize: req.maximumPageSize, query: openQuery(req) }),
    ScanWorkflowExecutions: (req) => listExecutions(e, e.namespace(req.namespace), req),
    CountWorkflowExecutions: (req) => countExecutions(e, e.namespace(req.namespace), req),

    GetSearchAttributes: () => {
      const ns = e.namespace('default');
      return { keys: typesAsEnum({ ...ns.registry.system(), ...ns.registry.custom() }) };
    },

    // ------------------------------------------------------------ workers

    PollWorkflowTaskQueue: async (req, ctx) => {
      const ns = e.namespace(req.namespace);
      const name = req.taskQueue?.name;
      if (!name) return {};
      // A sticky poll (most of a worker's workflow pollers) waits on the worker's own sticky queue,
      // where the tasks of the runs it has cached are offered (engine/sticky.ts).
      const r = await e.workflowTasks.poll(e.queueKey(ns.name, name), req.identity ?? '', ctx.onCancel, ctx.deadlineMs);
      return r ?? {};
    },

    RespondWorkflowTaskCompleted: (req) => {
      const token = decodeToken(req.taskToken);
      if (token.k !== 'w') throw invalidArgument('not a workflow task token');
      const run = e.startedWorkflowTask(token.ns, token.r, token.s, token.a);
      // Before the commands are applied: the next task they schedule already goes to the sticky queue.
      e.sticky.onCompleted(run, req.stickyAttributes);
      const completed = e.commands.complete(run, req);
      // Queries that went with the task, answered once its commands are in (engine/queries.ts attach).
      e.queries.answerAttached(req.queryResults);
      return completed;
    },

    RespondWorkflowTaskFailed: (req) => {
      const token = decodeToken(req.taskToken);
      if (token.k !== 'w') throw invalidArgument('not a workflow task token');
      const run = e.startedWorkflowTask(token.ns, token.r, token.s, token.a);
      e.retryWorkflowTask(run, 'WORKFLOW_TASK_FAILED', {
        cause: req.cause ?? 'WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED',
        failure: req.failure,
        identity: req.identity,
        binaryChecksum: req.binaryChecksum,
      });
      return {};
    },

    PollActivityTaskQueue: async (req, ctx) => {
      const ns = e.namespace(req.namespace);
      const name = req.taskQueue?.name;
      if (!name) return {};
      const r = await e.activityTasks.poll(e.queueKey(ns.name, name), req.identity ?? '', ctx.onCancel, ctx.deadlineMs, pollerRate(req.taskQueueMetadata));
      return r ?? {};
    },

    RespondActivityTaskCompleted: (req) => {
      const { run, act } = activityFromToken(req.taskToken);
      e.activities.completed(run, act, req.result, req.identity);
      return {};
    },
    RespondActivityTaskFailed: (req) => {
      const { run, act } = activityFromToken(req.taskToken);
      e.activities.failed(run, act, req.failure, req.identity, req.lastHeartbeatDetails);
      return {};
    },
    RespondActivityTaskCanceled: (req) => {
      const { run, act } = activityFromToken(req.taskToken);
      e.activities.canceled(run, act, req.details, req.identity);
      return {};
    },
    RecordActivityTaskHeartbeat: (req) => {
      const { run, act } = activityFromToken(req.taskToken);
      return e.activities.heartbeat(run, act, req.details);
    },
    RespondActivityTaskCompletedById: (req) => {
      const { run, act } = activityById(req);
      e.activities.completed(run, act, req.result, req.identity);
      return {};
    },
    RespondActivityTaskFailedById: (req) => {
      const { run, act } = activityById(req);
      e.activities.failed(run, act, req.failure, req.identity, req.lastHeartbeatDetails);
      return {};
    },
    RespondActivityTaskCanceledById: (req) => {
      const { run, act } = activityById(req);
      e.activities.canceled(run, act, req.details, req.identity);
      return {};
    },
    RecordActivityTaskHeartbeatById: (req) => {
      const { run, act } = activityById(req);
      return e.activities.heartbeat(run, act, req.details);
    },

    ShutdownWorker: (req) => {
      const ns = e.namespace(req.namespace);
      if (req.stickyTaskQueue) e.sticky.workerGone(ns.name, req.stickyTaskQueue);
      return {};
    },

    ResetStickyTaskQueue: (req) => {
      const ns = e.namespace(req.namespace);
      e.sticky.reset(e.findRun(ns.name, req.execution));
      return {};
    },
    DescribeTaskQueue: (req) => describeTaskQueue(e, req),
  });

  function activityFromToken(taskToken: string | undefined) {
    const token = decodeToken(taskToken);
    if (token.k !== 'a') throw invalidArgument('not an activity task token');
    return e.activities.lookup(token.ns, token.r, token.s, token.a);
  }

  function activityById(req: Obj) {
    const ns = e.namespace(req.namespace);
    const run = e.findOpenRun(ns.name, { workflowId: req.workflowId, runId: req.runId });
    const act = Object.values(run.activities).find((a) => a.activityId === req.activityId);
    if (!act) throw notFound(`activity ${req.activityId} not found`);
    return e.activities.lookup(ns.name, run.runId, act.scheduledEventId, act.attempt);
  }

  function namespaceInfo(ns: { name: string; id: string; description: string; retentionDays: number }) {
    return {
      namespaceInfo: { name: ns.name, state: 'NAMESPACE_STATE_REGISTERED', description: ns.description, id: ns.id, capabilities: {} },
      config: {
        workflowExecutionRetentionTtl: duration(ns.retentionDays * 86_400_000),
        historyArchivalState: 'ARCHIVAL_STATE_DISABLED',
        visibilityArchivalState: 'ARCHIVAL_STATE_DISABLED',
      },
      replicationConfig: { activeClusterName: 'active', clusters: [{ clusterName: 'active' }], state: 'REPLICATION_STATE_NORMAL' },
      isGlobalNamespace: false,
    };
  }

  function alreadyExistsNs() {
    // The SDK's test utilities treat exactly this message as success.
    return alreadyExists('Namespace already exists.');
  }

}

/**
 * The SDK's core compresses every request with gzip unless the server refuses it when the
 * connection is made: GetSystemInfo answered UNIMPLEMENTED with a decompressor message (the wording
 * of a Go server without gzip) makes it reconnect without compression. grpc-js decompresses each
 * request with a zlib stream of its own, which cost as much of the server's CPU as encoding the
 * histories, while requests to a local server gain nothing from compression.
 * TEMPORAL_DEV_ACCEPT_GZIP=1 keeps accepting gzip (for a client without that fallback).
 */
function rejectGzip(encoding: string | undefined): void {
  if (encoding && encoding !== 'identity' && process.env.TEMPORAL_DEV_ACCEPT_GZIP !== '1') {
    throw new RpcError(Code.UNIMPLEMENTED, `grpc: Decompressor is not installed for grpc-encoding "${encoding}"`);
  }
}

/** The filters of the legacy ListOpenWorkflowExecutions as a list query (its order is the default one). */
function openQuery(req: Obj): string {
  const quote = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const parts = ['ExecutionStatus = "Running"'];
  if (req.executionFilter?.workflowId) parts.push(`WorkflowId = ${quote(req.executionFilter.workflowId)}`);
  if (req.typeFilter?.name) parts.push(`WorkflowType = ${quote(req.typeFilter.name)}`);
  return parts.join(' AND ');
}

/** `taskQueueMetadata.maxTasksPerSecond` (a DoubleValue wrapper) of an activity poll, or the server default. */
function pollerRate(meta: Obj | undefined): number {
  const v = meta?.maxTasksPerSecond;
  const n = typeof v === 'number' ? v : Number(v?.value);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_POLLER_RPS;
}

export function typesAsEnum(types: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(types)) out[k] = `INDEXED_VALUE_TYPE_${v.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
  return out;
}
