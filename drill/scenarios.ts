/**
 * The case types the drill drives, each from its opening to its end, with the money it must move:
 * the flows of scripts/demo-return.ts and scripts/demo-cases.ts (types that end without waiting
 * days for a courier), with the end state, the refund and the courier claim each one must come to.
 * The amounts are worked out here from the order and the policy (not read back from the platform),
 * so a refund that is paid twice, paid wrong or not paid shows up against them.
 */
import type { ProviderStubs } from './stubs.js';

export type Role = 'storefront' | 'warehouse' | 'agent' | 'supervisor';

/** What a scenario may do to its case: each call is one client step (progress of the drill). */
export interface CaseDriver {
  /** Opens the case (POST with an Idempotency-Key, retried); returns the case id the API gave. */
  open(path: string, role: Role, body: unknown): Promise<string>;
  /** A command on the open case, retried with the same Idempotency-Key until answered. */
  command(path: string, role: Role, body: unknown): Promise<void>;
  /** Waits (bounded) until the case's read model shows one of `stages`. */
  stage(...stages: string[]): Promise<void>;
}

export interface CaseFacts {
  index: number;
  orderId: string;
  /** A tracking number no other case uses (return parcel, or the parcel the case is about). */
  tracking: string;
  customerId: string;
  /** Alternates per case of a type: a second path through the same type where it has one. */
  variant: 0 | 1;
}

export interface Expected {
  /** Every scenario ends CLOSED; this is its closeReason. */
  closeReason: string;
  /** The one refund the case must pay (0: none). */
  refundMinor: number;
  /** The one courier claim the case must file, and the carrier pays in full (0: none). */
  claimMinor: number;
}

export interface Scenario {
  type: string;
  /** Client calls (the opening and each command) it takes: the drill's progress is counted in them. */
  steps(f: CaseFacts): number;
  expected: Expected;
  /** What the providers must know before the case opens (the payment, the parcel, the WMS order). */
  setup(world: ProviderStubs, f: CaseFacts): void;
  drive(d: CaseDriver, f: CaseFacts): Promise<void>;
}

const DAY = 86_400_000;
const customer = (f: CaseFacts) => ({ id: f.customerId, locale: 'zh-CN' as const });

/** Two tins of tea, paid 30.00, no shipping fee: the order of every type but the return. */
const TEA = { sku: 'TEA-07', name: '龙井茶 100g', quantity: 2, unitPriceMinor: 1_500, unitCostMinor: 600 };
const teaOrder = (f: CaseFacts, shipped = true) => ({
  orderId: f.orderId,
  currency: 'CNY',
  items: [TEA],
  shippingFeeMinor: 0,
  paidTotalMinor: 3_000,
  ...(shipped ? { shippedAt: Date.now() - 4 * DAY, deliveredAt: Date.now() - DAY } : {}),
});

/** Two mugs and a tea, 800 shipping, paid 214.00 (scripts/demo-return.ts). */
const returnOrder = (f: CaseFacts) => ({
  orderId: f.orderId,
  currency: 'CNY',
  items: [
    { sku: 'MUG-01', name: '马克杯', quantity: 2, unitPriceMinor: 3_900, unitCostMinor: 1_500 },
    { sku: 'TEA-07', name: '龙井茶 100g', quantity: 1, unitPriceMinor: 12_800, unitCostMinor: 6_000 },
  ],
  shippingFeeMinor: 800,
  paidTotalMinor: 21_400,
  shippedAt: Date.now() - 4 * DAY,
  deliveredAt: Date.now() - 2 * DAY,
});

const paid = (world: ProviderStubs, f: CaseFacts, minor: number) => void world.paidTotals.set(f.orderId, minor);

/** The satisfaction revisit (policy: right after resolution), answered 5: closed as satisfied. */
async function revisit(d: CaseDriver): Promise<void> {
  await d.stage('AWAITING_REVISIT');
  await d.command('/revisit', 'storefront', { score: 5, comment: '很满意' });
  await d.stage('CLOSED');
}

export const SCENARIOS: Scenario[] = [
  {
    // 退货退款: one mug back without a reason, inspected OK → its price refunded (no shipping: not the shop's fault).
    type: 'RETURN_AND_REFUND',
    steps: () => 5,
    expected: { closeReason: 'SATISFIED', refundMinor: 3_900, claimMinor: 0 },
    setup: (w, f) => paid(w, f, 21_400),
    async drive(d, f) {
      await d.open('/v1/returns', 'storefront', { customer: customer(f), order: returnOrder(f), lines: [{ sku: 'MUG-01', quantity: 1, reason: 'NO_REASON' }] });
      await d.stage('AWAITING_RETURN_SHIPMENT');
      await d.command('/return-shipment', 'storefront', { carrier: 'SF', trackingNumber: f.tracking });
      await d.stage('AWAITING_ARRIVAL');
      await d.command('/v1/warehouse/arrivals', 'warehouse', { trackingNumber: f.tracking, scannedBy: 'dock-1' });
      await d.stage('AWAITING_INSPECTION');
      await d.command('/inspection', 'warehouse', { by: 'inspector-1', lines: [{ sku: 'MUG-01', receivedQuantity: 1, condition: 'OK' }] });
      await revisit(d);
    },
  },
  {
    // 少货: one tin short, confirmed by the stock count, small and light → refunded at once.
    type: 'MISSING_ITEMS',
    steps: () => 3,
    expected: { closeReason: 'SATISFIED', refundMinor: 1_500, claimMinor: 0 },
    setup: (w, f) => paid(w, f, 3_000),
    async drive(d, f) {
      await d.open('/v1/missing-items', 'storefront', { customer: customer(f), order: teaOrder(f), missing: [{ sku: 'TEA-07', quantity: 1 }] });
      await d.stage('AWAITING_WAREHOUSE_CHECK');
      await d.command('/warehouse-check', 'warehouse', { by: 'clerk', stockCount: [{ sku: 'TEA-07', systemQuantity: 10, countedQuantity: 11 }], unitWeightsGrams: { 'TEA-07': 120 } });
      await revisit(d);
    },
  },
  {
    // 仅退款-未发货: not picked → cancelled and everything refunded at once; picked → the merchant approves first.
    type: 'REFUND_NOT_SHIPPED',
    steps: (f) => (f.variant ? 3 : 2),
    expected: { closeReason: 'SATISFIED', refundMinor: 3_000, claimMinor: 0 },
    setup(w, f) {
      paid(w, f, 3_000);
      w.wmsOrders.set(f.orderId, f.variant ? { status: 'PICKED', outboundId: `ob-${f.orderId}` } : { status: 'NOT_PICKED' });
    },
    async drive(d, f) {
      await d.open('/v1/refunds-before-shipping', 'storefront', { customer: customer(f), order: teaOrder(f, false), reason: f.variant ? 'OTHER' : 'ORDERED_BY_MISTAKE' });
      if (f.variant) {
        await d.stage('AWAITING_MERCHANT');
        await d.command('/proposals', 'agent', { decision: 'APPROVE' });
      }
      await revisit(d);
    },
  },
  {
    // 质量问题: no misuse, the 10 % discount on the affected tin accepted → 1.50 refunded.
    type: 'QUALITY_PROBLEM',
    steps: () => 4,
    expected: { closeReason: 'SATISFIED', refundMinor: 150, claimMinor: 0 },
    setup: (w, f) => paid(w, f, 3_000),
    async drive(d, f) {
      await d.open('/v1/quality-problems', 'storefront', { customer: customer(f), order: teaOrder(f), lines: [{ sku: 'TEA-07', quantity: 1 }], description: '茶叶受潮' });
      await d.stage('AWAITING_MISUSE_CHECK');
      await d.command('/misuse-finding', 'agent', { finding: 'NO_MISUSE' });
      await d.stage('AWAITING_CUSTOMER_CONSENT');
      await d.command('/proposal-answer', 'storefront', { accept: true });
      await revisit(d);
    },
  },
  {
    // 运输破损: minor, broken in transport → 3.00 refunded under the cap, and the courier claimed for
    // that loss (the customer keeps the dented tin: domain/fulfilment/transit-damage.ts damageClaimMinor).
    type: 'TRANSIT_DAMAGE',
    steps: () => 3,
    expected: { closeReason: 'SATISFIED', refundMinor: 300, claimMinor: 300 },
    setup: (w, f) => paid(w, f, 3_000),
    async drive(d, f) {
      await d.open('/v1/transit-damage', 'storefront', {
        customer: customer(f),
        order: teaOrder(f),
        customerHandle: `tb_${f.customerId}`,
        lines: [{ sku: 'TEA-07', quantity: 1 }],
        degree: 'MINOR',
        photoUrls: ['https://evidence.example.com/dent.jpg'],
        shipment: { carrier: 'SF', trackingNumber: f.tracking, shippedAt: Date.now() - 3 * DAY },
      });
      await d.stage('AWAITING_ASSESSMENT');
      await d.command('/damage-assessment', 'agent', { degree: 'MINOR', cause: 'TRANSPORT', proposedRefundMinor: 300, returnShippingCostMinor: 800, returnPossible: true, goodsUsable: true });
      await revisit(d);
    },
  },
  {
    // 丢件: left the warehouse, the courier's trace says lost (EXCEPTION) → claim; the customer takes the refund.
    type: 'LOST_PARCEL',
    steps: () => 4,
    expected: { closeReason: 'SATISFIED', refundMinor: 3_000, claimMinor: 3_000 },
    setup(w, f) {
      paid(w, f, 3_000);
      w.parcels.set(f.tracking, 'EXCEPTION');
    },
    async drive(d, f) {
      await d.open('/v1/lost-parcels', 'storefront', { customer: customer(f), order: teaOrder(f), shipment: { carrier: 'SF', trackingNumber: f.tracking, shippedAt: Date.now() - 5 * DAY }, lines: [{ sku: 'TEA-07', quantity: 2 }] });
      await d.stage('AWAITING_DISPATCH_CONFIRMATION');
      // With the tracking number: without it the domain calls the report INVALID and no claim is filed.
      await d.command('/dispatch-confirmation', 'warehouse', { by: 'clerk', dispatched: true, trackingNo: f.tracking, proofUrls: ['https://evidence.example.com/waybill.jpg'] });
      await d.stage('AWAITING_CUSTOMER_CHOICE');
      await d.command('/remedy-choice', 'storefront', { remedy: 'REFUND' });
      await revisit(d);
    },
  },
  {
    // 投诉: recorded by an agent, resolved by a supervisor with plan, cause and improvement.
    type: 'COMPLAINT',
    steps: () => 3,
    expected: { closeReason: 'SATISFIED', refundMinor: 0, claimMinor: 0 },
    setup: (w, f) => paid(w, f, 3_000),
    async drive(d, f) {
      await d.open('/v1/complaints', 'agent', { customer: customer(f), order: teaOrder(f), category: 'SERVICE_ATTITUDE', description: '客服态度差', channel: 'PHONE' });
      await d.stage('AWAITING_RESOLUTION');
      await d.command('/complaint-resolution', 'supervisor', { plan: '回电致歉并赠送优惠券', cause: '新客服未受培训', improvement: '上岗前培训', shopAtFault: true });
      await revisit(d);
    },
  },
  {
    // 错货: the barcode that arrived is the ordered one → explained and closed, no money.
    type: 'WRONG_ITEM',
    steps: () => 1,
    expected: { closeReason: 'EXPLAINED', refundMinor: 0, claimMinor: 0 },
    setup: (w, f) => paid(w, f, 3_000),
    async drive(d, f) {
      await d.open('/v1/wrong-items', 'storefront', { customer: customer(f), order: teaOrder(f), orderedSku: 'TEA-07', arrivedBarcode: '6901', barcodes: { 'TEA-07': '6901' } });
      await d.stage('CLOSED');
    },
  },
];
