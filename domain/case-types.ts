/**
 * The twelve kinds of after-sales case (docs/after-sales.md "Case types") and the statuses a case moves
 * through. Codes match the database enums (prisma/schema.prisma CaseType, CaseStatus); names are
 * for people, in the two languages the storefront speaks.
 */

export const CASE_TYPES = [
  'TRACKING_INQUIRY',
  'MISSING_ITEMS',
  'LOST_PARCEL',
  'WRONG_ITEM',
  'TRANSIT_DAMAGE',
  'QUALITY_PROBLEM',
  'DELAY',
  'REFUND_NOT_SHIPPED',
  'REFUND_SHIPPED',
  'RETURN_AND_REFUND',
  'EXCHANGE_RESHIPMENT',
  'COMPLAINT',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export interface Names {
  'zh-CN': string;
  en: string;
}

export const CASE_TYPE_NAMES: Readonly<Record<CaseType, Names>> = {
  TRACKING_INQUIRY: { 'zh-CN': '查件 / 催件', en: 'Tracking inquiry / delivery chase' },
  MISSING_ITEMS: { 'zh-CN': '少货', en: 'Missing items' },
  LOST_PARCEL: { 'zh-CN': '货物丢失', en: 'Lost parcel' },
  WRONG_ITEM: { 'zh-CN': '错货', en: 'Wrong item' },
  TRANSIT_DAMAGE: { 'zh-CN': '运输破损', en: 'Damaged in transit' },
  QUALITY_PROBLEM: { 'zh-CN': '质量问题', en: 'Quality problem' },
  DELAY: { 'zh-CN': '物流延误', en: 'Delivery delay' },
  REFUND_NOT_SHIPPED: { 'zh-CN': '仅退款（未发货）', en: 'Refund only (not shipped)' },
  REFUND_SHIPPED: { 'zh-CN': '仅退款（已发货）', en: 'Refund only (already shipped)' },
  RETURN_AND_REFUND: { 'zh-CN': '退货退款', en: 'Return and refund' },
  EXCHANGE_RESHIPMENT: { 'zh-CN': '换货 / 补发', en: 'Exchange / re-shipment' },
  COMPLAINT: { 'zh-CN': '投诉维权', en: 'Complaint / escalation' },
};

/**
 * Who or what the case waits for; the workflow's precise step is its `stage`. Only RESOLVED can
 * go back (a revisit scored ≤ 2 reopens it); CLOSED is final.
 */
export const CASE_STATUSES = [
  'OPEN',
  'WAITING_CUSTOMER',
  'WAITING_AGENT',
  'WAITING_WAREHOUSE',
  'WAITING_COURIER',
  'WAITING_REPAIR',
  'WAITING_FINANCE',
  'RESOLVED',
  'CLOSED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_NAMES: Readonly<Record<CaseStatus, Names>> = {
  OPEN: { 'zh-CN': '处理中', en: 'Open' },
  WAITING_CUSTOMER: { 'zh-CN': '等待顾客', en: 'Waiting for the customer' },
  WAITING_AGENT: { 'zh-CN': '等待客服', en: 'Waiting for an agent' },
  WAITING_WAREHOUSE: { 'zh-CN': '等待仓库', en: 'Waiting for the warehouse' },
  WAITING_COURIER: { 'zh-CN': '等待快递', en: 'Waiting for the courier' },
  WAITING_REPAIR: { 'zh-CN': '等待维修', en: 'Waiting for repair' },
  WAITING_FINANCE: { 'zh-CN': '等待财务', en: 'Waiting for finance' },
  RESOLVED: { 'zh-CN': '已解决（待回访）', en: 'Resolved (revisit pending)' },
  CLOSED: { 'zh-CN': '已关闭', en: 'Closed' },
};

/**
 * Why a case closed, as the workflows record it (closeReason) — every code but an agent's close,
 * which records the agent's note: anyone may read these; the note is the staff's. Kept complete by
 * a test that scans the workflows.
 */
export const CLOSE_REASONS = ['SATISFIED', 'REVISIT_UNANSWERED', 'NOT_SHIPPED', 'WITHDRAWN', 'REJECTED', 'DECLINED', 'ALREADY_SHIPPED', 'DELIVERED_USE_RETURN', 'EXPLAINED'] as const;

/**
 * Why a case closed, as words a customer reads (the storefront shows them beside the stage): each
 * of CLOSE_REASONS, and CLOSED_BY_AGENT, which is how an agent's close reads to anyone outside the
 * staff (the staff read the agent's note there, which names itself).
 */
export const CLOSE_REASON_NAMES: Readonly<Record<(typeof CLOSE_REASONS)[number] | 'CLOSED_BY_AGENT', Names>> = {
  SATISFIED: { 'zh-CN': '顾客满意', en: 'Customer satisfied' },
  REVISIT_UNANSWERED: { 'zh-CN': '回访未回复', en: 'Revisit unanswered' },
  NOT_SHIPPED: { 'zh-CN': '未发货', en: 'Not shipped' },
  WITHDRAWN: { 'zh-CN': '顾客撤销申请', en: 'Withdrawn by the customer' },
  REJECTED: { 'zh-CN': '申请未通过', en: 'Request rejected' },
  DECLINED: { 'zh-CN': '顾客不接受方案', en: 'The customer declined' },
  ALREADY_SHIPPED: { 'zh-CN': '订单已发货', en: 'Already shipped' },
  DELIVERED_USE_RETURN: { 'zh-CN': '已签收，改走退货', en: 'Delivered: a return instead' },
  EXPLAINED: { 'zh-CN': '已向顾客解释', en: 'Explained to the customer' },
  CLOSED_BY_AGENT: { 'zh-CN': '客服已结案', en: 'Closed by customer service' },
};

/**
 * Names of the stages the workflows move a case through (`session.enter('…')` in workflows/, and
 * OPENED, where every case starts), for people reading the daily register. Stages are workflow
 * codes, not a database enum, so the table is kept complete by a test that scans the workflows: a
 * new stage without a name here fails it. A stage not found here is shown as its code.
 */
export const CASE_STAGE_NAMES: Readonly<Record<string, Names>> = {
  OPENED: { 'zh-CN': '已受理', en: 'Opened' },
  AWAITING_DECISION: { 'zh-CN': '待客服审核', en: 'Awaiting a decision' },
  AWAITING_MERCHANT: { 'zh-CN': '待商家确认', en: 'Awaiting the merchant' },
  AWAITING_CUSTOMER_CONSENT: { 'zh-CN': '待顾客同意方案', en: "Awaiting the customer's consent" },
  AWAITING_CUSTOMER_CHOICE: { 'zh-CN': '待顾客选择方案', en: "Awaiting the customer's choice" },
  AWAITING_RETURN_SHIPMENT: { 'zh-CN': '待顾客寄回', en: 'Awaiting the return shipment' },
  AWAITING_ARRIVAL: { 'zh-CN': '待退货到仓', en: 'Awaiting the return at the warehouse' },
  AWAITING_INTERCEPTED_PARCEL: { 'zh-CN': '待拦截包裹退回', en: 'Awaiting the intercepted parcel' },
  AWAITING_SUBSTITUTE_RETURN: { 'zh-CN': '待归还备用商品', en: 'Awaiting the loaned product back' },
  AWAITING_SUBSTITUTE_INSPECTION: { 'zh-CN': '待验收备用商品', en: 'Awaiting inspection of the loaned product' },
  AWAITING_INSPECTION: { 'zh-CN': '待仓库验货', en: 'Awaiting inspection' },
  AWAITING_WAREHOUSE_CHECK: { 'zh-CN': '待仓库核查', en: 'Awaiting the warehouse check' },
  AWAITING_VERIFICATION: { 'zh-CN': '待仓库核实错发', en: 'Awaiting verification of the wrong item' },
  AWAITING_DISPATCH_CONFIRMATION: { 'zh-CN': '待仓库确认发货', en: 'Awaiting dispatch confirmation' },
  AWAITING_RESHIPMENT: { 'zh-CN': '待补发', en: 'Awaiting re-shipment' },
  AWAITING_DISPATCH: { 'zh-CN': '待发货', en: 'Awaiting dispatch' },
  AWAITING_OUTGOING_CHECK: { 'zh-CN': '待出库检验', en: 'Awaiting the outgoing check' },
  AWAITING_REPAIR: { 'zh-CN': '待维修', en: 'Awaiting repair' },
  AWAITING_PROMISED_SHIPPING: { 'zh-CN': '待按承诺时间发货', en: 'Awaiting shipping by the promised time' },
  AWAITING_PAYMENT: { 'zh-CN': '待顾客补差价', en: 'Awaiting payment of the difference' },
  AWAITING_ASSESSMENT: { 'zh-CN': '待定损', en: 'Awaiting the damage assessment' },
  AWAITING_MISUSE_CHECK: { 'zh-CN': '待判定是否人为损坏', en: 'Awaiting the misuse check' },
  AWAITING_DELAY_CAUSE: { 'zh-CN': '待查明延误原因', en: 'Awaiting the cause of the delay' },
  AWAITING_ROOT_CAUSE: { 'zh-CN': '待填写错发原因', en: 'Awaiting the root cause' },
  AWAITING_RESOLUTION: { 'zh-CN': '待处理投诉', en: 'Awaiting the resolution' },
  AWAITING_AGENT: { 'zh-CN': '待客服处理', en: 'Awaiting an agent' },
  AWAITING_REVISIT: { 'zh-CN': '待回访', en: 'Awaiting the revisit' },
  REFUNDING: { 'zh-CN': '退款中', en: 'Refunding' },
  FOLLOWING: { 'zh-CN': '物流跟进中', en: 'Following the parcel' },
  SHIPPED: { 'zh-CN': '已发出', en: 'Shipped' },
  RESHIPPED: { 'zh-CN': '已补发', en: 'Re-shipped' },
  RESOLVED: { 'zh-CN': '已解决', en: 'Resolved' },
  CLOSED: { 'zh-CN': '已关闭', en: 'Closed' },
};

/**
 * The types whose procedure takes goods back (workflows/take-back.ts): their row's tracking number is
 * the return parcel's, until a parcel sent to the customer after it. The others name the parcel they
 * follow there (a lost parcel, a re-shipment), and a refund before shipping the order's own parcel
 * once it found it shipped and has it brought back.
 */
export const TAKES_GOODS_BACK: readonly CaseType[] = ['RETURN_AND_REFUND', 'REFUND_SHIPPED', 'EXCHANGE_RESHIPMENT', 'QUALITY_PROBLEM', 'TRANSIT_DAMAGE', 'WRONG_ITEM'];

export const isCaseType = (v: unknown): v is CaseType => CASE_TYPES.includes(v as CaseType);
export const isCaseStatus = (v: unknown): v is CaseStatus => CASE_STATUSES.includes(v as CaseStatus);
export const isFinalStatus = (s: CaseStatus) => s === 'CLOSED';

/** The name of a code in `locale` where `table` knows it; the code itself otherwise (the API's views, the register's files). */
export function nameOf(table: Readonly<Record<string, Names>>, code: string, locale: keyof Names): string {
  return Object.hasOwn(table, code) ? table[code]![locale] : code;
}

export function caseTypeName(type: CaseType, locale: keyof Names): string {
  return CASE_TYPE_NAMES[type][locale];
}
