/**
 * The schedule calls of temporal.api.workflowservice.v1.WorkflowService (engine/schedules.ts holds
 * the schedules). ListSchedules / CountSchedules take the list-filter language over one row per
 * schedule: `ScheduleId` (also as `WorkflowId`), `WorkflowType` (of the action), `TaskQueue`,
 * `StartTime` (creation), `ExecutionStatus = "Running"` and the schedule's custom search attributes.
 */
import type { Engine } from '../engine/engine.js';
import type { ScheduleState } from '../engine/schedules.js';
import type { Handlers } from '../grpc.js';
import type { Obj } from '../proto.js';
import { parseListQuery, type VisibilityRecord } from '../visibility/list-filter.js';
import { makeToken, parseToken } from './read-model.js';

const DEFAULT_PAGE_SIZE = 1000;

function record(s: ScheduleState): VisibilityRecord {
  const start = s.schedule.action?.startWorkflow ?? {};
  return {
    namespace: s.namespace,
    workflowId: s.scheduleId,
    runId: '',
    workflowType: start.workflowType?.name ?? '',
    status: 'Running',
    taskQueue: start.taskQueue?.name ?? '',
    startTime: s.createTime,
    executionTime: s.createTime,
    historyLength: 0,
    searchAttributes: s.searchAttributes,
  };
}

/** `ScheduleId` names the row's id (the real server rewrites it to the scheduler workflow's id). */
const rewriteQuery = (query: string | undefined) => (query ?? '').replace(/(^|[^\w`"'])ScheduleId(?=$|[^\w])/g, '$1WorkflowId');

export function scheduleHandlers(e: Engine): Handlers {
  const manager = () => {
    if (!e.schedules) throw new Error('schedules are not set up');
    return e.schedules;
  };
  const matching = (namespace: string, query: string | undefined) => {
    const ns = e.namespace(namespace);
    const parsed = parseListQuery(rewriteQuery(query), ns.registry);
    return manager()
      .list(ns.name)
      .filter((s) => parsed.matches(record(s)));
  };

  return {
    CreateSchedule: (req) => manager().create(e.namespace(req.namespace).name, req),
    DescribeSchedule: (req) => manager().describe(e.namespace(req.namespace).name, req.scheduleId),
    UpdateSchedule: (req) => manager().update(e.namespace(req.namespace).name, req),
    PatchSchedule: (req) => manager().patch(e.namespace(req.namespace).name, req),
    DeleteSchedule: (req) => manager().delete(e.namespace(req.namespace).name, req.scheduleId),
    ListScheduleMatchingTimes: (req) => manager().matchingTimes(e.namespace(req.namespace).name, req),
    ListSchedules: (req) => {
      const rows = matching(req.namespace, req.query);
      const offset = parseToken<{ o: number }>(req.nextPageToken, 'ListSchedules')?.o ?? 0;
      const size = Number(req.maximumPageSize) > 0 ? Math.min(Number(req.maximumPageSize), DEFAULT_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
      const page = rows.slice(offset, offset + size);
      const next = offset + page.length;
      return {
        schedules: page.map((s) => manager().listEntry(s)),
        nextPageToken: next < rows.length ? makeToken({ o: next }) : undefined,
      };
    },
    CountSchedules: (req) => ({ count: String(matching(req.namespace, req.query).length) }),
  } satisfies Record<string, (req: Obj) => Obj>;
}
