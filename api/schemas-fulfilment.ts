/** Request bodies of the fulfilment case types (少货 …), beside the return case's in schemas.ts. */
import { Type } from 'typebox';
import { OrderSnapshot } from './schemas.js';

const Sku = Type.String({ minLength: 1, maxLength: 64 });
const Grams = Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'grams' });
const Units = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const Customer = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]) }, { additionalProperties: false });
const Lines = Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 200 });

export const OpenMissingItemsBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    missing: Lines,
    evidenceUrls: Type.Optional(Type.Array(Type.String({ format: 'uri', maxLength: 2000 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const WarehouseCheckBody = Type.Object(
  {
    by: Type.String({ minLength: 1, maxLength: 64 }),
    outboundRecord: Type.Optional(Type.Array(Type.Object({ sku: Sku, quantity: Units }, { additionalProperties: false }), { maxItems: 200 })),
    waybillWeightGrams: Type.Optional(Grams),
    unitWeightsGrams: Type.Optional(Type.Record(Sku, Grams)),
    packagingWeightGrams: Type.Optional(Grams),
    stockCount: Type.Optional(Type.Array(Type.Object({ sku: Sku, systemQuantity: Units, countedQuantity: Units }, { additionalProperties: false }), { maxItems: 200 })),
  },
  { additionalProperties: false, description: 'the three records of 少货: outbound record, waybill weight (with unit weights), stock count' },
);

export const RemedyChoiceBody = Type.Object({ remedy: Type.Union([Type.Literal('REFUND'), Type.Literal('RESHIP'), Type.Literal('REPAIR')]) }, { additionalProperties: false });
export const ReshipmentBody = Type.Object(
  { by: Type.String({ minLength: 1, maxLength: 64 }), carrier: Type.String({ minLength: 1, maxLength: 32 }), trackingNumber: Type.String({ minLength: 4, maxLength: 64 }), weightGrams: Type.Optional(Grams) },
  { additionalProperties: false },
);

export const OpenRefundBeforeShippingBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    reason: Type.Union(['NO_LONGER_WANTED', 'ORDERED_BY_MISTAKE', 'DUPLICATE_ORDER', 'DELIVERY_TOO_SLOW', 'PRICE_CHANGED', 'OTHER'].map((r) => Type.Literal(r))),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const OpenRefundAfterShippingBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    shipment: Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 32 }), trackingNumber: Type.String({ minLength: 4, maxLength: 64 }) }, { additionalProperties: false }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

const ComplaintCategory = Type.Union(['SERVICE_ATTITUDE', 'PRODUCT_QUALITY', 'LOGISTICS', 'REFUND_DELAY', 'WRONG_INFORMATION', 'PRIVACY', 'OTHER'].map((c) => Type.Literal(c)));
const ComplaintFacts = {
  category: ComplaintCategory,
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  channel: Type.Optional(Type.Union(['PHONE', 'EMAIL', 'CHAT', 'SOCIAL_MEDIA', 'STOREFRONT'].map((c) => Type.Literal(c)))),
  threatensEscalation: Type.Optional(Type.Boolean({ description: 'bad review, media, regulator or lawsuit threatened (维权)' })),
};
export const OpenComplaintBody = Type.Object(
  { caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })), customer: Customer, order: OrderSnapshot, repeat: Type.Optional(Type.Boolean()), ...ComplaintFacts },
  { additionalProperties: false },
);
export const TurnIntoComplaintBody = Type.Object(ComplaintFacts, { additionalProperties: false });
export const ComplaintResolutionBody = Type.Object(
  {
    plan: Type.String({ minLength: 1, maxLength: 2000 }),
    cause: Type.String({ minLength: 1, maxLength: 2000 }),
    improvement: Type.String({ minLength: 1, maxLength: 2000 }),
    shopAtFault: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const OpenExchangeBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    kind: Type.Union([Type.Literal('EXCHANGE'), Type.Literal('RESHIPMENT')]),
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
          replacementSku: Type.Optional(Sku),
          replacementUnitPriceMinor: Type.Optional(Type.Integer({ minimum: 0 })),
          replacementUnitCostMinor: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    urgent: Type.Optional(Type.Boolean({ description: 'priority handling (000 紧急客户)' })),
    substitute: Type.Optional(Type.Object({ sku: Sku, unitCostMinor: Type.Integer({ minimum: 0 }) }, { additionalProperties: false, description: 'a loan product for an urgent customer, returned after the replacement' })),
  },
  { additionalProperties: false },
);
export const OutgoingCheckBody = Type.Object(
  {
    by: Type.String({ minLength: 1, maxLength: 64 }),
    undamaged: Type.Boolean(),
    working: Type.Boolean(),
    resaleable: Type.Boolean(),
    cleaned: Type.Optional(Type.Boolean()),
    invoice: Type.Boolean(),
    warrantyCard: Type.Boolean(),
    serialNumbers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export const DifferencePaidBody = Type.Object({ paymentId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const CarrierRefusalBody = Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 32 }), reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

export const OpenDelayBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    shipment: Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 32 }), trackingNumber: Type.String({ minLength: 4, maxLength: 64 }) }, { additionalProperties: false }),
    etaAt: Type.Integer({ minimum: 0, description: 'the promised delivery time, epoch milliseconds' }),
  },
  { additionalProperties: false },
);
export const DelayCauseBody = Type.Object(
  {
    cause: Type.Union(['TRAFFIC', 'WEATHER', 'ROUTE_CHANGE', 'COURIER_OTHER', 'LATE_DISPATCH', 'SCHEDULING_ERROR'].map((c) => Type.Literal(c))),
    newEtaAt: Type.Optional(Type.Integer({ minimum: 0 })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const OpenLostParcelBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    shipment: Type.Object(
      { carrier: Type.String({ minLength: 1, maxLength: 32 }), trackingNumber: Type.String({ minLength: 4, maxLength: 64 }), shippedAt: Type.Integer({ minimum: 0 }), etaAt: Type.Optional(Type.Integer({ minimum: 0 })) },
      { additionalProperties: false },
    ),
    lines: Lines,
  },
  { additionalProperties: false },
);
export const DispatchConfirmationBody = Type.Object(
  { by: Type.String({ minLength: 1, maxLength: 64 }), dispatched: Type.Boolean(), trackingNo: Type.Optional(Type.String({ maxLength: 64 })), proofUrls: Type.Optional(Type.Array(Type.String({ format: 'uri', maxLength: 2000 }), { maxItems: 20 })) },
  { additionalProperties: false },
);

export const OpenQualityProblemBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    lines: Lines,
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    evidenceUrls: Type.Optional(Type.Array(Type.String({ format: 'uri', maxLength: 2000 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export const MisuseFindingBody = Type.Object({ finding: Type.Union([Type.Literal('NO_MISUSE'), Type.Literal('MISUSE'), Type.Literal('UNCONFIRMED')]), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export const RepairBody = Type.Object(
  {
    by: Type.String({ minLength: 1, maxLength: 64 }),
    sku: Sku,
    faultCause: Type.String({ minLength: 1, maxLength: 500 }),
    method: Type.String({ minLength: 1, maxLength: 500 }),
    parts: Type.Array(Type.Object({ partNo: Type.String({ minLength: 1, maxLength: 100 }), name: Type.Optional(Type.String({ maxLength: 200 })), quantity: Type.Integer({ minimum: 1 }), unitCostMinor: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), { maxItems: 100 }),
    labourCostMinor: Type.Integer({ minimum: 0 }),
    working: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const OpenDamageBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    customerHandle: Type.String({ minLength: 1, maxLength: 100, description: 'the customer’s shop handle (旺旺名)' }),
    lines: Lines,
    degree: Type.Union([Type.Literal('MINOR'), Type.Literal('SEVERE')]),
    photoUrls: Type.Array(Type.String({ format: 'uri', maxLength: 2000 }), { minItems: 1, maxItems: 20, description: 'photos first (003 §四.1)' }),
    shipment: Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 32 }), trackingNumber: Type.String({ minLength: 4, maxLength: 64 }), shippedAt: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);
export const DamageAssessmentBody = Type.Object(
  {
    degree: Type.Union([Type.Literal('MINOR'), Type.Literal('SEVERE')]),
    cause: Type.Union(['TRANSPORT', 'PRODUCT_DEFECT', 'CUSTOMER', 'UNKNOWN'].map((c) => Type.Literal(c))),
    proposedRefundMinor: Type.Optional(Type.Integer({ minimum: 0 })),
    returnShippingCostMinor: Type.Integer({ minimum: 0 }),
    returnPossible: Type.Boolean(),
    goodsUsable: Type.Boolean(),
    partialRefundMinor: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const OpenTrackingInquiryBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    shipment: Type.Optional(Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 32 }), trackingNumber: Type.String({ minLength: 4, maxLength: 64 }) }, { additionalProperties: false })),
    promisedShipBy: Type.Integer({ minimum: 0, description: 'the ship time the shop promised, epoch milliseconds' }),
    recipientName: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

export const OpenWrongItemBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Customer,
    order: OrderSnapshot,
    orderedSku: Sku,
    arrivedBarcode: Type.String({ minLength: 1, maxLength: 64, description: 'the barcode of what arrived (003 §三.1)' }),
    barcodes: Type.Record(Sku, Type.String({ minLength: 1, maxLength: 64 }), { description: 'the catalogue barcodes of the SKUs concerned' }),
    evidenceUrls: Type.Optional(Type.Array(Type.String({ format: 'uri', maxLength: 2000 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);
export const WrongItemFindingsBody = Type.Object(
  {
    by: Type.String({ minLength: 1, maxLength: 64 }),
    shortShipped: Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), { maxItems: 200 }),
    overShipped: Type.Array(Type.Object({ sku: Sku, name: Type.Optional(Type.String({ maxLength: 200 })), quantity: Type.Integer({ minimum: 1 }), unitPriceMinor: Type.Integer({ minimum: 0 }), unitCostMinor: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
    returnShippingCostMinor: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
