import { invalidArgument } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { timestamp, type Obj } from '../proto.js';

/**
 * DescribeTaskQueue in its legacy mode (what the Web UI and `temporal task-queue describe` call):
 * the pollers of one task queue and type seen within the last 5 minutes (matching.ts keeps them per
 * queue, as the real server's poller history does). A sticky queue is a queue of its own, as on
 * the real server: a worker's sticky poller is listed when that sticky queue is described, and the
 * normal queue lists the worker because its pollers also poll the normal queue.
 */
export function describeTaskQueue(e: Engine, req: Obj): Obj {
  const ns = e.namespace(req.namespace);
  const name: unknown = req.taskQueue?.name;
  if (typeof name !== 'string' || name.length === 0) throw invalidArgument('TaskQueue is not set on request.');
  if (req.apiMode === 'DESCRIBE_TASK_QUEUE_MODE_ENHANCED') {
    throw invalidArgument('DescribeTaskQueue with DESCRIBE_TASK_QUEUE_MODE_ENHANCED (worker versioning) is not supported by this server');
  }
  // The real frontend treats an unspecified type as the workflow type.
  const activity = req.taskQueueType === 'TASK_QUEUE_TYPE_ACTIVITY';
  const matching = activity ? e.activityTasks : e.workflowTasks;
  const key = e.queueKey(ns.name, name);
  const pollers = matching
    .pollers(key)
    .sort((a, b) => b.lastAccessTime - a.lastAccessTime)
    .map((p) => ({ identity: p.identity, lastAccessTime: timestamp(p.lastAccessTime), ratePerSecond: p.ratePerSecond }));
  const res: Obj = { pollers };
  if (req.includeTaskQueueStatus) {
    res.taskQueueStatus = { backlogCountHint: String(matching.backlog(key)), readLevel: '0', ackLevel: '0', ratePerSecond: 100_000, taskIdBlock: { startId: '0', endId: '0' } };
  }
  return res;
}
