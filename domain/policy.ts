/**
 * A merchant's policy as versioned data: durations, thresholds and business hours. A case keeps
 * the version it started with (it arrives as workflow input), so changing the policy never
 * changes the rules of a case already under way.
 */
import { validateCalendar, type BusinessCalendar } from './business-calendar.js';

export interface PolicyRules {
  /** 7-day no-reason return window, counted from delivery. */
  noReasonReturnDays: number;
  /** Outside the window (or above the amount): 'AGENT' asks an agent, 'REJECT' rejects with the rule as reason. */
  outsideWindowAction: 'AGENT' | 'REJECT';
  /** Returns worth more than this need an agent (minor units of the order's currency); 0 = no limit. */
  autoApproveMaxAmountMinor: number;
  /** Hours an agent has before a reminder (and re-escalation) while a case waits for them. */
  agentReminderHours: number;
  /** Hours the customer has to accept a proposal that differs from what they asked. */
  proposalAcceptanceHours: number;
  /** What silence means when that time runs out. */
  proposalDefaultAccept: boolean;
  /** Days the customer has to ship the return after approval, and the reminder before the end. */
  customerShipReturnDays: number;
  returnShipReminderBeforeHours: number;
  /** Days after shipping: chase the courier after the first, treat the parcel as lost after the second. */
  returnArrivalChaseAfterDays: number;
  returnArrivalDays: number;
  inspectionHours: number;
  refundHours: number;
  /** A return for a shop fault (defective, wrong, damaged, not as described) also refunds the shipping fee. */
  shopFaultRefundsShipping: boolean;
  revisitAfterDays: number;
  revisitAnswerDays: number;
}

export interface Policy {
  version: number;
  rules: PolicyRules;
  businessHours: BusinessCalendar;
}

export const DEFAULT_RULES: PolicyRules = {
  noReasonReturnDays: 7,
  outsideWindowAction: 'AGENT',
  autoApproveMaxAmountMinor: 100_000,
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
  revisitAfterDays: 3,
  revisitAnswerDays: 7,
};

export const DEFAULT_BUSINESS_HOURS: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  workingDays: [1, 2, 3, 4, 5],
  open: '09:00',
  close: '18:00',
  holidays: [],
  extraWorkingDays: [],
};

export function defaultPolicy(version = 1): Policy {
  return { version, rules: { ...DEFAULT_RULES }, businessHours: { ...DEFAULT_BUSINESS_HOURS } };
}

export interface PolicyProblem {
  field: string;
  reason: string;
}

/** Validates stored or submitted policy JSON; missing rules take the defaults. */
export function parsePolicy(json: unknown): { policy?: Policy; problems: PolicyProblem[] } {
  const problems: PolicyProblem[] = [];
  const obj = (json ?? {}) as Record<string, unknown>;
  const version = obj.version;
  if (!Number.isInteger(version) || (version as number) < 1) problems.push({ field: 'version', reason: 'must be a whole number ≥ 1' });
  const rulesIn = (obj.rules ?? {}) as Record<string, unknown>;
  if (typeof rulesIn !== 'object' || Array.isArray(rulesIn)) problems.push({ field: 'rules', reason: 'must be an object' });
  const rules = { ...DEFAULT_RULES } as Record<string, unknown>;
  for (const [key, value] of Object.entries(rulesIn)) {
    const def = (DEFAULT_RULES as unknown as Record<string, unknown>)[key];
    if (def === undefined) {
      problems.push({ field: `rules.${key}`, reason: 'is not a known rule' });
    } else if (typeof def === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) problems.push({ field: `rules.${key}`, reason: 'must be a number ≥ 0' });
      else rules[key] = value;
    } else if (typeof def === 'boolean') {
      if (typeof value !== 'boolean') problems.push({ field: `rules.${key}`, reason: 'must be true or false' });
      else rules[key] = value;
    } else if (key === 'outsideWindowAction') {
      if (value !== 'AGENT' && value !== 'REJECT') problems.push({ field: 'rules.outsideWindowAction', reason: "must be 'AGENT' or 'REJECT'" });
      else rules[key] = value;
    }
  }
  const r = rules as unknown as PolicyRules;
  if (r.returnArrivalChaseAfterDays > r.returnArrivalDays) {
    problems.push({ field: 'rules.returnArrivalChaseAfterDays', reason: 'must not be later than returnArrivalDays' });
  }
  if (r.returnShipReminderBeforeHours >= r.customerShipReturnDays * 24) {
    problems.push({ field: 'rules.returnShipReminderBeforeHours', reason: 'must fall within customerShipReturnDays' });
  }
  const businessHours = { ...DEFAULT_BUSINESS_HOURS, ...((obj.businessHours ?? {}) as Partial<BusinessCalendar>) };
  problems.push(...validateCalendar(businessHours));
  if (problems.length) return { problems };
  return { policy: { version: version as number, rules: r, businessHours }, problems };
}
