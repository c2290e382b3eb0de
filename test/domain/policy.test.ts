import { describe, expect, it } from 'vitest';
import { decision, DEFAULT_BUSINESS_HOURS, DEFAULT_RULES, defaultPolicy, parsePolicy } from '../../domain/index.js';

const fields = (json: unknown) => parsePolicy(json).problems.map((p) => p.field);

describe('policy defaults', () => {
  it('are the documented figures', () => {
    expect(DEFAULT_RULES).toEqual({
      noReasonReturnDays: 7,
      outsideWindowAction: 'AGENT',
      agentReminderHours: 24,
      proposalAcceptanceHours: 48,
      proposalDefaultAccept: false,
      customerShipReturnDays: 7,
      returnShipReminderBeforeHours: 24,
      returnArrivalChaseAfterDays: 5,
      returnArrivalDays: 10,
      inspectionHours: 48,
      refundHours: 24,
      shopFaultRefundsShipping: true,
      merchantAnswerHours: 24,
      interceptionDays: 3,
      complaintUrgentHours: 4,
      complaintHighHours: 24,
      complaintNormalHours: 72,
      revisitAfterDays: 3,
      revisitAnswerDays: 7,
      sameDayMeans: 'BUSINESS_DAY',
    });
    expect(DEFAULT_BUSINESS_HOURS).toMatchObject({ timeZone: 'Asia/Shanghai', workingDays: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' });
  });
  it('defaultPolicy hands out copies: changing one never changes the defaults', () => {
    const p = defaultPolicy(2);
    p.rules.noReasonReturnDays = 15;
    p.businessHours.holidays.push('2026-10-01');
    expect(DEFAULT_RULES.noReasonReturnDays).toBe(7);
    expect(defaultPolicy().businessHours.holidays).toEqual([]);
    expect(p.version).toBe(2);
  });
});

describe('parsePolicy', () => {
  it('fills what is missing with the defaults and survives a JSON round trip', () => {
    expect(parsePolicy({ version: 1 })).toEqual({ policy: defaultPolicy(1), problems: [] });
    const stored = JSON.parse(JSON.stringify({ ...defaultPolicy(3), merchantId: 'm-1', createdAt: '2026-01-01' }));
    expect(parsePolicy(stored).policy).toEqual(defaultPolicy(3));
    const custom = parsePolicy({ version: 2, rules: { noReasonReturnDays: 15, autoApproveReturnMaxAmountMinor: 50_000 }, businessHours: { holidays: ['2026-10-01'] } });
    expect(custom.policy?.rules).toMatchObject({ noReasonReturnDays: 15, autoApproveReturnMaxAmountMinor: 50_000, customerShipReturnDays: 7 });
    expect(custom.policy?.businessHours).toMatchObject({ timeZone: 'Asia/Shanghai', holidays: ['2026-10-01'] });
  });
  it('reads the old name of the auto-approve limit in stored versions (0 meant no limit)', () => {
    expect(parsePolicy({ version: 1, rules: { autoApproveMaxAmountMinor: 100_000 } }).policy?.rules.autoApproveReturnMaxAmountMinor).toBe(100_000);
    const none = parsePolicy({ version: 1, rules: { autoApproveMaxAmountMinor: 0 } }).policy!;
    expect('autoApproveReturnMaxAmountMinor' in none.rules).toBe(false);
    expect(parsePolicy({ version: 1, rules: { autoApproveMaxAmountMinor: 1, autoApproveReturnMaxAmountMinor: 2 } }).problems).toEqual([
      { field: 'rules.autoApproveMaxAmountMinor', reason: 'is the old name of autoApproveReturnMaxAmountMinor; give only one of them' },
    ]);
    expect(fields({ version: 1, rules: { autoApproveMaxAmountMinor: -1 } })).toEqual(['rules.autoApproveMaxAmountMinor']);
  });
  it('names the field and the reason of bad durations', () => {
    const { problems, policy } = parsePolicy({
      version: 1,
      rules: {
        inspectionHours: -1,
        refundHours: 0,
        noReasonReturnDays: 7.5,
        revisitAfterDays: '3',
        returnArrivalDays: 400,
        proposalAcceptanceHours: Number.NaN,
        autoApproveReturnMaxAmountMinor: 10.5,
      },
    });
    expect(policy).toBeUndefined();
    expect(problems).toEqual([
      { field: 'rules.inspectionHours', reason: 'must be > 0 hours, got -1' },
      { field: 'rules.refundHours', reason: 'must be > 0 hours, got 0' },
      { field: 'rules.noReasonReturnDays', reason: 'must be a whole number of days, got 7.5' },
      { field: 'rules.revisitAfterDays', reason: 'must be a number of days, got "3"' },
      { field: 'rules.returnArrivalDays', reason: 'must be at most 366 days, got 400' },
      { field: 'rules.proposalAcceptanceHours', reason: 'must be a number of hours, got NaN' },
      { field: 'rules.autoApproveReturnMaxAmountMinor', reason: 'must be a whole number of minor units, got 10.5' },
    ]);
  });
  it('zero is allowed where it means "none": no no-reason returns, revisit at once, no reminder', () => {
    const p = parsePolicy({ version: 1, rules: { noReasonReturnDays: 0, revisitAfterDays: 0, returnShipReminderBeforeHours: 0 } });
    expect(p.problems).toEqual([]);
  });
  it('refuses unknown rules, bad choices and rules that contradict each other', () => {
    expect(parsePolicy({ version: 1, rules: { bogus: 1, outsideWindowAction: 'MAYBE', proposalDefaultAccept: 'yes' } }).problems).toEqual([
      { field: 'rules.bogus', reason: expect.stringMatching(/^is not a known rule \(known: noReasonReturnDays, /) },
      { field: 'rules.outsideWindowAction', reason: "must be one of 'AGENT', 'REJECT', got \"MAYBE\"", allowed: ['AGENT', 'REJECT'] },
      { field: 'rules.proposalDefaultAccept', reason: 'must be true or false, got "yes"' },
    ]);
    expect(fields({ version: 1, rules: { constructor: 1, __proto__: 1 } })).toEqual(['rules.constructor']);
    expect(parsePolicy({ version: 1, rules: { returnArrivalChaseAfterDays: 12 } }).problems).toEqual([
      { field: 'rules.returnArrivalChaseAfterDays', reason: 'must not be later than returnArrivalDays (10)' },
    ]);
    expect(parsePolicy({ version: 1, rules: { customerShipReturnDays: 1, returnShipReminderBeforeHours: 24 } }).problems).toEqual([
      { field: 'rules.returnShipReminderBeforeHours', reason: 'must be less than customerShipReturnDays (1 days = 24 hours)' },
    ]);
    // A relation is not checked against a value that is already wrong on its own.
    expect(fields({ version: 1, rules: { returnArrivalDays: -1, returnArrivalChaseAfterDays: 5 } })).toEqual(['rules.returnArrivalDays']);
  });
  it('sameDayMeans: BUSINESS_DAY when absent (versions published before the rule), CALENDAR_DAY when chosen, nothing else', () => {
    const old = parsePolicy({ version: 4, rules: { noReasonReturnDays: 7 } }).policy!;
    expect(old.rules.sameDayMeans).toBe('BUSINESS_DAY');
    expect(parsePolicy({ version: 5, rules: { sameDayMeans: 'CALENDAR_DAY' } }).policy?.rules.sameDayMeans).toBe('CALENDAR_DAY');
    expect(parsePolicy({ version: 5, rules: { sameDayMeans: 'calendar_day' } }).problems).toEqual([
      { field: 'rules.sameDayMeans', reason: "must be one of 'BUSINESS_DAY', 'CALENDAR_DAY', got \"calendar_day\"", allowed: ['BUSINESS_DAY', 'CALENDAR_DAY'] },
    ]);
    expect(fields({ version: 5, rules: { sameDayMeans: null } })).toEqual(['rules.sameDayMeans']);
  });
  it('checks version, shapes and the business calendar', () => {
    expect(fields({ version: 0 })).toEqual(['version']);
    expect(fields({ rules: {} })).toEqual(['version']);
    expect(fields({ version: 1.5, rules: [], businessHours: 'weekdays' })).toEqual(['version', 'rules', 'businessHours']);
    expect(parsePolicy(null).problems).toEqual([{ field: '', reason: 'a policy must be an object' }]);
    expect(parsePolicy({ version: 1, businessHours: { timeZone: 'Nowhere/City', workingDays: [1, 9], opens: '09:00' } }).problems).toEqual([
      { field: 'businessHours.opens', reason: 'is not a calendar field (known: timeZone, workingDays, open, close, holidays, extraWorkingDays)' },
      { field: 'businessHours.timeZone', reason: "must be an IANA time zone such as 'Asia/Shanghai', got \"Nowhere/City\"" },
      { field: 'businessHours.workingDays[1]', reason: 'must be an ISO weekday 1 (Monday) … 7 (Sunday), got 9' },
    ]);
  });
  it('every problem at once, in one pass', () => {
    expect(fields({ version: -1, rules: { inspectionHours: -1 }, businessHours: { close: '08:00' } })).toEqual([
      'version',
      'rules.inspectionHours',
      'businessHours.close',
    ]);
  });
});

describe('Decision', () => {
  it('names rule, values, policy version and outcome', () => {
    expect(decision(defaultPolicy(7), 'refundHours', { hours: 24 }, 'LATE')).toEqual({ rule: 'refundHours', values: { hours: 24 }, policyVersion: 7, outcome: 'LATE' });
  });
});

describe("the four figures' targets", () => {
  it('are optional rules: absent by default, percentages up to 100, complaints per mille up to 1000', () => {
    expect(parsePolicy({ version: 1 }).policy?.rules).not.toHaveProperty('satisfactionTargetPct');
    const set = parsePolicy({ version: 2, rules: { satisfactionTargetPct: 92.5, resolutionTargetPct: 95, onTimeTargetPct: 98, complaintTargetPermille: 1.5 } });
    expect(set.problems).toEqual([]);
    expect(set.policy?.rules).toMatchObject({ satisfactionTargetPct: 92.5, complaintTargetPermille: 1.5 });
    const wrong = parsePolicy({ version: 2, rules: { onTimeTargetPct: 120, complaintTargetPermille: -1 } });
    expect(wrong.problems).toEqual([
      { field: 'rules.onTimeTargetPct', reason: 'must be at most 100 percent, got 120' },
      { field: 'rules.complaintTargetPermille', reason: 'must be ≥ 0 per mille, got -1' },
    ]);
  });
});
