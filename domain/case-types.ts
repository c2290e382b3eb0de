/**
 * The twelve kinds of after-sales case (DOMAIN.md "Case types") and the statuses a case moves
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

export const isCaseType = (v: unknown): v is CaseType => CASE_TYPES.includes(v as CaseType);
export const isCaseStatus = (v: unknown): v is CaseStatus => CASE_STATUSES.includes(v as CaseStatus);
export const isFinalStatus = (s: CaseStatus) => s === 'CLOSED';

export function caseTypeName(type: CaseType, locale: keyof Names): string {
  return CASE_TYPE_NAMES[type][locale];
}
