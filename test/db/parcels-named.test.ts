/** The parcels a case's step names, as CaseParcel keeps them for courier events to match (db/case-steps.ts). Pure. */
import { describe, expect, it } from 'vitest';
import { parcelsNamedBy, projectSteps } from '../../db/case-steps.js';

describe('the parcels a step names (db/case-steps.ts)', () => {
  it('are followed under the carrier code, also when a case opened before names took codes names it "顺丰"', () => {
    expect(parcelsNamedBy({ caseId: 'c', stepKey: 'k', kind: 'RETURN_SHIPPED', version: 1, stage: 'AWAITING_ARRIVAL', data: { carrier: '顺丰', trackingNumber: 'sf 1400' } })).toEqual([{ carrier: 'SF', trackingNumber: 'SF1400', role: 'RETURN' }]);
    expect(parcelsNamedBy({ caseId: 'c', stepKey: 'k', kind: 'SHIPPED', version: 1, stage: 'SHIPPED', data: { carrier: ' best ', outboundTracking: 'B1' } })).toEqual([{ carrier: 'BEST', trackingNumber: 'B1', role: 'OUTBOUND' }]);
  });

  it("and the case row's carrier (the figures per carrier) is the code as well", () => {
    const step = { caseId: 'c', stepKey: 'k', kind: 'RETURN_SHIPPED', version: 1, stage: 'AWAITING_ARRIVAL', data: { carrier: '顺丰速运', trackingNumber: 'sf 1400' } };
    expect(projectSteps([step], 0).carrier).toBe('SF');
  });
});
