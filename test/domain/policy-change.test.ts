/** A policy change: merged with the current version and validated, as publishing and the what-if both take it. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_FULFILMENT_RULES } from '../../domain/fulfilment/index.js';
import { defaultPolicy } from '../../domain/policy.js';
import { mergePolicyChange, policyCandidate, policyChangedPaths } from '../../domain/policy-change.js';

const current = { ...defaultPolicy(3), rules: { ...defaultPolicy(3).rules, autoApproveReturnMaxAmountMinor: 10_000 } };
const fulfilment = { ...DEFAULT_FULFILMENT_RULES, carriers: { SF: { claimWindowDays: 30, followUpEveryDays: 3, escalateBeforeCloseDays: 5 } } };

describe('a policy change', () => {
  it('replaces the rules it names, removes those set to null, and carries the rest over', () => {
    const merged = mergePolicyChange(current, fulfilment, { rules: { noReasonReturnDays: 15, autoApproveReturnMaxAmountMinor: null }, businessHours: { close: '20:00' } });
    expect(merged.rules).toMatchObject({ noReasonReturnDays: 15, customerShipReturnDays: 7 });
    expect(merged.rules).not.toHaveProperty('autoApproveReturnMaxAmountMinor');
    expect(merged.businessHours).toMatchObject({ close: '20:00', open: '09:00', timeZone: 'Asia/Shanghai' });
  });

  it('merges carrier contracts by carrier code', () => {
    const merged = mergePolicyChange(current, fulfilment, { fulfilment: { carriers: { SF: null, ZTO: { claimWindowDays: 60, followUpEveryDays: 5, escalateBeforeCloseDays: 10 } } } });
    expect(Object.keys(merged.fulfilment.carriers as object)).toEqual(['ZTO']);
  });

  it("takes a known carrier's name for its code, in the contracts and the carriers it ships with", () => {
    const merged = mergePolicyChange(current, fulfilment, { fulfilment: { carriers: { 顺丰: null, 中通快递: { claimWindowDays: 60, followUpEveryDays: 5, escalateBeforeCloseDays: 10 } } } });
    expect(Object.keys(merged.fulfilment.carriers as object)).toEqual(['ZTO']);
    const named = policyCandidate(current, fulfilment, { fulfilment: { preferredCarrier: '京东物流', backupCarrier: 'sf' } });
    expect(named.problems).toEqual([]);
    expect(named.fulfilment?.rules).toMatchObject({ preferredCarrier: 'JD', backupCarrier: 'SF' });
    const unknown = policyCandidate(current, fulfilment, { fulfilment: { preferredCarrier: '小件快递', carriers: { 某快递: { claimWindowDays: 60, followUpEveryDays: 5, escalateBeforeCloseDays: 10 } } } });
    expect(unknown.problems.map((p) => p.field)).toEqual(['fulfilment.preferredCarrier', 'fulfilment.carriers.某快递']);
  });

  it("takes another carrier's code in lower case as a request does (best → BEST); '__proto__' is a carrier named __PROTO__, not the carriers' prototype", () => {
    const best = policyCandidate(current, fulfilment, { fulfilment: { backupCarrier: 'best', carriers: { best: { claimWindowDays: 20, followUpEveryDays: 2, escalateBeforeCloseDays: 3 } } } });
    expect(best.problems).toEqual([]);
    expect(best.fulfilment?.rules).toMatchObject({ backupCarrier: 'BEST', carriers: { BEST: { claimWindowDays: 20 } } });
    // Removed by the same spelling.
    expect(Object.keys(mergePolicyChange(current, { ...fulfilment, carriers: { ...fulfilment.carriers, BEST: fulfilment.carriers.SF } }, { fulfilment: { carriers: { best: null } } }).fulfilment.carriers as object)).toEqual(['SF']);
    const proto = policyCandidate(current, fulfilment, JSON.parse('{"fulfilment":{"carriers":{"__proto__":{"claimWindowDays":3,"followUpEveryDays":1,"escalateBeforeCloseDays":1}}}}'));
    expect(proto.problems).toEqual([]);
    expect(Object.keys(proto.fulfilment!.rules.carriers)).toEqual(['SF', '__PROTO__']);
    expect(Object.getPrototypeOf(proto.fulfilment!.rules.carriers)).toBe(Object.prototype);
  });

  it('makes the next version when valid, and names the fields as the change does when not', () => {
    const ok = policyCandidate(current, fulfilment, { rules: { noReasonReturnDays: 15 } });
    expect(ok.problems).toEqual([]);
    expect(ok.policy).toMatchObject({ version: 4, rules: { noReasonReturnDays: 15 } });
    expect(ok.fulfilment?.version).toBe(4);
    const bad = policyCandidate(current, fulfilment, { rules: { noReasonReturnDays: -1 }, fulfilment: { smallAmountMaxMinor: 'lots' } });
    expect(bad.policy).toBeUndefined();
    expect(bad.problems.map((p) => p.field)).toEqual(['rules.noReasonReturnDays', 'fulfilment.smallAmountMaxMinor']);
  });
});

describe('what a version changed from the one before', () => {
  const v1 = { rules: { noReasonReturnDays: 7, inspectionHours: 48 }, businessHours: { close: '18:00', holidays: ['2027-01-01'] }, fulfilment: { smallAmountMaxMinor: 5000, carriers: { SF: { claimWindowDays: 60 }, ZTO: { claimWindowDays: 30 } } } };

  it('names each field changed, added or removed as publishing names it; each carrier on its own', () => {
    const v2 = {
      rules: { inspectionHours: 48, noReasonReturnDays: 15, autoApproveReturnMaxAmountMinor: 10_000 },
      businessHours: { close: '18:00', holidays: ['2027-01-01', '2027-02-08'] },
      fulfilment: { smallAmountMaxMinor: 5000, carriers: { SF: { claimWindowDays: 90 } } },
    };
    expect(policyChangedPaths(v1, v2)).toEqual(['rules.autoApproveReturnMaxAmountMinor', 'rules.noReasonReturnDays', 'businessHours.holidays', 'fulfilment.carriers.SF', 'fulfilment.carriers.ZTO']);
  });

  it('is empty for the same JSON in another key order, and reads a missing part as empty', () => {
    expect(policyChangedPaths(v1, JSON.parse(JSON.stringify({ fulfilment: v1.fulfilment, businessHours: v1.businessHours, rules: { inspectionHours: 48, noReasonReturnDays: 7 } })))).toEqual([]);
    expect(policyChangedPaths({ rules: {}, businessHours: {}, fulfilment: null }, { rules: {}, businessHours: {}, fulfilment: { smallAmountMaxMinor: 1 } })).toEqual(['fulfilment.smallAmountMaxMinor']);
  });
});
