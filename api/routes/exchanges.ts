/** Exchanges and re-shipments over HTTP: opened by the storefront; the warehouse checks, packs and dispatches; the storefront confirms a paid difference. */
import type { ApiApp } from '../typed-app.js';
import { exchangeDifferenceMinor, reshipmentProblems, sameGoodsPriceProblems, validateExchange, validateOrder, type ExchangeLine } from '../../domain/index.js';
import { carrierRefused, confirmDifferencePaid, reportOutgoingCheck, reportOutgoingCheckFailure } from '../../workflows/contract.js';
import type { ExchangeInput } from '../../workflows/exchange.js';
import { principalOf } from '../auth.js';
import { caseAsItIs, CommandReply, runUpdate, sendSignal, unlessAnsweredAlready } from '../commands.js';
import { visibleCase, type ApiDeps } from '../context.js';
import { ApiError, badRequest, conflict } from '../errors.js';
import { carrierCodeOf } from '../../domain/carriers.js';
import { normaliseTrackingNumber } from '../../domain/tracking-number.js';
import { assertNewOutboundParcel } from '../return-parcels.js';
import { assertOpening, merchantOf, openCase, referenceOf, sendOpened } from '../open-case.js';
import { CaseParams } from '../schemas.js';
import { CarrierRefusalBody, DifferencePaidBody, LoanSentBody, OpenExchangeBody, OutgoingCheckBody, OutgoingCheckFailureBody } from '../schemas-fulfilment.js';
import { OpenedResponses } from '../responses.js';

/** The 409 of a payment the case will not take: the storefront gives the charge back. */
const PAYMENT_NOT_TAKEN = 'PAYMENT_NOT_TAKEN';

/**
 * A price difference paid after the exchange was withdrawn, or after the agent decided the exchange without it (the wait DIFFERENCE_UNPAID,
 * then AGENT_RESOLVED): said as such, with what the agent decided and when, and what the storefront
 * does about the charge — not only that the case is at another stage.
 */
async function paidAfterTheAgentDecided(deps: ApiDeps, caseId: string): Promise<ApiError | undefined> {
  const timeline = await deps.repos.timeline(caseId);
  // Or the customer withdrew the exchange first (a race a storefront can lose: its charge, then the confirmation).
  const due = timeline.findIndex((e) => e.kind === 'DIFFERENCE_DUE');
  const withdrawn = due < 0 ? undefined : timeline.slice(due + 1).find((e) => e.kind === 'WITHDRAWN');
  if (withdrawn && !timeline.some((e) => e.kind === 'DIFFERENCE_PAID')) {
    return new ApiError(409, PAYMENT_NOT_TAKEN, `case ${caseId} was withdrawn by the customer (at ${withdrawn.at.toISOString()}) before this payment was confirmed: the case never took it, so give the charge back to the customer`);
  }
  const unpaid = timeline.findIndex((e) => e.kind === 'DIFFERENCE_UNPAID');
  const decided = unpaid < 0 ? undefined : timeline.slice(unpaid + 1).find((e) => e.kind === 'AGENT_RESOLVED');
  if (!decided) return undefined;
  const action = String((decided.data as { action?: unknown } | null)?.action ?? '');
  // A code of its own: the storefront has money to hand back, which no other refusal asks of it.
  return new ApiError(409, PAYMENT_NOT_TAKEN, `case ${caseId}'s price difference was not paid by its deadline, and an agent decided without it (${action} at ${decided.at.toISOString()}): the case went on without this payment, so give the charge back to the customer`);
}

export function exchangeRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post('/v1/exchanges', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open an exchange or a re-shipment (换货 / 补发)', body: OpenExchangeBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const lines = body.lines as ExchangeLine[];
    const problems = [...validateOrder(body.order), ...validateExchange(body.order, lines), ...(body.kind === 'RESHIPMENT' ? reshipmentProblems(body.order, lines) : sameGoodsPriceProblems(body.order, lines))];
    assertOpening(deps, body.order, problems);
    // An exchange takes the old goods back: the customer is told where to send them.
    const returnAddress = (await deps.repos.merchant(merchantId))?.returnAddress;
    if (body.kind === 'EXCHANGE' && !returnAddress) throw new ApiError(409, 'MERCHANT_NOT_READY', `merchant ${merchantId} has no return address yet (PUT /v1/admin/merchants/${merchantId})`);
    const opened = await openCase<ExchangeInput>(deps, request, merchantId, {
      type: 'EXCHANGE_RESHIPMENT',
      workflow: 'exchange',
      reference: referenceOf(request),
      order: body.order,
      customer: body.customer,
      // The loan product too: the warehouse's list names it when it is due back (api/routes/warehouse-tasks.ts).
      request: { kind: body.kind, lines, reason: body.reason, urgent: body.urgent ?? false, ...(body.substitute ? { substitute: body.substitute } : {}) },
      requestedAmountMinor: Math.max(0, -exchangeDifferenceMinor(body.order, lines)),
      summary: body.kind === 'EXCHANGE' ? 'Exchange' : 'Re-shipment',
      input: (c) => ({ ...c, order: body.order, kind: body.kind, lines, reason: body.reason, urgent: body.urgent ?? false, customer: body.customer, ...(body.substitute ? { substitute: body.substitute } : {}), ...(returnAddress ? { returnAddress } : {}) }),
    });
    // The old goods come back (an exchange, or the loan product an urgent customer is lent): the code for the parcel's slip, as a return's.
    return sendOpened(reply, opened, body.kind === 'EXCHANGE' || (body.urgent && body.substitute) ? { returnCode: opened.caseId } : {});
  });

  app.post('/v1/cases/:caseId/outgoing-check', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'What was checked before the goods go out', description: 'Taken at AWAITING_OUTGOING_CHECK (an exchange or re-shipment: the warehouse task CHECK_AND_PACK, due `deadlines.checkDueAt`, the policy’s `warehouseTaskHours` after the task opened, `urgentWarehouseHours` for an urgent customer). The warehouse confirms the unit going out passed every check: `undamaged`, `working`, `resaleable` and `invoice` must be true, and `cleaned` and `warrantyCard`, sent only for products that have them, must not be false — otherwise a 400 naming the checks not confirmed: record the failing unit with `POST …/outgoing-check-failure` and check another. `serialNumbers`, when sent, are one distinct number per unit going out (400 otherwise). The case records OUTGOING_CHECKED, books the goods out of stock (with the serial numbers) and moves to AWAITING_DISPATCH with the carrier it goes with (the policy’s `preferredCarrier`, step CARRIER_CHOSEN); the warehouse then ships it and sends `POST …/reshipment`, or `POST …/carrier-refusal` when the carrier will not take it.', params: CaseParams, body: OutgoingCheckBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    return runUpdate(deps, request, c, reportOutgoingCheck, request.body);
  });

  app.post('/v1/cases/:caseId/outgoing-check-failure', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'A unit failed the check before going out', description: 'Taken at AWAITING_OUTGOING_CHECK. Records OUTGOING_CHECK_FAILED with the checks it failed; the case waits on at AWAITING_OUTGOING_CHECK for the outgoing check of another unit. With `noGoodStock` (no other unit in stock passes) the case goes to an agent instead (stage AWAITING_AGENT, step NO_GOOD_STOCK, escalated; the reply says so): with the customer\'s consent the agent refunds instead (`REFUND_REQUESTED`: the exchanged goods at the price paid, as far as they came back in good order, and any difference paid; goods still with the customer come back first), waits for stock (`CONTINUE`: the check opens again until the policy\'s `restockWaitDays`, then the agent asks again) or closes the case.', params: CaseParams, body: OutgoingCheckFailureBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const body = request.body;
    return runUpdate(deps, request, c, reportOutgoingCheckFailure, { ...body, noGoodStock: body.noGoodStock ?? false });
  });

  app.post('/v1/cases/:caseId/carrier-refusal', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 202: CommandReply }, tags: ['warehouse'], summary: 'The carrier refused the parcel: the backup carrier takes over', description: 'Taken at AWAITING_DISPATCH (an exchange or re-shipment), naming the carrier the case chose (CARRIER_CHOSEN or CARRIER_SWITCHED; another is a 400, another stage a 409 WRONG_STATE). The policy’s `backupCarrier` takes over (step CARRIER_SWITCHED) and the warehouse ships with it; when the backup refuses too, the case is escalated (step CARRIER_REFUSED) and the warehouse may ship with any carrier (`POST …/reshipment`). Answered 202: the refusal is taken by the case as it comes.', params: CaseParams, body: CarrierRefusalBody } }, async (request, reply) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    // A signal the workflow cannot refuse: a refusal at another stage, or by a carrier that is not
    // the parcel's, would be dropped while the answer said 202. Checked here against the timeline.
    const exchange = c.type === 'EXCHANGE_RESHIPMENT'; // other types: refused as such by sendSignal
    if (exchange && c.stage !== 'AWAITING_DISPATCH') throw conflict(`case ${c.id} is not waiting for a carrier to take the parcel (stage ${c.stage})`);
    const chosen = exchange ? await deps.repos.latestStepData(c.id, ['CARRIER_CHOSEN', 'CARRIER_SWITCHED']) : null;
    if (chosen?.carrier && carrierCodeOf(String(chosen.carrier)) !== carrierCodeOf(request.body.carrier)) throw badRequest('body.carrier', `the parcel goes with ${String(chosen.carrier)}, not ${request.body.carrier}`);
    // Sent as the case names the carrier ('sf' is SF): the workflow compares them as they are.
    return reply.status(202).send(await sendSignal(deps, request, c, carrierRefused, { ...request.body, ...(chosen?.carrier ? { carrier: String(chosen.carrier) } : {}) }));
  });

  app.post('/v1/cases/:caseId/difference-paid', { config: { roles: ['STOREFRONT'] }, schema: { response: { 200: CommandReply }, tags: ['storefront'], summary: 'The customer paid the price difference', description: 'Taken at AWAITING_PAYMENT: an exchange whose replacement costs more than the goods it replaces. The amount is the case’s own, worked out when it opened: Σ quantity × (`replacementUnitPriceMinor` − the order’s `unitPriceMinor`) over the exchange’s lines. The case shows it on its DIFFERENCE_DUE step (`data.amountMinor`, due by `deadlines.payBy`) and tells the customer (message `differenceDue`); the storefront charges the customer that amount and sends only the payment’s id. The case then records DIFFERENCE_PAID and books that same amount in its ledger (PAYMENT_RECEIVED, one PRICE_DIFFERENCE line, the payment id as reference): what the storefront actually charged is not sent, nor checked. The exchange goes on (the old goods back first, or the outgoing check). Unpaid by `payBy` (the policy’s `proposalAcceptanceHours`), the case goes to an agent (AWAITING_AGENT, DIFFERENCE_UNPAID); a payment confirmed there, before the agent has decided, is taken as if in time (booked, and the exchange goes on without the agent), one after the agent decided is a 409 PAYMENT_NOT_TAKEN — the case went on without it (the replacement given anyway, or closed), so the storefront gives that charge back itself; so is one after the customer withdrew the exchange (POST …/withdrawal, taken while the difference is unpaid: a storefront that charges before it confirms can lose that race); should the exchange end without the replacement going out, the difference paid is refunded with the rest. The same payment id sent again once the case took it (a webhook retried without an Idempotency-Key) is answered 200 with the case as it is, booked once; another payment id after it is a 409.', params: CaseParams, body: DifferencePaidBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    // The payment's webhook retried: answered with the case as it is, as the first time.
    const { paymentId } = request.body;
    try {
      return await unlessAnsweredAlready(deps, request, c, runUpdate(deps, request, c, confirmDifferencePaid, request.body), { stages: ['AWAITING_PAYMENT'], asked: ['DIFFERENCE_DUE'], kinds: ['DIFFERENCE_PAID'], same: (d) => d.paymentId === paymentId });
    } catch (err) {
      throw (await paidAfterTheAgentDecided(deps, c.id)) ?? err;
    }
  });

  app.post('/v1/cases/:caseId/substitute-sent', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: CommandReply }, tags: ['warehouse'], summary: 'The loan product left for the customer: carrier and tracking number', description: 'An urgent exchange lends the customer a loan product at once (step SUBSTITUTE_LENT; the customer is told it goes out first): the warehouse’s task SEND_SUBSTITUTE until this is reported. Records step SUBSTITUTE_SENT and tells the customer the carrier and tracking number (message `loanSent`). The case does not follow this parcel (its delivery is not the replacement’s). The same report sent again is answered 200 with the case as it is; another parcel after it is a 409, as is a case that lent no loan product or is closed or resolved. Once the case no longer waits for a replacement (it was delivered, or an agent refunded instead) the task leaves the list, but a loan that did go out is still taken until the case, about to ask it back, finds it never sent: from then (step SUBSTITUTE_NOT_SENT; the loan booked back into stock, not asked back) a report is a 409 saying so. The number must be a parcel of its own, as a re-shipment’s (409 PARCEL_CONFLICT).', params: CaseParams, body: LoanSentBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const sent = { carrier: carrierCodeOf(request.body.carrier), trackingNumber: normaliseTrackingNumber(request.body.trackingNumber) };
    const [lent, before, details] = await Promise.all([deps.repos.latestStepData(c.id, ['SUBSTITUTE_LENT']), deps.repos.loans.sentOf(c.id), deps.repos.caseDetails(c.id)]);
    if (!lent) throw conflict(`case ${c.id} lent no loan product: nothing to send (a replacement is reported with POST /v1/cases/${c.id}/reshipment)`);
    if (before) return answeredBefore(before);
    // No longer listed to send once the replacement arrived or the exchange became a refund
    // (db/repositories/loans.ts toSend), but a loan that did go out is still taken until the case
    // has found it never sent (`before`) or ended.
    if (c.status === 'CLOSED' || c.status === 'RESOLVED') throw conflict(`case ${c.id} is ${c.status === 'CLOSED' ? 'closed' : 'resolved'}: its loan product is not sent any more`);
    await assertNewOutboundParcel(deps, c, sent);
    // Named as it was lent (the request's loan, with its name where the shop gave one).
    const loan = (details.request as { substitute?: { sku?: unknown; name?: unknown } } | null)?.substitute;
    const sku = typeof lent.sku === 'string' ? lent.sku : typeof loan?.sku === 'string' ? loan.sku : null;
    if (!sku) throw conflict(`case ${c.id}'s lending step names no loan product: nothing to send`);
    const item = typeof loan?.name === 'string' ? { sku, name: loan.name } : sku;
    const recorded = await deps.repos.loans.recordSent(c.id, { by: request.body.by, ...sent, sku, message: { template: 'loanSent', params: { sku: item, ...sent } } });
    // Another report, or the case's finding that it was never sent, took the loan's key first.
    if (!recorded) {
      const first = await deps.repos.loans.sentOf(c.id);
      if (first) return answeredBefore(first);
    }
    return caseAsItIs(deps, request, c);

    function answeredBefore(first: NonNullable<Awaited<ReturnType<typeof deps.repos.loans.sentOf>>>) {
      if (first.kind === 'SUBSTITUTE_NOT_SENT') throw conflict(`case ${c.id} found its loan product never sent, at ${first.at.toISOString()}, and went on without it (booked back into stock, not asked back): it is not sent any more`);
      if (first.data.carrier === sent.carrier && first.data.trackingNumber === sent.trackingNumber) return caseAsItIs(deps, request, c);
      throw conflict(`the loan product of case ${c.id} was sent already, as ${String(first.data.carrier)} ${String(first.data.trackingNumber)} at ${first.at.toISOString()} (${first.actor}): the first report stands`);
    }
  });
}
