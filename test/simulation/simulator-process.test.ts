/**
 * The simulator in its own process (simulation/process.ts), as the platform's job runs it: the
 * same results as in process, progress reported, a run that stops moving ended with its process,
 * and nothing left running after `close`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../domain/policy.js';
import { startSimulatorProcess, type RecordedCase, type Simulator } from '../../simulation/index.js';
import { waitFor } from '../../devserver/test/harness.js';

/** True once no process has this pid any more. */
function ended(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const DAY = 86_400_000;
const openedAt = Date.now() - 35 * DAY;

/** A return refunded after the customer shipped on day 2 (the inputs as the API records them). */
function refundedReturn(n: number): RecordedCase {
  const caseId = `proc-${n}`;
  return {
    caseId,
    workflowType: 'returnAndRefund',
    openedAt: openedAt + n * 3_600_000,
    opening: {
      caseId,
      merchantId: 'demo-merchant',
      policy: { policyVersion: 1 },
      order: {
        orderId: `proc-o-${n}`,
        currency: 'CNY',
        items: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitPriceMinor: 5000, unitCostMinor: 1200 }],
        shippingFeeMinor: 0,
        paidTotalMinor: 5000,
        shippedAt: openedAt - 3 * DAY,
        deliveredAt: openedAt - DAY,
      },
      request: { lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }], evidenceUrls: [] },
      customer: { id: `cust-${n}`, locale: 'en' },
      openedAt: openedAt + n * 3_600_000,
    },
    timeline: [
      { afterMs: 2 * DAY, via: 'UPDATE', kind: 'submitReturnShipment', workflowId: `case-${caseId}`, arg: { carrier: 'SF', trackingNumber: `SFPROC${n}` }, outcome: 'ACCEPTED', reason: null },
      { afterMs: 4 * DAY, via: 'SIGNAL', kind: 'arrivalScanned', workflowId: `case-${caseId}`, arg: { trackingNumber: `SFPROC${n}`, scannedBy: 'dock-1', scannedAt: openedAt + n * 3_600_000 + 4 * DAY }, outcome: 'ACCEPTED', reason: null },
      { afterMs: 4 * DAY + 7_200_000, via: 'UPDATE', kind: 'reportInspection', workflowId: `case-${caseId}`, arg: { by: 'inspector-1', lines: [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }] }, outcome: 'ACCEPTED', reason: null },
    ],
  };
}

const started: Simulator[] = [];
afterAll(async () => Promise.all(started.map((s) => s.close())));

describe('the simulator in its own process', () => {
  it('runs cases to the same results as in process, reporting progress', async () => {
    const simulator = await startSimulatorProcess();
    started.push(simulator);
    const progress: number[] = [];
    const cases = [refundedReturn(1), refundedReturn(2), refundedReturn(3)];
    const results = await simulator.run(cases, { policy: defaultPolicy(1) }, { concurrency: 2, onProgress: (done) => progress.push(done) });
    expect(results.map((r) => [r.caseId, r.outcome, r.refundedMinor, r.diverged])).toEqual(cases.map((c) => [c.caseId, 'CLOSED_UNANSWERED', 5000, false]));
    expect(progress).toEqual([2, 3]);
    // A second run on the same process (the job's candidate run).
    const again = await simulator.run(cases.slice(0, 1), { policy: defaultPolicy(1) });
    expect(again[0]).toMatchObject({ caseId: 'proc-1', refundedMinor: 5000 });
    expect(ended(simulator.pid)).toBe(false);
    await simulator.close();
    await waitFor('the simulator process to end after close', () => ended(simulator.pid));
  });

  it('ends a run that reports no progress, and its process with it', async () => {
    const simulator = await startSimulatorProcess({ stallMs: 1 });
    started.push(simulator);
    // A case of 30 virtual days (a dozen clock steps and workflow tasks) cannot finish its batch
    // before the first check, 10 ms after the run starts: no progress in time.
    await expect(simulator.run([refundedReturn(4)], { policy: defaultPolicy(1) })).rejects.toThrow(/made no progress for 0 s .*its process was stopped/);
    await expect(simulator.run([refundedReturn(5)], { policy: defaultPolicy(1) })).rejects.toThrow('the simulator is gone: its process was stopped after 0 s without progress');
    await waitFor('the stalled simulator process to be killed', () => ended(simulator.pid));
  });

  it('ends on its own when the process that started it is gone (the platform crashed)', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/start-simulator-process.ts', import.meta.url))], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      let out = '';
      parent.stdout.on('data', (b: Buffer) => (out += b.toString()));
      const pid = await waitFor('the simulator process to start', () => Number(/^(\d+)\n/.exec(out)?.[1]), 120_000);
      expect(ended(pid)).toBe(false);
      parent.kill('SIGKILL');
      await waitFor('the orphaned simulator process to end', () => ended(pid));
    } finally {
      parent.kill('SIGKILL');
    }
  });
});
