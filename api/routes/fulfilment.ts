/**
 * The fulfilment case types over HTTP: the storefront opens them, the warehouse reports its
 * tasks, the customer chooses. Each action is a workflow update, so a wrong stage is a 409 with
 * the workflow's reason and nothing reaches the case's history.
 */
import type { ApiApp } from '../typed-app.js';
import { alreadyShippedProblems, delayOpeningProblems, FOLLOWING_STAGES, lastFollowedParcel, lostShipmentProblems, paidValueMinor, validateDamageReport, validateOrder, validateOrderLines, validateWrongItemOpening } from '../../domain/index.js';
import { assessDamage, bringsShippedOrderBack, chooseRemedy, confirmDispatch, correctFollowedParcel, reportWrongItem, recordDelayCause, recordMisuseFinding, recordRepair, reportReshipment, reportWarehouseCheck } from '../../workflows/contract.js';
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
import { caseAsItIs, CommandReply, runUpdate, unlessAnsweredAlready } from '../commands.js';
import { carrierCodeOf } from '../../domain/carriers.js';
import { normaliseTrackingNumber } from '../../domain/tracking-number.js';
import { actorOf, CUSTOMER_ANSWER_BY_STAFF, CUSTOMER_ANSWER_ROLES, enteredFor, visibleCase, type ApiDeps } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import type { CaseSummary } from '../../db/repositories.js';
import { assertOpening, merchantOf, openCase, referenceOf, sendOpened } from '../open-case.js';
import { CaseParams } from '../schemas.js';
import { DamageAssessmentBody, DelayCauseBody, OpenDamageBody, OpenTrackingInquiryBody, OpenWrongItemBody, WrongItemFindingsBody, DispatchConfirmationBody, MisuseFindingBody, OpenDelayBody, OpenLostParcelBody, OpenQualityProblemBody, RepairBody, OpenMissingItemsBody, OpenRefundAfterShippingBody, OpenRefundBeforeShippingBody, ParcelCorrectionBody, RemedyChoiceBody, ReshipmentBody, WarehouseCheckBody } from '../schemas-fulfilment.js';
import { OpenedResponses } from '../responses.js';
import { assertNewOutboundParcel } from '../return-parcels.js';

export function fulfilmentRoutes(app: ApiApp, deps: ApiDeps): void {
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
      input: (c) => ({ ...c, order: body.order, reason: body.reason, ...(body.note ? { note: body.note } : {}), customer: body.customer }),
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

  app.post('/v1/cases/:caseId/delay-cause', { config: { roles: ['AGENT', 'SUPERVISOR'] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: "Why the parcel is late (the courier's answer)", description: 'Taken at AWAITING_DELAY_CAUSE: a delivery-delay case whose parcel had not arrived by its promised `etaAt` when the case opened, so the courier was asked why; an agent records the answer (reminded while it is missing). A courier’s cause (TRAFFIC, WEATHER, ROUTE_CHANGE, COURIER_OTHER) is explained to the customer with the new arrival time, `newEtaAt`. The shop’s own cause (LATE_DISPATCH, SCHEDULING_ERROR) is apologised for and compensated at once: the policy’s `delayCompensationPerDayMinor` for each started day past the promised `etaAt`, at most `delayCompensationMaxMinor` and what the order still has unrefunded, paid as a refund (the case’s `refundedAmountMinor`). Either way the parcel is then followed until delivered (stage FOLLOWING) and the case resolves. A `newEtaAt` that is not ahead of now is a 400.', params: CaseParams, body: DelayCauseBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const body = request.body;
    return runUpdate(deps, request, c, recordDelayCause, { ...body, by: actorOf(request) });
  });

  app.post('/v1/lost-parcels', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a lost-parcel case (货物丢失)', body: OpenLostParcelBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = [...validateOrder(body.order), ...validateOrderLines(body.order, body.lines, 'lines'), ...lostShipmentProblems(body.shipment, deps.now?.() ?? Date.now())];
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

  app.post('/v1/cases/:caseId/dispatch-confirmation', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'Did the lost parcel leave the warehouse (record, tracking number, proof)', description: 'Taken at AWAITING_DISPATCH_CONFIRMATION (a lost-parcel case: the warehouse task VERIFY_DISPATCH, due `deadlines.confirmDueAt`, the policy’s `warehouseTaskHours` after opening). The warehouse says from its own records whether the parcel left: `dispatched: true` with the tracking number it left under (required then: 400 without it) and its proof (the outbound scan, the courier’s handover list), or `dispatched: false` when it never left. A tracking number (or `carrier`) other than the one the storefront reported is the one the case traces and claims from (step DISPATCH_CONFIRMED names both). The courier’s trace then decides: not dispatched, or never received by the courier → the shop’s own responsibility; lost in transit → a courier claim of its own; signed for → an agent checks the signature; still moving → followed as a delay, lost if it does not come. A lost parcel goes to the customer’s choice of a re-shipment or a refund (AWAITING_CUSTOMER_CHOICE, `POST …/remedy-choice`), who never waits for the claim.', params: CaseParams, body: DispatchConfirmationBody } }, async (request) => {
    const { trackingNumber, trackingNo, ...confirmation } = request.body;
    if (trackingNumber && trackingNo && trackingNumber !== trackingNo) throw badRequest('body.trackingNumber', `differs from trackingNo (${trackingNo}), its old name: send trackingNumber only`);
    const tracking = trackingNumber ?? trackingNo;
    if (confirmation.dispatched && !tracking) throw badRequest('body.trackingNumber', 'is required when dispatched is true: the tracking number the parcel left under');
    const c = await visibleCase(deps, request, request.params.caseId);
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

  app.post('/v1/cases/:caseId/misuse-finding', { config: { roles: ['AGENT', 'SUPERVISOR'] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: 'Was it misuse? (established with the customer)', description: 'Taken at AWAITING_MISUSE_CHECK (a quality problem; the agent is reminded while it is missing). The agent’s finding, made with the customer (step MISUSE_CHECKED): NO_MISUSE → the customer is offered a small discount for keeping the goods — the policy’s `qualityDiscountPercent` of the affected goods’ price, at most `qualityDiscountMaxMinor` (AWAITING_CUSTOMER_CONSENT, `POST …/proposal-answer`); declined, the customer chooses a refund, an exchange or (where the shop repairs) a repair, sent back at the shop’s cost. MISUSE → caused by the customer: an agent settles it with them (AWAITING_AGENT, `POST …/resolution`). UNCONFIRMED → not yet established: the case waits for the finding again.', params: CaseParams, body: MisuseFindingBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const body = request.body;
    return runUpdate(deps, request, c, recordMisuseFinding, { ...body, by: actorOf(request) });
  });

  app.post('/v1/cases/:caseId/repair', { config: { roles: ['WAREHOUSE', 'AGENT'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'A repair done: fault cause, method, parts, labour', description: 'Taken at AWAITING_REPAIR (a quality problem whose customer chose REPAIR). `working: true`: the goods work again, the case books the repair’s cost (parts at cost plus labour) and the warehouse sends them back (AWAITING_DISPATCH, task SEND_REPAIRED); the customer is told what was done when they leave. `working: false`: the repair could not fix them — its cost is booked all the same, the customer is told, and the case waits for an agent (AWAITING_AGENT, step REPAIR_FAILED: CONTINUE sends a replacement instead, REFUND_REQUESTED refunds the goods; no CLOSE, the goods being the customer’s). A SKU the order does not have, or not among the goods the case is about, is a 400.', params: CaseParams, body: RepairBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
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

  app.post('/v1/cases/:caseId/damage-assessment', { config: { roles: ['AGENT', 'SUPERVISOR', 'WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: 'Degree, cause and what is possible', description: 'Taken at AWAITING_ASSESSMENT (a transit-damage case), from the customer’s photos (or the goods, by the warehouse). The `cause` decides who pays (step ASSESSED): TRANSPORT → a courier claim of its own for what the damage costs the shop (the customer does not wait for it); PRODUCT_DEFECT → the shop, shipping both ways; CUSTOMER → an agent negotiates first (AWAITING_AGENT, `POST …/resolution`); UNKNOWN → no claim, the return shipping negotiated. MINOR damage: `proposedRefundMinor` (required) is refunded at once if it is within the policy’s cap, set by `fulfilment.minorDamageCap`: LOWER_OF_BOTH (the default) is the lower of the order’s profit — Σ (unitPriceMinor − unitCostMinor) × quantity over all the order’s items, never below 0 — and `returnShippingCostMinor`, what sending the goods back would cost (ORDER_PROFIT or RETURN_SHIPPING take that one alone), and never more than the order has left unrefunded; above the cap an agent decides (AWAITING_AGENT, step ABOVE_CAP: a return may cost the shop less). SEVERE damage: `returnPossible` → the goods come back (return shipment, arrival scan, inspection) and their paid value is refunded; otherwise `goodsUsable` → `partialRefundMinor` for keeping them, unusable → a full refund of the damaged lines. A refund never exceeds what the order has left after its other cases’ refunds (a CAP line in the ledger).', params: CaseParams, body: DamageAssessmentBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const body = request.body;
    return runUpdate(deps, request, c, assessDamage, { ...body, by: actorOf(request) });
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
    const problems = validateWrongItemOpening(body.order, body.orderedSku);
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
    const c = await visibleCase(deps, request, request.params.caseId);
    // An agent may report the findings too (from the warehouse's photos): the step names who did.
    const p = principalOf(request);
    return runUpdate(deps, request, c, reportWrongItem, { ...request.body, ...(p.role === 'AGENT' ? { reportedBy: { kind: 'agent' as const, id: p.id } } : {}) });
  });

  app.post('/v1/cases/:caseId/warehouse-check', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'The three records of a missing-items case', description: 'Taken at AWAITING_WAREHOUSE_CHECK (a missing-items case: the warehouse task VERIFY_DISPATCH, due `deadlines.checkDueAt`, the policy’s `warehouseTaskHours` after opening). The warehouse reports the three records (三查) for the goods the customer says are missing: the outbound record, the waybill weight and a stock count. Each record says SHORT (the goods did not leave), COMPLETE (they did) or UNKNOWN (it cannot tell; a record not sent is UNKNOWN); the fields say how. The verdict (step WAREHOUSE_CHECKED): **CONFIRMED_SHORT** when some record says SHORT and none COMPLETE; **NOT_SHORT** when none says SHORT and the weight or the stock count says COMPLETE (the outbound record alone never proves a parcel complete); **UNVERIFIABLE** otherwise — records that disagree, or nothing conclusive, as a bare `{"by": …}` is. NOT_SHORT goes to an agent (AWAITING_AGENT, `POST …/resolution`: a goodwill refund, or close with the evidence). Otherwise missing goods worth at most the policy’s `fulfilment.smallAmountMaxMinor` that weigh at most `smallLightMaxWeightGrams` (which needs `unitWeightsGrams` for every missing SKU) are refunded at once; anything else goes to the customer to choose a refund or a re-shipment (AWAITING_CUSTOMER_CHOICE; silence refunds). Only CONFIRMED_SHORT reverses the missing goods’ outbound in the case’s documents. A SKU in `outboundRecord` or `stockCount` that the order does not have is a 400.', params: CaseParams, body: WarehouseCheckBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    return runUpdate(deps, request, c, reportWarehouseCheck, request.body);
  });

  app.post('/v1/cases/:caseId/remedy-choice', { config: { roles: [...CUSTOMER_ANSWER_ROLES] }, schema: { response: { 200: CommandReply }, tags: ['customer'], summary: 'Refund or re-shipment', description: `Taken at AWAITING_CUSTOMER_CHOICE. The same choice sent again once the case took it (a second tap, a retry without an Idempotency-Key) is answered 200 with the case as it is; another choice after it is a 409: the first one stands. ${CUSTOMER_ANSWER_BY_STAFF}`, params: CaseParams, body: RemedyChoiceBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const { remedy } = request.body;
    return unlessAnsweredAlready(deps, request, c, runUpdate(deps, request, c, chooseRemedy, enteredFor(request, request.body)), { stages: ['AWAITING_CUSTOMER_CHOICE'], asked: ['CHOICE_REQUESTED'], kinds: ['CHOICE_ANSWERED'], same: (d) => d.remedy === remedy });
  });

  app.post('/v1/cases/:caseId/reshipment', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'The re-shipment left: carrier and tracking number', description: 'The warehouse has handed goods sent again to the carrier: missing items or a lost parcel re-shipped (AWAITING_RESHIPMENT, after the customer chose RESHIP), the replacement of an exchange, a wrong item or a quality problem, or a tracking inquiry’s order shipped late (AWAITING_DISPATCH; an exchange’s after its outgoing check). The case records RESHIPPED or SHIPPED with the carrier and tracking number, the customer is told them, and the parcel is followed until delivered (the courier’s events or its trace; escalated when not delivered in time); then the case resolves. An exchange’s parcel goes with the carrier the case chose (the CARRIER_CHOSEN or CARRIER_SWITCHED step names it; another is a 400) unless both the preferred and the backup carrier refused it. The tracking number must be a parcel of its own: 409 PARCEL_CONFLICT when it is the parcel being replaced, the case’s return, a parcel of another open case of this shop, or one an open case of another shop follows (that case not named). A tracking inquiry’s order is not shipped once a refund before shipping of the same order is under way or paid (409 naming that case). The same report sent again once the case took it (a scanner retrying after a timeout, without an Idempotency-Key) is answered 200 with the case as it is; another parcel after it is a 409.', params: CaseParams, body: ReshipmentBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    await assertNewOutboundParcel(deps, c, request.body);
    if (c.type === 'TRACKING_INQUIRY') await assertOrderNotRefunded(deps, c);
    const sent = { carrier: carrierCodeOf(request.body.carrier), trackingNumber: normaliseTrackingNumber(request.body.trackingNumber) };
    return unlessAnsweredAlready(deps, request, c, runUpdate(deps, request, c, reportReshipment, request.body), {
      stages: ['AWAITING_RESHIPMENT', 'AWAITING_DISPATCH'],
      // The step that asked for the parcel: the warehouse task, an exchange's carrier (chosen, or switched after a refusal), a late order to ship now.
      asked: ['WAREHOUSE_TASK_OPENED', 'CARRIER_CHOSEN', 'CARRIER_SWITCHED', 'SHIP_NOW'],
      kinds: ['RESHIPPED', 'SHIPPED'],
      same: (d) => carrierCodeOf(String(d.carrier)) === sent.carrier && normaliseTrackingNumber(String(d.outboundTracking)) === sent.trackingNumber,
    });
  });

  parcelCorrectionRoute(app, deps);
}

/**
 * A parcel given under a wrong number — a clerk's typo in the re-shipment report, or a shipment's
 * number mistyped at opening — is followed until delivered under that wrong number: its trace finds
 * nothing, the courier's events for the real parcel match no case, and nothing but a correction
 * ends the wait (docs/after-sales.md, "Following a parcel sent out").
 */
function parcelCorrectionRoute(app: ApiApp, deps: ApiDeps): void {
  app.post('/v1/cases/:caseId/parcel-correction', {
    config: { roles: ['WAREHOUSE', 'AGENT', 'SUPERVISOR', 'ADMIN'] },
    schema: {
      response: { 200: CommandReply },
      tags: ['warehouse'],
      summary: 'The parcel the case follows was given under a wrong number: the right one',
      description: `Taken while the case follows a parcel until it is delivered (stages ${FOLLOWING_STAGES.join(', ')}: a re-shipment, an exchange's replacement, a tracking inquiry's or a late delivery's parcel; not while an agent decides about a failed delivery, nor once the parcel was delivered): from now on the case follows the parcel under this carrier and number — its trace is read at once, the courier's events for it reach the case and the old number's no longer do (also when the old number was the shipment the case was opened about) — records FOLLOWED_PARCEL_CORRECTED (actor: \`warehouse:<by>\` for a warehouse key, else the key's holder; with the number before), tells the customer the right number (\`parcelNumberCorrected\`) and keeps the delivery deadline. \`previousTrackingNumber\` must be the number the case follows (409 PARCEL_CONFLICT on \`body.previousTrackingNumber\` otherwise, naming it). The number must be a parcel of its own, as for \`POST …/reshipment\` (409 PARCEL_CONFLICT). The same correction sent again (a retry after a timeout) is answered 200 with the case as it is, delivered since or not; the number the case follows already is a 400. A case that follows no parcel, or whose parcel was delivered, is a 409 WRONG_STATE saying which.`,
      params: CaseParams,
      body: ParcelCorrectionBody,
    },
  }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const { by, carrier, trackingNumber, previousTrackingNumber } = request.body;
    // Asked of the read model first, so each refusal says what it is: the workflow asks the same again.
    const timeline = await deps.repos.timeline(c.id);
    const corrected = [...timeline].reverse().find((e) => e.kind === 'FOLLOWED_PARCEL_CORRECTED')?.data as { carrier?: string; outboundTracking?: string; previousOutboundTracking?: string } | undefined;
    if (corrected && corrected.carrier === carrier && corrected.outboundTracking === trackingNumber && corrected.previousOutboundTracking === previousTrackingNumber) return caseAsItIs(deps, request, c);
    const last = lastFollowedParcel(timeline);
    if (last?.delivered) throw new ApiError(409, 'WRONG_STATE', `case ${c.id}'s parcel ${last.parcel.carrier} ${last.parcel.trackingNumber} was delivered: nothing is followed any more to correct`);
    // A stage of the same name may wait otherwise (a lost parcel still moving): what counts is a parcel followed.
    if (!last || !FOLLOWING_STAGES.includes(c.stage)) throw new ApiError(409, 'WRONG_STATE', `case ${c.id} is at stage ${c.stage} and follows no parcel until delivered: a parcel's number is corrected while the case follows it (${FOLLOWING_STAGES.join(', ')}, once the parcel was reported sent)`);
    if (last.parcel.trackingNumber !== previousTrackingNumber) throw new ApiError(409, 'PARCEL_CONFLICT', `the case follows ${last.parcel.carrier} ${last.parcel.trackingNumber}, not ${previousTrackingNumber}: correct the parcel it follows`, 'body.previousTrackingNumber');
    await assertNewOutboundParcel(deps, c, { carrier, trackingNumber });
    const actor = request.principal!.role === 'WAREHOUSE' && by ? { kind: 'warehouse' as const, id: by } : actorOf(request);
    return runUpdate(deps, request, c, correctFollowedParcel, { by: actor, carrier, trackingNumber, previousTrackingNumber });
  });
}

/** The refund before shipping of the case's order, under way or paid, if there is one: that order is not to be shipped. */
export async function refundBeforeShippingOf(deps: ApiDeps, c: { merchantId: string; orderId: string }) {
  return (await deps.repos.casesOfOrder(c.merchantId, c.orderId)).find((o) => o.type === 'REFUND_NOT_SHIPPED' && (o.status !== 'CLOSED' || o.refundedAmountMinor > 0));
}

/**
 * A tracking inquiry's order shipped late is the order itself going out: not once a refund before
 * shipping of the same order is under way or paid (a trial's customer asked for both: the refund
 * approved meanwhile, the pack task still open, and the refunded goods went out). 409 naming that
 * case; a refund case closed without paying anything (refused, already shipped) does not stop it.
 */

async function assertOrderNotRefunded(deps: ApiDeps, c: CaseSummary): Promise<void> {
  const refund = await refundBeforeShippingOf(deps, c);
  if (refund) {
    const state = refund.refundedAmountMinor > 0 ? 'refunded' : 'being refunded';
    // Found shipped, it has the parcel brought back: nothing is left to ship, and nothing is cancelled.
    if (bringsShippedOrderBack(refund)) {
      throw new ApiError(409, 'WRONG_STATE', `order ${c.orderId} is ${state} (case ${refund.id}): it had left already as ${refund.returnTrackingNumber}, which the courier is bringing back; it is not to be shipped again. The inquiry follows that parcel once the warehouse system shows it shipped (asked when the warehouse's time to ship is up, and at each reminder)`);
    }
    throw new ApiError(409, 'WRONG_STATE', `order ${c.orderId} is ${state} before shipping (case ${refund.id}): it is not to be shipped; the inquiry resolves by itself once the warehouse system shows the order cancelled (asked when the warehouse's time to ship is up, and at each reminder; an inquiry opened before 2026-12-07 does not ask: ops end it)`);
  }
}
