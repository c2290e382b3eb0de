/**
 * An exchange end to end over HTTP: the customer sends the old pair back, the warehouse scans and
 * inspects it, checks and packs the new size, the main carrier refuses and the backup takes it,
 * the courier delivers; the refusals of bad input and wrong roles.
 */
import { describe, expect, it } from 'vitest';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();

const order = { orderId: 'exo-1', currency: 'CNY', items: [{ sku: 'SHOE-40', name: '跑鞋 40 码', quantity: 1, unitPriceMinor: 30_000, unitCostMinor: 12_000 }], shippingFeeMinor: 0, paidTotalMinor: 30_000 };
const lines = [{ sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-41', replacementUnitPriceMinor: 30_000, replacementUnitCostMinor: 12_000 }];

describe('an exchange over HTTP', () => {
  it('old pair back, new size checked, backup carrier, delivered', async () => {
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x', locale: 'zh-CN' }, order, kind: 'EXCHANGE', lines, reason: '偏小' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    // The old pair comes back: the code for its slip, as a return's.
    expect(opened.body.returnCode).toBe(caseId);
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-x' })).body.token;
    await pt.until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFOLD001' });
    await pt.until(caseId, token, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFOLD001', scannedBy: 'dock' })).status).toBe(202);
    await pt.until(caseId, token, 'AWAITING_INSPECTION');
    await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp', lines: [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }] });
    await pt.until(caseId, token, 'AWAITING_OUTGOING_CHECK');
    // Goods not confirmed working cannot go out: the workflow's check names the field (400), not the stage.
    expect(await pt.call('POST', `/v1/cases/${caseId}/outgoing-check`, pt.keys.WAREHOUSE, { by: 'packer', undamaged: true, working: false, resaleable: true, invoice: true, warrantyCard: true })).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', field: 'body.working', message: `body.working: goods cannot go out: working not confirmed (record a unit that fails with POST /v1/cases/${caseId}/outgoing-check-failure and check another)` },
    });
    // A refusal before there is a parcel to take would be dropped by the case: refused here.
    expect(await pt.call('POST', `/v1/cases/${caseId}/carrier-refusal`, pt.keys.WAREHOUSE, { carrier: 'SF', reason: 'too early' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    // A unit that fails the check: recorded, and the case waits for the check of another unit.
    expect(await pt.call('POST', `/v1/cases/${caseId}/outgoing-check-failure`, pt.keys.WAREHOUSE, { by: 'packer', failed: [], note: 'x' })).toMatchObject({ status: 400, body: { field: 'body.failed' } });
    expect(await pt.call('POST', `/v1/cases/${caseId}/outgoing-check-failure`, pt.keys.WAREHOUSE, { by: 'packer', failed: ['undamaged'], note: '鞋面开胶，换一双再检' })).toMatchObject({ status: 200, body: { stage: 'AWAITING_OUTGOING_CHECK' } });
    let failed = await pt.untilStep(caseId, pt.keys.AGENT, 'OUTGOING_CHECK_FAILED');
    expect(failed).toMatchObject({ actor: 'warehouse:packer', data: { failed: ['undamaged'], note: '鞋面开胶，换一双再检', noGoodStock: false } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body).toMatchObject({ stage: 'AWAITING_OUTGOING_CHECK', escalated: false });
    // None in stock that passes: an agent decides with the customer; the reply says where the case went.
    expect(await pt.call('POST', `/v1/cases/${caseId}/outgoing-check-failure`, pt.keys.WAREHOUSE, { by: 'packer', failed: ['undamaged', 'resaleable'], note: '库存两双均开胶', noGoodStock: true })).toMatchObject({ status: 200, body: { stage: 'AWAITING_AGENT' } });
    await pt.untilStep(caseId, pt.keys.AGENT, 'NO_GOOD_STOCK');
    const atAgent = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    expect(atAgent).toMatchObject({ stage: 'AWAITING_AGENT', escalated: true });
    failed = atAgent.timeline.filter((e: { kind: string }) => e.kind === 'OUTGOING_CHECK_FAILED');
    expect(failed.map((e: { data: { noGoodStock: boolean } }) => e.data.noGoodStock)).toEqual([false, true]);
    // The wait names its own actions; the customer agrees to wait for the restock.
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'REFUND_RECEIVED' })).toMatchObject({ status: 400, body: { field: 'body.action', message: expect.stringContaining('this wait (NO_GOOD_STOCK) takes REFUND_REQUESTED, CONTINUE, CLOSE') } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE', note: '顾客愿意等补货' })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_OUTGOING_CHECK');
    // A card the product has must go with it; running shoes come with none: the card is left out.
    expect(await pt.call('POST', `/v1/cases/${caseId}/outgoing-check`, pt.keys.WAREHOUSE, { by: 'packer', undamaged: true, working: true, resaleable: true, invoice: true, warrantyCard: false })).toMatchObject({ status: 400, body: { field: 'body.warrantyCard' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/outgoing-check`, pt.keys.WAREHOUSE, { by: 'packer', undamaged: true, working: true, resaleable: true, invoice: true, serialNumbers: ['SN1'] })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_DISPATCH');
    // A refusal by a carrier that is not the parcel's: named, not silently dropped.
    expect(await pt.call('POST', `/v1/cases/${caseId}/carrier-refusal`, pt.keys.WAREHOUSE, { carrier: 'ZTO', reason: 'x' })).toMatchObject({ status: 400, body: { field: 'body.carrier', message: 'body.carrier: the parcel goes with SF, not ZTO' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/carrier-refusal`, pt.keys.WAREHOUSE, { carrier: 'sf', reason: 'route suspended' })).status).toBe(202);
    await pt.untilStep(caseId, pt.keys.AGENT, 'CARRIER_SWITCHED');
    // Once switched, the parcel goes with the backup carrier: a second refusal by the first is refused.
    expect(await pt.call('POST', `/v1/cases/${caseId}/carrier-refusal`, pt.keys.WAREHOUSE, { carrier: 'SF', reason: 'again' })).toMatchObject({ status: 400, body: { message: 'body.carrier: the parcel goes with YTO, not SF' } });
    expect(await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFNEW001' })).toMatchObject({ status: 400, body: { field: 'body.carrier', message: 'body.carrier: the parcel goes with YTO, not SF' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'YTO', trackingNumber: 'YTONEW01' })).status).toBe(200);
    await pt.until(caseId, token, 'SHIPPED');
    pt.platform.simulators.courier!.markDelivered({ carrier: 'YTO', trackingNumber: 'YTONEW01' });
    await pt.skip(86_400 + 60);
    const resolved = await pt.until(caseId, token, 'RESOLVED');
    expect(resolved).toMatchObject({ type: 'EXCHANGE_RESHIPMENT', returnTrackingNumber: 'SFOLD001' });
    expect((await pt.db.ledgerEntry.findMany({ where: { caseId }, select: { kind: true }, orderBy: { id: 'asc' } })).map((e) => e.kind)).toEqual(['RETURN_NOTE', 'OUTBOUND']);
  });

  it('one of two pairs came back: the agent sees what refunding it would pay, may not close keeping it, and refunds it instead of exchanging', async () => {
    const twoPairs = { ...order, orderId: 'exo-two', items: [{ ...order.items[0]!, quantity: 2 }], paidTotalMinor: 60_000 };
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x2', locale: 'zh-CN' }, order: twoPairs, kind: 'EXCHANGE', lines: [{ ...lines[0]!, quantity: 2 }], reason: '偏小' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-x2' })).body.token;
    await pt.until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFTWO001' });
    await pt.until(caseId, token, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFTWO001', scannedBy: 'dock' })).status).toBe(202);
    await pt.until(caseId, token, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp', lines: [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }] })).status).toBe(200);
    await pt.untilStep(caseId, pt.keys.AGENT, 'EXCHANGE_RETURN_PROBLEM');
    const atAgent = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    expect(atAgent).toMatchObject({ stage: 'AWAITING_AGENT', agentRefunds: { REFUND_RECEIVED: 30_000 }, waitingFor: { what: expect.stringContaining('exchanged goods came back short or damaged by the customer (CONTINUE, REFUND_RECEIVED or CLOSE)') } });
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CLOSE', note: '少寄一双' })).toMatchObject({ status: 400, body: { field: 'body.action', message: expect.stringContaining('the warehouse holds goods the customer sent back (SHOE-40 × 1)') } });
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'REFUND_REQUESTED' })).toMatchObject({ status: 400, body: { field: 'body.action', message: expect.stringContaining('this wait (EXCHANGE_RETURN_PROBLEM) takes CONTINUE, REFUND_RECEIVED, CLOSE') } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'REFUND_RECEIVED', note: '少寄一双，退还寄回的一双' })).status).toBe(200);
    const resolved = await pt.until(caseId, token, 'RESOLVED');
    expect(resolved).toMatchObject({ refundedAmountMinor: 30_000 });
    expect((await pt.db.ledgerEntry.findMany({ where: { caseId }, select: { kind: true }, orderBy: { id: 'asc' } })).map((e) => e.kind)).toEqual(['RETURN_NOTE', 'REFUND']);
  });

  it('a dearer replacement waits for the difference, which the storefront confirms (its waitingFor says so; a customer token cannot)', async () => {
    const dearer = { ...order, orderId: 'exo-2' };
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x2', locale: 'zh-CN' }, order: dearer, kind: 'EXCHANGE', lines: [{ ...lines[0]!, replacementSku: 'SHOE-41-PRO', replacementUnitPriceMinor: 35_000 }], reason: '换高配' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-x2' })).body.token;
    // The storefront confirms it: the customer reads whose wait it is, not a path their token cannot call; the storefront reads the path.
    expect(await pt.until(caseId, token, 'AWAITING_PAYMENT')).toMatchObject({ waitingFor: { party: 'STOREFRONT', command: null }, offer: { kind: 'PRICE_DIFFERENCE', amountMinor: 5_000, currency: 'CNY' } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.STOREFRONT)).body.waitingFor).toMatchObject({ party: 'STOREFRONT', command: `POST /v1/cases/${caseId}/difference-paid` });
    // What to charge is on the step the storefront reads.
    expect(await pt.untilStep(caseId, pt.keys.STOREFRONT, 'DIFFERENCE_DUE')).toMatchObject({ data: { amountMinor: 5_000, currency: 'CNY' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/difference-paid`, token, { paymentId: 'PAY-X2' })).status).toBe(403);
    expect((await pt.call('POST', `/v1/cases/${caseId}/difference-paid`, pt.keys.STOREFRONT, { paymentId: 'PAY-X2' })).status).toBe(200);
    // The customer paid (the storefront confirmed it): their step, not the system's.
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'DIFFERENCE_PAID')).toMatchObject({ actor: expect.stringMatching(/^customer:/), data: { paymentId: 'PAY-X2', amountMinor: 5_000 } });
    // The payment's webhook retried without an Idempotency-Key: answered as the first, booked once; another payment id is refused.
    expect((await pt.call('POST', `/v1/cases/${caseId}/difference-paid`, pt.keys.STOREFRONT, { paymentId: 'PAY-X2' })).status).toBe(200);
    expect(await pt.call('POST', `/v1/cases/${caseId}/difference-paid`, pt.keys.STOREFRONT, { paymentId: 'PAY-OTHER' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.filter((e: { kind: string }) => e.kind === 'DIFFERENCE_PAID')).toHaveLength(1);
  });

  it('a difference paid after the agent decided the exchange without it: a 409 that says so and what to do with the charge', async () => {
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x19', locale: 'zh-CN' }, order: { ...order, orderId: 'exo-19' }, kind: 'EXCHANGE', lines: [{ ...lines[0]!, replacementSku: 'SHOE-41-PRO', replacementUnitPriceMinor: 35_000 }], reason: '换高配' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_PAYMENT');
    await pt.skip(49 * 3_600);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_AGENT');
    // Until the agent decides, the storefront reads that the difference may still be paid.
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.STOREFRONT)).body.offer).toEqual({ kind: 'PRICE_DIFFERENCE', amountMinor: 5_000, currency: 'CNY', late: true });
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE', note: 'ship it anyway' })).status).toBe(200);
    await pt.untilStep(caseId, pt.keys.AGENT, 'AGENT_RESOLVED');
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.STOREFRONT)).body.offer).toBeNull();
    const late = await pt.call('POST', `/v1/cases/${caseId}/difference-paid`, pt.keys.STOREFRONT, { paymentId: 'PAY-LATE' });
    expect(late).toMatchObject({ status: 409, body: { error: 'PAYMENT_NOT_TAKEN', message: expect.stringMatching(/price difference was not paid by its deadline, and an agent decided without it \(CONTINUE at .+\): the case went on without this payment, so give the charge back to the customer$/) } });
  });

  it('withdrawn while its difference was unpaid, then the storefront confirms the payment it took meanwhile: a 409 that says to give the charge back', async () => {
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x20', locale: 'zh-CN' }, order: { ...order, orderId: 'exo-20' }, kind: 'EXCHANGE', lines: [{ ...lines[0]!, replacementSku: 'SHOE-41-PRO', replacementUnitPriceMinor: 35_000 }], reason: '换高配' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    expect(await pt.until(caseId, pt.keys.STOREFRONT, 'AWAITING_PAYMENT')).toMatchObject({ withdrawable: true });
    expect(await pt.call('POST', `/v1/cases/${caseId}/withdrawal`, pt.keys.STOREFRONT, { reason: '不换了' })).toMatchObject({ status: 200, body: { stage: 'CLOSED' } });
    const late = await pt.call('POST', `/v1/cases/${caseId}/difference-paid`, pt.keys.STOREFRONT, { paymentId: 'PAY-AFTER' });
    expect(late).toMatchObject({ status: 409, body: { error: 'PAYMENT_NOT_TAKEN', message: expect.stringMatching(/was withdrawn by the customer \(at .+\) before this payment was confirmed: the case never took it, so give the charge back to the customer$/) } });
  });

  it('a parcel scanned for a re-shipment is refused: it takes nothing back, and the clerk would think it booked in', async () => {
    const reship = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x3', locale: 'zh-CN' }, order: { ...order, orderId: 'exo-3' }, kind: 'RESHIPMENT', lines: [{ sku: 'SHOE-40', quantity: 1 }], reason: '补发' });
    expect(reship.status).toBe(201);
    const caseId = reship.body.caseId as string;
    await pt.untilStep(caseId, pt.keys.AGENT, 'OPENED');
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: caseId, scannedBy: 'dock' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('takes no parcel back (a re-shipment sends goods, nothing comes back)') } });
    const inputs = await pt.call('GET', `/v1/cases/${caseId}/inputs`, pt.keys.SUPERVISOR);
    expect(inputs.status).toBe(200);
    expect(inputs.body.inputs.map((i: { kind: string }) => i.kind)).not.toContain('arrivalScanned');
    // One that lent an urgent customer a loan product takes the loan's parcel.
    const lent = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x5', locale: 'zh-CN' }, order: { ...order, orderId: 'exo-5' }, kind: 'RESHIPMENT', urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 }, lines: [{ sku: 'SHOE-40', quantity: 1 }], reason: '补发，先借一双' });
    expect(lent.status, JSON.stringify(lent.body)).toBe(201);
    await pt.untilStep(lent.body.caseId, pt.keys.AGENT, 'SUBSTITUTE_LENT');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: lent.body.caseId, scannedBy: 'dock' })).status).toBe(202);
  });

  /** An urgent exchange (number `n`) with a loan product: the replacement out and delivered, the old pair back under SFOLD00n and inspected; the case now asks for the loan back. */
  /** An urgent exchange whose replacement was delivered and old pair came back; its loan sent by the warehouse first unless `loanSent` is false (then it is not asked back: the case resolves). */
  async function urgentExchangeAskingForLoan(n: number, o: { loanSent?: boolean } = {}): Promise<string> {
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: `cust-x${n}`, locale: 'en' }, order: { ...order, orderId: `exo-${n}` }, kind: 'EXCHANGE', urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000, name: 'Loan runner 41' }, lines, reason: 'too small, needed now' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_OUTGOING_CHECK');
    if (o.loanSent !== false) expect((await pt.call('POST', `/v1/cases/${caseId}/substitute-sent`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: `SFLOANOUT${n}` })).status).toBe(200);
    expect((await pt.call('POST', `/v1/cases/${caseId}/outgoing-check`, pt.keys.WAREHOUSE, { by: 'packer', undamaged: true, working: true, resaleable: true, invoice: true, serialNumbers: [`SN${n}`] })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: `SFNEW00${n}` })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'SHIPPED');
    pt.platform.simulators.courier!.markDelivered({ carrier: 'SF', trackingNumber: `SFNEW00${n}` });
    await pt.skip(86_400 + 60);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber: `SFOLD00${n}` })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: `SFOLD00${n}`, returnCode: caseId, scannedBy: 'dock' })).status).toBe(202);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp', lines: [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }] })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, o.loanSent === false ? 'RESOLVED' : 'AWAITING_SUBSTITUTE_RETURN');
    return caseId as string;
  }

  it('an urgent exchange: the replacement first, the old pair back, then the loan item in a parcel of its own under the same return code', async () => {
    const caseId = await urgentExchangeAskingForLoan(6);
    const due = await pt.untilStep(caseId, pt.keys.AGENT, 'SUBSTITUTE_DUE');
    expect(due.data).toMatchObject({ sku: 'SHOE-LOAN', returnCode: caseId });
    // The dock expects it: the loan, one unit, not the shoes exchanged.
    const tasks = async (task: string) => ((await pt.call('GET', `/v1/warehouse/tasks?task=${task}`, pt.keys.WAREHOUSE)).body.items as Array<{ caseId: string; lines: unknown }>).find((t) => t.caseId === caseId);
    expect(await tasks('RECEIVE_SUBSTITUTE')).toMatchObject({ lines: [{ sku: 'SHOE-LOAN', name: 'Loan runner 41', quantity: 1 }] });
    // A case opened before its request named the loan: the lending step names it.
    const row = await pt.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { request: true } });
    const { substitute: _named, ...before } = row.request as Record<string, unknown>;
    await pt.db.case.update({ where: { id: caseId }, data: { request: before as never } });
    expect(await tasks('RECEIVE_SUBSTITUTE')).toMatchObject({ lines: [{ sku: 'SHOE-LOAN', quantity: 1 }] });
    await pt.db.case.update({ where: { id: caseId }, data: { request: row.request as never } });
    // The old pair's parcel past the scanner again: in already (by dock), not the loan.
    const oldAgain = await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFOLD006', returnCode: caseId, scannedBy: 'dock-9' });
    expect(oldAgain).toMatchObject({ status: 202, body: { stage: 'AWAITING_SUBSTITUTE_RETURN', alreadyArrived: { by: 'dock' } } });
    // By its slip's code alone it could be either parcel: the label is asked for, and nothing is booked in.
    const codeOnly = await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: caseId, scannedBy: 'dock-9' });
    expect(codeOnly).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', field: 'body.trackingNumber', message: expect.stringContaining('scanned in at') } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_SUBSTITUTE_RETURN');
    // The loan's parcel: its own label and the case's code. Before, the return's label on the case made this a conflict.
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFLOAN06', returnCode: caseId, scannedBy: 'dock-loan' })).status).toBe(202);
    // Scanned in, its wait is over: the warehouse inspects it next, and a second scan is one, not a parcel for the hold shelf.
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_SUBSTITUTE_INSPECTION');
    expect(await tasks('INSPECT_SUBSTITUTE')).toMatchObject({ lines: [{ sku: 'SHOE-LOAN', quantity: 1 }] });
    const again = await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFLOAN06', returnCode: caseId, scannedBy: 'dock-2' });
    expect(again).toMatchObject({ status: 202, body: { alreadyArrived: { by: 'dock-loan' } } });
    expect(again.body.held).toBeUndefined();
    // Missing, yet its one unit received: a contradiction, refused naming the line (before, the case resolved as if it came back).
    expect(await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp', lines: [{ sku: 'SHOE-LOAN', receivedQuantity: 1, condition: 'MISSING' }] })).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', field: 'body.lines[0].receivedQuantity', message: expect.stringContaining('SHOE-LOAN reported MISSING with receivedQuantity 1') },
    });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_SUBSTITUTE_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp', lines: [{ sku: 'SHOE-LOAN', receivedQuantity: 1, condition: 'OK' }] })).status).toBe(200);
    await pt.untilStep(caseId, pt.keys.AGENT, 'SUBSTITUTE_RETURNED');
    // The loan's report sent again is not taken for another answer to the return's inspection before it.
    const retried = await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp', lines: [{ sku: 'SHOE-LOAN', receivedQuantity: 1, condition: 'OK' }] });
    expect(retried).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    expect(retried.body.message).not.toContain('took another answer');
    // What the customer was told on the way (the case's messages, as staff read them).
    const messages = (await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>;
    expect(messages.map((m) => m.template)).toEqual(expect.arrayContaining(['substituteLentAskedLater', 'sendOldGoodsBack', 'sendLoanBack', 'loanReceived']));
    expect(messages.find((m) => m.template === 'sendLoanBack')!.text).toContain(`return code ${caseId}`);
    // The loan is named as it was lent, not by its SKU, in every message about it.
    for (const template of ['substituteLentAskedLater', 'sendLoanBack', 'loanReceived']) expect(messages.find((m) => m.template === template)!.text).toContain('loan item (Loan runner 41)');
  });

  it('bad lines name the field; only the storefront opens one or confirms a payment', async () => {
    expect(await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'c', locale: 'en' }, order, kind: 'EXCHANGE', lines: [{ sku: 'SHOE-40', quantity: 2 }], reason: 'x' })).toMatchObject({ status: 400, body: { field: 'body.lines[0].quantity' } });
    expect(await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'c', locale: 'en' }, order, kind: 'SWAP', lines, reason: 'x' })).toMatchObject({ status: 400, body: { field: 'body.kind' } });
    // A re-shipment of another variant at another price would have asked the customer to pay for a re-send.
    expect(await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'c', locale: 'en' }, order, kind: 'RESHIPMENT', lines, reason: 'x' })).toMatchObject({ status: 400, body: { field: 'body.lines[0].replacementSku', message: expect.stringContaining('open an EXCHANGE') } });
    // The same goods at a price of their own would charge a difference for the very same item; a variant names what it lacks.
    expect(await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'c', locale: 'en' }, order, kind: 'EXCHANGE', lines: [{ sku: 'SHOE-40', quantity: 1, replacementUnitPriceMinor: 32_000 }], reason: 'x' })).toMatchObject({
      status: 400,
      body: { field: 'body.lines[0].replacementUnitPriceMinor', message: expect.stringContaining('the same goods go out at the price paid (30000)') },
    });
    expect(await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'c', locale: 'en' }, order, kind: 'EXCHANGE', lines: [{ sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-41', replacementUnitPriceMinor: 30_000 }], reason: 'x' })).toMatchObject({
      status: 400,
      body: { field: 'body.lines[0].replacementUnitCostMinor' },
    });
    expect((await pt.call('POST', '/v1/exchanges', pt.keys.WAREHOUSE, { customer: { id: 'c', locale: 'en' }, order, kind: 'EXCHANGE', lines, reason: 'x' })).status).toBe(403);
  });
  it('a loan product lent at once is the warehouse\'s to send: a task until it is reported sent, and the customer told its tracking number', async () => {
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x10', locale: 'en' }, order: { ...order, orderId: 'exo-10' }, kind: 'EXCHANGE', urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000, name: 'Loan runner 41' }, lines, reason: 'too small, needed now' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const caseId = opened.body.caseId as string;
    await pt.untilStep(caseId, pt.keys.AGENT, 'SUBSTITUTE_LENT');
    const sendTask = async () => ((await pt.call('GET', '/v1/warehouse/tasks?task=SEND_SUBSTITUTE', pt.keys.WAREHOUSE)).body.items as Array<{ caseId: string }>).find((t) => t.caseId === caseId);
    expect(await sendTask()).toMatchObject({ task: 'SEND_SUBSTITUTE', command: `POST /v1/cases/${caseId}/substitute-sent`, lines: [{ sku: 'SHOE-LOAN', name: 'Loan runner 41', quantity: 1 }] });
    // Beside the case's own task (its replacement's outgoing check), in the full list too.
    const all = (await pt.call('GET', '/v1/warehouse/tasks', pt.keys.WAREHOUSE)).body.items as Array<{ caseId: string; task: string }>;
    expect(all.filter((t) => t.caseId === caseId).map((t) => t.task)).toContain('SEND_SUBSTITUTE');
    // Bad input names its field; nothing is recorded.
    expect(await pt.call('POST', `/v1/cases/${caseId}/substitute-sent`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF' })).toMatchObject({ status: 400, body: { field: 'body.trackingNumber' } });
    const sent = { by: 'packer', carrier: 'SF', trackingNumber: 'sf loan 0010' };
    expect((await pt.call('POST', `/v1/cases/${caseId}/substitute-sent`, pt.keys.WAREHOUSE, sent)).status).toBe(200);
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'SUBSTITUTE_SENT')).toMatchObject({ actor: 'warehouse:packer', data: { carrier: 'SF', trackingNumber: 'SFLOAN0010', sku: 'SHOE-LOAN' } });
    const messages = (await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>;
    expect(messages.filter((m) => m.template === 'loanSent').map((m) => m.text)).toEqual([expect.stringContaining('Loan runner 41')]);
    expect(messages.find((m) => m.template === 'loanSent')!.text).toContain('SFLOAN0010');
    expect(await sendTask()).toBeUndefined();
    // Sent again (a retry): as it is, told once; another parcel after it: the first stands.
    expect((await pt.call('POST', `/v1/cases/${caseId}/substitute-sent`, pt.keys.WAREHOUSE, sent)).status).toBe(200);
    expect(await pt.call('POST', `/v1/cases/${caseId}/substitute-sent`, pt.keys.WAREHOUSE, { ...sent, trackingNumber: 'SFLOAN0099' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('sent already, as SF SFLOAN0010') } });
    expect((await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages.filter((m: { template: string }) => m.template === 'loanSent')).toHaveLength(1);
    // A case that lent nothing has nothing to send.
    const plain = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x10b', locale: 'en' }, order: { ...order, orderId: 'exo-10b' }, kind: 'EXCHANGE', lines, reason: 'too small' });
    await pt.until(plain.body.caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect(await pt.call('POST', `/v1/cases/${plain.body.caseId}/substitute-sent`, pt.keys.WAREHOUSE, sent)).toMatchObject({ status: 409, body: { message: expect.stringContaining('lent no loan product') } });
  });

  it('a loan product not sent yet is no longer the warehouse\'s to send once the exchange became a refund or its replacement was delivered; one reported sent late is still taken until the case finds it never sent', async () => {
    const sendTask = async (caseId: string) => ((await pt.call('GET', '/v1/warehouse/tasks?task=SEND_SUBSTITUTE', pt.keys.WAREHOUSE)).body.items as Array<{ caseId: string }>).find((t) => t.caseId === caseId);
    const sent = { by: 'packer', carrier: 'SF', trackingNumber: 'SFLOAN0120' };
    // No good unit in stock: the agent refunds instead; the customer waits for no replacement, so for no loan.
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x12', locale: 'en' }, order: { ...order, orderId: 'exo-12' }, kind: 'EXCHANGE', urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000, name: 'Loan runner 41' }, lines, reason: 'too small, needed now' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const refunded = opened.body.caseId as string;
    await pt.until(refunded, pt.keys.AGENT, 'AWAITING_OUTGOING_CHECK');
    expect(await sendTask(refunded)).toMatchObject({ task: 'SEND_SUBSTITUTE' });
    expect((await pt.call('POST', `/v1/cases/${refunded}/outgoing-check-failure`, pt.keys.WAREHOUSE, { by: 'packer', failed: ['undamaged'], note: 'none in stock', noGoodStock: true })).status).toBe(200);
    await pt.untilStep(refunded, pt.keys.AGENT, 'NO_GOOD_STOCK');
    // Still waited for while the agent decides (the customer may wait for the restock).
    expect(await sendTask(refunded)).toMatchObject({ task: 'SEND_SUBSTITUTE' });
    expect((await pt.call('POST', `/v1/cases/${refunded}/resolution`, pt.keys.AGENT, { action: 'REFUND_REQUESTED', note: 'customer takes the money' })).status).toBe(200);
    await pt.untilStep(refunded, pt.keys.AGENT, 'AGENT_RESOLVED');
    expect(await sendTask(refunded)).toBeUndefined();
    // A loan that did go out, reported late, is still taken: the case asks it back later, and the customer hears its number.
    expect((await pt.call('POST', `/v1/cases/${refunded}/substitute-sent`, pt.keys.WAREHOUSE, sent)).status).toBe(200);
    expect((await pt.untilStep(refunded, pt.keys.AGENT, 'SUBSTITUTE_SENT')).data).toMatchObject({ trackingNumber: 'SFLOAN0120' });
    // The replacement delivered (and the old pair back) before the loan went out: the loan is not sent any more.
    const delivered = await urgentExchangeAskingForLoan(13, { loanSent: false });
    expect(await sendTask(delivered)).toBeUndefined();
    // Not asked back either: the customer never had it (exchange-loan-never-sent).
    expect((await pt.untilStep(delivered, pt.keys.AGENT, 'SUBSTITUTE_NOT_SENT')).data).toEqual({ sku: 'SHOE-LOAN' });
    expect(((await pt.call('GET', `/v1/cases/${delivered}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string }>).map((m) => m.template)).not.toContain('sendLoanBack');
    expect(await pt.call('POST', `/v1/cases/${delivered}/substitute-sent`, pt.keys.WAREHOUSE, { ...sent, trackingNumber: 'SFLOAN0130' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('found its loan product never sent') } });
    expect(await pt.db.caseEvent.count({ where: { caseId: delivered, kind: 'SUBSTITUTE_SENT' } })).toBe(0);
  });

  it('a loan item without a label of its own (packed inside the old pair\'s parcel) is scanned in as the loan when the clerk says so', async () => {
    const caseId = await urgentExchangeAskingForLoan(8);
    // By the code alone it could be the old pair's parcel again: the label, or the clerk's word that this is the loan, is asked for.
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: caseId, scannedBy: 'dock' })).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', field: 'body.trackingNumber', message: expect.stringContaining('loanProduct: true') } });
    // In the old pair's parcel: its label and the code, marked as the loan.
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFOLD008', returnCode: caseId, loanProduct: true, scannedBy: 'dock-loan' })).status).toBe(202);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_SUBSTITUTE_INSPECTION');
    // Marked again: a second scan of the loan, by whom it was first.
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: caseId, loanProduct: true, scannedBy: 'dock-2' })).toMatchObject({ status: 202, body: { alreadyArrived: { by: 'dock-loan' } } });
    // A case that lent nothing takes no loan scan.
    const plain = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x8b', locale: 'en' }, order: { ...order, orderId: 'exo-8b' }, kind: 'EXCHANGE', lines, reason: 'too small' });
    await pt.until(plain.body.caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: plain.body.caseId, loanProduct: true, scannedBy: 'dock' })).toMatchObject({ status: 409, body: { field: 'body.loanProduct', message: expect.stringContaining('lent no loan product') } });
  });

  it('a price difference paid after its time, while an agent was to decide: the storefront’s confirmation is taken and the exchange goes on', async () => {
    const dearer = [{ ...lines[0]!, replacementUnitPriceMinor: 33_000 }];
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-x9', locale: 'zh-CN' }, order: { ...order, orderId: 'exo-9' }, kind: 'EXCHANGE', lines: dearer, reason: '换大一码' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.STOREFRONT, 'AWAITING_PAYMENT');
    await pt.skip(49 * 3_600 + 60);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_AGENT');
    const paid = await pt.call('POST', `/v1/cases/${caseId}/difference-paid`, pt.keys.STOREFRONT, { paymentId: 'pay-late-9' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const going = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect(going.timeline.map((e: { kind: string }) => e.kind)).not.toContain('AGENT_RESOLVED');
    expect((await pt.db.ledgerEntry.findMany({ where: { caseId }, select: { kind: true, amountMinor: true, reference: true } })).map((e) => [e.kind, Number(e.amountMinor), e.reference])).toEqual([['PAYMENT_RECEIVED', 3_000, 'pay-late-9']]);
    // The webhook retried: the case as it is, booked once.
    expect((await pt.call('POST', `/v1/cases/${caseId}/difference-paid`, pt.keys.STOREFRONT, { paymentId: 'pay-late-9' })).status).toBe(200);
    expect(await pt.db.ledgerEntry.count({ where: { caseId } })).toBe(1);
  });
});
