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
import { createRepositories } from '../../db/repositories.js';
import type { Policy } from '../../domain/policy.js';
import { recordedCases, startSimulator, type CaseResult, type RecordedCase, type Simulator } from '../../simulation/index.js';
import { usePlatform } from '../e2e/platform-harness.js';

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

beforeAll(async () => {
  // A return within the window: shipped, scanned, inspected, refunded; the revisit goes unanswered.
  const refunded = await openReturn('refunded', 1);
  await pt.until(refunded.caseId, refunded.customer, 'AWAITING_RETURN_SHIPMENT');
  expect((await pt.call('POST', `/v1/cases/${refunded.caseId}/return-shipment`, refunded.customer, { carrier: 'SF', trackingNumber: 'SFSIM001' })).status).toBe(200);
  // Sent again at the wrong stage: refused then, refused in the simulation too (not a divergence).
  expect((await pt.call('POST', `/v1/cases/${refunded.caseId}/return-shipment`, refunded.customer, { carrier: 'SF', trackingNumber: 'SFSIM002' })).status).toBe(409);
  await pt.until(refunded.caseId, refunded.customer, 'AWAITING_ARRIVAL');
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
    expect(what!.dropped).toEqual([{ afterMs: expect.any(Number), kind: 'propose', reason: expect.stringMatching(/not AWAITING_DECISION/) }]);
    expect(what!.diverged).toBe(true);
    // History never says whether the customer would have shipped: silence, the policy's default.
    expect(what).toMatchObject({ outcome: 'NOT_SHIPPED', refundedMinor: 0, assumed: true });
    expect(what!.assumptions[0]).toMatch(/AWAITING_RETURN_SHIPMENT.*customerShipReturnDays/);
  });
});
