/**
 * Telling a case something, with one answer for every command: the case id, the stage the case is
 * in *after* the command took effect, its status, and what it now waits for, with the deadline.
 * The workflow's update handler answers before the workflow has moved on, so the answer is read
 * from the workflow's live view right after the command (the same workflow task that ran the
 * handler moved the case to its next stage); once a case has ended, from the read model.
 */
import type { SignalDefinition, UpdateDefinition } from '@temporalio/client';
import { Type, type Static } from 'typebox';
import type { CaseSummary } from '../db/repositories.js';
import { STAGE_WAITS } from '../domain/waiting.js';
import { caseView } from '../workflows/contract.js';
import { openWorkflow, waitingForView, type ApiDeps } from './context.js';

const Party = Type.Union([Type.Literal('CUSTOMER'), Type.Literal('STOREFRONT'), Type.Literal('WAREHOUSE'), Type.Literal('AGENT'), Type.Literal('COURIER')]);

export const CommandReply = Type.Object(
  {
    caseId: Type.String(),
    stage: Type.String({ description: 'the stage after the command took effect', examples: ['AWAITING_ARRIVAL'] }),
    status: Type.String({ description: 'OPEN, WAITING_CUSTOMER, WAITING_WAREHOUSE, WAITING_COURIER, RESOLVED or CLOSED' }),
    late: Type.Boolean({ description: 'the same-day solution deadline was missed' }),
    waitingFor: Type.Union(
      [
        Type.Object({
          party: Party,
          command: Type.String({ description: 'the API call that moves the case on', examples: ['POST /v1/warehouse/arrivals'] }),
          what: Type.String(),
          deadlineAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when the case stops waiting and acts on its own (reminder, escalation or default outcome)' }),
        }),
        Type.Null(),
      ],
      { description: `who must act next; null while the case works on its own or once it has ended. Stages that wait: ${Object.keys(STAGE_WAITS).join(', ')}` },
    ),
  },
  { description: 'The answer to every command on a case' },
);
export type CommandReply = Static<typeof CommandReply>;

type Handle = ReturnType<typeof openWorkflow>;

async function replyOf(deps: ApiDeps, caseId: string, handle: Handle, acceptedAt?: string): Promise<CommandReply> {
  const live = await settledView(handle, acceptedAt);
  if (live) {
    return { caseId, stage: live.stage, status: live.status, late: live.late, waitingFor: waitingForView(live.stage, live.stageDeadlineAt) };
  }
  // The command ended the case: its workflow has closed and the read model has the last word.
  const row = (await deps.repos.caseById(caseId))!;
  return { caseId, stage: row.stage, status: row.status, late: row.late, waitingFor: null };
}

/** How long a command's answer waits for the case to move on before it answers with the case as it is. */
const SETTLE_LIMIT_MS = 5_000;

/**
 * The case's live view once the command has taken effect. An update is accepted at a stage
 * (`acceptedAt`), but the workflow may still be busy with the step before (a projection write or a
 * notification it is awaiting) and only leaves that stage when that is done. So while the view
 * still shows the accepted stage, the answer waits, as long as the workflow has something in flight
 * (a workflow task or an activity); a case with nothing in flight is settled where it is.
 */
async function settledView(handle: Handle, acceptedAt: string | undefined) {
  const giveUpAt = Date.now() + SETTLE_LIMIT_MS;
  for (let pause = 10; ; pause = Math.min(pause * 2, 100)) {
    const live = await handle.query(caseView).catch(() => undefined);
    if (!live || acceptedAt === undefined || live.stage !== acceptedAt || Date.now() >= giveUpAt) return live;
    // The command has taken effect: a failure to look closer answers with what the query saw.
    const raw = (await handle.describe().catch(() => undefined))?.raw;
    if (!raw || (!raw.pendingWorkflowTask && !raw.pendingActivities?.length)) return live;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** A command that needs an answer (a workflow update: a wrong stage is refused with a reason). */
export async function runUpdate<Arg>(deps: ApiDeps, c: CaseSummary, update: UpdateDefinition<{ stage: string }, [Arg]>, arg: Arg): Promise<CommandReply> {
  const handle = openWorkflow(deps, c);
  const accepted = await handle.executeUpdate(update, { args: [arg] });
  return replyOf(deps, c.id, handle, accepted.stage);
}

/** A fact the case takes whenever it comes (a signal); answered 202 with the case as it is now. */
export async function sendSignal<Arg>(deps: ApiDeps, c: CaseSummary, signal: SignalDefinition<[Arg]>, arg: Arg): Promise<CommandReply> {
  const handle = openWorkflow(deps, c);
  await handle.signal(signal, arg);
  return replyOf(deps, c.id, handle);
}
