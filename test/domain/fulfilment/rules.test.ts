import { describe, expect, it } from 'vitest';
import { carrierContract, DEFAULT_FULFILMENT_RULES, defaultFulfilmentPolicy, parseFulfilmentRules } from '../../../domain/fulfilment/index.js';

const fields = (json: unknown) => parseFulfilmentRules(json).problems.map((p) => p.field);
const contract = { claimWindowDays: 15, followUpEveryDays: 2, escalateBeforeCloseDays: 3 };

describe('fulfilment rules', () => {
  it('defaults are the documented figures, handed out as copies', () => {
    expect(DEFAULT_FULFILMENT_RULES).toMatchObject({ weightToleranceGrams: 50, weightTolerancePercent: 5, smallAmountMaxMinor: 3000, smallLightMaxWeightGrams: 300, wrongItemValueBasis: 'COST', minorDamageCap: 'LOWER_OF_BOTH', traceStalledHours: 48, carriers: {} });
    const p = defaultFulfilmentPolicy(3);
    p.rules.defaultCarrier.claimWindowDays = 99;
    p.rules.carriers.SF = contract;
    expect(DEFAULT_FULFILMENT_RULES.defaultCarrier.claimWindowDays).toBe(30);
    expect(DEFAULT_FULFILMENT_RULES.carriers).toEqual({});
    expect(p.version).toBe(3);
    expect(defaultFulfilmentPolicy().version).toBe(1);
  });
  it('parse fills what is missing and survives a JSON round trip', () => {
    expect(parseFulfilmentRules({})).toEqual({ rules: defaultFulfilmentPolicy().rules, problems: [] });
    const custom = { ...DEFAULT_FULFILMENT_RULES, smallAmountMaxMinor: 5000, minorDamageCap: 'ORDER_PROFIT', carriers: { SF: { ...contract, maxClaimMinor: 100_000 }, 'J-T': contract } };
    expect(parseFulfilmentRules(JSON.parse(JSON.stringify(custom)))).toEqual({ rules: custom, problems: [] });
  });
  it('names the field and the reason of every problem', () => {
    expect(parseFulfilmentRules(null).problems).toEqual([{ field: '', reason: 'fulfilment rules must be an object' }]);
    expect(parseFulfilmentRules([]).problems[0].field).toBe('');
    expect(
      fields({ weightToleranceGrams: -1, weightTolerancePercent: 101, smallAmountMaxMinor: 1.5, traceStalledHours: 0, wrongItemValueBasis: 'RETAIL', minorDamageCap: null, bogus: 1, carriers: [] }),
    ).toEqual(['weightToleranceGrams', 'weightTolerancePercent', 'smallAmountMaxMinor', 'traceStalledHours', 'wrongItemValueBasis', 'minorDamageCap', 'bogus', 'carriers']);
    expect(parseFulfilmentRules({ weightTolerancePercent: 101 }).problems).toEqual([{ field: 'weightTolerancePercent', reason: 'must be a whole number from 0 to 100, got 101' }]);
    expect(parseFulfilmentRules({ delayCompensationPerDayMinor: 3000, delayCompensationMaxMinor: 2000 }).problems).toEqual([
      { field: 'delayCompensationPerDayMinor', reason: 'must not exceed delayCompensationMaxMinor (2000)' },
    ]);
    expect(fields({ delayCompensationPerDayMinor: -1, delayCompensationMaxMinor: 2000 })).toEqual(['delayCompensationPerDayMinor']);
  });
  it('takes any length of time above 0 for the hours and days rules (a short trial: 0.05 h), whole numbers for the rest', () => {
    expect(parseFulfilmentRules({ warehouseTaskHours: 0.05, urgentWarehouseHours: 0.02, traceStalledHours: 0.5, reshipmentTraceEveryHours: 0.1, reshipmentDeliveryDays: 0.01, restockWaitDays: 0.5 })).toMatchObject({ rules: { warehouseTaskHours: 0.05, reshipmentDeliveryDays: 0.01 }, problems: [] });
    expect(parseFulfilmentRules({ warehouseTaskHours: 0 }).problems).toEqual([{ field: 'warehouseTaskHours', reason: 'must be a number of hours above 0, at most 720, got 0' }]);
    expect(parseFulfilmentRules({ restockWaitDays: 91 }).problems).toEqual([{ field: 'restockWaitDays', reason: 'must be a number of days above 0, at most 90, got 91' }]);
    expect(fields({ urgentWarehouseHours: '2', traceStalledHours: Number.NaN, weightToleranceGrams: 0.5 })).toEqual(['urgentWarehouseHours', 'traceStalledHours', 'weightToleranceGrams']);
  });
  it('validates every carrier contract, at its own path', () => {
    expect(fields({ carriers: { 'S/F': contract } })).toEqual(['carriers.S/F']);
    // A known carrier's name or a code in lower case is its code (domain/carriers.ts).
    expect(parseFulfilmentRules({ carriers: { sf: contract, 中通: contract } }).rules?.carriers).toEqual({ SF: contract, ZTO: contract });
    expect(fields({ carriers: { sf: contract, 顺丰: contract } })).toEqual(['carriers.顺丰']);
    expect(fields({ defaultCarrier: 'x' })).toEqual(['defaultCarrier']);
    expect(fields({ carriers: { SF: { claimWindowDays: 0, followUpEveryDays: 1.5, escalateBeforeCloseDays: -1, maxClaimMinor: -5, extra: 1 } } })).toEqual([
      'carriers.SF.extra',
      'carriers.SF.claimWindowDays',
      'carriers.SF.followUpEveryDays',
      'carriers.SF.escalateBeforeCloseDays',
      'carriers.SF.maxClaimMinor',
    ]);
    expect(parseFulfilmentRules({ carriers: { SF: { claimWindowDays: 10, followUpEveryDays: 11, escalateBeforeCloseDays: 10 } } }).problems).toEqual([
      { field: 'carriers.SF.escalateBeforeCloseDays', reason: 'must be less than claimWindowDays (10)' },
      { field: 'carriers.SF.followUpEveryDays', reason: 'must not exceed claimWindowDays (10)' },
    ]);
    // A term left out is said to be missing, not "got undefined".
    expect(parseFulfilmentRules({ carriers: { SF: { claimWindowDays: 10, followUpEveryDays: 2 } } }).problems).toEqual([
      { field: 'carriers.SF.escalateBeforeCloseDays', reason: 'is required: must be a whole number of days from 0 to 366' },
    ]);
    // Boundaries: escalate at 9 of 10 days and follow up every 10 are fine.
    expect(parseFulfilmentRules({ defaultCarrier: { claimWindowDays: 10, followUpEveryDays: 10, escalateBeforeCloseDays: 9 } }).problems).toEqual([]);
  });
  it('looks a carrier up in the table, or falls back to the default contract', () => {
    const rules = { ...DEFAULT_FULFILMENT_RULES, carriers: { SF: contract } };
    expect(carrierContract(rules, 'SF')).toEqual({ contract, source: 'CONTRACT' });
    expect(carrierContract(rules, 'ZTO')).toEqual({ contract: DEFAULT_FULFILMENT_RULES.defaultCarrier, source: 'DEFAULT' });
    expect(carrierContract(rules, 'toString').source).toBe('DEFAULT');
  });
});
