/**
 * The reasons the platform's own rules give in a decision (`values.reason`: why a return goes to an
 * agent or is refused, why a wrong item is a gift), in each customer locale. The customer reads them
 * on their case (api/customer-view.ts keeps `reason` of a decision's values), so a zh-CN customer
 * must read them in Chinese; the staff read the English, which is what the decisions record.
 *
 * The table is keyed by the rule that gives the reason: the rule name is the stable code every
 * stored decision carries, so cases decided before the table existed read in Chinese too. The rules
 * write their English from here (`ruleReason`), so a sentence and its translation cannot drift
 * apart, and a rule cannot give a reason the table does not know without a test saying so
 * (test/domain/decision-reasons.test.ts reads domain/ and workflows/ for them).
 *
 * Reasons that are not a rule's own words are shown as recorded, in no table: a staff member's
 * words to the customer (`agentDecision`, `merchantDecision`: the reason an agent typed for a
 * refusal or a changed proposal), a carrier's refusal of an exchange's parcel as the carrier sent
 * it (`backupCarrier`), and the customer's own choice of reason code (a refund before shipping's
 * NO_LONGER_WANTED …, a code the storefront labels in its own words).
 */
import type { DisplayLocale } from './money.js';

/** Each text is rendered from the values of the decision that gives it. */
const texts = <V extends Record<string, unknown> = Record<never, never>>(en: (v: V) => string, zh: (v: V) => string) => ({ en, 'zh-CN': zh });

const RULE_REASONS = {
  validReturnRequest: texts(
    () => 'the return request is invalid',
    () => '退货申请信息有误',
  ),
  deliveredBeforeReturn: texts(
    () => 'the order has not been delivered',
    () => '订单尚未签收',
  ),
  noReasonReturnDays: texts<{ noReasonReturnDays: number }>(
    (v) => `more than ${v.noReasonReturnDays} days since delivery`,
    (v) => `已超过签收后${v.noReasonReturnDays}天的无理由退货期限`,
  ),
  autoApproveReturnMaxAmountMinor: texts(
    () => 'above the amount policy approves alone',
    () => '退货金额超出自动审核额度，需客服审核',
  ),
  wrongItemGift: texts(
    () => 'nothing ordered is missing',
    () => '您订购的商品没有缺少，无需补发',
  ),
};

/** The rules that give a reason of their own. */
export type ReasonRule = keyof typeof RULE_REASONS;
export const REASON_RULES = Object.keys(RULE_REASONS) as ReasonRule[];

type ValuesOf<R extends ReasonRule> = Parameters<(typeof RULE_REASONS)[R]['en']>[0];
type Texts = Record<DisplayLocale, (v: Readonly<Record<string, unknown>>) => string>;

/**
 * The reason `rule` gives, in English: what its decision records as `values.reason`. `values` are
 * the decision's own values the sentence names (e.g. `noReasonReturnDays`), so the reason can be
 * read again in another language from the stored decision alone.
 */
export function ruleReason<R extends ReasonRule>(rule: R, ...values: Record<never, never> extends ValuesOf<R> ? [] : [ValuesOf<R>]): string {
  return (RULE_REASONS[rule] as unknown as Texts).en(values[0] ?? {});
}

/**
 * A decision's `values.reason` as a reader in `locale` reads it: a rule's own reason in that
 * language; anything else as recorded — a staff member's words, the customer's reason code, and
 * a text the rule did not write from this table for these values (never guessed at).
 */
export function decisionReason(decision: { rule?: unknown; values?: unknown }, locale: DisplayLocale): unknown {
  const values = (typeof decision.values === 'object' && decision.values !== null ? decision.values : {}) as Readonly<Record<string, unknown>>;
  const recorded = values.reason;
  if (typeof recorded !== 'string' || typeof decision.rule !== 'string' || !Object.hasOwn(RULE_REASONS, decision.rule)) return recorded;
  const t = RULE_REASONS[decision.rule as ReasonRule] as unknown as Texts;
  return t.en(values) === recorded ? t[locale](values) : recorded;
}
