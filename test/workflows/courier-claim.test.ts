/**
 * The courier claim process on the project's time-skipping dev server: filed under the carrier
 * contract, followed up every N days until the carrier decides (or its callback says so), escalated
 * before the claim window closes, not filed once it has closed; what the carrier pays is booked.
 */
import { ApplicationFailure, Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseEvent, ClaimRequest, ClaimState, LedgerDocument } from '../../activities/contract.js';
import { claimDecided, claimNotNeeded, parcelFound } from '../../workflows/contract.js';
import type { CourierClaimInput, CourierClaimOutcome } from '../../workflows/courier-claim.js';
import { waitUntil } from '../support/wait.js';
import { bundleCaseWorkflows, createTimeSkippingEnvironment } from './case-harness.js';

const DAY = 86_400_000;

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let client: Client;

beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
  bundle = await bundleCaseWorkflows();
  client = new Client({ connection: env.connection }); // a plain client: time moves only when a test says so
}, 120_000);

afterAll(async () => {
  await env?.teardown();
});

/** The carrier as the claim process sees it: claims stay FILED until the test decides them. */
class Carrier {
  events: CaseEvent[] = [];
  ledger: LedgerDocument[] = [];
  claims: ClaimRequest[] = [];
  state: ClaimState = { status: 'FILED' };
  asked = 0;
  recordCaseEvent = async (e: CaseEvent) => void this.events.push(e);
  appendLedger = async (d: LedgerDocument) => void this.ledger.push(d);
  fileCourierClaim = async (c: ClaimRequest) => (this.claims.push(c), { claimId: `cl-${this.claims.length}` });
  claimStatus = async () => (this.asked++, this.state);
  /** The claims asked to be withdrawn (claim id, reason): WITHDRAWN while still FILED, else the carrier's decision stands. */
  withdrawals: Array<{ claimId: string; reason: string }> = [];
  /** The carrier refuses to take a claim back (under review): the activity fails for good. */
  refusesWithdrawal = false;
  withdrawCourierClaim = async (q: { claimId: string; reason: string }): Promise<ClaimState> => {
    this.withdrawals.push({ claimId: q.claimId, reason: q.reason });
    if (this.refusesWithdrawal) throw ApplicationFailure.nonRetryable('claim under review: cannot be withdrawn', 'REJECTED');
    if (this.state.status === 'FILED') this.state = { status: 'WITHDRAWN', decidedAt: Date.now() };
    return this.state;
  };
  kinds = () => this.events.map((e) => e.kind);
}

let seq = 0;
async function claim(over: Partial<CourierClaimInput> = {}) {
  const carrier = new Carrier();
  const now = await env.currentTimeMs();
  const input: CourierClaimInput = {
    caseId: `c${++seq}`,
    carrier: 'SF',
    trackingNumber: `SF${seq}`,
    amountMinor: 8_000,
    currency: 'CNY',
    reason: 'parcel lost in transit',
    evidenceUrls: ['https://evidence.example.com/waybill.jpg'],
    shippedAt: now - 2 * DAY,
    contract: { claimWindowDays: 30, followUpEveryDays: 3, escalateBeforeCloseDays: 5 },
    contractSource: 'CONTRACT',
    policyVersion: 4,
    ...over,
  };
  const taskQueue = `claim-${seq}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle, activities: carrier });
  const running = worker.run();
  const handle = await client.workflow.start('courierClaim', { taskQueue, workflowId: `claim-${input.caseId}`, args: [input] });
  const done = (handle.result() as Promise<CourierClaimOutcome>).finally(() => worker.shutdown());
  const until = (ok: () => boolean, what: string) => waitUntil(what, ok, { state: () => `events: ${carrier.kinds().join(', ')}; asked ${carrier.asked} time(s)` });
  return { carrier, input, handle, done: done.then(async (r) => (await running, r)), until };
}

describe('a courier claim', () => {
  it('withdrawn when the parcel it is for turns up before the carrier decides: nothing booked, and it says how the parcel was found', async () => {
    const c = await claim();
    await c.until(() => c.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    await env.sleep(3 * DAY + 60_000);
    await c.until(() => c.carrier.asked === 1, 'the first follow-up');
    const at = await env.currentTimeMs();
    await c.handle.signal(parcelFound, { trackingNumber: 'ANOTHER', at, how: 'DELIVERED', by: 'SF' }); // another parcel's: not this claim's
    await c.handle.signal(parcelFound, { trackingNumber: c.input.trackingNumber, at, how: 'DELIVERED', by: 'SF' });
    expect(await c.done).toEqual({ status: 'WITHDRAWN', claimId: 'cl-1', claimedMinor: 8_000, recoveredMinor: 0 });
    expect(c.carrier.withdrawals).toEqual([{ claimId: 'cl-1', reason: 'parcel delivered after all' }]);
    expect(c.carrier.kinds()).toEqual(['CLAIM_FILED', 'CLAIM_FOLLOWED_UP', 'CLAIM_WITHDRAWN']);
    expect(c.carrier.events.at(-1)).toMatchObject({ stepKey: `claim:${c.input.trackingNumber}:withdrawn`, data: { claimId: 'cl-1', claimedMinor: 8_000, parcelFound: 'DELIVERED', foundAt: at, foundBy: 'SF' } });
    expect(c.carrier.ledger).toEqual([]);
  });

  it('withdrawn when its case was withdrawn (the customer keeps the damaged goods, nothing refunded), a claim for broken goods too; a carrier that refuses is escalated with why it was asked', async () => {
    const c = await claim({ reason: 'goods damaged in transit' });
    await c.until(() => c.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    const at = await env.currentTimeMs();
    await c.handle.signal(claimNotNeeded, { why: 'CASE_WITHDRAWN', at });
    expect(await c.done).toEqual({ status: 'WITHDRAWN', claimId: 'cl-1', claimedMinor: 8_000, recoveredMinor: 0 });
    expect(c.carrier.withdrawals).toEqual([{ claimId: 'cl-1', reason: 'the customer withdrew the request: nothing was refunded for the goods' }]);
    expect(c.carrier.events.at(-1)).toMatchObject({ kind: 'CLAIM_WITHDRAWN', data: { claimId: 'cl-1', caseWithdrawnAt: at } });

    const refused = await claim({ reason: 'goods damaged in transit' });
    refused.carrier.refusesWithdrawal = true;
    await refused.until(() => refused.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    await refused.handle.signal(claimNotNeeded, { why: 'CASE_WITHDRAWN', at });
    await refused.until(() => refused.carrier.kinds().includes('CLAIM_WITHDRAWAL_REFUSED'), 'the refusal recorded');
    expect(refused.carrier.events.at(-1)).toMatchObject({ escalated: true, data: { caseWithdrawnAt: at } });
    refused.carrier.state = { status: 'PAID', paidMinor: 8_000, decidedAt: Date.now() };
    await env.sleep(3 * DAY + 60_000);
    // Paid for goods the customer kept without a refund: escalated, for a supervisor to settle.
    expect(await refused.done).toMatchObject({ status: 'PAID', recoveredMinor: 8_000 });
    expect(refused.carrier.events.at(-1)).toMatchObject({ kind: 'CLAIM_PAID', escalated: true, data: { caseWithdrawnAt: at } });
  });

  it('a claim for goods broken in transit stands when its parcel is scanned in: only a parcel claimed as lost is withdrawn', async () => {
    const c = await claim({ reason: 'goods damaged in transit' });
    await c.until(() => c.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    await c.handle.signal(parcelFound, { trackingNumber: c.input.trackingNumber, at: Date.now(), how: 'SCANNED_IN', by: 'dock-1' });
    c.carrier.state = { status: 'PAID', paidMinor: 8_000, decidedAt: Date.now() };
    await env.sleep(3 * DAY + 60_000);
    expect(await c.done).toMatchObject({ status: 'PAID', recoveredMinor: 8_000 });
    expect(c.carrier.withdrawals).toEqual([]);
    expect(c.carrier.events.at(-1)!.escalated).toBeUndefined();
  });

  it('a carrier that refuses to take the claim back: its refusal escalated, the claim followed up, and its payment booked and escalated to be paid back', async () => {
    const c = await claim();
    c.carrier.refusesWithdrawal = true;
    await c.until(() => c.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    await c.handle.signal(parcelFound, { trackingNumber: c.input.trackingNumber, at: Date.now(), how: 'COMING_BACK', by: 'SF' });
    await c.until(() => c.carrier.kinds().includes('CLAIM_WITHDRAWAL_REFUSED'), 'the refusal recorded');
    expect(c.carrier.events.at(-1)).toMatchObject({ escalated: true, data: { claimId: 'cl-1', reason: 'claim under review: cannot be withdrawn', parcelFound: 'COMING_BACK' } });
    expect(c.carrier.withdrawals).toEqual([{ claimId: 'cl-1', reason: 'parcel on its way back to the sender after all' }]);
    c.carrier.state = { status: 'PAID', paidMinor: 8_000, decidedAt: Date.now() };
    await env.sleep(3 * DAY + 60_000);
    expect(await c.done).toMatchObject({ status: 'PAID', recoveredMinor: 8_000 });
    expect(c.carrier.withdrawals).toHaveLength(1); // asked once
    expect(c.carrier.events.at(-1)).toMatchObject({ kind: 'CLAIM_PAID', escalated: true, data: { parcelFound: 'COMING_BACK' } });
  });

  it('the carrier paid before the withdrawal reached it: the payment is booked, and the decision escalated with the parcel found, to be paid back', async () => {
    const c = await claim();
    await c.until(() => c.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    c.carrier.state = { status: 'PAID', paidMinor: 8_000, decidedAt: await env.currentTimeMs() };
    await c.handle.signal(parcelFound, { trackingNumber: c.input.trackingNumber, at: Date.now(), how: 'SCANNED_IN', by: 'dock-1' });
    expect(await c.done).toEqual({ status: 'PAID', claimId: 'cl-1', claimedMinor: 8_000, recoveredMinor: 8_000 });
    expect(c.carrier.withdrawals).toEqual([{ claimId: 'cl-1', reason: 'parcel back at the sender after all' }]);
    expect(c.carrier.ledger).toEqual([expect.objectContaining({ kind: 'CLAIM_RECOVERY', amountMinor: 8_000 })]);
    expect(c.carrier.events.at(-1)).toMatchObject({ kind: 'CLAIM_PAID', escalated: true, data: { recoveredMinor: 8_000, parcelFound: 'SCANNED_IN', foundBy: 'dock-1' } });
  });

  it('is followed up every N days until the carrier pays; the recovery is booked once', async () => {
    const c = await claim();
    await c.until(() => c.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    expect(c.carrier.claims).toEqual([expect.objectContaining({ carrier: 'SF', amountMinor: 8_000, stepKey: `${c.input.caseId}:claim:${c.input.trackingNumber}` })]);
    await env.sleep(3 * DAY + 60_000);
    await c.until(() => c.carrier.asked === 1, 'the first follow-up');
    await env.sleep(3 * DAY);
    await c.until(() => c.carrier.asked === 2, 'the second follow-up');
    c.carrier.state = { status: 'PAID', paidMinor: 8_000, decidedAt: Date.now() };
    await env.sleep(3 * DAY);
    expect(await c.done).toEqual({ status: 'PAID', claimId: 'cl-1', claimedMinor: 8_000, recoveredMinor: 8_000 });
    expect(c.carrier.kinds()).toEqual(['CLAIM_FILED', 'CLAIM_FOLLOWED_UP', 'CLAIM_FOLLOWED_UP', 'CLAIM_PAID']);
    expect(c.carrier.ledger).toEqual([expect.objectContaining({ kind: 'CLAIM_RECOVERY', amountMinor: 8_000, currency: 'CNY', reference: 'cl-1' })]);
    expect(c.carrier.events[0]!.decision).toMatchObject({ rule: 'carrierContract', policyVersion: 4, values: { contractSource: 'CONTRACT', carrier: 'SF' } });
  });

  it("the carrier's callback decides at once; a partial payment is booked, never above what was claimed", async () => {
    const c = await claim({ contract: { claimWindowDays: 30, followUpEveryDays: 3, escalateBeforeCloseDays: 5, maxClaimMinor: 5_000 } });
    await c.until(() => c.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    expect(c.carrier.claims[0]!.amountMinor).toBe(5_000); // the contract's per-parcel limit
    await c.handle.signal(claimDecided, { claimId: 'someone-elses', status: 'PAID', paidMinor: 1, at: Date.now() }); // ignored
    await c.handle.signal(claimDecided, { claimId: 'cl-1', status: 'PARTLY_PAID', paidMinor: 9_999, at: Date.now() });
    expect(await c.done).toEqual({ status: 'PARTLY_PAID', claimId: 'cl-1', claimedMinor: 5_000, recoveredMinor: 5_000 });
    expect(c.carrier.asked).toBe(0);
    expect(c.carrier.ledger.map((d) => d.amountMinor)).toEqual([5_000]);
    // Paid all that was claimed, whatever the carrier called it: nothing to dispute.
    expect(c.carrier.events.find((e) => e.kind === 'CLAIM_PARTLY_PAID')!.escalated).toBeUndefined();
  });

  it('paid short of the claim: escalated for a supervisor to dispute; the decision date goes with the recovery', async () => {
    const c = await claim();
    await c.until(() => c.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    const decidedAt = (await env.currentTimeMs()) - 60_000;
    await c.handle.signal(claimDecided, { claimId: 'cl-1', status: 'PARTLY_PAID', paidMinor: 3_000, reason: 'uninsured', at: decidedAt });
    expect(await c.done).toEqual({ status: 'PARTLY_PAID', claimId: 'cl-1', claimedMinor: 8_000, recoveredMinor: 3_000 });
    expect(c.carrier.events.find((e) => e.kind === 'CLAIM_PARTLY_PAID')).toMatchObject({ escalated: true, data: { recoveredMinor: 3_000, decidedAt, reason: 'uninsured' } });
    expect(c.carrier.ledger).toEqual([expect.objectContaining({ kind: 'CLAIM_RECOVERY', amountMinor: 3_000, lines: [expect.objectContaining({ paidMinor: 3_000, decidedAt })] })]);
  });

  it('escalates to a supervisor before the window closes, and a refusal books nothing', async () => {
    // Window of 10 days from a shipment 2 days ago, escalation 5 days before it closes: in 3 days.
    const c = await claim({ contract: { claimWindowDays: 10, followUpEveryDays: 7, escalateBeforeCloseDays: 5 } });
    await c.until(() => c.carrier.kinds().includes('CLAIM_FILED'), 'the claim filed');
    await env.sleep(3 * DAY + 60_000);
    await c.until(() => c.carrier.kinds().includes('CLAIM_ESCALATED'), 'the escalation');
    expect(c.carrier.asked).toBe(0); // the escalation came before the first follow-up
    const escalated = c.carrier.events.find((e) => e.kind === 'CLAIM_ESCALATED')!;
    expect(escalated).toMatchObject({ escalated: true, decision: { rule: 'escalateBeforeCloseDays', outcome: 'ESCALATE' } });
    c.carrier.state = { status: 'REFUSED', paidMinor: 0 };
    await env.sleep(7 * DAY);
    expect(await c.done).toEqual({ status: 'REFUSED', claimId: 'cl-1', claimedMinor: 8_000, recoveredMinor: 0 });
    expect(c.carrier.ledger).toEqual([]);
    expect(c.carrier.kinds().filter((k) => k === 'CLAIM_ESCALATED')).toHaveLength(1);
  });

  it('is not filed once the claim window has closed: recorded and escalated instead', async () => {
    const now = await env.currentTimeMs();
    const c = await claim({ shippedAt: now - 31 * DAY });
    expect(await c.done).toEqual({ status: 'NOT_FILED_WINDOW_CLOSED', claimedMinor: 0, recoveredMinor: 0 });
    expect(c.carrier.claims).toEqual([]);
    expect(c.carrier.events).toEqual([expect.objectContaining({ kind: 'CLAIM_NOT_FILED', escalated: true, decision: expect.objectContaining({ rule: 'claimWindowDays', outcome: 'WINDOW_CLOSED' }) })]);
  });
});
