/**
 * What a case waits for at each stage: who must act and which API command moves it on. Every
 * command's answer and the case view tell a client this, so an integrator never has to know the
 * workflows to learn what comes next. A stage missing here waits for nobody outside (the case is
 * working: refunding, opening) or is final.
 *
 * `what` is said three times: in English as the staff read it (`what`), naming remedies and
 * settings by their API names; and as a shop tells its customer what happens next, in Chinese
 * (`whatZh`) and in English (`whatEn`) — from the customer's side where the warehouse, an agent or
 * the courier acts, with no API paths or codes. The tables' types make all three required, so a
 * stage cannot be added in one language only. The customer reads their case's customer locale
 * (api/customer-view.ts).
 */
import type { CaseType } from './case-types.js';
import type { Reader } from './money.js';

export type WaitingParty = 'CUSTOMER' | 'STOREFRONT' | 'WAREHOUSE' | 'AGENT' | 'COURIER';

export interface StageWait {
  party: WaitingParty;
  /** The command that moves the case on (`POST /v1/cases/{caseId}/…` unless it says otherwise). */
  command: string;
  /** What happens next, in one sentence: the staff's English, or as the shop tells its customer in their locale, where asked (`waitingFor`). */
  what: string;
}

/** What happens next, for the staff and in each language the customer may read. */
export interface WaitText {
  /** The staff's English, with remedies and settings by their API names (REFUND, proposalDefaultAccept). */
  what: string;
  /** Chinese for a zh-CN customer: short, natural, no API names or codes. */
  whatZh: string;
  /** English for an en customer, as the shop tells them: to them ("you"), no API names or codes. */
  whatEn: string;
}

/** A stage's wait as the table holds it: every text required. */
export type StageWaitEntry = Omit<StageWait, 'what'> & WaitText;

const onCase = (action: string) => `POST /v1/cases/{caseId}/${action}`;

/** The stages at which an exchange's loan product comes back (its own parcel, then its inspection): the API's scan and warehouse list and the console read them alike. */
export const LOAN_BACK_STAGES: readonly string[] = ['AWAITING_SUBSTITUTE_RETURN', 'AWAITING_SUBSTITUTE_INSPECTION'];
export const isLoanBackStage = (stage: string): boolean => LOAN_BACK_STAGES.includes(stage);

/** A wait's command as case `caseId` sends it: its own path (a courier's `{carrier}` stays, the courier's to fill). */
export const commandFor = (command: string, caseId: string): string => command.replace('{caseId}', encodeURIComponent(caseId));

export const STAGE_WAITS: Readonly<Record<string, StageWaitEntry>> = {
  AWAITING_DECISION: { party: 'AGENT', command: onCase('proposals'), what: 'an agent approves or rejects the request', whatZh: '客服正在审核您的申请', whatEn: 'our customer service is reviewing your request' },
  AWAITING_MERCHANT: { party: 'AGENT', command: onCase('proposals'), what: 'the merchant approves or rejects the refund (silence approves)', whatZh: '商家正在审核您的退款申请，逾期未处理将自动同意', whatEn: 'the shop is reviewing your refund request; if it does not answer in time, the refund is approved' },
  AWAITING_CUSTOMER_CONSENT: { party: 'CUSTOMER', command: onCase('proposal-answer'), what: 'the customer accepts or declines what is proposed (what declining and silence do depends on the case type: the case view says)', whatZh: '请确认是否接受我们提出的方案；拒绝或逾期未回复会如何处理，请查看售后详情', whatEn: 'please accept or decline what we propose; your request’s details say what declining or not answering does' },
  AWAITING_CUSTOMER_CHOICE: { party: 'CUSTOMER', command: onCase('remedy-choice'), what: 'the customer chooses a refund or a re-shipment (remedy REFUND or RESHIP; REPAIR only for a quality problem, where the shop repairs); silence means the refund', whatZh: '请选择退款或补发（商品有质量问题且店铺提供维修时，也可选择维修）；逾期未选择将默认退款', whatEn: 'please choose between a refund and having the goods sent again (or, for a quality problem where the shop repairs, a repair); if you do not choose in time, you get the refund' },
  AWAITING_RETURN_SHIPMENT: {
    party: 'CUSTOMER',
    command: onCase('return-shipment'),
    what: 'the customer sends the goods back and enters the tracking number; not sent by the deadline, the request closes (an exchange whose replacement or a loan product came first goes to an agent)',
    whatZh: '请在截止时间前寄回商品并填写快递单号；逾期未寄回，本次售后申请将关闭（已先收到换货商品或备用商品的，客服将与您联系）',
    whatEn: 'please send the goods back and enter the tracking number by the deadline; if they are not sent in time, the request closes (if you already received a replacement or a loan product, our customer service will contact you)',
  },
  AWAITING_ARRIVAL: { party: 'WAREHOUSE', command: 'POST /v1/warehouse/arrivals', what: 'the warehouse scans the returned parcel', whatZh: '等待仓库签收您寄回的包裹', whatEn: 'we are waiting for the warehouse to receive the parcel you sent back' },
  AWAITING_INTERCEPTED_PARCEL: { party: 'WAREHOUSE', command: 'POST /v1/warehouse/arrivals', what: 'the intercepted parcel comes back to the warehouse', whatZh: '被拦截的包裹正在退回仓库', whatEn: 'the parcel we stopped is on its way back to our warehouse' },
  AWAITING_SUBSTITUTE_RETURN: { party: 'WAREHOUSE', command: 'POST /v1/warehouse/arrivals', what: 'the loaned product comes back to the warehouse', whatZh: '等待借用的备用商品寄回仓库', whatEn: 'we are waiting for the loaned product to come back to our warehouse' },
  AWAITING_SUBSTITUTE_INSPECTION: { party: 'WAREHOUSE', command: onCase('inspection'), what: 'the warehouse inspects the loaned product that came back', whatZh: '仓库正在验收您寄回的备用商品', whatEn: 'the warehouse is checking the loan item you sent back' },
  AWAITING_INSPECTION: { party: 'WAREHOUSE', command: onCase('inspection'), what: 'the warehouse inspects what came back', whatZh: '仓库正在验收您寄回的商品', whatEn: 'the warehouse is inspecting the goods you sent back' },
  AWAITING_WAREHOUSE_CHECK: { party: 'WAREHOUSE', command: onCase('warehouse-check'), what: 'the warehouse checks the outbound record, weight and stock', whatZh: '仓库正在核查您订单的出库记录、包裹重量和库存', whatEn: 'the warehouse is checking your order’s dispatch record, parcel weight and stock' },
  AWAITING_VERIFICATION: { party: 'WAREHOUSE', command: onCase('wrong-item-findings'), what: 'the warehouse establishes what was short and what came instead', whatZh: '仓库正在核实少发了哪些商品、错发了什么', whatEn: 'the warehouse is checking what was missing from your order and what was sent instead' },
  AWAITING_DISPATCH_CONFIRMATION: { party: 'WAREHOUSE', command: onCase('dispatch-confirmation'), what: 'the warehouse confirms whether and how the parcel left', whatZh: '仓库正在核实您的包裹是否已发出、如何发出', whatEn: 'the warehouse is checking whether and how your parcel was sent' },
  AWAITING_RESHIPMENT: { party: 'WAREHOUSE', command: onCase('reshipment'), what: 'the warehouse sends the goods again', whatZh: '仓库正在为您重新发货', whatEn: 'the warehouse is sending your goods again' },
  AWAITING_DISPATCH: { party: 'WAREHOUSE', command: onCase('reshipment'), what: 'the warehouse ships and reports the tracking number', whatZh: '仓库正在为您发货，发出后会告知快递单号', whatEn: 'the warehouse is sending your goods and will tell you the tracking number once they leave' },
  AWAITING_OUTGOING_CHECK: { party: 'WAREHOUSE', command: onCase('outgoing-check'), what: 'the warehouse checks the replacement before it goes out', whatZh: '仓库正在检查即将寄给您的商品', whatEn: 'the warehouse is checking the replacement before it is sent to you' },
  AWAITING_REPAIR: { party: 'WAREHOUSE', command: onCase('repair'), what: 'the repair is done and recorded', whatZh: '您的商品正在维修中', whatEn: 'your product is being repaired' },
  AWAITING_PROMISED_SHIPPING: { party: 'WAREHOUSE', command: 'POST /v1/couriers/{carrier}/events', what: 'the order ships within the promised time', whatZh: '您的订单将在承诺的时间内发货', whatEn: 'your order will ship within the promised time' },
  AWAITING_PAYMENT: {
    party: 'STOREFRONT',
    command: onCase('difference-paid'),
    what: 'the customer pays the price difference and the storefront confirms it (a storefront key: the payment is the shop’s to confirm); not paid by the deadline, an agent takes the case up',
    whatZh: '请支付差价，店铺确认收款后继续为您处理；逾期未付款，客服将与您联系',
    whatEn: 'please pay the price difference; we go on once the shop confirms your payment, and if it is not paid in time our customer service will contact you',
  },
  AWAITING_ASSESSMENT: { party: 'AGENT', command: onCase('damage-assessment'), what: 'an agent assesses the damage from the photos', whatZh: '客服正在根据您提供的照片评估损坏情况', whatEn: 'our customer service is assessing the damage from your photos' },
  AWAITING_MISUSE_CHECK: { party: 'AGENT', command: onCase('misuse-finding'), what: 'an agent establishes whether the fault came from misuse', whatZh: '客服正在核实故障原因', whatEn: 'our customer service is checking the cause of the fault' },
  AWAITING_DELAY_CAUSE: { party: 'AGENT', command: onCase('delay-cause'), what: "an agent records the courier's cause of the delay", whatZh: '客服正在向快递公司核实延误原因', whatEn: 'our customer service is checking the cause of the delay with the courier' },
  AWAITING_ROOT_CAUSE: { party: 'AGENT', command: onCase('root-cause'), what: 'an agent records the root cause of the wrong shipment', whatZh: '客服正在核查发错货的原因', whatEn: 'our customer service is checking why the wrong goods were sent' },
  AWAITING_RESOLUTION: { party: 'AGENT', command: onCase('complaint-resolution'), what: 'an agent resolves the complaint with plan, cause and improvement', whatZh: '客服正在处理您的投诉', whatEn: 'our customer service is handling your complaint' },
  AWAITING_AGENT: { party: 'AGENT', command: onCase('resolution'), what: 'an agent decides how the case ends', whatZh: '客服正在跟进处理您的售后申请', whatEn: 'our customer service is following up on your request' },
  AWAITING_REVISIT: { party: 'CUSTOMER', command: onCase('revisit'), what: 'the customer rates the solution (silence closes the case)', whatZh: '请为本次售后服务评分（逾期未评价，售后将自动结束）', whatEn: 'please rate our service for this request (if you do not rate it in time, the request closes)' },
  FOLLOWING: { party: 'COURIER', command: 'POST /v1/couriers/{carrier}/events', what: 'the courier delivers the parcel', whatZh: '包裹运输中，等待快递送达', whatEn: 'your parcel is on its way' },
  SHIPPED: { party: 'COURIER', command: 'POST /v1/couriers/{carrier}/events', what: 'the courier delivers the parcel', whatZh: '包裹运输中，等待快递送达', whatEn: 'your parcel is on its way' },
  RESHIPPED: { party: 'COURIER', command: 'POST /v1/couriers/{carrier}/events', what: 'the courier delivers the parcel sent again', whatZh: '重新寄出的包裹运输中，等待快递送达', whatEn: 'the goods we sent again are on their way' },
};

/**
 * Where a wait means something of its own in a case type: what the customer's answer does — above
 * all what declining and silence do, which a customer must know before they tap "decline" (a
 * return's changed proposal declined closes the case and nothing goes back) — and which remedies
 * the type offers. The workflows' defaults: a return's consent and a quality discount follow the
 * policy's `proposalDefaultAccept`; a wrong item's discount unanswered is declined; a choice
 * unanswered is the refund.
 */
/** What silence does, said to each reader: the staff, a Chinese customer, an English one. */
type Silence = readonly [staff: string, zh: string, en: string];
/** A wait's sentence with what silence does after it, for each reader. */
const thenSilence = (wait: WaitText, [staff, zh, en]: Silence): WaitText => ({ what: `${wait.what}; ${staff}`, whatZh: `${wait.whatZh}；${zh}`, whatEn: `${wait.whatEn}; ${en}` });
/** Silence as the policy's `proposalDefaultAccept` decides, where the reader does not have the policy (a list of cases of several versions). */
const POLICY_SILENCE: Silence = ['silence does what the policy’s proposalDefaultAccept says', '逾期未回复将按店铺规则处理', 'if you do not answer in time, the shop’s rules decide'];
/** A return's changed proposal, before what silence does. */
const RETURN_CONSENT: WaitText = {
  what: 'the customer accepts or declines the changed proposal: accepted, the goods approved go back and are refunded; declined, the case closes and nothing goes back',
  whatZh: '请确认是否接受调整后的方案：接受后请寄回获批的商品，我们收到后为您退款；不接受则本次售后结束，无需寄回商品',
  whatEn: 'please accept or decline the changed proposal: if you accept, send back the approved goods and we refund them once they arrive; if you decline, the request closes and nothing needs to be sent back',
};
/** A quality problem's discount, before what silence does (the repair only where the shop repairs). */
const QUALITY_CONSENT: WaitText = {
  what: 'the customer accepts the discount (refunded at once) or declines it, then chooses a return, an exchange or, where the shop repairs, a repair, at the shop’s cost',
  whatZh: '请确认是否接受折扣补偿（接受后立即退款）；不接受的话，可选择退货退款、换货或（店铺提供维修时）维修，费用由店铺承担',
  whatEn: 'please say whether you accept a discount (refunded at once); if you decline, you may choose a return and refund, an exchange or, where the shop offers it, a repair, at the shop’s cost',
};

/**
 * The customer sends goods back, with nothing sent to them first: the stage's own clause, about an
 * exchange whose replacement or loan product came first, is not for them (only an exchange sends first).
 */
const SEND_BACK_OR_CLOSE: WaitText = {
  what: 'the customer sends the goods back and enters the tracking number; not sent by the deadline, the request closes',
  whatZh: '请在截止时间前寄回商品并填写快递单号；逾期未寄回，本次售后申请将关闭',
  whatEn: 'please send the goods back and enter the tracking number by the deadline; if they are not sent in time, the request closes',
};

/**
 * A refund of a shipped order inspects the order's own parcel, which the courier brought back (or
 * the customer refused at the door): nothing the customer sent back.
 */
const INTERCEPTED_INSPECTION: WaitText = {
  what: 'the warehouse inspects the parcel that came back',
  whatZh: '仓库正在验收退回的包裹',
  whatEn: 'our warehouse is checking the parcel that came back to us',
};

/**
 * A quality problem's choice where the case's decision offered no repair (the shop does not repair:
 * the policy's hasRepairDepartment): said without one, as the customer's message says it.
 */
const QUALITY_CHOICE_NO_REPAIR: WaitText = {
  what: 'the customer chooses, with the shop paying the shipping both ways, a return and refund (REFUND) or an exchange (RESHIP); silence means the refund',
  whatZh: '请选择退货退款或换货，往返运费由店铺承担；逾期未选择将默认退款',
  whatEn: 'please choose a return and refund or an exchange; the shop pays the shipping both ways; if you do not choose in time, you get the refund',
};

export const TYPE_WAITS: Readonly<Partial<Record<CaseType, Readonly<Record<string, WaitText>>>>> = {
  REFUND_SHIPPED: { AWAITING_INSPECTION: INTERCEPTED_INSPECTION },
  // Once it found the order shipped and had the parcel brought back (refund-not-shipped-intercepts).
  REFUND_NOT_SHIPPED: { AWAITING_INSPECTION: INTERCEPTED_INSPECTION },
  RETURN_AND_REFUND: {
    AWAITING_CUSTOMER_CONSENT: thenSilence(RETURN_CONSENT, POLICY_SILENCE),
    AWAITING_RETURN_SHIPMENT: SEND_BACK_OR_CLOSE,
  },
  QUALITY_PROBLEM: {
    AWAITING_CUSTOMER_CONSENT: thenSilence(QUALITY_CONSENT, POLICY_SILENCE),
    // The goods go back for the refund, exchange or repair the customer chose, at the shop's cost.
    AWAITING_RETURN_SHIPMENT: {
      what: 'the customer sends the goods back for the remedy chosen (the shop pays the shipping) and enters the tracking number; not sent by the deadline, the request closes',
      whatZh: '请在截止时间前寄回商品并填写快递单号，以便按您选择的方式处理（运费由店铺承担）；逾期未寄回，本次售后申请将关闭',
      whatEn: 'please send the goods back and enter the tracking number by the deadline, so that we can handle them as you chose (the shop pays the shipping); if they are not sent in time, the request closes',
    },
    AWAITING_CUSTOMER_CHOICE: {
      what: 'the customer chooses, with the shop paying the shipping both ways, a return and refund (REFUND), an exchange (RESHIP) or, where the shop repairs, a repair (REPAIR); silence means the refund',
      whatZh: '请选择退货退款、换货，或在店铺提供维修时选择维修，往返运费由店铺承担；逾期未选择将默认退款',
      whatEn: 'please choose a return and refund, an exchange or, where the shop offers it, a repair; the shop pays the shipping both ways; if you do not choose in time, you get the refund',
    },
  },
  WRONG_ITEM: {
    // What goes back is what came instead of the ordered goods, before they are sent or refunded.
    AWAITING_RETURN_SHIPMENT: {
      what: 'the customer sends back what came instead of the ordered goods and enters the tracking number; not sent by the deadline, the request closes',
      whatZh: '请在截止时间前寄回错发的商品并填写快递单号；逾期未寄回，本次售后申请将关闭',
      whatEn: 'please send back the goods sent to you by mistake and enter the tracking number by the deadline; if they are not sent in time, the request closes',
    },
    AWAITING_CUSTOMER_CONSENT: {
      what: 'the customer accepts the discount for keeping what came instead (refunded at once) or declines it, keeping it as a gift, and chooses the ordered goods sent or refunded; silence declines',
      whatZh: '请确认是否接受折扣并留下收到的商品（接受后立即退款）；不接受的话，收到的商品赠送给您，并请选择补发您订购的商品或退款；逾期未回复视为不接受',
      whatEn: 'please say whether you accept a discount and keep the goods you received (refunded at once); if you decline, you keep them as a gift and choose between having the goods you ordered sent and a refund; no answer in time counts as declining',
    },
    AWAITING_CUSTOMER_CHOICE: {
      what: 'the customer chooses the ordered goods sent (RESHIP) or a refund (REFUND); silence means the refund',
      whatZh: '请选择补发您订购的商品或退款；逾期未选择将默认退款',
      whatEn: 'please choose between having the goods you ordered sent and a refund; if you do not choose in time, you get the refund',
    },
  },
  TRANSIT_DAMAGE: { AWAITING_RETURN_SHIPMENT: SEND_BACK_OR_CLOSE },
  MISSING_ITEMS: {
    AWAITING_CUSTOMER_CHOICE: {
      what: 'the customer chooses the missing goods sent again (RESHIP) or a refund for them (REFUND); silence means the refund',
      whatZh: '请选择补发缺少的商品或退还相应款项；逾期未选择将默认退款',
      whatEn: 'please choose between having the missing goods sent and a refund for them; if you do not choose in time, you get the refund',
    },
  },
  LOST_PARCEL: {
    AWAITING_CUSTOMER_CHOICE: {
      what: 'the customer chooses the goods sent again (RESHIP) or a refund (REFUND); silence means the refund',
      whatZh: '请选择重新发货或退款；逾期未选择将默认退款',
      whatEn: 'please choose between having the goods sent again and a refund; if you do not choose in time, you get the refund',
    },
  },
};

/**
 * What silence does at a consent the policy decides (`proposalDefaultAccept`), said outright where
 * the reader has the case's policy version (the case view): a customer cannot read the policy.
 */
export const CONSENT_SILENCE: Readonly<Partial<Record<CaseType, { accepts: WaitText; declines: WaitText }>>> = {
  RETURN_AND_REFUND: {
    accepts: thenSilence(RETURN_CONSENT, ['no answer by the deadline accepts it', '逾期未回复视为接受', 'no answer by the deadline counts as accepting']),
    declines: thenSilence(RETURN_CONSENT, ['no answer by the deadline declines it, and the case closes', '逾期未回复视为不接受，本次售后将结束', 'no answer by the deadline counts as declining, and the request closes']),
  },
  QUALITY_PROBLEM: {
    accepts: thenSilence(QUALITY_CONSENT, ['no answer by the deadline accepts the discount', '逾期未回复视为接受折扣', 'no answer by the deadline counts as accepting the discount']),
    declines: thenSilence(QUALITY_CONSENT, ['no answer by the deadline declines the discount, and the customer is asked to choose', '逾期未回复视为不接受折扣，届时请选择处理方式', 'no answer by the deadline counts as declining the discount, and you will be asked to choose']),
  },
};

export interface WaitingFor extends StageWait {
  /** When the case stops waiting and acts on its own (reminder, escalation, default), epoch ms. */
  deadlineAt: number | null;
}

/**
 * What a case at `stage` waits for; `stageDeadlineAt` is the deadline set when it entered the stage.
 * With the case's `type`, what the wait means in that type (TYPE_WAITS); with the rules of its
 * policy version too, what silence does at a consent (CONSENT_SILENCE); with the remedies it
 * `offered` (a choice), only those; `what` for `reader`: the staff's English unless asked, or as the
 * shop tells a customer reading in zh-CN or en.
 */
export function waitingFor(stage: string, stageDeadlineAt: number | null | undefined, type?: CaseType, reader: Reader = 'staff', policy?: { proposalDefaultAccept: boolean }, offered?: readonly string[]): WaitingFor | null {
  const wait = STAGE_WAITS[stage];
  if (!wait) return null;
  const silence = stage === 'AWAITING_CUSTOMER_CONSENT' && type && policy ? CONSENT_SILENCE[type] : undefined;
  // With the remedies the case offers (the case view reads them from its decision), no repair a shop does not do.
  const noRepair = type === 'QUALITY_PROBLEM' && stage === 'AWAITING_CUSTOMER_CHOICE' && offered && !offered.includes('REPAIR') ? QUALITY_CHOICE_NO_REPAIR : undefined;
  const text = (silence && (policy!.proposalDefaultAccept ? silence.accepts : silence.declines)) ?? noRepair ?? (type && TYPE_WAITS[type]?.[stage]) ?? wait;
  const what = reader === 'zh-CN' ? text.whatZh : reader === 'en' ? text.whatEn : text.what;
  // A case handed to an agent (AWAITING_AGENT) is due when a reminder escalates it (agentDueAt):
  // the shop's own deadline, no promise to the customer, and past once the reminder fires. Their
  // promise is the case's solution deadline. (Other agent waits keep theirs: a complaint's answer
  // is due when its message told the customer.)
  const deadlineAt = stage === 'AWAITING_AGENT' && reader !== 'staff' ? null : (stageDeadlineAt ?? null);
  return { party: wait.party, command: wait.command, what, deadlineAt };
}

/**
 * How an agent ends a wait the workflow could not decide (AWAITING_AGENT, `POST
 * /v1/cases/{caseId}/resolution`), by the step that began the wait: a return whose count differs
 * from the request is refunded for what came back or for what was asked; a return parcel lost on
 * the way is refunded as asked; an exchange with no unit in stock that passes its outgoing check is
 * refunded instead (the customer agreed), waits on for stock (CONTINUE) or is closed; every other
 * wait goes on (CONTINUE) or is closed. The refund
 * actions meant "go on" at every wait before CONTINUE existed: the API refuses them where they are
 * not offered (`asOffered`), and resolutions recorded so still replay under the policy what-if.
 */
export type AgentAction = 'CONTINUE' | 'REFUND_RECEIVED' | 'REFUND_REQUESTED' | 'CLOSE';

/** The actions of an agent wait, in the order offered: a wait's own (OWN_ACTIONS), or CONTINUE and CLOSE. */
export function agentActions(waitKind: string): AgentAction[] {
  const own = Object.hasOwn(OWN_ACTIONS, waitKind) ? OWN_ACTIONS[waitKind] : undefined;
  return own ? (Object.keys(own.actions) as AgentAction[]) : ['CONTINUE', 'CLOSE'];
}

/**
 * The actions of a case's current agent wait, read from its timeline's step kinds in order (a
 * screen that has the timeline, not the workflow): the wait began after the last AGENT_RESOLVED.
 */
export function currentAgentActions(timelineKinds: readonly string[]): AgentAction[] {
  return agentActions(currentAgentWait(timelineKinds) ?? '');
}

/**
 * Actions only a supervisor (or an admin) takes, by the wait they end: paying a minor damage's
 * refund above the policy's cap (ABOVE_CAP, CONTINUE). The cap is the merchant's rule; the wait is
 * escalated so that someone other than the agent who proposed the refund decides to go past it.
 */
const SUPERVISOR_ACTIONS: Readonly<Record<string, readonly AgentAction[]>> = { ABOVE_CAP: ['CONTINUE'] };

/** Whether `action` at the wait `waitKind` began is a supervisor's to take (SUPERVISOR_ACTIONS). */
export function isSupervisorsAction(waitKind: string | undefined, action: AgentAction): boolean {
  return waitKind !== undefined && Object.hasOwn(SUPERVISOR_ACTIONS, waitKind) && SUPERVISOR_ACTIONS[waitKind]!.includes(action);
}

/** An action in the staff's English and in the console's Chinese. */
export interface ActionWords {
  en: string;
  zh: string;
}

/**
 * The waits whose actions are not CONTINUE and CLOSE (by the step kind that began the wait), each
 * action in the order offered with what it does there: the API's description of `action` and the
 * console's choices are both written from this table.
 */
const CLOSE_WITHOUT_REFUND: ActionWords = { en: 'close without a refund', zh: '不退款，结案' };
const REFUND_AS_ASKED: ActionWords = { en: 'refund what was asked', zh: '按申请退款' };
const OWN_ACTIONS: Readonly<Record<string, { about: ActionWords; actions: Partial<Record<AgentAction, ActionWords>> }>> = {
  COUNT_MISMATCH: {
    about: { en: 'goods sent back counted differently from what was asked', zh: '寄回的商品数量与申请不符' },
    actions: {
      REFUND_RECEIVED: { en: 'refund what came back', zh: '按实收退款' },
      REFUND_REQUESTED: REFUND_AS_ASKED,
      // Goods that came back are the customer's: closing keeps them unpaid (closeKeepsGoodsReason).
      CLOSE: { en: 'close without a refund, when nothing came back in good order (an empty box)', zh: '不退款，结案（仅限没有完好商品寄回，如空包裹）' },
    },
  },
  PARCEL_LOST: {
    about: { en: 'a return lost on the way', zh: '退货包裹在寄回途中丢失' },
    actions: {
      REFUND_REQUESTED: REFUND_AS_ASKED,
      CLOSE: CLOSE_WITHOUT_REFUND,
    },
  },
  // No CLOSE: the goods are the customer's, at the shop, and the customer was promised a replacement or a refund.
  REPAIR_FAILED: {
    about: { en: 'goods of a quality problem the repair could not fix', zh: '质量问题商品维修未能修好' },
    actions: {
      CONTINUE: { en: 'send a replacement instead (an exchange)', zh: '改为换货（寄出新品）' },
      REFUND_REQUESTED: { en: 'refund the goods instead', zh: '改为退款' },
    },
  },
  // Goods the customer paid for, sent to make good a problem, that will not reach them (workflows/shipping.ts
  // MAKE_GOOD_REFUND_PATCH): a redelivery, their money back, or a close (an exchange's paid difference goes back either way).
  REPLACEMENT_NOT_DELIVERED: {
    about: {
      en: 'a parcel sent to make good a problem (missing items or a lost parcel sent again, the right goods for a wrong item, a replacement) refused, intercepted or coming back',
      zh: '为解决问题寄出的包裹（补发缺少的商品、重新发货、错发后补发、换货新品）被拒收、被拦截或正在退回',
    },
    actions: {
      CONTINUE: { en: 'the courier delivers again (arranged with the customer); the parcel is followed until delivered', zh: '安排快递再次派送，继续跟踪至签收' },
      REFUND_REQUESTED: {
        en: 'refund the goods in the parcel instead, as far as the order has money left (an exchange: with any price difference paid, once goods still with the customer are back); the parcel coming back is not followed',
        zh: '改为退款：退还包裹内商品的货款，以订单剩余可退金额为限（换货另退已付差价，顾客手中的原商品寄回后退款）；退回的包裹不再跟踪',
      },
      CLOSE: { en: 'close without a refund of the goods (an exchange still gives back a price difference paid)', zh: '不退货款，结案（换货已付的差价仍退还）' },
    },
  },
  // The lost parcel reported delivered before anything was sent again or refunded (workflows/lost-parcel.ts).
  DELIVERED_AFTER_LOSS: {
    about: {
      en: 'a parcel given up as lost that its courier reports delivered before anything was sent again or refunded: confirm with the customer whether they have it',
      zh: '已按丢件处理的包裹，快递又显示已签收（尚未补发或退款）：请与顾客核实是否收到',
    },
    actions: {
      CONTINUE: {
        en: 'the customer did not get it: the case goes on — what they chose goes ahead (the step’s remedy), or, not chosen yet, they are asked again',
        zh: '顾客未收到：继续处理——按顾客已选的方案（补发或退款）进行；尚未选择的，重新请顾客选择',
      },
      CLOSE: { en: 'the customer has it: close, with nothing sent again and nothing refunded', zh: '顾客已收到：结案，不补发、不退款' },
    },
  },
  // Goods taken back for a replacement or a repair came back short or damaged by the customer
  // (workflows/take-back.ts agentDecidesWhatCameBack): what came back in good order is paid for, by
  // the replacement or a refund of it, unless nothing did (closeKeepsGoodsReason).
  EXCHANGE_RETURN_PROBLEM: {
    about: { en: 'exchanged goods came back short or damaged by the customer', zh: '换货寄回的商品短少或被人为损坏' },
    actions: {
      CONTINUE: { en: 'send or settle the replacement anyway', zh: '仍为顾客发出或办结换货' },
      REFUND_RECEIVED: {
        en: 'refund the goods that came back in good order instead of a replacement, with any price difference paid (not once the replacement went out first)',
        zh: '不再换货，退还完好寄回商品的货款及已付差价（换货已先行寄出的除外）',
      },
      CLOSE: {
        en: 'close without a replacement or a refund of the goods, when nothing came back in good order or the replacement went out first (a price difference paid still goes back)',
        zh: '不换货、不退货款，结案（仅限没有完好商品寄回，或换货已先行寄出；已付的差价仍退还）',
      },
    },
  },
  QUALITY_RETURN_PROBLEM: {
    about: { en: 'goods of a quality problem came back short or damaged by the customer', zh: '质量问题寄回的商品短少或被人为损坏' },
    actions: {
      CONTINUE: { en: 'send the replacement or repair the goods anyway, as the customer chose', zh: '仍按顾客的选择换货或维修' },
      REFUND_RECEIVED: {
        en: 'refund the goods that came back in good order instead (with the shipping fee where the policy gives it back for the shop’s fault), as far as the order has money left',
        zh: '改为退还完好寄回商品的货款（按政策因我方原因退运费的，一并退还；以订单剩余可退金额为限）',
      },
      CLOSE: { en: 'close without a replacement, repair or refund, when nothing came back in good order', zh: '不换货、不维修、不退款，结案（仅限没有完好商品寄回）' },
    },
  },
  NO_GOOD_STOCK: {
    about: { en: 'an exchange with no unit in stock that passes its outgoing check', zh: '换货商品没有能通过出库检查的库存' },
    actions: {
      REFUND_REQUESTED: { en: 'refund instead, as the customer agreed', zh: '改为退款（顾客已同意）' },
      CONTINUE: { en: 'wait for the restock, then the warehouse checks again', zh: '等待补货（仓库到货后重新检查）' },
      CLOSE: CLOSE_WITHOUT_REFUND,
    },
  },
};

/**
 * What CONTINUE does at each agent wait where "go on with the case" would not say it, by the step
 * kind that began the wait (`TYPE.KIND` where one kind means two things in two case types). At some
 * it pays money (a goodwill refund, a refund above the cap), at others it gives up waiting for
 * something: an agent, or an integrator reading the API, must know which before choosing it.
 */
const CONTINUE_MEANS: Readonly<Record<string, ActionWords>> = {
  NOT_SHORT: { en: 'refund the missing items anyway, as goodwill (the warehouse’s records say they were sent)', zh: '仍按缺货退款（善意退款）' },
  CHECK_SIGNATURE: { en: 'treat the parcel as lost although signed for: the customer chooses a refund or a re-shipment (no courier claim)', zh: '按丢件处理：请顾客选择退款或补发（不向快递索赔）' },
  ABOVE_CAP: { en: 'refund the proposed amount anyway (above the cap, or one the rules could not approve), as far as the order has money left', zh: '仍按提议金额退款（超出上限或规则未能批准；以订单剩余可退金额为限）' },
  'TRANSIT_DAMAGE.CUSTOMER_CAUSED': { en: 'go on as if the shop bore the damage: the remedy for its degree (refund or return) goes ahead', zh: '按我方承担继续处理（按损坏程度退款或退回）' },
  'QUALITY_PROBLEM.CUSTOMER_CAUSED': { en: 'resolve with the explanation: nothing refunded or replaced (the customer is revisited later)', zh: '按已解释的结论解决：不退款、不换货（稍后回访）' },
  DIFFERENCE_UNPAID: { en: 'send the replacement without the price difference paid', zh: '未付差价，仍为顾客换货' },
  SUBSTITUTE_NOT_RETURNED: { en: 'go on without the loan product back', zh: '不再等待借用商品寄回，继续处理' },
  OLD_GOODS_NOT_RETURNED: { en: 'go on as if the goods had come back: the remedy goes ahead without them', zh: '视为商品已寄回，继续处理（不再等待）' },
  RETURN_NOT_ARRIVED: { en: 'go on as if the goods had come back: the remedy goes ahead without them', zh: '视为商品已寄回，继续处理（不再等待）' },
  PARCEL_NOT_BACK: { en: 'resolve: the refund already paid stands, the parcel is not waited for', zh: '结束等待：已退款项不变，不再等待包裹退回' },
  PARCEL_TURNED_BACK: { en: 'resolve: settled with the customer (sent again under a new waybill, or refunded, each by its own case); the parcel coming back is not followed (revisited later)', zh: '已与顾客商定（重新发货或退款，各走各自的售后单），结束本单；退回的包裹不再跟踪（稍后回访）' },
  DELIVERY_FAILED: { en: 'the courier delivers again (arranged with the customer); the parcel is followed until delivered', zh: '安排快递再次派送，继续跟踪至签收' },
  CONFIRM_WITH_SIGNER: { en: 'the courier delivers again; the parcel is followed until delivered', zh: '安排快递再次派送，继续跟踪至签收' },
  PHOTOS_CLAIM_REDELIVER: { en: 'the courier delivers again; the parcel is followed until delivered', zh: '安排快递再次派送，继续跟踪至签收' },
  REDELIVER_OR_SWAP: { en: 'the courier delivers again; the parcel is followed until delivered', zh: '安排快递再次派送，继续跟踪至签收' },
  CONTACT_THEN_RETURN_OR_HOLD: { en: 'the courier delivers again; the parcel is followed until delivered', zh: '安排快递再次派送，继续跟踪至签收' },
  REOPENED: { en: 'resolve it again (revisited later)', zh: '重新解决（稍后再次回访）' },
  REOPENED_ON_ESCALATION: { en: 'resolve it again (revisited later)', zh: '重新解决（稍后再次回访）' },
  REOPENED_ON_REFUND_RETURNED: { en: 'resolve it again once the refund is paid again (revisited later)', zh: '重新退款后重新解决（稍后再次回访）' },
};

/** The wait kinds whose CONTINUE has words of its own. */
const WAITS_WITH_WORDS = new Set(Object.keys(CONTINUE_MEANS).map((k) => k.slice(k.indexOf('.') + 1)));

/** What `action` does at this wait (of a case of `type`), when its general name would not say it. */
export function actionMeans(waitKind: string | undefined, action: AgentAction, type?: string): ActionWords | undefined {
  if (!waitKind) return undefined;
  const own = Object.hasOwn(OWN_ACTIONS, waitKind) ? OWN_ACTIONS[waitKind]!.actions[action] : undefined;
  if (own || action !== 'CONTINUE') return own;
  return CONTINUE_MEANS[`${type}.${waitKind}`] ?? CONTINUE_MEANS[waitKind];
}

const oneOf = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} or ${xs.at(-1)}` : (xs[0] ?? ''));

/** Every wait's actions and what they do, in the staff's English: the API's description of the action. */
export const AGENT_ACTIONS_EN = [
  'by the step that began the wait (the last timeline step at AWAITING_AGENT): ',
  ...Object.entries(OWN_ACTIONS).map(([wait, { about, actions }]) => `${wait} (${about.en}) takes ${oneOf(Object.entries(actions).map(([a, w]) => `${a} (${w.en})`))}; `),
  'every other wait CONTINUE (the case goes on) or CLOSE; any other action is a 400. ',
  'What CONTINUE does where "goes on" would not say it (it may pay money): ',
  Object.entries(CONTINUE_MEANS)
    .map(([kind, words]) => `${kind.replace('.', ' ')}: ${words.en}`)
    .join('; '),
].join('');

/**
 * What an agent decides at the wait `waitKind` began (of a case of `type`), in the staff's English
 * and the console's Chinese: what the wait is about where its actions are its own, what CONTINUE
 * does where that has words of its own; undefined for a wait where "the case goes on or closes"
 * says it all. The case view's `waitingFor.what` for the staff, and the console's, say this rather
 * than only that an agent decides how the case ends.
 */
export function agentWaitWhat(waitKind: string | undefined, type?: string): ActionWords | undefined {
  if (!waitKind) return undefined;
  if (Object.hasOwn(OWN_ACTIONS, waitKind)) {
    const { about, actions } = OWN_ACTIONS[waitKind]!;
    return { en: `an agent decides how the case ends: ${about.en} (${oneOf(Object.keys(actions))})`, zh: `客服决定如何结案：${about.zh}` };
  }
  const goesOn = actionMeans(waitKind, 'CONTINUE', type);
  return goesOn && { en: `an agent decides how the case ends: CONTINUE (${goesOn.en}) or CLOSE`, zh: `客服决定如何结案：继续（${goesOn.zh}）或结案` };
}

/**
 * What the wait is about, in words a screen shows beside its choices (the console: the choices
 * themselves are the form's): what the wait is about where its actions are its own, else what going
 * on does there, beside closing.
 */
export function agentWaitAbout(waitKind: string | undefined, type?: string): ActionWords | undefined {
  if (!waitKind) return undefined;
  if (Object.hasOwn(OWN_ACTIONS, waitKind)) return OWN_ACTIONS[waitKind]!.about;
  const goesOn = actionMeans(waitKind, 'CONTINUE', type);
  // Both ways out: a trial's reader took "going on: …" for the only one.
  return goesOn && { en: `go on: ${goesOn.en}; or close the case`, zh: `可继续处理：${goesOn.zh}；也可结案` };
}

/**
 * The step kind of the current agent wait when its actions are its own (COUNT_MISMATCH, …) or mean
 * something of their own (a refund, a reopened case: CONTINUE_MEANS); otherwise undefined.
 */
export function currentAgentWait(timelineKinds: readonly string[]): string | undefined {
  const since = timelineKinds.slice(timelineKinds.lastIndexOf('AGENT_RESOLVED') + 1);
  return [...since].reverse().find((k) => Object.hasOwn(OWN_ACTIONS, k) || WAITS_WITH_WORDS.has(k));
}

/**
 * The agent waits a RESOLVED case is reopened to (after a low revisit score, an escalation, a refund
 * the bank sent back): resolved again (CONTINUE), it rests and is revisited, so not while a refund is
 * owed (docs/refund-settlement.md).
 */
const REOPENED_WAITS: readonly string[] = ['REOPENED', 'REOPENED_ON_ESCALATION', 'REOPENED_ON_REFUND_RETURNED'];
export const isReopenedWait = (waitKind: string | undefined): boolean => waitKind !== undefined && REOPENED_WAITS.includes(waitKind);

/**
 * Each type's stages before it has asked for the goods back: whether they come back is still being
 * decided. An exchange asks for them when its replacement went out first and arrived, or at once
 * (AWAITING_RETURN_SHIPMENT): at its other stages before that — the difference to pay, the check and
 * the dispatch of a replacement that goes first, its delivery — a parcel that comes anyway waits on
 * the shelf (a trial's customer sent the old pair early and was told the request no longer waited for
 * it). A return-first exchange is at those stages after its goods came back: a second parcel then
 * waits too, and the shelf says what to do once the case ends.
 */
const NOT_ASKED_BACK_YET: Readonly<Record<string, readonly string[]>> = {
  RETURN_AND_REFUND: ['OPENED', 'AWAITING_DECISION', 'AWAITING_CUSTOMER_CONSENT'],
  EXCHANGE_RESHIPMENT: ['OPENED', 'AWAITING_PAYMENT', 'AWAITING_OUTGOING_CHECK', 'AWAITING_DISPATCH', 'SHIPPED', 'FOLLOWING'],
  TRANSIT_DAMAGE: ['OPENED', 'AWAITING_ASSESSMENT'],
  QUALITY_PROBLEM: ['OPENED', 'AWAITING_MISUSE_CHECK', 'AWAITING_CUSTOMER_CONSENT', 'AWAITING_CUSTOMER_CHOICE'],
  WRONG_ITEM: ['OPENED', 'AWAITING_VERIFICATION', 'AWAITING_CUSTOMER_CONSENT', 'AWAITING_CUSTOMER_CHOICE'],
};

/** Whether a case of `type` at `stage` may take a returned parcel: false while it has yet to decide that the goods come back. */
export const goodsAskedBack = (type: string, stage: string): boolean => !NOT_ASKED_BACK_YET[type]?.includes(stage);

/** Whether a case at `stage` waits for a parcel to be scanned in (its return, an intercepted parcel, a loan product). */
export const waitsForArrival = (stage: string): boolean => STAGE_WAITS[stage]?.command === 'POST /v1/warehouse/arrivals';
