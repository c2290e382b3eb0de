/**
 * Every branch and deadline of the return-and-refund workflow, on the project's time-skipping
 * dev server spawned by the official testing API. Activities are recording stand-ins here (the
 * real ones are tested against Postgres in test/activities); what is under test is the process:
 * which steps happen, in which order, after which deadlines, with which money.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseSteps, OrderRefunds } from '../../activities/contract.js';
import { registerCaseSearchAttributes } from '../../app/search-attributes.js';
import { defaultPolicy, type OrderSnapshot, type Policy, type ReturnRequest } from '../../domain/index.js';
import {
  answerProposal,
  answerRevisit,
  arrivalScanned,
  assign,
  caseView,
  clearEscalation,
  escalate,
  INVALID_INPUT,
  propose,
  refundPaidAgain,
  refundSentBack,
  reportInspection,
  resolveByAgent,
  submitReturnShipment,
  withdrawRequest,
} from '../../workflows/contract.js';
import type { ReturnRefundInput } from '../../workflows/return-refund.js';
import { bundleCaseWorkflows, createTimeSkippingEnvironment, saveHistory } from './case-harness.js';
import { waitUntil } from '../support/wait.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { RecordingActivities, renderProblems } from './recording-activities.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HISTORIES = path.join(HERE, 'histories');
const DAY = 86_400_000;
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
/**
 * A plain client: the test environment's own client unlocks time skipping for as long as any
 * result() is pending, which would let time race through every deadline of every open case. With
 * this one, virtual time moves only when a test says so (env.sleep).
 */
let client: Client;

beforeAll(async () => {
  // In-process dev server (no 5-second spawn limit to lose on a busy machine), as every case test.
  env = await createTimeSkippingEnvironment();
  bundle = await bundleCaseWorkflows();
  client = new Client({ connection: env.connection });
  await registerCaseSearchAttributes(env.connection, 'default');
}, 120_000);

const workers: Array<{ worker: Worker; running: Promise<void> }> = [];
const finished: Array<{ history?: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>; outcome: unknown }> = [];

afterAll(async () => {
  // SAVE_HISTORIES=1 refreshes the histories the replay test checks every workflow change against.
  if (process.env.SAVE_HISTORIES === '1') {
    mkdirSync(HISTORIES, { recursive: true });
    for (const [i, { history, outcome }] of finished.entries()) {
      // Binary protobuf: the SDK's historyToJSON trips over two protobufjs majors installed side by side.
      // v13: cases under the case-search-attributes, return-rules-v2, claim-process, approval-lines-any-order,
      // batched-case-steps, ops-search-attributes, local-case-steps and writer-settles-each-batch
      // patches (v7-…: before writer-settles-each-batch; v6-…: before local-case-steps; v5-…: before
      // ops-search-attributes;
      // v4-…: before batched-case-steps; v3-…: before approval-lines-any-order; v2-…: before
      // claim-process; 01…13: before all of them). Eight are enough for the replay test.
      if (i >= 8) break;
      writeFileSync(path.join(HISTORIES, `return-refund-v13-${String(i + 1).padStart(2, '0')}-${String(outcome)}.pb`), temporal.api.history.v1.History.encode(history!).finish());
    }
  }
  for (const w of workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
  await Promise.allSettled(workers.map((w) => w.running));
  await env?.teardown();
});

/**
 * Lets virtual time run past the case's same-day solution deadline, whatever day and hour the run
 * started at (after hours on a Friday it is Monday evening, not "two days later").
 */
async function sleepPastSolutionDeadline(handle: WorkflowHandle): Promise<void> {
  const due = (await handle.query(caseView)).deadlines.solutionDueAt!;
  await env.sleep(Math.max(0, due - (await env.currentTimeMs())) + HOUR);
}

/** Records what the workflow asked of the world; refunds pay what is asked, couriers say "in transit". */
class Recorder extends RecordingActivities {
  /** Step writes to refuse before one goes through (the database away for a moment). */
  failWrites = 0;
  constructor() {
    super();
    const write = this.recordSteps;
    this.recordSteps = async (s: CaseSteps) => {
      if (this.failWrites > 0) {
        this.failWrites -= 1;
        throw new Error('connection refused');
      }
      await write(s);
    };
  }
}

let seq = 0;
function order(deliveredDaysAgo: number, now: number): OrderSnapshot {
  return mugAndTeaOrder(`o-${++seq}`, now, deliveredDaysAgo);
}

function policy(overrides: Partial<Policy['rules']> = {}): Policy {
  const p = defaultPolicy();
  return { ...p, version: 3, rules: { ...p.rules, ...overrides } };
}

interface Run {
  handle: WorkflowHandle;
  rec: Recorder;
  input: ReturnRefundInput;
  stage: () => Promise<string>;
  until: (stage: string) => Promise<void>;
  done: Promise<unknown>;
}

/** Starts a case with its own worker and returns handles to drive it; the worker lives until the workflow ends. */
async function open(request: Partial<ReturnRequest> = {}, rules: Partial<Policy['rules']> = {}, deliveredDaysAgo = 2, earlier?: OrderRefunds, failWrites = 0, adjust?: (rec: Recorder) => void): Promise<Run> {
  const rec = new Recorder();
  adjust?.(rec);
  if (earlier) rec.earlier = earlier;
  rec.failWrites = failWrites;
  const now = await env.currentTimeMs();
  const caseId = `c${++seq}-${Math.random().toString(36).slice(2, 8)}`;
  const input: ReturnRefundInput = {
    caseId,
    merchantId: 'm1',
    policy: policy(rules),
    order: order(deliveredDaysAgo, now),
    request: { lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }], evidenceUrls: [], ...request },
    customer: { id: 'cust-1', locale: 'zh-CN' },
    openedAt: now,
    returnAddress: { name: '售后部', phone: '+86 571 0000 0000', address: '杭州市余杭区 1 号仓' },
  };
  const taskQueue = `rr-${caseId}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: rec });
  const handle = await client.workflow.start('returnAndRefund', { taskQueue, workflowId: `case-${caseId}`, args: [input] });
  const running = worker.run();
  workers.push({ worker, running });
  const done = handle
    .result()
    // The history is fetched as soon as the case ends: virtual time runs on, and the server may drop closed runs after their retention.
    .then(async (r) => (finished.push({ history: process.env.SAVE_HISTORIES === '1' ? await handle.fetchHistory() : undefined, outcome: r }), r))
    .finally(() => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  });
  const stage = async () => (await handle.query(caseView)).stage;
  const until = async (wanted: string) => {
    // Generous: on a loaded 2-core machine a workflow task can take seconds.
    for (let i = 0; i < 1200; i++) {
      if ((await stage()) === wanted) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`case never reached ${wanted} (at ${await stage()}; steps ${rec.kinds().join(',')})`);
  };
  return { handle, rec, input, stage, until, done };
}

async function shipArriveInspect(run: Run, received: Array<{ sku: string; receivedQuantity: number; condition: 'OK' | 'DAMAGED_BY_CUSTOMER' | 'MISSING' }>, paid: { returnShippingPaidMinor?: number } = {}) {
  await run.until('AWAITING_RETURN_SHIPMENT');
  await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF123' }] });
  await run.until('AWAITING_ARRIVAL');
  await run.handle.signal(arrivalScanned, { trackingNumber: 'SF123', scannedAt: Date.now(), scannedBy: 'scanner-1' });
  await run.until('AWAITING_INSPECTION');
  await run.handle.executeUpdate(reportInspection, { args: [{ by: 'inspector-1', lines: received, ...paid }] });
}

async function revisitWith(run: Run, score: number) {
  // The revisit starts days after resolution: let virtual time run while we wait for it.
  await askForRevisit(run);
  await run.handle.executeUpdate(answerRevisit, { args: [{ score }] });
}

/** An agent resolves the reopened case again (CONTINUE, as the API sends it): it rests and is revisited later. */
async function continueByAgent(run: Run, note: string) {
  await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a4' }, action: 'CONTINUE', note, asOffered: true }] });
}

/** A refund the customer's bank sent back, as the refund follower tells the case. */
const SENT_BACK = { refundId: 'rf_1', amountMinor: 100, currency: 'CNY', reason: 'ACCOUNT_CLOSED' };

/** Lets the days before the revisit pass until the customer is asked for a score. */
async function askForRevisit(run: Run) {
  await run.until('RESOLVED');
  const asked = run.until('AWAITING_REVISIT');
  await Promise.all([env.sleep(run.input.policy.rules.revisitAfterDays * DAY + HOUR), asked]);
}

describe('return and refund', () => {
  it('approved by policy, shipped, received in full, refunded, revisited satisfied', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.refunds).toEqual([expect.objectContaining({ amountMinor: 2 * 3333, currency: 'CNY', stepKey: `${run.input.caseId}:refund` })]);
    expect(run.rec.ledger.map((d) => d.kind)).toEqual(['REFUND', 'RETURN_NOTE']);
    // Both mugs came back in sellable condition: the return note puts them back into stock.
    expect(run.rec.ledger[1]!.lines).toEqual([{ sku: 'MUG', quantity: 2, condition: 'OK', stockDelta: 2 }]);
    expect(run.rec.kinds()).toEqual(expect.arrayContaining(['OPENED', 'SOLUTION_PROPOSED', 'RETURN_APPROVED', 'RETURN_SHIPPED', 'ARRIVED', 'INSPECTED', 'REFUND_DECIDED', 'RESOLVED', 'REVISIT_SENT', 'CLOSED_SATISFIED']));
    const proposed = run.rec.transitions.find((t) => t.kind === 'SOLUTION_PROPOSED')!;
    expect(proposed.decision).toMatchObject({ policyVersion: 3, outcome: 'APPROVE' });
    // The revisit's answer is on the timeline's step, not only in the case's satisfaction field.
    // …answered by the customer, who is named as a return's consent names them.
    expect(run.rec.transitions.find((t) => t.kind === 'CLOSED_SATISFIED')).toMatchObject({ satisfaction: 5, data: { score: 5 }, actor: 'customer:cust-1' });
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['returnApprovedWithPostage', 'parcelReceived', 'refundIssued', 'revisitSilenceCloses', 'caseClosed']));
    // Approved in the workflow task that opened it: the approval is the first word, not a promise of a solution kept the same second.
    expect(run.rec.templates()[0]).toBe('returnApprovedWithPostage');
    expect(run.rec.templates()).not.toContain('caseOpenedSolutionBy');
    // The return code the warehouse can scan is told with the address (cases opened before the patch were sent returnApprovedWithLines).
    // A return with no reason: the customer pays for the parcel back, and is told so (and not to send it freight collect).
    expect((await run.rec.sent('returnApprovedWithPostage')).params).toMatchObject({ returnCode: run.input.caseId, returnAddress: expect.stringContaining('1 号仓'), lines: [{ sku: 'MUG', quantity: 2 }], postage: 'CUSTOMER' });
    expect(run.rec.transitions.find((t) => t.kind === 'RETURN_APPROVED')!.data).toMatchObject({ postage: 'CUSTOMER' });
    expect(run.rec.templates()).not.toContain('returnApprovedWithLines');
    await saveHistory(run, 'return-refund-v16-send-back-told');
    // Projections carry increasing versions, so the read model never goes backwards.
    const versions = run.rec.transitions.map((t) => t.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('granted less than decided (another case of the order was paid at the same moment): the ledger books the grant, the resolution says CAPPED', async () => {
    const run = await open({}, {}, 2, undefined, 0, (rec) => void (rec.refundPayment = async () => ({ refundId: 'rf-part', amountMinor: 1_000 })));
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await run.until('RESOLVED');
    expect(run.rec.ledger.filter((d) => d.kind === 'REFUND').map((d) => d.amountMinor)).toEqual([-1_000]);
    // Its lines say what the 10.00 paid for: the mugs, less what was not paid (a CAP line), summing to the grant.
    const lines = run.rec.ledger.find((d) => d.kind === 'REFUND')!.lines as Array<{ kind: string; amountMinor: number }>;
    expect(lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(1_000);
    expect(lines.at(-1)).toMatchObject({ kind: 'CAP', amountMinor: 1_000 - 2 * 3333 });
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 1_000, decision: { rule: 'refundReceivedGoods', outcome: 'CAPPED', values: { refundMinor: 2 * 3333, grantedMinor: 1_000 } } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('records an escalation and an assignment sent while it waits on the customer, at once (requests-any-stage)', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.signal(escalate, { by: { kind: 'agent', id: 'a1' }, reason: 'customer called twice' });
    await run.handle.signal(assign, { by: { kind: 'supervisor', id: 's1' }, agentId: 'agent-li' });
    expect(await run.rec.stepped('ESCALATED')).toMatchObject({ stage: 'AWAITING_RETURN_SHIPMENT', actor: 'agent:a1', escalated: true, data: { reason: 'customer called twice' } });
    expect(await run.rec.stepped('ASSIGNED')).toMatchObject({ stage: 'AWAITING_RETURN_SHIPMENT', actor: 'supervisor:s1', assigneeId: 'agent-li', data: { assigneeId: 'agent-li' } });
    expect(await run.handle.query(caseView)).toMatchObject({ stage: 'AWAITING_RETURN_SHIPMENT', escalated: true, assigneeId: 'agent-li' });
    // It still waits for the parcel, and takes it.
    await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF-REQ-1' }] });
    await run.until('AWAITING_ARRIVAL');
    await run.handle.terminate('test over');
    await run.done.catch(() => undefined);
    if (process.env.SAVE_HISTORIES === '1') {
      writeFileSync(path.join(HISTORIES, 'return-refund-requests-01-TERMINATED.pb'), temporal.api.history.v1.History.encode((await run.handle.fetchHistory())!).finish());
    }
  });

  it('a supervisor clears an escalation they dealt with: the case leaves their queue and waits on as before', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.signal(escalate, { by: { kind: 'agent', id: 'a1' }, reason: 'customer called twice' });
    await run.rec.stepped('ESCALATED');
    await run.handle.signal(clearEscalation, { by: { kind: 'supervisor', id: 's1' }, note: 'called the customer back' });
    expect(await run.rec.stepped('ESCALATION_CLEARED')).toMatchObject({ stage: 'AWAITING_RETURN_SHIPMENT', actor: 'supervisor:s1', escalated: false, data: { note: 'called the customer back' } });
    expect(await run.handle.query(caseView)).toMatchObject({ stage: 'AWAITING_RETURN_SHIPMENT', escalated: false });
    await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF-CLR-1' }] });
    await run.until('AWAITING_ARRIVAL');
    await run.handle.terminate('test over');
    await run.done.catch(() => undefined);
    // The replay test holds later workflow changes to a history with the clearing in it.
    if (process.env.SAVE_HISTORIES === '1') {
      writeFileSync(path.join(HISTORIES, 'return-refund-requests-03-TERMINATED.pb'), temporal.api.history.v1.History.encode((await run.handle.fetchHistory())!).finish());
    }
  });

  it('records an escalation sent while an agent is waited for, and the agent still decides', async () => {
    const run = await open({}, {}, 30);
    await run.until('AWAITING_DECISION');
    await run.handle.signal(escalate, { by: { kind: 'agent', id: 'a2' }, reason: 'needs a supervisor' });
    expect(await run.rec.stepped('ESCALATED')).toMatchObject({ stage: 'AWAITING_DECISION', actor: 'agent:a2', escalated: true, data: { reason: 'needs a supervisor' } });
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'REJECT', reason: 'outside the return window' }] });
    expect(await run.done).toBe('REJECTED');
    // -02 was recorded by the code from before requests-any-stage: its agent wait recorded the
    // escalation, and the replay test holds the patched code to that.
    if (process.env.SAVE_HISTORIES === '1') {
      writeFileSync(path.join(HISTORIES, 'return-refund-requests-02-REJECTED.pb'), temporal.api.history.v1.History.encode((await run.handle.fetchHistory())!).finish());
    }
  });

  it('writes its steps in local activities, inside its workflow tasks; a refused write is retried and lands', async () => {
    const run = await open({}, {}, 2, undefined, 1);
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.rec.stepped('RETURN_APPROVED');
    expect(run.rec.failWrites).toBe(0);
    expect(run.rec.kinds().slice(0, 3)).toEqual(['OPENED', 'SOLUTION_PROPOSED', 'RETURN_APPROVED']);
    // A local activity leaves a marker in the history instead of three activity events. The marker
    // is written when its workflow task completes, which can come just after the step is seen.
    const events = await waitUntil('a local activity marker in the history', async () => {
      const all = (await run.handle.fetchHistory()).events ?? [];
      return all.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity') ? all : undefined;
    });
    const scheduled = events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).not.toContain('recordSteps');
    await run.handle.terminate('test over');
    await run.done.catch(() => undefined);
  });

  it('withdrawn by the customer before sending anything back: closed WITHDRAWN, told so, nothing refunded; not once the parcel is sent', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.executeUpdate(withdrawRequest, { args: [{ reason: '不想退了' }] });
    expect(await run.done).toBe('WITHDRAWN');
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'WITHDRAWN', stage: 'CLOSED', closeReason: 'WITHDRAWN', actor: `customer:${run.input.customer.id}`, data: { comment: '不想退了' } });
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.templates().at(-1)).toBe('requestWithdrawn');
    if (process.env.SAVE_HISTORIES === '1') {
      writeFileSync(path.join(HISTORIES, 'return-refund-v12-withdrawn-WITHDRAWN.pb'), temporal.api.history.v1.History.encode((await run.handle.fetchHistory())!).finish());
    }

    // While an agent decides, entered by staff for the customer (a phone call): the step names them.
    const deciding = await open({}, {}, 30);
    await deciding.until('AWAITING_DECISION');
    await deciding.handle.executeUpdate(withdrawRequest, { args: [{ by: { kind: 'agent', id: 'a1' } }] });
    expect(await deciding.done).toBe('WITHDRAWN');
    expect(deciding.rec.transitions.at(-1)).toMatchObject({ kind: 'WITHDRAWN', actor: 'agent:a1' });

    // The parcel is on its way: the return goes on.
    const sent = await open();
    await sent.until('AWAITING_RETURN_SHIPMENT');
    await sent.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF-WD-1' }] });
    await sent.until('AWAITING_ARRIVAL');
    const refused = await sent.handle.executeUpdate(withdrawRequest, { args: [{}] }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toMatch(/at stage AWAITING_ARRIVAL, not AWAITING_DECISION or AWAITING_CUSTOMER_CONSENT or AWAITING_RETURN_SHIPMENT/);
    await sent.handle.terminate('test over');
    await sent.done.catch(() => undefined);
  });

  it('outside the no-reason window is not auto-approved; an agent rejects with a reason', async () => {
    const run = await open({}, {}, 30);
    await run.until('AWAITING_DECISION');
    // The agent's wait has no deadline of its own: it runs against the same-day solution deadline,
    // which is when the case escalates by itself (what a command's answer and the queue show).
    const solutionDueAt = run.rec.transitions.find((t) => t.kind === 'OPENED')!.deadlines!.solutionDueAt;
    expect((await run.handle.query(caseView)).stageDeadlineAt).toBe(solutionDueAt);
    expect(run.rec.transitions.at(-1)).toMatchObject({ stage: 'AWAITING_DECISION', stageDeadlineAt: solutionDueAt });
    const refused = await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'REJECT' }] }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    // Refused as bad input, naming the field (the API answers it 400), not as the wrong stage.
    expect((refused as WorkflowUpdateFailedError).cause).toMatchObject({ type: INVALID_INPUT, message: 'a rejection needs a reason', details: [{ field: 'reason' }] });
    // Lines with a rejection ("reject these") are refused: a rejection rejects the whole request.
    const withLines = await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'REJECT', reason: 'used', lines: [{ sku: 'MUG', quantity: 1 }] }] }).catch((err: unknown) => err);
    expect((withLines as WorkflowUpdateFailedError).cause).toMatchObject({ type: INVALID_INPUT, details: [{ field: 'lines' }], message: expect.stringContaining('approve the others') });
    // One SKU in two lines is refused: each line was checked alone, so two could approve more than was asked for.
    const twice = await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'APPROVE', lines: [{ sku: 'MUG', quantity: 1 }, { sku: 'MUG', quantity: 1 }] }] }).catch((err: unknown) => err);
    expect((twice as WorkflowUpdateFailedError).cause).toMatchObject({ type: INVALID_INPUT, details: [{ field: 'lines[1].sku' }] });
    // Every problem of a proposal at once: an approval with a line not asked for and one too many.
    const two = await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'APPROVE', lines: [{ sku: 'NOPE', quantity: 1 }, { sku: 'MUG', quantity: 99 }] }] }).catch((err: unknown) => err);
    expect(((two as WorkflowUpdateFailedError).cause as unknown as { details: Array<{ field: string }> }).details.map((d) => d.field)).toEqual(['lines[0].sku', 'lines[1].quantity']);
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'REJECT', reason: 'outside the return window' }] });
    expect(await run.done).toBe('REJECTED');
    expect(run.rec.templates()).toContain('returnRejected');
    expect(run.rec.refunds).toEqual([]);
  });

  it("refused by the policy outside the no-reason window: the customer's message gives the rule's reason in their language", async () => {
    const run = await open({}, { outsideWindowAction: 'REJECT' }, 30);
    expect(await run.done).toBe('REJECTED');
    expect(run.rec.transitions.find((t) => t.kind === 'SOLUTION_PROPOSED')!.decision).toMatchObject({ rule: 'noReasonReturnDays', outcome: 'REJECT', values: { reason: 'more than 7 days since delivery' } });
    // A zh-CN customer: the reason in Chinese, not the English the decision records for the staff.
    expect((await run.rec.sent('returnRejected')).params).toEqual({ reason: '已超过签收后7天的无理由退货期限' });
  });

  it('two agents answering at once: one answer is taken, the other refused, never both', async () => {
    const run = await open({ lines: [{ sku: 'MUG', quantity: 3, reason: 'NO_REASON' }] }, {}, 30);
    await run.until('AWAITING_DECISION');
    const answers = await Promise.allSettled([
      run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'REJECT', reason: 'used' }] }),
      run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a2' }, decision: 'APPROVE' }] }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = answers.find((a) => a.status === 'rejected') as PromiseRejectedResult;
    expect(String(refused.reason.cause?.message ?? refused.reason.message)).toMatch(/AWAITING_DECISION|already completed/);
    // The case did what the taken answer said, and only that.
    const taken = answers[0]!.status === 'fulfilled' ? 'REJECT' : 'APPROVE';
    if (taken === 'REJECT') expect(await run.done).toBe('REJECTED');
    else await run.until('AWAITING_RETURN_SHIPMENT');
    expect(run.rec.transitions.filter((t) => t.kind === 'SOLUTION_PROPOSED')).toHaveLength(1);
    if (taken === 'APPROVE') await run.handle.terminate('test over');
  });

  it('a partial approval waits for the customer; no answer → the policy default (decline) closes it', async () => {
    const run = await open({ lines: [{ sku: 'MUG', quantity: 3, reason: 'NO_REASON' }] }, {}, 30);
    await run.until('AWAITING_DECISION');
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'APPROVE', lines: [{ sku: 'MUG', quantity: 1 }] }] });
    await run.until('AWAITING_CUSTOMER_CONSENT');
    await env.sleep(3 * DAY);
    expect(await run.done).toBe('DECLINED');
    const timedOut = run.rec.transitions.find((t) => t.kind === 'CONSENT_TIMED_OUT')!;
    expect(timedOut.decision).toMatchObject({ rule: 'proposalDefaultAccept', outcome: 'DECLINE' });
    // Asked knowing that silence closes it; told it closed with nothing refunded, not that it was "completed".
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['returnProposalSilenceDeclines', 'returnProposalLapsed']));
    expect(run.rec.templates()).not.toContain('caseClosed');
    expect((await run.rec.sent('returnProposalLapsed')).params).toEqual({ caseId: run.input.caseId });
  });

  it('a partial approval accepted by the customer refunds only the approved quantity', async () => {
    const run = await open({ lines: [{ sku: 'MUG', quantity: 3, reason: 'NO_REASON' }] }, {}, 30);
    await run.until('AWAITING_DECISION');
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'APPROVE', lines: [{ sku: 'MUG', quantity: 1 }], reason: '另外两只杯子有使用痕迹。' }] });
    await run.until('AWAITING_CUSTOMER_CONSENT');
    // Told why, in the agent's words (its closing stop left to the message), and which goods to send once accepted.
    expect((await run.rec.sent('returnProposalWithReasonSilenceDeclines')).params).toMatchObject({ lines: [{ sku: 'MUG', quantity: 1 }], reason: '另外两只杯子有使用痕迹' });
    await run.handle.executeUpdate(answerProposal, { args: [{ accept: true }] });
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }]);
    await revisitWith(run, 4);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([3333]);
  });

  it('an agent approving every requested line in another order is a full approval: no consent asked', async () => {
    const run = await open({ lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }, { sku: 'TEA', quantity: 1, reason: 'NO_REASON' }] }, {}, 30);
    await run.until('AWAITING_DECISION');
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'APPROVE', lines: [{ sku: 'TEA', quantity: 1 }, { sku: 'MUG', quantity: 2 }] }] });
    await run.until('AWAITING_RETURN_SHIPMENT');
    expect(run.rec.kinds()).not.toContain('CONSENT_REQUESTED');
    expect((await run.rec.sent('returnApprovedWithPostage')).params).toMatchObject({ lines: [{ sku: 'TEA', quantity: 1 }, { sku: 'MUG', quantity: 2 }] });
    expect(run.rec.templates()).not.toContain('returnProposalSilenceDeclines');
    await shipArriveInspect(run, [
      { sku: 'TEA', receivedQuantity: 1, condition: 'OK' },
      { sku: 'MUG', receivedQuantity: 2, condition: 'OK' },
    ]);
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([2 * 3333 + 5000]);
  });

  it('an agent approving fewer units, in another order, still asks the customer', async () => {
    const run = await open({ lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }, { sku: 'TEA', quantity: 1, reason: 'NO_REASON' }] }, {}, 30);
    await run.until('AWAITING_DECISION');
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a1' }, decision: 'APPROVE', lines: [{ sku: 'TEA', quantity: 1 }, { sku: 'MUG', quantity: 1 }] }] });
    await run.until('AWAITING_CUSTOMER_CONSENT');
    expect((await run.rec.sent('returnProposalSilenceDeclines')).params).toMatchObject({ lines: [{ sku: 'TEA', quantity: 1 }, { sku: 'MUG', quantity: 1 }] });
    await run.handle.executeUpdate(answerProposal, { args: [{ accept: false, comment: '只退一个不行' }] });
    expect(await run.done).toBe('DECLINED');
    expect(run.rec.templates()).toContain('returnProposalDeclined');
    expect(run.rec.kinds()).toEqual(expect.arrayContaining(['CONSENT_REQUESTED', 'CONSENT_ANSWERED']));
    // The answer is the customer's, with what they said, not the platform's.
    expect(run.rec.transitions.find((t) => t.kind === 'CONSENT_ANSWERED')).toMatchObject({ actor: 'customer:cust-1', data: { accepted: false, comment: '只退一个不行' } });
    expect(run.rec.kinds()).not.toContain('RETURN_APPROVED');
  });

  it('a ship reminder falling due only at the deadline (as after the worker was down through both): closed, no reminder naming a time past', async () => {
    // No hours between reminder and deadline: the reminder's wake-up is the deadline itself.
    const run = await open({}, { returnShipReminderBeforeHours: 0 });
    await run.until('AWAITING_RETURN_SHIPMENT');
    await env.sleep((policy().rules.customerShipReturnDays + 1) * DAY); // a day past it: the closed run is still kept
    expect(await run.done).toBe('NOT_SHIPPED');
    expect(run.rec.templates()).toContain('closedNotShipped');
    expect(run.rec.templates()).not.toContain('shipReminder');
    // The patch's new branch, for the replay test.
    if (process.env.SAVE_HISTORIES === '1') writeFileSync(path.join(HISTORIES, 'return-refund-v8-late-ship-reminder-NOT_SHIPPED.pb'), temporal.api.history.v1.History.encode(await run.handle.fetchHistory()).finish());
  });

  it('the customer never ships: reminder before the deadline, closed as not shipped after it', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    // The 7 days end with the shop's seventh day (23:59:59.999 Beijing time), not 7 × 24 h to the minute.
    const approved = await run.rec.stepped('RETURN_APPROVED');
    const shipBy = (approved.data as { shipBy: number }).shipBy;
    const approvedAt = await env.currentTimeMs();
    expect((shipBy + 1 + 8 * HOUR) % DAY).toBe(0);
    expect(shipBy - approvedAt).toBeGreaterThan(7 * DAY - HOUR);
    expect(shipBy - approvedAt).toBeLessThan(8 * DAY);
    // Reminded at the shop's closing time the day before (18:00 Beijing time), not at 23:59 that night.
    const remindAt = shipBy + 1 - 30 * HOUR;
    await env.sleep(remindAt - (await env.currentTimeMs()) - 10 * 60_000);
    expect(run.rec.templates()).not.toContain('shipReminder');
    await env.sleep(20 * 60_000);
    await run.rec.sent('shipReminder');
    await env.sleep(2 * DAY); // past the deadline by a day or so: the closed run is still kept (for its history)
    expect(await run.done).toBe('NOT_SHIPPED');
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['shipReminder', 'closedNotShipped']));
    expect(run.rec.templates().indexOf('shipReminder')).toBeLessThan(run.rec.templates().indexOf('closedNotShipped'));
    await saveHistory(run, 'return-refund-v15-ship-by-end-of-day');
  });

  it('a late parcel gets the courier chased, then arrives and is refunded', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF9' }] });
    await run.until('AWAITING_ARRIVAL');
    await env.sleep((run.input.policy.rules.returnArrivalChaseAfterDays + 0.5) * DAY);
    expect(run.rec.kinds()).toContain('COURIER_CHASED');
    expect(run.rec.traces).toBe(1);
    await run.handle.signal(arrivalScanned, { trackingNumber: 'SF9', scannedAt: Date.now(), scannedBy: 's' });
    await run.until('AWAITING_INSPECTION');
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'i', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
  });

  it('a mistyped return number is corrected while the case waits for the parcel: the courier is chased about the corrected one', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF1400000000008' }] });
    await run.until('AWAITING_ARRIVAL');
    const answer = await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF1400000000009' }] });
    const shipped = run.rec.transitions.find((t) => t.kind === 'RETURN_SHIPPED')!;
    // The arrival deadline is the one set when the parcel was sent: a correction buys no time.
    expect(answer).toEqual({ stage: 'AWAITING_ARRIVAL', arrivalDeadline: shipped.deadlines!.arrivalDueAt });
    expect(await run.rec.stepped('RETURN_SHIPMENT_CORRECTED')).toMatchObject({
      stage: 'AWAITING_ARRIVAL',
      actor: 'customer:cust-1',
      data: { carrier: 'SF', trackingNumber: 'SF1400000000009', previousCarrier: 'SF', previousTrackingNumber: 'SF1400000000008' },
    });
    // The number it follows already, however spaced: no correction (the API answers a second click as the case is).
    await expect(run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'sf', trackingNumber: 'sf 14000 0000 0009' }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, details: [{ field: 'trackingNumber' }] },
    });
    await env.sleep((run.input.policy.rules.returnArrivalChaseAfterDays + 0.5) * DAY);
    expect(run.rec.traced).toEqual(['SF1400000000009']);
    await run.handle.signal(arrivalScanned, { trackingNumber: 'SF1400000000009', scannedAt: Date.now(), scannedBy: 's' });
    await run.until('AWAITING_INSPECTION');
    // Arrived: the parcel is what it is.
    await expect(run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF1' }] })).rejects.toMatchObject({
      cause: { message: 'the case is at stage AWAITING_INSPECTION, not AWAITING_RETURN_SHIPMENT' },
    });
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'i', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.kinds().filter((k) => k === 'RETURN_SHIPMENT_CORRECTED')).toHaveLength(1);
    // The patch's new branch, for the replay test.
    if (process.env.SAVE_HISTORIES === '1') writeFileSync(path.join(HISTORIES, 'return-refund-v10-return-corrected-CLOSED_SATISFIED.pb'), temporal.api.history.v1.History.encode(await run.handle.fetchHistory()).finish());
  });

  it('a return lost after a correction is claimed from the courier under the corrected number', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'YT1' }] });
    await run.until('AWAITING_ARRIVAL');
    await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'YTO', trackingNumber: 'YT2' }] });
    await Promise.all([env.sleep((run.input.policy.rules.returnArrivalDays + 1) * DAY), run.until('AWAITING_AGENT')]);
    for (let i = 0; i < 400 && !run.rec.claims.length; i++) await new Promise((r) => setTimeout(r, 25));
    expect(run.rec.claims).toEqual([expect.objectContaining({ carrier: 'YTO', trackingNumber: 'YT2' })]);
    await client.workflow.getHandle(`claim-${run.input.caseId}-YT2`).terminate('test over');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a2' }, action: 'CLOSE', note: 'test over' }] });
    await run.done;
  });

  it('a parcel past the final deadline is lost: courier claim filed, an agent refunds without waiting for it', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'YTO', trackingNumber: 'YT1' }] });
    await run.until('AWAITING_ARRIVAL');
    await Promise.all([env.sleep((run.input.policy.rules.returnArrivalDays + 1) * DAY), run.until('AWAITING_AGENT')]);
    // The claim is a process of its own (courierClaim child), filed on the same worker here.
    for (let i = 0; i < 400 && !run.rec.claims.length; i++) await new Promise((r) => setTimeout(r, 25));
    expect(run.rec.claims).toEqual([expect.objectContaining({ carrier: 'YTO', trackingNumber: 'YT1', amountMinor: 2 * 3333, stepKey: `${run.input.caseId}:claim:YT1` })]);
    const lost = run.rec.transitions.find((t) => t.kind === 'PARCEL_LOST')!;
    expect(lost.data).toMatchObject({ claimWorkflowId: `claim-${run.input.caseId}-YT1`, claimedMinor: 2 * 3333 });
    const child = client.workflow.getHandle(`claim-${run.input.caseId}-YT1`);
    expect((await child.describe()).status.name).toBe('RUNNING');
    // Its follow-up timers would wait for this case's worker once it stops: end it here.
    await child.terminate('test over');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a2' }, action: 'REFUND_REQUESTED' }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([2 * 3333]);
    // Refunded as if received, but nothing reached the warehouse: the return note restocks nothing.
    expect(run.rec.ledger.find((d) => d.kind === 'RETURN_NOTE')!.lines).toEqual([{ sku: 'MUG', quantity: 2, condition: 'OK', stockDelta: 0 }]);
  });

  it('partial arrival (count mismatch) goes to an agent; the refund covers what came back', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }]);
    await run.until('AWAITING_AGENT');
    expect(run.rec.kinds()).toContain('COUNT_MISMATCH');
    // The solution was given long ago: the agent's wait is due when its first reminder escalates it.
    const mismatch = run.rec.transitions.find((t) => t.kind === 'COUNT_MISMATCH')!;
    const { inspectionHours, agentReminderHours } = run.input.policy.rules;
    const arrivedAt = run.rec.transitions.find((t) => t.kind === 'ARRIVED')!.deadlines!.inspectionDueAt! - inspectionHours * HOUR;
    // Set when the wait began (after the arrival, within the inspection's hours), a reminder's hours on.
    expect(mismatch.deadlines!.agentDueAt! - arrivedAt).toBeGreaterThanOrEqual(agentReminderHours * HOUR);
    expect(mismatch.deadlines!.agentDueAt! - arrivedAt).toBeLessThanOrEqual((agentReminderHours + inspectionHours) * HOUR);
    expect(mismatch.stageDeadlineAt).toBe(mismatch.deadlines!.agentDueAt);
    // Here a refund must be chosen: CONTINUE would refund what came back without saying so.
    await expect(run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a3' }, action: 'CONTINUE' }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, message: 'this wait (COUNT_MISMATCH) takes REFUND_RECEIVED, REFUND_REQUESTED, CLOSE', details: [{ field: 'action' }] },
    });
    // Nor may it close: the mug that came back would stay in the warehouse, unpaid.
    await expect(run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a3' }, action: 'CLOSE', note: 'short' }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, message: expect.stringContaining('the warehouse holds goods the customer sent back (MUG × 1)'), details: [{ field: 'action' }] },
    });
    expect(run.rec.kinds()).not.toContain('AGENT_RESOLVED');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a3' }, action: 'REFUND_RECEIVED' }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([3333]);
  });

  it('an empty box: nothing came back, and the agent may close without a refund', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 0, condition: 'MISSING' }]);
    await run.until('AWAITING_AGENT');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a3' }, action: 'CLOSE', note: 'empty box' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds).toEqual([]);
  });

  it('a count mismatch refunded as requested: the refund is the request, the return note what was counted (no stock for goods that never came)', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }]);
    await run.until('AWAITING_AGENT');
    // Told what was found and that customer service looks into it, not left with "inspected" alone.
    expect((await run.rec.sent('inspectionMismatch')).params).toEqual({ lines: [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }] });
    expect(run.rec.templates()).not.toContain('inspectionResult');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a3' }, action: 'REFUND_REQUESTED' }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([2 * 3333]);
    expect(run.rec.ledger.find((d) => d.kind === 'RETURN_NOTE')!.lines).toEqual([{ sku: 'MUG', quantity: 1, condition: 'OK', stockDelta: 1 }]);
  });

  it('more came back than was asked back (count mismatch): "refund what came back" refunds no more than was approved', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 3, condition: 'OK' }]);
    await run.until('AWAITING_AGENT');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a3' }, action: 'REFUND_RECEIVED' }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([2 * 3333]);
    // The decision says why the third mug was not refunded.
    expect(run.rec.transitions.find((t) => t.kind === 'REFUND_DECIDED')!.decision).toMatchObject({ values: { excluded: [{ sku: 'MUG', quantity: 1, reason: 'MORE_THAN_APPROVED' }] } });
    // Received all three, but the third is still the customer's: not the shop's stock.
    expect(run.rec.ledger.find((d) => d.kind === 'RETURN_NOTE')!.lines).toEqual([{ sku: 'MUG', quantity: 3, condition: 'OK', stockDelta: 2 }]);
    if (process.env.SAVE_HISTORIES === '1') writeFileSync(path.join(HISTORIES, 'return-refund-v10-surplus-refunded-as-approved-CLOSED_SATISFIED.pb'), temporal.api.history.v1.History.encode(await run.handle.fetchHistory()).finish());
  });

  it('an item damaged by the customer is not refunded; a shop-fault return also refunds shipping', async () => {
    const run = await open({ lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] });
    await shipArriveInspect(run, [
      { sku: 'MUG', receivedQuantity: 2, condition: 'OK' },
    ]);
    await revisitWith(run, 5);
    await run.done;
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([2 * 3333 + 1000]);
    // The shop's fault: it pays for the parcel back too, and the approval says to send it freight collect.
    expect((await run.rec.sent('returnApprovedWithPostage')).params).toMatchObject({ postage: 'SHOP' });

    const damaged = await open();
    await shipArriveInspect(damaged, [{ sku: 'MUG', receivedQuantity: 2, condition: 'DAMAGED_BY_CUSTOMER' }]);
    await revisitWith(damaged, 5);
    await damaged.done;
    expect(damaged.rec.refunds).toEqual([]);
    // Nothing to refund is said to the customer, with what the inspection found; a refunded return says its refund instead.
    expect((await damaged.rec.sent('nothingRefunded')).params).toMatchObject({ lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'DAMAGED_BY_CUSTOMER' }] });
    expect(damaged.rec.templates()).not.toContain('refundIssued');
    expect(run.rec.templates()).not.toContain('nothingRefunded');
    await saveHistory(damaged, 'return-refund-v14-nothing-refunded');
    expect(damaged.rec.ledger.map((d) => d.kind)).toEqual(['RETURN_NOTE']);
    // Came back damaged: recorded on the note, but not sellable, so no stock comes back.
    expect(damaged.rec.ledger[0]!.lines).toEqual([{ sku: 'MUG', quantity: 2, condition: 'DAMAGED_BY_CUSTOMER', stockDelta: 0 }]);
  });

  it('what the shop paid for the parcel coming back is on the inspection and booked as a return-shipping expense note (return-shipping-booked)', async () => {
    const run = await open({ lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] });
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }], { returnShippingPaidMinor: 1_200 });
    await revisitWith(run, 5);
    await run.done;
    expect(run.rec.transitions.find((t) => t.kind === 'INSPECTED')!.data).toMatchObject({ returnShippingPaidMinor: 1_200 });
    expect(run.rec.ledger.map((d) => d.kind)).toEqual(['REFUND', 'RETURN_NOTE', 'EXPENSE_NOTE']);
    expect(run.rec.ledger[2]).toMatchObject({ amountMinor: 0, lines: [{ purpose: 'RETURN_SHIPPING', amountMinor: 1_200 }] });
    await saveHistory(run, 'return-refund-v21-return-shipping-booked');
  });

  it('a parcel scanned by its return code before the customer said it was sent goes on to inspection and is refunded', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.signal(arrivalScanned, { returnCode: 'RC-RR', scannedAt: Date.now(), scannedBy: 'dock-3' });
    await run.until('AWAITING_INSPECTION');
    const shipped = run.rec.transitions.find((t) => t.kind === 'RETURN_SHIPPED')!;
    expect(shipped).toMatchObject({ actor: 'warehouse:dock-3', data: { scannedBeforeShipment: true, returnCode: 'RC-RR' } });
    expect(shipped.data).not.toHaveProperty('carrier');
    // The parcel is in; the customer's late word on it is for a stage that has passed.
    await expect(run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF-LATE' }] })).rejects.toMatchObject({
      cause: { message: 'the case is at stage AWAITING_INSPECTION, not AWAITING_RETURN_SHIPMENT' },
    });
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'inspector-1', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([2 * 3333]);
    expect(run.rec.kinds()).not.toContain('COURIER_CHASED');
    if (process.env.SAVE_HISTORIES === '1') {
      writeFileSync(path.join(HISTORIES, 'return-refund-v8-scanned-before-shipment-CLOSED_SATISFIED.pb'), temporal.api.history.v1.History.encode((await run.handle.fetchHistory())!).finish());
    }
  });

  it('inspection past its deadline marks the case late and escalates, then continues', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: 'SF5' }] });
    await run.until('AWAITING_ARRIVAL');
    await run.handle.signal(arrivalScanned, { trackingNumber: 'SF5', scannedAt: Date.now(), scannedBy: 's' });
    await run.until('AWAITING_INSPECTION');
    await env.sleep((run.input.policy.rules.inspectionHours + 1) * HOUR);
    const late = run.rec.transitions.find((t) => t.kind === 'INSPECTION_LATE')!;
    expect(late).toMatchObject({ late: true, escalated: true });
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'i', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
  });

  it('an unsatisfied revisit reopens the case to an agent, who resolves it; the next revisit is unanswered', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await revisitWith(run, 2);
    await run.until('AWAITING_AGENT');
    expect(run.rec.transitions.find((t) => t.kind === 'REOPENED')).toMatchObject({ satisfaction: 2, data: { score: 2 } });
    // Nothing is owed here: a refund action from the API (asOffered) would go on and refund nothing.
    await expect(run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a4' }, action: 'REFUND_RECEIVED', asOffered: true }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, message: 'this wait (REOPENED) takes CONTINUE, CLOSE', details: [{ field: 'action' }] },
    });
    await continueByAgent(run, 'called the customer');
    await run.until('RESOLVED');
    await env.sleep(30 * DAY);
    expect(await run.done).toBe('CLOSED_UNANSWERED');
    const closed = run.rec.transitions.at(-1)!;
    expect(closed).toMatchObject({ kind: 'CLOSED_UNANSWERED', closeReason: 'REVISIT_UNANSWERED' });
  });

  it('an escalation while RESOLVED reopens the case to an agent, escalated, in the supervisors\' queue; resolved again, it is revisited (escalation-reopens-resolved)', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await run.until('RESOLVED');
    await run.handle.signal(escalate, { by: { kind: 'agent', id: 'a7' }, reason: 'customer called: the refund has not arrived' });
    expect(await run.rec.stepped('ESCALATED')).toMatchObject({ stage: 'RESOLVED', actor: 'agent:a7', escalated: true });
    await run.until('AWAITING_AGENT');
    expect(await run.rec.stepped('REOPENED_ON_ESCALATION')).toMatchObject({ stage: 'AWAITING_AGENT', status: 'OPEN', escalated: true });
    expect(await run.handle.query(caseView)).toMatchObject({ status: 'OPEN', escalated: true });
    expect((await run.rec.sent('caseReopenedByStaff')).caseId).toBe(run.input.caseId);
    // Days pass while the agent works on it: the revisit does not come in the middle.
    await env.sleep((run.input.policy.rules.revisitAfterDays + 1) * DAY);
    expect(await run.stage()).toBe('AWAITING_AGENT');
    expect(run.rec.kinds()).not.toContain('REVISIT_SENT');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'supervisor', id: 's1' }, action: 'CONTINUE', note: 'refund traced with the bank', asOffered: true }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    // The days the agent took were reminded of, as every agent wait is.
    const after = run.rec.kinds().slice(run.rec.kinds().indexOf('ESCALATED'));
    expect(after).toContain('AGENT_REMINDER');
    expect(after.filter((k) => k !== 'AGENT_REMINDER')).toEqual(['ESCALATED', 'REOPENED_ON_ESCALATION', 'AGENT_RESOLVED', 'RESOLVED_AGAIN', 'REVISIT_SENT', 'CLOSED_SATISFIED']);
    expect(run.rec.refunds).toHaveLength(1);
    if (process.env.SAVE_HISTORIES === '1') {
      writeFileSync(path.join(HISTORIES, 'return-refund-v10-escalated-when-resolved-CLOSED_SATISFIED.pb'), temporal.api.history.v1.History.encode((await run.handle.fetchHistory())!).finish());
    }
  });

  it('a refund the bank sends back while RESOLVED reopens the case to an agent without a second message; told twice, once; resolved again, it is revisited (refund-sent-back-reopens)', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await run.until('RESOLVED');
    const [refund] = run.rec.refunds;
    const sentBack = { refundId: 'rf_1', amountMinor: refund!.amountMinor, currency: 'CNY', reason: 'ACCOUNT_CLOSED' };
    await run.handle.signal(refundSentBack, sentBack);
    await run.until('AWAITING_AGENT');
    expect(await run.rec.stepped('REOPENED_ON_REFUND_RETURNED')).toMatchObject({ stage: 'AWAITING_AGENT', status: 'OPEN', escalated: true });
    // The follower told the customer, with what happens next: the case says nothing more.
    expect(run.rec.notifications.map((n) => n.template)).not.toContain('caseReopenedByStaff');
    // Told again of the same refund (the follower retried): nothing more happens.
    await run.handle.signal(refundSentBack, sentBack);
    await env.sleep((run.input.policy.rules.revisitAfterDays + 1) * DAY);
    expect(await run.stage()).toBe('AWAITING_AGENT');
    expect(run.rec.kinds()).not.toContain('REVISIT_SENT');
    await expect(run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a4' }, action: 'REFUND_RECEIVED', asOffered: true }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, message: 'this wait (REOPENED_ON_REFUND_RETURNED) takes CONTINUE, CLOSE' },
    });
    await continueByAgent(run, 'paid again to a new card');
    await run.until('RESOLVED');
    // The same refund once more while resting again: already acted on, the revisit comes.
    await run.handle.signal(refundSentBack, sentBack);
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    const after = run.rec.kinds().slice(run.rec.kinds().indexOf('REOPENED_ON_REFUND_RETURNED'));
    expect(after.filter((k) => k !== 'AGENT_REMINDER')).toEqual(['REOPENED_ON_REFUND_RETURNED', 'AGENT_RESOLVED', 'RESOLVED_AGAIN', 'REVISIT_SENT', 'CLOSED_SATISFIED']);
    expect(run.rec.refunds).toHaveLength(1);
    await saveHistory(run, 'return-refund-v14-refund-sent-back');
  });

  it('a refund the bank sent back before the case came to rest reopens it as it resolves, with no revisit first (refund-sent-back-reopens)', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    // Heard early (another refund of the case, a retry of the follower): kept for when the case comes to rest.
    await run.handle.signal(refundSentBack, { refundId: 'rf_early', amountMinor: 500, currency: 'CNY', reason: 'CARD_CANCELLED' });
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await run.until('AWAITING_AGENT');
    expect(run.rec.kinds().slice(run.rec.kinds().indexOf('RESOLVED'))).toEqual(['RESOLVED', 'REOPENED_ON_REFUND_RETURNED']);
    await continueByAgent(run, 'paid again');
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.kinds().filter((k) => k.startsWith('REOPENED'))).toEqual(['REOPENED_ON_REFUND_RETURNED']);
    await saveHistory(run, 'return-refund-v14-refund-sent-back-before-rest');
  });

  it('a refund sent back and paid again before the case came to rest does not reopen it', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await run.handle.signal(refundSentBack, { refundId: 'rf_early', amountMinor: 500, currency: 'CNY', reason: 'CARD_CANCELLED' });
    await run.handle.signal(refundPaidAgain, { returnedRefundId: 'rf_early' });
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.kinds().filter((k) => k.startsWith('REOPENED'))).toEqual([]);
  });

  it('an escalation and a refund sent back in one rest reopen the case once, as the escalation; resolved again, it is revisited', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await run.until('RESOLVED');
    await run.handle.signal(escalate, { by: { kind: 'agent', id: 'a7' }, reason: 'customer called: the refund has not arrived' });
    await run.handle.signal(refundSentBack, SENT_BACK);
    await run.until('AWAITING_AGENT');
    await continueByAgent(run, 'paid again');
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    // The refund came while the agent had the case (who may not go on before paying it again): it does not reopen it twice.
    expect(run.rec.kinds().filter((k) => k.startsWith('REOPENED'))).toEqual(['REOPENED_ON_ESCALATION']);
    await saveHistory(run, 'return-refund-v14-escalated-and-refund-sent-back');
  });

  it('a refund sent back while the revisit is out stops it: the case reopens to an agent, the customer\'s late score is refused, and it is revisited afresh (revisit-interrupted)', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await askForRevisit(run);
    await run.handle.signal(refundSentBack, SENT_BACK);
    await run.until('AWAITING_AGENT');
    expect(await run.rec.stepped('REOPENED_ON_REFUND_RETURNED')).toMatchObject({ stage: 'AWAITING_AGENT', status: 'OPEN', escalated: true });
    // The follower told the customer of the refund; the case adds nothing.
    expect(run.rec.notifications.map((n) => n.template)).not.toContain('caseReopenedByStaff');
    await expect(run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] })).rejects.toMatchObject({ cause: { message: 'the case is at stage AWAITING_AGENT, not AWAITING_REVISIT' } });
    // The revisit's days pass with the agent: it neither closes nor asks again meanwhile.
    await env.sleep((run.input.policy.rules.revisitAnswerDays + 1) * DAY);
    expect(await run.stage()).toBe('AWAITING_AGENT');
    await continueByAgent(run, 'paid again to a new card');
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    const after = run.rec.kinds().slice(run.rec.kinds().indexOf('REVISIT_SENT'));
    expect(after.filter((k) => k !== 'AGENT_REMINDER')).toEqual(['REVISIT_SENT', 'REOPENED_ON_REFUND_RETURNED', 'AGENT_RESOLVED', 'RESOLVED_AGAIN', 'REVISIT_SENT', 'CLOSED_SATISFIED']);
    await saveHistory(run, 'return-refund-v22-refund-at-revisit');
  });

  it('a refund already paid again when the case hears it was sent back does not stop the revisit (the two tellings may come in either order)', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await askForRevisit(run);
    await run.handle.signal(refundPaidAgain, { returnedRefundId: 'rf_1' });
    await run.handle.signal(refundSentBack, SENT_BACK);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 4 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.kinds().filter((k) => k.startsWith('REOPENED'))).toEqual([]);
  });

  it('an escalation while the revisit is out reopens the case instead of letting silence close it with the escalation open (revisit-interrupted)', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await askForRevisit(run);
    await run.handle.signal(escalate, { by: { kind: 'agent', id: 'a7' }, reason: 'customer called: still no refund' });
    await run.until('AWAITING_AGENT');
    expect(await run.rec.stepped('REOPENED_ON_ESCALATION')).toMatchObject({ stage: 'AWAITING_AGENT', escalated: true });
    expect((await run.rec.sent('caseReopenedByStaff')).caseId).toBe(run.input.caseId);
    await env.sleep((run.input.policy.rules.revisitAnswerDays + 1) * DAY);
    expect(await run.stage()).toBe('AWAITING_AGENT');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'supervisor', id: 's1' }, action: 'CLOSE', note: 'refund traced with the bank', asOffered: true }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.kinds().slice(run.rec.kinds().indexOf('REVISIT_SENT')).filter((k) => k !== 'AGENT_REMINDER')).toEqual(['REVISIT_SENT', 'ESCALATED', 'REOPENED_ON_ESCALATION', 'AGENT_RESOLVED', 'CLOSED_BY_AGENT']);
    await saveHistory(run, 'return-refund-v22-escalated-at-revisit');
  });

  it('a CONTINUE whose API guard did not see a refund the workflow heard of since is refused (REFUND_STILL_OWED); one it saw, or paid again since, is not', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await run.until('RESOLVED');
    await run.handle.signal(escalate, { by: { kind: 'agent', id: 'a7' }, reason: 'customer called' });
    await run.until('AWAITING_AGENT');
    // The bank's answer reaches the workflow between the API's guard and the agent's CONTINUE.
    await run.handle.signal(refundSentBack, { refundId: 'rf_late', amountMinor: 100, currency: 'CNY', reason: 'ACCOUNT_CLOSED' });
    const resolve = (refundsSentBackSeen: string[]) => run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a4' }, action: 'CONTINUE', note: 'done', asOffered: true, refundsSentBackSeen }] });
    await expect(resolve([])).rejects.toMatchObject({ cause: { type: 'REFUND_STILL_OWED', message: expect.stringContaining('rf_late') } });
    expect(await run.stage()).toBe('AWAITING_AGENT');
    // Paid again since (the payment again's step told the workflow): the same CONTINUE is taken.
    await run.handle.signal(refundPaidAgain, { returnedRefundId: 'rf_late' });
    await resolve([]);
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
  });

  it('an escalation while RESOLVED may be closed by the agent it reopens to', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await run.until('RESOLVED');
    await run.handle.signal(escalate, { by: { kind: 'agent', id: 'a7' }, reason: 'checking the refund' });
    await run.until('AWAITING_AGENT');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'supervisor', id: 's1' }, action: 'CLOSE', note: 'refund confirmed with the customer', asOffered: true }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'CLOSED_BY_AGENT', closeReason: 'refund confirmed with the customer' });
  });

  it('a resolution recorded before the API named only offered actions (a refund action meaning go on) is still taken, as the what-if replays it', async () => {
    const run = await open();
    await shipArriveInspect(run, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await run.until('RESOLVED');
    const refunded = run.rec.refunds.map((r) => r.amountMinor);
    expect(refunded).toHaveLength(1);
    await revisitWith(run, 1);
    await run.until('AWAITING_AGENT');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a4' }, action: 'REFUND_RECEIVED' }] });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual(refunded);
  });

  it('the same-day solution deadline: an agent who decides too late leaves the case late and escalated', async () => {
    const run = await open({}, {}, 30);
    await run.until('AWAITING_DECISION');
    await sleepPastSolutionDeadline(run.handle);
    const breach = run.rec.transitions.find((t) => t.kind === 'SLA_BREACHED')!;
    expect(breach).toMatchObject({ late: true, escalated: true });
    expect(breach.decision).toMatchObject({ rule: 'sameDaySolution', outcome: 'BREACHED', policyVersion: 3, values: { sameDayMeans: 'BUSINESS_DAY' } });
    expect(run.rec.templates()).toContain('caseEscalated');
    // Still owed: no step so far says the solution was given.
    expect(run.rec.transitions.map((t) => t.solutionGivenAt)).toEqual(run.rec.transitions.map(() => undefined));
    const decidedAt = await env.currentTimeMs();
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a5' }, decision: 'REJECT', reason: 'used item' }] });
    expect(await run.done).toBe('REJECTED');
    // Given late: the steps from the decision on carry its time, after the deadline.
    const proposed = run.rec.transitions.find((t) => t.kind === 'SOLUTION_PROPOSED')!;
    expect(proposed.solutionGivenAt).toBeGreaterThanOrEqual(decidedAt);
    expect(proposed.solutionGivenAt).toBeGreaterThan(run.rec.transitions[0]!.deadlines!.solutionDueAt!);
    expect(run.rec.transitions.at(-1)!.solutionGivenAt).toBe(proposed.solutionGivenAt);
  });

  it('commands for another stage are refused by the validators, before they reach history', async () => {
    const run = await open();
    await run.until('AWAITING_RETURN_SHIPMENT');
    await expect(run.handle.executeUpdate(reportInspection, { args: [{ by: 'i', lines: [] }] })).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/stage AWAITING_RETURN_SHIPMENT/) },
    });
    // Bad content, not the stage: refused naming the field that is missing (the API answers it 400).
    await expect(run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: ' ', trackingNumber: 'x' }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, message: 'carrier and trackingNumber are required', details: [{ field: 'carrier' }] },
    });
    await expect(run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: '' }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, message: 'carrier and trackingNumber are required', details: [{ field: 'trackingNumber' }] },
    });
    // Both blank: both named (the API lists them all), the message as before.
    await expect(run.handle.executeUpdate(submitReturnShipment, { args: [{ carrier: ' ', trackingNumber: ' ' }] })).rejects.toMatchObject({
      cause: { type: INVALID_INPUT, message: 'carrier and trackingNumber are required', details: [{ field: 'carrier', reason: expect.stringMatching(/^is required/) }, { field: 'trackingNumber' }] },
    });
    const history = await run.handle.fetchHistory();
    expect(history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('reason OTHER is the customer’s own: no shipping refund; what other cases refunded caps this one and shipping goes back once', async () => {
    const other = await open({ lines: [{ sku: 'MUG', quantity: 2, reason: 'OTHER' }] });
    await shipArriveInspect(other, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await revisitWith(other, 5);
    await other.done;
    expect(other.rec.refunds.map((r) => r.amountMinor)).toEqual([2 * 3333]);

    // Paid 15 999; an earlier case refunded 10 000 including the shipping fee → at most 5 999 is left.
    const capped = await open({ lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] }, {}, 2, { amountMinor: 10_000, shippingRefunded: true });
    await shipArriveInspect(capped, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await revisitWith(capped, 5);
    await capped.done;
    expect(capped.rec.refunds.map((r) => r.amountMinor)).toEqual([15_999 - 10_000]);
    const decided = capped.rec.transitions.find((t) => t.kind === 'REFUND_DECIDED')!;
    expect(decided.decision).toMatchObject({ rule: 'refundReceivedGoods', values: { goodsMinor: 6666, shippingMinor: 0, alreadyRefundedMinor: 10_000, cappedMinor: 667 } });
    expect(capped.rec.ledger.find((d) => d.kind === 'REFUND')!.lines).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'CAP', amountMinor: -667 })]));

    // Refunded in full by the order's other cases: nothing is left to pay, and the customer is told so
    // (return-nothing-left-told); the inspection excluded nothing, so no "nothing refunded" message blames it.
    const spent = await open({ lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] }, {}, 2, { amountMinor: 15_999, shippingRefunded: true });
    await shipArriveInspect(spent, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]);
    await revisitWith(spent, 5);
    await spent.done;
    expect(spent.rec.refunds).toEqual([]);
    expect(spent.rec.transitions.find((t) => t.kind === 'REFUND_DECIDED')!.decision).toMatchObject({ values: { goodsMinor: 6666, alreadyRefundedMinor: 15_999 } });
    expect(spent.rec.templates()).not.toContain('nothingRefunded');
    expect(spent.rec.templates()).toContain('refundNothingLeft');
    await saveHistory(spent, 'return-refund-v21-nothing-left-told');
  });

  it('the no-reason window runs to local midnight of the 7th day after delivery, not 7 × 24 h', async () => {
    // Delivered at 00:01 Beijing time seven local days ago: more than 7 × 24 h have passed (unless
    // this runs in the first minute of a day), but the window closes only at tonight's midnight.
    const now = await env.currentTimeMs();
    const localMidnightToday = Math.floor((now + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
    const deliveredAt = localMidnightToday - 7 * DAY + 60_000;
    const run = await open({}, {}, (now - deliveredAt) / DAY);
    await run.until('AWAITING_RETURN_SHIPMENT');
    const proposed = await run.rec.stepped('SOLUTION_PROPOSED');
    expect(proposed.decision).toMatchObject({ rule: 'noReasonReturnDays', outcome: 'APPROVE' });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('the case keeps its search attributes current for ops (CaseStage, CaseStatus, CaseLate; Assignee: the agent who acted on it unassigned)', async () => {
    const run = await open({}, {}, 30);
    await run.until('AWAITING_DECISION');
    await sleepPastSolutionDeadline(run.handle); // the same-day deadline passes: late
    expect(((await run.handle.describe()).searchAttributes as Record<string, unknown[]>).Assignee ?? ['']).toEqual(['']);
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'a6' }, decision: 'REJECT', reason: 'worn' }] });
    expect(await run.done).toBe('REJECTED');
    const sa = (await run.handle.describe()).searchAttributes as Record<string, unknown[]>;
    // The console names a6 as the case's agent (the read model's rule): the Temporal UI does too.
    expect(sa).toMatchObject({ CaseStage: ['CLOSED'], CaseStatus: ['CLOSED'], CaseLate: [true], Assignee: ['a6'] });
    await saveHistory(run, 'return-refund-v20-acting-agent-takes');
    const found = await client.workflow.count(`CaseStage = "CLOSED" AND CaseLate = true AND WorkflowId = "${run.handle.workflowId}"`);
    expect(found.count).toBe(1);
  });

  it('every notification the cases sent renders in Chinese and English (the return address included)', () => {
    expect(renderProblems).toEqual([]);
    expect(renderProblems.length + finished.length).toBeGreaterThan(10);
  });
});
