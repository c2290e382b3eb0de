/**
 * A scripted storefront, customer and warehouse running one return from opening to closing
 * against a running platform — beside `npm start`, just `npm run demo:return` (it finds the local
 * development keys); elsewhere API_URL=… STOREFRONT_KEY=… WAREHOUSE_KEY=… ADMIN_KEY=… npm run demo:return
 *
 * The revisit normally comes days after the refund; with ADMIN_KEY set the script first publishes
 * a policy version for the demo merchant with `revisitAfterDays: 0`, so the whole case closes in
 * seconds (cases already open keep their own version). Exits 0 when the case is closed.
 */
import { apiUrl, keyOf, reach } from './demo-env.js';

const API = apiUrl();
const MERCHANT = process.env.MERCHANT_ID ?? 'demo-merchant';

async function call(method: string, path: string, key: string, body?: unknown): Promise<Record<string, any>> {
  const res = await reach(`${API}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json', 'idempotency-key': `demo-${path}-${JSON.stringify(body).length}-${runId}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

const runId = Date.now().toString(36);
const say = (step: string, detail = '') => console.log(`${step.padEnd(34)} ${detail}`);

async function stageOf(caseId: string, key: string, wanted: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const c = await call('GET', `/v1/cases/${caseId}`, key);
    if (c.stage === wanted) return c;
    if (Date.now() > until) throw new Error(`case ${caseId} is at ${c.stage}, never reached ${wanted}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  const storefront = keyOf('STOREFRONT');
  const warehouse = keyOf('WAREHOUSE');
  const admin = keyOf('ADMIN', false);
  if (admin) {
    // A second run (or a policy published by hand) finds the rule in place already: the API says so with a 400, and that is fine.
    const p = await call('POST', `/v1/admin/merchants/${MERCHANT}/policies`, admin, { rules: { revisitAfterDays: 0 } }).catch((err: Error) => {
      if (/→ 400 .*changes nothing/.test(err.message)) return null;
      throw err;
    });
    say('admin: policy', p ? `version ${p.version} published (revisit right after the refund)` : 'already revisits right after the refund');
  }
  const now = Date.now();
  const opened = await call('POST', '/v1/returns', storefront, {
    customer: { id: `demo-customer-${runId}`, locale: 'zh-CN' },
    order: {
      orderId: `demo-order-${runId}`,
      currency: 'CNY',
      items: [
        { sku: 'MUG-01', name: '马克杯', quantity: 2, unitPriceMinor: 3900, unitCostMinor: 1500 },
        { sku: 'TEA-07', name: '龙井茶 100g', quantity: 1, unitPriceMinor: 12800, unitCostMinor: 6000 },
      ],
      shippingFeeMinor: 800,
      paidTotalMinor: 2 * 3900 + 12800 + 800,
      shippedAt: now - 4 * 86_400_000,
      deliveredAt: now - 2 * 86_400_000,
    },
    lines: [{ sku: 'MUG-01', quantity: 1, reason: 'NO_REASON' }],
  });
  const caseId = opened.caseId as string;
  say('storefront: return opened', `case ${caseId}, policy v${opened.policyVersion}`);
  const customer = (await call('POST', '/v1/customer-tokens', storefront, { customerId: `demo-customer-${runId}` })).token as string;

  let c = await stageOf(caseId, customer, 'AWAITING_RETURN_SHIPMENT');
  const decision = c.timeline.find((e: { kind: string }) => e.kind === 'SOLUTION_PROPOSED')?.decision;
  say('policy: approved', `${decision?.rule} → ${decision?.outcome}`);
  const tracking = `SF${runId.toUpperCase()}`;
  await call('POST', `/v1/cases/${caseId}/return-shipment`, customer, { carrier: 'SF', trackingNumber: tracking });
  say('customer: return shipped', `SF ${tracking}`);
  await stageOf(caseId, customer, 'AWAITING_ARRIVAL');
  await call('POST', '/v1/warehouse/arrivals', warehouse, { trackingNumber: tracking, scannedBy: 'dock-1' });
  say('warehouse: arrival scanned');
  await stageOf(caseId, warehouse, 'AWAITING_INSPECTION');
  await call('POST', `/v1/cases/${caseId}/inspection`, warehouse, { by: 'inspector-1', lines: [{ sku: 'MUG-01', receivedQuantity: 1, condition: 'OK' }] });
  say('warehouse: inspected', '1 × MUG-01 OK');
  c = await stageOf(caseId, customer, admin ? 'AWAITING_REVISIT' : 'RESOLVED');
  say('finance: refunded', `${(c.refundedAmountMinor / 100).toFixed(2)} ${c.currency}`);
  if (!admin) {
    say('resolved', 'the revisit comes after the policy’s revisitAfterDays (set ADMIN_KEY to shorten it)');
    return;
  }
  await call('POST', `/v1/cases/${caseId}/revisit`, customer, { score: 5, comment: '很满意' });
  c = await stageOf(caseId, customer, 'CLOSED');
  say('customer: revisit answered', `satisfaction ${c.satisfaction}`);
  say('closed', `${c.closeReason}; ${c.timeline.length} timeline entries`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
