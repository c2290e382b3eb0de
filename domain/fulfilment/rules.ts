/**
 * Policy values of the fulfilment case types (少货, 错货, 运输破损, 质量问题, 丢件, 延误, 查件) and the
 * carrier-contract table, whose contracts are `CarrierContract` of domain/courier-claim.ts (one shape
 * for these rules and the courierClaim workflow). Kept apart from `PolicyRules` (policy.ts) until they are merged into the
 * merchant's versioned policy; a case keeps the `FulfilmentPolicy` it started with, and every
 * Decision names its version.
 */
import { DEFAULT_CARRIER_CONTRACT as DEFAULT_CARRIER, type CarrierContract } from '../courier-claim.js';
import type { Problem } from '../return-refund.js';
import { carrierCodeOf, isCarrierCode } from '../carriers.js';

export interface FulfilmentRules {
  /** 少货 (003 §二.2 快递单称重): the scale's tolerance, the larger of grams and percent of expected weight. */
  weightToleranceGrams: number;
  weightTolerancePercent: number;
  /** 少货 (003 §二.4): "金额较小" — refund at once at or below this value (minor units)… */
  smallAmountMaxMinor: number;
  /** …when the missing goods are also "体积小重量轻": at or below this weight. */
  smallLightMaxWeightGrams: number;
  /** 错货 (003 §三.3): the wrong item's value compared with shipping — at cost (the shop's loss) or at price. */
  wrongItemValueBasis: 'COST' | 'PRICE';
  /** 运输破损 (003 §四.1): a minor-damage refund stays under the order's profit, the return shipping, or the lower of both. */
  minorDamageCap: 'ORDER_PROFIT' | 'RETURN_SHIPPING' | 'LOWER_OF_BOTH';
  /** 质量问题 (003 §五.2 折扣几元钱): percent of the affected goods' price, capped. */
  qualityDiscountPercent: number;
  qualityDiscountMaxMinor: number;
  /** 延误, internal cause (004 §二.3 给予一定的补偿): per started day late, capped. */
  delayCompensationPerDayMinor: number;
  delayCompensationMaxMinor: number;
  /** 查件 (001 §04 物流信息停滞): no new scan for this long → chase the courier. */
  traceStalledHours: number;
  /** Hours the warehouse has for a task (verify dispatch, count stock, re-pack) before it is escalated. */
  warehouseTaskHours: number;
  /** 少货 (003 §二.5 跟踪到交易确认): a re-shipment's trace is checked every N hours until delivered… */
  reshipmentTraceEveryHours: number;
  /** …and escalated when not delivered within N days. */
  reshipmentDeliveryDays: number;
  /** 售后发货 (000 第四章): the carrier used first, and the backup when it fails or refuses a parcel. */
  preferredCarrier: string;
  backupCarrier: string;
  /** Urgent customers (000 紧急客户优先处理): the warehouse's deadline for their goods going out. */
  urgentWarehouseHours: number;
  /**
   * An exchange with no good unit in stock whose customer agreed to wait for the restock: after this
   * many days without a unit that passes, an agent asks the customer again (refund instead, or wait on).
   */
  restockWaitDays: number;
  /** An exchange may ship before the old item is back (the difference is settled after inspection). */
  exchangeShipsBeforeReturn: boolean;
  /** The merchant repairs goods (004 §三.4 维修部门): quality cases may be repaired. */
  hasRepairDepartment: boolean;
  /** Used for carriers missing from the table. */
  defaultCarrier: CarrierContract;
  /** Carrier code (e.g. 'SF', 'ZTO') → contract. */
  carriers: Record<string, CarrierContract>;
}

export interface FulfilmentPolicy {
  version: number;
  rules: FulfilmentRules;
}

const CARRIER_CODE_REASON = "must be a carrier code (1–32 of A–Z, 0–9, _ and -; lower case is taken) or a known carrier's name";

/** The rules of a merchant whose policy sets none of its own (defaultFulfilmentPolicy). */
export const DEFAULT_FULFILMENT_RULES: Readonly<FulfilmentRules> = {
  weightToleranceGrams: 50,
  weightTolerancePercent: 5,
  smallAmountMaxMinor: 3000,
  smallLightMaxWeightGrams: 300,
  wrongItemValueBasis: 'COST',
  minorDamageCap: 'LOWER_OF_BOTH',
  qualityDiscountPercent: 10,
  qualityDiscountMaxMinor: 1000,
  delayCompensationPerDayMinor: 500,
  delayCompensationMaxMinor: 2000,
  traceStalledHours: 48,
  warehouseTaskHours: 24,
  reshipmentTraceEveryHours: 24,
  reshipmentDeliveryDays: 7,
  preferredCarrier: 'SF',
  backupCarrier: 'YTO',
  urgentWarehouseHours: 4,
  restockWaitDays: 7,
  exchangeShipsBeforeReturn: false,
  hasRepairDepartment: false,
  defaultCarrier: DEFAULT_CARRIER,
  carriers: {},
};

/** A copy of the defaults (nested objects included) under a version. */
export function defaultFulfilmentPolicy(version = 1): FulfilmentPolicy {
  const d = DEFAULT_FULFILMENT_RULES;
  return { version, rules: { ...d, defaultCarrier: { ...d.defaultCarrier }, carriers: {} } };
}

/** The contract for a carrier, or the default one (and which was used, for the Decision). */
export function carrierContract(rules: FulfilmentRules, carrier: string): { contract: CarrierContract; source: 'CONTRACT' | 'DEFAULT' } {
  return Object.hasOwn(rules.carriers, carrier) ? { contract: rules.carriers[carrier], source: 'CONTRACT' } : { contract: rules.defaultCarrier, source: 'DEFAULT' };
}

type NumberKey = Exclude<keyof FulfilmentRules, 'wrongItemValueBasis' | 'minorDamageCap' | 'defaultCarrier' | 'carriers' | 'preferredCarrier' | 'backupCarrier' | 'exchangeShipsBeforeReturn' | 'hasRepairDepartment'>;
/** [minimum, maximum] of each number rule (whole numbers but for DURATIONS); the maxima catch unit mistakes. */
const NUMBERS: Record<NumberKey, [number, number]> = {
  weightToleranceGrams: [0, 100_000],
  weightTolerancePercent: [0, 100],
  smallAmountMaxMinor: [0, Number.MAX_SAFE_INTEGER],
  smallLightMaxWeightGrams: [0, 1_000_000],
  qualityDiscountPercent: [0, 100],
  qualityDiscountMaxMinor: [0, Number.MAX_SAFE_INTEGER],
  delayCompensationPerDayMinor: [0, Number.MAX_SAFE_INTEGER],
  delayCompensationMaxMinor: [0, Number.MAX_SAFE_INTEGER],
  traceStalledHours: [1, 366 * 24],
  warehouseTaskHours: [1, 30 * 24],
  reshipmentTraceEveryHours: [1, 7 * 24],
  reshipmentDeliveryDays: [1, 90],
  urgentWarehouseHours: [1, 72],
  restockWaitDays: [1, 90],
};
/**
 * The rules that are lengths of time: any number of hours or days above 0 up to their maximum, as
 * the policy's own hours and days are — a trial sets a warehouse's hours to 0.05 to watch a task
 * fall late in minutes (whole numbers from 1 made it wait an hour at least).
 */
const DURATIONS: ReadonlySet<NumberKey> = new Set(['traceStalledHours', 'warehouseTaskHours', 'reshipmentTraceEveryHours', 'urgentWarehouseHours', 'reshipmentDeliveryDays', 'restockWaitDays']);
const ENUMS = { wrongItemValueBasis: ['COST', 'PRICE'], minorDamageCap: ['ORDER_PROFIT', 'RETURN_SHIPPING', 'LOWER_OF_BOTH'] } as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const inRange = (v: unknown, min: number, max: number) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;

function parseContract(json: unknown, field: string, problems: Problem[]): CarrierContract | undefined {
  if (!isObject(json)) return void problems.push({ field, reason: 'must be an object' });
  const before = problems.length;
  const known = ['claimWindowDays', 'followUpEveryDays', 'escalateBeforeCloseDays', 'maxClaimMinor'];
  for (const key of Object.keys(json)) if (!known.includes(key)) problems.push({ field: `${field}.${key}`, reason: `is not a contract term (known: ${known.join(', ')})` });
  const { claimWindowDays: w, followUpEveryDays: f, escalateBeforeCloseDays: e, maxClaimMinor: m } = json;
  // A term left out is said to be missing, not "got undefined".
  const days = (v: unknown, min: number) => `${v === undefined ? 'is required: ' : ''}must be a whole number of days from ${min} to 366${v === undefined ? '' : `, got ${JSON.stringify(v)}`}`;
  if (!inRange(w, 1, 366)) problems.push({ field: `${field}.claimWindowDays`, reason: days(w, 1) });
  if (!inRange(f, 1, 366)) problems.push({ field: `${field}.followUpEveryDays`, reason: days(f, 1) });
  if (!inRange(e, 0, 366)) problems.push({ field: `${field}.escalateBeforeCloseDays`, reason: days(e, 0) });
  if (m !== undefined && !inRange(m, 0, Number.MAX_SAFE_INTEGER)) problems.push({ field: `${field}.maxClaimMinor`, reason: `must be a whole number of minor units ≥ 0, got ${JSON.stringify(m)}` });
  if (problems.length > before) return undefined;
  if ((e as number) >= (w as number)) problems.push({ field: `${field}.escalateBeforeCloseDays`, reason: `must be less than claimWindowDays (${w})` });
  if ((f as number) > (w as number)) problems.push({ field: `${field}.followUpEveryDays`, reason: `must not exceed claimWindowDays (${w})` });
  if (problems.length > before) return undefined;
  return m === undefined ? { claimWindowDays: w as number, followUpEveryDays: f as number, escalateBeforeCloseDays: e as number } : { claimWindowDays: w as number, followUpEveryDays: f as number, escalateBeforeCloseDays: e as number, maxClaimMinor: m as number };
}

/**
 * Validates stored or submitted fulfilment rules. Missing rules take the defaults; every problem
 * is reported at once with its field path (`carriers.SF.claimWindowDays`).
 */
export function parseFulfilmentRules(json: unknown): { rules?: FulfilmentRules; problems: Problem[] } {
  if (!isObject(json)) return { problems: [{ field: '', reason: 'fulfilment rules must be an object' }] };
  const problems: Problem[] = [];
  const out: Record<string, unknown> = { ...DEFAULT_FULFILMENT_RULES, defaultCarrier: { ...DEFAULT_CARRIER }, carriers: {} };
  for (const [key, value] of Object.entries(json)) {
    if (Object.hasOwn(NUMBERS, key) && DURATIONS.has(key as NumberKey)) {
      const max = NUMBERS[key as NumberKey][1];
      const unit = key.endsWith('Days') ? 'days' : 'hours';
      if (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max) out[key] = value;
      else problems.push({ field: key, reason: `must be a number of ${unit} above 0, at most ${max}, got ${JSON.stringify(value)}` });
    } else if (Object.hasOwn(NUMBERS, key)) {
      const [min, max] = NUMBERS[key as NumberKey];
      if (inRange(value, min, max)) out[key] = value;
      else problems.push({ field: key, reason: `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}` });
    } else if (Object.hasOwn(ENUMS, key)) {
      const values: readonly string[] = ENUMS[key as keyof typeof ENUMS];
      if (values.includes(value as string)) out[key] = value;
      else problems.push({ field: key, reason: `must be one of ${values.join(', ')}, got ${JSON.stringify(value)}` });
    } else if (key === 'preferredCarrier' || key === 'backupCarrier') {
      // Named as a request names a carrier ("顺丰" → SF, "best" → BEST): parcels are matched by code.
      const code = typeof value === 'string' ? carrierCodeOf(value) : undefined;
      if (code !== undefined && isCarrierCode(code)) out[key] = code;
      else problems.push({ field: key, reason: `${CARRIER_CODE_REASON}, got ${JSON.stringify(value)}` });
    } else if (key === 'exchangeShipsBeforeReturn' || key === 'hasRepairDepartment') {
      if (typeof value === 'boolean') out[key] = value;
      else problems.push({ field: key, reason: `must be true or false, got ${JSON.stringify(value)}` });
    } else if (key === 'defaultCarrier') {
      const c = parseContract(value, key, problems);
      if (c) out[key] = c;
    } else if (key === 'carriers') {
      if (!isObject(value)) problems.push({ field: key, reason: 'must be an object of carrier code → contract' });
      else {
        const carriers: Record<string, CarrierContract> = {};
        for (const [named, contract] of Object.entries(value)) {
          const code = carrierCodeOf(named);
          if (!isCarrierCode(code)) problems.push({ field: `carriers.${named}`, reason: CARRIER_CODE_REASON });
          else if (Object.hasOwn(carriers, code)) problems.push({ field: `carriers.${named}`, reason: `names the same carrier as another key (${code})` });
          const c = parseContract(contract, `carriers.${named}`, problems);
          if (c) carriers[code] = c;
        }
        out[key] = carriers;
      }
    } else problems.push({ field: key, reason: 'is not a known fulfilment rule' });
  }
  const r = out as unknown as FulfilmentRules;
  if (!problems.some((p) => p.field === 'delayCompensationPerDayMinor' || p.field === 'delayCompensationMaxMinor') && r.delayCompensationPerDayMinor > r.delayCompensationMaxMinor) {
    problems.push({ field: 'delayCompensationPerDayMinor', reason: `must not exceed delayCompensationMaxMinor (${r.delayCompensationMaxMinor})` });
  }
  if (!problems.some((p) => p.field === 'preferredCarrier' || p.field === 'backupCarrier') && r.preferredCarrier === r.backupCarrier) {
    problems.push({ field: 'backupCarrier', reason: 'must differ from preferredCarrier' });
  }
  return problems.length ? { problems } : { rules: r, problems };
}
