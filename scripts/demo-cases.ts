/**
 * A scripted storefront, customer, warehouse and agent driving one case of each type that can end
 * without a courier's help against a running platform — beside `npm start`, just `npm run demo:cases`;
 * elsewhere API_URL=… STOREFRONT_KEY=… WAREHOUSE_KEY=… AGENT_KEY=… SUPERVISOR_KEY=… npm run demo:cases
 *
 * Missing items, wrong item, quality problem, transit damage, lost parcel, refund before shipping
 * and a complaint, each to the stage where it is resolved (or closed). Types that wait for a parcel
 * to be delivered (delay, tracking, exchange, refund after shipping) follow it for days in real time;
 * their end-to-end runs are in test/e2e on the dev server's virtual clock. Exits 0 when all ended.
 */
import { apiUrl, keyOf, reach } from './demo-env.js';

const API = apiUrl();
const keys = { storefront: keyOf('STOREFRONT'), warehouse: keyOf('WAREHOUSE'), agent: keyOf('AGENT'), supervisor: keyOf('SUPERVISOR') };
const run = Date.now().toString(36);

async function call(method: string, path: string, key: string, body?: unknown): Promise<Record<string, any>> {
  const res = await reach(`${API}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

/** Resolved counts as reached once the case moved on to its revisit (a policy may revisit at once). */
const LATER: Record<string, string[]> = { RESOLVED: ['AWAITING_REVISIT', 'CLOSED'] };

async function stage(caseId: string, wanted: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = await call('GET', `/v1/cases/${caseId}`, keys.agent);
    if (c.stage === wanted || LATER[wanted]?.includes(c.stage)) return c;
    if (Date.now() > until) throw new Error(`case ${caseId} (${c.type}) is at ${c.stage}, never reached ${wanted}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const customer = { id: `demo-${run}`, locale: 'zh-CN' };
const order = (suffix: string, items = [{ sku: 'TEA-07', name: '龙井茶 100g', quantity: 2, unitPriceMinor: 1_500, unitCostMinor: 600 }]) => ({
  orderId: `demo-${run}-${suffix}`,
  currency: 'CNY',
  items,
  shippingFeeMinor: 0,
  paidTotalMinor: items.reduce((s, i) => s + i.quantity * i.unitPriceMinor, 0),
  shippedAt: Date.now() - 4 * 86_400_000,
  deliveredAt: Date.now() - 86_400_000,
});
const done = (type: string, c: Record<string, any>) => console.log(`${type.padEnd(22)} ${c.stage.padEnd(10)} refunded ${((c.refundedAmountMinor ?? 0) / 100).toFixed(2)} ${c.currency}; ${c.timeline.length} timeline entries`);

async function main(): Promise<void> {
  // 少货: one tin short, confirmed by the stock count, small and light → refunded at once.
  let c = await call('POST', '/v1/missing-items', keys.storefront, { customer, order: order('mi'), missing: [{ sku: 'TEA-07', quantity: 1 }] });
  await stage(c.caseId, 'AWAITING_WAREHOUSE_CHECK');
  await call('POST', `/v1/cases/${c.caseId}/warehouse-check`, keys.warehouse, { by: 'clerk', stockCount: [{ sku: 'TEA-07', systemQuantity: 10, countedQuantity: 11 }], unitWeightsGrams: { 'TEA-07': 120 } });
  done('missing items', await stage(c.caseId, 'RESOLVED'));

  // 错货: the barcode is the ordered one → explained.
  c = await call('POST', '/v1/wrong-items', keys.storefront, { customer, order: order('wi'), orderedSku: 'TEA-07', arrivedBarcode: '6901', barcodes: { 'TEA-07': '6901' } });
  done('wrong item', await stage(c.caseId, 'CLOSED'));

  // 质量问题: no misuse, the discount accepted.
  c = await call('POST', '/v1/quality-problems', keys.storefront, { customer, order: order('qp'), lines: [{ sku: 'TEA-07', quantity: 1 }], description: '茶叶受潮' });
  await stage(c.caseId, 'AWAITING_MISUSE_CHECK');
  await call('POST', `/v1/cases/${c.caseId}/misuse-finding`, keys.agent, { finding: 'NO_MISUSE' });
  await stage(c.caseId, 'AWAITING_CUSTOMER_CONSENT');
  await call('POST', `/v1/cases/${c.caseId}/proposal-answer`, keys.storefront, { accept: true });
  done('quality problem', await stage(c.caseId, 'RESOLVED'));

  // 运输破损: photos, minor, within the cap.
  c = await call('POST', '/v1/transit-damage', keys.storefront, { customer, order: order('td'), customerHandle: 'tb_demo', lines: [{ sku: 'TEA-07', quantity: 1 }], degree: 'MINOR', photoUrls: ['https://evidence.example.com/dent.jpg'], shipment: { carrier: 'SF', trackingNumber: `SFD${run}`, shippedAt: Date.now() - 3 * 86_400_000 } });
  await stage(c.caseId, 'AWAITING_ASSESSMENT');
  await call('POST', `/v1/cases/${c.caseId}/damage-assessment`, keys.agent, { degree: 'MINOR', cause: 'PRODUCT_DEFECT', proposedRefundMinor: 300, returnShippingCostMinor: 800, returnPossible: true, goodsUsable: true });
  done('transit damage', await stage(c.caseId, 'RESOLVED'));

  // 丢件: the courier never scanned it → internal; the customer takes the refund.
  c = await call('POST', '/v1/lost-parcels', keys.storefront, { customer, order: order('lp'), shipment: { carrier: 'SF', trackingNumber: `SFL${run}`, shippedAt: Date.now() - 5 * 86_400_000 }, lines: [{ sku: 'TEA-07', quantity: 2 }] });
  await stage(c.caseId, 'AWAITING_DISPATCH_CONFIRMATION');
  await call('POST', `/v1/cases/${c.caseId}/dispatch-confirmation`, keys.warehouse, { by: 'clerk', dispatched: true, trackingNo: `SFL${run}` });
  await stage(c.caseId, 'AWAITING_CUSTOMER_CHOICE');
  await call('POST', `/v1/cases/${c.caseId}/remedy-choice`, keys.storefront, { remedy: 'REFUND' });
  done('lost parcel', await stage(c.caseId, 'RESOLVED'));

  // 仅退款-未发货: not picked → cancelled and refunded.
  c = await call('POST', '/v1/refunds-before-shipping', keys.storefront, { customer, order: { ...order('rn'), shippedAt: undefined, deliveredAt: undefined }, reason: 'ORDERED_BY_MISTAKE' });
  done('refund before shipping', await stage(c.caseId, 'RESOLVED'));

  // 投诉: recorded, resolved by a supervisor with its cause.
  c = await call('POST', '/v1/complaints', keys.agent, { customer, order: order('cp'), category: 'SERVICE_ATTITUDE', description: '客服态度差', channel: 'PHONE' });
  await stage(c.caseId, 'AWAITING_RESOLUTION');
  await call('POST', `/v1/cases/${c.caseId}/complaint-resolution`, keys.supervisor, { plan: '回电致歉并赠送优惠券', cause: '新客服未受培训', improvement: '上岗前培训', shopAtFault: true });
  done('complaint', await stage(c.caseId, 'RESOLVED'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
