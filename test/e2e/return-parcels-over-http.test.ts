/**
 * A returned parcel reaches the case it belongs to, or is refused with what to do instead
 * (api/return-parcels.ts): tracking numbers with spaces around them match, a label several open
 * cases share or a label and slip that disagree are refused, and one parcel holding several cases'
 * goods is scanned with each return code (a case not yet told the parcel was sent goes on too). A
 * parcel its case does not take yet, or any more, goes on the hold shelf (api/routes/held-parcels.ts).
 */
import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { HeldParcelIntake } from '../../api/held-parcel-intake.js';
import { TAKEN_IN_BY_ITSELF } from '../../domain/held-parcels.js';
import { createRepositories } from '../../db/repositories.js';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
/** The API's look at the hold shelf, taken by the test (the harness's API does not look by itself). */
const intake = (o: { now?: () => number } = {}) => new HeldParcelIntake({ repos: createRepositories(pt.db), temporal: new Client({ connection: pt.temporal }), ...o });
/** What a look did for these cases only: other tests' parcels share the database. */
const forCases = (r: Awaited<ReturnType<HeldParcelIntake['takeIn']>>, ...caseIds: string[]) => ({ taken: r.taken.filter((t) => caseIds.includes(t.caseId)), failed: r.failed.filter((f) => caseIds.includes(f.caseId)) });
const DAY = 86_400_000;
let seq = 0;

/** A return of one mug by `customer`, opened and approved by policy: it waits for the customer's shipment. */
async function returnWaitingForShipment(customer: string): Promise<string> {
  const now = Date.now();
  const n = ++seq;
  const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
    customer: { id: customer, locale: 'en' },
    order: { orderId: `parcels-o-${n}`, currency: 'CNY', items: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitPriceMinor: 3900, unitCostMinor: 1500 }], shippingFeeMinor: 0, paidTotalMinor: 3900, shippedAt: now - 3 * DAY, deliveredAt: now - DAY },
    lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
  });
  expect(opened.status).toBe(201);
  await pt.until(opened.body.caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
  return opened.body.caseId as string;
}

/** A return of one mug delivered a month ago, outside the no-reason window: it waits for an agent's decision. */
async function returnAwaitingDecision(customer: string): Promise<string> {
  const now = Date.now();
  const { caseId } = (await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
    customer: { id: customer, locale: 'en' },
    order: { orderId: `${customer}-o`, currency: 'CNY', items: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitPriceMinor: 3900, unitCostMinor: 1500 }], shippingFeeMinor: 0, paidTotalMinor: 3900, shippedAt: now - 32 * DAY, deliveredAt: now - 30 * DAY },
    lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
  })).body;
  await pt.until(caseId, pt.keys.AGENT, 'AWAITING_DECISION');
  return caseId as string;
}

/** The messages about a held parcel the case's customer was sent. */
const heldMessages = async (caseId: string) =>
  ((await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>).filter((m) => /^(parcelHeld|heldParcel)/.test(m.template));

const ship = (caseId: string, trackingNumber: string) => pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber });
const scan = (body: Record<string, string>) => pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { scannedBy: 'dock-9', ...body });

describe('which case a returned parcel belongs to', () => {
  it('a parcel scanned before its return is approved goes on the hold shelf, and is taken in once the case asks for it', async () => {
    const caseId = await returnAwaitingDecision('parcels-early');
    const changedAt = async () => (await pt.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { updatedAt: true } })).updatedAt.getTime();
    const before = await changedAt();
    // Held, not taken as the case's arrival: the case still decides.
    const early = await scan({ returnCode: caseId });
    expect(early).toMatchObject({ status: 202, body: { caseId, stage: 'AWAITING_DECISION', held: { reason: 'NOT_ASKED_YET', by: 'dock-9', again: false } } });
    const heldId = early.body.held.heldParcelId as string;
    // The case changed (its staff view lists the shelf): the live feed tells the other clerks' consoles.
    const heldAt = await changedAt();
    expect(heldAt).toBeGreaterThan(before);
    // The same parcel past the scanner again: the hold already there, nothing new (the case unchanged).
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: caseId, scannedBy: 'dock-2' })).toMatchObject({ status: 202, body: { held: { heldParcelId: heldId, by: 'dock-9', again: true } } });
    expect(await changedAt()).toBe(heldAt);
    // Scanned the other way, its label with the code: still that parcel, now named by its number; the customer told once.
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: caseId, trackingNumber: 'SFEARLY0001', scannedBy: 'dock-2' })).toMatchObject({ status: 202, body: { held: { heldParcelId: heldId, again: true } } });
    expect((await pt.db.heldParcel.findUniqueOrThrow({ where: { id: heldId } })).trackingNumber).toBe('SFEARLY0001');
    const shelf = async () => (await pt.call('GET', '/v1/warehouse/held-parcels', pt.keys.WAREHOUSE)).body.items.filter((h: { caseId: string }) => h.caseId === caseId);
    expect(await shelf()).toEqual([expect.objectContaining({ heldParcelId: heldId, caseId, stage: 'AWAITING_DECISION', next: 'WAIT', outcome: null, trackingNumber: 'SFEARLY0001', heldBy: 'dock-9' })]);
    // The agent deciding sees the goods are in the warehouse already; the customer's view has no shelf.
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.heldParcels).toEqual([expect.objectContaining({ heldParcelId: heldId, outcome: null })]);
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'parcels-early' })).body.token;
    expect((await pt.call('GET', `/v1/cases/${caseId}`, token)).body).not.toHaveProperty('heldParcels');
    // The customer is told once that the parcel arrived and is kept until their request is decided; their timeline shows it.
    expect(await heldMessages(caseId)).toEqual([expect.objectContaining({ template: 'parcelHeldUntilDecided', text: expect.stringContaining('We keep it safe') })]);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, token)).body.timeline.filter((e: { kind: string }) => e.kind === 'PARCEL_HELD')).toEqual([expect.objectContaining({ actor: 'warehouse', data: {} })]);
    // Still undecided: not to be sent back.
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/sent-back`, pt.keys.WAREHOUSE, { by: 'dock-9' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('has not decided yet') } });

    expect((await pt.call('POST', `/v1/cases/${caseId}/proposals`, pt.keys.AGENT, { decision: 'APPROVE' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect(await shelf()).toEqual([expect.objectContaining({ heldParcelId: heldId, next: 'SCAN_NOW' })]);
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/sent-back`, pt.keys.WAREHOUSE, { by: 'dock-9' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('scan it in') } });
    // The shelf takes it in by itself (the API looks every few seconds): the case asked for goods the warehouse has.
    expect(forCases(await intake().takeIn(), caseId)).toEqual({ taken: [{ heldParcelId: heldId, caseId }], failed: [] });
    // As the scan that held it: its clerk, its label, when the parcel came in.
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'ARRIVED')).toMatchObject({ actor: 'warehouse:dock-9', data: { trackingNumber: 'SFEARLY0001', scannedBy: 'dock-9', scannedAt: new Date(early.body.held.at as string).getTime() } });
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INSPECTION');
    // The clerk inspecting it is told where it is: still on the shelf, as it was held.
    const inspect = ((await pt.call('GET', '/v1/warehouse/tasks?task=INSPECT_RETURN', pt.keys.WAREHOUSE)).body.items as Array<{ caseId: string; what: string }>).find((t) => t.caseId === caseId);
    expect(inspect?.what).toContain(`the parcel is on the hold shelf (held ${early.body.held.at} by dock-9, SFEARLY0001)`);
    // Off the shelf, and the case says how.
    expect(await shelf()).toEqual([]);
    const all = (await pt.call('GET', '/v1/warehouse/held-parcels?onShelf=false', pt.keys.WAREHOUSE)).body.items;
    expect(all.find((h: { heldParcelId: string }) => h.heldParcelId === heldId)).toMatchObject({ outcome: 'SCANNED_IN', endedBy: 'dock-9', endNote: TAKEN_IN_BY_ITSELF, next: null });
    // The customer, just asked to send the goods, is told right after that there is nothing to send; then that it arrived.
    const templates = async () => ((await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string }>).map((m) => m.template);
    await waitUntil('the customer told the parcel arrived', async () => (await templates()).includes('parcelReceived'));
    const told = await templates();
    const askedToSend = told.findIndex((t) => /^returnApproved/.test(t));
    expect(askedToSend).toBeGreaterThanOrEqual(0);
    expect(told.indexOf('heldParcelTakenIn')).toBeGreaterThan(askedToSend);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, token)).body.timeline.find((e: { kind: string }) => e.kind === 'PARCEL_TAKEN_IN')).toMatchObject({ actor: 'warehouse' });
    // Nothing is taken in twice.
    expect(forCases(await intake().takeIn(), caseId)).toEqual({ taken: [], failed: [] });
    // The clerk scanning it again later, typed in capitals off a slip the customer wrote by hand, in groups of four: the same code, told it was scanned in already.
    expect(await scan({ returnCode: caseId.toUpperCase().replace(/(.{4})(?!$)/g, '$1 ') })).toMatchObject({ status: 202, body: { caseId, alreadyArrived: { by: 'dock-9', at: early.body.held.at } } });
    // The customer entering a tracking number now is told the goods are in already, not only that the case moved on.
    expect(await ship(caseId, 'SFLATE0001')).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('are at the warehouse already') } });
    expect(await pt.db.caseInput.count({ where: { caseId, kind: 'arrivalScanned', senderRole: 'WAREHOUSE', senderId: 'dock-9' } })).toBe(1);
  });

  it('a held parcel is left to a clerk when its case is waiting for another parcel the customer reported, or its case cannot take it', async () => {
    const caseId = await returnAwaitingDecision('parcels-other-number');
    expect(await scan({ trackingNumber: 'SFOTHER0001', returnCode: caseId })).toMatchObject({ status: 202, body: { held: { reason: 'NOT_ASKED_YET' } } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposals`, pt.keys.AGENT, { decision: 'APPROVE' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    // The customer reports another parcel before the shelf looks: the one held may be another parcel.
    expect((await ship(caseId, 'SFOTHER0002')).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_ARRIVAL');
    expect(forCases(await intake().takeIn(), caseId)).toEqual({ taken: [], failed: [] });
    expect((await pt.db.heldParcel.findFirstOrThrow({ where: { caseId } })).endedAt).toBeNull();
    // The clerk opens it: the case's goods. Its label alone names the case the shelf holds it for, and takes it in (it was a 404).
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'sf other 0001', scannedBy: 'dock-4' })).toMatchObject({ status: 202, body: { caseId } });
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INSPECTION');
    expect(await pt.db.heldParcel.findFirstOrThrow({ where: { caseId } })).toMatchObject({ outcome: 'SCANNED_IN', endedBy: 'dock-4' });

    // A case whose workflow is gone: the parcel goes back on the shelf, said, and is not tried at every look.
    const gone = await returnAwaitingDecision('parcels-gone');
    const held = (await scan({ returnCode: gone })).body.held.heldParcelId as string;
    expect((await pt.call('POST', `/v1/cases/${gone}/proposals`, pt.keys.AGENT, { decision: 'APPROVE' })).status).toBe(200);
    await pt.until(gone, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    await new Client({ connection: pt.temporal }).workflow.getHandle(`case-${gone}`).terminate('ops drill');
    const once = intake();
    expect(forCases(await once.takeIn(), gone).failed).toEqual([expect.objectContaining({ heldParcelId: held, caseId: gone, error: expect.stringContaining('completed') })]);
    expect(await pt.db.heldParcel.findUniqueOrThrow({ where: { id: held }, select: { outcome: true, endedAt: true } })).toEqual({ outcome: null, endedAt: null });
    expect(forCases(await once.takeIn(), gone).failed).toEqual([]);
  });

  it('a case that did not hear its parcel taken in (a crash, an answer lost) is told again; two parcels of one case, one is taken in', async () => {
    // Two parcels held for one case: its code alone, then a label with the code (another parcel: the clerk scanned two).
    const caseId = await returnAwaitingDecision('parcels-unheard');
    const first = (await scan({ returnCode: caseId })).body.held.heldParcelId as string;
    expect(await scan({ returnCode: caseId, trackingNumber: 'SFSECOND0001' })).toMatchObject({ status: 202, body: { held: { again: true } } });
    const third = (await scan({ returnCode: caseId, trackingNumber: 'SFTHIRD0001' })).body.held.heldParcelId as string;
    expect(third).not.toBe(first);
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposals`, pt.keys.AGENT, { decision: 'APPROVE' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    // Taken off the shelf as the look does, but the case never told (the API process died in between).
    await createRepositories(pt.db).heldParcels.end({ id: first }, { outcome: 'SCANNED_IN', by: 'dock-9', note: TAKEN_IN_BY_ITSELF });
    // Within its grace the look leaves it (the case may be hearing it), and takes no second parcel of that case.
    expect(forCases(await intake().takeIn(), caseId)).toEqual({ taken: [], failed: [] });
    // Past it, the case still waiting with no arrival: told again, and it arrives.
    const later = intake({ now: () => Date.now() + 60_000 });
    expect(forCases(await later.takeIn(), caseId)).toEqual({ taken: [{ heldParcelId: first, caseId }], failed: [] });
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INSPECTION');
    // The other parcel stays on the shelf for a clerk or an agent (the case has its goods).
    expect(await pt.db.heldParcel.findUniqueOrThrow({ where: { id: third }, select: { endedAt: true } })).toEqual({ endedAt: null });
    expect(forCases(await later.takeIn(), caseId)).toEqual({ taken: [], failed: [] });
  });

  it('a parcel that comes after its return was rejected is held until the warehouse sends it back; only its merchant sees it', async () => {
    const caseId = await returnAwaitingDecision('parcels-late');
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposals`, pt.keys.AGENT, { decision: 'REJECT', reason: 'Outside the 7-day window' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'CLOSED');
    // Sent anyway: the label scanned with the slip, held for the customer.
    const late = await scan({ returnCode: caseId, trackingNumber: 'sf 7788 9900 11' });
    expect(late).toMatchObject({ status: 202, body: { caseId, status: 'CLOSED', held: { reason: 'NOT_WAITING', again: false } } });
    const heldId = late.body.held.heldParcelId as string;
    const listed = (await pt.call('GET', '/v1/warehouse/held-parcels', pt.keys.WAREHOUSE)).body.items;
    expect(listed.find((h: { heldParcelId: string }) => h.heldParcelId === heldId)).toMatchObject({ trackingNumber: 'SF7788990011', next: 'SEND_BACK' });
    // The customer's goods: not the shop's to keep.
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/kept`, pt.keys.WAREHOUSE, { by: 'dock-9', note: 'keeping it' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('the customer’s, send them back') } });

    // Another merchant's warehouse neither sees it nor sends it back.
    const admin = pt.keys.ADMIN!;
    expect((await pt.call('PUT', '/v1/admin/merchants/parcels-other', admin, { name: 'Other shop', defaultCurrency: 'CNY' })).status).toBeLessThan(300);
    const otherKey = (await pt.call('POST', '/v1/admin/keys', admin, { role: 'WAREHOUSE', merchantId: 'parcels-other', label: 'other dock' })).body.key as string;
    expect((await pt.call('GET', '/v1/warehouse/held-parcels?onShelf=false', otherKey)).body.items).toEqual([]);
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/sent-back`, otherKey, { by: 'intruder' })).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });

    // A bad body names its field; the send-back is recorded once, however often it is sent.
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/sent-back`, pt.keys.WAREHOUSE, { by: '' })).toMatchObject({ status: 400, body: { field: 'body.by' } });
    const changedAt = async () => (await pt.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { updatedAt: true } })).updatedAt.getTime();
    const beforeSentBack = await changedAt();
    const back = await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/sent-back`, pt.keys.WAREHOUSE, { by: 'dock-9', trackingNumber: 'SF0001112223', note: 'freight collect' });
    // Off the shelf: the case changed again.
    expect(await changedAt()).toBeGreaterThan(beforeSentBack);
    expect(back).toMatchObject({ status: 200, body: { heldParcelId: heldId, outcome: 'SENT_BACK', endedBy: 'dock-9', endNote: 'sent back as SF0001112223; freight collect', next: null } });
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/sent-back`, pt.keys.WAREHOUSE, { by: 'dock-3' })).toMatchObject({ status: 200, body: { endedBy: 'dock-9', endedAt: back.body.endedAt } });
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/sent-back`, pt.keys.WAREHOUSE, { by: 'dock-9', trackingNumber: 'sf 0001 1122 23' })).toMatchObject({ status: 200, body: { endedBy: 'dock-9', endedAt: back.body.endedAt } });
    // Under another number: not the same send-back, and the customer was told the first number.
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/sent-back`, pt.keys.WAREHOUSE, { by: 'dock-3', trackingNumber: 'SF0009998887' })).toMatchObject({
      status: 409,
      body: { error: 'WRONG_STATE', message: expect.stringMatching(new RegExp(`already sent back under SF0001112223 \\(by dock-9 at ${back.body.endedAt}\\)`)) },
    });
    expect((await pt.call('GET', '/v1/warehouse/held-parcels', pt.keys.WAREHOUSE)).body.items.some((h: { heldParcelId: string }) => h.heldParcelId === heldId)).toBe(false);
    // The customer heard the goods are theirs and coming back, then the number they come under; each once.
    expect((await heldMessages(caseId)).map((m) => m.template)).toEqual(['parcelHeldToSendBack', 'heldParcelSentBackAs']);
    expect((await heldMessages(caseId))[1]!.text).toContain('SF0001112223');
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'parcels-late' })).body.token;
    const steps = (await pt.call('GET', `/v1/cases/${caseId}`, token)).body.timeline.filter((e: { kind: string }) => e.kind.startsWith('PARCEL_'));
    expect(steps.map((e: { kind: string; data: unknown }) => [e.kind, e.data])).toEqual([
      ['PARCEL_HELD', { trackingNumber: 'SF7788990011' }],
      ['PARCEL_SENT_BACK', { trackingNumber: 'SF7788990011', sentBackAs: 'SF0001112223' }],
    ]);
    expect(await pt.call('POST', '/v1/warehouse/held-parcels/not-a-uuid/sent-back', pt.keys.WAREHOUSE, { by: 'dock-9' })).toMatchObject({ status: 400, body: { field: 'params.heldParcelId' } });
  });

  it('a parcel that comes after its case refunded the goods without it is an agent’s call: kept by the shop, with who decided', async () => {
    // A minor transit damage, refunded without the goods coming back; the customer sends them anyway.
    const now = Date.now();
    const { caseId } = (await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, {
      customer: { id: 'parcels-kept', locale: 'en' },
      order: { orderId: 'parcels-kept-o', currency: 'CNY', items: [{ sku: 'VASE', name: 'Vase', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 15_000 }], shippingFeeMinor: 0, paidTotalMinor: 25_000 },
      customerHandle: 'tb_kept',
      degree: 'MINOR',
      lines: [{ sku: 'VASE', quantity: 1 }],
      photoUrls: ['https://evidence.example.com/kept/crack.jpg'],
      shipment: { carrier: 'SF', trackingNumber: 'SFKEPT0001', shippedAt: now - 3 * DAY },
    })).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_ASSESSMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'MINOR', cause: 'PRODUCT_DEFECT', proposedRefundMinor: 1_500, returnShippingCostMinor: 2_000, returnPossible: true, goodsUsable: true })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'RESOLVED');
    const scanned = await scan({ returnCode: caseId });
    expect(scanned).toMatchObject({ status: 202, body: { held: { reason: 'NOT_WAITING' } } });
    const heldId = scanned.body.held.heldParcelId as string;
    const shelf = (await pt.call('GET', '/v1/warehouse/held-parcels', pt.keys.WAREHOUSE)).body.items;
    expect(shelf.find((h: { heldParcelId: string }) => h.heldParcelId === heldId)).toMatchObject({ next: 'ASK_AGENT', status: 'RESOLVED' });
    // Kept needs who decided; then it is off the shelf, and the case's staff view says how.
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/kept`, pt.keys.WAREHOUSE, { by: 'dock-9' })).toMatchObject({ status: 400, body: { field: 'body.note' } });
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/kept`, pt.keys.WAREHOUSE, { by: 'dock-9', note: 'agent Wang: refunded already, vase resellable' })).toMatchObject({ status: 200, body: { outcome: 'KEPT', endNote: 'agent Wang: refunded already, vase resellable', next: null } });
    // Sent back after it was kept: refused, saying how it left.
    expect(await pt.call('POST', `/v1/warehouse/held-parcels/${heldId}/sent-back`, pt.keys.WAREHOUSE, { by: 'dock-9' })).toMatchObject({ status: 409, body: { message: expect.stringContaining('off the shelf already (KEPT') } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.heldParcels).toEqual([expect.objectContaining({ heldParcelId: heldId, outcome: 'KEPT', endedBy: 'dock-9' })]);
    // The customer heard it arrived after their request was dealt with, then that the shop keeps it; the note is the staff's.
    expect((await heldMessages(caseId)).map((m) => m.template)).toEqual(['parcelHeldForAgent', 'heldParcelKept']);
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'parcels-kept' })).body.token;
    const steps = (await pt.call('GET', `/v1/cases/${caseId}`, token)).body.timeline.filter((e: { kind: string }) => e.kind === 'PARCEL_HELD' || e.kind === 'PARCEL_KEPT');
    expect(steps.map((e: { kind: string; data: unknown }) => [e.kind, e.data])).toEqual([['PARCEL_HELD', {}], ['PARCEL_KEPT', {}]]);
    const staffSteps = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.filter((e: { kind: string }) => e.kind === 'PARCEL_KEPT');
    expect(staffSteps).toEqual([expect.objectContaining({ actor: 'warehouse:dock-9', data: expect.objectContaining({ heldParcelId: heldId, note: 'agent Wang: refunded already, vase resellable' }) })]);
  });

  it('matches a tracking number pasted with spaces; never guesses between cases, whoever entered the number', async () => {
    const [a, b, d, e] = [await returnWaitingForShipment('parcels-c1'), await returnWaitingForShipment('parcels-c2'), await returnWaitingForShipment('parcels-c4'), await returnWaitingForShipment('parcels-c5')];

    // Pasted from the courier's app with spaces around it: kept as the scanner reads it.
    expect((await pt.call('POST', `/v1/cases/${a}/return-shipment`, pt.keys.STOREFRONT, { carrier: ' SF ', trackingNumber: ' SFPARCEL0001 ' })).status).toBe(200);
    const shippedA = await pt.until(a, pt.keys.AGENT, 'AWAITING_ARRIVAL');
    expect(shippedA.returnTrackingNumber).toBe('SFPARCEL0001');

    // Another customer enters the same number (a typo, or a claim on someone else's parcel): taken,
    // so a typo cannot lock out the parcel's owner; but the label alone no longer says whose it is.
    expect((await ship(b, 'SFPARCEL0001')).status).toBe(200);
    await pt.until(b, pt.keys.AGENT, 'AWAITING_ARRIVAL');
    const byLabel = await scan({ trackingNumber: 'SFPARCEL0001' });
    expect(byLabel).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', message: expect.stringContaining('is the return of 2 open cases') } });
    for (const c of [a, b]) expect((await pt.call('GET', `/v1/cases/${c}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_ARRIVAL');

    // A label and a slip that contradict each other: neither case is guessed.
    expect((await ship(d, 'SFPARCEL0002')).status).toBe(200);
    await pt.until(d, pt.keys.AGENT, 'AWAITING_ARRIVAL');
    expect(await scan({ trackingNumber: 'SFPARCEL0001', returnCode: d })).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', message: `parcel SFPARCEL0001 is not the return of case ${d}, whose return was sent as SFPARCEL0002: check the slip and the label (a number the customer mistyped, they correct by sending the return shipment again)` } });
    // A slip of a case with no number entered yet, in another customer's parcel.
    expect(await scan({ trackingNumber: 'SFPARCEL0001', returnCode: e })).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', message: expect.stringMatching(new RegExp(`^parcel SFPARCEL0001 is the return of case (${a}|${b}), not of case ${e}`)) } });
    for (const c of [d, e]) expect((await pt.call('GET', `/v1/cases/${c}`, pt.keys.AGENT)).body.stage).toBe(c === d ? 'AWAITING_ARRIVAL' : 'AWAITING_RETURN_SHIPMENT');

    // The slip says whose it is (the scanner reads the label without the spaces): A's, A moves on.
    expect(await scan({ trackingNumber: ' SFPARCEL0001', returnCode: a })).toMatchObject({ status: 202, body: { caseId: a } });
    const arrived = await pt.until(a, pt.keys.AGENT, 'AWAITING_INSPECTION');
    // Staff see who did what: the customer sent it, the clerk at dock 9 scanned it.
    const actorOf = (kind: string) => arrived.timeline.find((x: { kind: string }) => x.kind === kind)?.actor;
    expect([actorOf('RETURN_SHIPPED'), actorOf('ARRIVED')]).toEqual(['customer:parcels-c1', 'warehouse:dock-9']);
    expect((await pt.call('GET', `/v1/cases/${b}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_ARRIVAL');
  });

  it('a parcel in hand is looked up without booking it in: its case, what the warehouse is to do and expect', async () => {
    const c = await returnWaitingForShipment('parcels-lookup');
    expect((await ship(c, 'SFLOOK0001')).status).toBe(200);
    await pt.until(c, pt.keys.AGENT, 'AWAITING_ARRIVAL');
    const look = (number: string, key = pt.keys.WAREHOUSE) => pt.call('GET', `/v1/warehouse/parcels?trackingNumber=${encodeURIComponent(number)}`, key);
    // Typed as a clerk types it: lower case, in groups.
    const found = await look('sflook 0001');
    expect(found).toMatchObject({ status: 200, body: { trackingNumber: 'SFLOOK0001', cases: [{ caseId: c, role: 'RETURN', carrier: 'SF', stage: 'AWAITING_ARRIVAL', task: 'RECEIVE_RETURN', command: 'POST /v1/warehouse/arrivals' }] } });
    expect(found.body.cases).toHaveLength(1);
    expect(found.body.cases[0].lines.length).toBeGreaterThan(0);
    // Looking books nothing in.
    expect((await pt.call('GET', `/v1/cases/${c}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_ARRIVAL');
    expect(await look('SFNOBODY0001')).toMatchObject({ status: 200, body: { trackingNumber: 'SFNOBODY0001', cases: [] } });
    expect(await look('  ')).toMatchObject({ status: 400, body: { field: 'querystring.trackingNumber' } });
    expect((await look('SFLOOK0001', pt.keys.STOREFRONT)).status).toBe(403);
  });

  it('two scanners reading one parcel at once: one records it, the other is told it was scanned in already', async () => {
    const c = await returnWaitingForShipment('parcels-twice');
    expect((await ship(c, 'SFTWICE0001')).status).toBe(200);
    await pt.until(c, pt.keys.AGENT, 'AWAITING_ARRIVAL');
    const both = await Promise.all([scan({ trackingNumber: 'SFTWICE0001', scannedBy: 'dock-1' }), scan({ trackingNumber: 'SFTWICE0001', scannedBy: 'dock-2' })]);
    expect(both.map((r) => r.status)).toEqual([202, 202]);
    const told = both.filter((r) => r.body.alreadyArrived);
    expect(told).toHaveLength(1);
    const recorder = both.find((r) => !r.body.alreadyArrived)!;
    expect(recorder.body.stage).toBe('AWAITING_INSPECTION');
    const arrived = await pt.until(c, pt.keys.AGENT, 'AWAITING_INSPECTION');
    const steps = arrived.timeline.filter((x: { kind: string }) => x.kind === 'ARRIVED');
    expect(steps).toHaveLength(1);
    // The one told is told who scanned it in: the other clerk.
    expect(told[0]!.body.alreadyArrived.by).toBe(steps[0].actor.replace('warehouse:', ''));
  });

  it('a number pasted from an SMS with spaces, or typed in lower case or full width, is the label the warehouse scans', async () => {
    const [spaced, lower, wide] = [await returnWaitingForShipment('parcels-sms1'), await returnWaitingForShipment('parcels-sms2'), await returnWaitingForShipment('parcels-sms3')];
    expect((await ship(spaced, 'SF 1400 0000 0009')).status).toBe(200);
    expect((await ship(lower, 'sf1400000000555')).status).toBe(200);
    expect((await ship(wide, 'ＳＦ１４００\u3000０００００７７７')).status).toBe(200); // a Chinese IME's full-width mode
    const expected = { [spaced]: 'SF140000000009', [lower]: 'SF1400000000555', [wide]: 'SF140000000777' };
    for (const [c, number] of Object.entries(expected)) {
      // Kept as the label prints it, for staff and for the customer alike.
      const shipped = await pt.until(c, pt.keys.AGENT, 'AWAITING_ARRIVAL');
      expect(shipped.returnTrackingNumber).toBe(number);
      expect(shipped.timeline.find((x: { kind: string }) => x.kind === 'RETURN_SHIPPED')?.data).toMatchObject({ trackingNumber: number });
      expect((await pt.call('GET', `/v1/cases/${c}`, pt.keys.STOREFRONT)).body.returnTrackingNumber).toBe(number);
    }
    // Searched as the customer reads it out from the SMS, or as the label prints it.
    const search = async (q: string) => (await pt.call('GET', `/v1/cases?q=${encodeURIComponent(q)}`, pt.keys.AGENT)).body.items.map((c: { id: string }) => c.id);
    expect(await search('sf 1400 0000 0009')).toEqual([spaced]);
    expect(await search('SF1400000000555')).toEqual([lower]);

    // The scanner reads the label: each parcel reaches its case.
    expect(await scan({ trackingNumber: 'SF140000000009' })).toMatchObject({ status: 202, body: { caseId: spaced } });
    expect(await scan({ trackingNumber: 'SF1400000000555' })).toMatchObject({ status: 202, body: { caseId: lower } });
    // A scan typed by hand, spelt otherwise, and with the return code of its slip.
    expect(await scan({ trackingNumber: 'sf 1400 0000 0777', returnCode: wide })).toMatchObject({ status: 202, body: { caseId: wide } });
    for (const c of [spaced, lower, wide]) {
      const arrived = await pt.until(c, pt.keys.AGENT, 'AWAITING_INSPECTION');
      expect(arrived.timeline.find((x: { kind: string }) => x.kind === 'ARRIVED')?.data).toMatchObject({ trackingNumber: expected[c] });
    }
  });

  it('a mistyped number is corrected by sending the shipment again while the case waits: the label then reaches the case, the typo no longer does', async () => {
    const c = await returnWaitingForShipment('parcels-typo');
    expect((await ship(c, 'SFTYPO0001')).status).toBe(200);
    await pt.until(c, pt.keys.AGENT, 'AWAITING_ARRIVAL');
    // The label the warehouse holds contradicts the number on file.
    expect(await scan({ trackingNumber: 'SFREAL0001', returnCode: c })).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', message: expect.stringContaining('sending the return shipment again') } });

    const corrected = await ship(c, 'sf real 0001');
    expect(corrected).toMatchObject({ status: 200, body: { caseId: c, stage: 'AWAITING_ARRIVAL' } });
    const step = await pt.untilStep(c, pt.keys.AGENT, 'RETURN_SHIPMENT_CORRECTED');
    expect(step).toMatchObject({ actor: 'customer:parcels-typo', data: { carrier: 'SF', trackingNumber: 'SFREAL0001', previousCarrier: 'SF', previousTrackingNumber: 'SFTYPO0001' } });
    const staff = (await pt.call('GET', `/v1/cases/${c}`, pt.keys.AGENT)).body;
    expect(staff).toMatchObject({ stage: 'AWAITING_ARRIVAL', returnTrackingNumber: 'SFREAL0001' });
    // The case follows the new parcel only: courier events for the typo no longer reach it.
    expect(await pt.db.caseParcel.findMany({ where: { caseId: c }, select: { carrier: true, trackingNumber: true, role: true } })).toEqual([{ carrier: 'SF', trackingNumber: 'SFREAL0001', role: 'RETURN' }]);
    // The customer reads the parcel they sent, not the number they got wrong.
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'parcels-typo' })).body.token;
    const theirs = (await pt.call('GET', `/v1/cases/${c}`, token)).body.timeline.find((x: { kind: string }) => x.kind === 'RETURN_SHIPMENT_CORRECTED');
    expect(theirs).toMatchObject({ actor: 'customer:parcels-typo', data: { carrier: 'SF', trackingNumber: 'SFREAL0001' } });
    expect(theirs.data).not.toHaveProperty('previousTrackingNumber');
    // Sent again as it is now (a second click): answered as the case is, with nothing recorded.
    expect(await ship(c, 'SFREAL0001')).toMatchObject({ status: 200, body: { caseId: c, stage: 'AWAITING_ARRIVAL' } });

    expect(await scan({ trackingNumber: 'SFTYPO0001' })).toMatchObject({ status: 404 });
    expect(await scan({ trackingNumber: 'SFREAL0001' })).toMatchObject({ status: 202, body: { caseId: c } });
    const arrived = await pt.until(c, pt.keys.AGENT, 'AWAITING_INSPECTION');
    expect(arrived.timeline.filter((x: { kind: string }) => x.kind === 'RETURN_SHIPMENT_CORRECTED')).toHaveLength(1);
    // In the warehouse: the parcel is what it is.
    expect(await ship(c, 'SFLATE0001')).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
  });

  it('a number that is nothing once its spaces are gone, or holds what no label prints, is a 400 naming the field', async () => {
    const c = await returnWaitingForShipment('parcels-blank');
    for (const trackingNumber of ['\u3000\u3000\u3000\u3000', ' \u00a0\u2009\u200b\u3000 ', 'S F 1']) {
      expect(await ship(c, trackingNumber)).toMatchObject({ status: 400, body: { field: 'body.trackingNumber' } });
    }
    expect(await scan({ trackingNumber: '\u3000 \u3000 \u3000' })).toMatchObject({ status: 400, body: { field: 'body.trackingNumber' } });
    // A carrier's name pasted with the number, or anything no label prints: a parcel no scan could match.
    for (const trackingNumber of ['顺丰单号１２３４', 'SF😀😀😀😀', 'SF_1234/5']) {
      expect(await ship(c, trackingNumber)).toMatchObject({ status: 400, body: { field: 'body.trackingNumber', problems: [{ field: 'body.trackingNumber', reason: expect.stringContaining('letters, digits and hyphens') }] } });
    }
    expect((await pt.call('GET', `/v1/cases/${c}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_RETURN_SHIPMENT');
  });

  it('one parcel with the goods of two cases of one customer: scanned by its label alone it is refused, with each return code it reaches both', async () => {
    const [first, second, third] = [await returnWaitingForShipment('parcels-c3'), await returnWaitingForShipment('parcels-c3'), await returnWaitingForShipment('parcels-c3')];
    for (const c of [first, second]) expect((await ship(c, 'SFTOGETHER01')).status).toBe(200);
    for (const c of [first, second]) await pt.until(c, pt.keys.AGENT, 'AWAITING_ARRIVAL');

    const byLabel = await scan({ trackingNumber: 'SFTOGETHER01' });
    expect(byLabel).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', message: expect.stringContaining('is the return of 2 open cases') } });
    expect(byLabel.body.message).toContain(first);
    expect(byLabel.body.message).toContain(second);

    for (const c of [first, second]) expect(await scan({ trackingNumber: 'SFTOGETHER01', returnCode: c })).toMatchObject({ status: 202, body: { caseId: c } });
    for (const c of [first, second]) await pt.until(c, pt.keys.AGENT, 'AWAITING_INSPECTION');
    // The customer entered the number for two of the cases only; the third's slip is in the same parcel.
    expect(await scan({ trackingNumber: 'SFTOGETHER01', returnCode: third })).toMatchObject({ status: 202, body: { caseId: third } });
    // It had not been told the parcel was sent: the scan counts as sent and arrived, and it goes on too.
    const scanned = await pt.until(third, pt.keys.AGENT, 'AWAITING_INSPECTION');
    expect(scanned.timeline.find((x: { kind: string }) => x.kind === 'RETURN_SHIPPED')).toMatchObject({ actor: 'warehouse:dock-9', data: { scannedBeforeShipment: true, trackingNumber: 'SFTOGETHER01', returnCode: third } });
  });
});
