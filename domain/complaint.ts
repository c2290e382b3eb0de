/**
 * Complaints (投诉维权, docs/after-sales.md §12; 003 §6, 004 §五.2): recorded, classified and prioritised;
 * difficult ones go to a supervisor at once; each priority has a fixed handling time; the shop's
 * faults get an apology and a plan; the cause is analysed before the case can be resolved.
 */
import { decision, type Decision, type Policy } from './policy.js';

export type ComplaintCategory = 'SERVICE_ATTITUDE' | 'PRODUCT_QUALITY' | 'LOGISTICS' | 'REFUND_DELAY' | 'WRONG_INFORMATION' | 'PRIVACY' | 'OTHER';
export const COMPLAINT_CATEGORIES: readonly ComplaintCategory[] = ['SERVICE_ATTITUDE', 'PRODUCT_QUALITY', 'LOGISTICS', 'REFUND_DELAY', 'WRONG_INFORMATION', 'PRIVACY', 'OTHER'];
export type ComplaintPriority = 'URGENT' | 'HIGH' | 'NORMAL';

export interface ComplaintFacts {
  category: ComplaintCategory;
  /** The customer threatens a bad review, the media, a regulator or a lawsuit (维权). */
  threatensEscalation: boolean;
  /** The customer complained about this order before. */
  repeat: boolean;
}

/**
 * Priority: a privacy breach or a threat to go public or to a regulator is URGENT (and a difficult
 * case: a supervisor at once, 003 §6 疑难问题立即上报); a repeat complaint or one about money
 * (refund delay) or the product is HIGH; the rest NORMAL.
 */
export function prioritiseComplaint(policy: Policy, f: ComplaintFacts): Decision {
  // The facts the rule reads, not whatever else the caller's object holds (a workflow passes its whole input).
  const values = { category: f.category, threatensEscalation: f.threatensEscalation, repeat: f.repeat };
  if (f.category === 'PRIVACY' || f.threatensEscalation) return decision(policy, 'complaintPriority', { ...values, difficult: true }, 'URGENT');
  if (f.repeat || f.category === 'REFUND_DELAY' || f.category === 'PRODUCT_QUALITY') return decision(policy, 'complaintPriority', { ...values, difficult: false }, 'HIGH');
  return decision(policy, 'complaintPriority', { ...values, difficult: false }, 'NORMAL');
}

/** The fixed handling time of a priority, in hours (policy). */
export function complaintHandlingHours(policy: Policy, priority: ComplaintPriority): number {
  const r = policy.rules;
  return priority === 'URGENT' ? r.complaintUrgentHours : priority === 'HIGH' ? r.complaintHighHours : r.complaintNormalHours;
}

export interface ComplaintResolution {
  /** What was done for the customer. */
  plan: string;
  /** Why it happened (cause analysis, 004 §五.2 分析原因), and what changes so it does not again. */
  cause: string;
  improvement: string;
  shopAtFault: boolean;
}

export function validateComplaintResolution(r: Partial<ComplaintResolution>): Array<{ field: string; reason: string }> {
  const problems: Array<{ field: string; reason: string }> = [];
  for (const field of ['plan', 'cause', 'improvement'] as const) {
    const v = r[field];
    if (typeof v !== 'string' || !v.trim()) problems.push({ field, reason: 'is required: a complaint is resolved with its plan, its cause and the improvement' });
    else if (v.length > 2000) problems.push({ field, reason: 'must be at most 2000 characters' });
  }
  if (typeof r.shopAtFault !== 'boolean') problems.push({ field: 'shopAtFault', reason: 'must be true or false' });
  return problems;
}
