/**
 * A replay's time to a solution is the workflow's own "solution given" (the step stamp the
 * same-day deadline and the case row count), not its first RESOLVED step: a quality problem is
 * solved when the discount is offered (misuse ruled out). A trial read 231 h in the baseline
 * against seconds in reality for one whose customer then never sent the free return they chose:
 * the replay ran on to the close and called that the solution. The actual column reads the same
 * rule from the case row (docs/policy-simulation.md, "The result").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicySimulations } from '../../db/policy-simulations.js';
import { createRepositories } from '../../db/repositories.js';
import { startSimulator, type CaseResult, type Simulator } from '../../simulation/index.js';
import { actualResult } from '../../simulation/result.js';
import { policySimulationPorts } from '../../worker/policy-simulation.js';
import { usePlatform } from '../e2e/platform-harness.js';

const pt = usePlatform();

let caseId: string;
let simulator: Simulator;
let result: CaseResult;

beforeAll(async () => {
  const since = new Date(Date.now() - 60_000);
  const opened = await pt.call('POST', '/v1/quality-problems', pt.keys.STOREFRONT, {
    customer: { id: 'cust-st-1', locale: 'en' },
    order: { orderId: 'st-quality', currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 2, unitPriceMinor: 5000, unitCostMinor: 2000 }], shippingFeeMinor: 800, paidTotalMinor: 10_800 },
    lines: [{ sku: 'TEA', quantity: 1 }],
    description: 'stale',
    evidenceUrls: ['https://evidence.example.com/st.jpg'],
  });
  expect(opened.status).toBe(201);
  caseId = opened.body.caseId;
  const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-st-1' })).body.token;
  // No misuse (the discount offered: the solution), declined for a free return never sent.
  await pt.until(caseId, pt.keys.AGENT, 'AWAITING_MISUSE_CHECK');
  expect((await pt.call('POST', `/v1/cases/${caseId}/misuse-finding`, pt.keys.AGENT, { finding: 'NO_MISUSE' })).status).toBe(200);
  await pt.until(caseId, token, 'AWAITING_CUSTOMER_CONSENT');
  expect((await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, token, { accept: false })).status).toBe(200);
  await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
  expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'REFUND' })).status).toBe(200);
  await pt.until(caseId, token, 'AWAITING_RETURN_SHIPMENT');

  const recorded = (await policySimulationPorts(pt.db).recordedCases({ merchantId: 'demo-merchant', from: since, to: new Date(Date.now() + 60_000) })).filter((c) => c.caseId === caseId);
  expect(recorded).toHaveLength(1);
  const repos = createRepositories(pt.db);
  const policy = (await repos.policyVersion('demo-merchant', 1))!;
  const fulfilment = await repos.fulfilmentPolicy('demo-merchant', 1);
  simulator = await startSimulator();
  [result] = (await simulator.run(recorded, { policy, ...(fulfilment ? { fulfilment } : {}) })) as [CaseResult];
}, 180_000);

afterAll(async () => {
  await simulator?.close();
});

describe('time to a solution in the what-if', () => {
  it('a quality problem whose solution was given within seconds is solved within seconds, in the replay and in what happened', async () => {
    expect(result.stages.slice(0, 5)).toEqual(['OPENED', 'AWAITING_MISUSE_CHECK', 'AWAITING_CUSTOMER_CONSENT', 'AWAITING_CUSTOMER_CHOICE', 'AWAITING_RETURN_SHIPMENT']);
    expect(result).toMatchObject({ diverged: false, dropped: [], slaBreached: false });
    // The replay runs on: the parcel never sent closes the case a week later. That is its close, not its solution.
    expect(result.timeToCloseMs).toBeGreaterThan(7 * 86_400_000);
    expect(result.timeToSolutionMs).toBeLessThan(60_000);
    const [facts] = await createPolicySimulations(pt.db).actualCases([caseId]);
    expect(actualResult(facts!).timeToSolutionMs).toBeLessThan(60_000);
  });
});
