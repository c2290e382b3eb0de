/**
 * Refund only, already shipped (仅退款-已发货) on the time-skipping dev server: interception and
 * the parcel's return inside the deadline (inspection, restock, refund); the deadline passing
 * (refund approved anyway, the parcel still awaited for restocking, an agent when it never comes);
 * a refusal at the door; a parcel already delivered (a return instead).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApplicationFailure, Client, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCaseSearchAttributes } from '../../app/search-attributes.js';
import { defaultPolicy, type OrderSnapshot } from '../../domain/index.js';
import { answerRevisit, arrivalScanned, caseView, courierEvent, reportInspection, resolveByAgent } from '../../workflows/contract.js';
import type { RefundShippedInput } from '../../workflows/refund-shipped.js';
import { RecordingActivities, renderProblems } from './recording-activities.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVER = path.resolve(HERE, '../../devserver/bin/temporal-dev.js');
const DAY = 86_400_000;
const HOUR = 3_600_000;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let client: Client;
const workers: Array<{ worker: Worker; running: Promise<void> }> = [];

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: SERVER } } });
  bundle = await bundleWorkflowCode({ workflowsPath: path.resolve(HERE, '../../workflows/index.ts') });
  client = new Client({ connection: env.connection });
  await registerCaseSearchAttributes(env.connection, 'default');
}, 120_000);

afterAll(async () => {
  for (const w of workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
  await Promise.allSettled(workers.map((w) => w.running));
  await env?.teardown();
});

/** `deliveredBeforeIntercept`: the carrier refuses the interception (signed for meanwhile). */
class Recorder extends RecordingActivities {
  deliveredBeforeIntercept = false;
  override interceptParcel = async (i: { carrier: string; trackingNumber: string }) => {
    if (this.deliveredBeforeIntercept) throw ApplicationFailure.nonRetryable('parcel signed for', 'ALREADY_DELIVERED');
    this.intercepts.push({ carrier: i.carrier, trackingNumber: i.trackingNumber });
    return { interceptId: `ic-${this.intercepts.length}` };
  };
}

let seq = 0;
const order = (): OrderSnapshot => ({
  orderId: `rs-${++seq}`,
  currency: 'CNY',
  items: [{ sku: 'LAMP', name: 'Lamp', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 11_000 }],
  shippingFeeMinor: 1_000,
  paidTotalMinor: 26_000,
  shippedAt: Date.now() - DAY,
});

async function open(setup: (r: Recorder) => void = () => undefined) {
  const rec = new Recorder();
  setup(rec);
  const caseId = `rs${++seq}-${Math.random().toString(36).slice(2, 8)}`;
  const input: RefundShippedInput = { caseId, merchantId: 'm1', policy: { ...defaultPolicy(), version: 7 }, order: order(), shipment: { carrier: 'SF', trackingNumber: `SF-RS-${seq}` }, reason: 'no longer needed', customer: { id: 'cust-9', locale: 'zh-CN' }, openedAt: await env.currentTimeMs() };
  const taskQueue = `rs-${caseId}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: rec });
  const running = worker.run();
  workers.push({ worker, running });
  const handle: WorkflowHandle = await client.workflow.start('refundShipped', { taskQueue, workflowId: `case-${caseId}`, args: [input] });
  const done = handle.result().finally(() => worker.getState() === 'RUNNING' && worker.shutdown());
  const until = async (stage: string) => {
    for (let i = 0; i < 1200; i++) {
      if ((await handle.query(caseView)).stage === stage) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`never reached ${stage}: ${rec.kinds().join(', ')}`);
  };
  return { rec, input, handle, until, done };
}

type Run = Awaited<ReturnType<typeof open>>;
const scan = (run: Run) => run.handle.signal(arrivalScanned, { trackingNumber: run.input.shipment.trackingNumber, scannedAt: Date.now(), scannedBy: 'dock' });
const inspect = (run: Run, condition: 'OK' | 'DAMAGED_BY_CUSTOMER' = 'OK') => run.handle.executeUpdate(reportInspection, { args: [{ by: 'inspector', lines: [{ sku: 'LAMP', receivedQuantity: 1, condition }] }] });
async function revisit(run: Run) {
  await run.until('RESOLVED');
  await Promise.all([env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
  await run.handle.executeUpdate(answerRevisit, { args: [{ score: 4 }] });
  expect(await run.done).toBe('CLOSED_SATISFIED');
}

describe('refund after shipping', () => {
  it('intercepted and back in time: inspected, restocked, then refunded in full', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    expect(run.rec.intercepts).toEqual([{ carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber }]);
    expect(run.rec.refunds).toEqual([]); // not before the parcel is back or the deadline passes
    await env.sleep(DAY);
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    await inspect(run);
    await revisit(run);
    expect(run.rec.refunds).toEqual([expect.objectContaining({ amountMinor: 26_000, stepKey: `${run.input.caseId}:refund` })]);
    expect(run.rec.docs()).toEqual(['RETURN_NOTE', 'REFUND']);
    expect(run.rec.ledger[0]!.lines).toEqual([expect.objectContaining({ sku: 'LAMP', stockDelta: 1 })]);
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['interceptionRequested', 'refundIssued']));
  });

  it('a refusal at the door is reported by the courier; the parcel comes back; an item broken on the way is not restocked', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, code: 'REFUSED', at: Date.now() });
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    expect(run.rec.transitions.find((t) => t.kind === 'PARCEL_BACK')!.data).toEqual({ comingBack: 'REFUSED' });
    await inspect(run, 'DAMAGED_BY_CUSTOMER');
    await run.until('RESOLVED');
    expect(run.rec.ledger[0]!.lines).toEqual([expect.objectContaining({ sku: 'LAMP', quantity: 1, stockDelta: 0 })]);
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([26_000]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('not back within the interception days: refunded anyway, the parcel still awaited for restocking', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await env.sleep(3 * DAY + HOUR);
    for (let i = 0; i < 400 && !run.rec.refunds.length; i++) await new Promise((r) => setTimeout(r, 25));
    expect(run.rec.transitions.find((t) => t.kind === 'INTERCEPTION_DEADLINE_PASSED')!.decision).toMatchObject({ rule: 'interceptionDays', outcome: 'REFUND', values: { days: 3 } });
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([26_000]);
    await scan(run); // it turns up after all
    await run.until('AWAITING_INSPECTION');
    await inspect(run);
    await revisit(run);
    expect(run.rec.refunds).toHaveLength(1); // never twice
    expect(run.rec.docs()).toEqual(['REFUND', 'RETURN_NOTE']);
  });

  it('never comes back: an agent decides after the arrival deadline', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await Promise.all([env.sleep(14 * DAY), run.until('AWAITING_AGENT')]);
    expect(run.rec.kinds()).toContain('PARCEL_NOT_BACK');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', note: 'courier claim opened separately' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds).toHaveLength(1);
  });

  it('already delivered (by the trace, or when intercepting): the customer is pointed to a return; nothing refunded', async () => {
    const delivered = await open((r) => (r.trace = { status: 'DELIVERED', deliveredAt: 1 }));
    expect(await delivered.done).toBe('DELIVERED_USE_RETURN');
    expect(delivered.rec.intercepts).toEqual([]);
    const raced = await open((r) => (r.deliveredBeforeIntercept = true));
    expect(await raced.done).toBe('DELIVERED_USE_RETURN');
    for (const run of [delivered, raced]) {
      expect(run.rec.refunds).toEqual([]);
      expect(run.rec.templates().at(-1)).toBe('deliveredUseReturn');
    }
  });

  it('every notification rendered in Chinese and English', () => {
    expect(renderProblems).toEqual([]);
  });
});
