/**
 * Every stage a workflow can enter is either waiting for someone (and says who and with which
 * call) or is one where the case works on its own or has ended — so a new stage cannot slip into
 * the API's answers without telling a client what comes next.
 */
import { describe, expect, it } from 'vitest';
import { agentActions, agentWaitAbout, agentWaitWhat, CONSENT_SILENCE, actionMeans, AGENT_ACTIONS_EN, currentAgentActions, currentAgentWait, goodsAskedBack, isSupervisorsAction, STAGE_WAITS, TYPE_WAITS, waitingFor } from '../../domain/waiting.js';
import { CASE_TYPES, type CaseType } from '../../domain/case-types.js';
import { TRACE_ACTIONS } from '../../domain/fulfilment/tracking.js';
import { AGENT_WAIT, codesInWorkflows, ENTERED_STAGE } from '../support/workflow-source.js';

/** Stages where nobody outside is asked for anything. */
const WORKING_OR_FINAL = new Set(['OPENED', 'REFUNDING', 'RESOLVED', 'CLOSED']);

describe('what a case waits for', () => {
  it('is known for every stage the workflows enter', () => {
    const entered = codesInWorkflows(ENTERED_STAGE);
    expect(entered.size).toBeGreaterThan(20);
    const unknown = [...entered].filter((s) => !STAGE_WAITS[s] && !WORKING_OR_FINAL.has(s));
    expect(unknown).toEqual([]);
    // …and the table names no stage that no workflow enters.
    expect(Object.keys(STAGE_WAITS).filter((s) => !entered.has(s))).toEqual([]);
  });

  it('names the party, the call and the deadline of the stage', () => {
    expect(waitingFor('AWAITING_RETURN_SHIPMENT', 1_800_000_000_000)).toEqual({
      party: 'CUSTOMER',
      command: 'POST /v1/cases/{caseId}/return-shipment',
      what: expect.any(String),
      deadlineAt: 1_800_000_000_000,
    });
    expect(waitingFor('AWAITING_ARRIVAL', undefined)?.deadlineAt).toBeNull();
    // A case handed to an agent is due by the shop's own reminder: the staff read it, a customer does not (their promise is the solution deadline).
    expect(waitingFor('AWAITING_AGENT', 7, 'RETURN_AND_REFUND')?.deadlineAt).toBe(7);
    expect(waitingFor('AWAITING_AGENT', 7, 'RETURN_AND_REFUND', 'zh-CN')?.deadlineAt).toBeNull();
    expect(waitingFor('AWAITING_ARRIVAL', 7, 'RETURN_AND_REFUND', 'zh-CN')?.deadlineAt).toBe(7);
    // A complaint's answer is due when its message told the customer: theirs to read.
    expect(waitingFor('AWAITING_RESOLUTION', 7, 'COMPLAINT', 'zh-CN')?.deadlineAt).toBe(7);
    expect(waitingFor('REFUNDING', 1)).toBeNull();
    expect(waitingFor('CLOSED', null)).toBeNull();
  });
});

describe('what a wait means in a case type', () => {
  it('says what declining and silence do, and which remedies the type offers', () => {
    const what = (stage: string, type?: Parameters<typeof waitingFor>[2]) => waitingFor(stage, null, type)!.what;
    // A return's changed proposal declined closes the case: the customer must know before answering.
    expect(what('AWAITING_CUSTOMER_CONSENT', 'RETURN_AND_REFUND')).toMatch(/declined, the case closes and nothing goes back/);
    expect(what('AWAITING_CUSTOMER_CONSENT', 'WRONG_ITEM')).toMatch(/silence declines/);
    expect(what('AWAITING_CUSTOMER_CONSENT', 'QUALITY_PROBLEM')).toMatch(/proposalDefaultAccept/);
    // Read without the policy (a list, a command's answer), the repair is still offered only where the shop repairs.
    expect(what('AWAITING_CUSTOMER_CONSENT', 'QUALITY_PROBLEM')).toMatch(/where the shop repairs, a repair/);
    expect(waitingFor('AWAITING_CUSTOMER_CONSENT', null, 'QUALITY_PROBLEM', 'zh-CN')!.what).toMatch(/（店铺提供维修时）维修/);
    // Repair is a quality problem's remedy only; a missing item is sent again or refunded.
    expect(what('AWAITING_CUSTOMER_CHOICE', 'QUALITY_PROBLEM')).toMatch(/REPAIR/);
    for (const type of ['MISSING_ITEMS', 'LOST_PARCEL', 'WRONG_ITEM'] as const) {
      expect(what('AWAITING_CUSTOMER_CHOICE', type), type).not.toMatch(/REPAIR/);
      expect(what('AWAITING_CUSTOMER_CHOICE', type), type).toMatch(/RESHIP.*REFUND|REFUND.*RESHIP/);
      expect(what('AWAITING_CUSTOMER_CHOICE', type), type).toMatch(/silence means the refund/);
    }
    // Without a type (a command's answer reads the workflow, which does not say its type), the stage's own words.
    expect(what('AWAITING_CUSTOMER_CHOICE')).toBe(STAGE_WAITS.AWAITING_CUSTOMER_CHOICE!.what);
    // The party and the call stay the stage's.
    expect(waitingFor('AWAITING_CUSTOMER_CONSENT', 5, 'RETURN_AND_REFUND')).toMatchObject({ party: 'CUSTOMER', command: 'POST /v1/cases/{caseId}/proposal-answer', deadlineAt: 5 });
    // Not sent, not paid: what the deadline brings.
    expect(what('AWAITING_RETURN_SHIPMENT')).toMatch(/not sent by the deadline, the request closes/);
    // A plain return's customer is not told about exchanges sent first; an exchange's still is.
    expect(what('AWAITING_RETURN_SHIPMENT', 'RETURN_AND_REFUND')).toMatch(/not sent by the deadline, the request closes$/);
    expect(waitingFor('AWAITING_RETURN_SHIPMENT', null, 'RETURN_AND_REFUND', 'zh-CN')!.what).not.toMatch(/换货|备用/);
    expect(what('AWAITING_RETURN_SHIPMENT', 'EXCHANGE_RESHIPMENT')).toMatch(/an exchange whose replacement or a loan product came first goes to an agent/);
    // The other types that take goods back send nothing first either, and say what goes back where it differs.
    for (const type of ['QUALITY_PROBLEM', 'TRANSIT_DAMAGE', 'WRONG_ITEM'] as const) {
      expect(what('AWAITING_RETURN_SHIPMENT', type), type).toMatch(/not sent by the deadline, the request closes$/);
      expect(waitingFor('AWAITING_RETURN_SHIPMENT', null, type, 'zh-CN')!.what, type).not.toMatch(/换货商品|备用/);
    }
    expect(what('AWAITING_RETURN_SHIPMENT', 'WRONG_ITEM')).toMatch(/^the customer sends back what came instead of the ordered goods/);
    expect(what('AWAITING_RETURN_SHIPMENT', 'QUALITY_PROBLEM')).toMatch(/the shop pays the shipping/);
    expect(what('AWAITING_PAYMENT')).toMatch(/not paid by the deadline, an agent takes the case up/);
  });

  it('with the case’s policy version, says outright what silence does at a consent (a customer cannot read proposalDefaultAccept)', () => {
    const said = (type: CaseType, proposalDefaultAccept: boolean, reader: 'staff' | 'en' | 'zh-CN' = 'staff') => waitingFor('AWAITING_CUSTOMER_CONSENT', 5, type, reader, { proposalDefaultAccept })!.what;
    expect(said('RETURN_AND_REFUND', true)).toMatch(/no answer by the deadline accepts it$/);
    expect(said('RETURN_AND_REFUND', false)).toMatch(/no answer by the deadline declines it, and the case closes$/);
    expect(said('RETURN_AND_REFUND', true, 'zh-CN')).toMatch(/逾期未回复视为接受$/);
    expect(said('RETURN_AND_REFUND', false, 'zh-CN')).toMatch(/逾期未回复视为不接受，本次售后将结束$/);
    expect(said('QUALITY_PROBLEM', true)).toMatch(/accepts the discount$/);
    expect(said('QUALITY_PROBLEM', false, 'zh-CN')).toMatch(/逾期未回复视为不接受折扣/);
    expect(said('QUALITY_PROBLEM', false, 'en')).toMatch(/counts as declining the discount, and you will be asked to choose$/);
    for (const text of [said('RETURN_AND_REFUND', true), said('QUALITY_PROBLEM', false)]) expect(text).not.toMatch(/proposalDefaultAccept/);
    // A wrong item's discount is declined by silence whatever the policy; other stages are the stage's own.
    expect(said('WRONG_ITEM', true)).toBe(TYPE_WAITS.WRONG_ITEM!.AWAITING_CUSTOMER_CONSENT!.what);
    expect(waitingFor('AWAITING_INSPECTION', 5, 'RETURN_AND_REFUND', 'staff', { proposalDefaultAccept: true })!.what).toBe(STAGE_WAITS.AWAITING_INSPECTION!.what);
  });
});

describe('what a wait says to a customer, in Chinese and in English', () => {
  const overrides = Object.entries(TYPE_WAITS).flatMap(([type, stages]) => Object.entries(stages ?? {}).map(([stage, text]) => ({ type: type as CaseType, stage, text })));
  /** Every sentence the tables hold, by where it is: each stage's own, and each case type's word for a stage. */
  const silences = Object.entries(CONSENT_SILENCE).flatMap(([type, s]) => [s!.accepts, s!.declines].map((text, i) => ({ at: `${type} consent silence ${i ? 'declines' : 'accepts'}`, text })));
  const texts = [...Object.entries(STAGE_WAITS).map(([stage, text]) => ({ at: stage, text })), ...overrides.map((o) => ({ at: `${o.type} ${o.stage}`, text: o.text })), ...silences].map(({ at, text }) => ({
    at,
    en: text.what,
    zh: (text as { whatZh?: unknown }).whatZh,
    customerEn: (text as { whatEn?: unknown }).whatEn,
  }));

  it('is written for every stage and every case type’s wait, beside the staff’s English', () => {
    expect(overrides.length).toBeGreaterThan(5);
    for (const t of texts) {
      expect(t.en, t.at).toMatch(/[a-z]/);
      expect(typeof t.zh === 'string' && t.zh.length > 0, `${t.at} has no Chinese`).toBe(true);
      expect(typeof t.customerEn === 'string' && t.customerEn.length > 0, `${t.at} has no customer’s English`).toBe(true);
    }
  });

  it('is English a customer reads: said to them, with no API paths, codes or setting names', () => {
    for (const t of texts) {
      const en = t.customerEn as string;
      expect(en, t.at).toMatch(/\b(you|your|we|our|please)\b/);
      expect(en, t.at).not.toMatch(/\bthe customer\b|\/v1\/|\b[A-Z]{2,}\b|[a-z][A-Z]|\p{Script=Han}/u);
      expect(en, t.at).not.toBe(t.en);
    }
  });

  it('is Chinese a customer reads: no API paths, codes or setting names (no ASCII letters)', () => {
    for (const t of texts) {
      expect(t.zh, t.at).toMatch(/\p{Script=Han}/u);
      expect(t.zh, t.at).not.toMatch(/[A-Za-z]/);
    }
  });

  it('waitingFor gives it for zh-CN, the type’s own where it has one; English otherwise, party and call the same', () => {
    const zh = (stage: string, type?: CaseType) => waitingFor(stage, null, type, 'zh-CN')!.what;
    expect(zh('AWAITING_INSPECTION')).toBe('仓库正在验收您寄回的商品');
    expect(zh('AWAITING_RETURN_SHIPMENT')).toMatch(/快递单号/);
    // A return's changed proposal declined closes the case; a wrong item's discount unanswered is declined.
    expect(zh('AWAITING_CUSTOMER_CONSENT', 'RETURN_AND_REFUND')).toMatch(/不接受则本次售后结束/);
    expect(zh('AWAITING_CUSTOMER_CONSENT', 'WRONG_ITEM')).toMatch(/逾期未回复视为不接受/);
    // Repair only for a quality problem; silence means the refund.
    expect(zh('AWAITING_CUSTOMER_CHOICE', 'QUALITY_PROBLEM')).toMatch(/维修/);
    for (const type of ['MISSING_ITEMS', 'LOST_PARCEL', 'WRONG_ITEM'] as const) {
      expect(zh('AWAITING_CUSTOMER_CHOICE', type), type).not.toMatch(/维修/);
      expect(zh('AWAITING_CUSTOMER_CHOICE', type), type).toMatch(/逾期未选择将默认退款/);
    }
    for (const { stage, type } of overrides) expect(zh(stage, type)).toBe(TYPE_WAITS[type]![stage]!.whatZh);
    // The staff's English by default; an English customer's for en.
    expect(waitingFor('AWAITING_INSPECTION', 7)).toEqual({ party: 'WAREHOUSE', command: 'POST /v1/cases/{caseId}/inspection', what: 'the warehouse inspects what came back', deadlineAt: 7 });
    expect(waitingFor('AWAITING_INSPECTION', 7, undefined, 'staff')).toEqual(waitingFor('AWAITING_INSPECTION', 7));
    expect(waitingFor('AWAITING_INSPECTION', 7, undefined, 'en')).toEqual({ party: 'WAREHOUSE', command: 'POST /v1/cases/{caseId}/inspection', what: 'the warehouse is inspecting the goods you sent back', deadlineAt: 7 });
    for (const { stage, type } of overrides) expect(waitingFor(stage, null, type, 'en')!.what).toBe(TYPE_WAITS[type]![stage]!.whatEn);
    expect(waitingFor('AWAITING_CUSTOMER_CONSENT', 5, 'RETURN_AND_REFUND', 'en', { proposalDefaultAccept: false })!.what).toMatch(/counts as declining, and the request closes$/);
    expect(waitingFor('AWAITING_INSPECTION', 7, undefined, 'zh-CN')).toEqual({ party: 'WAREHOUSE', command: 'POST /v1/cases/{caseId}/inspection', what: '仓库正在验收您寄回的商品', deadlineAt: 7 });
  });
});

describe('how an agent ends a wait', () => {
  it("a refund of a shipped order inspects the parcel the courier brought back, not goods the customer sent back", () => {
    for (const type of ['REFUND_SHIPPED', 'REFUND_NOT_SHIPPED'] as const) {
      expect(waitingFor('AWAITING_INSPECTION', null, type, 'en')!.what).toBe('our warehouse is checking the parcel that came back to us');
      expect(waitingFor('AWAITING_INSPECTION', null, type, 'zh-CN')!.what).not.toMatch(/您寄回/);
    }
    expect(waitingFor('AWAITING_INSPECTION', null, 'RETURN_AND_REFUND', 'en')!.what).toBe(STAGE_WAITS.AWAITING_INSPECTION!.whatEn);
  });

  it('a return counted differently chooses its refund, a lost return is refunded as asked, any other wait goes on or closes', () => {
    expect(agentActions('COUNT_MISMATCH')).toEqual(['REFUND_RECEIVED', 'REFUND_REQUESTED', 'CLOSE']);
    expect(agentActions('PARCEL_LOST')).toEqual(['REFUND_REQUESTED', 'CLOSE']);
    expect(agentActions('NO_GOOD_STOCK')).toEqual(['REFUND_REQUESTED', 'CONTINUE', 'CLOSE']);
    expect(agentActions('REOPENED')).toEqual(['CONTINUE', 'CLOSE']);
  });

  it('a parcel sent to make good a problem that failed offers a refund of its goods beside a redelivery and a close; an original order parcel that failed (a delay, a tracking inquiry) does not', () => {
    expect(agentActions('REPLACEMENT_NOT_DELIVERED')).toEqual(['CONTINUE', 'REFUND_REQUESTED', 'CLOSE']);
    expect(agentActions('DELIVERY_FAILED')).toEqual(['CONTINUE', 'CLOSE']);
    expect(currentAgentActions(['RESHIPPED', 'FOLLOWING_PARCEL', 'REPLACEMENT_NOT_DELIVERED', 'AGENT_REMINDER'])).toEqual(['CONTINUE', 'REFUND_REQUESTED', 'CLOSE']);
    // Redelivered (CONTINUE) and followed again: the refund is no longer offered until it fails again.
    expect(currentAgentActions(['REPLACEMENT_NOT_DELIVERED', 'AGENT_RESOLVED', 'REDELIVERY'])).toEqual(['CONTINUE', 'CLOSE']);
    expect(currentAgentWait(['SHIPPED', 'DELIVERY_FAILED'])).toBe('DELIVERY_FAILED');
    expect(actionMeans('REPLACEMENT_NOT_DELIVERED', 'REFUND_REQUESTED')!.en).toMatch(/^refund the goods in the parcel instead, as far as the order has money left/);
    expect(actionMeans('REPLACEMENT_NOT_DELIVERED', 'REFUND_REQUESTED')!.zh).toMatch(/^改为退款/);
    expect(actionMeans('REPLACEMENT_NOT_DELIVERED', 'CONTINUE', 'MISSING_ITEMS')).toEqual(actionMeans('DELIVERY_FAILED', 'CONTINUE'));
    expect(actionMeans('DELIVERY_FAILED', 'REFUND_REQUESTED')).toBeUndefined();
    expect(AGENT_ACTIONS_EN).toContain('REPLACEMENT_NOT_DELIVERED (a parcel sent to make good a problem');
  });

  it('a lost parcel reported delivered after all says what each way out does, CLOSE too: the wait is read past the claim steps written after it', () => {
    expect(currentAgentActions(['CHOICE_REQUESTED', 'DELIVERED_AFTER_LOSS', 'ESCALATED', 'CLAIM_WITHDRAWN'])).toEqual(['CONTINUE', 'CLOSE']);
    expect(currentAgentWait(['CHOICE_REQUESTED', 'DELIVERED_AFTER_LOSS', 'ESCALATED', 'CLAIM_WITHDRAWN'])).toBe('DELIVERED_AFTER_LOSS');
    expect(actionMeans('DELIVERED_AFTER_LOSS', 'CLOSE')!.en).toBe('the customer has it: close, with nothing sent again and nothing refunded');
    expect(actionMeans('DELIVERED_AFTER_LOSS', 'CONTINUE')!.zh).toMatch(/^顾客未收到/);
    expect(AGENT_ACTIONS_EN).toContain('DELIVERED_AFTER_LOSS (a parcel given up as lost');
  });

  it('reads the current wait from the timeline: what began after the last resolution', () => {
    expect(currentAgentActions(['OPENED', 'ARRIVED', 'INSPECTED', 'COUNT_MISMATCH', 'AGENT_REMINDER'])).toEqual(agentActions('COUNT_MISMATCH'));
    // Resolved, then reopened by an unhappy revisit: a wait of its own.
    expect(currentAgentActions(['INSPECTED', 'COUNT_MISMATCH', 'AGENT_RESOLVED', 'RESOLVED', 'REOPENED'])).toEqual(['CONTINUE', 'CLOSE']);
    expect(currentAgentActions(['OPENED', 'PARCEL_LOST'])).toEqual(['REFUND_REQUESTED', 'CLOSE']);
    // No good stock, waited on for a restock, and none again: the second wait offers the refund again.
    expect(currentAgentActions(['OUTGOING_CHECK_FAILED', 'NO_GOOD_STOCK', 'AGENT_RESOLVED', 'WAREHOUSE_TASK_OPENED', 'OUTGOING_CHECK_FAILED', 'NO_GOOD_STOCK', 'AGENT_REMINDER'])).toEqual(['REFUND_REQUESTED', 'CONTINUE', 'CLOSE']);
    expect(currentAgentActions(['OUTGOING_CHECK_FAILED', 'NO_GOOD_STOCK', 'AGENT_RESOLVED', 'WAREHOUSE_TASK_OPENED'])).toEqual(['CONTINUE', 'CLOSE']);
    expect(currentAgentWait(['OUTGOING_CHECK_FAILED', 'NO_GOOD_STOCK', 'AGENT_REMINDER'])).toBe('NO_GOOD_STOCK');
    // A wait whose CONTINUE has words of its own is named; one that only goes on is not.
    expect(currentAgentWait(['OPENED', 'CUSTOMER_CAUSED', 'AGENT_REMINDER'])).toBe('CUSTOMER_CAUSED');
    expect(currentAgentWait(['OPENED', 'SOLUTION_PROPOSED', 'AGENT_REMINDER'])).toBeUndefined();
    // A reopened case's wait is named (its CONTINUE resolves it again), with the usual actions.
    expect(currentAgentWait(['OPENED', 'RESOLVED', 'REOPENED', 'AGENT_REMINDER'])).toBe('REOPENED');
    expect(currentAgentWait(['ESCALATED', 'REOPENED_ON_ESCALATION'])).toBe('REOPENED_ON_ESCALATION');
    expect(currentAgentActions(['ESCALATED', 'REOPENED_ON_ESCALATION'])).toEqual(['CONTINUE', 'CLOSE']);
  });

  it('says what CONTINUE does where "go on" would not: a goodwill refund, a refund above the cap, giving up a wait; by case type where one wait means two things', () => {
    expect(actionMeans('NOT_SHORT', 'CONTINUE', 'MISSING_ITEMS')).toEqual({ en: expect.stringMatching(/^refund the missing items anyway, as goodwill/), zh: '仍按缺货退款（善意退款）' });
    expect(actionMeans('ABOVE_CAP', 'CONTINUE', 'TRANSIT_DAMAGE')!.en).toMatch(/^refund the proposed amount anyway \(above the cap/);
    expect(actionMeans('CUSTOMER_CAUSED', 'CONTINUE', 'QUALITY_PROBLEM')!.en).toMatch(/^resolve with the explanation: nothing refunded/);
    expect(actionMeans('CUSTOMER_CAUSED', 'CONTINUE', 'TRANSIT_DAMAGE')!.en).toMatch(/remedy for its degree/);
    expect(actionMeans('CUSTOMER_CAUSED', 'CONTINUE')).toBeUndefined();
    expect(actionMeans('REOPENED', 'CONTINUE', 'RETURN_AND_REFUND')!.en).toBe('resolve it again (revisited later)');
    expect(actionMeans(undefined, 'CONTINUE')).toBeUndefined();
    expect(actionMeans('SOLUTION_PROPOSED', 'CONTINUE')).toBeUndefined();
    expect(AGENT_ACTIONS_EN).toContain('NOT_SHORT: refund the missing items anyway, as goodwill');
    expect(AGENT_ACTIONS_EN).toContain('QUALITY_PROBLEM CUSTOMER_CAUSED: resolve with the explanation');
  });

  it("says a wait's own actions in its own words, and the API's description lists every wait's actions as offered", () => {
    expect(actionMeans('COUNT_MISMATCH', 'CLOSE')).toEqual({ en: 'close without a refund, when nothing came back in good order (an empty box)', zh: '不退款，结案（仅限没有完好商品寄回，如空包裹）' });
    expect(actionMeans('NO_GOOD_STOCK', 'CONTINUE', 'EXCHANGE_RESHIPMENT')!.en).toBe('wait for the restock, then the warehouse checks again');
    expect(actionMeans('NOT_SHORT', 'CLOSE', 'MISSING_ITEMS')).toBeUndefined();
    expect(actionMeans('PARCEL_LOST', 'REFUND_RECEIVED')).toBeUndefined();
    for (const wait of ['COUNT_MISMATCH', 'PARCEL_LOST', 'NO_GOOD_STOCK', 'REPLACEMENT_NOT_DELIVERED']) {
      expect(AGENT_ACTIONS_EN).toContain(`${wait} (`);
      for (const action of agentActions(wait)) expect(actionMeans(wait, action), `${wait} ${action}`).toBeDefined();
    }
    expect(AGENT_ACTIONS_EN).toContain('PARCEL_LOST (a return lost on the way) takes REFUND_REQUESTED (refund what was asked) or CLOSE (close without a refund);');
  });

  it('has words for the CONTINUE of every agent wait a workflow starts, or its own actions (a new wait must say what going on does)', () => {
    const kinds = [...codesInWorkflows(AGENT_WAIT)];
    expect(kinds.length).toBeGreaterThan(12);
    // Waits named at run time: a tracking inquiry's by its trace's action (an agent's part of it), a reopened case's.
    const named = [...Object.values(TRACE_ACTIONS).filter((a) => a !== 'CHASE_COURIER' && a !== 'ANSWER_CUSTOMER'), 'REOPENED', 'REOPENED_ON_ESCALATION'];
    const unsaid = [...kinds, ...named].filter((k) => agentActions(k).join() === 'CONTINUE,CLOSE' && !CASE_TYPES.some((t) => actionMeans(k, 'CONTINUE', t)));
    expect(unsaid).toEqual([]);
  });

  it('says what the agent decides at a wait, beyond "how the case ends": what the wait is about, or what CONTINUE does there; in English and in Chinese', () => {
    expect(agentWaitWhat('DELIVERED_AFTER_LOSS', 'LOST_PARCEL')).toEqual({
      en: 'an agent decides how the case ends: a parcel given up as lost that its courier reports delivered before anything was sent again or refunded: confirm with the customer whether they have it (CONTINUE or CLOSE)',
      zh: '客服决定如何结案：已按丢件处理的包裹，快递又显示已签收（尚未补发或退款）：请与顾客核实是否收到',
    });
    expect(agentWaitWhat('COUNT_MISMATCH')!.en).toBe('an agent decides how the case ends: goods sent back counted differently from what was asked (REFUND_RECEIVED, REFUND_REQUESTED or CLOSE)');
    expect(agentWaitWhat('NOT_SHORT', 'MISSING_ITEMS')).toEqual({
      en: 'an agent decides how the case ends: CONTINUE (refund the missing items anyway, as goodwill (the warehouse’s records say they were sent)) or CLOSE',
      zh: '客服决定如何结案：继续（仍按缺货退款（善意退款））或结案',
    });
    // One wait, two meanings: by the case's type.
    expect(agentWaitWhat('CUSTOMER_CAUSED', 'QUALITY_PROBLEM')!.en).toContain('nothing refunded or replaced');
    expect(agentWaitWhat('CUSTOMER_CAUSED', 'TRANSIT_DAMAGE')!.en).toContain('as if the shop bore the damage');
    expect(agentWaitWhat(undefined)).toBeUndefined();
    expect(agentWaitWhat('SOLUTION_PROPOSED')).toBeUndefined();
    // Beside a form that offers the choices in its own words (the console): what the wait is about, no codes.
    expect(agentWaitAbout('COUNT_MISMATCH')).toEqual({ en: 'goods sent back counted differently from what was asked', zh: '寄回的商品数量与申请不符' });
    expect(agentWaitAbout('NOT_SHORT', 'MISSING_ITEMS')!.zh).toBe('可继续处理：仍按缺货退款（善意退款）；也可结案');
  });
});

describe('a choice said with the remedies the case offers', () => {
  it('a quality problem at a shop that does not repair offers no repair; offered one, or not known, the wait says where the shop repairs', () => {
    const noRepair = waitingFor('AWAITING_CUSTOMER_CHOICE', null, 'QUALITY_PROBLEM', 'zh-CN', undefined, ['REFUND', 'RESHIP']);
    expect(noRepair!.what).toBe('请选择退货退款或换货，往返运费由店铺承担；逾期未选择将默认退款');
    expect(waitingFor('AWAITING_CUSTOMER_CHOICE', null, 'QUALITY_PROBLEM', 'staff', undefined, ['REFUND', 'RESHIP'])!.what).not.toContain('REPAIR');
    expect(waitingFor('AWAITING_CUSTOMER_CHOICE', null, 'QUALITY_PROBLEM', 'en', undefined, ['REFUND', 'RESHIP', 'REPAIR'])!.what).toContain('a repair');
    expect(waitingFor('AWAITING_CUSTOMER_CHOICE', null, 'QUALITY_PROBLEM', 'zh-CN')!.what).toBe(TYPE_WAITS.QUALITY_PROBLEM!.AWAITING_CUSTOMER_CHOICE!.whatZh);
    // Other types' choices never offered one.
    expect(waitingFor('AWAITING_CUSTOMER_CHOICE', null, 'MISSING_ITEMS', 'zh-CN', undefined, ['REFUND', 'RESHIP'])!.what).toBe(TYPE_WAITS.MISSING_ITEMS!.AWAITING_CUSTOMER_CHOICE!.whatZh);
  });
});

describe('goodsAskedBack: whether a case may take a returned parcel yet', () => {
  it('not while it is still deciding whether the goods come back; from then on, and for types that never ask, yes', () => {
    expect(goodsAskedBack('RETURN_AND_REFUND', 'AWAITING_DECISION')).toBe(false);
    expect(goodsAskedBack('WRONG_ITEM', 'AWAITING_CUSTOMER_CHOICE')).toBe(false);
    expect(goodsAskedBack('RETURN_AND_REFUND', 'AWAITING_ARRIVAL')).toBe(true);
    expect(goodsAskedBack('TRANSIT_DAMAGE', 'AWAITING_RETURN_SHIPMENT')).toBe(true);
    // An exchange asks for the old goods once its replacement went out first and arrived, or at once: not before.
    expect(goodsAskedBack('EXCHANGE_RESHIPMENT', 'OPENED')).toBe(false);
    expect(goodsAskedBack('EXCHANGE_RESHIPMENT', 'SHIPPED')).toBe(false);
    expect(goodsAskedBack('EXCHANGE_RESHIPMENT', 'AWAITING_RETURN_SHIPMENT')).toBe(true);
    expect(goodsAskedBack('COMPLAINT', 'OPENED')).toBe(true);
  });
});

describe('the actions only a supervisor takes', () => {
  it('paying a refund above the cap is a supervisor’s; closing it, and going on at any other wait, is anyone’s', () => {
    expect(isSupervisorsAction('ABOVE_CAP', 'CONTINUE')).toBe(true);
    expect(isSupervisorsAction('ABOVE_CAP', 'CLOSE')).toBe(false);
    expect(isSupervisorsAction('NOT_SHORT', 'CONTINUE')).toBe(false);
    expect(isSupervisorsAction(undefined, 'CONTINUE')).toBe(false);
    // A step kind that happens to name an object's own property is not a wait.
    expect(isSupervisorsAction('toString', 'CONTINUE')).toBe(false);
  });
});
