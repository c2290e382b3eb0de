/**
 * What ops read about a case in the Temporal Web UI: the workflow's static summary and details
 * (set when the case opens) and its current details (kept up to date by the workflow at every
 * step), in the Markdown the UI renders. Pure, so the workflow can call it, and free of personal
 * data: ids and codes only — names, phones and addresses stay in the platform's own database.
 */
import { CASE_STAGE_NAMES, CASE_STATUS_NAMES, CASE_TYPE_NAMES, type CaseStatus, type CaseType } from './case-types.js';
import { waitingFor } from './waiting.js';

export interface CaseOpening {
  caseId: string;
  type: CaseType;
  merchantId: string;
  orderId: string;
  /** The storefront's id for the customer (an opaque reference, never a name or phone). */
  customerId: string;
}

export interface CaseNow {
  stage: string;
  status: string;
  late: boolean;
  escalated: boolean;
  assigneeId?: string;
  /** The deadline the current stage set (epoch ms), if any. */
  stageDeadlineAt?: number;
  /** The same-day solution deadline (epoch ms), once the case knows it. */
  solutionDueAt?: number;
}

/** Markdown's special characters escaped, so an id cannot break the layout. */
const md = (text: string) => text.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
const utc = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const both = (names: { 'zh-CN': string; en: string } | undefined, code: string) => (names ? `${names.en} · ${names['zh-CN']}` : code);

/** The one line the UI shows in lists: type and case id. */
export function caseSummary(o: Pick<CaseOpening, 'caseId' | 'type'>): string {
  return `${CASE_TYPE_NAMES[o.type].en} · ${CASE_TYPE_NAMES[o.type]['zh-CN']} — case ${o.caseId}`;
}

export function caseStaticDetails(o: CaseOpening): string {
  return [
    `**Case** ${md(o.caseId)} (${both(CASE_TYPE_NAMES[o.type], o.type)})`,
    `**Order** ${md(o.orderId)} · **merchant** ${md(o.merchantId)} · **customer ref** ${md(o.customerId)}`,
  ].join('\n\n');
}

/** Where the case is now and what it waits for, until when. */
export function caseCurrentDetails(now: CaseNow): string {
  const wait = waitingFor(now.stage, now.stageDeadlineAt);
  const lines = [`**Stage** ${both(CASE_STAGE_NAMES[now.stage], now.stage)} (\`${now.stage}\`)`];
  lines.push(`**Status** ${both(CASE_STATUS_NAMES[now.status as CaseStatus], now.status)}`);
  if (wait) lines.push(`**Waiting for** ${wait.party.toLowerCase()}: ${wait.what}${wait.deadlineAt !== null ? ` — until ${utc(wait.deadlineAt)}` : ''}`);
  if (now.solutionDueAt !== undefined) lines.push(`**Solution due** ${utc(now.solutionDueAt)}${now.late ? ' — **missed**' : ''}`);
  const flags = [now.late ? '**late**' : undefined, now.escalated ? '**escalated**' : undefined, now.assigneeId ? `assigned to ${md(now.assigneeId)}` : undefined].filter(Boolean);
  if (flags.length) lines.push(flags.join(' · '));
  return lines.join('\n\n');
}
