/**
 * Providers' answers are not recorded (a courier's trace, the warehouse's dispatch record): when a
 * simulated case asks for one, the simulator's answer stands in, and the case is marked as resting
 * on it — charged to the case the parcel or the order belongs to.
 */
import { describe, expect, it } from 'vitest';
import { InMemoryCaseActivities, routedActivities } from '../../simulation/in-memory-activities.js';
import { caseResult } from '../../simulation/result.js';

describe("a provider's answer in a simulated case", () => {
  it('is charged to the case of the parcel or order, once per kind, at the stage it was asked', async () => {
    const lost = new InMemoryCaseActivities();
    const other = new InMemoryCaseActivities();
    await lost.recordTransition({ caseId: 'sim-lost', stepKey: '1:FOLLOWING', kind: 'FOLLOWING', stage: 'FOLLOWING', version: 1 });
    const stores = new Map([['sim-lost', lost], ['sim-other', other]]);
    const keys = new Map([['trace:SF-LOST-1', 'sim-lost'], ['dispatch:o-lost', 'sim-lost']]);
    const activities = routedActivities((id) => stores.get(id)!, () => stores.values(), (key) => stores.get(keys.get(key) ?? ''));

    expect(await activities.trackParcel({ carrier: 'SF', trackingNumber: 'SF-LOST-1' })).toMatchObject({ status: 'IN_TRANSIT' });
    await activities.trackParcel({ carrier: 'SF', trackingNumber: 'SF-LOST-1' });
    await activities.orderDispatch({ orderId: 'o-lost' });
    await activities.trackParcel({ carrier: 'SF', trackingNumber: 'SF-UNKNOWN' });
    expect(lost.providerAnswers).toEqual([
      { kind: 'courierTrace', stage: 'FOLLOWING' },
      { kind: 'warehouseDispatch', stage: 'FOLLOWING' },
    ]);
    expect(other.providerAnswers).toEqual([]);

    const result = caseResult({ caseId: 'lost', simulatedCaseId: 'sim-lost', workflowType: 'lostParcel', openedAt: 0, opening: {}, outcome: 'UNFINISHED', store: lost, dropped: [], formerlyRefusedAccepted: [], recordedKinds: new Set() });
    expect(result.assumed).toBe(true);
    expect(result.assumedAt).toContainEqual({ stage: 'FOLLOWING', rule: 'courierTrace', outcome: 'SIMULATED' });
    expect(result.assumptions[0]).toMatch(/courier's trace is not in history/);
  });
});
