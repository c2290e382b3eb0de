/**
 * Exchange and re-shipment (换货 / 补发) on the time-skipping dev server: the old goods back first,
 * or the replacement first (policy or an urgent customer); the warehouse's outgoing check; the
 * backup carrier; the price difference both ways; every deadline.
 */
import { describe, expect, it } from 'vitest';
import { defaultFulfilmentPolicy, defaultPolicy, type ExchangeLine, type OrderSnapshot } from '../../domain/index.js';
import {
  answerRevisit,
  arrivalScanned,
  carrierRefused,
  confirmDifferencePaid,
  INVALID_INPUT,
  reportInspection,
  reportOutgoingCheck,
  reportOutgoingCheckFailure,
  reportReshipment,
  resolveByAgent,
  submitReturnShipment,
  withdrawRequest,
  type OutgoingCheck,
} from '../../workflows/contract.js';
import type { ExchangeInput } from '../../workflows/exchange.js';
import { DAY, HOUR, newCaseId, saveHistory, useCaseEnvironment } from './case-harness.js';
import { RecordingActivities, renderProblems } from './recording-activities.js';
import { waitUntil } from '../support/wait.js';

/** Filled in by beforeAll: read its fields inside tests, never at load time. */
const cases = useCaseEnvironment();

let seq = 0;
const order = (): OrderSnapshot => ({
  orderId: `ex-${++seq}`,
  currency: 'CNY',
  items: [{ sku: 'SHOE-40', name: 'Shoe 40', quantity: 1, unitPriceMinor: 30_000, unitCostMinor: 12_000 }],
  shippingFeeMinor: 0,
  paidTotalMinor: 30_000,
});
const toSize41 = (price = 30_000): ExchangeLine[] => [{ sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-41', replacementUnitPriceMinor: price, replacementUnitCostMinor: 12_000 }];
const goodCheck: OutgoingCheck = { by: 'packer', undamaged: true, working: true, resaleable: true, invoice: true, warrantyCard: true, serialNumbers: ['SN-41-001'] };

async function open(over: Partial<ExchangeInput> = {}, fulfilment: Partial<ExchangeInput['fulfilment']['rules']> = {}, setup: (r: RecordingActivities) => void = () => undefined) {
  const rec = new RecordingActivities();
  setup(rec);
  const caseId = newCaseId('ex');
  const f = defaultFulfilmentPolicy(9);
  const input: ExchangeInput = {
    caseId,
    merchantId: 'm1',
    policy: { ...defaultPolicy(), version: 9 },
    fulfilment: { ...f, rules: { ...f.rules, ...fulfilment } },
    order: order(),
    kind: 'EXCHANGE',
    lines: toSize41(),
    reason: 'too small',
    urgent: false,
    customer: { id: 'cust-e', locale: 'zh-CN' },
    openedAt: await cases.env.currentTimeMs(),
    returnAddress: { name: '售后部', phone: '+86 571 0000 0000', address: '杭州 1 号仓' },
    ...over,
  };
  return cases.start('exchange', input, rec);
}

type Run = Awaited<ReturnType<typeof open>>;
async function takeBack(run: Run, condition: 'OK' | 'DAMAGED_BY_CUSTOMER' | 'MISSING' = 'OK', paid: { returnShippingPaidMinor?: number } = {}) {
  await run.until('AWAITING_RETURN_SHIPMENT');
  await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF-OLD' }] });
  await run.until('AWAITING_ARRIVAL');
  await run.handle.signal(arrivalScanned, { trackingNumber: 'SF-OLD', scannedAt: Date.now(), scannedBy: 'dock' });
  await run.until('AWAITING_INSPECTION');
  // Only what the case asked back can come back into stock: another SKU, or more of it, is refused.
  await expect(run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'SHOE-40', receivedQuantity: 3, condition: 'OK' }, { sku: 'HAT', receivedQuantity: 1, condition: 'OK' }] }] })).rejects.toMatchObject({
    cause: { type: INVALID_INPUT, details: [{ field: 'lines[1].sku', reason: 'HAT is not among the goods the case asked back' }, { field: 'lines[0].receivedQuantity', reason: '3 of SHOE-40 received, but the case asked back 1: count again' }] },
  });
  await run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'SHOE-40', receivedQuantity: condition === 'MISSING' ? 0 : 1, condition }], ...paid }] });
}
/** The agent answers the EXCHANGE_RETURN_PROBLEM wait (the old goods came back short or damaged). */
async function returnProblemThen(run: Run, action: 'CONTINUE' | 'CLOSE', note?: string) {
  await run.until('AWAITING_AGENT');
  expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'EXCHANGE_RETURN_PROBLEM', escalated: true });
  await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action, ...(note ? { note } : {}), asOffered: true }] });
}
/** An order of two pairs, both to be exchanged: `twoPairs()` and `lines` of quantity 2. */
const twoPairs = (): OrderSnapshot => ({ ...order(), items: [{ sku: 'SHOE-40', name: 'Shoe 40', quantity: 2, unitPriceMinor: 30_000, unitCostMinor: 12_000 }], paidTotalMinor: 60_000 });
/** Two pairs asked back, one comes back in good order: the case waits for an agent (EXCHANGE_RETURN_PROBLEM). */
async function oneOfTwoBack(run: Run) {
  await run.until('AWAITING_RETURN_SHIPMENT');
  await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF-OLD' }] });
  await run.handle.signal(arrivalScanned, { trackingNumber: 'SF-OLD', scannedAt: Date.now(), scannedBy: 'dock' });
  await run.until('AWAITING_INSPECTION');
  await run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }] }] });
  await run.until('AWAITING_AGENT');
}
/** The warehouse reports no good unit in stock, and the agent answers the NO_GOOD_STOCK wait. */
async function noGoodStockThen(run: Run, action: 'REFUND_REQUESTED' | 'CONTINUE' | 'CLOSE', note?: string) {
  await run.handle.executeUpdate(reportOutgoingCheckFailure, { args: [{ by: 'packer', failed: ['working'], note: 'none left', noGoodStock: true }] });
  await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action, ...(note ? { note } : {}), asOffered: true }] });
}
/** No good unit in stock, and the agent closes the exchange. */
async function noStockThenClosed(run: Run) {
  await noGoodStockThen(run, 'CLOSE', 'customer gave up waiting');
  expect(await run.done).toBe('CLOSED_BY_AGENT');
}
async function sendOut(run: Run, carrier = 'SF', check = goodCheck) {
  await run.until('AWAITING_OUTGOING_CHECK');
  await run.handle.executeUpdate(reportOutgoingCheck, { args: [check] });
  await run.until('AWAITING_DISPATCH');
  await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer', carrier, trackingNumber: `${carrier}-NEW`, weightGrams: 1_150 }] });
  await run.until('SHIPPED');
  expect(run.rec.transitions.filter((t) => t.kind === 'SHIPPED').at(-1)).toMatchObject({ actor: 'warehouse:packer' });
  run.rec.trace = { status: 'DELIVERED', deliveredAt: 1 };
  await cases.env.sleep(DAY + HOUR);
}
async function revisit(run: Run) {
  await run.until('RESOLVED');
  await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
  await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
  expect(await run.done).toBe('CLOSED_SATISFIED');
}
const stock = (run: Run) => {
  const out: Record<string, number> = {};
  for (const d of run.rec.ledger) for (const l of d.lines as Array<{ sku?: string; stockDelta?: number }>) if (l.sku && l.stockDelta) out[l.sku] = (out[l.sku] ?? 0) + l.stockDelta;
  return out;
};

describe('exchange and re-shipment', () => {
  it('an exchange: the old pair back and restocked first, the new size checked, sent and delivered', async () => {
    const run = await open();
    await takeBack(run);
    expect(run.rec.kinds()).not.toContain('OUTGOING_CHECKED'); // nothing went out before the old pair was back
    await sendOut(run);
    await revisit(run);
    expect(run.rec.transitions.find((t) => t.kind === 'EXCHANGE_ORDER')!.decision).toMatchObject({ rule: 'exchangeShipsBeforeReturn', outcome: 'RETURN_FIRST' });
    expect(run.rec.docs()).toEqual(['RETURN_NOTE', 'OUTBOUND']);
    expect(stock(run)).toEqual({ 'SHOE-40': 1, 'SHOE-41': -1 });
    expect(run.rec.ledger[1]!.lines).toEqual([expect.objectContaining({ sku: 'SHOE-41', serialNumbers: ['SN-41-001'] })]);
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['sendGoodsBackWithCode', 'exchangeShipped', 'parcelDelivered']));
    // An exchange is not a return: its customer is asked for the goods, not told a return was approved.
    expect(run.rec.templates()).not.toContain('returnApprovedWithCode');
    // Its solution is given at once: told it is under way, not promised one by a deadline.
    expect(run.rec.templates()).toContain('exchangeRequestReceived');
    expect(run.rec.templates()).not.toContain('caseOpenedSolutionBy');
  });

  it('the postage the shop paid for the old pair coming back is booked as a return-shipping expense note (return-shipping-booked)', async () => {
    const run = await open();
    await takeBack(run, 'OK', { returnShippingPaidMinor: 800 });
    await sendOut(run);
    await revisit(run);
    expect(run.rec.transitions.find((t) => t.kind === 'INSPECTED')!.data).toMatchObject({ returnShippingPaidMinor: 800 });
    expect(run.rec.docs()).toEqual(['RETURN_NOTE', 'EXPENSE_NOTE', 'OUTBOUND']);
    expect(run.rec.ledger[1]).toMatchObject({ amountMinor: 0, lines: [{ purpose: 'RETURN_SHIPPING', amountMinor: 800 }] });
    await saveHistory(run, 'exchange-v21-return-shipping-booked');
  });

  it('the old pair came back as an empty box: an agent decides before anything goes out; closed, nothing is sent', async () => {
    const run = await open();
    await takeBack(run, 'MISSING');
    await returnProblemThen(run, 'CLOSE', 'empty box: the customer keeps the old pair, no exchange');
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    const problem = run.rec.transitions.find((t) => t.kind === 'EXCHANGE_RETURN_PROBLEM')!;
    // Nothing back in good order: a refund of what came back would pay nothing, and the agent may close.
    expect(problem.data).toEqual({ problems: [{ sku: 'SHOE-40', expected: 1, received: 0, kind: 'SHORT' }], refunds: { REFUND_RECEIVED: 0 } });
    expect(run.rec.kinds()).not.toContain('WAREHOUSE_TASK_OPENED');
    expect(run.rec.docs()).toEqual(['RETURN_NOTE']);
    expect(stock(run)).toEqual({});
    await saveHistory(run, 'exchange-v12-return-problem');
  });

  it('the old pair came back damaged by the customer: an agent decides; going on, the new size goes out', async () => {
    const run = await open();
    await takeBack(run, 'DAMAGED_BY_CUSTOMER');
    await returnProblemThen(run, 'CONTINUE');
    expect(run.rec.transitions.find((t) => t.kind === 'EXCHANGE_RETURN_PROBLEM')!.data).toEqual({ problems: [{ sku: 'SHOE-40', expected: 1, received: 1, kind: 'DAMAGED_BY_CUSTOMER' }], refunds: { REFUND_RECEIVED: 0 } });
    await sendOut(run);
    await revisit(run);
    expect(stock(run)).toEqual({ 'SHOE-41': -1 }); // the damaged pair is not restocked
  });

  it('two pairs sent back for a dearer size, one came back in good order: closing would keep it unpaid (refused); refunding what came back pays that pair and the difference, and nothing goes out', async () => {
    const run = await open({ order: twoPairs(), lines: [{ ...toSize41(33_000)[0]!, quantity: 2 }] });
    await run.until('AWAITING_PAYMENT');
    await run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-2' }] });
    await oneOfTwoBack(run);
    // The pair back is worth 300.00, and the 60.00 paid for two dearer pairs goes back with it.
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'EXCHANGE_RETURN_PROBLEM', data: { problems: [{ sku: 'SHOE-40', expected: 2, received: 1, kind: 'SHORT' }], refunds: { REFUND_RECEIVED: 36_000 } } });
    await expect(run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', note: 'one pair missing', asOffered: true }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, message: expect.stringContaining('the warehouse holds goods the customer sent back (SHOE-40 × 1)'), details: [{ field: 'action' }] },
    });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'REFUND_RECEIVED', note: 'one pair missing: refund the pair back', asOffered: true }] });
    await run.until('RESOLVED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([36_000]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 36_000, data: { remedy: 'REFUND' } });
    // Told why the exchange became a refund, then of the refund.
    expect(run.rec.templates().slice(-2)).toEqual(['exchangeRefundedWhatCameBack', 'refundIssued']);
    expect(run.rec.kinds()).not.toContain('WAREHOUSE_TASK_OPENED');
    // The pair back is restocked; no new pair left the warehouse.
    expect(stock(run)).toEqual({ 'SHOE-40': 1 });
    await revisit(run);
  });

  it('shipped first, one of two pairs came back: the replacement paid for it, so no refund of it is taken (the agent settles or closes)', async () => {
    const run = await open({ order: twoPairs(), lines: [{ ...toSize41()[0]!, quantity: 2 }], urgent: true });
    await sendOut(run, 'SF', { ...goodCheck, serialNumbers: ['SN-41-001', 'SN-41-002'] });
    await oneOfTwoBack(run);
    expect(run.rec.transitions.at(-1)!.data).toEqual({ problems: [{ sku: 'SHOE-40', expected: 2, received: 1, kind: 'SHORT' }] });
    await expect(run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'REFUND_RECEIVED', asOffered: true }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, message: expect.stringContaining('the replacement went out first'), details: [{ field: 'action' }] },
    });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', note: 'one pair kept: a claim against the customer', asOffered: true }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds).toEqual([]);
  });

  it('shipped first, the old pair then came back as an empty box: an agent decides before the cheaper replacement’s difference is refunded', async () => {
    const run = await open({ urgent: true, lines: toSize41(25_000) });
    await sendOut(run);
    await takeBack(run, 'MISSING');
    await returnProblemThen(run, 'CLOSE', 'empty box after the replacement went out: a claim against the customer');
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds).toEqual([]);
  });

  it('an urgent customer: the replacement goes first with the shorter warehouse deadline, the old pair follows', async () => {
    const run = await open({ urgent: true });
    await run.until('AWAITING_OUTGOING_CHECK');
    const task = run.rec.transitions.find((t) => t.kind === 'WAREHOUSE_TASK_OPENED')!;
    // 4 hours from the moment the task opened: after the case opened, before the step was seen.
    const seen = await cases.env.currentTimeMs();
    expect(task.deadlines!.checkDueAt).toBeGreaterThanOrEqual(run.input.openedAt + 4 * HOUR);
    expect(task.deadlines!.checkDueAt).toBeLessThanOrEqual(seen + 4 * HOUR);
    await cases.env.sleep(5 * HOUR);
    expect(run.rec.transitions.find((t) => t.kind === 'WAREHOUSE_TASK_LATE')!.decision).toMatchObject({ rule: 'urgentWarehouseHours' });
    await sendOut(run);
    await takeBack(run);
    await revisit(run);
    expect(run.rec.transitions.find((t) => t.kind === 'EXCHANGE_ORDER')!.decision).toMatchObject({ rule: 'urgentCustomer', outcome: 'SHIP_FIRST' });
    expect(run.rec.docs()).toEqual(['OUTBOUND', 'RETURN_NOTE']);
  });

  it('an urgent customer gets a loan product at once; it comes back after the replacement, and stock nets out', async () => {
    const run = await open({ urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 } });
    await run.until('AWAITING_OUTGOING_CHECK');
    expect((await run.rec.sent('substituteLentAskedLater')).params).toEqual({ sku: 'SHOE-LOAN' });
    await sendOut(run);
    await takeBack(run);
    await run.until('AWAITING_SUBSTITUTE_RETURN');
    // Asked for the loan when it falls due: where to, by when, with the code the warehouse scans (on the step too).
    const due = run.rec.transitions.find((t) => t.kind === 'SUBSTITUTE_DUE')!;
    expect(due.data).toMatchObject({ sku: 'SHOE-LOAN', returnCode: run.input.caseId, returnAddress: expect.stringContaining('1 号仓'), shipBy: expect.any(Number) });
    expect((await run.rec.sent('sendLoanBack')).params).toEqual({ sku: 'SHOE-LOAN', returnCode: run.input.caseId, returnAddress: due.data!.returnAddress, shipBy: due.data!.shipBy });
    // Sent by that day, it has the return's 10 arrival days to reach the warehouse before an agent is called.
    expect(due.deadlines!.loanDueAt).toBe((due.data!.shipBy as number) + 10 * DAY);
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'SHOE-LOAN', receivedQuantity: 1, condition: 'OK' }] }] });
    await revisit(run);
    expect(run.rec.kinds()).toEqual(expect.arrayContaining(['SUBSTITUTE_LENT', 'SUBSTITUTE_DUE', 'SUBSTITUTE_RETURNED']));
    await saveHistory(run, 'exchange-v16-send-back-told');
    expect(stock(run)).toEqual({ 'SHOE-LOAN': 0, 'SHOE-40': 1, 'SHOE-41': -1 });
  });

  it('a loan product the warehouse never sent is not asked back: back into stock, no agent called (exchange-loan-never-sent)', async () => {
    // The replacement went out and arrived before the warehouse got to the loan (no SUBSTITUTE_SENT).
    const run = await open({ urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 } }, {}, (r) => void (r.loanOut = false));
    await sendOut(run);
    await takeBack(run);
    await run.until('RESOLVED');
    // The answer is on the timeline under the loan's own key, where a late report of it sent is then refused.
    expect(run.rec.events).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'SUBSTITUTE_NOT_SENT', stepKey: 'loan:sent', data: { sku: 'SHOE-LOAN' } })]));
    expect(run.rec.kinds()).not.toContain('SUBSTITUTE_DUE');
    expect(run.rec.templates()).not.toContain('sendLoanBack');
    // Told it was coming, told it is not.
    expect((await run.rec.sent('loanNotSent')).params).toEqual({ sku: 'SHOE-LOAN' });
    // Booked out when lent, back in now: stock nets out as for a loan that came back.
    expect(run.rec.ledger.find((d) => d.kind === 'RETURN_NOTE' && (d.lines as Array<{ sku?: string }>).some((l) => l.sku === 'SHOE-LOAN'))!.lines).toEqual([expect.objectContaining({ sku: 'SHOE-LOAN', stockDelta: 1, loan: true, neverSent: true })]);
    expect(stock(run)).toEqual({ 'SHOE-LOAN': 0, 'SHOE-40': 1, 'SHOE-41': -1 });
    await revisit(run);
    await saveHistory(run, 'exchange-v26-loan-not-sent-told');
  });

  it('a loan kept past the deadline goes to an agent', async () => {
    const run = await open({ urgent: true, kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }], substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 } });
    await sendOut(run);
    await run.until('AWAITING_SUBSTITUTE_RETURN');
    // 7 days to send it, 10 for it to arrive.
    await cases.env.sleep(16 * DAY);
    expect(run.rec.kinds()).not.toContain('SUBSTITUTE_NOT_RETURNED');
    await Promise.all([cases.env.sleep(2 * DAY), run.until('AWAITING_AGENT')]);
    expect(run.rec.kinds()).toContain('SUBSTITUTE_NOT_RETURNED');
    // The agent reads the days it had as the customer was told them: 7 to send it, 10 for it to arrive.
    expect(run.rec.transitions.find((t) => t.kind === 'SUBSTITUTE_NOT_RETURNED')!.decision).toMatchObject({ rule: 'customerShipReturnDays', values: { customerShipReturnDays: 7, returnArrivalDays: 10, shipBy: expect.any(Number), loanDueAt: expect.any(Number) } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('a loan scanned in on its last day is back: the warehouse inspects it after, late only by its own hours, and no agent is called', async () => {
    const run = await open({ urgent: true, kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }], substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 } });
    await sendOut(run);
    await run.until('AWAITING_SUBSTITUTE_RETURN');
    // Only the loan can be reported back here: another SKU, or more than the one unit lent, is refused.
    await expect(run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }] }] })).rejects.toMatchObject({ cause: { type: INVALID_INPUT, details: [{ field: 'lines[0].sku', reason: 'SHOE-40 is not among the goods the case asked back' }] } });
    // Its last day (7 to send it, 10 to arrive): scanned in before the deadline, inspected after it.
    await cases.env.sleep(16 * DAY);
    await run.handle.signal(arrivalScanned, { returnCode: run.input.caseId, scannedAt: Date.now(), scannedBy: 'dock-2' });
    await run.until('AWAITING_SUBSTITUTE_INSPECTION');
    const arrived = await run.rec.stepped('SUBSTITUTE_ARRIVED');
    expect(arrived).toMatchObject({ actor: 'warehouse:dock-2', status: 'WAITING_WAREHOUSE', data: { sku: 'SHOE-LOAN' }, deadlines: { inspectionDueAt: expect.any(Number) } });
    expect((await run.rec.sent('loanReceived')).params).toEqual({ sku: 'SHOE-LOAN' });
    // Past the loan's deadline and past the inspection's own hours: the warehouse is late, the customer is not.
    await cases.env.sleep(2 * DAY + HOUR);
    await run.rec.stepped('WAREHOUSE_TASK_LATE');
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'SHOE-LOAN', receivedQuantity: 1, condition: 'OK' }] }] });
    await run.rec.stepped('SUBSTITUTE_RETURNED');
    expect(run.rec.kinds()).not.toContain('SUBSTITUTE_NOT_RETURNED');
    await revisit(run);
    await saveHistory(run, 'exchange-v18-loan-arrival');
    expect(stock(run)).toMatchObject({ 'SHOE-LOAN': 0 });
  });

  it("an exchange's old parcel scanned again is not the loan; a loan parcel with no loan in it goes to an agent", async () => {
    const run = await open({ urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 } });
    await sendOut(run);
    await takeBack(run);
    await run.until('AWAITING_SUBSTITUTE_RETURN');
    // The old pair's parcel past the scanner again (dock-1), then the loan's own (dock-2): only the second is the loan.
    await run.handle.signal(arrivalScanned, { trackingNumber: 'sf-old', scannedAt: Date.now(), scannedBy: 'dock-1' });
    await run.handle.signal(arrivalScanned, { trackingNumber: 'SF-LOAN', returnCode: run.input.caseId, scannedAt: Date.now(), scannedBy: 'dock-2' });
    await run.until('AWAITING_SUBSTITUTE_INSPECTION');
    expect(await run.rec.stepped('SUBSTITUTE_ARRIVED')).toMatchObject({ actor: 'warehouse:dock-2' });
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'SHOE-LOAN', receivedQuantity: 0, condition: 'MISSING' }] }] });
    await run.until('AWAITING_AGENT');
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'SUBSTITUTE_NOT_RETURNED', data: { sku: 'SHOE-LOAN', inspected: 'MISSING' } });
    expect(run.rec.kinds()).not.toContain('SUBSTITUTE_RETURNED');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', note: 'loan kept: charged by the shop' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    await saveHistory(run, 'exchange-v18-loan-missing');
  });

  it('the main carrier refuses the parcel: the backup carrier takes it; a parcel handed to another carrier is refused', async () => {
    const run = await open({ kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    await run.handle.executeUpdate(reportOutgoingCheck, { args: [{ ...goodCheck, serialNumbers: ['SN-40-9'] }] });
    await run.until('AWAITING_DISPATCH');
    await run.handle.signal(carrierRefused, { carrier: 'SF', reason: 'oversize for the route' });
    expect((await run.rec.stepped('CARRIER_SWITCHED')).decision).toMatchObject({ rule: 'backupCarrier', outcome: 'YTO' });
    await expect(run.handle.executeUpdate(reportReshipment, { args: [{ by: 'p', carrier: 'SF', trackingNumber: 'SF-X' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/goes with YTO/) } });
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'p', carrier: 'YTO', trackingNumber: 'YTO-NEW' }] });
    await run.until('SHIPPED');
    run.rec.trace = { status: 'DELIVERED', deliveredAt: 1 };
    await cases.env.sleep(DAY + HOUR);
    await revisit(run);
    expect(run.rec.kinds()).not.toContain('RETURN_REQUESTED'); // a re-shipment takes nothing back
    // Told its own request was received: a re-shipment, not "an exchange or re-shipment".
    expect(run.rec.templates()).toContain('reshipmentReceived');
    expect(run.rec.templates()).not.toContain('exchangeRequestReceived');
  });

  it('the checked goods wait for a carrier under a deadline the case shows, moved on by each reminder; a refusal does not restart it', async () => {
    const run = await open({ kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    await run.handle.executeUpdate(reportOutgoingCheck, { args: [{ ...goodCheck, serialNumbers: ['SN-40-9'] }] });
    await run.until('AWAITING_DISPATCH');
    const chosen = await run.rec.stepped('CARRIER_CHOSEN');
    const hours = run.input.fulfilment.rules.warehouseTaskHours;
    const firstDue = chosen.deadlines!.dispatchDueAt as number;
    expect(firstDue - (await cases.env.currentTimeMs())).toBeGreaterThan((hours - 1) * HOUR);
    // Half-way through its hours the preferred carrier refuses; the backup takes over the same deadline.
    await cases.env.sleep((hours / 2) * HOUR);
    await run.handle.signal(carrierRefused, { carrier: 'SF', reason: 'oversize' });
    await run.rec.stepped('CARRIER_SWITCHED');
    await cases.env.sleep((hours / 2) * HOUR + 60_000);
    const reminder = await run.rec.stepped('WAREHOUSE_REMINDER');
    expect(reminder).toMatchObject({ escalated: true, deadlines: { dispatchDueAt: expect.any(Number) } });
    // Reminded at the first deadline, not the warehouse's hours after the refusal (that would be
    // half their hours later); the next deadline is their hours on from the reminder.
    expect(reminder.deadlines!.dispatchDueAt as number).toBeGreaterThanOrEqual(firstDue + hours * HOUR);
    expect(reminder.deadlines!.dispatchDueAt as number).toBeLessThan(firstDue + hours * HOUR + 2 * 60_000);
    // The case says it waits until the new deadline, not the one the reminder was about.
    expect(reminder.stageDeadlineAt).toBe(reminder.deadlines!.dispatchDueAt);
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'p', carrier: 'YTO', trackingNumber: 'YTO-DUE' }] });
    await run.until('SHIPPED');
    run.rec.trace = { status: 'DELIVERED', deliveredAt: 1 };
    await cases.env.sleep(DAY + HOUR);
    await revisit(run);
    await saveHistory(run, 'exchange-v19-dispatch-due');
  });

  it('the main carrier refusal posted twice before the switch is not the backup refusing (exchange-stale-refusal)', async () => {
    const run = await open({ kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    // Both heard before the parcel waits for a carrier: both queued as the main carrier's.
    await run.handle.signal(carrierRefused, { carrier: 'SF', reason: 'oversize' });
    await run.handle.signal(carrierRefused, { carrier: 'SF', reason: 'oversize' });
    await run.handle.executeUpdate(reportOutgoingCheck, { args: [{ ...goodCheck, serialNumbers: ['SN-40-8'] }] });
    await run.until('AWAITING_DISPATCH');
    await run.rec.stepped('CARRIER_SWITCHED');
    // Still the backup's to take: a third carrier is refused, and nothing says the backup refused.
    await expect(run.handle.executeUpdate(reportReshipment, { args: [{ by: 'p', carrier: 'JD', trackingNumber: 'JD-1' }] })).rejects.toMatchObject({ cause: { message: 'the parcel goes with YTO, not JD' } });
    expect(run.rec.kinds()).not.toContain('CARRIER_REFUSED');
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'p', carrier: 'YTO', trackingNumber: 'YT-1' }] });
    await run.until('SHIPPED');
    expect(run.rec.kinds().filter((k) => k === 'CARRIER_SWITCHED')).toHaveLength(1);
    run.rec.trace = { status: 'DELIVERED', deliveredAt: 1 };
    await cases.env.sleep(DAY + HOUR);
    await revisit(run);
    await saveHistory(run, 'exchange-v26-stale-refusal');
  });

  it('both carriers refuse the parcel: escalated, and the warehouse may send it with a third', async () => {
    const run = await open({ kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    await run.handle.executeUpdate(reportOutgoingCheck, { args: [{ ...goodCheck, serialNumbers: ['SN-40-7'] }] });
    await run.until('AWAITING_DISPATCH');
    await run.handle.signal(carrierRefused, { carrier: 'SF', reason: 'oversize' });
    await run.rec.stepped('CARRIER_SWITCHED');
    // While the backup has not refused, only the backup takes it.
    await expect(run.handle.executeUpdate(reportReshipment, { args: [{ by: 'p', carrier: 'JD', trackingNumber: 'JD-1' }] })).rejects.toMatchObject({ cause: { message: 'the parcel goes with YTO, not JD' } });
    await run.handle.signal(carrierRefused, { carrier: 'YTO', reason: 'route suspended' });
    expect(await run.rec.stepped('CARRIER_REFUSED')).toMatchObject({ escalated: true, data: { carrier: 'YTO' } });
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'p', carrier: 'JD', trackingNumber: 'JD-2' }] });
    await run.until('SHIPPED');
    expect(run.rec.transitions.find((t) => t.kind === 'SHIPPED')).toMatchObject({ data: { carrier: 'JD', outboundTracking: 'JD-2' } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('dearer: paid before anything moves; cheaper: the difference is refunded at the end', async () => {
    const dearer = await open({ lines: toSize41(33_000) }, { exchangeShipsBeforeReturn: true });
    await dearer.until('AWAITING_PAYMENT');
    expect((await dearer.rec.sent('differenceDue')).params).toMatchObject({ amountMinor: 3_000, currency: 'CNY' });
    await dearer.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-1' }] });
    await sendOut(dearer);
    await takeBack(dearer);
    await revisit(dearer);
    expect(dearer.rec.refunds).toEqual([]);
    // The 30.00 paid is booked when paid, with the payment id (exchange-payment-received); the replacement's outbound carries no money.
    expect(dearer.rec.ledger.filter((d) => d.kind === 'PAYMENT_RECEIVED')).toEqual([expect.objectContaining({ amountMinor: 3_000, reference: 'pay-1', lines: [{ kind: 'PRICE_DIFFERENCE', amountMinor: 3_000 }] })]);
    expect(dearer.rec.ledger.find((d) => d.kind === 'OUTBOUND' && d.lines.some((l) => l.sku === 'SHOE-41'))).toMatchObject({ amountMinor: 0 });
    expect(dearer.rec.ledger.find((d) => d.kind === 'OUTBOUND' && d.lines.some((l) => l.sku === 'SHOE-41'))!.reference).toBeUndefined();

    const cheaper = await open({ lines: toSize41(25_000) }, { exchangeShipsBeforeReturn: true });
    // Told at once what comes back, not first at the refund.
    expect((await cheaper.rec.sent('exchangeRequestReceivedDifferenceBack')).params).toEqual({ caseId: cheaper.input.caseId, amountMinor: 5_000, currency: 'CNY' });
    expect(cheaper.rec.templates()).not.toContain('exchangeRequestReceived');
    await sendOut(cheaper);
    await takeBack(cheaper);
    await revisit(cheaper);
    expect(cheaper.rec.refunds.map((r) => r.amountMinor)).toEqual([5_000]);
    expect(cheaper.rec.ledger.filter((d) => d.kind === 'OUTBOUND').map((d) => [d.amountMinor, d.reference])).toEqual([[0, undefined]]);
    // Paid in full: the resolution has nothing to explain.
    expect(cheaper.rec.transitions.find((t) => t.kind === 'RESOLVED')!.decision).toBeUndefined();
  });

  it("cheaper, the order's other cases refunded all but 20.00 meanwhile: 20.00 of the 50.00 difference granted, and the resolution says CAPPED", async () => {
    const run = await open({ lines: toSize41(25_000) }, { exchangeShipsBeforeReturn: true }, (r) => r.leaveOnOrder(2_000));
    await sendOut(run);
    await takeBack(run);
    await run.until('RESOLVED');
    expect(run.rec.ledger.filter((d) => d.kind === 'REFUND').map((d) => [d.amountMinor, d.lines])).toEqual([[-2_000, [{ kind: 'PRICE_DIFFERENCE', amountMinor: 2_000 }]]]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 2_000, decision: { rule: 'exchangeDifferenceRefund', outcome: 'CAPPED', policyVersion: 9, values: { refundMinor: 5_000, grantedMinor: 2_000 } } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('deadlines: a difference not paid goes to an agent; old goods never sent back close the exchange', async () => {
    const unpaid = await open({ lines: toSize41(33_000) });
    await unpaid.until('AWAITING_PAYMENT');
    await Promise.all([cases.env.sleep(49 * HOUR), unpaid.until('AWAITING_AGENT')]);
    await unpaid.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CLOSE', note: 'customer withdrew' }] });
    expect(await unpaid.done).toBe('CLOSED_BY_AGENT');

    const silent = await open();
    await silent.until('AWAITING_RETURN_SHIPMENT');
    await cases.env.sleep(8 * DAY);
    expect(await silent.done).toBe('NOT_SHIPPED');
    expect(silent.rec.ledger).toEqual([]);
    // Asked with what silence does, reminded a day before, closed without calling it a return.
    expect(silent.rec.templates().filter((t) => /Back|NotSent|NotShipped|Reminder/.test(t))).toEqual(['sendGoodsBackWithCode', 'sendBackReminder', 'closedGoodsNotSent']);
    const asked = (await silent.rec.sent('sendGoodsBackWithCode')).params as { shipBy: number };
    expect((await silent.rec.sent('sendBackReminder')).params).toEqual({ shipBy: asked.shipBy });
    await saveHistory(silent, 'exchange-v16-send-back-told');
    // The take-back's deadline behind ship-by-end-of-day, for the replay test.
    await saveHistory(silent, 'exchange-v15-ship-by-end-of-day');
  });

  it('rather than pay the difference, the customer withdraws the exchange: closed WITHDRAWN, nothing booked, told so; a payment after it is refused; withdrawn once paid, before sending the old goods back, the difference goes back', async () => {
    const run = await open({ lines: toSize41(33_000) });
    await run.until('AWAITING_PAYMENT');
    await run.handle.executeUpdate(withdrawRequest, { args: [{ reason: '差价太贵，不换了' }] });
    await expect(run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-after' }] })).rejects.toThrow();
    expect(await run.done).toBe('WITHDRAWN');
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'WITHDRAWN', status: 'CLOSED', closeReason: 'WITHDRAWN', data: { comment: '差价太贵，不换了' } });
    expect((await run.rec.sent('exchangeWithdrawn')).params).toEqual({ caseId: run.input.caseId });
    expect(run.rec.ledger).toEqual([]);
    expect(run.rec.refunds).toEqual([]);
    await saveHistory(run, 'exchange-v30-withdrawn');

    const paid = await open({ lines: toSize41(33_000) });
    await paid.until('AWAITING_PAYMENT');
    await paid.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-2' }] });
    await paid.until('AWAITING_RETURN_SHIPMENT');
    await paid.handle.executeUpdate(withdrawRequest, { args: [{ reason: '不换了' }] });
    expect(await paid.done).toBe('WITHDRAWN');
    expect(paid.rec.refunds.map((r) => r.amountMinor)).toEqual([3_000]);
    expect(paid.rec.transitions.at(-1)).toMatchObject({ kind: 'WITHDRAWN', closeReason: 'WITHDRAWN', refundedAmountMinor: 3_000 });
    expect(paid.rec.templates()).toContain('requestWithdrawn');
    await saveHistory(paid, 'exchange-v30-withdrawn-paid');
  });

  it('shipped first: the customer has the replacement, so the old goods cannot be withdrawn from coming back', async () => {
    const run = await open({}, { exchangeShipsBeforeReturn: true });
    await sendOut(run);
    await run.until('AWAITING_RETURN_SHIPMENT');
    await expect(run.handle.executeUpdate(withdrawRequest, { args: [{}] })).rejects.toMatchObject({ cause: { message: expect.stringContaining('cannot be withdrawn') } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('a difference paid after its time, while an agent was to decide: taken as paid, booked, and the exchange goes on; the money goes back with the rest when it closes', async () => {
    const run = await open({ lines: toSize41(33_000) });
    await run.until('AWAITING_PAYMENT');
    await Promise.all([cases.env.sleep(49 * HOUR), run.until('AWAITING_AGENT')]);
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'DIFFERENCE_UNPAID' });
    expect(await run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-late' }] })).toMatchObject({ stage: 'AWAITING_AGENT' });
    await run.until('AWAITING_RETURN_SHIPMENT');
    expect(run.rec.kinds()).not.toContain('AGENT_RESOLVED');
    expect(await run.rec.stepped('DIFFERENCE_PAID')).toMatchObject({ data: { paymentId: 'pay-late', amountMinor: 3_000 } });
    // Once paid, not twice; and an agent's resolution of the wait the payment ended is refused.
    await expect(run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-late' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/not AWAITING_PAYMENT/) } });
    await expect(run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CONTINUE' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/not AWAITING_AGENT/) } });
    await cases.env.sleep(8 * DAY);
    expect(await run.done).toBe('NOT_SHIPPED');
    expect(run.rec.ledger.map((d) => [d.kind, d.amountMinor, d.reference ?? null])).toEqual([
      ['PAYMENT_RECEIVED', 3_000, 'pay-late'],
      ['REFUND', -3_000, expect.anything()],
    ]);
    await saveHistory(run, 'exchange-v23-difference-paid-late');
  });

  it('a dearer replacement paid for, the old goods never sent back: the difference goes back before the exchange closes, even with the order refunded in full by its other cases', async () => {
    // The difference was paid on top of the order: the order's cap does not hold it back.
    const run = await open({ lines: toSize41(33_000) }, {}, (r) => r.othersRefundedOnOrder(30_000));
    await run.until('AWAITING_PAYMENT');
    await run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-3' }] });
    await run.until('AWAITING_RETURN_SHIPMENT');
    await cases.env.sleep(8 * DAY);
    expect(await run.done).toBe('NOT_SHIPPED');
    // The customer's own money back (before exchange-difference-back-on-close the case kept it).
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([3_000]);
    expect(run.rec.ledger.map((d) => [d.kind, d.amountMinor, d.lines])).toEqual([
      ['PAYMENT_RECEIVED', 3_000, [{ kind: 'PRICE_DIFFERENCE', amountMinor: 3_000 }]],
      ['REFUND', -3_000, [{ kind: 'DIFFERENCE_RETURNED', sku: 'PRICE_DIFFERENCE', quantity: 1, unitPriceMinor: 3_000, amountMinor: 3_000 }]],
    ]);
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'NOT_SHIPPED', stage: 'CLOSED', refundedAmountMinor: 3_000 });
    expect(run.rec.templates().slice(-2)).toEqual(['refundIssued', 'closedGoodsNotSent']);
    await saveHistory(run, 'exchange-v17-difference-back');

    // Shipping first, no good unit, refunded instead: the old goods are asked back for the refund and never sent.
    const instead = await open({ lines: toSize41(33_000) }, { exchangeShipsBeforeReturn: true });
    await instead.until('AWAITING_PAYMENT');
    await instead.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-4' }] });
    await instead.until('AWAITING_OUTGOING_CHECK');
    await noGoodStockThen(instead, 'REFUND_REQUESTED');
    await instead.until('AWAITING_RETURN_SHIPMENT');
    await cases.env.sleep(8 * DAY);
    expect(await instead.done).toBe('NOT_SHIPPED');
    expect(instead.rec.refunds.map((r) => r.amountMinor)).toEqual([3_000]);
    expect(instead.rec.transitions.at(-1)).toMatchObject({ kind: 'NOT_SHIPPED', refundedAmountMinor: 3_000 });
  });

  it('a dearer replacement paid for and never delivered, closed by an agent — no good stock, or the replacement turned back —: the difference goes back before the case closes (exchange-difference-back-on-agent-close)', async () => {
    const returned = [{ kind: 'DIFFERENCE_RETURNED', sku: 'PRICE_DIFFERENCE', quantity: 1, unitPriceMinor: 3_000, amountMinor: 3_000 }];
    const noStock = await open({ lines: toSize41(33_000) });
    await noStock.until('AWAITING_PAYMENT');
    await noStock.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-c1' }] });
    await takeBack(noStock);
    await noStock.until('AWAITING_OUTGOING_CHECK');
    await noStockThenClosed(noStock);
    expect(noStock.rec.ledger.filter((d) => d.kind === 'REFUND').map((d) => [d.amountMinor, d.lines])).toEqual([[-3_000, returned]]);
    // Paid back before the close, said on the CLOSED step; the customer hears of the refund, then of the close.
    expect(noStock.rec.transitions.at(-1)).toMatchObject({ kind: 'CLOSED_BY_AGENT', stage: 'CLOSED', refundedAmountMinor: 3_000 });
    expect(noStock.rec.templates().slice(-2)).toEqual(['refundIssued', 'caseClosedByAgent']);
    await saveHistory(noStock, 'exchange-v26-difference-back-on-agent-close');

    // Shipped first and refused at the door: the agent closes at REPLACEMENT_NOT_DELIVERED.
    const refused = await open({ lines: toSize41(33_000) }, { exchangeShipsBeforeReturn: true });
    await refused.until('AWAITING_PAYMENT');
    await refused.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-c2' }] });
    await refused.until('AWAITING_OUTGOING_CHECK');
    await refused.handle.executeUpdate(reportOutgoingCheck, { args: [goodCheck] });
    await refused.until('AWAITING_DISPATCH');
    await refused.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer', carrier: 'SF', trackingNumber: 'SF-NEW' }] });
    await refused.until('SHIPPED');
    refused.rec.trace = { status: 'EXCEPTION', events: [{ at: await cases.env.currentTimeMs(), code: 'REFUSED', description: '收件人拒收' }] };
    await Promise.all([cases.env.sleep(DAY + HOUR), refused.until('AWAITING_AGENT')]);
    expect(refused.rec.transitions.at(-1)).toMatchObject({ kind: 'REPLACEMENT_NOT_DELIVERED' });
    await refused.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', asOffered: true }] });
    expect(await refused.done).toBe('CLOSED_BY_AGENT');
    expect(refused.rec.refunds.map((r) => r.amountMinor)).toEqual([3_000]);
    expect(refused.rec.transitions.at(-1)).toMatchObject({ kind: 'CLOSED_BY_AGENT', refundedAmountMinor: 3_000 });
  });

  it('the replacement turned back and not to be delivered again: the agent refunds instead — the old pair back and the difference paid, in one refund, once — and the exchange resolves and is revisited', async () => {
    const returned = { kind: 'DIFFERENCE_RETURNED', sku: 'PRICE_DIFFERENCE', quantity: 1, unitPriceMinor: 3_000, amountMinor: 3_000 };
    const shipThenRefuse = async (run: Run) => {
      await run.until('AWAITING_OUTGOING_CHECK');
      await run.handle.executeUpdate(reportOutgoingCheck, { args: [goodCheck] });
      await run.until('AWAITING_DISPATCH');
      await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer', carrier: 'SF', trackingNumber: 'SF-NEW' }] });
      await run.until('SHIPPED');
      run.rec.trace = { status: 'EXCEPTION', events: [{ at: await cases.env.currentTimeMs(), code: 'REFUSED', description: '收件人拒收' }] };
      await Promise.all([cases.env.sleep(DAY + HOUR), run.until('AWAITING_AGENT')]);
      // What the refund would pay: the old pair (back in order, or to come back) and the 30.00 paid on top.
      expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'REPLACEMENT_NOT_DELIVERED', data: { outboundTracking: 'SF-NEW', code: 'REFUSED', refunds: { REFUND_REQUESTED: 33_000 } } });
      expect(run.rec.refunds).toEqual([]);
      await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'REFUND_REQUESTED', note: 'customer refuses the courier', asOffered: true }] });
    };
    // The old pair came back first: refunded at once, with the 30.00 paid on top.
    const run = await open({ lines: toSize41(33_000) });
    await run.until('AWAITING_PAYMENT');
    await run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-f1' }] });
    await takeBack(run);
    await shipThenRefuse(run);
    await run.until('RESOLVED');
    expect(run.rec.refunds).toEqual([expect.objectContaining({ amountMinor: 33_000, extraPaidMinor: 3_000, reason: 'exchange: replacement not delivered, refunded instead' })]);
    expect(run.rec.ledger.filter((d) => d.kind === 'REFUND').map((d) => [d.amountMinor, d.lines])).toEqual([[-33_000, [expect.objectContaining({ kind: 'GOODS', sku: 'SHOE-40', quantity: 1, amountMinor: 30_000 }), returned]]]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ status: 'RESOLVED', refundedAmountMinor: 33_000, data: { remedy: 'REFUND' } });
    expect(run.rec.kinds()).not.toContain('CLOSED_BY_AGENT');
    // Told why (not "no stock"), then how much.
    expect(run.rec.templates()).not.toContain('exchangeRefundInstead');
    expect(run.rec.templates().slice(-2)).toEqual(['madeGoodRefundInstead', 'refundIssued']);
    await revisit(run);
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([33_000]);
    await saveHistory(run, 'exchange-v27-refund-on-failed-delivery');

    // Shipped first: the old pair still with the customer comes back before the refund.
    const first = await open({ lines: toSize41(33_000) }, { exchangeShipsBeforeReturn: true });
    await first.until('AWAITING_PAYMENT');
    await first.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-f2' }] });
    await shipThenRefuse(first);
    await takeBack(first);
    await first.until('RESOLVED');
    expect(first.rec.refunds.map((r) => r.amountMinor)).toEqual([33_000]);
    await first.handle.terminate('test over');
    await expect(first.done).rejects.toThrow();
  });

  it('refunded instead with the difference, the loan then kept and the case closed by an agent: the difference is not paid back twice', async () => {
    const run = await open({ lines: toSize41(33_000), urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 } });
    await run.until('AWAITING_PAYMENT');
    await run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-c3' }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    await noGoodStockThen(run, 'REFUND_REQUESTED');
    await takeBack(run);
    await run.until('AWAITING_SUBSTITUTE_RETURN');
    // The old pair's 300.00 and the 30.00 paid on top, in one refund.
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([33_000]);
    await Promise.all([cases.env.sleep(18 * DAY), run.until('AWAITING_AGENT')]);
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'SUBSTITUTE_NOT_RETURNED' });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', asOffered: true }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([33_000]);
  });

  it("a cheaper replacement's difference is refunded once it is delivered and the old pair is back, before the loan is asked back; a loan then kept does not hold it (exchange-difference-before-loan)", async () => {
    const run = await open({ lines: toSize41(25_000), urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 } });
    await sendOut(run);
    await takeBack(run);
    await run.until('AWAITING_SUBSTITUTE_RETURN');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([5_000]);
    const told = run.rec.templates();
    expect(told.indexOf('refundIssued')).toBeLessThan(told.indexOf('sendLoanBack'));
    await Promise.all([cases.env.sleep(18 * DAY), run.until('AWAITING_AGENT')]);
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', asOffered: true }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([5_000]);
    await saveHistory(run, 'exchange-v26-difference-before-loan');
  });

  it('goods that fail the outgoing check cannot go out; serial numbers must match the units', async () => {
    const run = await open({ kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    // Refused as bad input naming the (first) field (the API answers it 400), the messages as before.
    await expect(run.handle.executeUpdate(reportOutgoingCheck, { args: [{ ...goodCheck, working: false }] })).rejects.toMatchObject({ cause: { type: INVALID_INPUT, message: `goods cannot go out: working not confirmed (record a unit that fails with POST /v1/cases/${run.input.caseId}/outgoing-check-failure and check another)`, details: [{ field: 'working' }] } });
    await expect(run.handle.executeUpdate(reportOutgoingCheck, { args: [{ ...goodCheck, serialNumbers: ['A', 'B'] }] })).rejects.toMatchObject({ cause: { type: INVALID_INPUT, message: 'one distinct serial number per unit: 1 expected', details: [{ field: 'serialNumbers' }] } });
    await expect(run.handle.executeUpdate(reportOutgoingCheck, { args: [{ ...goodCheck, invoice: false, cleaned: false }] })).rejects.toMatchObject({ cause: { type: INVALID_INPUT, message: expect.stringMatching(/^goods cannot go out: invoice, cleaned not confirmed \(record a unit that fails/), details: [{ field: 'invoice' }] } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('a unit that fails the check is recorded and another checked; with none that passes an agent decides, here to wait for stock; the one that passes goes out', async () => {
    const run = await open({ kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    await expect(run.handle.executeUpdate(reportOutgoingCheckFailure, { args: [{ by: 'packer', failed: [], note: 'x', noGoodStock: false }] })).rejects.toMatchObject({ cause: { type: INVALID_INPUT, details: [{ field: 'failed' }] } });
    // The step is written after the update is answered: wait for it.
    const failures = (n: number) => waitUntil(`${n} OUTGOING_CHECK_FAILED`, () => { const f = run.rec.transitions.filter((t) => t.kind === 'OUTGOING_CHECK_FAILED'); return f.length >= n && f; });
    expect(await run.handle.executeUpdate(reportOutgoingCheckFailure, { args: [{ by: 'packer', failed: ['undamaged'], note: 'scuffed', noGoodStock: false }] })).toEqual({ stage: 'AWAITING_OUTGOING_CHECK' });
    expect(await failures(1)).toEqual([expect.objectContaining({ actor: 'warehouse:packer', data: { failed: ['undamaged'], note: 'scuffed', noGoodStock: false } })]);
    expect((await failures(1))[0]).not.toHaveProperty('escalated');
    // None in stock that passes: the reply says the case went to an agent.
    expect(await run.handle.executeUpdate(reportOutgoingCheckFailure, { args: [{ by: 'packer', failed: ['working', 'resaleable'], note: 'the other two as well', noGoodStock: true }] })).toEqual({ stage: 'AWAITING_AGENT' });
    expect((await failures(2))[1]).toMatchObject({ kind: 'OUTGOING_CHECK_FAILED', escalated: true });
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'NO_GOOD_STOCK', stage: 'AWAITING_AGENT', escalated: true, data: { lines: [{ sku: 'SHOE-40', quantity: 1 }] } });
    // Its wait offers a refund, waiting for stock, or closing; nothing else.
    await expect(run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'REFUND_RECEIVED', asOffered: true }] })).rejects.toMatchObject({ cause: { type: INVALID_INPUT, message: 'this wait (NO_GOOD_STOCK) takes REFUND_REQUESTED, CONTINUE, CLOSE' } });
    // The customer will wait for the restock: the warehouse's task opens again, due when the restock is.
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CONTINUE', note: '顾客愿意等补货', asOffered: true }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    const restocking = run.rec.transitions.filter((t) => t.kind === 'WAREHOUSE_TASK_OPENED');
    expect(restocking.map((t) => t.data?.restock ?? false)).toEqual([false, true]);
    expect(Object.keys(restocking[1]!.deadlines!)).toContain('restockDueAt');
    expect(run.rec.templates()).toContain('waitingForRestock'); // the customer is told why it takes longer
    // Seven days without stock: not a late warehouse task, but the customer asked again.
    await Promise.all([cases.env.sleep(7 * DAY + HOUR), run.until('AWAITING_AGENT')]);
    expect(run.rec.kinds()).not.toContain('WAREHOUSE_TASK_LATE');
    expect(run.rec.transitions.filter((t) => t.kind === 'NO_GOOD_STOCK').at(-1)!.decision).toMatchObject({ rule: 'restockWaitDays', outcome: 'AGENT', values: { days: 7 } });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CONTINUE', note: '顾客同意再等一周', asOffered: true }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    // Nothing went out for the failed units: the one that passes does.
    expect(run.rec.docs()).toEqual([]);
    expect(run.rec.refunds).toEqual([]);
    await sendOut(run);
    await revisit(run);
    expect(run.rec.docs()).toEqual(['OUTBOUND']);
    await saveHistory(run, 'exchange-v11-no-good-stock-waited');
  });

  it('no good stock, the customer takes a refund instead: the exchanged goods and the difference paid come back to them, nothing goes out', async () => {
    const run = await open({ lines: toSize41(33_000) });
    await run.until('AWAITING_PAYMENT');
    await run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-9' }] });
    await takeBack(run);
    await run.until('AWAITING_OUTGOING_CHECK');
    expect(await run.handle.executeUpdate(reportOutgoingCheckFailure, { args: [{ by: 'packer', failed: ['undamaged'], note: '41 码全部开胶', noGoodStock: true }] })).toEqual({ stage: 'AWAITING_AGENT' });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'REFUND_REQUESTED', note: '顾客同意退款', asOffered: true }] });
    await run.until('RESOLVED');
    // 300.00 for the pair sent back and the 30.00 paid for the dearer one.
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([33_000]);
    expect(run.rec.ledger.filter((d) => d.kind === 'REFUND').map((d) => [d.amountMinor, d.lines])).toEqual([[-33_000, [expect.objectContaining({ kind: 'GOODS', sku: 'SHOE-40', amountMinor: 30_000 }), expect.objectContaining({ kind: 'DIFFERENCE_RETURNED', amountMinor: 3_000 })]]]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 33_000, data: { remedy: 'REFUND' } });
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['exchangeRefundInstead', 'refundIssued']));
    await revisit(run);
    // The 30.00 came in when paid and went back with the refund: the ledger holds both.
    expect(run.rec.docs()).toEqual(['PAYMENT_RECEIVED', 'RETURN_NOTE', 'REFUND']);
    expect(run.rec.ledger[0]).toMatchObject({ kind: 'PAYMENT_RECEIVED', amountMinor: 3_000, reference: 'pay-9' });
    expect(stock(run)).toEqual({ 'SHOE-40': 1 });
    await saveHistory(run, 'exchange-v21-payment-received');
  });

  it("no good stock, the order refunded in full by its other cases meanwhile: the difference the customer paid on top still comes back", async () => {
    const run = await open({ lines: toSize41(33_000) }, {}, (r) => r.othersRefundedOnOrder(30_000));
    await run.until('AWAITING_PAYMENT');
    await run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-7' }] });
    await takeBack(run);
    await run.until('AWAITING_OUTGOING_CHECK');
    await noGoodStockThen(run, 'REFUND_REQUESTED');
    await run.until('RESOLVED');
    // Asked for 330.00 against the order's 300.00 and the 30.00 paid on top of it.
    expect(run.rec.refunds.map((r) => [r.amountMinor, r.orderPaidTotalMinor, r.extraPaidMinor])).toEqual([[33_000, 30_000, 3_000]]);
    // The entry's lines add up to what was paid.
    const entry = run.rec.ledger.find((d) => d.kind === 'REFUND')!;
    expect(entry.amountMinor).toBe(-3_000);
    expect((entry.lines as Array<{ amountMinor: number }>).reduce((s, l) => s + l.amountMinor, 0)).toBe(3_000);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 3_000, decision: { rule: 'noStockRefund', outcome: 'CAPPED', values: { refundMinor: 33_000, grantedMinor: 3_000 } } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('no good stock, and the old pair came back damaged by the customer: only the difference is refunded', async () => {
    const run = await open({ lines: toSize41(33_000) });
    await run.until('AWAITING_PAYMENT');
    await run.handle.executeUpdate(confirmDifferencePaid, { args: [{ paymentId: 'pay-8' }] });
    await takeBack(run, 'DAMAGED_BY_CUSTOMER');
    await returnProblemThen(run, 'CONTINUE');
    await run.until('AWAITING_OUTGOING_CHECK');
    await noGoodStockThen(run, 'REFUND_REQUESTED');
    await run.until('RESOLVED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([3_000]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('no good stock for an exchange that was to ship first, a loan product out, the old goods never sent: an agent settles it, the loan is not forgotten', async () => {
    const run = await open({ urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 } });
    await run.until('AWAITING_OUTGOING_CHECK');
    await noGoodStockThen(run, 'REFUND_REQUESTED');
    await run.until('AWAITING_RETURN_SHIPMENT');
    await Promise.all([cases.env.sleep(8 * DAY), run.until('AWAITING_AGENT')]);
    expect(run.rec.kinds()).toContain('OLD_GOODS_NOT_RETURNED');
    expect(run.rec.kinds()).not.toContain('NOT_SHIPPED');
    // A loan item is out: asked for the original goods without a close threatened (silence goes to an agent), and without saying why.
    expect(run.rec.templates().filter((t) => /Back|Reminder/.test(t))).toEqual(['sendOldGoodsBack', 'oldGoodsBackReminder']);
    // The agent goes on without the goods: nothing came back, nothing is refunded; the loan is still asked back.
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CONTINUE', asOffered: true }] });
    await run.until('AWAITING_SUBSTITUTE_RETURN');
    expect(run.rec.refunds).toEqual([]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('no good stock for an exchange that was to ship first: the old goods come back before the refund; a loan product still comes back', async () => {
    const run = await open({ urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 } });
    await run.until('AWAITING_OUTGOING_CHECK');
    await noGoodStockThen(run, 'REFUND_REQUESTED');
    await takeBack(run);
    await run.until('AWAITING_SUBSTITUTE_RETURN');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([30_000]);
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'SHOE-LOAN', receivedQuantity: 1, condition: 'OK' }] }] });
    await revisit(run);
    expect(run.rec.docs()).toEqual(['OUTBOUND', 'RETURN_NOTE', 'REFUND', 'RETURN_NOTE']);
    expect(stock(run)).toEqual({ 'SHOE-LOAN': 0, 'SHOE-40': 1 });
  });

  it('no good stock, closed by the agent: nothing refunded, nothing sent', async () => {
    const run = await open({ kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }] });
    await run.until('AWAITING_OUTGOING_CHECK');
    await noGoodStockThen(run, 'CLOSE', 'refunded on the marketplace');
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.docs()).toEqual([]);
  });

  it('every notification rendered in Chinese and English', () => {
    expect(renderProblems).toEqual([]);
  });
});
