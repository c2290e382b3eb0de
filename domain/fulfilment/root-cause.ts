/**
 * Root causes of wrong and missing shipments (002 PART03: 发错货物的原因), recorded on every wrong-item
 * case so that 004 §二.4 can hold the responsible person to account and improve the process, and
 * so the causes can be counted by category (docs/after-sales.md "Figures").
 */
import type { Problem } from '../return-refund.js';
import type { Names } from '../case-types.js';
import { checkText } from './common.js';

export const ROOT_CAUSES = {
  /** 仓库原因 */
  WAREHOUSE: {
    INBOUND_LOCATION: { 'zh-CN': '货物入库错误（放错库位）', en: 'Stored in the wrong location on inbound' },
    OUTBOUND_LOCATION: { 'zh-CN': '货物出库错误（放错出库位）', en: 'Put in the wrong outbound location' },
    STOCKTAKE: { 'zh-CN': '货物盘点错误', en: 'Stocktake recorded wrongly' },
    LABEL: { 'zh-CN': '货物标签错误', en: 'Wrong label on the goods' },
  },
  /** 运输原因 */
  TRANSPORT: {
    DAMAGE_OR_LOSS: { 'zh-CN': '运输中损坏或丢失', en: 'Damaged or lost in transit' },
    MISDELIVERY: { 'zh-CN': '运输中误送或错送', en: 'Delivered to the wrong place' },
    DELAY: { 'zh-CN': '运输中延误或滞留', en: 'Delayed or held in transit' },
    MISSORT: { 'zh-CN': '运输中错分或错装', en: 'Missorted or misloaded' },
  },
  /** 订单原因 */
  ORDER: {
    CUSTOMER_ENTRY: { 'zh-CN': '客户下单时填写错误', en: 'Customer entered the order wrongly' },
    AGENT_ENTRY: { 'zh-CN': '客服人员录入错误', en: 'Agent entered the order wrongly' },
    SYSTEM: { 'zh-CN': '系统自动生成错误', en: 'Generated wrongly by the system' },
    PICKING: { 'zh-CN': '仓库拣货错误', en: 'Picked wrongly in the warehouse' },
    DELIVERY: { 'zh-CN': '物流配送错误', en: 'Delivered wrongly by logistics' },
  },
  /** 供应商原因 */
  SUPPLIER: {
    OPERATION: { 'zh-CN': '供应商操作失误', en: 'Supplier did not follow the order' },
    STOCK_MANAGEMENT: { 'zh-CN': '供应商库存管理不当', en: "Supplier's stock management" },
    LOGISTICS: { 'zh-CN': '供应商物流管理不当', en: "Supplier's logistics management" },
    COMMUNICATION: { 'zh-CN': '供应商沟通不畅', en: 'Supplier did not confirm the goods' },
  },
  /** 人员原因 */
  PEOPLE: {
    PICKER: { 'zh-CN': '发货人员选错商品', en: 'Shipper chose the wrong goods' },
    PACKER: { 'zh-CN': '包装人员放错商品', en: 'Packer packed the wrong goods' },
    DISPATCHER: { 'zh-CN': '物流人员发错客户', en: 'Dispatcher sent to the wrong customer' },
    RECEIVER: { 'zh-CN': '客户错误地接收了商品', en: 'Customer accepted the wrong goods' },
  },
} as const satisfies Record<string, Record<string, Names>>;

export type RootCauseCategory = keyof typeof ROOT_CAUSES;
export type SubCause<C extends RootCauseCategory = RootCauseCategory> = C extends RootCauseCategory ? keyof (typeof ROOT_CAUSES)[C] : never;
export const ROOT_CAUSE_CATEGORIES = Object.keys(ROOT_CAUSES) as RootCauseCategory[];

export const ROOT_CAUSE_CATEGORY_NAMES: Readonly<Record<RootCauseCategory, Names>> = {
  WAREHOUSE: { 'zh-CN': '仓库原因', en: 'Warehouse' },
  TRANSPORT: { 'zh-CN': '运输原因', en: 'Transport' },
  ORDER: { 'zh-CN': '订单原因', en: 'Order' },
  SUPPLIER: { 'zh-CN': '供应商原因', en: 'Supplier' },
  PEOPLE: { 'zh-CN': '人员原因', en: 'People' },
};

/** Who answers for a cause: the courier (→ claim), the customer (→ explain), or a part of the shop. */
export type ResponsibleParty = 'WAREHOUSE' | 'COURIER' | 'CUSTOMER' | 'CUSTOMER_SERVICE' | 'SYSTEM' | 'SUPPLIER' | 'LOGISTICS';

const isCategory = (c: unknown): c is RootCauseCategory => typeof c === 'string' && Object.hasOwn(ROOT_CAUSES, c);

/** Problems with a category / sub-cause pair: both known, and the sub-cause one of its category's. */
export function validateRootCause(category: unknown, subCause: unknown): Problem[] {
  if (!isCategory(category)) return [{ field: 'rootCause.category', reason: `must be one of ${ROOT_CAUSE_CATEGORIES.join(', ')}, got ${JSON.stringify(category)}` }];
  const subs = Object.keys(ROOT_CAUSES[category]);
  if (typeof subCause !== 'string' || !subs.includes(subCause)) {
    return [{ field: 'rootCause.subCause', reason: `must be one of ${category}'s ${subs.join(', ')}, got ${JSON.stringify(subCause)}` }];
  }
  return [];
}

/** The zh / en name of a sub-cause (validate first). */
export function rootCauseName(category: RootCauseCategory, subCause: SubCause): Names {
  return (ROOT_CAUSES[category] as Record<string, Names>)[subCause as string];
}

/**
 * Who is responsible (004 §二.4 对导致错发的责任人进行相应处罚): transport and 物流配送错误 are the
 * courier's (claim under the contract); a customer's own entry or acceptance is the customer's;
 * picking, packing and every warehouse cause the warehouse's; an agent's entry customer service's;
 * the dispatcher the shop's logistics department.
 */
export function responsibleParty(category: RootCauseCategory, subCause: SubCause): ResponsibleParty {
  switch (category) {
    case 'WAREHOUSE':
      return 'WAREHOUSE';
    case 'TRANSPORT':
      return 'COURIER';
    case 'SUPPLIER':
      return 'SUPPLIER';
    case 'ORDER':
      return ({ CUSTOMER_ENTRY: 'CUSTOMER', AGENT_ENTRY: 'CUSTOMER_SERVICE', SYSTEM: 'SYSTEM', PICKING: 'WAREHOUSE', DELIVERY: 'COURIER' } as const)[subCause as SubCause<'ORDER'>];
    case 'PEOPLE':
      return ({ PICKER: 'WAREHOUSE', PACKER: 'WAREHOUSE', DISPATCHER: 'LOGISTICS', RECEIVER: 'CUSTOMER' } as const)[subCause as SubCause<'PEOPLE'>];
  }
}

/** Parties inside the shop: a named responsible person and a process improvement are recorded (004 §二.4). */
export const isInternalParty = (p: ResponsibleParty) => p === 'WAREHOUSE' || p === 'CUSTOMER_SERVICE' || p === 'SYSTEM' || p === 'LOGISTICS';

/** Whether this cause is the shop's own, so that its record names the responsible person and the improvement (forms ask for them). */
export const needsAccountability = (category: string, subCause: string): boolean =>
  validateRootCause(category, subCause).length === 0 && isInternalParty(responsibleParty(category as RootCauseCategory, subCause as SubCause));

/** The causes that need them, as `CATEGORY.SUB_CAUSE` (the API's description lists them). */
export const ACCOUNTABLE_CAUSES: readonly string[] = Object.entries(ROOT_CAUSES).flatMap(([c, subs]) => Object.keys(subs).filter((s) => needsAccountability(c, s)).map((s) => `${c}.${s}`));

export interface RootCauseRecord {
  category: RootCauseCategory;
  subCause: SubCause;
  /** Who made the mistake, for internal causes. Never the customer's personal data. */
  responsiblePerson?: string;
  /** What changes so it does not happen again (004 §二.4 完善公司内部发货流程和审核机制). */
  improvement?: string;
}

/** The whole record: a valid cause; for internal causes also the responsible person and the improvement. */
export function validateRootCauseRecord(record: RootCauseRecord): Problem[] {
  const problems = validateRootCause(record?.category, record?.subCause);
  if (problems.length) return problems;
  if (needsAccountability(record.category, record.subCause)) {
    problems.push(...checkText(record.responsiblePerson, 'rootCause.responsiblePerson', 100), ...checkText(record.improvement, 'rootCause.improvement'));
  }
  return problems;
}

/** The case types whose root cause is found and counted: wrong and missing shipments (002 错发漏发). */
export const ROOT_CAUSE_CASE_TYPES: readonly string[] = ['WRONG_ITEM', 'MISSING_ITEMS'];
