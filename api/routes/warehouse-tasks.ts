/**
 * The warehouse's work list: every case waiting on the warehouse (a parcel to receive, a return to
 * inspect, records to check, a re-shipment to pack), the soonest deadline first, late ones marked.
 * The tasks are done through the case's own routes (arrival scan, inspection, warehouse check,
 * re-shipment), which signal the case's workflow.
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { Report } from '../responses.js';

/** What the warehouse is asked to do at each stage that waits on it. */
const TASKS: Record<string, string> = {
  AWAITING_ARRIVAL: 'RECEIVE_RETURN',
  AWAITING_INSPECTION: 'INSPECT_RETURN',
  AWAITING_WAREHOUSE_CHECK: 'VERIFY_DISPATCH',
  AWAITING_RESHIPMENT: 'PACK_RESHIPMENT',
};

const TaskQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false });

export function warehouseTaskRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/v1/warehouse/tasks', { config: { roles: ['WAREHOUSE', 'SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: Report('{ items: [{ caseId, type, stage, task, dueAt, late, escalated, orderId, returnTrackingNumber }] } — soonest deadline first') }, tags: ['warehouse'], summary: 'Cases waiting on the warehouse, soonest deadline first', querystring: TaskQuery } }, async (request) => {
    const p = principalOf(request);
    const { limit } = request.query as Static<typeof TaskQuery>;
    const cases = await deps.repos.waitingOnWarehouse(p.role === 'ADMIN' ? undefined : (p.merchantId ?? undefined), limit ?? 50);
    return {
      items: cases.map((c) => ({
        caseId: c.id,
        type: c.type,
        stage: c.stage,
        task: TASKS[c.stage] ?? 'OTHER',
        dueAt: c.nextDeadlineAt,
        late: c.late,
        escalated: c.escalated,
        orderId: c.orderId,
        returnTrackingNumber: c.returnTrackingNumber,
      })),
    };
  });
}
