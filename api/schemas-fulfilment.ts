/** Request bodies of the fulfilment case types (少货 …), beside the return case's in schemas.ts. */
import { Type } from 'typebox';
import { OneOf, Text } from './validation-problems.js';
import { Amount, Carrier, Customer, HttpUrl, Instant, OpeningReference, OrderSnapshot, TRACKING_NUMBER_RULE, TrackingNumber } from './schemas.js';
import { ACCOUNTABLE_CAUSES, ROOT_CAUSE_CATEGORIES, ROOT_CAUSES } from '../domain/fulfilment/root-cause.js';
import { COMPLAINT_CATEGORIES } from '../domain/complaint.js';
import { DELAY_CAUSES } from '../domain/fulfilment/lost-delay.js';
import { DAMAGE_CAUSES } from '../domain/fulfilment/transit-damage.js';
import { REFUND_BEFORE_SHIPPING_REASONS } from '../domain/refund-before-shipping.js';

const Sku = Text(64);
/**
 * A SKU as a map's key: TypeBox turns a key's pattern into the map's only `patternProperties`, so
 * with NOT_BLANK a blank key's value would go unchecked; the workflows check the SKUs themselves.
 */
const SkuKey = Type.String({ minLength: 1, maxLength: 64 });
const Grams = Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'grams' });
const Units = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const Lines = Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 200 });

// ---- Examples for the OpenAPI document (/docs) ----
// One order per case type; a case's commands use that order's SKUs and parcels. Times are epoch
// milliseconds (Beijing time in the comments), amounts minor units (分).
const CLERK = 'wh-hz1-chenjing';
const MUG = { sku: 'MUG-01', name: '陶瓷马克杯 350ml 白色', unitPriceMinor: 3900, unitCostMinor: 1500 };
const TEA = { sku: 'TEA-07', name: '西湖龙井 250g 礼盒', unitPriceMinor: 12800, unitCostMinor: 6200 };

/** 少货: the coaster set did not arrive. */
const MISSING_ORDER = {
  orderId: 'SO20261126-0117',
  currency: 'CNY',
  items: [
    { ...MUG, quantity: 2 },
    { sku: 'COASTER-03', name: '软木杯垫 4 片装', quantity: 1, unitPriceMinor: 1500, unitCostMinor: 400 },
  ],
  shippingFeeMinor: 0,
  paidTotalMinor: 9300,
  shippedAt: 1795743000000, // 2026-11-27 09:30
  deliveredAt: 1795849800000, // 2026-11-28 15:10
};
/** 仅退款-未发货: ordered this morning, not shipped. */
const NOT_SHIPPED_ORDER = { orderId: 'SO20261130-0042', currency: 'CNY', items: [{ ...TEA, quantity: 1 }], shippingFeeMinor: 0, paidTotalMinor: 12800 };
/** 仅退款-已发货: a desk lamp bought twice, the second one already with YTO. */
const SHIPPED_ORDER = {
  orderId: 'SO20261129-0076',
  currency: 'CNY',
  items: [{ sku: 'LAMP-02', name: 'LED 护眼台灯 白色', quantity: 1, unitPriceMinor: 15900, unitCostMinor: 7200 }],
  shippingFeeMinor: 0,
  paidTotalMinor: 15900,
  shippedAt: 1795945500000, // 2026-11-29 17:45
};
/** 延误 (and the complaint about it): honey from Hangzhou to Beijing, promised for 27 Nov. */
const DELAYED_ORDER = {
  orderId: 'SO20261124-0033',
  currency: 'CNY',
  items: [{ sku: 'HONEY-05', name: '椴树蜂蜜 500g', quantity: 2, unitPriceMinor: 6800, unitCostMinor: 3100 }],
  shippingFeeMinor: 0,
  paidTotalMinor: 13600,
  shippedAt: 1795514400000, // 2026-11-24 18:00
};
const DELAY_CUSTOMER = { id: 'cust-60418', locale: 'zh-CN' };
/** 货物丢失: two tea gift boxes with ZTO, no scan since the 18th. */
const LOST_ORDER = { orderId: 'SO20261116-0091', currency: 'CNY', items: [{ ...TEA, quantity: 2 }], shippingFeeMinor: 0, paidTotalMinor: 25600, shippedAt: 1794907200000 }; // 2026-11-17 17:20
/** 质量问题 (and the urgent exchange): a kettle that stopped heating after two weeks. */
const KETTLE_ORDER = {
  orderId: 'SO20261110-0215',
  currency: 'CNY',
  items: [{ sku: 'KETTLE-01', name: '电热水壶 1.7L 304 不锈钢', quantity: 1, unitPriceMinor: 19900, unitCostMinor: 9800 }],
  shippingFeeMinor: 0,
  paidTotalMinor: 19900,
  shippedAt: 1794362400000, // 2026-11-11 10:00
  deliveredAt: 1794472800000, // 2026-11-12 16:40
};
const KETTLE_CUSTOMER = { id: 'cust-45102', locale: 'zh-CN' };
/** 运输破损: the vase arrived in pieces. */
const DAMAGED_ORDER = {
  orderId: 'SO20261127-0150',
  currency: 'CNY',
  items: [
    { sku: 'VASE-05', name: '青瓷花瓶 30cm', quantity: 1, unitPriceMinor: 29900, unitCostMinor: 11000 },
    { ...MUG, quantity: 2 },
  ],
  shippingFeeMinor: 1200,
  paidTotalMinor: 38900,
  shippedAt: 1795759200000, // 2026-11-27 14:00
  deliveredAt: 1795919400000, // 2026-11-29 10:30
};
/** 查件 / 催件: promised to ship by 28 Nov 18:00. */
const INQUIRY_ORDER = { orderId: 'SO20261127-0064', currency: 'CNY', items: [{ ...TEA, quantity: 1 }], shippingFeeMinor: 0, paidTotalMinor: 12800 };
const INQUIRY_CUSTOMER = { id: 'cust-51877', locale: 'en' };
/** 错货: a blue mug came instead of the white one. */
const WRONG_ITEM_ORDER = {
  orderId: 'SO20261123-0188',
  currency: 'CNY',
  items: [
    { ...MUG, quantity: 1 },
    { sku: 'COASTER-03', name: '软木杯垫 4 片装', quantity: 1, unitPriceMinor: 1500, unitCostMinor: 400 },
  ],
  shippingFeeMinor: 0,
  paidTotalMinor: 5400,
  shippedAt: 1795503600000, // 2026-11-24 15:00
  deliveredAt: 1795670400000, // 2026-11-26 13:20
};
/** 换货: a T-shirt a size too small. */
const TEE_ORDER = {
  orderId: 'SO20261121-0072',
  currency: 'CNY',
  items: [{ sku: 'TEE-BLK-M', name: '纯棉短袖 T 恤 黑色 M', quantity: 1, unitPriceMinor: 7900, unitCostMinor: 2600 }],
  shippingFeeMinor: 0,
  paidTotalMinor: 7900,
  shippedAt: 1795313400000, // 2026-11-22 10:10
  deliveredAt: 1795495500000, // 2026-11-24 12:45
};

export const OpenMissingItemsBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    missing: Lines,
    evidenceUrls: Type.Optional(Type.Array(HttpUrl, { maxItems: 20, description: 'photos, videos or records the customer gave, as links the shop’s staff can open (the platform keeps the links with the case, not the files)' })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        customer: { id: 'cust-33920', locale: 'zh-CN' },
        order: MISSING_ORDER,
        missing: [{ sku: 'COASTER-03', quantity: 1 }],
        evidenceUrls: ['https://evidence.example.com/SO20261126-0117/parcel-opened.jpg', 'https://evidence.example.com/SO20261126-0117/waybill.jpg'],
      },
    ],
  },
);

export const WarehouseCheckBody = Type.Object(
  {
    by: Text(64, { description: 'the warehouse clerk who checked (their id or name): the step’s actor, `warehouse:<by>`. Sent alone, with no record, the verdict is UNVERIFIABLE' }),
    outboundRecord: Type.Optional(
      Type.Array(Type.Object({ sku: Sku, quantity: Units }, { additionalProperties: false }), {
        maxItems: 200,
        description:
          'the outbound record (出库单底单): the units of each SKU it shows leaving with this order (a SKU of the order not listed counts 0; lines of one SKU are added up; a SKU the order does not have is a 400). For each missing SKU: at most ordered − missing → SHORT; at least the ordered quantity → COMPLETE (on paper only: it never makes the verdict NOT_SHORT by itself); in between → UNKNOWN. Left out: not looked up (UNKNOWN)',
      }),
    ),
    waybillWeightGrams: Type.Optional({
      ...Grams,
      description:
        'the parcel’s weight on the waybill (快递单称重), grams. Compared with the expected weight (packagingWeightGrams + every item of the order × its unit weight), within the policy’s tolerance (the larger of `weightToleranceGrams` and `weightTolerancePercent` of the expected weight): the whole order’s weight → COMPLETE; the order’s without the missing goods → SHORT; neither → UNKNOWN. UNKNOWN too when it or a unit weight of the order is missing, or when the missing goods weigh no more than twice the tolerance (the scale cannot tell)',
    }),
    unitWeightsGrams: Type.Optional(
      Type.Record(SkuKey, Grams, {
        description:
          'the weight of one unit, grams, keyed by SKU (`{"MUG-01": 420, "COASTER-03": 120}`). The weight check needs every SKU of the order, not only the missing ones (one left out: UNKNOWN); the missing SKUs’ weights also decide whether the goods are small and light enough to refund at once (at most the policy’s `smallLightMaxWeightGrams` in all). Keys that are no SKU of the order are not used',
      }),
    ),
    packagingWeightGrams: Type.Optional({ ...Grams, description: 'the box and filling, grams: added to the goods for the expected parcel weight (0 when left out)' }),
    stockCount: Type.Optional(
      Type.Array(
        Type.Object(
          {
            sku: Sku,
            systemQuantity: { ...Units, description: 'what the stock system says is on the shelf now, after the shipment' },
            countedQuantity: { ...Units, description: 'what the warehouse counted on the shelf' },
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 200,
          description:
            'a count of the missing SKUs on the shelf (库存数量). For each missing SKU: counted − system at least the missing quantity (the units are still on the shelf) → SHORT; counted = system → COMPLETE; otherwise, or the SKU not counted → UNKNOWN. A SKU the order does not have is a 400. Left out: not counted (UNKNOWN)',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'the three records of 少货: outbound record, waybill weight (with unit weights), stock count',
    examples: [
      {
        by: CLERK,
        // The coaster never left: not on the outbound record, the parcel weighed without it, one too many on the shelf (CONFIRMED_SHORT).
        outboundRecord: [{ sku: 'MUG-01', quantity: 2 }],
        waybillWeightGrams: 1065,
        unitWeightsGrams: { 'MUG-01': 420, 'COASTER-03': 120 },
        packagingWeightGrams: 220,
        stockCount: [{ sku: 'COASTER-03', systemQuantity: 86, countedQuantity: 87 }],
      },
    ],
  },
);

export const RemedyChoiceBody = Type.Object({ remedy: Type.Union([Type.Literal('REFUND'), Type.Literal('RESHIP'), Type.Literal('REPAIR')], { description: 'REFUND (the money back; RETURN_REFUND in a decision\'s options) or RESHIP (the goods sent again; EXCHANGE in a decision\'s options: for a wrong item or a quality problem, the exchange); REPAIR only for a quality problem at a shop that repairs (400 otherwise)' }) }, { additionalProperties: false, examples: [{ remedy: 'RESHIP' }, { remedy: 'REFUND' }, { remedy: 'REPAIR' }] });
export const ReshipmentBody = Type.Object(
  {
    by: Text(64, { description: 'the warehouse clerk who shipped it: the step’s actor, `warehouse:<by>`' }),
    carrier: Carrier,
    trackingNumber: { ...TrackingNumber, description: `the new parcel’s tracking number (not the parcel it replaces, nor a return), ${TRACKING_NUMBER_RULE}` },
    weightGrams: Type.Optional({ ...Grams, description: 'the parcel as weighed and labelled (称重贴单), grams: recorded on the step' }),
  },
  {
    additionalProperties: false,
    examples: [{ by: CLERK, carrier: 'SF', trackingNumber: 'SF1234567890188', weightGrams: 340 }],
  },
);

export const LoanSentBody = Type.Object(
  {
    by: Text(64, { description: 'the warehouse clerk who handed the loan product to the carrier: the step’s actor, `warehouse:<by>`' }),
    carrier: Carrier,
    trackingNumber: { ...TrackingNumber, description: `the loan parcel’s tracking number, ${TRACKING_NUMBER_RULE}` },
  },
  { additionalProperties: false, examples: [{ by: CLERK, carrier: 'SF', trackingNumber: 'SF1234567890199' }] },
);

export const OpenRefundBeforeShippingBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    reason: OneOf(REFUND_BEFORE_SHIPPING_REASONS),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  {
    additionalProperties: false,
    examples: [
      { customer: { id: 'cust-72015', locale: 'zh-CN' }, order: NOT_SHIPPED_ORDER, reason: 'ORDERED_BY_MISTAKE', note: '拍错规格了，想要 500g 装，会重新下单' },
      { customer: { id: 'cust-72015', locale: 'zh-CN' }, order: NOT_SHIPPED_ORDER, reason: 'NO_LONGER_WANTED' },
    ],
  },
);

export const OpenRefundAfterShippingBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    shipment: Type.Object({ carrier: Carrier, trackingNumber: TrackingNumber }, { additionalProperties: false }),
    reason: Text(500),
  },
  {
    additionalProperties: false,
    examples: [
      {
        customer: { id: 'cust-39457', locale: 'zh-CN' },
        order: SHIPPED_ORDER,
        shipment: { carrier: 'YTO', trackingNumber: 'YT7512345678901' },
        reason: '重复下单，这一单不要了，请拦截退回',
      },
    ],
  },
);

const ComplaintCategory = OneOf(COMPLAINT_CATEGORIES);
const ComplaintFacts = {
  category: ComplaintCategory,
  description: Text(4000),
  channel: Type.Optional(Type.Union(['PHONE', 'EMAIL', 'CHAT', 'SOCIAL_MEDIA', 'STOREFRONT'].map((c) => Type.Literal(c)), { description: 'where the customer complained: PHONE, EMAIL, CHAT (online chat), SOCIAL_MEDIA, STOREFRONT (a form of the shop’s own site or app)' })),
  threatensEscalation: Type.Optional(Type.Boolean({ description: 'bad review, media, regulator or lawsuit threatened (维权)' })),
};
export const OpenComplaintBody = Type.Object(
  { ...OpeningReference, customer: Customer, order: OrderSnapshot, repeat: Type.Optional(Type.Boolean({ description: 'the customer has complained about this before (as the shop knows it): a repeat complaint is handled at HIGH priority. An earlier complaint by the same customer about the same order recorded here makes it a repeat without it (the answer’s `repeat` says which it was taken for); a complaint about a case, POST /v1/cases/{caseId}/complaint, works this out by itself' })), ...ComplaintFacts },
  {
    additionalProperties: false,
    examples: [
      {
        customer: DELAY_CUSTOMER,
        order: DELAYED_ORDER,
        category: 'LOGISTICS',
        description: '蜂蜜 11 月 24 日发货，承诺 27 日送达，到现在还没到；问了两次客服都只说"请耐心等待"。',
        channel: 'PHONE',
        threatensEscalation: true,
        repeat: false,
      },
    ],
  },
);
export const TurnIntoComplaintBody = Type.Object(ComplaintFacts, { additionalProperties: false, examples: [{ category: 'REFUND_DELAY', description: '退货 11 月 29 日就寄回了，仓库签收两天还没退款', channel: 'CHAT', threatensEscalation: false }] });
export const ComplaintResolutionBody = Type.Object(
  {
    plan: Text(2000, { description: 'what was done for the customer (an apology, a coupon, a parcel hurried): sent to the customer in the message that tells them the complaint is resolved' }),
    cause: Text(2000, { description: 'what caused the complaint, as the agent found it: recorded on the RESOLVED step for the staff' }),
    improvement: Text(2000, { description: 'what changes so it does not happen again: recorded on the RESOLVED step for the staff' }),
    shopAtFault: Type.Boolean({ description: 'the shop was at fault: the customer’s message is an apology' }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        plan: '致电致歉并补偿 20 元无门槛优惠券；顺丰加急派送，12 月 1 日已签收',
        cause: '顺丰北京顺义转运中心因降雪滞留；客服没有主动告知延误，只用模板回复',
        improvement: '恶劣天气影响线路的订单由系统主动短信通知；延误咨询必须给出预计送达时间',
        shopAtFault: true,
      },
    ],
  },
);

export const OpenExchangeBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    kind: Type.Union([Type.Literal('EXCHANGE'), Type.Literal('RESHIPMENT')], {
      description: 'EXCHANGE (换货): the customer sends the ordered goods back and gets another variant or the same again, any price difference settled; RESHIPMENT (补发): the ordered goods are sent again and nothing comes back (a line takes no replacementSku other than its own sku, nor another price)',
    }),
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
          replacementSku: Type.Optional(Text(64, { description: 'the variant sent instead (another size, colour …); absent: the same goods again' })),
          replacementUnitPriceMinor: Type.Optional(Amount({ description: 'the variant’s price per unit (required with a replacementSku of another SKU): the difference to the price paid is charged or refunded. The same goods again go at the price paid: another price here is a 400' })),
          replacementUnitCostMinor: Type.Optional(Amount({ description: 'the variant’s cost per unit (required with a replacementSku of another SKU), for the outbound note' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    reason: Text(500),
    urgent: Type.Optional(Type.Boolean({ description: 'priority handling (000 紧急客户)' })),
    substitute: Type.Optional(
      Type.Object(
        { sku: Sku, unitCostMinor: Amount(), name: Type.Optional(Text(200, { description: 'what the loan product is called: the warehouse’s list names it so (by its SKU when left out)' })) },
        { additionalProperties: false, description: 'a loan product for an urgent customer, returned after the replacement' },
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        customer: { id: 'cust-66310', locale: 'zh-CN' },
        order: TEE_ORDER,
        kind: 'EXCHANGE',
        lines: [{ sku: 'TEE-BLK-M', quantity: 1, replacementSku: 'TEE-BLK-L-HW', replacementUnitPriceMinor: 8900, replacementUnitCostMinor: 3100 }],
        reason: '尺码偏小，换 L 码加厚款，补差价 10 元',
      },
      {
        customer: KETTLE_CUSTOMER,
        order: KETTLE_ORDER,
        kind: 'EXCHANGE',
        lines: [{ sku: 'KETTLE-01', quantity: 1 }],
        reason: '不加热，换新机',
        urgent: true,
        substitute: { sku: 'KETTLE-LOAN', unitCostMinor: 6500, name: '备用电水壶 1.5L' },
      },
      { customer: { id: 'cust-66310', locale: 'zh-CN' }, order: TEE_ORDER, kind: 'RESHIPMENT', lines: [{ sku: 'TEE-BLK-M', quantity: 1 }], reason: '领口开线，补发一件' },
    ],
  },
);
export const OutgoingCheckBody = Type.Object(
  {
    by: Text(64, { description: 'the warehouse clerk who checked it: the step’s actor, `warehouse:<by>`' }),
    undamaged: Type.Boolean({ description: 'the unit and its packaging are free of damage (must be true)' }),
    working: Type.Boolean({ description: 'the unit was tried and works (must be true)' }),
    resaleable: Type.Boolean({ description: 'the unit is fit to sell as new (must be true)' }),
    cleaned: Type.Optional(Type.Boolean({ description: 'the unit was cleaned: said of products that touch the body or food (a kettle, a cup); leave it out for others (false is a 400)' })),
    invoice: Type.Boolean({ description: 'the invoice goes with the goods (must be true)' }),
    warrantyCard: Type.Optional(Type.Boolean({ description: 'the warranty card goes with the goods; leave it out for a product that comes with none (shoes, clothes)' })),
    serialNumbers: Type.Optional(Type.Array(Text(64), { maxItems: 1000, description: 'the serial numbers of the units going out: one per unit (as many as the exchange lines’ quantities), all different (400 otherwise); recorded on the outbound stock movement. Leave it out for goods without them' })),
  },
  {
    additionalProperties: false,
    examples: [
      { by: CLERK, undamaged: true, working: true, resaleable: true, cleaned: true, invoice: true, warrantyCard: true, serialNumbers: ['KT17-2611-004512'] },
      { by: CLERK, undamaged: true, working: true, resaleable: true, invoice: true },
    ],
  },
);
export const OutgoingCheckFailureBody = Type.Object(
  {
    by: Text(64),
    failed: Type.Array(Type.Union(['undamaged', 'working', 'resaleable', 'cleaned', 'invoice', 'warrantyCard'].map((k) => Type.Literal(k))), { minItems: 1, maxItems: 6, uniqueItems: true, description: 'the checks of the outgoing check the unit failed' }),
    note: Text(500, { description: 'what was wrong with it' }),
    noGoodStock: Type.Optional(Type.Boolean({ description: 'no other unit in stock passes: the case goes to an agent, who refunds instead, waits for stock or closes (default false: the warehouse checks another unit and sends the outgoing check for it)' })),
  },
  {
    additionalProperties: false,
    examples: [
      { by: CLERK, failed: ['undamaged'], note: '外壳有划痕，换一台再检' },
      { by: CLERK, failed: ['working'], note: '通电不加热；库存另外两台同批次同样故障', noGoodStock: true },
    ],
  },
);
export const DifferencePaidBody = Type.Object({ paymentId: Text(64, { description: 'the id of the customer’s payment of the difference, as the storefront or its payment provider knows it: the ledger entry’s reference (the amount is the case’s own: see the operation)' }) }, { additionalProperties: false, examples: [{ paymentId: '2026112522001412340507815236' }] });
export const ParcelCorrectionBody = Type.Object(
  {
    by: Type.Optional(Text(64, { description: 'the warehouse clerk who corrects it, as in `POST …/reshipment`: the step’s actor, `warehouse:<by>`, for a warehouse key (a desk’s key names no person); ignored for staff keys, whose holder is the actor' })),
    carrier: { ...Carrier, description: 'the carrier of the parcel as it really went (the same as before unless that was wrong too): its code, as for a re-shipment' },
    trackingNumber: { ...TrackingNumber, description: `the parcel’s right tracking number, ${TRACKING_NUMBER_RULE}` },
    previousTrackingNumber: { ...TrackingNumber, description: `the number the case follows now, the one being corrected (the case’s latest FOLLOWING_PARCEL or FOLLOWED_PARCEL_CORRECTED step names it as \`outboundTracking\`), written as any tracking number may be (${TRACKING_NUMBER_RULE}): another is a 409 PARCEL_CONFLICT naming the one followed, so a correction made from a stale screen, or two at once, replaces nothing it did not see` },
  },
  { additionalProperties: false, examples: [{ by: CLERK, carrier: 'SF', trackingNumber: 'SF1234567890188', previousTrackingNumber: 'SF1234567890818' }] },
);
export const CarrierRefusalBody = Type.Object({ carrier: Carrier, reason: Text(500) }, { additionalProperties: false, examples: [{ carrier: 'SF', reason: '揽收网点拒收：电器类外箱破损，需原厂包装' }] });

export const OpenDelayBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    shipment: Type.Object({ carrier: Carrier, trackingNumber: TrackingNumber }, { additionalProperties: false }),
    etaAt: Instant({ description: 'the promised delivery time, epoch milliseconds' }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        customer: DELAY_CUSTOMER,
        order: DELAYED_ORDER,
        shipment: { carrier: 'SF', trackingNumber: 'SF1234567890456' },
        etaAt: 1795773600000, // 2026-11-27 18:00
      },
    ],
  },
);
export const DelayCauseBody = Type.Object(
  {
    cause: OneOf(DELAY_CAUSES, {
      description: 'the courier’s causes — TRAFFIC, WEATHER, ROUTE_CHANGE, COURIER_OTHER: explained to the customer — or the shop’s own — LATE_DISPATCH, SCHEDULING_ERROR: an apology and a compensation per day late',
    }),
    newEtaAt: Type.Optional(Instant({ description: 'when the courier now expects to deliver, epoch milliseconds; must lie ahead (400 otherwise). Left out, a courier’s delay is told as on its way with no new date' })),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'what the courier said, for the staff: on the timeline (the customer is not sent it)' })),
  },
  {
    additionalProperties: false,
    examples: [
      // A new ETA must lie ahead: two days after the API started, on the hour, so the example works when pasted.
      { cause: 'WEATHER', newEtaAt: Math.ceil((Date.now() + 2 * 86_400_000) / 3_600_000) * 3_600_000, note: '顺丰回复：华北降雪，北京顺义转运中心滞留，预计两天内派送' },
      { cause: 'LATE_DISPATCH', note: '仓库打包积压，揽收晚了一天' },
    ],
  },
);

export const OpenLostParcelBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    shipment: Type.Object(
      { carrier: Carrier, trackingNumber: TrackingNumber, shippedAt: Instant(), etaAt: Type.Optional(Instant()) },
      { additionalProperties: false },
    ),
    lines: Lines,
  },
  {
    additionalProperties: false,
    examples: [
      {
        customer: { id: 'cust-27764', locale: 'en' },
        order: LOST_ORDER,
        shipment: { carrier: 'ZTO', trackingNumber: '73100012345678', shippedAt: 1794907200000, etaAt: 1795168800000 }, // due 2026-11-20 18:00
        lines: [{ sku: 'TEA-07', quantity: 2 }],
      },
    ],
  },
);
export const DispatchConfirmationBody = Type.Object(
  {
    by: Text(64),
    dispatched: Type.Boolean(),
    trackingNumber: Type.Optional({ ...TrackingNumber, description: `the tracking number the parcel left under (required when dispatched is true), ${TRACKING_NUMBER_RULE}` }),
    // Its first name, still taken: clients written against it keep working.
    trackingNo: Type.Optional({ ...TrackingNumber, deprecated: true, description: 'the old name of trackingNumber (the same rules)' }),
    carrier: Type.Optional({ ...Carrier, description: `the carrier the parcel left with, when the warehouse's record names another than the case was opened with (the parcel is then traced and claimed with it), as its code or one of the names the case's carrier takes` }),
    proofUrls: Type.Optional(Type.Array(HttpUrl, { maxItems: 20 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        by: CLERK,
        dispatched: true,
        trackingNumber: '73100012345678',
        proofUrls: ['https://evidence.example.com/SO20261116-0091/outbound-scan.jpg', 'https://evidence.example.com/SO20261116-0091/handover-list.jpg'],
      },
      { by: CLERK, dispatched: false },
    ],
  },
);

export const OpenQualityProblemBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    lines: Lines,
    description: Text(4000),
    evidenceUrls: Type.Optional(Type.Array(HttpUrl, { maxItems: 20, description: 'photos, videos or records the customer gave, as links the shop’s staff can open (the platform keeps the links with the case, not the files)' })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        customer: KETTLE_CUSTOMER,
        order: KETTLE_ORDER,
        lines: [{ sku: 'KETTLE-01', quantity: 1 }],
        description: '用了两周，插电后指示灯亮但水不热，换了插座也一样',
        evidenceUrls: ['https://evidence.example.com/SO20261110-0215/kettle-not-heating.mp4'],
      },
    ],
  },
);
export const MisuseFindingBody = Type.Object({ finding: Type.Union([Type.Literal('NO_MISUSE'), Type.Literal('MISUSE'), Type.Literal('UNCONFIRMED')]), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false, examples: [{ finding: 'NO_MISUSE', note: '客户按说明书使用，没有干烧，底座没有进水' }, { finding: 'MISUSE', note: '底座进水：客户说放进水槽里冲洗过' }] });
export const RepairBody = Type.Object(
  {
    by: Text(64),
    sku: Sku,
    faultCause: Text(500),
    method: Text(500),
    parts: Type.Array(Type.Object({ partNo: Text(100), name: Type.Optional(Type.String({ maxLength: 200 })), quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }), unitCostMinor: Amount() }, { additionalProperties: false }), { maxItems: 100 }),
    labourCostMinor: Amount(),
    working: Type.Boolean(),
  },
  {
    additionalProperties: false,
    examples: [
      {
        by: 'repair-hz-wangqiang',
        sku: 'KETTLE-01',
        faultCause: '温控器触点氧化，通电后不闭合',
        method: '更换温控器，通电烧水 3 次测试正常',
        parts: [{ partNo: 'KT-THERM-17', name: '温控器 KSD-17', quantity: 1, unitCostMinor: 1200 }],
        labourCostMinor: 3000,
        working: true,
      },
    ],
  },
);

export const OpenDamageBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    customerHandle: Type.Optional(Text(100, { description: 'the customer’s shop handle (旺旺名), kept in the daily register; a shop without handles leaves it out and the customer’s id stands in' })),
    lines: Lines,
    degree: Type.Union([Type.Literal('MINOR'), Type.Literal('SEVERE')]),
    photoUrls: Type.Array(HttpUrl, { minItems: 1, maxItems: 20, description: 'photos first (003 §四.1)' }),
    shipment: Type.Object(
      { carrier: Carrier, trackingNumber: TrackingNumber, shippedAt: Type.Optional(Instant({ description: 'when it left (a courier claim’s window runs from it); left out, the order’s shippedAt, which must then be given' })) },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        customer: { id: 'cust-58821', locale: 'zh-CN' },
        order: DAMAGED_ORDER,
        customerHandle: '小林爱青瓷',
        lines: [{ sku: 'VASE-05', quantity: 1 }],
        degree: 'SEVERE',
        photoUrls: ['https://evidence.example.com/SO20261127-0150/outer-box.jpg', 'https://evidence.example.com/SO20261127-0150/vase-broken.jpg'],
        shipment: { carrier: 'SF', trackingNumber: 'SF1234567890789', shippedAt: 1795759200000 },
      },
    ],
  },
);
export const DamageAssessmentBody = Type.Object(
  {
    degree: Type.Union([Type.Literal('MINOR'), Type.Literal('SEVERE')], { description: 'as assessed (the customer’s own degree at opening is only what they reported): MINOR → a partial refund, the goods kept; SEVERE → the goods come back, or a partial or full refund when they cannot' }),
    cause: OneOf(DAMAGE_CAUSES, {
      description: 'TRANSPORT (the courier’s: claimed from it), PRODUCT_DEFECT (the goods’ own fault: the shop pays shipping both ways), CUSTOMER (caused by the customer: an agent negotiates first), UNKNOWN (not yet known: no claim, the return shipping negotiated)',
    }),
    proposedRefundMinor: Type.Optional(Amount({ description: 'minor damage (required then): the refund for keeping the goods, at most what the damaged lines were paid (400 otherwise); above the policy’s cap — by default the lower of the order’s profit and returnShippingCostMinor (see the operation) — an agent decides' })),
    returnShippingCostMinor: Amount({ description: 'what sending the damaged goods back would cost, minor units: a bound of the minor-damage cap (under `minorDamageCap` LOWER_OF_BOTH or RETURN_SHIPPING), and the return shipping booked for a severe return the shop pays (TRANSPORT, PRODUCT_DEFECT) when the inspection does not say what was paid' }),
    returnPossible: Type.Boolean({ description: 'severe damage: the goods can come back (they are returned and refunded); not read for minor damage' }),
    goodsUsable: Type.Boolean({ description: 'severe damage that cannot come back: the goods are still of use to the customer (partialRefundMinor for keeping them) or not (a full refund of the damaged lines); a return of unusable goods is marked faulty' }),
    partialRefundMinor: Type.Optional(Amount({ description: 'severe damage, not returnable but usable: the refund agreed for keeping the goods, at most what the damaged lines were paid (400 otherwise)' })),
  },
  {
    additionalProperties: false,
    examples: [
      { degree: 'SEVERE', cause: 'TRANSPORT', returnShippingCostMinor: 2300, returnPossible: false, goodsUsable: false },
      { degree: 'MINOR', cause: 'TRANSPORT', proposedRefundMinor: 2000, returnShippingCostMinor: 2300, returnPossible: true, goodsUsable: true },
      { degree: 'SEVERE', cause: 'TRANSPORT', returnShippingCostMinor: 2300, returnPossible: false, goodsUsable: true, partialRefundMinor: 9000 },
    ],
  },
);

export const OpenTrackingInquiryBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    shipment: Type.Optional(Type.Object({ carrier: Carrier, trackingNumber: TrackingNumber }, { additionalProperties: false })),
    promisedShipBy: Instant({ description: 'the ship time the shop promised, epoch milliseconds' }),
    recipientName: Text(100),
  },
  {
    additionalProperties: false,
    examples: [
      { customer: INQUIRY_CUSTOMER, order: INQUIRY_ORDER, promisedShipBy: 1795860000000, recipientName: 'Emily Zhang' }, // 2026-11-28 18:00, not shipped yet
      {
        customer: INQUIRY_CUSTOMER,
        order: { ...INQUIRY_ORDER, shippedAt: 1795836300000 }, // 2026-11-28 11:25
        shipment: { carrier: 'SF', trackingNumber: 'SF1234567890321' },
        promisedShipBy: 1795860000000,
        recipientName: 'Emily Zhang',
      },
    ],
  },
);

export const OpenWrongItemBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    orderedSku: Sku,
    arrivedBarcode: Text(64, { description: 'the barcode of what arrived (003 §三.1)' }),
    barcodes: Type.Record(SkuKey, Text(64), { description: 'the catalogue barcodes of the SKUs concerned' }),
    evidenceUrls: Type.Optional(Type.Array(HttpUrl, { maxItems: 20, description: 'photos, videos or records the customer gave, as links the shop’s staff can open (the platform keeps the links with the case, not the files)' })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        customer: { id: 'cust-19064', locale: 'zh-CN' },
        order: WRONG_ITEM_ORDER,
        orderedSku: 'MUG-01',
        arrivedBarcode: '6971234560235',
        barcodes: { 'MUG-01': '6971234560228', 'MUG-02': '6971234560235' },
        evidenceUrls: ['https://evidence.example.com/SO20261123-0188/barcode-label.jpg'],
      },
    ],
  },
);
export const WrongItemFindingsBody = Type.Object(
  {
    by: Text(64),
    shortShipped: Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), { maxItems: 200 }),
    overShipped: Type.Array(Type.Object({ sku: Sku, name: Type.Optional(Type.String({ maxLength: 200 })), quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }), unitPriceMinor: Amount(), unitCostMinor: Amount() }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
    returnShippingCostMinor: Amount(),
  },
  {
    additionalProperties: false,
    examples: [
      {
        by: CLERK,
        shortShipped: [{ sku: 'MUG-01', quantity: 1 }],
        overShipped: [{ sku: 'MUG-02', name: '陶瓷马克杯 350ml 蓝色', quantity: 1, unitPriceMinor: 3900, unitCostMinor: 1500 }],
        returnShippingCostMinor: 1200,
      },
    ],
  },
);

// ---- courier claims (routes/courier-claims.ts): the carrier's decision, pushed to us ----
export const ClaimDecisionBody = Type.Object(
  {
    status: Type.Union([Type.Literal('PAID'), Type.Literal('PARTLY_PAID'), Type.Literal('REFUSED')]),
    paidMinor: Amount({ description: 'what the carrier pays, minor units (0 when refused)' }),
    reason: Type.Optional(Type.String({ maxLength: 500, description: 'why the carrier pays less than claimed: required for PARTLY_PAID and REFUSED; it is kept on the claim’s step of the case, where the shop disputes it' })),
    at: Instant({ description: 'epoch milliseconds of the decision: not before the claim was filed, not in the future (a clock a few minutes off is tolerated)' }),
  },
  {
    additionalProperties: false,
    // The lost parcel above: two tea gift boxes, 25600 claimed.
    examples: [
      { status: 'PARTLY_PAID', paidMinor: 12400, reason: '未保价快件，按商品成本价赔付', at: 1796713200000 }, // 2026-12-08 15:00
      { status: 'PAID', paidMinor: 25600, at: 1796713200000 },
      { status: 'REFUSED', paidMinor: 0, reason: '签收记录显示收件人本人已签收', at: 1796713200000 },
    ],
  },
);

// ---- root causes of wrong and missing shipments (routes/root-causes.ts, 002 taxonomy) ----
const SUB_CAUSES_BY_CATEGORY = Object.entries(ROOT_CAUSES).map(([c, subs]) => `${c}: ${Object.keys(subs).join(', ')}`).join('; ');
const ACCOUNTABLE = `required when the cause is the shop's own (${ACCOUNTABLE_CAUSES.join(', ')}); else optional`;
export const RootCauseBody = Type.Object(
  {
    category: Type.Union(ROOT_CAUSE_CATEGORIES.map((c) => Type.Literal(c)), { description: 'the cause’s category (002 taxonomy); its sub-causes are listed under subCause' }),
    subCause: Type.String({ maxLength: 32, description: `one of its category's: ${SUB_CAUSES_BY_CATEGORY}` }),
    responsiblePerson: Type.Optional(Type.String({ maxLength: 100, description: `who made the mistake (a role and name or staff number, never the customer's data): ${ACCOUNTABLE}` })),
    improvement: Type.Optional(Type.String({ maxLength: 500, description: `what changes so that it does not happen again: ${ACCOUNTABLE}` })),
    warehouse: Type.Optional(Type.String({ maxLength: 64 })),
    sku: Type.Optional(Type.String({ maxLength: 64 })),
    carrier: Type.Optional(Type.String({ maxLength: 32 })),
  },
  {
    additionalProperties: false,
    examples: [
      { category: 'PEOPLE', subCause: 'PICKER', responsiblePerson: '拣货员 周强（工号 HZ1-012）', improvement: '出库前逐件扫码核对 SKU；白色、蓝色马克杯分库位存放', warehouse: 'HZ-1', sku: 'MUG-01', carrier: 'SF' },
      { category: 'TRANSPORT', subCause: 'MISSORT', carrier: 'ZTO' },
    ],
  },
);
