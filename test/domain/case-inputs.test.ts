import { describe, expect, it } from 'vitest';
import { inputTimeline, openingInput, recordableOpening, type RecordedInput } from '../../domain/case-inputs.js';

const DAY = 86_400_000;
const OPENED = Date.UTC(2026, 2, 1, 2, 0, 0);
const WF = 'case-c1';

const input = (seq: number, at: number, over: Partial<RecordedInput> = {}): RecordedInput => ({
  seq,
  at,
  via: seq === 0 ? 'START' : 'UPDATE',
  kind: seq === 0 ? 'returnAndRefund' : 'submitReturnShipment',
  workflowId: WF,
  arg: { n: seq },
  outcome: 'ACCEPTED',
  reason: null,
  ...over,
});

describe('inputTimeline', () => {
  it('puts every input at its offset from the opening, the opening at 0, in recorded order', () => {
    const timeline = inputTimeline([
      input(2, OPENED + 6 * DAY, { via: 'SIGNAL', kind: 'arrivalScanned', arg: { trackingNumber: 'SF1', scannedBy: 'dock-1', scannedAt: OPENED + 6 * DAY } }),
      input(0, OPENED),
      input(1, OPENED + 3 * DAY, { arg: { carrier: 'SF', trackingNumber: 'SF1' } }),
    ]);
    expect(timeline).toEqual([
      { afterMs: 0, via: 'START', kind: 'returnAndRefund', workflowId: WF, arg: { n: 0 }, outcome: 'ACCEPTED', reason: null },
      { afterMs: 3 * DAY, via: 'UPDATE', kind: 'submitReturnShipment', workflowId: WF, arg: { carrier: 'SF', trackingNumber: 'SF1' }, outcome: 'ACCEPTED', reason: null },
      { afterMs: 6 * DAY, via: 'SIGNAL', kind: 'arrivalScanned', workflowId: WF, arg: { trackingNumber: 'SF1', scannedBy: 'dock-1', scannedAt: OPENED + 6 * DAY }, outcome: 'ACCEPTED', reason: null },
    ]);
  });

  it('keeps refused inputs with their reason, and inputs to a claim workflow with its id', () => {
    const timeline = inputTimeline([
      input(0, OPENED),
      input(1, OPENED + DAY, { outcome: 'REFUSED', reason: 'the case is at stage AWAITING_ARRIVAL, not AWAITING_RETURN_SHIPMENT' }),
      input(2, OPENED + 9 * DAY, { via: 'SIGNAL', kind: 'claimDecided', workflowId: 'claim-c1-SF1', arg: { claimId: 'CL-1', status: 'PAID', paidMinor: 100, at: OPENED + 9 * DAY } }),
    ]);
    expect(timeline[1]).toMatchObject({ afterMs: DAY, outcome: 'REFUSED', reason: 'the case is at stage AWAITING_ARRIVAL, not AWAITING_RETURN_SHIPMENT' });
    expect(timeline[2]).toMatchObject({ afterMs: 9 * DAY, kind: 'claimDecided', workflowId: 'claim-c1-SF1' });
  });

  it('never goes back in time: an input recorded after another is sent no earlier (clock skew between API instances)', () => {
    const timeline = inputTimeline([input(0, OPENED), input(1, OPENED + 5_000), input(2, OPENED + 4_990), input(3, OPENED - 20)]);
    expect(timeline.map((t) => t.afterMs)).toEqual([0, 5_000, 5_000, 5_000]);
  });

  it('without a recorded opening, measures from the openedAt given; with neither it refuses', () => {
    expect(inputTimeline([input(1, OPENED + 2 * DAY)], OPENED).map((t) => t.afterMs)).toEqual([2 * DAY]);
    expect(inputTimeline([input(0, OPENED + 7), input(1, OPENED + 10)], OPENED).map((t) => t.afterMs)).toEqual([0, 3]); // the opening wins
    expect(() => inputTimeline([input(1, OPENED)])).toThrow(/no opening/);
    expect(inputTimeline([], OPENED)).toEqual([]);
  });
});

describe('the opening with its policy by version', () => {
  const policy = { version: 3, rules: { noReasonDays: 7 } };
  const fulfilment = { version: 3, rules: { smallLightMinor: 3000 } };

  it('records the workflow input with each policy it carries replaced by its version, and rebuilds it exactly', () => {
    const sent = { caseId: 'c1', merchantId: 'm', policy, fulfilment, openedAt: OPENED, order: { orderId: 'SO-1' } };
    const recorded = recordableOpening(sent, 3);
    expect(recorded).toEqual({ caseId: 'c1', merchantId: 'm', policy: { policyVersion: 3 }, fulfilment: { policyVersion: 3 }, openedAt: OPENED, order: { orderId: 'SO-1' } });
    expect(sent.policy).toBe(policy); // the input sent is not touched
    expect(openingInput(JSON.parse(JSON.stringify(recorded)), { policy, fulfilment })).toEqual(sent);
  });

  it('adds no policy the opening did not carry (a return takes no fulfilment rules), and refuses to leave one out', () => {
    const recorded = recordableOpening({ caseId: 'c1', policy, openedAt: OPENED }, 3);
    expect(recorded).toEqual({ caseId: 'c1', policy: { policyVersion: 3 }, openedAt: OPENED });
    const proposed = { version: 99, rules: { noReasonDays: 15 } };
    expect(openingInput(recorded, { policy: proposed, fulfilment })).toEqual({ caseId: 'c1', policy: proposed, openedAt: OPENED });
    expect(() => openingInput(recordableOpening({ policy, fulfilment }, 3), { policy })).toThrow(/takes a fulfilment/);
  });
});
