import { Type } from 'typebox';

const Sku = Type.String({ minLength: 1, maxLength: 64 });
const Minor = Type.Integer({ minimum: 0, description: 'integer amount in minor units of the currency (分 for CNY)' });
const EpochMs = Type.Integer({ minimum: 0, description: 'epoch milliseconds' });

export const OrderSnapshot = Type.Object(
  {
    orderId: Type.String({ minLength: 1, maxLength: 64 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    items: Type.Array(
      Type.Object(
        { sku: Sku, name: Type.String({ maxLength: 200 }), quantity: Type.Integer({ minimum: 1 }), unitPriceMinor: Minor, unitCostMinor: Minor },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    shippingFeeMinor: Minor,
    paidTotalMinor: Minor,
    shippedAt: Type.Optional(EpochMs),
    deliveredAt: Type.Optional(EpochMs),
  },
  { additionalProperties: false },
);

export const OpenReturnBody = Type.Object(
  {
    caseId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{6,64}$' })),
    customer: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]) }, { additionalProperties: false }),
    order: OrderSnapshot,
    lines: Type.Array(
      Type.Object(
        {
          sku: Sku,
          quantity: Type.Integer({ minimum: 1 }),
          reason: Type.Union(['NO_REASON', 'DEFECTIVE', 'WRONG_ITEM', 'DAMAGED', 'NOT_AS_DESCRIBED', 'OTHER'].map((r) => Type.Literal(r))),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    evidenceUrls: Type.Optional(Type.Array(Type.String({ format: 'uri', maxLength: 2000 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const CaseParams = Type.Object({ caseId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });

export const ReturnShipmentBody = Type.Object({ carrier: Type.String({ minLength: 1, maxLength: 32 }), trackingNumber: Type.String({ minLength: 4, maxLength: 64 }) }, { additionalProperties: false });
export const ProposalAnswerBody = Type.Object({ accept: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export const RevisitBody = Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export const EvidenceBody = Type.Object(
  { urls: Type.Array(Type.String({ format: 'uri', maxLength: 2000 }), { minItems: 1, maxItems: 20 }), kind: Type.Optional(Type.String({ maxLength: 32 })) },
  { additionalProperties: false },
);
export const ArrivalBody = Type.Object(
  { trackingNumber: Type.Optional(Type.String({ minLength: 4, maxLength: 64 })), returnCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), scannedBy: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export const InspectionBody = Type.Object(
  {
    by: Type.String({ minLength: 1, maxLength: 64 }),
    lines: Type.Array(
      Type.Object(
        { sku: Sku, receivedQuantity: Type.Integer({ minimum: 0 }), condition: Type.Union([Type.Literal('OK'), Type.Literal('DAMAGED_BY_CUSTOMER'), Type.Literal('MISSING')]) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);
export const ProposalBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('APPROVE'), Type.Literal('REJECT')]),
    lines: Type.Optional(Type.Array(Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), { minItems: 1 })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export const ResolutionBody = Type.Object(
  { action: Type.Union([Type.Literal('REFUND_RECEIVED'), Type.Literal('REFUND_REQUESTED'), Type.Literal('CLOSE')]), note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export const EscalationBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false });
export const AssignmentBody = Type.Object({ agentId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const NoteBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });
export const CustomerTokenBody = Type.Object({ customerId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const CourierEventBody = Type.Object(
  { trackingNumber: Type.String({ minLength: 4, maxLength: 64 }), code: Type.String({ minLength: 1, maxLength: 32 }), description: Type.Optional(Type.String({ maxLength: 500 })), at: EpochMs, eventId: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
export const CourierParams = Type.Object({ carrier: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }) });
export const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(['OPEN', 'WAITING_CUSTOMER', 'WAITING_WAREHOUSE', 'WAITING_COURIER', 'RESOLVED', 'CLOSED'].map((s) => Type.Literal(s)))),
    type: Type.Optional(Type.String({ pattern: '^[A-Z_]{3,32}$' })),
    late: Type.Optional(Type.Boolean()),
    escalated: Type.Optional(Type.Boolean()),
    assigneeId: Type.Optional(Type.String({ maxLength: 64 })),
    customerId: Type.Optional(Type.String({ maxLength: 64 })),
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
    cursor: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);

// ---- administration: merchants and their policy versions ----
export const MerchantParams = Type.Object({ merchantId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }) });
export const PolicyVersionParams = Type.Object({ merchantId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }), version: Type.Integer({ minimum: 1, maximum: 1_000_000 }) });
export const ReturnAddressBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), phone: Type.String({ minLength: 1, maxLength: 40 }), address: Type.String({ minLength: 1, maxLength: 300 }) },
  { additionalProperties: false, description: 'where customers send returns; told to them when a return is approved' },
);
export const MerchantBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), defaultCurrency: Type.String({ pattern: '^[A-Z]{3}$' }), returnAddress: Type.Optional(ReturnAddressBody) },
  { additionalProperties: false },
);
export const PolicyChangeBody = Type.Object(
  {
    rules: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { description: 'rules to change; null removes an optional rule; the rest carry over from the current version' })),
    businessHours: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { description: 'calendar fields to change (timeZone, workingDays, open, close, holidays, extraWorkingDays)' })),
    fulfilment: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), { description: 'fulfilment rules to change; carriers merge by carrier code (null removes a contract)' })),
  },
  { additionalProperties: false },
);
