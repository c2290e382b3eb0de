/**
 * The policy what-if in memory: a recorded return whose customer shipped on day 6 of 7 (the
 * recorded inputs as the API stores them, five weeks ago). Under the policy it ran with it is
 * refunded as it was; under a candidate that gives the customer 5 days to ship, it closes as not
 * shipped, and the shipment, the scan and the inspection that came later are dropped: diverged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../domain/policy.js';
import { startSimulator, type RecordedCase, type Simulator } from '../../simulation/index.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const openedAt = Date.now() - 35 * DAY;

const lateShipper: RecordedCase = {
  caseId: 'late-shipper-1',
  workflowType: 'returnAndRefund',
  openedAt,
  opening: {
    caseId: 'late-shipper-1',
    merchantId: 'demo-merchant',
    policy: { policyVersion: 1 },
    order: {
      orderId: 'late-o-1',
      currency: 'CNY',
      items: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitPriceMinor: 3333, unitCostMinor: 1200 }],
      shippingFeeMinor: 0,
      paidTotalMinor: 6666,
      shippedAt: openedAt - 3 * DAY,
      deliveredAt: openedAt - DAY,
    },
    request: { lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }], evidenceUrls: [] },
    customer: { id: 'cust-late-1', locale: 'en' },
    openedAt,
  },
  timeline: [
    { afterMs: 6 * DAY, via: 'UPDATE', kind: 'submitReturnShipment', workflowId: 'case-late-shipper-1', arg: { carrier: 'SF', trackingNumber: 'SFLATE01' }, outcome: 'ACCEPTED', reason: null },
    { afterMs: 8 * DAY, via: 'SIGNAL', kind: 'arrivalScanned', workflowId: 'case-late-shipper-1', arg: { trackingNumber: 'SFLATE01', scannedBy: 'dock-1', scannedAt: openedAt + 8 * DAY }, outcome: 'ACCEPTED', reason: null },
    {
      afterMs: 8 * DAY + 2 * HOUR,
      via: 'UPDATE',
      kind: 'reportInspection',
      workflowId: 'case-late-shipper-1',
      arg: { by: 'inspector-1', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] },
      outcome: 'ACCEPTED',
      reason: null,
    },
  ],
  recordedStages: ['OPENED', 'AWAITING_RETURN_SHIPMENT', 'AWAITING_ARRIVAL', 'AWAITING_INSPECTION', 'REFUNDING', 'RESOLVED', 'AWAITING_REVISIT', 'CLOSED'],
};

let simulator: Simulator;
beforeAll(async () => void (simulator = await startSimulator()), 120_000);
afterAll(async () => simulator?.close());

describe('a customer who shipped the return on day 6', () => {
  it('is refunded under the 7 days they had; closed as not shipped under 5, the later inputs dropped', async () => {
    const policy = defaultPolicy(1);
    const [baseline] = await simulator.run([lateShipper], { policy });
    expect(baseline).toMatchObject({ outcome: 'CLOSED_UNANSWERED', refundedMinor: 6666, diverged: false, assumed: false });
    expect(baseline!.stages).toEqual(lateShipper.recordedStages);
    // The scan's own time moved with the clock: the arrival step carries the shifted scannedAt.
    expect(baseline!.timeToSolutionMs).toBeLessThan(HOUR);

    const candidate = { ...policy, version: 2, rules: { ...policy.rules, customerShipReturnDays: 5 } };
    const [what] = await simulator.run([lateShipper], { policy: candidate });
    expect(what).toMatchObject({ outcome: 'NOT_SHIPPED', status: 'CLOSED', refundedMinor: 0, diverged: true, assumed: false });
    expect(what!.stages).toEqual(['OPENED', 'AWAITING_RETURN_SHIPMENT', 'CLOSED']);
    expect(what!.decisions.at(-1)).toMatchObject({ kind: 'NOT_SHIPPED', rule: 'customerShipReturnDays', outcome: 'CLOSE' });
    expect(what!.dropped).toEqual([
      { afterMs: 6 * DAY, kind: 'submitReturnShipment', reason: 'the case is closed', stage: 'CLOSED' },
      { afterMs: 8 * DAY, kind: 'arrivalScanned', reason: 'the case is closed', stage: 'CLOSED' },
      { afterMs: 8 * DAY + 2 * HOUR, kind: 'reportInspection', reason: 'the case is closed', stage: 'CLOSED' },
    ]);
    // Five days to the end of the shop's fifth day after the approval (not 5 × 24 h to the minute).
    expect(what!.timeToCloseMs).toBeGreaterThanOrEqual(5 * DAY);
    expect(what!.timeToCloseMs).toBeLessThan(6 * DAY);
  });
});
