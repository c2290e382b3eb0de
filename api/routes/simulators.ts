/**
 * The simulated providers' controls, for trying the platform where it runs them (`npm start`, and
 * the tests): what the warehouse system says of an order, what a carrier's tracking says of a
 * parcel, and whether the bank settles a refund or sends it back. Real providers know these themselves; without the controls a refund before shipping could
 * only meet an order not yet picked, and a tracking inquiry or a delay only a parcel without a trace
 * (README, "Trying it out"). What couriers push (tracking events, claim decisions) has its own signed
 * callbacks, which work the same with the simulators.
 *
 * Registered only when the API runs in the process of the simulators it controls: app/platform.ts,
 * which only `npm start` (always in development mode, app/start.ts) and the tests start. The
 * production entry points (`npm run api`, `npm run worker`) run the API and the simulators in
 * different processes and never have them. The simulators serve every merchant of the platform
 * (an order id is the warehouse's, not a merchant's), so only an admin drives them. What is set here
 * is held in memory: a restart forgets it.
 */
import { Type } from 'typebox';
import type { Adapters } from '../../adapters/index.js';
import type { ApiDeps } from '../context.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { trimParcelIdentifiers } from '../parcel-identifiers.js';
import { reportedTimeProblem } from '../reported-times.js';
import { Carrier, Instant, TrackingNumber } from '../schemas.js';
import type { ApiApp } from '../typed-app.js';
import { OneOf, Text } from '../validation-problems.js';

const FULFILMENT_STATUSES = ['NOT_PICKED', 'PICKED', 'PACKED', 'SHIPPED', 'CANCELLED'] as const;
const TRACKING_STATUSES = ['PICKED_UP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION', 'RETURNING'] as const;

const OrderParams = Type.Object({ orderId: Text(64) }, { additionalProperties: false });
const SimulatedOrderBody = Type.Object(
  {
    status: OneOf(FULFILMENT_STATUSES, {
      description:
        'what the warehouse system answers for the order from now on. NOT_PICKED: a refund before shipping cancels it and refunds at once; PICKED or PACKED: the merchant decides first (the policy says for which reasons), and a cancel reverses the outbound; SHIPPED: it cannot be cancelled — with a carrier and tracking number the case has the parcel brought back (FOUND_SHIPPED, then AWAITING_INTERCEPTED_PARCEL) and refunds it once scanned in and inspected; without a tracking number it closes ALREADY_SHIPPED, the customer told to refuse or return the parcel',
    }),
    carrier: Type.Optional(Carrier),
    trackingNumber: Type.Optional(TrackingNumber),
    shippedAt: Type.Optional(Instant({ description: 'when it left, epoch milliseconds (SHIPPED only; default now)' })),
  },
  { additionalProperties: false, examples: [{ status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF1400000000091' }, { status: 'PICKED' }] },
);
const SimulatedOrder = Type.Object({
  orderId: Type.String(),
  status: OneOf(FULFILMENT_STATUSES),
  outboundId: Type.Optional(Type.String({ description: 'the outbound document, once picked' })),
  carrier: Type.Optional(Type.String()),
  trackingNumber: Type.Optional(Type.String()),
  shippedAt: Type.Optional(Type.Integer()),
});

const TrackingEventBody = Type.Object(
  {
    carrier: Carrier,
    trackingNumber: TrackingNumber,
    status: OneOf(TRACKING_STATUSES, { description: "the parcel's status in the carrier's tracking after this scan" }),
    code: Text(32, { description: "the carrier's scan code (IN_TRANSIT, SIGNED …)" }),
    description: Text(500, { description: 'the scan in words, as a tracking page shows it' }),
    location: Type.Optional(Text(200)),
    at: Type.Optional(Instant({ description: 'when the scan happened, epoch milliseconds; not in the future; default now' })),
  },
  {
    additionalProperties: false,
    examples: [
      { carrier: 'SF', trackingNumber: 'SF1400000000091', status: 'IN_TRANSIT', code: 'IN_TRANSIT', description: '快件已到达杭州转运中心', location: '杭州' },
      { carrier: 'SF', trackingNumber: 'SF1400000000091', status: 'DELIVERED', code: 'SIGNED', description: '已签收，签收人：本人' },
    ],
  },
);
const TraceQuery = Type.Object({ carrier: Carrier, trackingNumber: TrackingNumber }, { additionalProperties: false });
const SimulatedTrace = Type.Object({
  carrier: Type.String(),
  trackingNumber: Type.String(),
  status: Type.String({ description: 'NO_TRACE until a scan is recorded' }),
  events: Type.Array(Type.Object({ at: Type.Integer(), code: Type.String(), description: Type.String(), location: Type.Optional(Type.String()) }), { description: 'oldest first' }),
  deliveredAt: Type.Optional(Type.Integer()),
});

const PaymentSettlementBody = Type.Object(
  { refundsPending: Type.Boolean({ description: 'true: refunds from now on are accepted PENDING (the bank has not settled them) until settled or sent back below; false: paid at once (the default)' }) },
  { additionalProperties: false, examples: [{ refundsPending: true }] },
);
const RefundParams = Type.Object({ refundId: Text(200) }, { additionalProperties: false });
const RefundSettlementBody = Type.Object(
  {
    outcome: OneOf(['SUCCEEDED', 'FAILED'] as const, { description: 'SUCCEEDED: the bank settled it; FAILED: the bank sent it back (the case hears it at its next check: docs/refund-settlement.md)' }),
    reason: Type.Optional(Text(64, { description: 'FAILED only: why the bank sent it back, as the provider says it (default ACCOUNT_CLOSED)' })),
  },
  { additionalProperties: false, examples: [{ outcome: 'FAILED', reason: 'ACCOUNT_CLOSED' }, { outcome: 'SUCCEEDED' }] },
);
const SimulatedRefund = Type.Object({ refundId: Type.String(), orderId: Type.String(), status: Type.String(), amountMinor: Type.Integer(), currency: Type.String(), failureReason: Type.Optional(Type.String()) });

const ADMIN = { roles: ['ADMIN'] as const };
const HOW = 'A control of the simulated provider, present only where the platform runs it (`npm start`; never `npm run api`), for the admin: the simulators serve every merchant. Held in memory until the platform stops.';

export function simulatorRoutes(app: ApiApp, deps: ApiDeps, simulators: Adapters['simulators']): void {
  const now = () => deps.now?.() ?? Date.now();
  const { warehouse, courier, payment } = simulators;

  if (payment) {
    app.put('/v1/simulators/payment/settlement', { config: ADMIN, schema: { response: { 200: PaymentSettlementBody }, tags: ['simulators'], summary: 'Whether the simulated payment provider accepts refunds as PENDING (the bank not settled yet) or pays them at once', description: `${HOW} A pending refund is followed by the worker until it is settled or sent back (POST …/refunds/{refundId}/settlement).`, body: PaymentSettlementBody } }, async (request) => {
      payment.holdRefunds(request.body.refundsPending);
      return { refundsPending: request.body.refundsPending };
    });

    app.post('/v1/simulators/payment/refunds/:refundId/settlement', { config: ADMIN, schema: { response: { 200: SimulatedRefund }, tags: ['simulators'], summary: 'The bank settles a pending refund, or sends it back', description: `${HOW} The refund id is the ledger's reference of the case's REFUND. What the bank did is heard at the refund's next check by the worker (a minute after it was paid, then after 5, 15 and 60 minutes, then every 6 hours); sent back, the case is escalated and the customer told.`, params: RefundParams, body: RefundSettlementBody } }, async (request) => {
      const { refundId } = request.params;
      const { outcome, reason } = request.body;
      await payment.catchUp(refundId);
      const refund = payment.refunds.find((r) => r.refundId === refundId);
      if (!refund) throw notFound(`refund ${refundId}`);
      if (refund.status !== 'PENDING') throw conflict(`refund ${refundId} is ${refund.status}: only a pending refund is settled or sent back`);
      if (reason !== undefined && outcome !== 'FAILED') throw badRequest('body.reason', 'is for a refund sent back (FAILED) only');
      if (outcome === 'SUCCEEDED') await payment.settleRefund(refundId);
      else await payment.failRefund(refundId, reason);
      return payment.getRefund(refundId);
    });
  }

  if (warehouse) {
    app.get('/v1/simulators/warehouse/orders/:orderId', { config: ADMIN, schema: { response: { 200: SimulatedOrder }, tags: ['simulators'], summary: 'What the simulated warehouse system says of an order', description: `${HOW} An order never set is NOT_PICKED.`, params: OrderParams } }, async (request) => {
      const order = warehouse.fulfilmentOf(request.params.orderId);
      if (!order) throw notFound(`order ${request.params.orderId}`);
      return order;
    });

    app.put('/v1/simulators/warehouse/orders/:orderId', { config: ADMIN, schema: { response: { 200: SimulatedOrder }, tags: ['simulators'], summary: 'Sets what the simulated warehouse system says of an order (picked, shipped …)', description: `${HOW} Cases ask it when they need to know: a refund before shipping when it opens, and again after the merchant decided.`, params: OrderParams, body: SimulatedOrderBody } }, async (request) => {
      const { orderId } = request.params;
      const { status, carrier, trackingNumber, shippedAt } = request.body;
      if (trackingNumber && !carrier) throw badRequest('body.carrier', 'is required with a tracking number');
      if (status !== 'SHIPPED') for (const [field, v] of Object.entries({ carrier, trackingNumber, shippedAt })) if (v !== undefined) throw badRequest(`body.${field}`, `is for a SHIPPED order only, not ${status}`);
      const late = shippedAt === undefined ? undefined : reportedTimeProblem(shippedAt, now());
      if (late) throw badRequest('body.shippedAt', late);
      // Picked goods have an outbound document: cancelling the order reverses it (the case books the reversal).
      const outboundId = status === 'NOT_PICKED' ? undefined : `ob_${orderId}`;
      warehouse.setOrder({ orderId, status, ...(outboundId ? { outboundId } : {}), ...(carrier ? { carrier } : {}), ...(trackingNumber ? { trackingNumber } : {}), ...(status === 'SHIPPED' ? { shippedAt: shippedAt ?? now() } : {}) });
      return warehouse.fulfilmentOf(orderId)!;
    });
  }

  if (courier) {
    // A parcel in a query is named as in a body ("sf", "顺丰", "sf 1400 …"): normalised before the schema checks it.
    app.get('/v1/simulators/courier/traces', { config: ADMIN, preValidation: async (request) => trimParcelIdentifiers(request.query), schema: { response: { 200: SimulatedTrace }, tags: ['simulators'], summary: "What the simulated carrier's tracking says of a parcel", description: `${HOW} A parcel without a recorded scan is NO_TRACE.`, querystring: TraceQuery } }, (request) => {
      const parcel = { carrier: request.query.carrier, trackingNumber: request.query.trackingNumber };
      return { ...parcel, ...courier.traceOf(parcel) };
    });

    app.post('/v1/simulators/courier/tracking-events', { config: ADMIN, schema: { response: { 200: SimulatedTrace }, tags: ['simulators'], summary: "Records a scan in the simulated carrier's tracking of a parcel", description: `${HOW} This is what a case reads when it traces the parcel (a tracking inquiry or a delay when it opens, a lost parcel while it waits, a refund after shipping before it intercepts). It does not tell the cases: a carrier's push is POST /v1/couriers/{carrier}/events, signed.`, body: TrackingEventBody } }, async (request) => {
      const { carrier, trackingNumber, status, code, description, location, at } = request.body;
      const late = at === undefined ? undefined : reportedTimeProblem(at, now());
      if (late) throw badRequest('body.at', late);
      courier.recordScan({ carrier, trackingNumber }, { at: at ?? now(), code, description, ...(location ? { location } : {}) }, status);
      return { carrier, trackingNumber, ...courier.traceOf({ carrier, trackingNumber }) };
    });
  }
}

