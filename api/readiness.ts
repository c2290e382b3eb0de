/**
 * GET /ready: the database and Temporal answer (503 names what does not), and whether a worker is
 * polling the case queue. The database must also hold this build's newest migration: an API on a
 * database never migrated (or not since an upgrade) answered "ok" here and 500 to every request. The worker is reported, not required: with `npm run worker` apart, the
 * API keeps accepting cases while workers restart (their workflows wait on the queue), so a load
 * balancer must not take the API out for it; a monitor reads `worker` to see that cases will move.
 */
import { migrationApplied, newestMigrationName } from '../db/migrations.js';
import { CASE_TASK_QUEUE } from '../workflows/contract.js';
import type { ApiDeps } from './context.js';

/** Read once: the migrations ship with the code. */
let newest: string | undefined | null = null;
const newestMigration = () => (newest === null ? (newest = newestMigrationName()) : newest);

/** A worker long-polls about once a minute on an idle queue; older than this, it is gone. */
const POLLED_WITHIN_MS = 2 * 60_000;
/** Load balancers and Kubernetes probes give up after a few seconds; answer before they do. */
const ANSWER_WITHIN_MS = 2_000;

export async function readiness(deps: ApiDeps): Promise<{ ready: boolean; body: { database: string; temporal: string; worker: string } }> {
  const { connection } = deps.temporal;
  const service = connection.workflowService;
  // A probe answers within its own timeout: the client's retries would hold an unreachable server's
  // answer for about 20 s, a stalled database pool for its own timeout.
  const deadline = Date.now() + ANSWER_WITHIN_MS;
  const migration = newestMigration();
  const [db, temporal, queue] = await Promise.allSettled([
    withinDeadline(migrationApplied(deps.repos.db, migration), deadline),
    connection.withDeadline(deadline, () => service.getSystemInfo({})),
    connection.withDeadline(deadline, () => service.describeTaskQueue({ namespace: deps.temporal.options.namespace, taskQueue: { name: CASE_TASK_QUEUE }, taskQueueType: 1 /* workflow */ })),
  ]);
  const status = (c: PromiseSettledResult<unknown>) => (c.status === 'fulfilled' ? 'ok' : 'unavailable');
  const database = db.status === 'rejected' ? 'unavailable' : db.value ? 'ok' : `not migrated (${migration} is not applied: npm run migrate)`;
  const body = { database, temporal: status(temporal), worker: queue.status === 'fulfilled' ? (polledLately(queue.value.pollers ?? []) ? 'polling' : 'none polling') : 'unknown' };
  return { ready: body.database === 'ok' && body.temporal === 'ok', body };
}

function polledLately(pollers: Array<{ lastAccessTime?: { seconds?: unknown; nanos?: number | null } | null }>): boolean {
  return pollers.some((p) => Date.now() - Number(p.lastAccessTime?.seconds ?? 0) * 1000 < POLLED_WITHIN_MS);
}

async function withinDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer in time')), deadline - Date.now())));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
