/**
 * The policy what-if over real recorded cases: returns driven through the platform over HTTP
 * (as test/e2e/case-inputs-over-http.test.ts does), their inputs read back from CaseInput, then
 * simulated on the engine's own dev server. Under the policy they ran with, each case comes out as
 * it did (outcome, stages, decisions, refunds); under a candidate with a longer no-reason window,
 * the agent's rejection of a late return becomes an automatic approval.
 *
 * Every input is sent before the platform's virtual clock is moved (the API stamps inputs on the
 * wall clock): the cases then run to their ends by their deadlines alone.
 */
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInputs } from '../../db/case-inputs.js';
import { caseStages } from '../../db/case-stages.js';
import { caseCosts } from '../../db/costs.js';
import { createRepositories } from '../../db/repositories.js';
import type { Policy } from '../../domain/policy.js';
import { recordedCases, startSimulator, type CaseResult, type RecordedCase, type Simulator } from '../../simulation/index.js';
import { usePlatform } from '../e2e/platform-harness.js';
import { waitUntil } from '../support/wait.js';

const pt = usePlatform();
const DAY = 86_400_000;

function returnBody(orderId: string, customerId: string, deliveredDaysAgo: number) {
  const now = Date.now();
  return {
    customer: { id: customerId, locale: 'en' },
    order: {
      orderId,
      currency: 'CNY',
      items: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitPriceMinor: 3333, unitCostMinor: 1200 }],
      shippingFeeMinor: 0,
      paidTotalMinor: 6666,
      shippedAt: now - (deliveredDaysAgo + 2) * DAY,
      deliveredAt: now - deliveredDaysAgo * DAY,
    },
    lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }],
    evidenceUrls: ['https://evidence.example.com/sim/mug.jpg'],
  };
}

async function openReturn(name: string, deliveredDaysAgo: number) {
  const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, returnBody(`sim-${name}`, `cust-sim-${name}`, deliveredDaysAgo));
  expect(opened.status).toBe(201);
  const token = await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: `cust-sim-${name}` });
  // Awaited from the start: the dev server drops a closed run after its retention, which the skip below passes.
  const outcome = new Client({ connection: pt.temporal }).workflow.getHandle(opened.body.workflowId).result().then(String);
  return { caseId: opened.body.caseId as string, workflowId: opened.body.workflowId as string, customer: token.body.token as string, outcome };
}

/** What the platform recorded of a case: its workflow's result, stages, decisions and refunds. */
interface Recorded {
  outcome: string;
  stages: string[];
  decisions: Array<{ rule: string; outcome: string }>;
  refunds: number[];
}

const cases: Record<'refunded' | 'rejected' | 'notShipped', { caseId: string; workflowId: string; outcome: Promise<string> }> = {} as never;
let recorded: RecordedCase[];
let policy: Policy;
let simulator: Simulator;
let recordedSince: string;

beforeAll(async () => {
  recordedSince = new Date(Date.now() - 60_000).toISOString();
  // A return within the window: shipped, scanned, inspected, refunded; the revisit goes unanswered.
  const refunded = await openReturn('refunded', 1);
  await pt.until(refunded.caseId, refunded.customer, 'AWAITING_RETURN_SHIPMENT');
  expect((await pt.call('POST', `/v1/cases/${refunded.caseId}/return-shipment`, refunded.customer, { carrier: 'SF', trackingNumber: 'SFSIM001' })).status).toBe(200);
  await pt.until(refunded.caseId, refunded.customer, 'AWAITING_ARRIVAL');
  // A command for another stage: refused then, refused in the simulation too (not a divergence).
  // (A second return shipment here would correct the number: workflows/return-parcel.ts.)
  expect((await pt.call('POST', `/v1/cases/${refunded.caseId}/proposal-answer`, refunded.customer, { accept: true })).status).toBe(409);
  expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFSIM001', scannedBy: 'dock-1' })).status).toBe(202);
  await pt.until(refunded.caseId, pt.keys.WAREHOUSE!, 'AWAITING_INSPECTION');
  const inspection = { by: 'inspector-1', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] };
  expect((await pt.call('POST', `/v1/cases/${refunded.caseId}/inspection`, pt.keys.WAREHOUSE, inspection)).status).toBe(200);
  await pt.until(refunded.caseId, refunded.customer, 'RESOLVED');

  // Delivered 12 days ago: outside the 7-day window, so an agent decides — and rejects.
  const rejected = await openReturn('rejected', 12);
  await pt.until(rejected.caseId, rejected.customer, 'AWAITING_DECISION');
  expect((await pt.call('POST', `/v1/cases/${rejected.caseId}/proposals`, pt.keys.AGENT, { decision: 'REJECT', reason: 'outside the no-reason window' })).status).toBe(200);
  await pt.until(rejected.caseId, rejected.customer, 'CLOSED');

  // Approved, never shipped: closed as not shipped when the customer's days run out.
  const notShipped = await openReturn('not-shipped', 2);
  await pt.until(notShipped.caseId, notShipped.customer, 'AWAITING_RETURN_SHIPMENT');

  await pt.skip(12 * 86_400); // the revisit window and the shipping deadline run out (virtual time)
  await pt.until(refunded.caseId, refunded.customer, 'CLOSED');
  await pt.until(notShipped.caseId, notShipped.customer, 'CLOSED');
  Object.assign(cases, { refunded, rejected, notShipped });

  const db = { $queryRawUnsafe: pt.db.$queryRawUnsafe.bind(pt.db) };
  const ids = Object.values(cases).map((c) => c.caseId);
  const stages = await caseStages(db, ids);
  recorded = recordedCases((await Promise.all(ids.map((id) => caseInputs(db, id)))).flat()).map((c) => ({ ...c, recordedStages: stages.get(c.caseId) }));
  policy = (await createRepositories(pt.db).policyVersion('demo-merchant', 1))!;
  simulator = await startSimulator();
}, 180_000);

afterAll(async () => {
  await simulator?.close();
});

async function recordedOf(c: { caseId: string; outcome: Promise<string> }): Promise<Recorded> {
  const outcome = await c.outcome;
  const events = await pt.db.$queryRawUnsafe<Array<{ stage: string | null; decision: { rule: string; outcome: string } | null }>>(
    `SELECT "stage", "decision" FROM "CaseEvent" WHERE "caseId" = $1 AND "stepKey" ~ '^[0-9]+:' ORDER BY split_part("stepKey", ':', 1)::int`,
    c.caseId,
  );
  const ledger = await pt.db.$queryRawUnsafe<Array<{ amountMinor: bigint }>>(`SELECT "amountMinor" FROM "LedgerEntry" WHERE "caseId" = $1 AND "kind" = 'REFUND' ORDER BY "id"`, c.caseId);
  const stages: string[] = [];
  for (const e of events) if (e.stage && stages.at(-1) !== e.stage) stages.push(e.stage);
  return { outcome, stages, decisions: events.filter((e) => e.decision).map((e) => ({ rule: e.decision!.rule, outcome: e.decision!.outcome })), refunds: ledger.map((l) => -Number(l.amountMinor)) };
}

const byCase = (results: CaseResult[], caseId: string) => results.find((r) => r.caseId === caseId)!;

describe('simulating recorded cases', () => {
  it('under the policy they ran with, every case comes out as recorded: outcome, stages, decisions, refunds', async () => {
    expect(recorded.map((c) => c.caseId).sort()).toEqual(Object.values(cases).map((c) => c.caseId).sort());
    const results = await simulator.run(recorded, { policy }, { concurrency: 3 });
    for (const [name, c] of Object.entries(cases)) {
      const real = await recordedOf(c);
      const sim = byCase(results, c.caseId);
      expect({ name, outcome: sim.outcome, stages: sim.stages, decisions: sim.decisions.map(({ rule, outcome }) => ({ rule, outcome })), refunds: sim.refunds }).toEqual({ name, ...real });
      expect(sim, name).toMatchObject({ diverged: false, assumed: false, dropped: [], formerlyRefusedAccepted: [] });
      expect(sim.simulatedCaseId).not.toBe(c.caseId);
    }
    expect(byCase(results, cases.refunded.caseId)).toMatchObject({ outcome: 'CLOSED_UNANSWERED', decision: 'APPROVE', refundedMinor: 6666, approvedMinor: 6666, ledger: { REFUND: -6666, RETURN_NOTE: 0 } });
    expect(byCase(results, cases.rejected.caseId)).toMatchObject({ outcome: 'REJECTED', decision: 'REJECT', refundedMinor: 0, approvedMinor: 0 });
    expect(byCase(results, cases.notShipped.caseId)).toMatchObject({ outcome: 'NOT_SHIPPED', decision: 'APPROVE', refundedMinor: 0 });
    const refunded = byCase(results, cases.refunded.caseId);
    expect(refunded.timeToSolutionMs).toBeLessThan(60_000);
    // The cost from the in-memory ledger is the cost the read model's ledger gives the real case.
    for (const c of Object.values(cases)) expect(byCase(results, c.caseId).cost).toEqual(await caseCosts(pt.db, c.caseId));
    expect(refunded.timeToCloseMs).toBeGreaterThan(10 * DAY);
  });

  it('a candidate with a 15-day no-reason window approves the return an agent rejected; the refund it grants shows', async () => {
    const rejected = recorded.find((c) => c.caseId === cases.rejected.caseId)!;
    const candidate: Policy = { ...policy, version: policy.version + 1, rules: { ...policy.rules, noReasonReturnDays: 15 } };
    const [baseline] = await simulator.run([rejected], { policy });
    const [what] = await simulator.run([rejected], { policy: candidate });
    expect(baseline).toMatchObject({ outcome: 'REJECTED', decision: 'REJECT', approvedMinor: 0, diverged: false });
    expect(what).toMatchObject({ decision: 'APPROVE', approvedMinor: 6666 });
    expect(what!.approvedMinor - baseline!.approvedMinor).toBe(6666);
    expect(what!.decisions[0]).toMatchObject({ kind: 'SOLUTION_PROPOSED', rule: 'noReasonReturnDays', outcome: 'APPROVE' });
    // The agent's rejection has nothing to decide any more: dropped, the case diverged.
    expect(what!.dropped).toEqual([{ afterMs: expect.any(Number), kind: 'propose', reason: expect.stringMatching(/not AWAITING_DECISION/), stage: 'AWAITING_RETURN_SHIPMENT' }]);
    expect(what!.assumedAt).toEqual([{ stage: 'AWAITING_RETURN_SHIPMENT', rule: 'customerShipReturnDays', outcome: 'CLOSE' }]);
    expect(what!.diverged).toBe(true);
    // History never says whether the customer would have shipped: silence, the policy's default.
    expect(what).toMatchObject({ outcome: 'NOT_SHIPPED', refundedMinor: 0, assumed: true });
    expect(what!.assumptions[0]).toMatch(/AWAITING_RETURN_SHIPMENT.*customerShipReturnDays/);
  });
});

describe('the what-if as a job over HTTP', () => {
  const path = '/v1/admin/merchants/demo-merchant/policy-simulations';
  const window = () => ({ from: recordedSince, to: new Date(Date.now() + 60_000).toISOString() });

  it('refuses an invalid candidate with the field named as in publishing, under changes', async () => {
    const bad = await pt.call('POST', path, pt.keys.SUPERVISOR, { ...window(), changes: { rules: { noReasonReturnDays: -3 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([expect.objectContaining({ field: 'body.changes.rules.noReasonReturnDays' })]);
    // The same change refused by publishing, with the field named the same way under the body.
    const published = await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { rules: { noReasonReturnDays: -3 } });
    expect(published.status).toBe(400);
    expect(published.body.problems[0].field).toBe('body.rules.noReasonReturnDays');
    expect(bad.body.problems[0].reason).toBe(published.body.problems[0].reason);

    const unknownPart = await pt.call('POST', path, pt.keys.SUPERVISOR, { ...window(), changes: { ruels: {} } });
    expect(unknownPart.status).toBe(400);
    expect(JSON.stringify(unknownPart.body.problems)).toContain('body.changes');
    // A real change where only the period is wrong: an empty one is refused too (below).
    const longer = { rules: { noReasonReturnDays: 15 } };
    const backwards = await pt.call('POST', path, pt.keys.SUPERVISOR, { from: window().to, to: window().from, changes: longer });
    expect(backwards.status).toBe(400);
    expect(backwards.body.problems[0].field).toBe('body.to');
    // Both wrong at once: both said at once.
    const both = await pt.call('POST', path, pt.keys.SUPERVISOR, { from: window().to, to: window().from, changes: { rules: { noReasonReturnDays: 'x' } } });
    expect(both.status).toBe(400);
    expect(both.body.problems.map((p: { field: string }) => p.field)).toEqual(['body.to', 'body.changes.rules.noReasonReturnDays']);
    // Local dates, as the ledger and the figures take days: the start of the day where the merchant is (Asia/Shanghai).
    const byDates = await pt.call('POST', path, pt.keys.SUPERVISOR, { from: '2026-10-01', to: '2026-09-30', changes: longer });
    expect(byDates.body.problems).toEqual([{ field: 'body.to', reason: 'must be after from' }]);
    expect((await pt.call('POST', path, pt.keys.SUPERVISOR, { from: '2026-02-30', to: '2026-03-02', changes: longer })).body.problems).toEqual([{ field: 'body.from', reason: '2026-02-30 is not a date' }]);
    expect((await pt.call('POST', path, pt.keys.SUPERVISOR, { from: '1 Oct 2026', to: '2026-10-02', changes: longer })).body.problems.map((p: { field: string }) => p.field)).toContain('body.from');
    const dated = await pt.call('POST', path, pt.keys.SUPERVISOR, { from: '2020-01-01', to: '2020-01-02', changes: longer });
    expect(dated).toMatchObject({ status: 202, body: { from: '2019-12-31T16:00:00.000Z', to: '2020-01-01T16:00:00.000Z' } });
  });

  it('refuses a candidate that changes nothing, as publishing refuses it, without starting a job', async () => {
    const jobs = () => pt.db.policySimulation.count();
    const before = await jobs();
    const empty = await pt.call('POST', path, pt.keys.SUPERVISOR, { ...window(), changes: {} });
    expect(empty).toMatchObject({ status: 400, body: { field: 'body.changes', problems: [{ field: 'body.changes', reason: 'changes nothing: version 1 already says this' }] } });
    // Publishing the same says the same of its body.
    const published = await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, {});
    expect(published).toMatchObject({ status: 400, body: { field: 'body' } });
    expect(empty.body.problems[0].reason).toBe(published.body.problems[0].reason);
    // Only values the current version already has: nothing either.
    const same = await pt.call('POST', path, pt.keys.SUPERVISOR, { ...window(), changes: { rules: { noReasonReturnDays: policy.rules.noReasonReturnDays }, businessHours: { timeZone: policy.businessHours.timeZone } } });
    expect(same).toMatchObject({ status: 400, body: { problems: [{ field: 'body.changes', reason: 'changes nothing: version 1 already says this' }] } });
    // Said with the period's problem at once.
    const both = await pt.call('POST', path, pt.keys.SUPERVISOR, { from: window().to, to: window().from, changes: {} });
    expect(both.body.problems.map((p: { field: string }) => p.field)).toEqual(['body.to', 'body.changes']);
    expect(await jobs()).toBe(before);
  });

  it("is for the merchant's supervisors and admins only", async () => {
    expect((await pt.call('POST', path, pt.keys.AGENT, { ...window(), changes: {} })).status).toBe(403);
    expect((await pt.call('GET', path, pt.keys.STOREFRONT)).status).toBe(403);
    // A supervisor of another merchant does not find this one.
    expect((await pt.call('GET', '/v1/admin/merchants/another-merchant/policy-simulations', pt.keys.SUPERVISOR)).status).toBe(404);
  });

  it('runs baseline and candidate as a job: progress, then the report with the approval the longer window grants; the table as CSV', async () => {
    // What a simulation must never touch: real cases, their steps and inputs, the ledger, messages, providers, figures.
    const untouched = async () => ({
      cases: await pt.db.case.count(),
      steps: await pt.db.caseEvent.count(),
      inputs: await pt.db.caseInput.count(),
      ledger: await pt.db.ledgerEntry.count(),
      messages: await pt.db.notification.count(),
      providers: await pt.db.simulatorEffect.count(),
      figures: await pt.db.figureDay.count(),
    });
    const before = await untouched();
    const started = await pt.call('POST', path, pt.keys.SUPERVISOR, { ...window(), changes: { rules: { noReasonReturnDays: 15 } } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'RUNNING', baseVersion: 1, changes: { rules: { noReasonReturnDays: 15 } } });
    const id = started.body.id as string;
    expect(started.headers.get('location')).toBe(`${path}/${id}`);

    const done = await waitUntil('the simulation finished', async () => {
      const r = await pt.call('GET', `${path}/${id}`, pt.keys.SUPERVISOR);
      expect(r.status).toBe(200);
      expect(r.body.status).not.toBe('FAILED');
      return r.body.status === 'DONE' ? r.body : undefined;
    });
    expect(done.progress).toEqual({ done: 6, total: 6 });
    expect(await untouched()).toEqual(before);
    const report = done.result;
    expect(report.cases).toBe(3);
    const row = (caseId: string) => report.rows.find((r: { caseId: string }) => r.caseId === caseId);
    // The baseline is what happened.
    expect(row(cases.refunded.caseId)).toMatchObject({ type: 'RETURN_AND_REFUND', changed: false, baseline: { outcome: 'CLOSED_UNANSWERED', refundedMinor: 6666, diverged: false, assumed: false } });
    // The rejection an agent made becomes the policy's approval; the customer's shipment is not in history.
    expect(row(cases.rejected.caseId)).toMatchObject({
      changed: true,
      baseline: { outcome: 'REJECTED', decision: 'REJECT', decidedBy: 'AGENT', approvedMinor: 0 },
      candidate: { outcome: 'NOT_SHIPPED', decision: 'APPROVE', decidedBy: 'POLICY', approvedMinor: 6666, diverged: true, assumed: true },
    });
    expect(row(cases.rejected.caseId).candidate.why.join(' ')).toMatch(/propose .*dropped/);
    const total = (name: string) => report.totals.find((t: { name: string }) => t.name === name);
    expect(total('approvedMinor')).toMatchObject({ baseline: 13332, candidate: 19998, difference: 6666, cases: 3 });
    expect(total('refundedMinor')).toMatchObject({ baseline: 6666, candidate: 6666, difference: 0, cases: 3 });
    // Two of three, to the 0.1 % the page shows (simulation/report.ts).
    expect(total('autoApprovalRate')).toMatchObject({ baseline: 0.667, candidate: 1, cases: 3 });
    // What really happened, from the cases' own timelines and ledgers: here the current policy is the
    // one they were decided under, so the faithful replay and the actual agree.
    expect([total('approvedMinor').actual, total('refundedMinor').actual, total('autoApprovalRate').actual]).toEqual([13332, 6666, 0.667]);
    expect(report.counts).toMatchObject({ changed: 1, diverged: 1, assumed: 1 });
    expect(report.notShown[0]).toMatch(/no-reason window/);

    const listed = await pt.call('GET', path, pt.keys.SUPERVISOR);
    expect(listed.body.items.map((s: { id: string }) => s.id)).toContain(id);

    const csv = await fetch(`${pt.platform.apiUrl}${path}/${id}?format=csv&lang=en`, { headers: { authorization: `Bearer ${pt.keys.SUPERVISOR}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Case,Type,Changed,What happened: outcome,/);
    expect(lines).toHaveLength(4);
    const rejectedLine = lines.find((l) => l.startsWith(cases.rejected.caseId))!;
    expect(rejectedLine).toContain(',yes,');
    // What happened (the case as the read model has it, read by the route: closed, why), the current policy replayed
    // and the candidate, in the console's words; their codes at the end.
    expect(rejectedLine).toMatch(/,Rejected,Reject,by an agent,.*,Rejected,Reject,by an agent,.*,Not shipped,Approve,by policy,.*,REJECTED,REJECT,AGENT,REJECTED,REJECT,AGENT,NOT_SHIPPED,APPROVE,POLICY$/);
    const xlsx = await fetch(`${pt.platform.apiUrl}${path}/${id}?format=xlsx`, { headers: { authorization: `Bearer ${pt.keys.SUPERVISOR}` } });
    expect(xlsx.status).toBe(200);
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});
