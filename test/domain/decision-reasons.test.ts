/**
 * The reasons the rules give in a decision, as the customer reads them (domain/decision-reasons.ts):
 * in Chinese for a zh-CN customer, in English — as the decisions record them — otherwise; and no
 * rule in domain/ or workflows/ gives a reason of its own that the table cannot translate.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decideDiscountRefused, type WrongItemCase } from '../../domain/fulfilment/index.js';
import { decideReturnApproval, decisionReason, defaultPolicy, REASON_RULES, ruleReason, type Decision, type OrderSnapshot, type Policy } from '../../domain/index.js';
import { order as wrongItemOrder, policy as fulfilmentPolicy } from './fulfilment/fixtures.js';

const DAY = 86_400_000;
const DELIVERED = Date.parse('2026-03-02T15:00:00+08:00');
const order: OrderSnapshot = {
  orderId: 'o-1',
  currency: 'CNY',
  items: [{ sku: 'LAMP', name: '台灯', quantity: 1, unitPriceMinor: 150_000, unitCostMinor: 90_000 }],
  shippingFeeMinor: 1000,
  paidTotalMinor: 151_000,
  shippedAt: DELIVERED - 2 * DAY,
  deliveredAt: DELIVERED,
};
const policy: Policy = defaultPolicy(4);
const withRules = (rules: Partial<Policy['rules']>): Policy => ({ ...policy, rules: { ...policy.rules, ...rules } });
const lamp = (reason: 'NO_REASON' | 'DEFECTIVE' = 'NO_REASON') => ({ lines: [{ sku: 'LAMP', quantity: 1, reason }] });
const wrong: WrongItemCase = { shortShipped: [], overShipped: [{ sku: 'MUG-RED', quantity: 1, unitPriceMinor: 2000, unitCostMinor: 800 }], returnShippingCostMinor: 1000, alreadyRefundedMinor: 0 };

/** Every decision a rule of domain/ gives with a reason of its own, with the Chinese its customer reads. */
const decided: Array<[Decision, string, string]> = [
  [decideReturnApproval(policy, order, { lines: [] }, DELIVERED + DAY), 'the return request is invalid', '退货申请信息有误'],
  [decideReturnApproval(policy, { ...order, deliveredAt: undefined }, lamp(), DELIVERED), 'the order has not been delivered', '订单尚未签收'],
  [decideReturnApproval(withRules({ outsideWindowAction: 'REJECT' }), order, lamp(), DELIVERED + 12 * DAY), 'more than 7 days since delivery', '已超过签收后7天的无理由退货期限'],
  [decideReturnApproval(withRules({ noReasonReturnDays: 15 }), order, lamp(), DELIVERED + 20 * DAY), 'more than 15 days since delivery', '已超过签收后15天的无理由退货期限'],
  [decideReturnApproval(withRules({ autoApproveReturnMaxAmountMinor: 100_000 }), order, lamp('DEFECTIVE'), DELIVERED + DAY), 'above the amount policy approves alone', '退货金额超出自动审核额度，需客服审核'],
  [decideDiscountRefused(fulfilmentPolicy, wrongItemOrder, wrong, 'RESHIP'), 'nothing ordered is missing', '您订购的商品没有缺少，无需补发'],
];

describe('decisionReason: a rule’s reason in the reader’s locale', () => {
  it.each(decided)('%#: %s', (decision, en, zh) => {
    expect(decision.values.reason).toBe(en); // what the decision records, and the staff read, as before
    expect(decisionReason(decision, 'en')).toBe(en);
    expect(decisionReason(decision, 'zh-CN')).toBe(zh);
  });

  it('every rule of the table is decided above: none is left untried', () => {
    expect(new Set(decided.map(([d]) => d.rule))).toEqual(new Set(REASON_RULES));
  });

  it('reads a decision stored before the table from its rule and values (the same English)', () => {
    const stored = { rule: 'noReasonReturnDays', outcome: 'NEEDS_AGENT', policyVersion: 1, values: { noReasonReturnDays: 7, deliveredAt: DELIVERED, reason: 'more than 7 days since delivery' } };
    expect(decisionReason(stored, 'zh-CN')).toBe('已超过签收后7天的无理由退货期限');
  });

  it('shows what is not a rule’s own reason as recorded: staff’s words, the customer’s reason code, a text the rule did not write', () => {
    expect(decisionReason({ rule: 'agentDecision', values: { reason: '照片显示商品已使用' } }, 'zh-CN')).toBe('照片显示商品已使用');
    expect(decisionReason({ rule: 'merchantDecision', values: { reason: 'already packed, sorry' } }, 'zh-CN')).toBe('already packed, sorry');
    expect(decisionReason({ rule: 'refundBeforeShipping', values: { reason: 'NO_LONGER_WANTED' } }, 'zh-CN')).toBe('NO_LONGER_WANTED');
    // The rule's name, but not its sentence for these values: not guessed at.
    expect(decisionReason({ rule: 'noReasonReturnDays', values: { noReasonReturnDays: 7, reason: 'more than 9 days since delivery' } }, 'zh-CN')).toBe('more than 9 days since delivery');
    expect(decisionReason({ rule: 'toString', values: { reason: 'x' } }, 'zh-CN')).toBe('x');
    expect(decisionReason({ rule: 'deliveredBeforeReturn', values: {} }, 'zh-CN')).toBeUndefined();
    expect(decisionReason({ rule: 'deliveredBeforeReturn', values: null }, 'zh-CN')).toBeUndefined();
  });

  it('ruleReason gives the English the decisions record', () => {
    expect(ruleReason('noReasonReturnDays', { noReasonReturnDays: 30 })).toBe('more than 30 days since delivery');
    expect(ruleReason('deliveredBeforeReturn')).toBe('the order has not been delivered');
  });
});

/**
 * Every `reason` a decision is given in domain/ and workflows/ — in the values of a `decision(…)`,
 * `session.decision(…)` or return-refund's `decide(…)` — comes from the table (`ruleReason(…)`),
 * or is one of the few that are not the rules' words and are shown as written. A new reason
 * written as a sentence fails here: add it to domain/decision-reasons.ts with its Chinese.
 * (A refund before shipping's decisions carry the customer's reason code, `NO_LONGER_WANTED` …, in
 * values built before the call: a code the storefront labels, not a sentence, so not scanned.)
 */
const NOT_THE_RULES_WORDS: Record<string, string> = {
  // The merchant's agent refuses a refund before shipping in their own words, to this customer.
  'workflows/refund-not-shipped.ts answer!.reason': 'merchantDecision',
  // An agent's proposal or refusal of a return, in their own words, to this customer.
  'workflows/return-refund.ts proposal.reason': 'agentDecision',
  // The carrier's refusal of an exchange's parcel (the carrierRefused signal), as the carrier sent it.
  'workflows/exchange.ts reason': 'backupCarrier',
};

function sources(dir: string): Array<[string, string]> {
  const root = new URL(`../../${dir}/`, import.meta.url);
  return (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => [`${dir}/${f}`, readFileSync(new URL(f, root), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')]);
}

/** The text between the parentheses of the call whose `(` is at `open`, strings skipped. */
function argumentsAt(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      for (i++; i < source.length && source[i] !== ch; i++) if (source[i] === '\\') i++;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return source.slice(open + 1, i);
  }
  return source.slice(open + 1);
}

describe('every reason a decision is given has its translation', () => {
  const files = [...sources('domain'), ...sources('workflows')];
  const reasons = files.flatMap(([file, source]) =>
    [...source.matchAll(/\b(?:decision|decide)\(/g)].flatMap((call) =>
      [...argumentsAt(source, call.index + call[0].length - 1).matchAll(/(?<![\w.$])reason\s*(?::\s*([^,}]+?))?\s*(?=[,}])/g)].map((m) => ({ file, value: m[1] ?? 'reason' })),
    ),
  );

  it('finds the reasons the rules and workflows give (the scan sees them)', () => {
    expect(reasons.filter((r) => r.value.startsWith('ruleReason(')).map((r) => r.file)).toEqual(expect.arrayContaining(['domain/return-refund.ts', 'domain/fulfilment/wrong-item.ts']));
    expect(reasons.map((r) => `${r.file} ${r.value}`)).toEqual(expect.arrayContaining(Object.keys(NOT_THE_RULES_WORDS)));
  });

  it('each comes from domain/decision-reasons.ts, or is someone’s own words shown as written', () => {
    const untranslated = reasons.filter((r) => !r.value.startsWith('ruleReason(') && !(`${r.file} ${r.value}` in NOT_THE_RULES_WORDS));
    expect(untranslated).toEqual([]);
  });
});
