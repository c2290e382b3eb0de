/**
 * A merchant's policy as versioned data: durations, thresholds and business hours. A case keeps
 * the version it started with (it arrives as workflow input), so publishing a new version never
 * changes the rules of a case already under way — and every automatic decision names the
 * version, the rule and the values that made it.
 */
import { validateCalendar, type BusinessCalendar } from './business-calendar.js';

export interface PolicyRules {
  /** 七天无理由退货: calendar days after the day of delivery (the law counts from 签收次日). */
  noReasonReturnDays: number;
  /** A no-reason return outside the window: 'AGENT' asks an agent, 'REJECT' rejects naming the rule. */
  outsideWindowAction: 'AGENT' | 'REJECT';
  /** Returns worth more than this (minor units, in the order's currency) need an agent; absent = no limit. */
  autoApproveReturnMaxAmountMinor?: number;
  /**
   * The merchant's targets for the four figures it is judged by (README: The register and the figures): satisfaction,
   * resolution and on-time rates in percent, complaints per 1,000 orders. The supervisors' charts
   * draw them; no case decides by them. Absent = no target set.
   */
  satisfactionTargetPct?: number;
  resolutionTargetPct?: number;
  onTimeTargetPct?: number;
  complaintTargetPermille?: number;
  /** Hours an agent has before a reminder (and re-escalation) while a case waits for them. */
  agentReminderHours: number;
  /** Hours the customer has to accept a proposal that differs from what they asked (004 §四.4). */
  proposalAcceptanceHours: number;
  /** What silence means when that time runs out. */
  proposalDefaultAccept: boolean;
  /** Days the customer has to ship the return after approval, and the reminder before the end. */
  customerShipReturnDays: number;
  returnShipReminderBeforeHours: number;
  /** Days after the customer shipped: chase the courier after the first, treat as lost after the second. */
  returnArrivalChaseAfterDays: number;
  returnArrivalDays: number;
  /** Hours the warehouse has to inspect an arrived return, and finance to pay the refund. */
  inspectionHours: number;
  refundHours: number;
  /** A return for a shop fault (defective, wrong, damaged, not as described) also refunds the shipping fee. */
  shopFaultRefundsShipping: boolean;
  /** Hours the merchant has to answer a refund request before shipping; silence refunds (the marketplaces' default). */
  merchantAnswerHours: number;
  /** Days the courier has to bring an intercepted parcel back before the refund is approved anyway (仅退款-已发货). */
  interceptionDays: number;
  /** Hours to handle a complaint, by priority (004 §五.2 固定的处理时限); past it the case is escalated. */
  complaintUrgentHours: number;
  complaintHighHours: number;
  complaintNormalHours: number;
  /** Days after resolution before the satisfaction revisit (回访), and days to answer it. */
  revisitAfterDays: number;
  revisitAnswerDays: number;
  /**
   * What "the same day" of the same-day solution deadline means for a case opened after closing
   * time or on a day off (domain/solution-deadline.ts): the next business day, or still the day the
   * customer asked. Versions published before this rule have no value: they mean BUSINESS_DAY.
   */
  sameDayMeans?: SameDayMeans;
}

/** The readings of "the same day" a merchant can choose between (`rules.sameDayMeans`). */
export const SAME_DAY_MEANINGS = ['BUSINESS_DAY', 'CALENDAR_DAY'] as const;
export type SameDayMeans = (typeof SAME_DAY_MEANINGS)[number];

export interface Policy {
  version: number;
  rules: PolicyRules;
  businessHours: BusinessCalendar;
}

/**
 * Every automatic decision says which rule decided, on which values, under which policy version
 * — so the case timeline can explain it to an agent, a customer or an auditor.
 */
export interface Decision {
  rule: string;
  values: Record<string, unknown>;
  policyVersion: number;
  outcome: string;
}

export function decision(policy: Pick<Policy, 'version'>, rule: string, values: Record<string, unknown>, outcome: string): Decision {
  return { rule, values, policyVersion: policy.version, outcome };
}

export const DEFAULT_RULES: Readonly<PolicyRules> = {
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
};

/** Monday to Friday, 09:00–18:00 Beijing time, no holidays (each merchant adds its own year). */
export const DEFAULT_BUSINESS_HOURS: Readonly<BusinessCalendar> = {
  timeZone: 'Asia/Shanghai',
  workingDays: [1, 2, 3, 4, 5],
  open: '09:00',
  close: '18:00',
  holidays: [],
  extraWorkingDays: [],
};

export function defaultPolicy(version = 1): Policy {
  const h = DEFAULT_BUSINESS_HOURS;
  return {
    version,
    rules: { ...DEFAULT_RULES },
    businessHours: { ...h, workingDays: [...h.workingDays], holidays: [...h.holidays], extraWorkingDays: [...h.extraWorkingDays] },
  };
}

export interface PolicyProblem {
  field: string;
  reason: string;
  /** For a choice: the values the field may take (the API passes them on as the problem's `allowed`). */
  allowed?: readonly string[];
}

type Spec =
  | { kind: 'number'; unit: 'days' | 'hours' | 'minor units' | 'percent' | 'per mille'; min: number; exclusiveMin?: boolean; integer?: boolean }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] };

const YEAR_DAYS = 366;
const days = (min: number, exclusiveMin = false, integer = false): Spec => ({ kind: 'number', unit: 'days', min, exclusiveMin, integer });
const hrs = (min: number, exclusiveMin = false): Spec => ({ kind: 'number', unit: 'hours', min, exclusiveMin });

/** What each rule accepts. Upper bounds catch unit mistakes (hours typed into a days field). */
const SPECS: Record<keyof PolicyRules, Spec> = {
  noReasonReturnDays: days(0, false, true),
  outsideWindowAction: { kind: 'enum', values: ['AGENT', 'REJECT'] },
  autoApproveReturnMaxAmountMinor: { kind: 'number', unit: 'minor units', min: 0, integer: true },
  satisfactionTargetPct: { kind: 'number', unit: 'percent', min: 0 },
  resolutionTargetPct: { kind: 'number', unit: 'percent', min: 0 },
  onTimeTargetPct: { kind: 'number', unit: 'percent', min: 0 },
  complaintTargetPermille: { kind: 'number', unit: 'per mille', min: 0 },
  agentReminderHours: hrs(0, true),
  proposalAcceptanceHours: hrs(0, true),
  proposalDefaultAccept: { kind: 'boolean' },
  customerShipReturnDays: days(0, true),
  returnShipReminderBeforeHours: hrs(0),
  returnArrivalChaseAfterDays: days(0, true),
  returnArrivalDays: days(0, true),
  inspectionHours: hrs(0, true),
  refundHours: hrs(0, true),
  shopFaultRefundsShipping: { kind: 'boolean' },
  revisitAfterDays: days(0),
  revisitAnswerDays: days(0, true),
  merchantAnswerHours: hrs(0, true),
  interceptionDays: days(0, true),
  complaintUrgentHours: hrs(0, true),
  complaintHighHours: hrs(0, true),
  complaintNormalHours: hrs(0, true),
  sameDayMeans: { kind: 'enum', values: SAME_DAY_MEANINGS },
};

/** Renamed rules still found in stored policy versions (versions are never rewritten). */
const LEGACY: Partial<Record<string, (value: unknown) => [keyof PolicyRules, unknown]>> = {
  // v0 of this module: a required number where 0 meant "no limit".
  autoApproveMaxAmountMinor: (v) => ['autoApproveReturnMaxAmountMinor', v === 0 ? undefined : v],
};

/** A value as the reason shows it: NaN stays NaN (JSON would say null). */
const show = (v: unknown) => (typeof v === 'number' ? String(v) : v === undefined ? 'nothing (it is required)' : JSON.stringify(v));

function checkRule(key: keyof PolicyRules, value: unknown): string | undefined {
  const spec = SPECS[key];
  if (spec.kind === 'boolean') return typeof value === 'boolean' ? undefined : `must be true or false, got ${show(value)}`;
  if (spec.kind === 'enum') return spec.values.includes(value as string) ? undefined : `must be one of ${spec.values.map((v) => `'${v}'`).join(', ')}, got ${show(value)}`;
  if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number of ${spec.unit}, got ${show(value)}`;
  if (spec.integer && !Number.isSafeInteger(value)) return `must be a whole number of ${spec.unit}, got ${value}`;
  if (spec.exclusiveMin ? value <= spec.min : value < spec.min) return `must be ${spec.exclusiveMin ? '>' : '≥'} ${spec.min} ${spec.unit}, got ${value}`;
  if (spec.unit === 'days' && value > YEAR_DAYS) return `must be at most ${YEAR_DAYS} days, got ${value}`;
  if (spec.unit === 'hours' && value > YEAR_DAYS * 24) return `must be at most ${YEAR_DAYS * 24} hours, got ${value}`;
  if (spec.unit === 'percent' && value > 100) return `must be at most 100 percent, got ${value}`;
  if (spec.unit === 'per mille' && value > 1000) return `must be at most 1000 per mille, got ${value}`;
  return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates stored or submitted policy JSON. Missing rules and calendar fields take the defaults;
 * every problem is reported at once, with its field path and reason. Other top-level fields (a
 * database row's merchantId, createdAt) are ignored.
 */
export function parsePolicy(json: unknown): { policy?: Policy; problems: PolicyProblem[] } {
  if (!isObject(json)) return { problems: [{ field: '', reason: 'a policy must be an object' }] };
  const problems: PolicyProblem[] = [];
  const bad = (field: string, reason: string, allowed?: readonly string[]) => problems.push({ field, reason, ...(allowed ? { allowed } : {}) });

  const version = json.version;
  if (!Number.isSafeInteger(version) || (version as number) < 1) bad('version', `must be a whole number ≥ 1, got ${JSON.stringify(version)}`);

  const rules: Record<string, unknown> = { ...DEFAULT_RULES };
  const rulesIn = json.rules ?? {};
  if (!isObject(rulesIn)) bad('rules', 'must be an object');
  else {
    for (const [rawKey, rawValue] of Object.entries(rulesIn)) {
      const legacy = Object.hasOwn(LEGACY, rawKey) ? LEGACY[rawKey] : undefined;
      const [key, value] = legacy ? legacy(rawValue) : [rawKey, rawValue];
      if (!Object.hasOwn(SPECS, key)) bad(`rules.${rawKey}`, `is not a known rule (known: ${Object.keys(SPECS).join(', ')})`);
      else if (legacy && Object.hasOwn(rulesIn, key)) bad(`rules.${rawKey}`, `is the old name of ${key}; give only one of them`);
      else if (legacy && value === undefined) delete rules[key];
      else {
        const reason = checkRule(key as keyof PolicyRules, value);
        const spec = SPECS[key as keyof PolicyRules];
        if (reason) bad(`rules.${rawKey}`, reason, spec.kind === 'enum' ? spec.values : undefined);
        else rules[key] = value;
      }
    }
  }
  const r = rules as unknown as PolicyRules;
  // Relations between rules are checked only between values that are valid on their own.
  const valid = (...keys: string[]) => keys.every((k) => !problems.some((p) => p.field === `rules.${k}`));
  {
    if (valid('returnArrivalChaseAfterDays', 'returnArrivalDays') && r.returnArrivalChaseAfterDays > r.returnArrivalDays) bad('rules.returnArrivalChaseAfterDays', `must not be later than returnArrivalDays (${r.returnArrivalDays})`);
    if (valid('returnShipReminderBeforeHours', 'customerShipReturnDays') && r.returnShipReminderBeforeHours >= r.customerShipReturnDays * 24) {
      bad('rules.returnShipReminderBeforeHours', `must be less than customerShipReturnDays (${r.customerShipReturnDays} days = ${r.customerShipReturnDays * 24} hours)`);
    }
  }

  let businessHours: BusinessCalendar | undefined;
  const hoursIn = json.businessHours ?? {};
  if (!isObject(hoursIn)) bad('businessHours', 'must be an object');
  else {
    const defaults = defaultPolicy().businessHours;
    for (const key of Object.keys(hoursIn)) if (!Object.hasOwn(defaults, key)) bad(`businessHours.${key}`, `is not a calendar field (known: ${Object.keys(defaults).join(', ')})`);
    const merged = { ...defaults, ...hoursIn };
    const calendarProblems = validateCalendar(merged);
    problems.push(...calendarProblems);
    if (!calendarProblems.length) {
      const { timeZone, workingDays, open, close, holidays, extraWorkingDays } = merged;
      businessHours = { timeZone, workingDays, open, close, holidays, extraWorkingDays };
    }
  }

  if (problems.length || !businessHours) return { problems };
  return { policy: { version: version as number, rules: r, businessHours }, problems };
}
