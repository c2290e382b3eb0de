/**
 * The what-if's baseline against what really happened, for cases whose path turns on what the
 * warehouse said: recorded over HTTP, read back as the job reads them
 * (worker/policy-simulation.ts), replayed under the policy they ran with.
 *
 * - A refund before shipping whose order the warehouse had PICKED: the replay asks the warehouse
 *   too, and must hear PICKED (what the real case's DISPATCH_CHECKED step recorded), not the
 *   simulator's NOT_PICKED — else the merchant's approval the real case waited for is skipped.
 * - A tracking inquiry whose order had left: the replay must follow the parcel the real case
 *   followed, not wait at AWAITING_DISPATCH for a warehouse that shipped long ago.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../db/repositories.js';
import type { Policy } from '../../domain/policy.js';
import type { FulfilmentPolicy } from '../../domain/fulfilment/index.js';
import { startSimulator, type CaseResult, type RecordedCase, type Simulator } from '../../simulation/index.js';
import { policySimulationPorts } from '../../worker/policy-simulation.js';
import { usePlatform } from '../e2e/platform-harness.js';

const pt = usePlatform();

const order = (orderId: string) => ({ orderId, currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 2, unitPriceMinor: 5000, unitCostMinor: 2000 }], shippingFeeMinor: 800, paidTotalMinor: 10_800 });

const ids = { picked: '', shipped: '' };
let recorded: RecordedCase[];
let policy: Policy;
let fulfilment: FulfilmentPolicy | undefined;
let simulator: Simulator;
let results: CaseResult[];

/** The real case's stages in step order (consecutive repeats once) and its decisions. */
async function real(caseId: string) {
  const events = await pt.db.$queryRawUnsafe<Array<{ kind: string; stage: string | null; decision: { rule: string; outcome: string } | null; at: Date }>>(
    `SELECT "kind", "stage", "decision", "at" FROM "CaseEvent" WHERE "caseId" = $1 AND "stepKey" ~ '^[0-9]+:' ORDER BY split_part("stepKey", ':', 1)::int`,
    caseId,
  );
  const stages: string[] = [];
  for (const e of events) if (e.stage && stages.at(-1) !== e.stage) stages.push(e.stage);
  return { stages, decisions: events.filter((e) => e.decision).map((e) => ({ rule: e.decision!.rule, outcome: e.decision!.outcome })) };
}

const sim = (caseId: string) => results.find((r) => r.caseId === caseId)!;

/** A simulated case as far as the real one went (the real ones are left before their revisit runs out; the replay runs on to the close). */
const asFar = (r: CaseResult, actual: { stages: string[]; decisions: unknown[] }) => ({
  stages: r.stages.slice(0, actual.stages.length),
  decisions: r.decisions.slice(0, actual.decisions.length).map(({ rule, outcome }) => ({ rule, outcome })),
});

beforeAll(async () => {
  const since = new Date(Date.now() - 60_000);
  const warehouse = pt.platform.simulators.warehouse!;

  // Picked when asked (a reason that refunds a NOT_PICKED order at once): the merchant is asked, approves; the order is cancelled, the outbound reversed, refunded.
  warehouse.setOrder({ orderId: 'wi-picked', status: 'PICKED', outboundId: 'ob-wi-1' });
  const picked = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-wi-1', locale: 'en' }, order: order('wi-picked'), reason: 'NO_LONGER_WANTED' });
  expect(picked.status).toBe(201);
  ids.picked = picked.body.caseId;
  await pt.until(ids.picked, pt.keys.AGENT, 'AWAITING_MERCHANT');
  expect((await pt.call('POST', `/v1/cases/${ids.picked}/proposals`, pt.keys.AGENT, { decision: 'APPROVE' })).status).toBe(200);
  await pt.until(ids.picked, pt.keys.AGENT, 'RESOLVED');

  // Shipped before the customer asked: the inquiry follows the parcel the warehouse names.
  warehouse.ship('wi-shipped', 'SF', 'SFWI0001', Date.now() - 86_400_000);
  const shipped = await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-wi-2', locale: 'en' }, order: order('wi-shipped'), promisedShipBy: Date.now() - 2 * 86_400_000, recipientName: 'Wang Fang' });
  expect(shipped.status).toBe(201);
  ids.shipped = shipped.body.caseId;
  await pt.until(ids.shipped, pt.keys.AGENT, 'FOLLOWING');

  // Read as the job reads them.
  const ports = policySimulationPorts(pt.db);
  recorded = (await ports.recordedCases({ merchantId: 'demo-merchant', from: since, to: new Date(Date.now() + 60_000) })).filter((c) => Object.values(ids).includes(c.caseId));
  expect(recorded).toHaveLength(2);
  const repos = createRepositories(pt.db);
  policy = (await repos.policyVersion('demo-merchant', 1))!;
  fulfilment = await repos.fulfilmentPolicy('demo-merchant', 1);
  simulator = await startSimulator();
  results = await simulator.run(recorded, { policy, ...(fulfilment ? { fulfilment } : {}) }, { concurrency: 2 });
}, 180_000);

afterAll(async () => {
  await simulator?.close();
});

describe("the what-if's baseline, where the real case learned a provider's answer", () => {
  it('a refund before shipping hears PICKED as the real case did: the merchant is asked, the outbound reversed, nothing assumed', async () => {
    const r = sim(ids.picked);
    expect(asFar(r, await real(ids.picked))).toEqual(await real(ids.picked));
    expect(r.stages).toContain('AWAITING_MERCHANT');
    expect(r).toMatchObject({ outcome: 'CLOSED_UNANSWERED', refundedMinor: 10_800, ledger: { OUTBOUND_REVERSAL: 0, REFUND: -10_800 }, diverged: false });
    // The warehouse's answer is history's, not the simulator's: not an assumption.
    expect(r.assumedAt.filter((a) => a.rule === 'warehouseDispatch')).toEqual([]);
  });

  it('a tracking inquiry whose order had left follows its parcel, never waiting for the warehouse', async () => {
    const r = sim(ids.shipped);
    expect(r.stages).not.toContain('AWAITING_DISPATCH');
    expect(r.stages.slice(0, 2)).toEqual((await real(ids.shipped)).stages.slice(0, 2));
    expect(r.decisions[0]).toMatchObject({ kind: 'URGE_CHECKED', rule: 'urgeDelivery', outcome: 'LOOK_UP_TRACE' });
    expect(r.slaBreached).toBe(false);
    expect(r.assumedAt.filter((a) => a.rule === 'warehouseDispatch')).toEqual([]);
  });
});
