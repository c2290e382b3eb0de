/**
 * The fulfilment case types over HTTP: the storefront opens them, the warehouse reports its
 * tasks, the customer chooses. Each action is a workflow update, so a wrong stage is a 409 with
 * the workflow's reason and nothing reaches the case's history.
 */
import type { ApiApp } from '../typed-app.js';
import { alreadyShippedProblems, delayOpeningProblems, lostShipmentProblems, paidValueMinor, validateDamageReport, validateOrder, validateOrderLines } from '../../domain/index.js';
import { assessDamage, chooseRemedy, confirmDispatch, reportWrongItem, recordDelayCause, recordMisuseFinding, recordRepair, reportReshipment, reportWarehouseCheck, type DamageAssessment, type DelayCauseReport } from '../../workflows/contract.js';
import type { DeliveryDelayInput } from '../../workflows/delivery-delay.js';
import type { LostParcelInput } from '../../workflows/lost-parcel.js';
import type { MissingItemsInput } from '../../workflows/missing-items.js';
import type { QualityProblemInput } from '../../workflows/quality-problem.js';
import type { TrackingInquiryInput } from '../../workflows/tracking-inquiry.js';
import type { TransitDamageInput } from '../../workflows/transit-damage.js';
import type { WrongItemInput } from '../../workflows/wrong-item.js';
import type { RefundNotShippedInput } from '../../workflows/refund-not-shipped.js';
import type { RefundShippedInput } from '../../workflows/refund-shipped.js';
import { principalOf } from '../auth.js';
import { CommandReply, runUpdate } from '../commands.js';
import { actorOf, CUSTOMER_ANSWER_BY_STAFF, CUSTOMER_ANSWER_ROLES, enteredFor, visibleCase, type ApiDeps } from '../context.js';
import { badRequest } from '../errors.js';
import { assertOpening, merchantOf, openCase, referenceOf, sendOpened } from '../open-case.js';
import { CaseParams } from '../schemas.js';
import { DamageAssessmentBody, DelayCauseBody, OpenDamageBody, OpenTrackingInquiryBody, OpenWrongItemBody, WrongItemFindingsBody, DispatchConfirmationBody, MisuseFindingBody, OpenDelayBody, OpenLostParcelBody, OpenQualityProblemBody, RepairBody, OpenMissingItemsBody, OpenRefundAfterShippingBody, OpenRefundBeforeShippingBody, RemedyChoiceBody, ReshipmentBody, WarehouseCheckBody } from '../schemas-fulfilment.js';
import { OpenedResponses } from '../responses.js';
import { assertNewOutboundParcel } from '../return-parcels.js';

export function fulfilmentRoutes(app: ApiApp, deps: ApiDeps): void {
  const param = (request: { params: unknown }) => (request.params as { caseId: string }).caseId;

  app.post('/v1/missing-items', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a missing-items case (少货)', body: OpenMissingItemsBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = [...validateOrder(body.order), ...validateOrderLines(body.order, body.missing, 'missing')];
    assertOpening(deps, body.order, problems);
    const evidenceUrls = body.evidenceUrls ?? [];
    const opened = await openCase<MissingItemsInput>(deps, request, merchantId, {
      type: 'MISSING_ITEMS',
      workflow: 'missingItems',
      reference: referenceOf(request),
      order: body.order,
      customer: body.customer,
      request: { missing: body.missing, evidenceUrls },
      requestedAmountMinor: paidValueMinor(body.order, body.missing),
      summary: 'Missing items',
      evidence: { urls: evidenceUrls, addedBy: `customer:${body.customer.id}` },
      // The fulfilment thresholds travel with the case (its policy version), like the return rules.
      input: (c) => ({ ...c, order: body.order, missing: body.missing, evidenceUrls, customer: body.customer }),
    });
    return sendOpened(reply, opened);
  });

  app.post('/v1/refunds-before-shipping', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a refund before shipping (仅退款-未发货); the merchant answers through /proposals', body: OpenRefundBeforeShippingBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = [...validateOrder(body.order), ...alreadyShippedProblems(body.order)];
    assertOpening(deps, body.order, problems);
    const opened = await openCase<RefundNotShippedInput>(deps, request, merchantId, {
      type: 'REFUND_NOT_SHIPPED',
      workflow: 'refundNotShipped',
      reference: referenceOf(request),
      order: body.order,
      customer: body.customer,
      request: { reason: body.reason, note: body.note },
      requestedAmountMinor: body.order.paidTotalMinor,
      summary: 'Refund before shipping',
      input: (c) => ({ ...c, order: body.order, reason: body.reason as RefundNotShippedInput['reason'], ...(body.note ? { note: body.note } : {}), customer: body.customer }),
    });
    return sendOpened(reply, opened);
  });

  app.post('/v1/refunds-after-shipping', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a refund after shipping (仅退款-已发货): interception, return, inspection, refund', body: OpenRefundAfterShippingBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = validateOrder(body.order);
    assertOpening(deps, body.order, problems);
    const opened = await openCase<RefundShippedInput>(deps, request, merchantId, {
      type: 'REFUND_SHIPPED',
      workflow: 'refundShipped',
      reference: referenceOf(request),
      order: body.order,
      customer: body.customer,
      request: { reason: body.reason, shipment: body.shipment },
      requestedAmountMinor: body.order.paidTotalMinor,
      summary: 'Refund after shipping',
      input: (c) => ({ ...c, order: body.order, shipment: body.shipment, reason: body.reason, customer: body.customer }),
    });
    return sendOpened(reply, opened);
  });

  app.post('/v1/delays', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a delivery-delay case (延误)', body: OpenDelayBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = [...validateOrder(body.order), ...delayOpeningProblems(body.order, body.etaAt)];
    assertOpening(deps, body.order, problems);
    const opened = await openCase<DeliveryDelayInput>(deps, request, merchantId, {
      type: 'DELAY',
      workflow: 'deliveryDelay',
      reference: referenceOf(request),
      order: body.order,
      customer: body.customer,
      request: { shipment: body.shipment, etaAt: body.etaAt },
      requestedAmountMinor: 0,
      summary: 'Delivery delay',
      input: (c) => ({ ...c, order: body.order, shipment: body.shipment, etaAt: body.etaAt, customer: body.customer }),
    });
    return sendOpened(reply, opened);
  });

  app.post('/v1/cases/:caseId/delay-cause', { config: { roles: ['AGENT', 'SUPERVISOR'] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: "Why the parcel is late (the courier's answer)", params: CaseParams, body: DelayCauseBody } }, async (request) => {
    const c = await visibleCase(deps, request, param(request));
    const body = request.body;
    return runUpdate(deps, request, c, recordDelayCause, { ...body, cause: body.cause as DelayCauseReport['cause'], by: actorOf(request) });
  });

  app.post('/v1/lost-parcels', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a lost-parcel case (货物丢失)', body: OpenLostParcelBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = [...validateOrder(body.order), ...validateOrderLines(body.order, body.lines, 'lines'), ...lostShipmentProblems(body.order, body.shipment, deps.now?.() ?? Date.now())];
    assertOpening(deps, body.order, problems);
    const opened = await openCase<LostParcelInput>(deps, request, merchantId, {
      type: 'LOST_PARCEL',
      workflow: 'lostParcel',
      reference: referenceOf(request),
      order: body.order,
      customer: body.customer,
      request: { shipment: body.shipment, lines: body.lines },
      requestedAmountMinor: paidValueMinor(body.order, body.lines),
      summary: 'Lost parcel',
      input: (c) => ({ ...c, order: body.order, shipment: body.shipment, lines: body.lines, customer: body.customer }),
    });
    return sendOpened(reply, opened);
  });

  app.post('/v1/cases/:caseId/dispatch-confirmation', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'Did the lost parcel leave the warehouse (record, tracking number, proof)', params: CaseParams, body: DispatchConfirmationBody } }, async (request) => {
    const { trackingNumber, trackingNo, ...confirmation } = request.body;
    if (trackingNumber && trackingNo && trackingNumber !== trackingNo) throw badRequest('body.trackingNumber', `differs from trackingNo (${trackingNo}), its old name: send trackingNumber only`);
    const tracking = trackingNumber ?? trackingNo;
    if (confirmation.dispatched && !tracking) throw badRequest('body.trackingNumber', 'is required when dispatched is true: the tracking number the parcel left under');
    const c = await visibleCase(deps, request, param(request));
    // The workflow's own name for it (recorded inputs and running cases keep it).
    return runUpdate(deps, request, c, confirmDispatch, { ...confirmation, ...(tracking ? { trackingNo: tracking } : {}) });
  });

  app.post('/v1/quality-problems', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a quality-problem case (质量问题)', body: OpenQualityProblemBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = [...validateOrder(body.order), ...validateOrderLines(body.order, body.lines, 'lines')];
    assertOpening(deps, body.order, problems);
    const terms = await deps.repos.openingTerms(merchantId);
    const { returnAddress } = terms;
    const evidenceUrls = body.evidenceUrls ?? [];
    const opened = await openCase<QualityProblemInput>(deps, request, merchantId, {
      type: 'QUALITY_PROBLEM',
      workflow: 'qualityProblem',
      reference: referenceOf(request),
      terms,
      order: body.order,
      customer: body.customer,
      request: { lines: body.lines, description: body.description, evidenceUrls },
      requestedAmountMinor: paidValueMinor(body.order, body.lines),
      summary: 'Quality problem',
      evidence: { urls: evidenceUrls, addedBy: `customer:${body.customer.id}` },
      input: (c) => {
        return { ...c, order: body.order, lines: body.lines, description: body.description, evidenceUrls, hasRepairDepartment: c.fulfilment.rules.hasRepairDepartment, customer: body.customer, ...(returnAddress ? { returnAddress } : {}) };
      },
    });
    return sendOpened(reply, opened);
  });

  app.post('/v1/cases/:caseId/misuse-finding', { config: { roles: ['AGENT', 'SUPERVISOR'] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: 'Was it misuse? (established with the customer)', params: CaseParams, body: MisuseFindingBody } }, async (request) => {
    const c = await visibleCase(deps, request, param(request));
    const body = request.body;
    return runUpdate(deps, request, c, recordMisuseFinding, { ...body, by: actorOf(request) });
  });

  app.post('/v1/cases/:caseId/repair', { config: { roles: ['WAREHOUSE', 'AGENT'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'A repair done: fault cause, method, parts, labour', params: CaseParams, body: RepairBody } }, async (request) => {
    const c = await visibleCase(deps, request, param(request));
    return runUpdate(deps, request, c, recordRepair, request.body);
  });

  app.post('/v1/transit-damage', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a transit-damage case (运输破损): photos first', body: OpenDamageBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    // A shop without handles (旺旺名 is Taobao's) names the customer by its own id in the register.
    const report = { customerHandle: body.customerHandle ?? body.customer.id, lines: body.lines, degree: body.degree, photoUrls: body.photoUrls };
    const shippedAt = body.shipment.shippedAt ?? body.order.shippedAt;
    const shipment = { ...body.shipment, shippedAt: shippedAt! };
    const problems = [...validateOrder(body.order), ...validateDamageReport(body.order, report), ...(shippedAt === undefined ? [{ field: 'shipment.shippedAt', reason: 'is required when order.shippedAt is not given' }] : [])];
    assertOpening(deps, body.order, problems);
    const terms = await deps.repos.openingTerms(merchantId);
    const { returnAddress } = terms;
    const opened = await openCase<TransitDamageInput>(deps, request, merchantId, {
      type: 'TRANSIT_DAMAGE',
      workflow: 'transitDamage',
      reference: referenceOf(request),
      terms,
      order: body.order,
      customer: body.customer,
      request: { ...report, shipment },
      requestedAmountMinor: paidValueMinor(body.order, body.lines),
      summary: 'Transit damage',
      evidence: { urls: body.photoUrls, addedBy: `customer:${body.customer.id}` },
      input: (c) => ({ ...c, order: body.order, report, shipment, customer: body.customer, ...(returnAddress ? { returnAddress } : {}) }),
    });
    return sendOpened(reply, opened);
  });

  app.post('/v1/cases/:caseId/damage-assessment', { config: { roles: ['AGENT', 'SUPERVISOR', 'WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: 'Degree, cause and what is possible', params: CaseParams, body: DamageAssessmentBody } }, async (request) => {
    const c = await visibleCase(deps, request, param(request));
    const body = request.body;
    return runUpdate(deps, request, c, assessDamage, { ...body, cause: body.cause as DamageAssessment['cause'], by: actorOf(request) });
  });

  app.post('/v1/tracking-inquiries', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Where is my parcel / please hurry (查件 / 催件)', body: OpenTrackingInquiryBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = validateOrder(body.order);
    assertOpening(deps, body.order, problems);
    const opened = await openCase<TrackingInquiryInput>(deps, request, merchantId, {
      type: 'TRACKING_INQUIRY',
      workflow: 'trackingInquiry',
      reference: referenceOf(request),
      order: body.order,
      customer: body.customer,
      request: { shipment: body.shipment, promisedShipBy: body.promisedShipBy },
      requestedAmountMinor: 0,
      summary: 'Tracking inquiry',
      input: (c) => ({ ...c, order: body.order, ...(body.shipment ? { shipment: body.shipment } : {}), promisedShipBy: body.promisedShipBy, recipientName: body.recipientName, customer: body.customer }),
    });
    return sendOpened(reply, opened);
  });

  app.post('/v1/wrong-items', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a wrong-item case (错货): the barcode of what arrived first', body: OpenWrongItemBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = validateOrder(body.order);
    if (!body.order.items.some((i) => i.sku === body.orderedSku)) problems.push({ field: 'orderedSku', reason: `${body.orderedSku} is not part of order ${body.order.orderId}` });
    assertOpening(deps, body.order, problems);
    const terms = await deps.repos.openingTerms(merchantId);
    const { returnAddress } = terms;
    const evidenceUrls = body.evidenceUrls ?? [];
    const opened = await openCase<WrongItemInput>(deps, request, merchantId, {
      type: 'WRONG_ITEM',
      workflow: 'wrongItem',
      reference: referenceOf(request),
      terms,
      order: body.order,
      customer: body.customer,
      // The catalogue's barcodes with it: what arrived is known by them (the warehouse's list names it).
      request: { orderedSku: body.orderedSku, arrivedBarcode: body.arrivedBarcode, barcodes: body.barcodes, evidenceUrls },
      requestedAmountMinor: 0,
      summary: 'Wrong item',
      evidence: { urls: evidenceUrls, addedBy: `customer:${body.customer.id}` },
      input: (c) => ({ ...c, order: body.order, orderedSku: body.orderedSku, arrivedBarcode: body.arrivedBarcode, barcodes: body.barcodes, evidenceUrls, customer: body.customer, ...(returnAddress ? { returnAddress } : {}) }),
    });
    return sendOpened(reply, opened);
  });

  app.post('/v1/cases/:caseId/wrong-item-findings', { config: { roles: ['WAREHOUSE', 'AGENT'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'What was short and what came instead (outbound record, photos, weight)', params: CaseParams, body: WrongItemFindingsBody } }, async (request) => {
    const c = await visibleCase(deps, request, param(request));
    // An agent may report the findings too (from the warehouse's photos): the step names who did.
    const p = principalOf(request);
    return runUpdate(deps, request, c, reportWrongItem, { ...request.body, ...(p.role === 'AGENT' ? { reportedBy: { kind: 'agent' as const, id: p.id } } : {}) });
  });

  app.post('/v1/cases/:caseId/warehouse-check', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'The three records of a missing-items case', params: CaseParams, body: WarehouseCheckBody } }, async (request) => {
    const c = await visibleCase(deps, request, param(request));
    return runUpdate(deps, request, c, reportWarehouseCheck, request.body);
  });

  app.post('/v1/cases/:caseId/remedy-choice', { config: { roles: [...CUSTOMER_ANSWER_ROLES] }, schema: { response: { 200: CommandReply }, tags: ['customer'], summary: 'Refund or re-shipment', description: CUSTOMER_ANSWER_BY_STAFF, params: CaseParams, body: RemedyChoiceBody } }, async (request) => {
    const c = await visibleCase(deps, request, param(request));
    return runUpdate(deps, request, c, chooseRemedy, enteredFor(request, request.body));
  });

  app.post('/v1/cases/:caseId/reshipment', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'The re-shipment left: carrier and tracking number', params: CaseParams, body: ReshipmentBody } }, async (request) => {
    const c = await visibleCase(deps, request, param(request));
    await assertNewOutboundParcel(deps, c, request.body);
    return runUpdate(deps, request, c, reportReshipment, request.body);
  });
}
