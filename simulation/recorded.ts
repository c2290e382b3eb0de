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
import type { CaseStepOfKind } from '../db/case-stages.js';
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
   * What the warehouse system told the real case about its order, each with when it was heard
   * (`warehouseAnswers`), when its steps say: the simulation's answers for that order instead of
   * the simulator's NOT_PICKED, by time (`warehouseAnswerAt`).
   */
  warehouseAnswers?: WarehouseAnswer[];
  /**
   * What the courier's trace told the real case, when its steps say (`courierAnswers`): the
   * simulation's trace of its parcels instead of the simulator's "in transit", by time
   * (`courierAnswerAt`).
   */
  courierAnswers?: CourierAnswer[];
  /** Its parcels' numbers corrected since they were reported (`parcelCorrections`): mistyped → right. */
  parcelCorrections?: Record<string, string>;
}

/**
 * One answer of the warehouse system a real case kept in a step: what it said, and when (the
 * step's time, epoch ms on the same clock as the inputs' `at`). The simulation moves `heardAt`
 * with the clock as it moves the inputs (`shiftInstants`: a key ending in `At`).
 */
export interface WarehouseAnswer {
  heardAt: number;
  dispatch: OrderDispatch;
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

/**
 * The instants among the openings' and inputs' keys that do not end in `At`: a courier event's and a
 * claim decision's `at`, a tracking inquiry's ship promise `promisedShipBy` (workflows/contract.ts,
 * workflows/tracking-inquiry.ts). Left as recorded, a replayed promise read as broken weeks ago.
 */
export const INSTANT_KEYS: ReadonlySet<string> = new Set(['at', 'promisedShipBy']);

/** Whether a key holds an instant (epoch ms): it ends in `At`, or it is one of `INSTANT_KEYS`. */
const instantKey = (key: string | undefined) => key !== undefined && (key.endsWith('At') || INSTANT_KEYS.has(key));

/** A copy of `value` with every instant (a number ≥ 2001 under a key ending in `At`, or of `INSTANT_KEYS`) moved by `shiftMs`. */
export function shiftInstants<T>(value: T, shiftMs: number): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    if (typeof v === 'number' && instantKey(key) && v >= EARLIEST_INSTANT) return v + shiftMs;
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

/**
 * A step of a recorded case as the read model keeps it (CaseEvent): what `warehouseAnswers` reads.
 * Its number counts notifications too, so consecutive steps of one workflow task follow each other.
 */
export type RecordedStep = CaseStepOfKind;

/** The steps that carry the warehouse system's answer about an order, or the parcel it named. */
export const WAREHOUSE_ANSWER_STEPS = ['DISPATCH_CHECKED', 'ALREADY_SHIPPED', 'FOUND_SHIPPED', 'URGE_CHECKED', 'SHIPPED', 'FOLLOWING_PARCEL'] as const;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const DISPATCH_STATUSES: ReadonlyArray<OrderDispatch['status']> = ['NOT_PICKED', 'PICKED', 'PACKED', 'SHIPPED', 'CANCELLED'];
const dispatchStatus = (v: unknown) => DISPATCH_STATUSES.find((s) => s === v);
const PARCEL_STEPS = new Set(['SHIPPED', 'FOLLOWING_PARCEL']);

/** The parcel a step names (carrier and number), if it names one. */
function parcelOf(step: RecordedStep | undefined): { carrier: string; trackingNumber: string } | undefined {
  const carrier = str(step?.data?.carrier);
  const trackingNumber = str(step?.data?.outboundTracking) ?? str(step?.data?.trackingNumber);
  return carrier && trackingNumber ? { carrier, trackingNumber } : undefined;
}

/**
 * What the warehouse system told a real case about its order, in step order, each with the time of
 * the step that kept it, from the steps that recorded it (`RecordedStep`s in version order, any
 * kinds):
 *
 * - a refund before shipping's DISPATCH_CHECKED: the answer as it was (its tracking number kept as
 *   `originalTracking`); its ALREADY_SHIPPED close, or its FOUND_SHIPPED (the parcel then
 *   intercepted: the number as `trackingNumber`, with when it left): shipped, with carrier and number
 *   (a later check, after the merchant's answer or a cancellation the warehouse refused);
 * - a tracking inquiry's URGE_CHECKED: the status. Shipped: with the parcel only where the system
 *   named one — the step itself names it, or the step right after it (the next number, so the same
 *   workflow task: a re-check's SHIPPED), or its decision looked up the trace (LOOK_UP_TRACE: the
 *   workflow took the system's parcel, and the FOLLOWING_PARCEL it then wrote names it), with the
 *   time shipped its decision weighed. Any other shipped answer came without a number (the workflow
 *   took the order for not shipped: apologised, told the warehouse to ship now): it is answered so,
 *   not with the parcel the warehouse reported by hand later. A LOOK_UP_TRACE whose parcel no step
 *   names (an agent closed the case first) is left out: no answer the workflow could follow.
 *
 * Re-checks that changed nothing write no step (a tracking inquiry's at each reminder, a refund's
 * after the merchant's answer): the answers are heard by time (`warehouseAnswerAt`), not in turn.
 * Provider answers are not among a case's recorded inputs (docs/policy-simulation.md, "Known
 * limits"); these steps are where the real case kept what it learned. Pure.
 */
export function warehouseAnswers(steps: readonly RecordedStep[]): WarehouseAnswer[] {
  const answers: WarehouseAnswer[] = [];
  const heard = (step: RecordedStep, dispatch: OrderDispatch) => answers.push({ heardAt: step.at, dispatch });
  steps.forEach((step, n) => {
    const d = step.data ?? {};
    if (step.kind === 'DISPATCH_CHECKED') {
      const status = dispatchStatus(d.status);
      if (!status) return;
      const outboundId = str(d.outboundId);
      const carrier = str(d.carrier);
      const trackingNumber = str(d.originalTracking);
      const shippedAt = num(d.shippedAt);
      heard(step, { status, ...(outboundId ? { outboundId } : {}), ...(carrier ? { carrier } : {}), ...(trackingNumber ? { trackingNumber } : {}), ...(shippedAt !== undefined ? { shippedAt } : {}) });
    } else if (step.kind === 'ALREADY_SHIPPED' || step.kind === 'FOUND_SHIPPED') {
      const carrier = str(d.carrier);
      const trackingNumber = str(d.originalTracking) ?? str(d.trackingNumber);
      const shippedAt = num(d.shippedAt);
      heard(step, { status: 'SHIPPED', ...(carrier ? { carrier } : {}), ...(trackingNumber ? { trackingNumber } : {}), ...(shippedAt !== undefined ? { shippedAt } : {}) });
    } else if (step.kind === 'URGE_CHECKED') {
      const status = dispatchStatus(d.dispatch);
      if (!status) return;
      if (status !== 'SHIPPED') return void heard(step, { status });
      const next = steps[n + 1];
      const tookParcel = step.decision?.outcome === 'LOOK_UP_TRACE';
      const parcel =
        parcelOf(step) ??
        (next && next.version === step.version + 1 && PARCEL_STEPS.has(next.kind) ? parcelOf(next) : undefined) ??
        (tookParcel ? parcelOf(steps.slice(n + 1).find((t) => t.kind === 'FOLLOWING_PARCEL' && parcelOf(t))) : undefined);
      if (!parcel) {
        // Without a number, as the system said it; a parcel taken that no step names is unknown.
        if (!tookParcel) heard(step, { status });
        return;
      }
      const shippedAt = num(step.decision?.values?.shippedAt);
      heard(step, { status, ...parcel, ...(shippedAt !== undefined ? { shippedAt } : {}) });
    }
  });
  return answers;
}

/**
 * How long after the warehouse answered a call the step that kept its answer may be written: the
 * call's round trip, the workflow task that takes the answer, the write. A question asked this
 * shortly before a step hears that step's answer (the replay asks at the very instant the real
 * case asked, and the real step was written a moment later). Far below the hours between re-checks.
 */
export const ANSWER_WRITTEN_WITHIN_MS = 60_000;

/**
 * The warehouse's answer to a question asked at `at` (the same clock as `heardAt`): the latest
 * answer known by then, the first one for a question before it. An answer counts as known from
 * `ANSWER_WRITTEN_WITHIN_MS` before its step, but never before the step of the answer before it
 * (that question came after the earlier answer). Undefined when there are none. Pure.
 */
export function warehouseAnswerAt(answers: readonly WarehouseAnswer[], at: number): OrderDispatch | undefined {
  let known = answers[0];
  let from = -Infinity;
  for (let n = 1; n < answers.length; n++) {
    from = Math.max(from, answers[n]!.heardAt - ANSWER_WRITTEN_WITHIN_MS, answers[n - 1]!.heardAt);
    if (from > at) break;
    known = answers[n];
  }
  return known && { ...known.dispatch };
}

/** A courier trace as the simulated courier answers it (the activities' `trackParcel` result). */
export interface SimulatedTrace {
  status: string;
  deliveredAt?: number;
}

/**
 * One thing the courier's trace told a real case, kept in a step (`courierAnswers`): what it said
 * (`trace`), when (`heardAt`, the step's time, on the inputs' clock) and of which parcel (the one
 * the case followed then; none: the parcel the case was opened about, before it followed any).
 */
export interface CourierAnswer {
  heardAt: number;
  trackingNumber?: string;
  trace: SimulatedTrace;
}

/** The steps that carry what the courier's trace said, or the parcel a case followed then. */
export const COURIER_ANSWER_STEPS = [
  'CAUSE_DECIDED',
  'TRACED',
  'TRACE_CLASSIFIED',
  'COURIER_CHASED',
  'DELIVERY_LATE',
  'DELIVERED',
  'ALREADY_DELIVERED',
  'FOLLOWING_PARCEL',
  'FOLLOWED_PARCEL_CORRECTED',
] as const;

/** The steps that say what the trace's status was (`data.trace`). */
const TRACE_STATUS_STEPS = new Set(['CAUSE_DECIDED', 'TRACED', 'TRACE_CLASSIFIED', 'COURIER_CHASED', 'DELIVERY_LATE']);

/**
 * What the courier's trace told a real case, from its steps (any kinds, in version order): the
 * status a step recorded of the trace it read (a lost parcel's CAUSE_DECIDED, a delay's TRACED, a
 * tracking inquiry's TRACE_CLASSIFIED, a return's COURIER_CHASED, a re-shipment's DELIVERY_LATE),
 * and a delivery (DELIVERED, ALREADY_DELIVERED: DELIVERED at its `deliveredAt`), each of the parcel
 * the case followed when it was written (FOLLOWING_PARCEL, FOLLOWED_PARCEL_CORRECTED name it). A
 * delivery the courier's own event brought is the parcel's delivery too: its trace said so from then.
 * Pure.
 */
export function courierAnswers(steps: readonly RecordedStep[]): CourierAnswer[] {
  const answers: CourierAnswer[] = [];
  let followed: string | undefined;
  for (const step of steps) {
    const d = step.data ?? {};
    if (step.kind === 'FOLLOWING_PARCEL' || step.kind === 'FOLLOWED_PARCEL_CORRECTED') {
      followed = str(d.outboundTracking) ?? str(d.trackingNumber) ?? followed;
      continue;
    }
    const of = followed !== undefined ? { trackingNumber: followed } : {};
    if (step.kind === 'DELIVERED' || step.kind === 'ALREADY_DELIVERED') {
      const deliveredAt = num(d.deliveredAt);
      answers.push({ heardAt: step.at, ...of, trace: { status: 'DELIVERED', ...(deliveredAt !== undefined ? { deliveredAt } : {}) } });
    } else if (TRACE_STATUS_STEPS.has(step.kind) && str(d.trace)) {
      // A delay's TRACED says when a delivered parcel was delivered: late before the case opened, the replay asks its cause too.
      const deliveredAt = num(d.deliveredAt);
      answers.push({ heardAt: step.at, ...of, trace: { status: str(d.trace)!, ...(deliveredAt !== undefined ? { deliveredAt } : {}) } });
    }
  }
  return answers;
}

/**
 * The numbers a real case's parcels were corrected from (FOLLOWED_PARCEL_CORRECTED: a mistyped
 * number → the right one), normalised: a replay that follows the mistyped number (its correction
 * refused there) still asks about the parcel that was really sent.
 */
export function parcelCorrections(steps: readonly RecordedStep[]): Record<string, string> {
  const corrected: Record<string, string> = {};
  for (const step of steps) {
    if (step.kind !== 'FOLLOWED_PARCEL_CORRECTED') continue;
    const from = str(step.data?.previousOutboundTracking);
    const to = str(step.data?.outboundTracking);
    if (from && to) corrected[normalisedNumber(from)] = to;
  }
  return corrected;
}

const normalisedNumber = (n: string) => n.replace(/[\s-]/g, '').toUpperCase();

/**
 * What the trace of parcel `trackingNumber` said when asked at `at` (the answers' clock), from a
 * real case's `answers`: the latest answer of that parcel known by then (a step counts from
 * `ANSWER_WRITTEN_WITHIN_MS` before it, as the warehouse's); before the first of them, "in transit"
 * (the parcel was followed and no step said otherwise: a trace that delivered or turned back writes
 * one). Answers that name no parcel are the case's opening parcel's: they answer a number no later
 * answer names. A number corrected since (`corrections`) is asked as the right one. Undefined when
 * the record says nothing of that parcel. Pure.
 */
export function courierAnswerAt(answers: readonly CourierAnswer[], trackingNumber: string, at: number, corrections: Readonly<Record<string, string>> = {}): SimulatedTrace | undefined {
  let asked = normalisedNumber(trackingNumber);
  for (let hops = 0; corrections[asked] && hops < 10; hops++) asked = normalisedNumber(corrections[asked]!);
  const named = new Set(answers.flatMap((a) => (a.trackingNumber ? [normalisedNumber(a.trackingNumber)] : [])));
  const own = answers.filter((a) => (a.trackingNumber ? normalisedNumber(a.trackingNumber) === asked : !named.has(asked)));
  if (!own.length) return undefined;
  const known = own.filter((a) => a.heardAt - ANSWER_WRITTEN_WITHIN_MS <= at).at(-1);
  return known ? { ...known.trace } : { status: 'IN_TRANSIT' };
}
