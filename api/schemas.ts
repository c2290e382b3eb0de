import { Type } from 'typebox';
import { CARRIER_PATH_PATTERN, CARRIER_PATTERN, CURRENCY_PATTERN, HTTP_URL_PATTERN, ID_PATTERN, MAX_EPOCH_MS, MIN_EPOCH_MS, OneOf, REFERENCE_PATTERN, Text, TRACKING_NUMBER_PATTERN } from './validation-problems.js';
import { CUSTOMER_TOKEN_TTL } from '../app/config.js';
import { CASE_STAGE_NAMES } from '../domain/case-types.js';
import { DEFAULT_CARRIER_CONTRACT } from '../domain/courier-claim.js';
import { DEFAULT_FULFILMENT_RULES } from '../domain/fulfilment/rules.js';
import { DEFAULT_BUSINESS_HOURS, DEFAULT_RULES } from '../domain/policy.js';
import { CLOCK_TOLERANCE_MS, MAX_ORDER_MINOR, RETURN_REASONS } from '../domain/return-refund.js';
import { AGENT_ACTIONS_EN } from '../domain/waiting.js';
import { CaseStatus, CaseType } from '../generated/prisma/enums.js';

const Sku = Text(64);
/**
 * Money and times a request may carry: whole, not negative, and bounded, so no sum of them loses
 * integer precision and every time is a date (the bounds: MAX_ORDER_MINOR, the year 2999).
 */
export const Amount = (options: { description?: string } = {}) => Type.Integer({ minimum: 0, maximum: MAX_ORDER_MINOR, ...options });
export { MAX_EPOCH_MS };
export const Instant = (options: { description?: string } = {}) => Type.Integer({ minimum: MIN_EPOCH_MS, maximum: MAX_EPOCH_MS, ...options });
/**
 * A link to a photo, a video or a proof: http or https only. The console shows these as links and
 * images, and a `javascript:` or `data:` URL there is script or content the customer chose.
 */
export const HttpUrl = Type.String({ format: 'iri', pattern: HTTP_URL_PATTERN, maxLength: 2000, description: 'an http or https URL; non-ASCII characters may be sent as they are (https://img.shop.example.cn/售后/开箱.jpg) or percent-encoded; no spaces' });
/** A time that must have happened when it reaches us: an order's by the opening (validateOrderTimes), a courier event's (routes/courier.ts). */
const PastEpochMs = (also = '') =>
  Instant({ description: `epoch milliseconds${also}; not in the future (a clock up to ${CLOCK_TOLERANCE_MS / 60_000} minutes fast is tolerated)` });

export const OrderSnapshot = Type.Object(
  {
    orderId: Text(64),
    currency: Type.String({ pattern: CURRENCY_PATTERN, description: "the merchant's currency (its defaultCurrency), the one its policy's amounts are counted in; an order in any other is a 400 (a complaint's order may be in any)" }),
    items: Type.Array(
      Type.Object(
        {
          sku: Sku,
          name: Type.String({ maxLength: 200 }),
          quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
          unitPriceMinor: Amount({
            description:
              'what the customer paid per unit, in minor units (分 for CNY), after the discounts on this item: refunds are worked out from it (returned goods are refunded at quantity × unitPriceMinor). Spread an order-level discount over the items’ unitPriceMinor: an order whose paidTotalMinor is below its goods and shipping is taken, but its goods are still refunded at unitPriceMinor, first come first served, until what was paid is used up (a CAP line in the ledger) — a return of one of two mugs may take all of a discounted order’s money, and the later one gets what is left',
          }),
          unitCostMinor: Amount({ description: 'what one unit costs the shop (its purchase or production cost, as the shop books it), in minor units: the case’s cost ledger counts it when goods are sent again, replaced or written off. 0 when the shop does not know it (its after-sales costs then read low)' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    shippingFeeMinor: Amount({ description: 'the shipping the customer paid for the order, minor units (0 when free): refunded with a return that is the shop’s fault or a quality problem’s refund, where the policy says so (`shopFaultRefundsShipping`), and with a lost parcel’s refund that leaves none of the order’s goods unpaid; once per order' }),
    paidTotalMinor: Amount({
      description:
        'what the customer paid for the whole order, goods and shipping, minor units: at most Σ quantity × unitPriceMinor + shippingFeeMinor (400 above it). Every refund of the order, over all its cases, is capped at it: what one case refunds is no longer there for the next',
    }),
    shippedAt: Type.Optional(PastEpochMs()),
    deliveredAt: Type.Optional(PastEpochMs(', not before shippedAt')),
  },
  { additionalProperties: false },
);

// ---- Examples for the OpenAPI document (/docs) ----
// One story per case type: the commands of a case use its order's SKUs and its parcels. Times are
// epoch milliseconds (Beijing time in the comments), amounts minor units (分).

/** Order SO20261122-0042: two mugs and a tea gift box, delivered on 25 Nov 2026 — the return's order. */
const RETURN_ORDER_EXAMPLE = {
  orderId: 'SO20261122-0042',
  currency: 'CNY',
  items: [
    { sku: 'MUG-01', name: '陶瓷马克杯 350ml 白色', quantity: 2, unitPriceMinor: 3900, unitCostMinor: 1500 },
    { sku: 'TEA-07', name: '西湖龙井 250g 礼盒', quantity: 1, unitPriceMinor: 12800, unitCostMinor: 6200 },
  ],
  shippingFeeMinor: 800,
  paidTotalMinor: 21400,
  shippedAt: 1795422000000, // 2026-11-23 16:20
  deliveredAt: 1795575900000, // 2026-11-25 11:05
};
/** The customer's language: zh-CN or en (any case; zh, zh-Hans-CN, zh-SG and en-US … are taken for these: api/customer-fields.ts). */
export const CustomerLocale = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { description: 'the language the customer is written to: zh-CN (Simplified Chinese) or en; a language tag in another case or with more detail (zh-cn, zh, zh-Hans-CN, en-US, en_GB) is taken for the one it names; Traditional Chinese (zh-TW, zh-Hant) is not offered' });
export const Customer = Type.Object(
  { id: Text(64, { description: 'the customer as the shop knows them (its own user or member id): their cases are found by it, and their customer tokens are issued for it' }), locale: CustomerLocale },
  { additionalProperties: false },
);
const RETURN_CUSTOMER_EXAMPLE = { id: 'cust-80231', locale: 'zh-CN' };
/** The return's case id (minted by the platform), which is also its return code (written on the parcel). */
const RETURN_CASE_ID_EXAMPLE = '3f9c2a7d41b84e06a5d1';
/** The storefront's own name for the return: its after-sales ticket number. */
const RETURN_REFERENCE_EXAMPLE = 'SO20261122-0042-R1';
/** The parcel the customer sends the return in. */
const RETURN_PARCEL_EXAMPLE = { carrier: 'SF', trackingNumber: 'SF1234567890123' };
const WAREHOUSE_CLERK_EXAMPLE = 'wh-hz1-chenjing';

/**
 * The reference an opening may carry: the client's own name for the case (its ticket number),
 * unique per merchant. The case id itself is always minted by the platform.
 */
export const OpeningReference = {
  reference: Type.Optional(
    Type.String({
      pattern: REFERENCE_PATTERN,
      description: 'your own name for the case, unique per merchant: sent again with the same request it answers the case it opened (200, nothing added); with another request it is refused (409 REFERENCE_IN_USE). Without one (and without an Idempotency-Key), the same request sent again within 10 minutes while its case is open is answered with that case (200): a double tap; a second case of the same goods needs a request of its own',
    }),
  ),
  caseId: Type.Optional(Type.String({ pattern: REFERENCE_PATTERN, deprecated: true, description: 'deprecated: the former name of `reference` (it never chooses the case id, which the platform mints)' })),
};

export const OpenReturnBody = Type.Object(
  {
    ...OpeningReference,
    customer: Customer,
    order: OrderSnapshot,
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1 }),
          reason: OneOf(RETURN_REASONS),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    evidenceUrls: Type.Optional(Type.Array(HttpUrl, { maxItems: 20 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        reference: RETURN_REFERENCE_EXAMPLE,
        customer: RETURN_CUSTOMER_EXAMPLE,
        order: RETURN_ORDER_EXAMPLE,
        lines: [
          { sku: 'MUG-01', quantity: 2, reason: 'DEFECTIVE' },
          { sku: 'TEA-07', quantity: 1, reason: 'NO_REASON' },
        ],
        evidenceUrls: ['https://evidence.example.com/SO20261122-0042/mug-glaze-crack-1.jpg', 'https://evidence.example.com/SO20261122-0042/mug-glaze-crack-2.jpg'],
      },
      { customer: RETURN_CUSTOMER_EXAMPLE, order: RETURN_ORDER_EXAMPLE, lines: [{ sku: 'MUG-01', quantity: 1, reason: 'NO_REASON' }] },
    ],
  },
);

export const CaseParams = Type.Object({ caseId: Type.String({ pattern: ID_PATTERN }) });

/** The rule a tracking number is taken by (normalised first: api/parcel-identifiers.ts, domain/tracking-number.ts). */
export const TRACKING_NUMBER_RULE = 'stored without spaces, upper-cased: white space (also full-width and other Unicode spaces) and invisible marks are removed, full-width letters and digits read as ASCII, letters upper-cased, so "sf 1400 0000 0009" is SF140000000009; 4 to 64 characters after that, ASCII letters, digits and hyphens only';
/** A parcel's tracking number as a courier prints it (normalised first: api/parcel-identifiers.ts). */
export const TrackingNumber = Type.String({ minLength: 4, pattern: TRACKING_NUMBER_PATTERN, maxLength: 64, description: `the parcel's tracking number, ${TRACKING_NUMBER_RULE}` });
/** A parcel's carrier: its code; a known carrier's name ("顺丰", "中通快递", "sf") is taken for its code before validation (api/parcel-identifiers.ts). */
export const Carrier = Type.String({ minLength: 1, maxLength: 32, pattern: CARRIER_PATTERN, description: "the carrier's code, as its tracking events name it: SF, YTO, ZTO, STO, YUNDA, EMS, JD, JTEXPRESS, DEPPON, or another carrier's own code (letters, digits, _ and -); the name of one of the nine (顺丰, 中通快递, SF Express …) or a code in lower case is taken for the code before the pattern applies, and the case stores the code" });
export const ReturnShipmentBody = Type.Object({ carrier: Carrier, trackingNumber: TrackingNumber }, { additionalProperties: false, examples: [RETURN_PARCEL_EXAMPLE] });
export const ProposalAnswerBody = Type.Object({ accept: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false, examples: [{ accept: true, comment: '同意，只退两只杯子' }, { accept: false, comment: '茶叶礼盒没有拆封，不同意只退杯子' }] });
export const WithdrawalBody = Type.Object({ reason: Type.Optional(Text(500, { description: 'why, in the customer’s words: on the case’s timeline' })) }, { additionalProperties: false, examples: [{ reason: '不想退了，商品可以继续用' }, {}] });
export const RevisitBody = Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false, examples: [{ score: 5, comment: '退款很快，客服态度很好' }, { score: 2, comment: '退款比承诺的晚了两天' }] });
export const EvidenceBody = Type.Object(
  {
    urls: Type.Array(HttpUrl, { minItems: 1, maxItems: 20 }),
    kind: Type.Optional(Text(32, { description: 'what every file in `urls` is: photo, video, or your own word; omitted, each file is a video when its name ends in .mp4, .m4v, .mov, .webm, .3gp, .avi or .mkv, otherwise a photo' })),
  },
  {
    additionalProperties: false,
    examples: [
      { urls: ['https://evidence.example.com/SO20261122-0042/mug-glaze-crack-3.jpg'], kind: 'photo' },
      { urls: ['https://evidence.example.com/SO20261122-0042/unboxing.mp4'], kind: 'video' },
    ],
  },
);
export const ArrivalBody = Type.Object(
  {
    trackingNumber: Type.Optional(TrackingNumber),
    returnCode: Type.Optional(Text(64, { description: 'the return code on the slip inside the parcel (the case id; typed in capitals, it is the same code)' })),
    scannedBy: Text(64),
    loanProduct: Type.Optional(
      Type.Literal(true, {
        description:
          'true: this is the exchange’s loan product, checked by the clerk — one that came without a label of its own (handed in, or packed inside the return parcel): taken as the loan’s arrival on the return code (or the return’s label) alone. Only while the case waits for its loan product back; a loan scanned with its own label needs no flag',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { trackingNumber: RETURN_PARCEL_EXAMPLE.trackingNumber, scannedBy: WAREHOUSE_CLERK_EXAMPLE },
      { returnCode: RETURN_CASE_ID_EXAMPLE, scannedBy: WAREHOUSE_CLERK_EXAMPLE },
    ],
  },
);
export const InspectionBody = Type.Object(
  {
    by: Text(64),
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          receivedQuantity: Type.Integer({
            minimum: 0,
            maximum: 1_000_000,
            description: 'units of the SKU in this condition. On a MISSING line, the units announced but not in the parcel: they count as 0 received whatever the number (they are listed as not refunded, MISSING) — except an exchange’s loan product coming back (its one unit came back or it did not): MISSING with receivedQuantity above 0 is a 400 there, a missing loan product is reported with receivedQuantity 0',
          }),
          condition: Type.Union([Type.Literal('OK'), Type.Literal('DAMAGED_BY_CUSTOMER'), Type.Literal('MISSING')], {
            description: 'OK: back in resalable order, refunded at unitPriceMinor and put back into stock; DAMAGED_BY_CUSTOMER: arrived damaged by the customer, not refunded; MISSING: announced, not in the parcel',
          }),
        },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 200,
        description:
          'what came back, line by line. Several lines may name one SKU (2 OK and 1 DAMAGED_BY_CUSTOMER): their quantities are added up (MISSING lines aside), and more of a SKU than the order held — or, where the case asked goods back, than it asked back — is a 400, as is a SKU the order does not have. In a return — and in transit damage or a quality problem refunded on the goods’ return — a count that differs from what was asked back goes to an agent (COUNT_MISMATCH: refund what came back, or as asked; close without a refund only when nothing came back in good order, else a 400), and units beyond what was approved are not refunded',
      },
    ),
    returnShippingPaidMinor: Type.Optional(Amount({ description: 'what the shop paid for the parcel coming back (freight collect, or reimbursed), minor units; recorded on the INSPECTED step; booked as a return-shipping expense note (a cost of the case: logisticsMinor) for a return and refund, an exchange’s old goods, transit damage, a quality problem and a wrong item sent back (without it, a wrong item books the return shipping its findings reckoned; a refund after shipping and an exchange’s loan product record it only)' })),
    evidenceUrls: Type.Optional(Type.Array(HttpUrl, { maxItems: 20, description: 'photos or videos of what came back (the goods as unpacked, a damage the customer caused): kept with the case as evidence added by `warehouse:<by>`, so a refund refused for DAMAGED_BY_CUSTOMER or MISSING can be shown to the customer; the customer reads them too' })),
  },
  {
    additionalProperties: false,
    examples: [
      { by: WAREHOUSE_CLERK_EXAMPLE, lines: [{ sku: 'MUG-01', receivedQuantity: 2, condition: 'OK' }] },
      {
        by: WAREHOUSE_CLERK_EXAMPLE,
        lines: [
          { sku: 'MUG-01', receivedQuantity: 2, condition: 'OK' },
          { sku: 'TEA-07', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' },
        ],
        evidenceUrls: ['https://evidence.example.com/returns/3f9c2a7d41b84e06a5d1/tea-box-crushed.jpg'],
      },
    ],
  },
);
export const ProposalBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('APPROVE'), Type.Literal('REJECT')]),
    lines: Type.Optional(Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), { minItems: 1 })),
    reason: Type.Optional(Text(2000, { description: 'why: required to reject; the customer reads it (with the lines approved), so write it for them — staff notes go to POST /v1/cases/{caseId}/notes' })),
  },
  {
    additionalProperties: false,
    examples: [
      { decision: 'APPROVE' },
      { decision: 'APPROVE', lines: [{ sku: 'MUG-01', quantity: 2 }], reason: '茶叶礼盒已拆封，食品拆封后不适用七天无理由退货；两只杯子按质量问题退货' },
      { decision: 'REJECT', reason: '照片显示杯口缺损为使用中磕碰所致，不属于质量问题' },
    ],
  },
);
export const ResolutionBody = Type.Object(
  {
    action: Type.Union([Type.Literal('CONTINUE'), Type.Literal('REFUND_RECEIVED'), Type.Literal('REFUND_REQUESTED'), Type.Literal('CLOSE')], {
      description: AGENT_ACTIONS_EN,
    }),
    note: Type.Optional(Type.String({ maxLength: 2000, description: 'for the staff: why (the timeline shows it; the customer does not)' })),
    customerMessage: Type.Optional(
      Text(500, { description: 'what was decided and why, in words for the customer: with CLOSE, said in the message that tells them the request closed (without it they are told only that customer service closed it); with any other action, sent in a message of its own before the case goes on (without it the customer is told nothing of the decision; a REFUND_RECEIVED or REFUND_REQUESTED that refunds nothing, as `agentRefunds` shows for transit damage, a quality problem or a parcel sent to make good a problem and not delivered, needs it: 400)' }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { action: 'CLOSE', note: '顾客电话确认不再需要退货', customerMessage: '您已在电话中确认不再办理退货，本次申请关闭；如需办理，欢迎重新提交。' },
      { action: 'REFUND_REQUESTED', note: '顺丰确认退货包裹 SF1234567890123 在杭州中转场丢失：按申请退款，另向快递索赔' },
      { action: 'REFUND_RECEIVED', note: '仓库实收 1 只杯子，按实收数量退款' },
      { action: 'CLOSE', note: '客户来电撤回退货申请' },
      { action: 'CONTINUE', note: '已与顾客电话沟通，重新安排处理', customerMessage: '已与您电话确认，我们将为您重新安排发货，发出后通知您运单号。' },
    ],
  },
);
export const EscalationBody = Type.Object({ reason: Text(2000) }, { additionalProperties: false, examples: [{ reason: '客户第三次来电催退款，称将向 12315 投诉，请主管今天内回复' }] });
export const EscalationClearedBody = Type.Object({ note: Text(2000, { description: 'what the supervisor did about it' }) }, { additionalProperties: false, examples: [{ note: '已回电顾客，确认退款今日到账，顾客同意不再投诉' }] });
export const AssignmentBody = Type.Object(
  { agentId: Text(64, { description: 'the id of one of the case’s merchant’s agents or supervisors, as GET /v1/agents lists them (another id: 400)' }) },
  { additionalProperties: false, examples: [{ agentId: '5b1f0c7e-8a43-4d6e-9b2a-3f1c7d9e0a12' }] },
);
export const NoteBody = Type.Object({ text: Text(4000) }, { additionalProperties: false, examples: [{ text: '11-28 14:10 电话联系客户：两只杯子杯口均有釉裂，茶叶礼盒已拆封。已告知茶叶不适用无理由退货。' }] });
export const CustomerTokenBody = Type.Object(
  {
    customerId: Text(64),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: CUSTOMER_TOKEN_TTL.min, maximum: CUSTOMER_TOKEN_TTL.max, description: 'lifetime of the token (default CUSTOMER_TOKEN_TTL_SECONDS, one day)' })),
  },
  {
    additionalProperties: false,
    examples: [{ customerId: RETURN_CUSTOMER_EXAMPLE.id, ttlSeconds: 3600 }, { customerId: RETURN_CUSTOMER_EXAMPLE.id }],
  },
);
export const CustomerTokenParams = Type.Object({ tokenId: Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }) });
export const CustomerTokenQuery = Type.Object({ customerId: Text(64, { description: 'the customer, as the storefront issued their tokens' }) }, { additionalProperties: false });
export const CourierEventBody = Type.Object(
  {
    trackingNumber: TrackingNumber,
    code: Text(32, {
      description:
        "the event, in the carrier's own code, upper-cased before use. The platform acts on DELIVERED (a parcel the shop sent out — a re-shipment, a replacement — is delivered: the case moves on) and on REFUSED, RETURNING, INTERCEPTED and RETURN_TO_SENDER (a parcel being intercepted for a refund is coming back; a parcel the shop sent out will not reach the customer: an agent decides, and a DELIVERED after it is the shop taking it back). A DELIVERED while a refund's interception is under way means it failed: the customer is pointed to a return. On a lost-parcel case any event of the parcel shows the courier had it, and its latest says where it stands (LOST or EXCEPTION — 丢失, 问题件 — lost on the way: a courier claim; DELIVERED: delivered after all); one that comes after the cause was decided as never received by the courier revises it (CAUSE_REVISED, escalated to the agent) and, lost on the way, files the claim then, until the case follows a re-shipment instead. The status words Chinese carriers send are taken for these codes when the whole code is the word: SIGNED, 签收, 已签收, 代签收, 妥投 are DELIVERED; 拒收, 拒签 REFUSED; 退回, 退回中 RETURNING; 拦截, 拦截成功 INTERCEPTED; 退回寄件人 RETURN_TO_SENDER (签收失败 is not a delivery). Every other code (IN_TRANSIT, a carrier's own words …) is recorded on the case's inputs and changes nothing",
    }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    at: PastEpochMs(' of the event'),
    eventId: Text(128, {
      description:
        "the carrier's id of this event of this parcel: sent again (a retry), the event is a duplicate and recorded once; another event of the same parcel under it is a 409 EVENT_ID_REUSED. Ids only need to be unique per parcel: a carrier that numbers each waybill's events 1, 2, … may send the same id for another parcel",
    }),
  },
  {
    additionalProperties: false,
    examples: [
      { trackingNumber: RETURN_PARCEL_EXAMPLE.trackingNumber, code: 'IN_TRANSIT', description: '【杭州转运中心】已发出，下一站【杭州余杭集散点】', at: 1795948200000, eventId: 'SF-EVT-20261129-883102' },
      { trackingNumber: 'YT7512345678901', code: 'INTERCEPTED', description: '拦截成功，快件退回寄件人', at: 1796005200000, eventId: 'YTO-20261130-55120987' },
    ],
  },
);
export const CourierCode = Type.String({ pattern: CARRIER_PATH_PATTERN, description: "the carrier's code as COURIER_SECRETS names it, in any case (sf is SF)" });
export const CourierParams = Type.Object({ carrier: CourierCode });
export const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(Object.values(CaseStatus).map((s) => Type.Literal(s)))),
    type: Type.Optional(Type.Union(Object.values(CaseType).map((t) => Type.Literal(t)))),
    // Every stage a case workflow can be in (test/domain/case-types.test.ts holds the list to them): a
    // misspelt stage is a 400 with the allowed values, not an empty list.
    stage: Type.Optional(Type.Union(Object.keys(CASE_STAGE_NAMES).map((s) => Type.Literal(s)), { description: 'the case’s exact stage (AWAITING_ARRIVAL, …)' })),
    open: Type.Optional(Type.Boolean({ description: 'true: only cases whose status is not RESOLVED or CLOSED. A case whose solution was given and that now waits for the customer’s revisit (stage AWAITING_REVISIT, status WAITING_CUSTOMER, resolvedAt set) is still open: it closes when the customer rates it or the revisit’s time runs out' })),
    mine: Type.Optional(Type.Boolean({ description: 'true: only cases assigned to the caller (assigneeId = the actorId of GET /v1/console/session)' })),
    q: Type.Optional(
      Type.String({
        maxLength: 128,
        description: 'search: a case id, order id, case reference, customer id or tracking number (the return parcel’s or any parcel the case follows), matched exactly as typed, and also: an order id or reference in capitals (so-1003 finds SO-1003), a case id in lower case (a case id typed in capitals finds it); a tracking number is matched as it is stored: without spaces, upper-cased, so sf 1400 0000 0009 finds SF140000000009; empty (a cleared search box) searches nothing: the list as without q',
      }),
    ),
    order: Type.Optional(
      Type.Union([Type.Literal('newest'), Type.Literal('urgency'), Type.Literal('updated')], {
        default: 'newest',
        description:
          'newest: newest first; urgency: cases still owed their solution first (solutionGivenAt null), then late ones, then by the nearest deadline: the solution deadline or, when sooner, the deadline of what the case waits for (nextDeadlineAt, e.g. an urgent complaint’s handling time); for a case that has its solution, by nextDeadlineAt alone; cases without one last, then id — the work queue (with open=true); updated: the sync order, the oldest change first, from updatedAfter or a syncCursor — a case that changes while you page moves to the end and comes again; a change is listed once the write that made it, and every write begun before it, has ended',
        examples: ['updated'],
      }),
    ),
    updatedAfter: Type.Optional(
      Type.String({
        format: 'date-time',
        description:
          'with order=updated only: where a first sync starts — cases changed after this instant; leave it out to list every case. Later syncs go on from the previous one’s syncCursor (as cursor), which misses nothing',
        examples: ['2026-03-04T09:12:30.000Z'],
      }),
    ),
    orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the cases of this order (its orderId as opened), exactly', examples: ['SO20261122-0042'] })),
    merchantId: Type.Optional(Type.String({ pattern: ID_PATTERN, description: 'ADMIN keys: only this merchant’s cases (GET /v1/admin/merchants lists them; an unknown one is a 404; without it an admin lists every merchant’s). A merchant’s own keys list their merchant’s and leave it out: another merchant’s is a 400' })),
    late: Type.Optional(Type.Boolean({ description: 'true: cases marked late (a deadline of theirs passed); a case keeps the mark it closed with, for the register and the figures — add open=true for those still to deal with' })),
    escalated: Type.Optional(Type.Boolean({ description: 'true: cases escalated and not cleared since (by the platform or a person); a case keeps the mark it closed with, for the register — add open=true for the escalation queue' })),
    reference: Type.Optional(Type.String({ pattern: REFERENCE_PATTERN, description: 'the case opened with this reference (of your merchant)' })),
    stuck: Type.Optional(Type.Boolean({ description: 'cases whose side effect (a refund, a message, a claim) keeps failing' })),
    refundReturned: Type.Optional(Type.Boolean({ description: 'true: cases with a refund the customer’s bank sent back and not yet paid again (open or closed: refunds come back after cases close) — the worklist of POST /v1/cases/{caseId}/refunds/{refundId}/pay-again' })),
    refundPendingLong: Type.Optional(Type.Boolean({ description: 'true: cases with a refund still pending at the customer’s bank a week after it was paid (its REFUND_PENDING_LONG step; open or closed) — for an agent to ask the payment provider and tell the customer; a case leaves it when the bank settles the refund or sends it back' })),
    assigneeId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the cases assigned to this agent or supervisor (an id of GET /v1/agents); an empty value is refused, not read as everyone’s' })),
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the cases of this customer (the customer.id they were opened with); an empty value is refused, not read as every customer' })),
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
    cursor: Type.Optional(Type.String({ maxLength: 100, description: 'the previous page’s nextCursor, with the same filters and order: a cursor names the order it was handed out for, and one taken to another order is refused (400)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

// ---- administration: merchants and their policy versions ----
export const MerchantParams = Type.Object({ merchantId: Type.String({ pattern: ID_PATTERN }) });
/** `If-None-Match: *`: create only, never change what is there (RFC 9110 §13.1.2); there are no entity tags to match. */
export const CreateOnlyHeaders = Type.Object({
  'if-none-match': Type.Optional(Type.Literal('*', { description: 'only `*`: create the resource only if there is none (else 412); leave the header out to create or change' })),
});
export const PolicyVersionParams = Type.Object({ merchantId: Type.String({ pattern: ID_PATTERN }), version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) });
export const MerchantListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'merchants per page' })),
    cursor: Type.Optional(Type.String({ pattern: ID_PATTERN, description: 'the previous page’s nextCursor' })),
  },
  { additionalProperties: false },
);
export const ReturnAddressBody = Type.Object(
  { name: Text(100), phone: Text(40, { description: 'a phone number: an optional +, a digit, then 4–38 more digits, spaces, hyphens or parentheses' }), address: Text(300) },
  { additionalProperties: false, description: 'where customers send returns; told to them when a return is approved' },
);
export const MerchantBody = Type.Object(
  {
    name: Text(200),
    defaultCurrency: Type.String({ pattern: CURRENCY_PATTERN }),
    returnAddress: Type.Optional(
      Type.Union([ReturnAddressBody, Type.Null()], {
        description: 'where customers send goods back (a return cannot be opened without it); left out, a merchant keeps the one it has; null removes it',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: '青瓷生活旗舰店',
        defaultCurrency: 'CNY',
        returnAddress: { name: '售后部 王先生', phone: '+86 571 8888 1234', address: '浙江省杭州市余杭区文一西路 969 号 3 号仓 售后组' },
      },
      { name: '青瓷生活旗舰店', defaultCurrency: 'CNY' },
    ],
  },
);
const POLICY_CHANGE_EXAMPLES = [
  {
    rules: { noReasonReturnDays: 7, autoApproveReturnMaxAmountMinor: 10000, inspectionHours: 48, sameDayMeans: 'CALENDAR_DAY' },
    businessHours: { close: '20:00', holidays: ['2027-01-01', '2027-02-08', '2027-02-09', '2027-02-10'] },
    fulfilment: { smallAmountMaxMinor: 5000, carriers: { SF: { claimWindowDays: 60, followUpEveryDays: 5, escalateBeforeCloseDays: 10 } } },
  },
  { rules: { autoApproveReturnMaxAmountMinor: null }, fulfilment: { carriers: { ZTO: null } } },
];
/**
 * The fields of a policy change as the OpenAPI document names them: described, never typed, so the
 * body is taken exactly as before and the policy's own validation (parsePolicy in domain/policy.ts,
 * parseFulfilmentRules in domain/fulfilment/rules.ts) still refuses a wrong value with its field
 * and reason (400) — a JSON Schema type would refuse it first, in other words. Each says its type,
 * unit, bounds and default.
 */
const described = (fields: Record<string, string>) => Object.fromEntries(Object.entries(fields).map(([name, description]) => [name, { description }]));
const R = DEFAULT_RULES;
const F = DEFAULT_FULFILMENT_RULES;
const H = DEFAULT_BUSINESS_HOURS;
/** Hours and days: a number above 0 (fractions allowed), at most a year. */
const hoursRule = (what: string, d: number) => `number of hours > 0 (fractions allowed), at most 8784: ${what}. Default ${d}`;
const daysRule = (what: string, d: number | undefined) => `number of days > 0 (fractions allowed), at most 366: ${what}.${d === undefined ? '' : ` Default ${d}`}`;
const CONTRACT_TERMS =
  '`{ claimWindowDays, followUpEveryDays, escalateBeforeCloseDays, maxClaimMinor? }`: whole days the carrier takes a claim after shipment (1–366); every how many days an open claim is chased (1–366, not more than the window); how many days before the window closes an unsettled claim goes to a supervisor (0–366, less than the window); the most the carrier pays per parcel, minor units (left out: no limit)';
export const POLICY_RULE_FIELDS = described({
  noReasonReturnDays: `whole number of days, 0–366: the no-reason return window (七天无理由), counted from the day after delivery and ending at local midnight. Default ${R.noReasonReturnDays}`,
  outsideWindowAction: `'AGENT' or 'REJECT': a no-reason return outside the window goes to an agent, or is rejected naming the rule (a request with a line that is the shop’s fault always goes to an agent). Default ${R.outsideWindowAction}`,
  autoApproveReturnMaxAmountMinor: 'whole number of minor units ≥ 0, optional: a return worth more than this (Σ quantity × unitPriceMinor) goes to an agent; null removes it (no limit). Default none',
  satisfactionTargetPct: 'percent, 0–100, optional: the satisfaction target drawn on the supervisors’ charts (no case decides by it); null removes it',
  resolutionTargetPct: 'percent, 0–100, optional: the resolution-rate target, as satisfactionTargetPct',
  onTimeTargetPct: 'percent, 0–100, optional: the on-time-rate target, as satisfactionTargetPct',
  complaintTargetPermille: 'complaints per 1,000 orders, 0–1000, optional: the complaint-rate target, as satisfactionTargetPct',
  agentReminderHours: hoursRule('while a case waits for an agent, the agent is reminded (and the case escalated again) this many hours into the wait; under 24, each later reminder nobody answers comes twice as long after the one before, up to a day (a forgotten case is reminded daily, not every hour for months)', R.agentReminderHours),
  proposalAcceptanceHours: hoursRule('the customer’s time to answer a proposal other than what they asked, to choose a remedy, or to pay an exchange’s price difference', R.proposalAcceptanceHours),
  proposalDefaultAccept: `true or false: whether a customer’s silence on such a proposal accepts it. Default ${R.proposalDefaultAccept}`,
  customerShipReturnDays: daysRule('the customer’s time to send the return after it is approved', R.customerShipReturnDays),
  returnShipReminderBeforeHours: `number of hours ≥ 0, less than customerShipReturnDays × 24: the customer is reminded this long before that time ends. Default ${R.returnShipReminderBeforeHours}`,
  returnArrivalChaseAfterDays: daysRule('after the customer shipped the return, the courier is chased once it has not arrived after this many days (not more than returnArrivalDays)', R.returnArrivalChaseAfterDays),
  returnArrivalDays: daysRule('…and the return is treated as lost on the way after this many', R.returnArrivalDays),
  inspectionHours: hoursRule('the warehouse’s time to inspect an arrived return', R.inspectionHours),
  refundHours: hoursRule('the time to pay a refund once decided', R.refundHours),
  shopFaultRefundsShipping: `true or false: a return for the shop’s fault (DEFECTIVE, WRONG_ITEM, DAMAGED, NOT_AS_DESCRIBED) also refunds the order’s shipping fee, once per order; so does a quality problem’s refund of the goods, when it leaves none of the order’s goods unpaid. Default ${R.shopFaultRefundsShipping}`,
  merchantAnswerHours: hoursRule('the merchant’s time to answer a refund before shipping; silence refunds', R.merchantAnswerHours),
  interceptionDays: daysRule('the courier’s time to bring an intercepted parcel back before a refund after shipping is paid anyway', R.interceptionDays),
  complaintUrgentHours: hoursRule('the time to handle an URGENT complaint; past it the case is late and escalated', R.complaintUrgentHours),
  complaintHighHours: hoursRule('the same for a HIGH-priority complaint', R.complaintHighHours),
  complaintNormalHours: hoursRule('the same for a NORMAL complaint', R.complaintNormalHours),
  revisitAfterDays: `number of days ≥ 0 (fractions allowed), at most 366: the satisfaction revisit opens this long after a case is resolved. Default ${R.revisitAfterDays}`,
  revisitAnswerDays: daysRule('the customer’s time to answer the revisit; silence closes the case unanswered', R.revisitAnswerDays),
  sameDayMeans:
    "'BUSINESS_DAY' (default) or 'CALENDAR_DAY': when a case opened after closing time or on a day off must get its solution — by closing time of the next business day, or by the end (local midnight) of the day it opened; before closing time on a business day it is that day's closing time either way",
});
export const POLICY_CALENDAR_FIELDS = described({
  timeZone: `an IANA time zone ('Asia/Shanghai'): the shop’s local time, for every time below and every local day. Default ${H.timeZone}`,
  workingDays: `list of ISO weekdays, 1 (Monday) … 7 (Sunday), each once: the days the shop works (the whole list is replaced). Default [${H.workingDays.join(', ')}]`,
  open: `local time 'HH:MM': when business time starts on a working day. Default ${H.open}`,
  close: `local time 'HH:MM', after open: when it ends (a case opened later counts as opened after closing time). Default ${H.close}`,
  holidays: "list of local dates 'YYYY-MM-DD' that are days off although their weekday is a working day (国庆, 春节): the whole list is replaced, so send every one. Default []",
  extraWorkingDays: "list of local dates 'YYYY-MM-DD' worked although their weekday is not (调休 make-up days), none of them also a holiday; the whole list is replaced. Default []",
});
export const POLICY_FULFILMENT_FIELDS = described({
  weightToleranceGrams: `whole grams, 0–100000: the scale’s tolerance in a missing-items weight check is the larger of this and weightTolerancePercent of the expected parcel weight. Default ${F.weightToleranceGrams}`,
  weightTolerancePercent: `whole percent, 0–100: see weightToleranceGrams. Default ${F.weightTolerancePercent}`,
  smallAmountMaxMinor: `whole minor units ≥ 0: missing items worth at most this (at the price paid)… Default ${F.smallAmountMaxMinor}`,
  smallLightMaxWeightGrams: `whole grams, 0–1000000: …that also weigh at most this in all are refunded at once, without asking the customer. Default ${F.smallLightMaxWeightGrams}`,
  wrongItemValueBasis: `'COST' or 'PRICE': a wrong item’s value, weighed against the shipping to decide whether it comes back, is counted at the shop’s cost or at its price. Default ${F.wrongItemValueBasis}`,
  minorDamageCap: `'ORDER_PROFIT', 'RETURN_SHIPPING' or 'LOWER_OF_BOTH': the cap of a minor transit-damage refund paid without an agent — the order’s profit (Σ (unitPriceMinor − unitCostMinor) × quantity), the assessed return shipping cost, or the lower of both; never more than the order has left unrefunded. Default ${F.minorDamageCap}`,
  qualityDiscountPercent: `whole percent, 0–100: the discount offered for a quality problem, as a share of the affected goods’ price… Default ${F.qualityDiscountPercent}`,
  qualityDiscountMaxMinor: `whole minor units ≥ 0: …at most this. Default ${F.qualityDiscountMaxMinor}`,
  delayCompensationPerDayMinor: `whole minor units ≥ 0, not more than delayCompensationMaxMinor: a delay of the shop’s own making is compensated this much per started day late… Default ${F.delayCompensationPerDayMinor}`,
  delayCompensationMaxMinor: `whole minor units ≥ 0: …at most this in all. Default ${F.delayCompensationMaxMinor}`,
  traceStalledHours: `number of hours > 0, at most 8784: a parcel whose trace has had no new scan for this long is chased with the courier. Default ${F.traceStalledHours}`,
  warehouseTaskHours: `number of hours > 0, at most 720: the warehouse’s time for a task (verify a dispatch, count stock, check and pack, ship) before it is late and escalated. Default ${F.warehouseTaskHours}`,
  reshipmentTraceEveryHours: `number of hours > 0, at most 168: a parcel sent again is traced every this many hours until delivered… Default ${F.reshipmentTraceEveryHours}`,
  reshipmentDeliveryDays: `number of days > 0, at most 90: …and escalated when not delivered within this many days. Default ${F.reshipmentDeliveryDays}`,
  preferredCarrier: `a carrier code (or a known carrier’s name: 顺丰 is SF): the carrier goods sent again go with first. Default ${F.preferredCarrier}`,
  backupCarrier: `a carrier code, not the preferred one: the carrier that takes over when the preferred one refuses a parcel. Default ${F.backupCarrier}`,
  urgentWarehouseHours: `number of hours > 0, at most 72: the warehouse’s time for an urgent customer’s goods. Default ${F.urgentWarehouseHours}`,
  restockWaitDays: `number of days > 0, at most 90: an exchange waiting for a restock is put to an agent again after this many days. Default ${F.restockWaitDays}`,
  exchangeShipsBeforeReturn: `true or false: an exchange’s replacement may go out before the old goods are back. Default ${F.exchangeShipsBeforeReturn}`,
  hasRepairDepartment: `true or false: the shop repairs goods, so a quality problem may be repaired (remedy REPAIR). Default ${F.hasRepairDepartment}`,
  defaultCarrier: `the claim contract for carriers without one of their own, ${CONTRACT_TERMS}; replaced whole. Default ${JSON.stringify(DEFAULT_CARRIER_CONTRACT)}`,
  carriers: `carrier code (or a known name) → its claim contract, ${CONTRACT_TERMS}. Merged by carrier code with the current table: a contract sent replaces that carrier’s, null removes it, carriers not named are kept`,
});

export const PolicyChangeBody = Type.Object(
  {
    rules: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
        description: 'rules to change, each replacing the current value; null removes an optional rule; the rest carry over from the current version. An unknown rule or a wrong value is a 400 naming it (`rules.noReasonReturnDays`)',
        properties: POLICY_RULE_FIELDS,
      }),
    ),
    businessHours: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
        description: 'the business calendar’s fields to change, each replacing the current value (a list is replaced whole); the rest carry over. It sets the same-day solution deadline and every business-time count. An unknown field or a wrong value is a 400 naming it',
        properties: POLICY_CALENDAR_FIELDS,
      }),
    ),
    fulfilment: Type.Optional(
      Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
        description: 'the fulfilment rules (missing items, wrong items, transit damage, quality, delays, lost parcels, re-shipments, courier claims) to change, each replacing the current value; carriers merge by carrier code (null removes a contract); the rest carry over. An unknown rule or a wrong value is a 400 naming it (`fulfilment.carriers.SF.claimWindowDays`)',
        properties: POLICY_FULFILMENT_FIELDS,
      }),
    ),
  },
  { additionalProperties: false, examples: POLICY_CHANGE_EXAMPLES },
);

/** Publishing a version: the changes, and why (kept with the version, shown in its history). */
export const PublishPolicyBody = Type.Object(
  { ...PolicyChangeBody.properties, note: Type.Optional(Text(500, { description: 'why this version: shown with it in the version history (GET …/policies)' })) },
  { additionalProperties: false, examples: [{ ...POLICY_CHANGE_EXAMPLES[0], note: '双十一后延长无理由退货期限，减少差评' }, ...POLICY_CHANGE_EXAMPLES.slice(1)] },
);

// ---- figures: what the storefront and supervisors report (routes/figures.ts) ----
export const OrdersBody = Type.Object({ orders: Type.Integer({ minimum: 0, maximum: 100_000_000 }) }, { additionalProperties: false, examples: [{ orders: 1280 }] });
export const BudgetBody = Type.Object({ amountMinor: Amount(), currency: Type.String({ pattern: CURRENCY_PATTERN, description: "the merchant's currency (its defaultCurrency), the one GET /v1/costs counts in; any other is a 400" }) }, { additionalProperties: false, examples: [{ amountMinor: 5_000_000, currency: 'CNY' }] });
