/** How the API answers a workflow's refusal of an update (api/errors.ts), on a bare Fastify app. */
import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { refusalOf } from '../../api/commands.js';
import { installErrorHandler } from '../../api/errors.js';
import { caseWorkflowId, claimWorkflowId, invalidInput, REFUND_STILL_OWED, SUPERVISOR_REQUIRED } from '../../workflows/contract.js';

async function answerTo(cause: Error) {
  const app = Fastify();
  installErrorHandler(app);
  app.post('/command', async () => {
    throw new WorkflowUpdateFailedError('Workflow Update failed', cause);
  });
  const res = await app.inject({ method: 'POST', url: '/command', payload: {} });
  await app.close();
  return { status: res.statusCode, body: res.json() };
}

describe('a workflow refusing an update', () => {
  it('a refund sent back that reached the workflow after the route checked: 409 REFUND_STILL_OWED, as the route itself answers', async () => {
    const cause = ApplicationFailure.create({ type: REFUND_STILL_OWED, nonRetryable: true, message: 'the customer’s bank sent back refund rf_1 just now' });
    expect(await answerTo(cause)).toEqual({ status: 409, body: { error: 'REFUND_STILL_OWED', message: 'the customer’s bank sent back refund rf_1 just now', problems: [] } });
  });

  it('an agent’s action the case leaves to a supervisor, refused by the workflow after the route read the case: 403 SUPERVISOR_REQUIRED on body.action, as the route itself answers', async () => {
    const cause = ApplicationFailure.create({ type: SUPERVISOR_REQUIRED, nonRetryable: true, message: 'this wait (ABOVE_CAP) leaves CONTINUE to a supervisor' });
    expect(await answerTo(cause)).toMatchObject({ status: 403, body: { error: 'SUPERVISOR_REQUIRED', field: 'body.action' } });
  });

  it('what the command said: 400 naming the field; when it came: 409 WRONG_STATE', async () => {
    expect(await answerTo(invalidInput('score', 'score must be a whole number from 1 to 5'))).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST', field: 'body.score' } });
    expect(await answerTo(new Error('the case is at stage CLOSED, not AWAITING_AGENT'))).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: 'the case is at stage CLOSED, not AWAITING_AGENT' } });
  });

  it('an input refused because its workflow ended is recorded saying which ended: the case’s, or a process of its own (a courier claim decided meanwhile)', () => {
    const ended = (id: string) => new WorkflowNotFoundError('workflow not found', id, undefined);
    expect(refusalOf(ended(caseWorkflowId('c-1')), { caseId: 'c-1', workflowId: caseWorkflowId('c-1') })).toBe('the case’s workflow has ended');
    const claim = claimWorkflowId('c-1', 'SF100');
    expect(refusalOf(ended(claim), { caseId: 'c-1', workflowId: claim })).toBe(`its process ${claim} has ended`);
    expect(refusalOf(new Error('Temporal away'), { caseId: 'c-1', workflowId: claim })).toBeUndefined();
  });
});
