import type { Engine } from '../engine/engine.js';
import { isStandaloneToken, standaloneActivities } from '../engine/standalone-activities.js';
import { decodeToken } from '../engine/tokens.js';
import type { Handler, Handlers } from '../grpc.js';
import type { Obj } from '../proto.js';

/**
 * Standalone activities (`client.activity`): Start / Describe / PollActivityExecution (the outcome
 * long poll) / RequestCancel / Terminate / List / Count ActivityExecutions; and the worker calls
 * (`RespondActivityTask…`, `RecordActivityTaskHeartbeat…`) routed here when their task token is a
 * standalone activity's, or, for the `…ById` calls, when they name no workflow id. Everything else
 * goes to the workflow handlers in `inner`.
 */
export function withStandaloneActivities(e: Engine, inner: Handlers): Handlers {
  const m = () => standaloneActivities(e);
  const ns = (req: Obj) => e.namespace(req.namespace).name;

  /** A worker call: by task token when the token is a standalone activity's, else the workflow handler. */
  const byToken =
    (name: string, fn: (req: Obj, found: ReturnType<ReturnType<typeof m>['fromToken']>) => Obj): Handler =>
    (req, ctx) => {
      const token = decodeToken(req.taskToken);
      if (!isStandaloneToken(token)) return inner[name]!(req, ctx);
      return fn(req, m().fromToken(token));
    };
  const byId =
    (name: string, fn: (req: Obj, found: ReturnType<ReturnType<typeof m>['byId']>) => Obj): Handler =>
    (req, ctx) => {
      if (req.workflowId) return inner[name]!(req, ctx);
      return fn(req, m().byId(ns(req), req.activityId, req.runId));
    };

  /** Long polls answer empty just before the caller's deadline (or the server's long-poll limit). */
  const pollBudget = (deadlineMs: number | undefined) => Math.min(e.options.longPollMs, deadlineMs ?? Infinity);

  return {
    ...inner,

    StartActivityExecution: (req) => m().start(ns(req), req),

    DescribeActivityExecution: async (req, ctx) => {
      let a = m().find(ns(req), req.activityId, req.runId);
      if (req.longPollToken && m().unchangedSince(a, req.longPollToken)) {
        await m().waitForChange(a, pollBudget(ctx.deadlineMs), ctx.onCancel);
        a = m().find(ns(req), req.activityId, a.runId);
        if (m().unchangedSince(a, req.longPollToken)) return {};
      }
      return m().describe(a, req);
    },

    PollActivityExecution: async (req, ctx) => {
      const a = m().find(ns(req), req.activityId, req.runId);
      const until = Date.now() + pollBudget(ctx.deadlineMs);
      let cancelled = false;
      ctx.onCancel(() => (cancelled = true));
      while (a.status === 'Running' && !cancelled && Date.now() < until) {
        await m().waitForChange(a, until - Date.now(), ctx.onCancel);
      }
      if (a.status === 'Running') return {};
      return { runId: a.runId, outcome: a.outcome };
    },

    RequestCancelActivityExecution: (req) => {
      m().requestCancel(m().find(ns(req), req.activityId, req.runId), req);
      return {};
    },

    TerminateActivityExecution: (req) => {
      m().terminate(m().find(ns(req), req.activityId, req.runId), req);
      return {};
    },

    ListActivityExecutions: (req) => m().list(ns(req), req),
    CountActivityExecutions: (req) => m().count(ns(req), req),

    RespondActivityTaskCompleted: byToken('RespondActivityTaskCompleted', (req, { a, act }) => {
      m().completed(a, act, req.result, req.identity);
      return {};
    }),
    RespondActivityTaskFailed: byToken('RespondActivityTaskFailed', (req, { a, act }) => {
      m().failed(a, act, req.failure, req.identity, req.lastHeartbeatDetails);
      return {};
    }),
    RespondActivityTaskCanceled: byToken('RespondActivityTaskCanceled', (req, { a, act }) => {
      m().canceled(a, act, req.details, req.identity);
      return {};
    }),
    RecordActivityTaskHeartbeat: byToken('RecordActivityTaskHeartbeat', (req, { a, act }) => m().recordHeartbeat(a, act, req.details)),

    RespondActivityTaskCompletedById: byId('RespondActivityTaskCompletedById', (req, { a, act }) => {
      m().completed(a, act, req.result, req.identity);
      return {};
    }),
    RespondActivityTaskFailedById: byId('RespondActivityTaskFailedById', (req, { a, act }) => {
      m().failed(a, act, req.failure, req.identity, req.lastHeartbeatDetails);
      return {};
    }),
    RespondActivityTaskCanceledById: byId('RespondActivityTaskCanceledById', (req, { a, act }) => {
      m().canceled(a, act, req.details, req.identity);
      return {};
    }),
    RecordActivityTaskHeartbeatById: byId('RecordActivityTaskHeartbeatById', (req, { a, act }) => m().recordHeartbeat(a, act, req.details)),
  };
}
