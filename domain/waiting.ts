/**
 * What a case waits for at each stage: who must act and which API command moves it on. Every
 * command's answer and the case view tell a client this, so an integrator never has to know the
 * workflows to learn what comes next. A stage missing here waits for nobody outside (the case is
 * working: refunding, opening) or is final.
 */
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
  AWAITING_CUSTOMER_CONSENT: { party: 'CUSTOMER', command: onCase('proposal-answer'), what: 'the customer accepts or declines the proposal' },
  AWAITING_CUSTOMER_CHOICE: { party: 'CUSTOMER', command: onCase('remedy-choice'), what: 'the customer chooses a refund or a re-shipment (remedy REFUND or RESHIP; REPAIR only for a quality problem, where the shop repairs)' },
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

export interface WaitingFor extends StageWait {
  /** When the case stops waiting and acts on its own (reminder, escalation, default), epoch ms. */
  deadlineAt: number | null;
}

/** What a case at `stage` waits for; `stageDeadlineAt` is the deadline set when it entered the stage. */
export function waitingFor(stage: string, stageDeadlineAt: number | null | undefined): WaitingFor | null {
  const wait = STAGE_WAITS[stage];
  return wait ? { ...wait, deadlineAt: stageDeadlineAt ?? null } : null;
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
