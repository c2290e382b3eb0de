/**
 * Exchange and re-shipment (换货 / 补发, 售后发货, docs/after-sales.md §11; seed 000):
 *
 *   opened (order, model, quantity checked) → a dearer replacement is paid first (silence: an agent)
 *   → exchange: the old goods come back first (ship, arrive, inspect) — unless policy lets an
 *     exchange ship first, or the customer is urgent — then the replacement goes out
 *   → the warehouse checks what goes out (undamaged, working, fit for resale, cleaned, invoice,
 *     warranty card, serial numbers) under a deadline (shorter for urgent customers)
 *   → the preferred carrier; the backup when it refuses → followed until delivered
 *   → a cheaper replacement refunds the difference → revisit
 */
import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import {
  differenceReturnedLine,
  exchangeDifferenceMinor,
  DEFAULT_FULFILMENT_RULES,
  noStockRefund,
  noStockRefundPaid,
  outgoingLines,
  refundableMinor,
  solutionDeadline,
  returnAddressField,
  validateExchange,
  validateOrder,
  type ExchangeLine,
  type FulfilmentPolicy,
  type OrderSnapshot,
  type Policy,
  type ReturnAddress,
} from '../domain/index.js';
import { refundToCustomer } from './money.js';
import { activities, CaseSession, days, hours, SEND_BACK_TOLD_PATCH, waitUntil, type ClosedByRevisit } from './case-machinery.js';
import {
  carrierRefused,
  confirmDifferencePaid,
  invalidInput,
  reportOutgoingCheck,
  reportOutgoingCheckFailure,
  reportReshipment,
  type OutgoingCheck,
  type Reshipment,
  type OpenedBy,
} from './contract.js';
import { followUntilDelivered, parcelSentData, warehouseTask } from './shipping.js';
import { normaliseTrackingNumber } from '../domain/tracking-number.js';
import { agentDecidesWhatCameBack, installTakeBack, takeBack } from './take-back.js';

/**
 * Patch: an exchange whose dearer replacement was paid for, and whose old goods were then never sent
 * back, refunds the difference before it closes (the ledger's DIFFERENCE_RETURNED, the customer's own
 * money); before, the case closed NOT_SHIPPED keeping it. Replayed by test/workflows/histories/exchange-v17-difference-back-*.pb.
 */
export const DIFFERENCE_BACK_ON_CLOSE_PATCH = 'exchange-difference-back-on-close';
/**
 * Patch: the price difference the customer pays for a dearer replacement is booked when paid (a
 * PAYMENT_RECEIVED entry, the payment id as reference), and the replacement's outbound carries no
 * money; before, only that outbound booked it, so a difference paid and refunded when no replacement
 * went out left the refund with no payment in the ledger (found by a finance trial). Replayed by
 * test/workflows/histories/exchange-v21-payment-received-*.pb.
 */
export const PAYMENT_RECEIVED_PATCH = 'exchange-payment-received';

/**
 * Patch: a price difference the storefront confirms after its time, while an agent was still to
 * decide what the unpaid difference means (DIFFERENCE_UNPAID), is taken as paid: booked
 * (DIFFERENCE_PAID, PAYMENT_RECEIVED) and the exchange goes on as if it had come in time. Before,
 * the confirmation was refused at that stage and ever after: the customer's money was in no ledger,
 * the agent's CONTINUE gave the dearer goods for nothing, and a refund instead left the difference
 * out (an integrator's trial). Replayed by test/workflows/histories/exchange-v23-difference-paid-late-*.pb.
 */
export const DIFFERENCE_PAID_LATE_PATCH = 'exchange-difference-paid-late';

/**
 * Patch: the loan item's wait ends when the warehouse scans it in, not when it has been inspected:
 * a loan scanned in on its last day and inspected the next went to an agent as "not returned". Once
 * scanned, the case is at AWAITING_SUBSTITUTE_INSPECTION (the warehouse's INSPECT_SUBSTITUTE task,
 * inspectionHours to do it, late → escalated as any inspection) and the customer is told it came
 * (loanReceived). The old goods' parcel scanned again is not the loan (TakeBackState.notNews); a loan
 * parcel inspected with no loan in it goes to an agent as not returned. Replayed by
 * test/workflows/histories/exchange-v18-loan-arrival-*.pb and exchange-v18-loan-missing-*.pb.
 */
export const LOAN_ARRIVAL_PATCH = 'loan-arrival-ends-wait';

export interface ExchangeInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  fulfilment: FulfilmentPolicy;
  order: OrderSnapshot;
  kind: 'EXCHANGE' | 'RESHIPMENT';
  lines: ExchangeLine[];
  reason: string;
  /** Urgent customers go first (shorter warehouse deadline; an exchange ships before the return). */
  urgent: boolean;
  /** For an urgent customer: a loan product sent at once and returned once the replacement is there (000 临时替代品). */
  substitute?: { sku: string; unitCostMinor: number; name?: string };
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
  returnAddress?: ReturnAddress;
}

export type ExchangeOutcome = 'NOT_SHIPPED' | 'WITHDRAWN' | ClosedByRevisit;

/**
 * A loan item as its messages name it (the template's `item` parameter): by the name it was lent
 * under where the request gave one, else by its SKU, as messages of loans lent before names were kept.
 */
const loanItem = (loan: { sku: string; name?: string }) => (loan.name ? { sku: loan.sku, name: loan.name } : loan.sku);

/**
 * From this patch on, a report that no unit in stock passes the outgoing check hands the case to an
 * agent (NO_GOOD_STOCK: refund instead, wait for stock, or close); before it, the case was only
 * escalated and waited at the check.
 */
export const NO_GOOD_STOCK_AGENT_PATCH = 'exchange-no-good-stock-agent';

/**
 * From this patch on, exchanged goods that came back short (an empty box) or damaged by the customer
 * go to an agent (EXCHANGE_RETURN_PROBLEM: CONTINUE sends or settles the replacement anyway, CLOSE
 * ends the case — and, since 2026-12-08, when they came back first, REFUND_RECEIVED refunds those
 * back in good order instead: returnedWrong) before anything more goes out or is paid; before it,
 * the replacement went out whatever the inspection found. Replayed by test/workflows/histories/exchange-v12-return-problem-*.pb.
 */
export const EXCHANGE_RETURN_CHECKED_PATCH = 'exchange-return-checked';

/**
 * Patch: the wait for the checked goods to be handed to a carrier has its deadline on the case
 * (`dispatchDueAt`, moved on by each reminder), as every warehouse task does; before, it was
 * reminded and escalated on time but showed no deadline (the queue and the warehouse's list read
 * none), and a carrier's refusal restarted its hours. Replayed by test/workflows/histories/exchange-v19-dispatch-due-*.pb.
 */
export const DISPATCH_DUE_PATCH = 'exchange-dispatch-due';

/**
 * Patch: before an urgent exchange asks its loan product back, it asks whether the warehouse ever
 * reported it sent (SUBSTITUTE_SENT, written by the API). One never sent — the replacement arrived
 * first, or the exchange became a refund before the warehouse got to it — is not asked back: the
 * answer is recorded under the report's own key (SUBSTITUTE_NOT_SENT, so a report after it is
 * refused), and its outbound document is reversed into stock. Decided when the loan is lent: a loan
 * lent before the warehouse reported loans sent would read as never sent. Before, the customer was asked to send back a loan they never had, and an
 * agent was called when it did not come. Replayed by test/workflows/histories/exchange-v24-loan-never-sent-*.pb.
 */
export const LOAN_NEVER_SENT_PATCH = 'exchange-loan-never-sent';

/**
 * Patch: a dearer replacement paid for and never delivered — no good unit in stock, the old goods
 * back short or damaged, the old goods' parcel lost, the replacement turned back — when an agent
 * closes the case, the price difference goes back first (a refund, DIFFERENCE_RETURNED, said on the
 * CLOSED step), as it does when the old goods were never sent (DIFFERENCE_BACK_ON_CLOSE_PATCH).
 * Before, only that close paid it back: at every other the shop kept the customer's money for goods
 * it never gave (a reviewer's finding). The marker is written only at such a close. Replayed by
 * test/workflows/histories/exchange-v26-difference-back-on-agent-close-*.pb.
 */
export const DIFFERENCE_BACK_ON_AGENT_CLOSE_PATCH = 'exchange-difference-back-on-agent-close';

/**
 * Patch: a cheaper replacement's difference is refunded once the replacement is delivered and the
 * old goods are back, before the loan product is asked back: the customer was told it comes once
 * the exchange is complete, and a loan kept past its time is the agent's to settle, not a reason to
 * hold the customer's money (before, the refund waited for the loan, and a close at
 * SUBSTITUTE_NOT_RETURNED never paid it). Replayed by test/workflows/histories/exchange-v26-difference-before-loan-*.pb.
 */
export const DIFFERENCE_BEFORE_LOAN_PATCH = 'exchange-difference-before-loan';

/**
 * Patch: a carrier's refusal is acted on only while that carrier is still the one to take the parcel.
 * Two refusals of the preferred carrier heard before the switch (a clerk's double post, two clerks)
 * were both queued, and the second, taken after the switch, was recorded as the backup refusing
 * (CARRIER_REFUSED, any carrier allowed) though it never had. The marker is written only when such a
 * stale refusal comes up. Replayed by test/workflows/histories/exchange-v26-stale-refusal-*.pb.
 */
export const STALE_REFUSAL_PATCH = 'exchange-stale-refusal';

/** Why an exchange refunds instead of replacing: the refund's reason, and the rule its resolution names when the order had less left. */
const REFUNDED_INSTEAD = {
  NO_GOOD_STOCK: { reason: 'exchange: no stock, refunded instead', rule: 'noStockRefund' },
  NOT_DELIVERED: { reason: 'exchange: replacement not delivered, refunded instead', rule: 'notDeliveredRefund' },
  RETURN_PROBLEM: { reason: 'exchange: goods back short or damaged, those in good order refunded instead', rule: 'returnProblemRefund' },
} as const;

export async function exchange(input: ExchangeInput): Promise<ExchangeOutcome> {
  const { policy, order, lines } = input;
  const rules = input.fulfilment.rules;
  const problems = [...validateOrder(order), ...validateExchange(order, lines)];
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid exchange: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');
  const outgoing = outgoingLines(order, lines);
  const units = outgoing.reduce((s, l) => s + l.quantity, 0);

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  let paid: string | undefined;
  /** The difference paid was booked when paid (PAYMENT_RECEIVED_PATCH), not on the outbound. */
  let differenceBooked = false;
  /** The difference paid went back to the customer (goods never sent, refunded instead, or an agent's close): once. */
  let differenceReturned = false;
  /** The replacement reached the customer: the difference paid for it is the shop's. */
  let replacementDelivered = false;
  let check: OutgoingCheck | undefined;
  let sent: Reshipment | undefined;
  /** The warehouse has no unit that passes the check: an agent decides what the customer gets instead. */
  let noGoodStock = false;
  let carrier = rules.preferredCarrier;
  /** Refusals heard, each with the carrier that refused: acted on in turn while it is still the one to take the parcel. */
  const refusals: Array<{ carrier: string; reason: string }> = [];
  /** Both the preferred and the backup carrier refused the parcel: the warehouse ships with another. */
  let anyCarrier = false;
  setHandler(confirmDifferencePaid, (p) => ((paid = p.paymentId), session.taken()), {
    // Also paid after its time, while an agent was to decide what an unpaid difference means (DIFFERENCE_PAID_LATE_PATCH).
    validator: (_p) => (session.awaitsAgent('DIFFERENCE_UNPAID') ? undefined : session.requireStage('AWAITING_PAYMENT')),
  });
  // Rather than pay a dearer replacement's difference, or send the old goods back first, the customer
  // may withdraw the exchange (不换了): nothing was sent or paid yet (take-back.ts, withdrawRequest).
  const back = installTakeBack(session, policy, ['AWAITING_INSPECTION', 'AWAITING_SUBSTITUTE_RETURN', 'AWAITING_SUBSTITUTE_INSPECTION'], 'AWAITING_PAYMENT');
  setHandler(reportOutgoingCheck, (c) => ((check = c), session.taken()), {
    validator: (c) => {
      session.requireStage('AWAITING_OUTGOING_CHECK');
      const failed: string[] = (['undamaged', 'working', 'resaleable', 'invoice'] as const).filter((k) => c[k] !== true);
      // Said only of products that have them: a warranty card, cleaning (contact products).
      if (c.warrantyCard === false) failed.push('warrantyCard');
      if (c.cleaned === false) failed.push('cleaned');
      if (failed.length) throw invalidInput(failed[0]!, `goods cannot go out: ${failed.join(', ')} not confirmed (record a unit that fails with POST /v1/cases/${input.caseId}/outgoing-check-failure and check another)`);
      if (c.serialNumbers && (c.serialNumbers.length !== units || new Set(c.serialNumbers).size !== units)) throw invalidInput('serialNumbers', `one distinct serial number per unit: ${units} expected`);
    },
  });
  // A unit that fails the check is recorded and the stage waits on while the warehouse checks
  // another; with none in stock that passes, an agent decides with the customer (docs/after-sales.md
  // §11). Adds commands only when such a report comes: histories without one replay as before.
  setHandler(
    reportOutgoingCheckFailure,
    async (f) => {
      const toAgent = f.noGoodStock && patched(NO_GOOD_STOCK_AGENT_PATCH);
      // Taken before anything is awaited: a passing check or a second report sent with it is refused.
      if (toAgent) {
        noGoodStock = true;
        session.taken();
      }
      await session.step('OUTGOING_CHECK_FAILED', { actor: `warehouse:${f.by}`, ...(f.noGoodStock ? { escalated: true } : {}), data: { failed: f.failed, note: f.note, noGoodStock: f.noGoodStock } });
      // Answered once the case has left the check: the reply says where it went (AWAITING_AGENT).
      if (toAgent) await condition(() => session.stage !== 'AWAITING_OUTGOING_CHECK');
      return { stage: session.stage };
    },
    {
      validator: (f) => {
        session.requireStage('AWAITING_OUTGOING_CHECK');
        if (!f.failed.length) throw invalidInput('failed', 'name at least one check the unit failed');
      },
    },
  );
  setHandler(carrierRefused, (r) => void (r.carrier === carrier && refusals.push({ carrier: r.carrier, reason: r.reason })));
  setHandler(reportReshipment, (r) => ((sent = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_DISPATCH');
      if (r.carrier !== carrier && !anyCarrier) throw invalidInput('carrier', `the parcel goes with ${carrier}, not ${r.carrier}`);
      if (!r.trackingNumber?.trim()) throw invalidInput('trackingNumber', 'trackingNumber is required');
    },
  });

  // Closed by an agent before the replacement reached the customer: the difference they paid for it goes back first.
  session.beforeAgentClose = () => (replacementDelivered ? Promise.resolve(0) : returnDifferencePaid('exchange: difference returned, closed by an agent', DIFFERENCE_BACK_ON_AGENT_CLOSE_PATCH));

  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt }, data: { kind: input.kind, lines, urgent: input.urgent, reason: input.reason } });
  // The solution (the exchange, and what it costs) follows at once: no promise of one by a deadline.
  const difference = exchangeDifferenceMinor(order, lines);
  // A cheaper replacement's difference is said at once, not first heard of as a refund at the end (only the message's name and values differ: no patch).
  if (input.kind === 'RESHIPMENT') await session.notify('reshipmentReceived', { caseId: input.caseId });
  else if (difference < 0) await session.notify('exchangeRequestReceivedDifferenceBack', { caseId: input.caseId, amountMinor: -difference, currency: order.currency });
  else await session.notify('exchangeRequestReceived', { caseId: input.caseId });
  await session.step('SOLUTION_PROPOSED', { decision: session.decision('exchangeDifference', { differenceMinor: difference, currency: order.currency, outgoing }, difference > 0 ? 'CUSTOMER_PAYS' : difference < 0 ? 'REFUND_DIFFERENCE' : 'EVEN') });
  void session.watchSolutionDeadline(solutionDueAt, () => true, {});

  // --- a dearer replacement is paid before anything moves ---
  if (difference > 0) {
    const payBy = Date.now() + hours(policy.rules.proposalAcceptanceHours);
    // What to charge, on the step: the storefront reads it there (an activity's input, not a command).
    await session.enter('AWAITING_PAYMENT', 'DIFFERENCE_DUE', { status: 'WAITING_CUSTOMER', deadlines: { payBy }, data: { amountMinor: difference, currency: order.currency } });
    await session.notify('differenceDue', { amountMinor: difference, currency: order.currency, payBy });
    const bookPayment = async () => {
      await session.step('DIFFERENCE_PAID', { actor: `customer:${input.customer.id}`, data: { paymentId: paid, amountMinor: difference } }); // the customer paid; the storefront only confirms it
      if (patched(PAYMENT_RECEIVED_PATCH)) {
        await activities.appendLedger({ caseId: input.caseId, stepKey: session.key('ledger:payment'), kind: 'PAYMENT_RECEIVED', amountMinor: difference, reference: paid, currency: order.currency, lines: [{ kind: 'PRICE_DIFFERENCE', amountMinor: difference }] });
        differenceBooked = true;
      }
    };
    const inTime = await waitUntil(() => !!paid || !!back.withdrawal(), payBy);
    const withdrawn = back.withdrawal();
    if (withdrawn && !paid) return session.closeWithdrawn(withdrawn, 'exchangeWithdrawn');
    if (!inTime) {
      // Paid while the agent was still to decide: the payment decides it, as if in time (only a storefront's confirmation can end the wait so).
      const resolution = await session.waitForAgentUnless('DIFFERENCE_UNPAID', () => !!paid, { decision: session.decision('proposalAcceptanceHours', { payBy }, 'AGENT') });
      if (resolution?.action === 'CLOSE') return session.closeByAgent(resolution);
      if (!resolution && patched(DIFFERENCE_PAID_LATE_PATCH)) await bookPayment();
    } else await bookPayment();
  }

  // --- an urgent customer may get a loan product at once ---
  const substitute = input.urgent ? input.substitute : undefined;
  /** Whether the loan's way back starts by asking if it was ever sent: decided when it is lent (LOAN_NEVER_SENT_PATCH). */
  let askWhetherLoanSent = false;
  if (substitute) {
    // Loans lent before the warehouse reported them sent (SUBSTITUTE_SENT) would all read as never sent: only those lent since ask.
    askWhetherLoanSent = patched(LOAN_NEVER_SENT_PATCH);
    await activities.appendLedger({
      caseId: input.caseId,
      stepKey: session.key('ledger:substitute-out'),
      kind: 'OUTBOUND',
      amountMinor: 0,
      currency: order.currency,
      lines: [{ sku: substitute.sku, quantity: 1, unitCostMinor: substitute.unitCostMinor, stockDelta: -1, loan: true }],
    });
    await session.step('SUBSTITUTE_LENT', { data: { sku: substitute.sku }, decision: session.decision('urgentCustomer', { substitute: substitute.sku }, 'LEND') });
    // Told that the way back comes with the loan's own message (sendLoanBack), not to send it back unasked.
    await session.notify(patched(SEND_BACK_TOLD_PATCH) ? 'substituteLentAskedLater' : 'substituteLent', { sku: loanItem(substitute) });
  }

  // --- an exchange: the old goods back first, unless it may ship first ---
  const shipsFirst = input.kind === 'EXCHANGE' && (rules.exchangeShipsBeforeReturn || input.urgent);
  if (input.kind === 'EXCHANGE') {
    await session.step('EXCHANGE_ORDER', { decision: session.decision(input.urgent ? 'urgentCustomer' : 'exchangeShipsBeforeReturn', { exchangeShipsBeforeReturn: rules.exchangeShipsBeforeReturn, urgent: input.urgent }, shipsFirst ? 'SHIP_FIRST' : 'RETURN_FIRST') });
    if (!shipsFirst) {
      const r = await takeBack(session, back, { ...takeBackOptions(false), withdrawable: !substitute });
      if (r !== 'BACK') return r;
      const wrong = await returnedWrong(true);
      if (wrong === 'CLOSED') return 'CLOSED_BY_AGENT';
      if (wrong) return refundInstead('RETURN_PROBLEM');
    }
  }

  // --- the warehouse checks and packs what goes out; with no good unit in stock, an agent decides ---
  const warehouseHours = input.urgent ? rules.urgentWarehouseHours : rules.warehouseTaskHours;
  // Cases started before the rule existed have none in their input: the default.
  const restockDays = rules.restockWaitDays ?? DEFAULT_FULFILMENT_RULES.restockWaitDays;
  let restockDueAt: number | undefined;
  for (;;) {
    noGoodStock = false;
    let waitedOut: ReturnType<CaseSession['decision']> | undefined;
    const restock = restockDueAt !== undefined;
    const checkDueAt = restockDueAt ?? Date.now() + hours(warehouseHours);
    await session.enter('AWAITING_OUTGOING_CHECK', 'WAREHOUSE_TASK_OPENED', { status: 'WAITING_WAREHOUSE', deadlines: restock ? { restockDueAt: checkDueAt } : { checkDueAt }, data: { task: 'CHECK_AND_PACK', lines: outgoing, urgent: input.urgent, ...(restock ? { restock } : {}) } });
    if (!restock) await warehouseTask(session, () => !!check || noGoodStock, checkDueAt, input.urgent ? 'urgentWarehouseHours' : 'warehouseTaskHours', warehouseHours);
    // Waiting for a restock is not a late warehouse task: past its own deadline the customer is asked again.
    else if (!(await waitUntil(() => !!check || noGoodStock, checkDueAt))) waitedOut = session.decision('restockWaitDays', { restockDueAt: checkDueAt, days: restockDays }, 'AGENT');
    if (check) break;
    const resolution = await session.waitForAgent('NO_GOOD_STOCK', { data: { lines: outgoing }, ...(waitedOut ? { decision: waitedOut } : {}) });
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
    if (resolution.action === 'REFUND_REQUESTED') return refundInstead('NO_GOOD_STOCK');
    // The customer waits for the restock: the warehouse checks again when it comes.
    restockDueAt = Date.now() + days(restockDays);
    await session.notify('waitingForRestock', {});
  }
  await session.step('OUTGOING_CHECKED', { actor: `warehouse:${check!.by}`, data: { ...check } });
  // The price difference the customer paid for a dearer replacement is booked on its outbound note
  // (money in, positive; the payment id as reference) in cases that did not book it when it was paid.
  const collectedMinor = paid && difference > 0 && !differenceBooked ? difference : 0;
  await activities.appendLedger({
    caseId: input.caseId,
    stepKey: session.key('ledger:outbound'),
    kind: 'OUTBOUND',
    amountMinor: collectedMinor,
    ...(collectedMinor ? { reference: paid } : {}),
    currency: order.currency,
    lines: outgoing.map((l) => ({ ...l, stockDelta: -l.quantity, ...(check!.serialNumbers ? { serialNumbers: check!.serialNumbers } : {}) })),
  });

  // --- the preferred carrier, the backup when it refuses ---
  const dueShown = patched(DISPATCH_DUE_PATCH);
  let dispatchDueAt = Date.now() + hours(warehouseHours);
  await session.enter('AWAITING_DISPATCH', 'CARRIER_CHOSEN', { status: 'WAITING_WAREHOUSE', ...(dueShown ? { deadlines: { dispatchDueAt } } : {}), data: { carrier } });
  while (!sent) {
    await waitUntil(() => !!sent || refusals.length > 0, dueShown ? dispatchDueAt : Date.now() + hours(warehouseHours));
    if (refusals.length && !sent) {
      const refusal = refusals.shift()!;
      // The preferred carrier's second refusal, heard before the switch: not the backup's.
      if (refusal.carrier !== carrier && patched(STALE_REFUSAL_PATCH)) continue;
      const reason = refusal.reason;
      if (carrier === rules.backupCarrier) {
        // Both refused: the case is escalated, and the warehouse may send it with another carrier.
        // A validator's state, no command: replay is unaffected.
        anyCarrier = true;
        await session.step('CARRIER_REFUSED', { escalated: true, data: { carrier, reason } });
        continue;
      }
      carrier = rules.backupCarrier;
      await session.step('CARRIER_SWITCHED', { data: { reason, carrier }, decision: session.decision('backupCarrier', { preferredCarrier: rules.preferredCarrier, backupCarrier: rules.backupCarrier, reason }, carrier) });
    } else if (!sent) {
      if (dueShown) dispatchDueAt = Date.now() + hours(warehouseHours);
      await session.step('WAREHOUSE_REMINDER', { escalated: true, ...(dueShown ? { deadlines: { dispatchDueAt } } : {}) });
    }
  }
  const parcel = sent!;
  await session.enter('SHIPPED', 'SHIPPED', { actor: `warehouse:${parcel.by}`, status: 'WAITING_COURIER', data: parcelSentData(parcel) });
  await session.notify('exchangeShipped', { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber });
  const followed = await followUntilDelivered(session, rules, parcel, { madeGood: { refundWouldPay: refundInsteadWouldPay } });
  if (followed === 'CLOSED_BY_AGENT') return followed;
  // The replacement will not reach the customer (shipping.ts MAKE_GOOD_REFUND_PATCH): refunded instead, as with no good stock.
  if (followed === 'REFUND_REQUESTED') return refundInstead('NOT_DELIVERED');
  replacementDelivered = true;

  if (shipsFirst) {
    const r = await takeBack(session, back, takeBackOptions(true));
    if (r !== 'BACK') return r;
    if ((await returnedWrong(false)) === 'CLOSED') return 'CLOSED_BY_AGENT';
  }

  // --- a cheaper replacement: the difference goes back (before the loan is asked back: DIFFERENCE_BEFORE_LOAN_PATCH) ---
  let refundedMinor = 0;
  const refundCheaper = async () => {
    refundedMinor = await refundToCustomer(session, { caseId: input.caseId, merchantId: input.merchantId, order, amountMinor: -difference, reason: 'exchange: price difference', lines: (paid) => [{ kind: 'PRICE_DIFFERENCE', amountMinor: paid }] });
  };
  const refundedBeforeLoan = !!substitute && difference < 0 && patched(DIFFERENCE_BEFORE_LOAN_PATCH);
  if (refundedBeforeLoan) await refundCheaper();
  if (substitute) {
    const closed = await substituteBack(substitute);
    if (closed) return closed;
  }
  if (difference < 0 && !refundedBeforeLoan) await refundCheaper();
  // Other cases of the order may have been refunded first: the resolution says what the difference came to.
  await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, ...session.refundShortOf('exchangeDifferenceRefund', -difference, refundedMinor) });
  return session.revisit();

  /**
   * Nothing in stock will go out (NO_GOOD_STOCK), or the replacement sent will not reach the
   * customer (NOT_DELIVERED: refused or coming back, its customer told by followUntilDelivered), and
   * the customer takes a refund instead; or the goods came back short or damaged by the customer and
   * the agent refunds those back in good order instead (RETURN_PROBLEM). Goods still with the
   * customer (an exchange that was to ship first) come back first, then the exchanged goods and any
   * difference paid are refunded (once: a later close pays no difference again); a loan product
   * still comes back.
   */
  async function refundInstead(why: 'NO_GOOD_STOCK' | 'NOT_DELIVERED' | 'RETURN_PROBLEM'): Promise<ExchangeOutcome> {
    if (why === 'NO_GOOD_STOCK') await session.notify('exchangeRefundInstead', {});
    if (shipsFirst) {
      // A loan product out: silence is an agent's to settle, not a close that forgets the loan.
      const r = await takeBack(session, back, takeBackOptions(!!substitute));
      if (r !== 'BACK') return r;
    }
    const differencePaid = differencePaidNow();
    // An exchange counts what came back: nothing, when an agent went on without the goods.
    const refund = noStockRefund(order, lines, differencePaid, input.kind === 'EXCHANGE' ? (back.inspection?.lines ?? []) : undefined);
    // Why the exchange became a refund of part of it, where it pays something (an action new with it: no patch).
    if (why === 'RETURN_PROBLEM' && refund.amountMinor > 0) await session.notify('exchangeRefundedWhatCameBack', {});
    // Nothing came back in good order and no difference was paid: nothing to refund.
    differenceReturned ||= differencePaid > 0;
    const refundedMinor = refund.amountMinor === 0 ? 0 : await refundToCustomer(session, {
      caseId: input.caseId,
      merchantId: input.merchantId,
      order,
      amountMinor: refund.amountMinor,
      extraPaidMinor: differencePaid,
      reason: REFUNDED_INSTEAD[why].reason,
      lines: (paidMinor) => noStockRefundPaid(refund, paidMinor).map((b) => ({ ...b })),
    });
    if (substitute) {
      const closed = await substituteBack(substitute);
      if (closed) return closed;
    }
    await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, data: { remedy: 'REFUND' }, ...session.refundShortOf(REFUNDED_INSTEAD[why].rule, refund.amountMinor, refundedMinor) });
    return session.revisit();
  }

  /** The difference paid for a dearer replacement: paid on top of the order, so the order's cap is raised by it. */
  function differencePaidNow(): number {
    return paid && difference > 0 ? difference : 0;
  }

  /**
   * What refundInstead would pay now, for the agent deciding about a replacement that was not
   * delivered: the exchanged goods as far as the order has money left — those back in good order, or
   * all of them when they are still with the customer (they come back first) — plus any difference paid.
   */
  async function refundInsteadWouldPay(): Promise<number> {
    const differencePaid = differencePaidNow();
    const goods = noStockRefund(order, lines, 0, input.kind === 'EXCHANGE' && !shipsFirst ? (back.inspection?.lines ?? []) : undefined).amountMinor;
    const earlier = await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
    return Math.min(goods, refundableMinor(order, earlier.amountMinor)) + differencePaid;
  }

  /**
   * The goods came back short or damaged by the customer: an agent decides before anything more goes
   * out or is paid. `beforeReplacement`: they came back first, so what came back in good order is
   * still owed — the replacement, or a refund of them (refundInstead RETURN_PROBLEM).
   */
  function returnedWrong(beforeReplacement: boolean) {
    // A loan product still with the customer, said on the wait: closing the case does not bring it back.
    return agentDecidesWhatCameBack(session, back, lines, {
      wait: 'EXCHANGE_RETURN_PROBLEM',
      since: EXCHANGE_RETURN_CHECKED_PATCH,
      data: substitute ? { loanOut: substitute.sku } : {},
      refundOffered: beforeReplacement,
      refundWouldPay: () => noStockRefund(order, lines, differencePaidNow(), back.inspection?.lines ?? []).amountMinor,
    });
  }

  function takeBackOptions(customerHasReplacement: boolean) {
    return { caseId: input.caseId, customerId: input.customer.id, policy, order, lines, customerHasReplacement, refundBeforeClose, bookReturnShipping: true, reviewsWhatCameBack: true, ...(input.returnAddress ? { returnAddress: input.returnAddress } : {}) };
  }

  /** A dearer replacement paid for, the old goods never sent back: the difference goes back before the case closes (returned first, or refunded instead of a replacement). */
  function refundBeforeClose(): Promise<number> {
    return returnDifferencePaid('exchange: difference returned, old goods never sent', DIFFERENCE_BACK_ON_CLOSE_PATCH);
  }

  /** The price difference the customer paid for a dearer replacement, back to them (once), from the patch `since` on. */
  async function returnDifferencePaid(reason: string, since: string): Promise<number> {
    if (!paid || difference <= 0 || differenceReturned || !patched(since)) return 0;
    differenceReturned = true;
    return refundToCustomer(session, {
      caseId: input.caseId,
      merchantId: input.merchantId,
      order,
      amountMinor: difference,
      extraPaidMinor: difference,
      reason,
      lines: (p) => [{ ...differenceReturnedLine(p) }],
    });
  }

  /** The loan comes back once the replacement is there; kept past the deadline, an agent settles it. */
  async function substituteBack(loan: { sku: string; unitCostMinor: number; name?: string }): Promise<'CLOSED_BY_AGENT' | undefined> {
    /** The loan booked back in (its return note, once per case): as it came back, or as it never left. */
    const bookLoanBack = (line: { quantity: number; condition: string; stockDelta: number; neverSent?: true }) =>
      activities.appendLedger({
        caseId: input.caseId,
        stepKey: session.key('ledger:substitute-back'),
        kind: 'RETURN_NOTE',
        amountMinor: 0,
        currency: order.currency,
        lines: [{ sku: loan.sku, unitCostMinor: loan.unitCostMinor, loan: true, ...line }],
      });
    // Asked under the loan's own key (the activity records SUBSTITUTE_NOT_SENT there), so a late report and this answer cannot both win.
    if (askWhetherLoanSent && !(await activities.loanSent({ caseId: input.caseId, sku: loan.sku })).sent) {
      // It never left the warehouse: back into stock, as the lending booked it out.
      await bookLoanBack({ quantity: 1, condition: 'OK', stockDelta: 1, neverSent: true });
      // Told it was coming, the customer is told it is not. Written with the steps that follow at once (RESOLVED): no command of its own, no patch.
      await session.notify('loanNotSent', { sku: loanItem(loan) });
      return undefined;
    }
    back.inspection = undefined;
    // What an inspection may report from here: the loan item, one unit (the old goods were inspected before).
    back.expected = [{ sku: loan.sku, quantity: 1 }];
    const byArrival = patched(LOAN_ARRIVAL_PATCH);
    // The old goods' scan says nothing of the loan: its own scan (and who made it) is waited for, and
    // the old goods' parcel scanned again is not it.
    if (byArrival) {
      [back.arrived, back.scannedBy, back.scannedAt] = [false, undefined, undefined];
      back.notNews = [back.parcel.current?.trackingNumber, back.shipment?.trackingNumber].filter((n): n is string => !!n).map(normaliseTrackingNumber);
    }
    const shipBy = session.customerShipDeadline(policy.rules.customerShipReturnDays).dueAt;
    const told = patched(SEND_BACK_TOLD_PATCH);
    // Sent by `shipBy`, it has the return's arrival days to reach the warehouse before an agent is called.
    const loanDueAt = told ? shipBy + days(policy.rules.returnArrivalDays) : shipBy;
    // Where to, by when and with which code, on the step too (the storefront shows the case).
    const returnTo = told ? { returnCode: input.caseId, shipBy, ...returnAddressField(input.returnAddress) } : {};
    await session.enter('AWAITING_SUBSTITUTE_RETURN', 'SUBSTITUTE_DUE', { status: 'WAITING_CUSTOMER', deadlines: { loanDueAt }, data: { sku: loan.sku, ...returnTo } });
    if (told) await session.notify('sendLoanBack', { sku: loanItem(loan), ...returnTo });
    // The days it had, as the customer was told them: to send it, then for it to arrive.
    const had = !told ? { loanDueAt } : { shipBy, loanDueAt, customerShipReturnDays: policy.rules.customerShipReturnDays, returnArrivalDays: policy.rules.returnArrivalDays };
    /** Not back: an agent settles it (CLOSE ends the case; CONTINUE goes on without the loan). */
    const notReturned = async (data: Record<string, unknown>) => {
      const resolution = await session.waitForAgent('SUBSTITUTE_NOT_RETURNED', { data: { sku: loan.sku, ...data }, decision: session.decision('customerShipReturnDays', had, 'AGENT') });
      return resolution.action === 'CLOSE' ? session.closeByAgent(resolution) : undefined;
    };
    if (!(await waitUntil(() => !!back.inspection || (byArrival && back.arrived), loanDueAt))) return notReturned({});
    if (!back.inspection) {
      // Scanned in, not yet inspected: the warehouse inspects it as it does any goods that came back.
      const inspectionDueAt = Date.now() + hours(policy.rules.inspectionHours);
      await session.enter('AWAITING_SUBSTITUTE_INSPECTION', 'SUBSTITUTE_ARRIVED', { ...(back.scannedBy ? { actor: `warehouse:${back.scannedBy}` } : {}), status: 'WAITING_WAREHOUSE', deadlines: { inspectionDueAt }, data: { sku: loan.sku } });
      await session.notify('loanReceived', { sku: loanItem(loan) });
      await warehouseTask(session, () => !!back.inspection, inspectionDueAt, 'inspectionHours', policy.rules.inspectionHours);
    }
    const loanBack = back.inspection!.lines.find((l) => l.sku === loan.sku);
    // Scanned in, but the loan was not in the parcel: still not back.
    if (byArrival && !loanBack?.receivedQuantity) return notReturned({ inspected: 'MISSING' });
    const ok = loanBack?.condition === 'OK' ? loanBack.receivedQuantity : 0;
    await bookLoanBack({ quantity: loanBack?.receivedQuantity ?? 0, condition: loanBack?.condition ?? 'MISSING', stockDelta: ok });
    await session.step('SUBSTITUTE_RETURNED', { data: { sku: loan.sku, condition: loanBack?.condition ?? 'MISSING' } });
    return undefined;
  }
}
