/**
 * The what-if over cases whose path rests on the courier's trace, driven over HTTP as a user trial
 * did, read back through the job's own ports (worker/policy-simulation.ts), replayed under a trial's
 * short waits: the parcel traced every 3 minutes (reshipmentTraceEveryHours 0.05, README).
 *
 * - A re-shipped missing item the courier's trace delivered: the replay's trace says what the real
 *   case's DELIVERED step says, from when it said it. Before, the simulated courier said "in transit"
 *   for ever, and the case polled it every 3 virtual minutes for the whole run-on (about 9 ms of
 *   work each: some 57,600 polls in 120 days, minutes of a job that then looked stuck at 0/N).
 * - A re-shipment reported under a mistyped number, corrected, delivered by the courier's event for
 *   the right number: replayed as it went.
 * - A lost parcel whose trace said EXCEPTION (its CAUSE_DECIDED step): lost in the replay too, so the
 *   customer's choice and the re-shipment recorded are taken, not dropped at FOLLOWING.
 * - The same under a candidate that refunds it at once: the correction, for a parcel never sent on
 *   that path, is dropped with the stage it came at, not the SDK's "No registered handler".
 * - A tracking inquiry's ship promise (promisedShipBy) moves with the clock: still ahead when the
 *   replay asks, as it was, so the customer is asked to wait as they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { createRepositories } from '../../db/repositories.js';
import { startSimulator, type RecordedCase, type SimulationPolicies, type Simulator } from '../../simulation/index.js';
import { policySimulationPorts } from '../../worker/policy-simulation.js';
import { usePlatform } from '../e2e/platform-harness.js';
import { oneLineOrder } from '../support/orders.js';

const SECRET = 'sf-whatif-secret-1';
const pt = usePlatform({ COURIER_SECRETS: `SF=${SECRET}` });
const DAY = 86_400_000;

async function push(trackingNumber: string, code: string, at = Date.now()) {
  const raw = JSON.stringify({ trackingNumber, code, at, eventId: `whatif-${trackingNumber}-${code}` });
  return pt.call('POST', '/v1/couriers/SF/events', undefined, raw, { 'x-signature': sign(SECRET, raw, Math.floor(Date.now() / 1000)) });
}

const kettleOrder = (orderId: string) => oneLineOrder(orderId, { sku: 'KETTLE', name: 'Kettle', unitPriceMinor: 20_000, unitCostMinor: 9_000 }, { shippingFeeMinor: 800 });

/** A missing kettle re-shipped as `sent`, the case at RESHIPPED. Its case id. */
async function reshippedKettle(name: string, sent: string): Promise<string> {
  const customerId = `cust-whatif-${name}`;
  const opened = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { customer: { id: customerId, locale: 'en' }, order: kettleOrder(`whatif-${name}`), missing: [{ sku: 'KETTLE', quantity: 1 }], evidenceUrls: [`https://evidence.example.com/${name}.jpg`] });
  expect(opened.status).toBe(201);
  const { caseId } = opened.body;
  const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId })).body.token;
  await pt.until(caseId, token, 'AWAITING_WAREHOUSE_CHECK');
  expect((await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk-2', waybillWeightGrams: 150, unitWeightsGrams: { KETTLE: 1_200 }, packagingWeightGrams: 150 })).status).toBe(200);
  await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
  expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'RESHIP' })).status).toBe(200);
  await pt.until(caseId, token, 'AWAITING_RESHIPMENT');
  expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer-3', carrier: 'SF', trackingNumber: sent })).status).toBe(200);
  await pt.until(caseId, token, 'RESHIPPED');
  return caseId;
}

const ids = { byTrace: '', corrected: '', lost: '', inquiry: '' };
let recorded: Map<string, RecordedCase>;
let policies: SimulationPolicies;
let simulator: Simulator;

beforeAll(async () => {
  const since = new Date(Date.now() - 60_000);
  // Corrected while followed, then delivered by the courier's event for the right number.
  ids.corrected = await reshippedKettle('corrected', 'SFWHATIF0O1');
  expect((await pt.call('POST', `/v1/cases/${ids.corrected}/parcel-correction`, pt.keys.WAREHOUSE, { by: 'wh-desk', carrier: 'SF', trackingNumber: 'SFWHATIF001', previousTrackingNumber: 'SFWHATIF0O1' })).status).toBe(200);
  await pt.untilStep(ids.corrected, pt.keys.AGENT!, 'FOLLOWED_PARCEL_CORRECTED');
  expect(await push('SFWHATIF001', 'DELIVERED')).toMatchObject({ status: 202, body: { matched: true } });
  await pt.until(ids.corrected, pt.keys.AGENT!, 'RESOLVED');

  // A lost parcel: the courier's trace says EXCEPTION; the customer chooses a re-shipment.
  const courier = pt.platform.simulators.courier!;
  courier.addTrackingEvent({ carrier: 'SF', trackingNumber: 'SFWHATIFLOST1' }, { at: Date.now() - DAY, code: 'EXCEPTION', description: 'parcel missing at the hub' }, 'EXCEPTION');
  const lostOrder = { orderId: 'whatif-lost', currency: 'CNY', items: [{ sku: 'TEA', name: '茶', quantity: 1, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 5_000 };
  ids.lost = (await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, { customer: { id: 'cust-whatif-lost', locale: 'zh-CN' }, order: lostOrder, shipment: { carrier: 'SF', trackingNumber: 'SFWHATIFLOST1', shippedAt: Date.now() - 5 * DAY }, lines: [{ sku: 'TEA', quantity: 1 }] })).body.caseId;
  await pt.until(ids.lost, pt.keys.WAREHOUSE!, 'AWAITING_DISPATCH_CONFIRMATION');
  expect((await pt.call('POST', `/v1/cases/${ids.lost}/dispatch-confirmation`, pt.keys.WAREHOUSE, { by: 'clerk', dispatched: true, trackingNumber: 'SFWHATIFLOST1' })).status).toBe(200);
  const lostToken = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-whatif-lost' })).body.token;
  await pt.until(ids.lost, lostToken, 'AWAITING_CUSTOMER_CHOICE');
  expect((await pt.call('POST', `/v1/cases/${ids.lost}/remedy-choice`, lostToken, { remedy: 'RESHIP' })).status).toBe(200);
  await pt.until(ids.lost, pt.keys.WAREHOUSE!, 'AWAITING_RESHIPMENT');
  expect((await pt.call('POST', `/v1/cases/${ids.lost}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFWHATIFLOST2' })).status).toBe(200);
  await pt.until(ids.lost, pt.keys.AGENT!, 'RESHIPPED');
  expect(await push('SFWHATIFLOST2', 'DELIVERED')).toMatchObject({ status: 202, body: { matched: true } });

  // A tracking inquiry about an order not picked yet, promised to ship in two days: asked to wait.
  pt.platform.simulators.warehouse!.setOrder({ orderId: 'whatif-inquiry', status: 'NOT_PICKED' });
  const teaOrder = { ...lostOrder, orderId: 'whatif-inquiry' };
  ids.inquiry = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-whatif-inq', locale: 'zh-CN' }, order: teaOrder, promisedShipBy: Date.now() + 2 * DAY, recipientName: '王芳' })).body.caseId;
  await pt.until(ids.inquiry, pt.keys.AGENT!, 'AWAITING_PROMISED_SHIPPING');

  // Delivered by the courier's trace (read a day later), no event of its own.
  ids.byTrace = await reshippedKettle('by-trace', 'SFWHATIF101');
  courier.markDelivered({ carrier: 'SF', trackingNumber: 'SFWHATIF101' });
  await pt.skip(86_400 + 60);
  await pt.untilStep(ids.byTrace, pt.keys.AGENT!, 'DELIVERED');

  const cases = await policySimulationPorts(pt.db).recordedCases({ merchantId: 'demo-merchant', from: since, to: new Date(Date.now() + 60_000) });
  recorded = new Map(cases.map((c) => [c.caseId, c]));
  const repos = createRepositories(pt.db);
  const fulfilment = await repos.fulfilmentPolicy('demo-merchant', 1);
  // A trial's short wait (README): the parcel traced every 3 minutes.
  policies = { policy: (await repos.policyVersion('demo-merchant', 1))!, fulfilment: { ...fulfilment, rules: { ...fulfilment.rules, reshipmentTraceEveryHours: 0.05 } } };
  simulator = await startSimulator();
}, 240_000);

afterAll(async () => {
  await simulator?.close();
});

describe('what-if over cases that rest on the courier’s trace, traced every 3 minutes', () => {
  it('a re-shipment the trace delivered: delivered when the real one was, in seconds, not polled "in transit" for the whole run-on', async () => {
    const started = Date.now();
    const [result] = await simulator.run([recorded.get(ids.byTrace)!], policies, { runOnDays: 10 });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result).toMatchObject({ outcome: 'CLOSED_UNANSWERED', diverged: false });
    expect(result!.stages).toEqual(expect.arrayContaining(['RESHIPPED', 'RESOLVED', 'CLOSED']));
    // The trace came from the real case's steps: no stand-in.
    expect(result!.assumedAt).not.toContainEqual(expect.objectContaining({ rule: 'courierTrace' }));
  }, 240_000);

  it('a re-shipment corrected while followed, delivered by the courier’s event: the correction taken, delivered', async () => {
    const [result] = await simulator.run([recorded.get(ids.corrected)!], policies, { runOnDays: 10 });
    expect(result!.dropped).toEqual([]);
    expect(result).toMatchObject({ outcome: 'CLOSED_UNANSWERED', diverged: false });
  }, 240_000);

  it('refunded at once under a candidate (no re-shipment): the correction is dropped in the words the report uses for the others, not the SDK’s', async () => {
    const candidate = { ...policies, fulfilment: { ...policies.fulfilment!, rules: { ...policies.fulfilment!.rules, smallAmountMaxMinor: 1_000_000, smallLightMaxWeightGrams: 1_000_000 } } };
    const [result] = await simulator.run([recorded.get(ids.corrected)!], candidate, { runOnDays: 10 });
    const correction = result!.dropped.find((d) => d.kind === 'correctFollowedParcel');
    expect(correction).toEqual({ afterMs: expect.any(Number), kind: 'correctFollowedParcel', stage: expect.any(String), reason: `the case does not follow a parcel at stage ${correction!.stage}: nothing to correct` });
    expect(result!.dropped.map((d) => d.reason).join('\n')).not.toMatch(/handler/i);
  }, 240_000);

  it('a lost parcel whose trace said EXCEPTION: lost in the replay too, the choice and the re-shipment taken', async () => {
    const [result] = await simulator.run([recorded.get(ids.lost)!], policies, { runOnDays: 10 });
    expect(result!.dropped).toEqual([]);
    expect(result!.stages).toEqual(expect.arrayContaining(['AWAITING_CUSTOMER_CHOICE', 'AWAITING_RESHIPMENT', 'RESHIPPED']));
    expect(result!.stages).not.toContain('FOLLOWING');
    expect(result!.decisions).toContainEqual(expect.objectContaining({ kind: 'CAUSE_DECIDED' }));
  }, 240_000);

  it('a tracking inquiry promised to ship in two days: its promise moved with the clock, so it is asked to wait as it was', async () => {
    const [result] = await simulator.run([recorded.get(ids.inquiry)!], policies, { runOnDays: 1 });
    expect(result!.stages).toContain('AWAITING_PROMISED_SHIPPING');
    expect(result!.decisions).toContainEqual(expect.objectContaining({ kind: 'URGE_CHECKED', outcome: 'ASK_TO_WAIT' }));
  }, 240_000);
});
