/**
 * What a case waits for at each stage: who must act and which API command moves it on. Every
 * command's answer and the case view tell a client this, so an integrator never has to know the
 * workflows to learn what comes next. A stage missing here waits for nobody outside (the case is
 * working: refunding, opening) or is final.
 */
import type { CaseType } from './case-types.js';

export type WaitingParty = 'CUSTOMER' | 'STOREFRONT' | 'WAREHOUSE' | 'AGENT' | 'COURIER';

export interface StageWait {
  party: WaitingParty;
  /** The command that moves the case on (`POST /v1/cases/{caseId}/…` unless it says otherwise). */
  command: string;
  what: string;
}

const onCase = (action: string) => `POST /v1/cases/{caseId}/${action}`;

export const STAGE_WAITS: Readonly<Record<string, StageWait>> = {
  AWAITING_DECISION: { party: 'AGENT', command: onCase('proposals'), what: 'an agent approves or rejects the request' },
  AWAITING_MERCHANT: { party: 'AGENT', command: onCase('proposals'), what: 'the merchant approves or rejects the refund (silence approves)' },
  AWAITING_CUSTOMER_CONSENT: { party: 'CUSTOMER', command: onCase('proposal-answer'), what: 'the customer accepts or declines what is proposed (what declining and silence do depends on the case type: the case view says)' },
  AWAITING_CUSTOMER_CHOICE: { party: 'CUSTOMER', command: onCase('remedy-choice'), what: 'the customer chooses a refund or a re-shipment (remedy REFUND or RESHIP; REPAIR only for a quality problem, where the shop repairs); silence means the refund' },
  AWAITING_RETURN_SHIPMENT: { party: 'CUSTOMER', command: onCase('return-shipment'), what: 'the customer sends the goods back and enters the tracking number' },
  AWAITING_ARRIVAL: { party: 'WAREHOUSE', command: 'POST /v1/warehouse/arrivals', what: 'the warehouse scans the returned parcel' },
  AWAITING_INTERCEPTED_PARCEL: { party: 'WAREHOUSE', command: 'POST /v1/warehouse/arrivals', what: 'the intercepted parcel comes back to the warehouse' },
  AWAITING_SUBSTITUTE_RETURN: { party: 'WAREHOUSE', command: 'POST /v1/warehouse/arrivals', what: 'the loaned product comes back to the warehouse' },
  AWAITING_INSPECTION: { party: 'WAREHOUSE', command: onCase('inspection'), what: 'the warehouse inspects what came back' },
  AWAITING_WAREHOUSE_CHECK: { party: 'WAREHOUSE', command: onCase('warehouse-check'), what: 'the warehouse checks the outbound record, weight and stock' },
  AWAITING_VERIFICATION: { party: 'WAREHOUSE', command: onCase('wrong-item-findings'), what: 'the warehouse establishes what was short and what came instead' },
  AWAITING_DISPATCH_CONFIRMATION: { party: 'WAREHOUSE', command: onCase('dispatch-confirmation'), what: 'the warehouse confirms whether and how the parcel left' },
  AWAITING_RESHIPMENT: { party: 'WAREHOUSE', command: onCase('reshipment'), what: 'the warehouse sends the goods again' },
  AWAITING_DISPATCH: { party: 'WAREHOUSE', command: onCase('reshipment'), what: 'the warehouse ships and reports the tracking number' },
  AWAITING_OUTGOING_CHECK: { party: 'WAREHOUSE', command: onCase('outgoing-check'), what: 'the warehouse checks the replacement before it goes out' },
  AWAITING_REPAIR: { party: 'WAREHOUSE', command: onCase('repair'), what: 'the repair is done and recorded' },
  AWAITING_PROMISED_SHIPPING: { party: 'WAREHOUSE', command: 'POST /v1/couriers/{carrier}/events', what: 'the order ships within the promised time' },
  AWAITING_PAYMENT: { party: 'STOREFRONT', command: onCase('difference-paid'), what: 'the customer pays the price difference and the storefront confirms it (a storefront key: the payment is the shop’s to confirm)' },
  AWAITING_ASSESSMENT: { party: 'AGENT', command: onCase('damage-assessment'), what: 'an agent assesses the damage from the photos' },
  AWAITING_MISUSE_CHECK: { party: 'AGENT', command: onCase('misuse-finding'), what: 'an agent establishes whether the fault came from misuse' },
  AWAITING_DELAY_CAUSE: { party: 'AGENT', command: onCase('delay-cause'), what: "an agent records the courier's cause of the delay" },
  AWAITING_ROOT_CAUSE: { party: 'AGENT', command: onCase('root-cause'), what: 'an agent records the root cause of the wrong shipment' },
  AWAITING_RESOLUTION: { party: 'AGENT', command: onCase('complaint-resolution'), what: 'an agent resolves the complaint with plan, cause and improvement' },
  AWAITING_AGENT: { party: 'AGENT', command: onCase('resolution'), what: 'an agent decides how the case ends' },
  AWAITING_REVISIT: { party: 'CUSTOMER', command: onCase('revisit'), what: 'the customer rates the solution (silence closes the case)' },
  FOLLOWING: { party: 'COURIER', command: 'POST /v1/couriers/{carrier}/events', what: 'the courier delivers the parcel' },
  SHIPPED: { party: 'COURIER', command: 'POST /v1/couriers/{carrier}/events', what: 'the courier delivers the parcel' },
  RESHIPPED: { party: 'COURIER', command: 'POST /v1/couriers/{carrier}/events', what: 'the courier delivers the parcel sent again' },
};

/**
 * Where a wait means something of its own in a case type: what the customer's answer does — above
 * all what declining and silence do, which a customer must know before they tap "decline" (a
 * return's changed proposal declined closes the case and nothing goes back) — and which remedies
 * the type offers. The workflows' defaults: a return's consent and a quality discount follow the
 * policy's `proposalDefaultAccept`; a wrong item's discount unanswered is declined; a choice
 * unanswered is the refund.
 */
const TYPE_WAITS: Readonly<Partial<Record<CaseType, Readonly<Record<string, string>>>>> = {
  RETURN_AND_REFUND: {
    AWAITING_CUSTOMER_CONSENT: 'the customer accepts or declines the changed proposal: accepted, the goods approved go back and are refunded; declined, the case closes and nothing goes back; silence does what the policy’s proposalDefaultAccept says',
  },
  QUALITY_PROBLEM: {
    AWAITING_CUSTOMER_CONSENT: 'the customer accepts the discount (refunded at once) or declines it, then chooses a return, an exchange or a repair at the shop’s cost; silence does what the policy’s proposalDefaultAccept says',
    AWAITING_CUSTOMER_CHOICE: 'the customer chooses, with the shop paying the shipping both ways, a return and refund (REFUND), an exchange (RESHIP) or, where the shop repairs, a repair (REPAIR); silence means the refund',
  },
  WRONG_ITEM: {
    AWAITING_CUSTOMER_CONSENT: 'the customer accepts the discount for keeping what came instead (refunded at once) or declines it, keeping it as a gift, and chooses the ordered goods sent or refunded; silence declines',
    AWAITING_CUSTOMER_CHOICE: 'the customer chooses the ordered goods sent (RESHIP) or a refund (REFUND); silence means the refund',
  },
  MISSING_ITEMS: {
    AWAITING_CUSTOMER_CHOICE: 'the customer chooses the missing goods sent again (RESHIP) or a refund for them (REFUND); silence means the refund',
  },
  LOST_PARCEL: {
    AWAITING_CUSTOMER_CHOICE: 'the customer chooses the goods sent again (RESHIP) or a refund (REFUND); silence means the refund',
  },
};

export interface WaitingFor extends StageWait {
  /** When the case stops waiting and acts on its own (reminder, escalation, default), epoch ms. */
  deadlineAt: number | null;
}

/**
 * What a case at `stage` waits for; `stageDeadlineAt` is the deadline set when it entered the stage.
 * With the case's `type`, what the wait means in that type (TYPE_WAITS).
 */
export function waitingFor(stage: string, stageDeadlineAt: number | null | undefined, type?: CaseType): WaitingFor | null {
  const wait = STAGE_WAITS[stage];
  if (!wait) return null;
  const what = (type && TYPE_WAITS[type]?.[stage]) ?? wait.what;
  return { ...wait, what, deadlineAt: stageDeadlineAt ?? null };
}

/**
 * How an agent ends a wait the workflow could not decide (AWAITING_AGENT, `POST
 * /v1/cases/{caseId}/resolution`), by the step that began the wait: a return whose count differs
 * from the request is refunded for what came back or for what was asked; a return parcel lost on
 * the way is refunded as asked; every other wait goes on (CONTINUE) or is closed. The refund
 * actions meant "go on" at every wait before CONTINUE existed: the API refuses them where they are
 * not offered (`asOffered`), and resolutions recorded so still replay under the policy what-if.
 */
export type AgentAction = 'CONTINUE' | 'REFUND_RECEIVED' | 'REFUND_REQUESTED' | 'CLOSE';

export function agentActions(waitKind: string): AgentAction[] {
  if (waitKind === 'COUNT_MISMATCH') return ['REFUND_RECEIVED', 'REFUND_REQUESTED', 'CLOSE'];
  if (waitKind === 'PARCEL_LOST') return ['REFUND_REQUESTED', 'CLOSE'];
  return ['CONTINUE', 'CLOSE'];
}

/**
 * The actions of a case's current agent wait, read from its timeline's step kinds in order (a
 * screen that has the timeline, not the workflow): the wait began after the last AGENT_RESOLVED.
 */
export function currentAgentActions(timelineKinds: readonly string[]): AgentAction[] {
  const since = timelineKinds.slice(timelineKinds.lastIndexOf('AGENT_RESOLVED') + 1);
  const special = [...since].reverse().find((k) => k === 'COUNT_MISMATCH' || k === 'PARCEL_LOST');
  return agentActions(special ?? '');
}

/** Each type's stages before it has asked for the goods back: whether they come back is still being decided. */
const NOT_ASKED_BACK_YET: Readonly<Record<string, readonly string[]>> = {
  RETURN_AND_REFUND: ['OPENED', 'AWAITING_DECISION', 'AWAITING_CUSTOMER_CONSENT'],
  TRANSIT_DAMAGE: ['OPENED', 'AWAITING_ASSESSMENT'],
  QUALITY_PROBLEM: ['OPENED', 'AWAITING_MISUSE_CHECK', 'AWAITING_CUSTOMER_CONSENT', 'AWAITING_CUSTOMER_CHOICE'],
  WRONG_ITEM: ['OPENED', 'AWAITING_VERIFICATION', 'AWAITING_CUSTOMER_CONSENT', 'AWAITING_CUSTOMER_CHOICE'],
};

/** Whether a case of `type` at `stage` may take a returned parcel: false while it has yet to decide that the goods come back. */
export const goodsAskedBack = (type: string, stage: string): boolean => !NOT_ASKED_BACK_YET[type]?.includes(stage);
