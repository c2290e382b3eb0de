/**
 * The contract of the case workflows: what the API and the worker share. The API imports only
 * this file (and its types) — never workflow implementations.
 */
import { ApplicationFailure, defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { TAKES_GOODS_BACK, type CaseType } from '../domain/case-types.js';
import type { AgentAction } from '../domain/waiting.js';
import type { DelayCause } from '../domain/fulfilment/lost-delay.js';

export const CASE_TASK_QUEUE = 'aftersales-cases';
/** The Temporal schedule that starts the daily housekeeping workflow (app/schedules.ts). */
export const HOUSEKEEPING_SCHEDULE_ID = 'aftersales-housekeeping';

/**
 * A validator's refusal of what a command says — an unknown SKU, a quantity out of range — as
 * opposed to a command the case's stage does not take. The API answers it 400 naming `field` of
 * the request body (`lines[0].sku`), the other refusals 409 WRONG_STATE. The message is the reason,
 * the same text a recorded refusal keeps. A validator's refusal writes nothing into the history.
 */
export const INVALID_INPUT = 'INVALID_INPUT';
/** A refusal of bad input: `message` is what a recorded refusal keeps, each problem a field the API names with its reason. */
const refusal = (message: string, problems: ReadonlyArray<{ field: string; reason: string }>) =>
  ApplicationFailure.create({ type: INVALID_INPUT, message, details: problems.map(({ field, reason }) => ({ field, reason })), nonRetryable: true });
export const invalidInput = (field: string, reason: string) => refusal(reason, [{ field, reason }]);
/** A CONTINUE refused because a refund the customer's bank sent back is owed: the API's 409 REFUND_STILL_OWED. */
export const REFUND_STILL_OWED = 'REFUND_STILL_OWED';
/** An agent's action the policy leaves to a supervisor (domain/waiting.ts isSupervisorsAction): the API's 403 SUPERVISOR_REQUIRED. */
export const SUPERVISOR_REQUIRED = 'SUPERVISOR_REQUIRED';
/**
 * A remedy a case that cannot repair never takes: refused as bad input whatever the stage (a 409
 * for the stage would invite a retry that can never work). `settled` names the case: "missing items are".
 */
export function requireRefundOrReship(remedy: string, settled: string): void {
  if (remedy !== 'REFUND' && remedy !== 'RESHIP') throw invalidInput('remedy', `${settled} settled by REFUND or RESHIP; REPAIR is for quality problems`);
}

/**
 * The same for a list of problems from a domain check (`{ field, reason }`, fields named as in the
 * request body): every problem in the details (the API lists them all) and in the message
 * (`plan is required; …`, the text a recorded refusal keeps).
 */
export const invalidProblems = (problems: ReadonlyArray<{ field: string; reason: string }>) => refusal(problems.map((p) => `${p.field} ${p.reason}`).join('; '), problems);

/**
 * For a validator whose reasons are whole sentences (`unknown SKU NOPE`): one problem is refused as
 * invalidInput (its reason the message, as before such validators collected), several as invalidProblems.
 */
export const invalidSentences = (problems: ReadonlyArray<{ field: string; reason: string }>) =>
  problems.length === 1 ? invalidInput(problems[0]!.field, problems[0]!.reason) : invalidProblems(problems);

/** A parcel is known by its carrier and its tracking number: both, not blank. */
export const PARCEL_REQUIRED = 'carrier and trackingNumber are required';
type Parcel = { carrier?: string; trackingNumber?: string };
/** The fields of `carrier`, `trackingNumber` a parcel lacks (blank counts as missing), in that order. */
const missingParcelFields = (parcel: Parcel | undefined) => (['carrier', 'trackingNumber'] as const).filter((field) => !parcel?.[field]?.trim());
/** The first of `carrier`, `trackingNumber` a parcel lacks; undefined when it has both. */
export const missingParcelField = (parcel: Parcel | undefined) => missingParcelFields(parcel)[0];
/** A validator's check of the parcel a command names: refused as bad input naming each missing field (a 400 on `body.carrier`). */
export function requireParcel(parcel: Parcel): void {
  const missing = missingParcelFields(parcel);
  // Each missing field named with its own reason (the API lists them all); the message as before.
  if (missing.length) throw refusal(PARCEL_REQUIRED, missing.map((field) => ({ field, reason: 'is required (blank): a parcel is known by its carrier and its tracking number' })));
}

export { caseWorkflowId, claimWorkflowId, refundAgainWorkflowId } from '../domain/workflow-ids.js';

/**
 * A return's refund rules since 2026-11-22 (workflows/return-refund.ts): its patch id, also read by
 * the API from a case's TemporalChangeVersion to work out refunds as that case's workflow will.
 */
export const RETURN_RULES_V2_PATCH = 'return-rules-v2';

/**
 * Custom search attributes, so ops can find cases in the Temporal UI (`CaseStage = "AWAITING_ARRIVAL"`).
 * Registered on the namespace at start (app/search-attributes.ts, docker-compose); set when the
 * API starts a case and kept current by the workflow as the case moves.
 */
export const CASE_SEARCH_ATTRIBUTES = {
  CaseType: defineSearchAttributeKey('CaseType', SearchAttributeType.KEYWORD),
  MerchantId: defineSearchAttributeKey('MerchantId', SearchAttributeType.KEYWORD),
  CaseStage: defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD),
  CaseStatus: defineSearchAttributeKey('CaseStatus', SearchAttributeType.KEYWORD),
  CaseLate: defineSearchAttributeKey('CaseLate', SearchAttributeType.BOOL),
  Escalated: defineSearchAttributeKey('Escalated', SearchAttributeType.BOOL),
  Assignee: defineSearchAttributeKey('Assignee', SearchAttributeType.KEYWORD),
  OrderId: defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD),
  SolutionDueAt: defineSearchAttributeKey('SolutionDueAt', SearchAttributeType.DATETIME),
} as const;

export type Actor = { kind: 'customer' | 'agent' | 'supervisor' | 'admin' | 'warehouse' | 'courier' | 'system'; id?: string };

/** An actor as the timeline names it: `agent:k1`. */
export const actorName = (by: Actor): string => `${by.kind}${by.id ? `:${by.id}` : ''}`;

/**
 * A customer's answer entered by staff for them — said on the phone or in a chat, as the revisit
 * (回访) usually is: `by` is the staff member, set by the API from their key, never from the body.
 * Absent, the customer or their storefront sent it.
 */
export interface EnteredFor { by?: Actor }

/**
 * Who opened the case, as the API's key names them (`agent:<id>` taking a call, `customer:<id>`,
 * `storefront:<id>`): the OPENED step's actor, so the timeline says who put the case on record, and
 * an agent who opens one for a caller takes it (domain/acting-agent.ts). Absent in cases opened
 * before the API passed it: their OPENED step names the system, as it did.
 */
export interface OpenedBy { openedBy?: string }

/** Who gave a customer's answer, as its step names it: the staff member who entered it, else the customer. */
export const answeredBy = (by: Actor | undefined, customerId: string): string => (by ? actorName(by) : `customer:${customerId}`);

// ---- facts from outside (signals) ----
export interface ArrivalScan { trackingNumber?: string; returnCode?: string; scannedAt: number; scannedBy: string }
export interface CourierEvent { carrier: string; trackingNumber: string; code: string; description?: string; at: number }
export interface Escalation { by: Actor; reason: string; about?: EscalationAbout }
/**
 * What an escalation the platform raised is about, as data beside its English `reason`, so that a
 * screen says it in its reader's language and time zone: a parcel a lost-parcel case gave up as lost,
 * delivered after all (api/routes/courier.ts) — and what had been done for the customer by then.
 */
export interface EscalationAbout {
  code: 'LOST_PARCEL_DELIVERED';
  carrier: string;
  trackingNumber: string;
  deliveredAt: number;
  /** The goods were sent again, the refund paid, or nothing yet (then `chose`, when the customer had). */
  done: 'SENT_AGAIN' | 'REFUNDED' | 'NOTHING_YET';
  chose?: 'RESHIP' | 'REFUND';
}
/** A supervisor has dealt with an escalation: the case leaves their queue (until escalated again). */
export interface EscalationCleared { by: Actor; note: string }
export interface Assignment { by: Actor; agentId: string }
/**
 * A refund of the case the customer's bank sent back, booked by the refund follower (its
 * REFUND_RETURNED step, the customer told): a case waiting out the days before its revisit is
 * reopened to an agent instead of asking a customer still without their money how satisfied they are.
 */
export interface RefundSentBack { refundId: string; amountMinor: number; currency: string; reason: string }

/** The carrier's decision on a claim, from its callback (the claim process also asks every few days). */
export interface ClaimDecision {
  claimId: string;
  status: 'PAID' | 'PARTLY_PAID' | 'REFUSED';
  paidMinor: number;
  at: number;
  /** The carrier's reason for paying less than claimed, or nothing. */
  reason?: string;
}

export const arrivalScanned = defineSignal<[ArrivalScan]>('arrivalScanned');
export const claimDecided = defineSignal<[ClaimDecision]>('claimDecided');

/**
 * The parcel a courier claim is for turned up — delivered after all or turned back to the sender
 * (the courier's event), or scanned in at the warehouse — so a claim for it as lost is withdrawn if the carrier has not decided it
 * (workflows/courier-claim.ts). `by`: who said so (the carrier's code, the warehouse clerk).
 */
export interface ParcelFound { trackingNumber: string; at: number; how: 'DELIVERED' | 'COMING_BACK' | 'SCANNED_IN'; by: string }
export const parcelFound = defineSignal<[ParcelFound]>('parcelFound');
/**
 * The case a claim was started for no longer needs it (workflows/courier-claim.ts): the customer
 * withdrew the request, keeping the damaged goods with nothing refunded, so the shop lost nothing to
 * claim for. `at`: when the case was withdrawn.
 */
export interface ClaimNotNeeded { why: 'CASE_WITHDRAWN'; at: number }
export const claimNotNeeded = defineSignal<[ClaimNotNeeded]>('claimNotNeeded');
export const courierEvent = defineSignal<[CourierEvent]>('courierEvent');
export const escalate = defineSignal<[Escalation]>('escalate');
export const clearEscalation = defineSignal<[EscalationCleared]>('clearEscalation');
export const assign = defineSignal<[Assignment]>('assign');
export const refundSentBack = defineSignal<[RefundSentBack]>('refundSentBack');
/** That refund paid again (workflows/refund-again.ts, by its REFUND_PAID_AGAIN step): nothing of it is owed now. */
export interface RefundPaidAgain { returnedRefundId: string }
export const refundPaidAgain = defineSignal<[RefundPaidAgain]>('refundPaidAgain');

// ---- commands that need an answer (updates with validators: the API can answer 4xx at once) ----
export interface AgentProposal {
  by: Actor;
  decision: 'APPROVE' | 'REJECT';
  /** For a partial approval: the lines (sku, quantity) approved; omitted = as requested. */
  lines?: Array<{ sku: string; quantity: number }>;
  reason?: string;
}
export interface ProposalAnswer extends EnteredFor { accept: boolean; comment?: string }
export interface ReturnShipment { carrier: string; trackingNumber: string }
export interface InspectionReport {
  by: string;
  lines: Array<{ sku: string; receivedQuantity: number; condition: 'OK' | 'DAMAGED_BY_CUSTOMER' | 'MISSING' }>;
  /**
   * What the shop paid for the parcel coming back (freight collect on arrival, or reimbursed to
   * the customer), when the warehouse knows it: booked as the return-shipping expense note
   * (退回的运费做费用单) of a return, an exchange's old goods, transit damage, a quality problem and
   * a wrong item sent back (take-back.ts bookReturnShipping; the damage and quality settlements); on the INSPECTED step of the others.
   */
  returnShippingPaidMinor?: number;
}
export interface RevisitAnswer extends EnteredFor { score: number; comment?: string }
/** The customer takes back a request before anything moved (no goods sent, nothing refunded). */
export interface Withdrawal extends EnteredFor { reason?: string }
/**
 * `asOffered`: the action must be one the wait offers (domain/waiting.ts agentActions). The API
 * always sets it; resolutions recorded before it existed named a refund action at any wait to mean
 * "go on", and still replay so under the policy what-if.
 */
/** `note` is the staff's; `customerMessage` (a CLOSE only) is said to the customer in the closing message. */
export interface AgentResolution {
  by: Actor;
  action: AgentAction;
  note?: string;
  customerMessage?: string;
  asOffered?: boolean;
  /**
   * A CONTINUE at a reopened wait from the API: the refunds sent back its guard saw on the case's
   * timeline (each paid again, or it would have refused). One the workflow heard of since, not paid
   * again, is refused (REFUND_STILL_OWED): the agent did not know of it. Absent: not checked.
   */
  refundsSentBackSeen?: string[];
  /**
   * From the API: the caller's role was checked against the wait it read, and an agent's action the
   * policy leaves to a supervisor is refused here too, at the wait the workflow is really at (the read
   * model may be a moment behind). Absent (inputs recorded before it, replayed by the what-if): not checked.
   */
  rolesChecked?: boolean;
}

/** 少货: what the warehouse found in the three records (outbound record, waybill weight, stock count). */
export interface WarehouseCheck {
  by: string;
  outboundRecord?: Array<{ sku: string; quantity: number }>;
  waybillWeightGrams?: number;
  unitWeightsGrams?: Record<string, number>;
  packagingWeightGrams?: number;
  stockCount?: Array<{ sku: string; systemQuantity: number; countedQuantity: number }>;
}
/** What the customer wants instead: their money, the goods again, or (where the shop repairs) a repair. */
export interface RemedyChoice extends EnteredFor { remedy: 'REFUND' | 'RESHIP' | 'REPAIR' }
export interface Reshipment { by: string; carrier: string; trackingNumber: string; /** Weighed and labelled (000 称重贴单). */ weightGrams?: number }

/** A complaint's resolution: the plan, the cause analysis and the improvement (投诉: 分析原因、改进). */
export interface ComplaintResolutionCommand { by: Actor; plan: string; cause: string; improvement: string; shopAtFault: boolean }

/** What the warehouse checked before goods went out again (000: inspection, documents, serial numbers). */
export interface OutgoingCheck {
  by: string;
  undamaged: boolean;
  working: boolean;
  resaleable: boolean;
  /** Cleaned and disinfected (contact products such as earphones); absent when not such a product. */
  cleaned?: boolean;
  invoice: boolean;
  /** The warranty card goes with the goods; absent when the product comes with none (shoes, clothes). */
  warrantyCard?: boolean;
  /** One per unit going out, matching the order's records. */
  serialNumbers?: string[];
}
/** A check the goods must pass before they go out (OutgoingCheck's fields). */
export type OutgoingCheckItem = 'undamaged' | 'working' | 'resaleable' | 'cleaned' | 'invoice' | 'warrantyCard';
/** A unit that failed the check before going out: the warehouse takes another, or has none that passes. */
export interface OutgoingCheckFailure {
  by: string;
  failed: OutgoingCheckItem[];
  note: string;
  /** No other unit in stock passes: the case is escalated for a supervisor. */
  noGoodStock: boolean;
}
export interface CarrierRefusal { carrier: string; reason: string }
export interface DifferencePaid { paymentId: string }

/** Why a parcel is late, as the courier (or the warehouse, for internal causes) explained it. */
export interface DelayCauseReport { by: Actor; cause: DelayCause; newEtaAt?: number; note?: string }

/** The warehouse's answer on a lost parcel: did it leave, with which tracking number, on what proof. */
/** `carrier`: the one the parcel left with, when the warehouse's record names another than the storefront did. */
export interface DispatchConfirmation { by: string; dispatched: boolean; trackingNo?: string; carrier?: string; proofUrls?: string[] }

/** 质量问题: whether the fault came from misuse, as the agent established with the customer. */
export interface MisuseFindingReport { by: Actor; finding: 'NO_MISUSE' | 'MISUSE' | 'UNCONFIRMED'; note?: string }
/** A repair (004 §三.4): fault cause, method, parts, labour; recorded when the goods work again. */
export interface RepairReport { by: string; sku: string; faultCause: string; method: string; parts: Array<{ partNo: string; name?: string; quantity: number; unitCostMinor: number }>; labourCostMinor: number; working: boolean }

/** 运输破损: how bad, why, and what is possible — assessed from the photos (or on site). */
export interface DamageAssessment {
  by: Actor;
  degree: 'MINOR' | 'SEVERE';
  cause: 'TRANSPORT' | 'PRODUCT_DEFECT' | 'CUSTOMER' | 'UNKNOWN';
  /** Minor damage: the partial refund proposed to the customer. */
  proposedRefundMinor?: number;
  /** What sending it back would cost (the cap may be it). */
  returnShippingCostMinor: number;
  returnPossible: boolean;
  goodsUsable: boolean;
  /** Severe, not returnable but usable: the partial refund. */
  partialRefundMinor?: number;
}

/** 错货: what was short and what came instead, as the outbound record, photos and weight established. */
export interface WrongItemFindings {
  by: string;
  shortShipped: Array<{ sku: string; quantity: number }>;
  overShipped: Array<{ sku: string; name?: string; quantity: number; unitPriceMinor: number; unitCostMinor: number }>;
  returnShippingCostMinor: number;
  /** Who reported it when not the warehouse (an agent's key, set by the API): the step is credited to them. */
  reportedBy?: { kind: 'agent'; id: string };
}
/** A root cause was recorded on the case (the API stores it; cases that must have one wait for this). */
export interface RootCauseNotice { category: string; subCause: string }

export const propose = defineUpdate<{ stage: string }, [AgentProposal]>('propose');
export const answerProposal = defineUpdate<{ stage: string }, [ProposalAnswer]>('answerProposal');
export const withdrawRequest = defineUpdate<{ stage: string }, [Withdrawal]>('withdrawRequest');
export const submitReturnShipment = defineUpdate<{ stage: string; arrivalDeadline: number }, [ReturnShipment & EnteredFor]>('submitReturnShipment');
export const reportInspection = defineUpdate<{ stage: string }, [InspectionReport]>('reportInspection');
export const answerRevisit = defineUpdate<{ stage: string }, [RevisitAnswer]>('answerRevisit');
export const resolveByAgent = defineUpdate<{ stage: string }, [AgentResolution]>('resolveByAgent');
export const reportWarehouseCheck = defineUpdate<{ stage: string }, [WarehouseCheck]>('reportWarehouseCheck');
export const chooseRemedy = defineUpdate<{ stage: string }, [RemedyChoice]>('chooseRemedy');
export const reportReshipment = defineUpdate<{ stage: string }, [Reshipment]>('reportReshipment');
/**
 * The parcel a case follows until delivered was given under a wrong number or carrier (a clerk's
 * typo): it is followed under the right one from now on (workflows/shipping.ts followUntilDelivered).
 * `previousTrackingNumber`: the number the sender means to correct, so two corrections at once, or one
 * made from a stale screen, cannot replace a parcel they did not see. `by`: set by the API from the key.
 */
export interface ParcelCorrection { by: Actor; carrier: string; trackingNumber: string; previousTrackingNumber: string }
export const correctFollowedParcel = defineUpdate<{ stage: string }, [ParcelCorrection]>('correctFollowedParcel');
export const reportOutgoingCheck = defineUpdate<{ stage: string }, [OutgoingCheck]>('reportOutgoingCheck');
export const reportOutgoingCheckFailure = defineUpdate<{ stage: string }, [OutgoingCheckFailure]>('reportOutgoingCheckFailure');
export const confirmDifferencePaid = defineUpdate<{ stage: string }, [DifferencePaid]>('confirmDifferencePaid');
export const carrierRefused = defineSignal<[CarrierRefusal]>('carrierRefused');

/**
 * The case types whose workflows take a signal that only some types take; every other signal
 * (escalate, clearEscalation, assign, refundSentBack, refundPaidAgain: the session of every case) is taken by all. A workflow without a handler
 * would keep the signal unread and the sender would hear 202, so the API refuses such a signal with
 * 409 before sending it. Kept in step with the workflows by test/workflows/signal-takers.test.ts.
 */
export const SIGNAL_TAKERS: Readonly<Record<string, readonly CaseType[]>> = {
  // the return parcel's arrival: every type whose procedure takes goods back (workflows/take-back.ts)
  arrivalScanned: TAKES_GOODS_BACK,
  carrierRefused: ['EXCHANGE_RESHIPMENT'],
};

/**
 * Whether a refund before shipping found its order shipped and has the parcel brought back, as a
 * refund after shipping does (workflows/refund-not-shipped.ts, INTERCEPTS_PATCH): its FOUND_SHIPPED
 * step names the parcel as the one it awaits back (the read model's returnTrackingNumber). Rows
 * projected before that step existed named the order's parcel so too, at DISPATCH_CHECKED, and those
 * cases closed ALREADY_SHIPPED: they are not.
 */
export const bringsShippedOrderBack = (c: { type: string; returnTrackingNumber?: string | null; closeReason?: string | null }): boolean =>
  c.type === 'REFUND_NOT_SHIPPED' && !!c.returnTrackingNumber && c.closeReason !== 'ALREADY_SHIPPED';

/**
 * Whether case `c` takes `signal` now: its type's workflow has the handler from its start
 * (SIGNAL_TAKERS), or it set it on the way — a refund before shipping bringing its shipped order
 * back takes the parcel's arrival scan from then.
 */
export function takesSignal(signal: string, c: { type: string; returnTrackingNumber?: string | null; closeReason?: string | null }): boolean {
  const takers = SIGNAL_TAKERS[signal];
  if (!takers || takers.some((t) => t === c.type)) return true;
  return signal === arrivalScanned.name && bringsShippedOrderBack(c);
}
export const recordDelayCause = defineUpdate<{ stage: string }, [DelayCauseReport]>('recordDelayCause');
export const confirmDispatch = defineUpdate<{ stage: string }, [DispatchConfirmation]>('confirmDispatch');
export const recordMisuseFinding = defineUpdate<{ stage: string }, [MisuseFindingReport]>('recordMisuseFinding');
export const recordRepair = defineUpdate<{ stage: string }, [RepairReport]>('recordRepair');
export const assessDamage = defineUpdate<{ stage: string }, [DamageAssessment]>('assessDamage');
export const reportWrongItem = defineUpdate<{ stage: string }, [WrongItemFindings]>('reportWrongItem');
export const rootCauseRecorded = defineSignal<[RootCauseNotice]>('rootCauseRecorded');
export const resolveComplaint = defineUpdate<{ stage: string }, [ComplaintResolutionCommand]>('resolveComplaint');

// ---- live state ----
export interface CaseView {
  caseId: string;
  stage: string;
  status: string;
  late: boolean;
  escalated: boolean;
  assigneeId?: string;
  deadlines: Record<string, number>;
  /** The deadline set when the case entered its current stage (epoch ms), if it set one. */
  stageDeadlineAt?: number;
}
export const caseView = defineQuery<CaseView>('caseView');
