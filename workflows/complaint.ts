/**
 * Complaint / escalation (投诉维权, docs/after-sales.md §12; 003 §6, 004 §五.2):
 *
 *   recorded (time, person, order, problem) → classified and prioritised; difficult ones go to a
 *   supervisor at once → handled within the priority's fixed time (past it: late, escalated,
 *   reminded) → resolved with plan, cause analysis and improvement (apology when the shop was at
 *   fault) → revisit; unsatisfied → handled again until satisfied. Until it is resolved, the
 *   customer may withdraw it (撤销投诉: the problem went away, or was settled elsewhere): closed
 *   WITHDRAWN, and told so.
 */
import { ApplicationFailure, patched, setHandler } from '@temporalio/workflow';
import {
  COMPLAINT_CATEGORIES,
  complaintHandlingHours,
  prioritiseComplaint,
  solutionDeadline,
  validateComplaintResolution,
  type ComplaintCategory,
  type ComplaintPriority,
  type OrderSnapshot,
  type Policy,
} from '../domain/index.js';
import { CaseSession, hours, waitUntil, type ClosedByRevisit } from './case-machinery.js';
import { invalidProblems, resolveComplaint, type ComplaintResolutionCommand, type OpenedBy } from './contract.js';

/**
 * Patch: a complaint whose promised answer time (its priority's handling time, before the same-day
 * deadline) passes tells its customer then (the late apology, once per case: complaintEscalated since
 * 48d4a4e, caseEscalated before); before, they heard
 * nothing until the same-day deadline passed as well. Replayed by test/workflows/histories/complaint-v17-*.pb.
 */
export const COMPLAINT_OVERDUE_TOLD_PATCH = 'complaint-overdue-told';

export interface ComplaintInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  order: OrderSnapshot;
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
  category: ComplaintCategory;
  description: string;
  /** Phone, email, chat, social media… (004 §四.1). */
  channel: string;
  threatensEscalation: boolean;
  repeat: boolean;
  /** The case the customer complains about, when a case was turned into a complaint. */
  relatedCaseId?: string;
}

export async function complaint(input: ComplaintInput): Promise<ClosedByRevisit | 'WITHDRAWN'> {
  const { policy } = input;
  if (!COMPLAINT_CATEGORIES.includes(input.category)) throw ApplicationFailure.nonRetryable(`unknown complaint category ${input.category}`, 'INVALID_REQUEST');
  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  session.lateApology = 'complaintEscalated';
  let resolution: ComplaintResolutionCommand | undefined;
  setHandler(resolveComplaint, (r) => ((resolution = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_RESOLUTION');
      const problems = validateComplaintResolution(r);
      if (problems.length) throw invalidProblems(problems);
    },
  });
  // Taken only while the complaint waits for its answer (the waits below end on it too).
  const withdrawal = session.takeWithdrawalAt(['AWAITING_RESOLUTION']);

  // --- recorded, classified, prioritised ---
  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', {
    status: 'OPEN',
    deadlines: { solutionDueAt },
    data: { category: input.category, description: input.description, channel: input.channel, relatedCaseId: input.relatedCaseId, orderId: input.order.orderId },
  });
  const priority = prioritiseComplaint(policy, input);
  const level = priority.outcome as ComplaintPriority;
  const handleBy = Date.now() + hours(complaintHandlingHours(policy, level));
  // Difficult complaints go to a supervisor at once (疑难问题立即上报主管).
  // The customer is promised an answer by the earlier of the two; the wait shows that time too (its
  // stage deadline is the earliest it sets), not the handling time the message did not name.
  const answerBy = Math.min(handleBy, solutionDueAt);
  await session.enter('AWAITING_RESOLUTION', 'CLASSIFIED', { status: 'OPEN', deadlines: { handleBy, answerBy }, decision: priority, ...(priority.values.difficult ? { escalated: true } : {}) });
  await session.notify('complaintReceived', { caseId: input.caseId, answerBy });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });

  // --- handled within the priority's time ---
  const answered = () => !!resolution || !!withdrawal();
  if (!(await waitUntil(answered, handleBy))) {
    await session.step('COMPLAINT_OVERDUE', { late: true, escalated: true, decision: session.decision('complaintHandlingHours', { priority: level, handleBy, hours: complaintHandlingHours(policy, level) }, 'ESCALATE') });
    // The answer was promised by the handling time (it came before the same-day deadline): the
    // customer hears it passed now, not only once the same-day deadline passes too.
    if (handleBy < solutionDueAt && patched(COMPLAINT_OVERDUE_TOLD_PATCH)) await session.apologiseForLateness();
    await session.waitWithReminders(answered, 'COMPLAINT_REMINDER');
  }
  solved = true;
  const withdrawn = withdrawal();
  if (withdrawn && !resolution) return session.closeWithdrawn(withdrawn, 'complaintWithdrawn');
  const r = resolution!;
  await session.enter('RESOLVED', 'RESOLVED', {
    status: 'RESOLVED',
    actor: `${r.by.kind}:${r.by.id ?? ''}`,
    data: { plan: r.plan, cause: r.cause, improvement: r.improvement, shopAtFault: r.shopAtFault, priority: level },
  });
  await session.notify(r.shopAtFault ? 'complaintResolvedApology' : 'complaintResolved', { plan: r.plan });
  return session.revisit();
}
