/**
 * Transit damage (运输破损) on the time-skipping dev server: minor damage refunded under the cap
 * (above it: an agent); severe damage returned and refunded, or refunded in part / in full when it
 * cannot come back; the cause deciding who pays (transport → a courier claim of its own; customer →
 * an agent); the assessment reminded while missing. The documents follow the shop procedure (003
 * §四.3): a refund without the goods back is documented by an expense note, a return by the return
 * note and an expense note for the return shipping the shop paid.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { defaultFulfilmentPolicy, defaultPolicy, type OrderSnapshot } from '../../domain/index.js';
import { answerRevisit, arrivalScanned, assessDamage, reportInspection, resolveByAgent, submitReturnShipment, withdrawRequest, type DamageAssessment } from '../../workflows/contract.js';
import type { TransitDamageInput } from '../../workflows/transit-damage.js';
import { DAY, HOUR, newCaseId, saveHistory, useCaseEnvironment } from './case-harness.js';
import { RecordingActivities, renderProblems } from './recording-activities.js';
import { waitUntil } from '../support/wait.js';

const cases = useCaseEnvironment();

// Profit 10,000 (25,000 − 15,000): the cap is the lower of it and the return shipping.
const order = (): OrderSnapshot => ({ orderId: newCaseId('td-o'), currency: 'CNY', items: [{ sku: 'VASE', name: 'Vase', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 15_000 }], shippingFeeMinor: 0, paidTotalMinor: 25_000 });

async function open(setup: (r: RecordingActivities) => void = () => undefined) {
  const now = await cases.env.currentTimeMs();
  const o = order();
  const input: TransitDamageInput = {
    caseId: newCaseId('td'),
    merchantId: 'm1',
    policy: { ...defaultPolicy(), version: 13 },
    fulfilment: defaultFulfilmentPolicy(13),
    order: o,
    report: { customerHandle: 'tb_lily', lines: [{ sku: 'VASE', quantity: 1 }], degree: 'MINOR', photoUrls: ['https://evidence.example.com/crack.jpg'] },
    shipment: { carrier: 'SF', trackingNumber: `SF-${o.orderId}`, shippedAt: now - 3 * DAY },
    customer: { id: 'cust-t', locale: 'zh-CN' },
    openedAt: now,
    returnAddress: { name: '售后部', phone: '+86 571 0000 0000', address: '杭州 1 号仓' },
  };
  const rec = new RecordingActivities();
  setup(rec);
  return cases.start('transitDamage', input, rec);
}
type Run = Awaited<ReturnType<typeof open>>;
const assess = (run: Run, a: Partial<DamageAssessment>) =>
  run.handle.executeUpdate(assessDamage, { args: [{ by: { kind: 'agent', id: 'a1' }, degree: 'MINOR', cause: 'PRODUCT_DEFECT', proposedRefundMinor: 3_000, returnShippingCostMinor: 2_000, returnPossible: true, goodsUsable: true, ...a } as DamageAssessment] });
/** The ledger as kind, amount and what each line says it was for. */
const booked = (run: Run) => run.rec.ledger.map((d) => ({ kind: d.kind, amountMinor: d.amountMinor, lines: d.lines }));
const claimOf = (run: Run) => run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED');
async function endClaim(run: Run) {
  const started = claimOf(run);
  if (started) await cases.client.workflow.getHandle(String(started.data!.claimWorkflowId)).terminate('test over');
}

/** Assessed severe and returnable, sent back under `trackingNumber` and scanned in: the case waits for the inspection. */
async function sentBackAndArrived(run: Run, trackingNumber: string, cause: DamageAssessment['cause'] = 'PRODUCT_DEFECT') {
  await run.until('AWAITING_ASSESSMENT');
  await assess(run, { degree: 'SEVERE', cause, proposedRefundMinor: undefined });
  await run.until('AWAITING_RETURN_SHIPMENT');
  await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber }] });
  await run.until('AWAITING_ARRIVAL');
  await run.handle.signal(arrivalScanned, { trackingNumber, scannedAt: Date.now(), scannedBy: 'dock' });
  await run.until('AWAITING_INSPECTION');
}

describe('transit damage', () => {
  it('minor, within the cap: refunded at once with the reminder to inspect on signing; revisited', async () => {
    const run = await open();
    await run.until('AWAITING_ASSESSMENT');
    expect(run.rec.transitions.some((t) => t.solutionGivenAt !== undefined)).toBe(false);
    const assessedAt = await cases.env.currentTimeMs();
    await assess(run, { proposedRefundMinor: 1_500 });
    await run.until('RESOLVED');
    // The refund decided gives the solution (the workflow says so just after writing its step; the
    // assessment is the shop's, since solved-when-decided): that step and every later one carry the
    // time; none before it does.
    const kinds = run.rec.kinds();
    const given = run.rec.transitions.map((t) => t.solutionGivenAt);
    const at = kinds.indexOf('REFUND_DECIDED');
    expect(given.slice(0, at)).toEqual(given.slice(0, at).map(() => undefined));
    expect(given[at]).toBeGreaterThanOrEqual(assessedAt);
    expect(new Set(given.slice(at))).toEqual(new Set([given[at]]));
    expect(run.rec.transitions.find((t) => t.kind === 'REFUND_DECIDED')!.decision).toMatchObject({ rule: 'minorDamageCap', outcome: 'APPROVE', values: { capMinor: 2_000, remindInspectOnSigning: true } });
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([1_500]);
    expect((await run.rec.sent('damageRefunded')).params).toEqual({ amountMinor: 1_500, currency: 'CNY' });
    // 不退换货仅退款:做费用单 — the expense note documents the refund; the REFUND entry is the money.
    expect(booked(run)).toEqual([
      { kind: 'EXPENSE_NOTE', amountMinor: 0, lines: [{ purpose: 'REFUND', amountMinor: 1_500 }] },
      { kind: 'REFUND', amountMinor: -1_500, lines: [{ kind: 'PARTIAL', amountMinor: 1_500 }] },
    ]);
    expect(claimOf(run)).toBeUndefined(); // a product defect is the shop's, not the courier's
    // Paid in full: the resolution has nothing to explain.
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')!.decision).toBeUndefined();
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'transit-damage-v21-minor-solved-when-decided');
  });

  it("the order's other cases were refunded all but 10.00 since it was decided: 10.00 of the 15.00 granted and documented, and the resolution says CAPPED", async () => {
    const run = await open((r) => r.leaveOnOrder(1_000));
    await run.until('AWAITING_ASSESSMENT');
    await assess(run, { proposedRefundMinor: 1_500 });
    await run.until('RESOLVED');
    expect(booked(run)).toEqual([
      { kind: 'EXPENSE_NOTE', amountMinor: 0, lines: [{ purpose: 'REFUND', amountMinor: 1_000 }] },
      // What was decided, less what the order no longer had: the lines sum to the 10.00 paid.
      { kind: 'REFUND', amountMinor: -1_000, lines: [{ kind: 'PARTIAL', amountMinor: 1_500 }, { kind: 'CAP', amountMinor: -500 }] },
    ]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 1_000, decision: { rule: 'transitDamageRefund', outcome: 'CAPPED', policyVersion: 13, values: { refundMinor: 1_500, grantedMinor: 1_000 } } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('minor, above the cap and broken in transport: an agent decides; the courier is claimed from on the side', async () => {
    const run = await open();
    await run.until('AWAITING_ASSESSMENT');
    await assess(run, { cause: 'TRANSPORT', proposedRefundMinor: 5_000 });
    await run.until('AWAITING_AGENT');
    expect(run.rec.transitions.find((t) => t.kind === 'REFUND_DECIDED')!.decision).toMatchObject({ outcome: 'NEEDS_AGENT' });
    // Nothing decided for the customer yet: the agent's decision is the solution.
    expect(run.rec.transitions.filter((t) => t.solutionGivenAt !== undefined)).toEqual([]);
    expect(claimOf(run)).toBeDefined();
    // The customer keeps the vase with 50.00 back: the courier is asked for that loss, not for the 250.00 paid.
    const claimHistory = await cases.client.workflow.getHandle(String(claimOf(run)!.data!.claimWorkflowId)).fetchHistory();
    const claimInput = defaultPayloadConverter.fromPayload(claimHistory.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!);
    expect(claimInput).toMatchObject({ amountMinor: 5_000 });
    // Past the cap is a supervisor's word: an agent's, sent through the API (roles checked), is refused by the case itself too.
    await expect(run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a2' }, action: 'CONTINUE', asOffered: true, rolesChecked: true }] })).rejects.toMatchObject({ cause: { type: 'SUPERVISOR_REQUIRED' } });
    // A resolution recorded before roles were checked (replayed by the what-if) is taken as it was.
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a2' }, action: 'REFUND_REQUESTED', note: 'regular customer' }] });
    expect((await run.rec.stepped('RESOLVED')).solutionGivenAt).toEqual(expect.any(Number));
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([5_000]);
    await endClaim(run);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('severe and returnable: it comes back, is inspected and refunded in full; the return shipping the shop paid is an expense note', async () => {
    const run = await open();
    await run.until('AWAITING_ASSESSMENT');
    await assess(run, { degree: 'SEVERE', proposedRefundMinor: undefined });
    await run.until('AWAITING_RETURN_SHIPMENT');
    // Asked to send it back, the customer is told what its coming back brings them.
    expect((await run.rec.sent('sendGoodsBackForRefundWithPostage')).params).toMatchObject({ amountMinor: 25_000, currency: 'CNY', returnCode: run.input.caseId, lines: [{ sku: 'VASE', quantity: 1 }], postage: 'SHOP' });
    expect(run.rec.templates()).not.toContain('sendGoodsBackWithCode');
    await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF-VASE' }] });
    await run.until('AWAITING_ARRIVAL');
    await run.handle.signal(arrivalScanned, { trackingNumber: 'SF-VASE', scannedAt: Date.now(), scannedBy: 'dock' });
    await run.until('AWAITING_INSPECTION');
    await expect(run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }], returnShippingPaidMinor: -1 }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/returnShippingPaidMinor/) } });
    // The warehouse paid 18.00 freight collect: what it paid, not the 20.00 assessed, is the expense.
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }], returnShippingPaidMinor: 1_800 }] });
    await run.until('RESOLVED');
    expect(run.rec.transitions.find((t) => t.kind === 'REFUND_DECIDED')!.decision).toMatchObject({ rule: 'severeDamage', outcome: 'RETURN', values: { returnShippingPaidBy: 'SHOP' } });
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([25_000]);
    // 退货打退货单,退回的运费做费用单: the return note (what came back, damaged: no stock) and the shipping.
    expect(booked(run)).toEqual([
      { kind: 'RETURN_NOTE', amountMinor: 0, lines: [{ sku: 'VASE', quantity: 1, condition: 'DAMAGED_BY_CUSTOMER', stockDelta: 0 }] },
      { kind: 'EXPENSE_NOTE', amountMinor: 0, lines: [{ purpose: 'RETURN_SHIPPING', amountMinor: 1_800 }] },
      { kind: 'REFUND', amountMinor: -25_000, lines: [{ kind: 'DAMAGE', amountMinor: 25_000 }] },
    ]);
    const keys = run.rec.ledger.map((d) => d.stepKey);
    expect(new Set(keys).size).toBe(keys.length);
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 4 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
  });

  it('severe and returnable, the parcel inspected empty: an agent decides, shown what each refund pays; what came back (nothing) is refunded, not the whole value', async () => {
    const run = await open();
    await sentBackAndArrived(run, 'SF-VASE-0');
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'MISSING' }] }] });
    await run.until('AWAITING_AGENT');
    // Told what was found, and that customer service looks into it before any refund.
    expect((await run.rec.sent('goodsInspectedNotAsAsked')).params).toEqual({ lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'MISSING' }] });
    expect(run.rec.templates()).not.toContain('goodsInspected');
    expect(await run.rec.stepped('COUNT_MISMATCH')).toMatchObject({ escalated: true, data: { mismatch: [{ sku: 'VASE', expected: 1, received: 0, kind: 'SHORT' }], refunds: { REFUND_RECEIVED: 0, REFUND_REQUESTED: 25_000 } } });
    expect(run.rec.refunds).toEqual([]);
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a2' }, action: 'REFUND_RECEIVED', note: 'box came back empty' }] });
    await run.until('RESOLVED');
    expect(run.rec.refunds).toEqual([]);
    // The return note keeps what was counted; no refund was booked.
    expect(booked(run).map((d) => d.kind)).toEqual(['RETURN_NOTE', 'EXPENSE_NOTE']);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 0 });
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 2 }] });
    await run.until('AWAITING_AGENT');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a2' }, action: 'CLOSE', note: 'explained' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    await saveHistory(run, 'transit-damage-v23-counted-back-empty-box');
  });

  it('severe and returnable, counted otherwise: refunded as asked when the agent says so, or closed', async () => {
    for (const action of ['REFUND_REQUESTED', 'CLOSE'] as const) {
      const run = await open();
      await sentBackAndArrived(run, `SF-VASE-${action}`);
      await run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'MISSING' }] }] });
      await run.until('AWAITING_AGENT');
      await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a2' }, action, note: action === 'CLOSE' ? 'nothing came back' : 'the courier lost the contents' }] });
      if (action === 'CLOSE') {
        expect(await run.done).toBe('CLOSED_BY_AGENT');
        expect(run.rec.refunds).toEqual([]);
      } else {
        await run.until('RESOLVED');
        expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([25_000]);
        await run.handle.terminate('test over');
        await expect(run.done).rejects.toThrow();
      }
    }
  });

  it('severe and returnable: the customer would rather keep the goods and withdraws before sending them: closed WITHDRAWN, nothing refunded, told so; refused before it is asked back', async () => {
    const run = await open();
    await run.until('AWAITING_ASSESSMENT');
    await expect(run.handle.executeUpdate(withdrawRequest, { args: [{}] })).rejects.toMatchObject({ cause: { message: 'the case is at stage AWAITING_ASSESSMENT, not AWAITING_RETURN_SHIPMENT' } });
    await assess(run, { degree: 'SEVERE', cause: 'PRODUCT_DEFECT', proposedRefundMinor: undefined });
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.executeUpdate(withdrawRequest, { args: [{ reason: '还能用，不退了' }] });
    expect(await run.done).toBe('WITHDRAWN');
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'WITHDRAWN', closeReason: 'WITHDRAWN', data: { comment: '还能用，不退了' } });
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.templates()).toContain('requestWithdrawn');
    expect(run.rec.templates()).not.toContain('sendBackReminder');
    await saveHistory(run, 'transit-damage-v30-withdrawn');
  });

  it('broken in transport, severe and returnable, withdrawn by the customer who keeps the goods: the courier claim is taken back, the shop having lost nothing (transit-damage-claim-withdrawn-with-case)', async () => {
    const run = await open();
    await run.until('AWAITING_ASSESSMENT');
    await assess(run, { degree: 'SEVERE', cause: 'TRANSPORT', proposedRefundMinor: undefined });
    await run.until('AWAITING_RETURN_SHIPMENT');
    const claimId = String(claimOf(run)!.data!.claimWorkflowId);
    await waitUntil('the claim filed', () => run.rec.events.some((e) => e.kind === 'CLAIM_FILED'));
    await run.handle.executeUpdate(withdrawRequest, { args: [{ reason: '还能用，不退了' }] });
    expect(await run.done).toBe('WITHDRAWN');
    // The case's worker stopped with it: the claim, still running, is served again until it ends.
    await cases.serveAfter(run);
    expect(await cases.client.workflow.getHandle(claimId).result()).toMatchObject({ status: 'WITHDRAWN', recoveredMinor: 0 });
    expect(run.rec.withdrawals).toEqual(['cl-1']);
    expect(run.rec.events.find((e) => e.kind === 'CLAIM_WITHDRAWN')).toMatchObject({ data: { claimId: 'cl-1', caseWithdrawnAt: expect.any(Number) } });
    expect(run.rec.refunds).toEqual([]);
    await saveHistory(run, 'transit-damage-v31-withdrawn-claim');
  });

  it('severe and returnable with the cause unknown: the postage is agreed with the customer, so the message does not say the shop pays it', async () => {
    const run = await open();
    await run.until('AWAITING_ASSESSMENT');
    await assess(run, { degree: 'SEVERE', cause: 'UNKNOWN', proposedRefundMinor: undefined });
    await run.until('AWAITING_RETURN_SHIPMENT');
    expect((await run.rec.sent('sendGoodsBackForRefund')).params).not.toHaveProperty('postage');
    expect(run.rec.templates()).not.toContain('sendGoodsBackForRefundWithPostage');
    expect(run.rec.transitions.find((t) => t.kind === 'RETURN_REQUESTED')!.data).not.toHaveProperty('postage');
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('severe and returnable, the warehouse reporting no freight: the assessed return shipping is the expense when the shop pays it', async () => {
    const run = await open();
    await sentBackAndArrived(run, 'SF-VASE-2', 'TRANSPORT');
    // Two inspections sent at once: one is taken, the other refused (both had been, the second's freight read into the first's notes).
    const inspections = await Promise.allSettled([
      run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }] }] }),
      run.handle.executeUpdate(reportInspection, { args: [{ by: 'insp-2', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }], returnShippingPaidMinor: 9_999 }] }),
    ]);
    expect(inspections.map((i) => i.status).sort()).toEqual(['fulfilled', 'rejected']);
    await run.until('RESOLVED');
    const freight = inspections[0]!.status === 'fulfilled' ? 2_000 : 9_999;
    expect(run.rec.ledger.filter((d) => d.kind === 'EXPENSE_NOTE').map((d) => d.lines)).toEqual([[{ purpose: 'RETURN_SHIPPING', amountMinor: freight }]]);
    await endClaim(run);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('severe and not returnable: a partial refund when still usable, a full one when not', async () => {
    const usable = await open();
    await usable.until('AWAITING_ASSESSMENT');
    await assess(usable, { degree: 'SEVERE', returnPossible: false, goodsUsable: true, partialRefundMinor: 8_000 });
    await usable.until('RESOLVED');
    expect(usable.rec.refunds.map((r) => r.amountMinor)).toEqual([8_000]);
    const ruined = await open();
    await ruined.until('AWAITING_ASSESSMENT');
    await assess(ruined, { degree: 'SEVERE', returnPossible: false, goodsUsable: false });
    await ruined.until('RESOLVED');
    expect(ruined.rec.transitions.find((t) => t.kind === 'REFUND_DECIDED')!.decision).toMatchObject({ outcome: 'FULL_REFUND' });
    expect(ruined.rec.refunds.map((r) => r.amountMinor)).toEqual([25_000]);
    // Neither comes back: each refund is documented by an expense note, and there is no return note.
    expect(booked(usable).map((d) => [d.kind, d.lines])).toEqual([
      ['EXPENSE_NOTE', [{ purpose: 'REFUND', amountMinor: 8_000 }]],
      ['REFUND', [{ kind: 'DAMAGE', amountMinor: 8_000 }]],
    ]);
    expect(booked(ruined).map((d) => [d.kind, d.lines])).toEqual([
      ['EXPENSE_NOTE', [{ purpose: 'REFUND', amountMinor: 25_000 }]],
      ['REFUND', [{ kind: 'DAMAGE', amountMinor: 25_000 }]],
    ]);
    for (const run of [usable, ruined]) {
      await run.handle.terminate('test over');
      await expect(run.done).rejects.toThrow();
    }
  });

  it('severe, ruined, on an order its other cases have mostly refunded: what is left is paid, and the ledger and the resolution say what was cut', async () => {
    const run = await open((r) => void (r.earlier = { amountMinor: 24_500, shippingRefunded: false }));
    await run.until('AWAITING_ASSESSMENT');
    await assess(run, { degree: 'SEVERE', returnPossible: false, goodsUsable: false });
    await run.until('RESOLVED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([500]);
    // The damage reckoned at the vase's 250.00, less the 245.00 the order no longer had.
    expect(booked(run).find((d) => d.kind === 'REFUND')).toEqual({ kind: 'REFUND', amountMinor: -500, lines: [{ kind: 'DAMAGE', amountMinor: 25_000 }, { kind: 'CAP', amountMinor: -24_500 }] });
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 500, decision: { rule: 'transitDamageRefund', values: { refundMinor: 25_000, grantedMinor: 500 } } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('customer-caused: an agent negotiates and may close; an assessment nobody makes is reminded; a minor one needs its amount', async () => {
    const run = await open();
    await run.until('AWAITING_ASSESSMENT');
    await expect(assess(run, { proposedRefundMinor: undefined })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/proposedRefundMinor/) } });
    await expect(assess(run, { proposedRefundMinor: 99_999 })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/more than the 25000 paid/) } });
    await cases.env.sleep(25 * HOUR);
    expect(run.rec.transitions.find((t) => t.kind === 'ASSESSMENT_REMINDER')).toMatchObject({ escalated: true });
    await assess(run, { cause: 'CUSTOMER' });
    await run.until('AWAITING_AGENT');
    // The assessment is the shop's: the customer has no solution until the agent has negotiated one.
    expect(run.rec.transitions.filter((t) => t.solutionGivenAt !== undefined)).toEqual([]);
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a3' }, action: 'CLOSE', note: 'dropped by the customer; repair fee declined' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.transitions.at(-1)!.solutionGivenAt).toEqual(expect.any(Number));
    await saveHistory(run, 'transit-damage-v21-customer-caused-solved-when-decided');
  });

  it('every notification rendered in Chinese and English', () => {
    expect(renderProblems).toEqual([]);
  });
});
