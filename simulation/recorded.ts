/**
 * Recorded cases as the simulation replays them, and the pure rules of sending them again: which
 * workflow a recorded input goes to, and how its absolute times move with the clock. No I/O.
 *
 * The clock: the dev server's virtual clock only goes forward and starts at the wall clock, so a
 * case from last month cannot start at its recorded instant. Instead a batch of cases replays
 * shifted by a whole number of weeks (`weekShift`): every input at its recorded instant + shift,
 * so each keeps its offset from its opening (and the cases of a batch their order among each
 * other), and every absolute time inside the inputs (`openedAt`, the order's `deliveredAt`,
 * a scan's `scannedAt`, a courier event's `at`…) moves by the same shift. Whole weeks keep the
 * weekday and the local time of day, so business hours, the same-day deadline and windows counted
 * in calendar days to local midnight decide as they did; the dated days of the business calendar
 * (holidays, extra working days) move with them (`shiftPolicyCalendar`).
 */
import type { OrderDispatch } from '../activities/contract.js';
import { inputTimeline, type RecordedInput, type TimedInput } from '../domain/case-inputs.js';

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** One recorded case: its opening (the START input's argument, the policy as a reference) and every input after it. */
export interface RecordedCase {
  caseId: string;
  /** The workflow type (the opening's kind). */
  workflowType: string;
  /** When it opened, epoch ms on the API's clock. */
  openedAt: number;
  opening: Record<string, unknown>;
  /** Every input after the opening, in recorded order, with its offset from the opening. */
  timeline: TimedInput[];
  /**
   * The stages the case went through in reality (its timeline in the read model), when known: a
   * simulated wait that ends by silence at a stage the real case never reached is an assumption.
   */
  recordedStages?: string[];
  /**
   * What the warehouse system told the real case about its order, in the order it was asked
   * (`warehouseAnswers`), when its steps say: the simulation's answers for that order instead of
   * the simulator's NOT_PICKED.
   */
  warehouseAnswers?: OrderDispatch[];
}

/** Groups a merchant's recorded inputs (db/case-inputs.ts `merchantCaseInputs`) into cases; cases without a recorded opening are left out. */
export function recordedCases(inputs: ReadonlyArray<RecordedInput & { caseId: string }>): RecordedCase[] {
  const byCase = new Map<string, Array<RecordedInput & { caseId: string }>>();
  for (const i of inputs) byCase.set(i.caseId, [...(byCase.get(i.caseId) ?? []), i]);
  const cases: RecordedCase[] = [];
  for (const [caseId, own] of byCase) {
    const opening = own.find((i) => i.via === 'START');
    if (!opening) continue;
    const [, ...timeline] = inputTimeline(own);
    cases.push({ caseId, workflowType: opening.kind, openedAt: opening.at, opening: opening.arg as Record<string, unknown>, timeline });
  }
  return cases;
}

/**
 * The workflow a recorded input goes to in the simulation: the case's (`case-<id>`) and its
 * claims' (`claim-<id>-<tracking>`, workflows/contract.ts) under the simulated case id.
 */
export function simulatedWorkflowId(recordedId: string, recordedCaseId: string, simulatedCaseId: string): string {
  for (const prefix of ['case-', 'claim-']) {
    if (recordedId === `${prefix}${recordedCaseId}` || recordedId.startsWith(`${prefix}${recordedCaseId}-`)) return `${prefix}${simulatedCaseId}${recordedId.slice(prefix.length + recordedCaseId.length)}`;
  }
  return recordedId;
}

/** Epoch ms from 2001 on: smaller numbers under an `…At` key are durations or counts, not instants. */
const EARLIEST_INSTANT = 978_307_200_000;

/** A copy of `value` with every instant (a number ≥ 2001 under a key ending in `At`) moved by `shiftMs`. */
export function shiftInstants<T>(value: T, shiftMs: number): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    if (typeof v === 'number' && key?.endsWith('At') && v >= EARLIEST_INSTANT) return v + shiftMs;
    return v;
  };
  return walk(value) as T;
}

/** The smallest whole number of weeks that puts every opening at or after `earliestStart`. */
export function weekShift(openedAts: readonly number[], earliestStart: number): number {
  const first = Math.min(...openedAts);
  return Math.max(0, Math.ceil((earliestStart - first) / WEEK_MS)) * WEEK_MS;
}

const shiftDate = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** A policy (or fulfilment rules) whose business calendar's dated days move with the clock shift. */
export function shiftPolicyCalendar<P>(policy: P, shiftMs: number): P {
  const days = Math.round(shiftMs / DAY_MS);
  const p = policy as { businessHours?: { holidays?: string[]; extraWorkingDays?: string[] } };
  if (!days || !p?.businessHours) return policy;
  const h = p.businessHours;
  return {
    ...policy,
    businessHours: { ...h, holidays: (h.holidays ?? []).map((d) => shiftDate(d, days)), extraWorkingDays: (h.extraWorkingDays ?? []).map((d) => shiftDate(d, days)) },
  } as P;
}

/** A step of a recorded case as the read model keeps it (CaseEvent): what `warehouseAnswers` reads. */
export interface RecordedStep {
  kind: string;
  data: Record<string, unknown>;
  decision: { values?: Record<string, unknown> } | null;
}

/** The steps that carry the warehouse system's answer about an order, or the parcel it named. */
export const WAREHOUSE_ANSWER_STEPS = ['DISPATCH_CHECKED', 'ALREADY_SHIPPED', 'URGE_CHECKED', 'SHIPPED', 'FOLLOWING_PARCEL'] as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const DISPATCH_STATUSES: ReadonlyArray<OrderDispatch['status']> = ['NOT_PICKED', 'PICKED', 'PACKED', 'SHIPPED', 'CANCELLED'];
const dispatchStatus = (v: unknown) => DISPATCH_STATUSES.find((s) => s === v);

/**
 * What the warehouse system told a real case about its order, in step order, from the steps that
 * recorded it (`RecordedStep`s in version order, any kinds):
 *
 * - a refund before shipping's DISPATCH_CHECKED: the answer as it was (its tracking number kept as
 *   `originalTracking`); its ALREADY_SHIPPED close: shipped, with carrier and number (a later check,
 *   after the merchant's answer or a cancellation the warehouse refused);
 * - a tracking inquiry's URGE_CHECKED: the status; shipped, with the parcel its next SHIPPED or
 *   FOLLOWING_PARCEL step names and the time shipped its decision weighed (left out when no step
 *   names the parcel: a shipment without one is no answer the workflow can follow).
 *
 * Provider answers are not among a case's recorded inputs (docs/policy-simulation.md, "Known
 * limits"); these steps are where the real case kept what it learned. Pure.
 */
export function warehouseAnswers(steps: readonly RecordedStep[]): OrderDispatch[] {
  const answers: OrderDispatch[] = [];
  steps.forEach((step, n) => {
    const d = step.data ?? {};
    if (step.kind === 'DISPATCH_CHECKED') {
      const status = dispatchStatus(d.status);
      if (!status) return;
      const outboundId = str(d.outboundId);
      const carrier = str(d.carrier);
      const trackingNumber = str(d.originalTracking);
      const shippedAt = num(d.shippedAt);
      answers.push({ status, ...(outboundId ? { outboundId } : {}), ...(carrier ? { carrier } : {}), ...(trackingNumber ? { trackingNumber } : {}), ...(shippedAt !== undefined ? { shippedAt } : {}) });
    } else if (step.kind === 'ALREADY_SHIPPED') {
      const carrier = str(d.carrier);
      const trackingNumber = str(d.originalTracking);
      answers.push({ status: 'SHIPPED', ...(carrier ? { carrier } : {}), ...(trackingNumber ? { trackingNumber } : {}) });
    } else if (step.kind === 'URGE_CHECKED') {
      const status = dispatchStatus(d.dispatch);
      if (!status) return;
      if (status !== 'SHIPPED') return void answers.push({ status });
      const parcel = steps.slice(n + 1).find((t) => (t.kind === 'SHIPPED' || t.kind === 'FOLLOWING_PARCEL') && str(t.data?.carrier) && str(t.data?.outboundTracking));
      if (!parcel) return;
      const shippedAt = num(step.decision?.values?.shippedAt);
      answers.push({ status, carrier: str(parcel.data.carrier)!, trackingNumber: str(parcel.data.outboundTracking)!, ...(shippedAt !== undefined ? { shippedAt } : {}) });
    }
  });
  return answers;
}
