/** Tracking events pushed by couriers: signed per carrier (HMAC), recorded once per event id. */
import type { Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { caseWorkflowId, courierEvent } from '../../workflows/contract.js';
import type { ApiDeps } from '../context.js';
import { CourierEventBody, CourierParams } from '../schemas.js';
import { CourierEventAccepted } from '../responses.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

export function courierRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post('/v1/couriers/:carrier/events', { config: { auth: 'courier-signature' }, schema: { response: { 202: CourierEventAccepted }, tags: ['courier'], params: CourierParams, body: CourierEventBody } }, async (request, reply) => {
    const { carrier } = request.params as Static<typeof CourierParams>;
    const body = request.body as Static<typeof CourierEventBody>;
    const c = await deps.repos.caseByReturnTracking(body.trackingNumber);
    if (!c) return reply.status(202).send({ accepted: true, matched: false });
    const fresh = await deps.repos.recordCourierEvent(c.id, `courier:${carrier}:${body.eventId}`, { carrier, ...body });
    if (fresh && c.status !== 'CLOSED') {
      await deps.temporal.workflow.getHandle(caseWorkflowId(c.id)).signal(courierEvent, { carrier, trackingNumber: body.trackingNumber, code: body.code, description: body.description, at: body.at });
    }
    return reply.status(202).send({ accepted: true, matched: true, duplicate: !fresh });
  });
}
