/**
 * The success answers of the API, one schema each: they document the contract at /docs and, as
 * Fastify serializes through them, keep anything a view did not name from leaking out. Times are
 * ISO 8601 strings, amounts integers of minor units.
 */
import { Type, type TSchema } from 'typebox';
import { CASE_STAGE_NAMES, CASE_TYPES } from '../domain/case-types.js';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** The media type of the Excel workbooks the API answers with. */
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * A 200 that is JSON unless a file is asked for (`format=csv|xlsx`): a schema per media type, so
 * the API's page lists the files too, and a handler may answer with any of the three.
 */
export const JsonOrFile = <T extends TSchema>(json: T, what: string, description?: string) => ({
  description: (json as { description?: string }).description ?? description ?? `${what}: JSON, or with format=csv or format=xlsx a file to download`,
  content: {
    'application/json': { schema: json },
    'text/csv': { schema: Type.String({ description: `${what} as CSV (UTF-8 with a byte-order mark, so that Excel reads it)` }) },
    [XLSX]: { schema: Type.Unsafe<Buffer>(Type.String({ format: 'binary', description: `${what} as an Excel workbook` })) },
  },
});

/**
 * An instant, on the wire an ISO 8601 string. A view may hand the serializer a `Date` (the
 * repositories' rows carry them): Fastify's serializer writes it as that string, so both are typed.
 */
const Iso = Type.Unsafe<string | Date>(Type.String({ format: 'date-time' }));

export const OpenedCase = Type.Object(
  {
    caseId: Type.String({ description: 'the case, its id minted by the platform; every later call names it', examples: ['3f9c2a7d41b84e06a5d1'] }),
    workflowId: Type.String({ description: 'the case’s workflow in Temporal (ops)', examples: ['case-3f9c2a7d41b84e06a5d1'] }),
    reference: Type.Optional(Type.String({ description: 'the reference the case was opened with (the merchant’s own name for it)', examples: ['SO20261122-0042-R1'] })),
    policyVersion: Type.Integer({ description: 'the merchant’s policy version the case decides under, for its whole life' }),
    returnCode: Type.Optional(Type.String({ description: 'returns, exchanges and a lent loan product: the code the customer writes on the parcel sent back (the warehouse may scan it instead of the tracking number)' })),
    relatedCaseId: Type.Optional(Type.String({ description: 'a complaint about a case: that case' })),
    repeat: Type.Optional(Type.Boolean({ description: 'a complaint: the case was complained about before' })),
  },
  { additionalProperties: false, description: 'The case was opened; its workflow runs' },
);

/** An opening's answers: 201 for a new case; 200 when its reference (or, with none, the same request a moment ago) opened the case before. */
export const OpenedResponses = {
  200: Type.Object(
    {
      ...OpenedCase.properties,
      status: Type.Optional(Type.String({ description: 'where that case stands now (OPEN, WAITING_CUSTOMER, RESOLVED, CLOSED …): one closed since — withdrawn, say — is not opened again by its reference; a new request takes a new reference' })),
      stage: Type.Optional(Type.String({ description: 'its stage now' })),
      closeReason: Type.Optional(Nullable(Type.String({ description: 'why it closed, as the storefront reads it (WITHDRAWN, NOT_SHIPPED …; an agent’s close as CLOSED_BY_AGENT); null while open' }))),
    },
    {
      additionalProperties: false,
      description: 'This reference opened a case before, with the same request — or, sent with neither a reference nor an Idempotency-Key, the same request (type, customer, order and what was asked) opened a case in the last 10 minutes that is still open (a double tap): that case, answered as when it was opened (nothing was added, no second workflow), with where it stands now',
    },
  ),
  201: OpenedCase,
  202: Type.Object(
    { ...OpenedCase.properties, startPending: Type.Literal(true, { description: 'the workflow has not started yet' }) },
    {
      additionalProperties: false,
      description:
        'The case was opened and its opening recorded, but Temporal could not be reached to start its workflow: the platform starts it once Temporal is back (within about a minute; the case waits at OPENED, and its commands answer 404 until then). Keep the caseId and follow it with GET /v1/cases/{caseId}; do not open it again (sent again with the same Idempotency-Key this answer is repeated; with the same reference, the case is answered 200)',
    },
  ),
};

export const WaitingFor = Nullable(
  Type.Object({
    party: Type.String({ description: 'CUSTOMER, STOREFRONT, WAREHOUSE, AGENT or COURIER' }),
    command: Type.Union([Type.String(), Type.Null()], {
      description: 'the request that moves the case on, as method and path with this case’s id filled in; `{carrier}` in a courier’s path is the courier’s own code (SF, ZTO …). For a customer token only where the wait is theirs (`party` CUSTOMER): null for another party’s (the warehouse, an agent, the storefront, the courier), a call the customer cannot make — `what` says what happens',
      examples: ['POST /v1/cases/rr-1001/inspection', 'POST /v1/couriers/{carrier}/events'],
    }),
    what: Type.String({
      description:
        'what happens next, in one sentence: for the merchant’s staff in English (the parties in the third person, remedies and settings by their API names); for a customer token or a storefront key as the shop tells its customer, to them and with no API names, in the case’s `customerLocale` (Chinese for zh-CN, English for en). A command’s answer (CommandReply) says it to its sender the same way. At AWAITING_AGENT the staff’s GET /v1/cases/{caseId} says what the agent decides at this wait (what it is about and its actions, as POST …/resolution takes them) where the list and a command’s answer say only that an agent decides how the case ends',
      examples: ['the warehouse inspects what came back', '仓库正在验收您寄回的商品', 'the warehouse is inspecting the goods you sent back'],
    }),
    deadlineAt: Nullable(Iso),
  }),
);

const caseFields = {
  id: Type.String(),
  merchantId: Type.String(),
  reference: Nullable(Type.String({ description: 'the merchant’s own name for the case, given when it was opened (unique per merchant)' })),
  // Named from the list the filters take, so the two cannot drift apart again (they had: RETURN_REFUND, DELIVERY_DELAY…).
  type: Type.String({ description: `one of ${CASE_TYPES.join(', ')}` }),
  status: Type.String({
    description:
      'OPEN (the platform or an agent works on it: a case waiting for an agent’s decision reads OPEN — see stage and waitingFor), WAITING_CUSTOMER, WAITING_WAREHOUSE, WAITING_COURIER, RESOLVED or CLOSED (WAITING_AGENT, WAITING_REPAIR and WAITING_FINANCE are reserved: no case is given them today)',
  }),
  stage: Type.String({
    description: `where the case is in its procedure: one of ${Object.keys(CASE_STAGE_NAMES).join(', ')}. OPENED is the moment of opening; each AWAITING_… stage waits for one party and command, which \`waitingFor\` names with its deadline (FOLLOWING, SHIPPED and RESHIPPED: a parcel followed until the courier reports it delivered); REFUNDING: a refund being paid; RESOLVED: the solution given (the revisit follows: AWAITING_REVISIT); CLOSED: ended (closeReason says why). Which stages a case passes through depends on its type`,
  }),
  orderId: Type.String(),
  customerId: Type.String(),
  customerLocale: Type.String(),
  currency: Type.String(),
  requestedAmountMinor: Type.Integer({
    description:
      'what the customer asked for when the case opened, in minor units, as the case type counts it: a return, missing items, a lost parcel, a quality problem or transit damage — the goods named, Σ quantity × unitPriceMinor (goods only: never the shipping fee); a refund before or after shipping — the order’s paidTotalMinor; an exchange — the price difference a cheaper replacement refunds (0 for an even or dearer one); a delay, a tracking inquiry, a wrong item or a complaint — 0. It is not what will be refunded: see refundedAmountMinor',
  }),
  refundedAmountMinor: Type.Integer({
    description:
      'what this case has paid back to the customer so far, in minor units (refunds, partial refunds, a delay’s compensation): what came back in good order, plus the order’s shipping fee when a return is the shop’s fault and the policy refunds it (`shopFaultRefundsShipping`: a return of goods worth 20600 with 800 shipping refunds 21400), never more than the order’s paidTotalMinor less what its other cases refunded. 0 until a refund is paid',
  }),
  deadlines: Type.Record(Type.String(), Type.Number(), { description: 'every deadline the case has set, by name, in epoch milliseconds as the timeline’s data and the commands carry times (the case’s own fields — nextDeadlineAt, solutionDueAt, waitingFor.deadlineAt, createdAt … — are ISO 8601 date-times)' }),
  solutionDueAt: Nullable(Iso),
  solutionGivenAt: Nullable(Type.Unsafe<string | Date>(Type.String({ format: 'date-time', description: 'when the case’s solution was given (on time when not after solutionDueAt); null while it is still owed, and for cases opened before it was recorded (2026-12-02) until their next step' }))),
  nextDeadlineAt: Nullable(Iso),
  assigneeId: Nullable(Type.String()),
  escalated: Type.Boolean({ description: 'waits for a supervisor’s eye: set by a hand-over to an agent, a deadline passed, a low revisit score, a courier’s report or a person’s escalation; an agent’s resolution of the wait clears all but a member of staff’s, which a supervisor clears (POST /v1/cases/{caseId}/de-escalation)' }),
  late: Type.Boolean(),
  policyVersion: Type.Integer(),
  workflowId: Type.String(),
  satisfaction: Nullable(Type.Integer()),
  closeReason: Nullable(Type.String({ description: 'why the case closed: a code (SATISFIED, REVISIT_UNANSWERED, NOT_SHIPPED, WITHDRAWN, REJECTED …); closed by an agent, staff read the agent’s note here and a storefront key or customer token reads CLOSED_BY_AGENT (the customer’s words are the resolution’s customerMessage, sent as a message)' })),
  stuck: Type.Boolean({ description: 'a side effect of the case keeps failing; Temporal keeps retrying it' }),
  stuckReason: Nullable(Type.String({ description: 'which step, and its latest error' })),
  createdAt: Iso,
  updatedAt: Iso,
  resolvedAt: Nullable(Iso),
  closedAt: Nullable(Iso),
  returnTrackingNumber: Nullable(Type.String({ description: 'the tracking number of the parcel the case named last, stored without spaces, upper-cased (as its label prints it and the scanner reads it); null while none is known. For a type that takes goods back (a return, a refund after shipping, an exchange, a quality problem, transit damage, a wrong item) the return parcel’s, until a parcel sent to the customer after it; a refund before shipping names the order’s own parcel once it found it shipped and has it brought back; the other types the parcel they follow (a lost parcel’s, then its re-shipment’s)' })),
  waitingFor: WaitingFor,
  names: Type.Object(
    { type: Type.String(), stage: Type.String(), status: Type.String(), closeReason: Nullable(Type.String({ description: 'why it closed (`closeReason`) in words; null while it has not' })) },
    {
      additionalProperties: false,
      description: 'the case’s type, stage, status and close reason as words, for a screen to show: for a customer token or a storefront key in the case’s `customerLocale` (Chinese for zh-CN), for staff in English; a code with no name reads as itself (a staff reader’s agent note too)',
      examples: [{ type: '退货退款', stage: '等待寄回', status: '等待顾客', closeReason: null }],
    },
  ),
};

export const CaseRow = Type.Object(caseFields, { additionalProperties: false });

/** Why the same-day solution deadline is when it is (domain/solution-deadline.ts). */
export const SolutionDeadline = Type.Union(
  [
    Type.Object(
      {
        sameDayMeans: Type.Union([Type.Literal('BUSINESS_DAY'), Type.Literal('CALENDAR_DAY')], {
          description: "the policy's reading of “the same day” for a case opened while the shop is closed (`rules.sameDayMeans`; versions without it read BUSINESS_DAY)",
        }),
        situation: Type.Union([Type.Literal('BEFORE_CLOSING'), Type.Literal('AFTER_CLOSING'), Type.Literal('DAY_OFF')], {
          description: 'when the case opened: on a business day before closing time (also before opening), after closing time, or on a weekend or holiday',
        }),
        dueAt: Type.String({ format: 'date-time', description: 'the deadline this explains (solutionDueAt)' }),
        timeZone: Type.String({ description: 'the shop’s time zone (its policy’s business hours), an IANA name: the explanation’s local times are in it, whatever zone the reader is in', examples: ['Asia/Shanghai'] }),
        explanation: Type.String({
          description:
            'the reason in one sentence, local times in the shop’s time zone: for the merchant’s staff in English, naming the policy’s rule; for a customer token or a storefront key written for the customer in the case’s `customerLocale` (Chinese for zh-CN, English for en; a shop in Asia/Shanghai’s times as 北京时间 / Beijing time), the time limit rather than a promise, so it reads right on a case long solved',
          examples: [
            'opened after closing time (18:00) on Friday 2026-11-27 20:00: due at the end of the next business day, Monday 2026-11-30 18:00 (Asia/Shanghai; policy: same day means business day)',
            '您于北京时间2026年11月27日 周五 20:00提交申请，已过当天下班时间（18:00），解决方案的答复时限为下一个工作日下班前（2026年11月30日 周一 18:00）。',
            'You asked after closing time (18:00) on Friday 2026-11-27 20:00 (Beijing time): the solution is due by closing time on the next business day, Monday 2026-11-30 18:00.',
          ],
        }),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'why solutionDueAt is when it is, under the policy version the case opened with; null until the case has set it' },
);

/**
 * The order as the case was opened with it (the snapshot the storefront sent), for everyone who may
 * read the case — a customer sees their own order. Unit costs stay out: they are the merchant's.
 */
export const CaseOrder = Type.Object(
  {
    orderId: Type.String(),
    currency: Type.String({ description: 'ISO 4217' }),
    items: Type.Array(
      Type.Object(
        { sku: Type.String(), name: Type.String(), quantity: Type.Integer({ minimum: 1 }), unitPriceMinor: Type.Integer({ minimum: 0, description: 'minor units of the currency' }) },
        { additionalProperties: false },
      ),
    ),
    shippingFeeMinor: Type.Integer({ minimum: 0 }),
    paidTotalMinor: Type.Integer({ minimum: 0 }),
    shippedAt: Nullable(Iso),
    deliveredAt: Nullable(Iso),
  },
  { additionalProperties: false },
);

/** A parcel on the warehouse's hold shelf (api/held-parcels.ts), as every view of it shows it. */
export const heldParcelFields = {
  heldParcelId: Type.String(),
  caseId: Type.String(),
  trackingNumber: Nullable(Type.String({ description: 'the label’s tracking number when the label was scanned; null when the parcel was scanned by its return code alone' })),
  heldBy: Type.String({ description: 'the clerk who scanned it' }),
  heldAt: Iso,
  outcome: Nullable(Type.Union([Type.Literal('SCANNED_IN'), Type.Literal('SENT_BACK'), Type.Literal('KEPT')], { description: 'SCANNED_IN: its case took it in; SENT_BACK: returned to the customer; KEPT: the shop keeps it (an agent decided); null while on the shelf' })),
  endedBy: Nullable(Type.String()),
  endedAt: Nullable(Iso),
  endNote: Nullable(Type.String({ description: 'how it left the shelf (the outgoing tracking number, who decided)' })),
};

/** A held parcel as a case's staff view shows it (GET /v1/cases/{caseId}). */
export const HeldParcelOnCase = Type.Object(heldParcelFields, { additionalProperties: false });

export const CaseDetail = Type.Object(
  {
    ...caseFields,
    order: Type.Union([CaseOrder, Type.Null()], { description: 'the order snapshot the case was opened with; null only for a case row written without one (imported data)' }),
    solutionDeadline: SolutionDeadline,
    timeline: Type.Array(
      Type.Object(
        {
          at: Iso,
          kind: Type.String(),
          name: Type.String({ description: 'the step as words: for a customer token or a storefront key in the case’s `customerLocale`, for staff in English; a kind with no name reads as itself', examples: ['寄回包裹已签收', 'Return parcel arrived'] }),
          actor: Nullable(Type.String()),
          data: Type.Unknown(),
          decision: Type.Unknown({ description: 'an automatic decision: rule, values, policy version, outcome' }),
        },
        { additionalProperties: false },
      ),
    ),
    evidence: Type.Array(Type.Object({ url: Type.String(), kind: Type.String(), addedBy: Type.String(), at: Iso }, { additionalProperties: false })),
    approvedLines: Nullable(
      Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), {
        description:
          'the goods of the latest approval of a return by an agent (a line refused is absent, a line approved in part has the smaller quantity; the whole request when they approved it unchanged): what the case expects back and refunds. Null when no agent approved it (a rule approved the request as asked, or nothing is decided yet)',
      }),
    ),
    withdrawable: Type.Boolean({
      description:
        'whether the case takes the customer’s withdrawal now (POST /v1/cases/{caseId}/withdrawal, which says where): a storefront shows its customer a "withdraw request" button while it is true. It can still be refused (409) when another command was taken a moment before',
    }),
    offer: Nullable(
      Type.Union(
        [
          Type.Object({ kind: Type.Literal('DISCOUNT'), amountMinor: Type.Integer({ minimum: 0 }), currency: Type.String() }, { additionalProperties: false }),
          Type.Object(
            {
              kind: Type.Literal('PRICE_DIFFERENCE'),
              amountMinor: Type.Integer({ minimum: 0 }),
              currency: Type.String(),
              late: Type.Optional(Type.Literal(true, { description: 'past its deadline: the case waits for an agent (AWAITING_AGENT), and the payment is still taken (POST …/difference-paid) until the agent decides' })),
            },
            { additionalProperties: false },
          ),
          Type.Object(
            {
              kind: Type.Literal('CHOICE'),
              remedies: Type.Array(Type.Union([Type.Literal('REFUND'), Type.Literal('RESHIP'), Type.Literal('REPAIR')])),
              refund: Type.Optional(
                Type.Object({ amountMinor: Type.Integer(), currency: Type.String() }, { additionalProperties: false, description: 'what choosing REFUND pays, where it is known before the choice (missing items); absent where it is reckoned later (a lost parcel’s at the choice, goods that must come back first)' }),
              ),
            },
            { additionalProperties: false },
          ),
        ],
        {
          description:
            'what the customer is offered at the wait the case is in (`waitingFor` says who answers and with which command): at AWAITING_CUSTOMER_CONSENT a DISCOUNT for keeping the goods (a quality problem, a wrong item), refunded at once if accepted; at AWAITING_PAYMENT the PRICE_DIFFERENCE an exchange asks them to pay (still, marked `late`, at the agent’s wait once it went unpaid by its deadline, until the agent decides); at AWAITING_CUSTOMER_CHOICE the remedies to CHOOSE from, as POST …/remedy-choice takes them. Null at any other stage, and at a return’s consent, whose proposal is `approvedLines`',
          examples: [{ kind: 'DISCOUNT', amountMinor: 3000, currency: 'CNY' }, { kind: 'CHOICE', remedies: ['REFUND', 'RESHIP'], refund: { amountMinor: 20000, currency: 'CNY' } }],
        },
      ),
    ),
    escalation: Nullable(
      Type.Object(
        {
          kind: Type.String({ description: 'the kind of the timeline step that escalated it', examples: ['COUNT_MISMATCH', 'SLA_BREACHED', 'ESCALATED', 'STUCK'] }),
          at: Iso,
          actor: Nullable(Type.String()),
          reason: Nullable(Type.String({ description: 'the reason written with it (an escalation by a person), the customer’s comment (REOPENED), or the failing step’s error (STUCK)' })),
          rule: Nullable(Type.String({ description: 'the rule the step applied, when it decided something (the step’s `decision.rule` on the timeline)', examples: ['complaintPriority'] })),
          outcome: Nullable(Type.String({ description: 'what that rule decided (the step’s `decision.outcome`)', examples: ['URGENT'] })),
        },
        {
          additionalProperties: false,
          description:
            'why the case is escalated (`escalated`), since the escalation was last cleared: the latest reason a person gave (ESCALATED with theirs, REOPENED with the customer’s revisit comment), else the first step that escalated it — the workflow handing the case to an agent (the wait’s step: COUNT_MISMATCH, PARCEL_LOST …), a deadline passed (SLA_BREACHED, INSPECTION_LATE …), a side effect that keeps failing (STUCK). Null when the case is not escalated, when it was escalated before the platform kept the step (2026-12-09) and no person has given a reason since, and for a customer token or a storefront key',
        },
      ),
    ),
    agentRefunds: Type.Optional(
      Nullable(
        Type.Object(
          {
            REFUND_RECEIVED: Type.Optional(Type.Integer({ description: 'minor units: the refund of what came back, as the warehouse counted and inspected it; where goods taken back for an exchange or a quality problem’s replacement or repair came back short or damaged by the customer (EXCHANGE_RETURN_PROBLEM, QUALITY_RETURN_PROBLEM), the refund of those back in good order instead (an exchange’s with the price difference paid) — at most: the order’s other refunds cap it when it is paid' })),
            REFUND_REQUESTED: Type.Optional(Type.Integer({ description: 'minor units: the refund of every approved line as if it came back in good order; where a repair could not fix the goods (REPAIR_FAILED) or a parcel sent to make good a problem was not delivered (REPLACEMENT_NOT_DELIVERED), the refund of those goods instead, as far as the order had money left then — at most: an exchange whose replacement went out before the old goods came back pays for what comes back in good order' })),
            CONTINUE: Type.Optional(Type.Integer({ description: 'minor units: what CONTINUE pays — the goodwill refund where missing items the warehouse’s records say were sent wait for an agent (NOT_SHORT), as the proposed solution reckoned it when the check came back; the proposed refund where minor transit damage waits above the cap (ABOVE_CAP), as far as the order had money left then (neither capped again by what the order’s other cases refunded since: the payment is)' })),
          },
          {
            additionalProperties: false,
            description:
              'staff only: what each refund an agent may choose would come to, in the case’s currency, while a return — or transit damage or a quality problem refunded on the goods’ return — waits for an agent after its count differed from what was expected (COUNT_MISMATCH: both) or its parcel was lost on the way back (PARCEL_LOST: REFUND_REQUESTED), while missing items the warehouse’s records say were sent wait for one (NOT_SHORT: CONTINUE), while minor transit damage waits above the cap (ABOVE_CAP: CONTINUE), and while goods taken back for an exchange or a quality problem’s replacement or repair that came back short or damaged by the customer wait for one (EXCHANGE_RETURN_PROBLEM, QUALITY_RETURN_PROBLEM: REFUND_RECEIVED, the goods back in good order — with an exchange’s price difference paid —; absent where the replacement went out first). The return’s amounts are worked out as the case’s refund is — the order’s price per unit, the shipping fee when the shop was at fault, no more than was approved, capped by what the order’s other cases refunded. Null otherwise; absent for a customer token or a storefront key',
          },
        ),
      ),
    ),
    heldParcels: Type.Optional(Type.Array(HeldParcelOnCase, { description: 'staff only: the case’s parcels the warehouse put on its hold shelf (scanned before the case asked for the goods back, or after it ended without them), on the shelf or not; absent for a customer token or a storefront key' })),
  },
  { additionalProperties: false },
);

export const MerchantSummary = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    defaultCurrency: Type.String({ description: 'ISO-4217' }),
    returnAddress: Type.Optional(
      Type.Object({ name: Type.String(), phone: Type.String(), address: Type.String() }, { additionalProperties: false, description: 'where customers send returns' }),
    ),
    createdAt: Iso,
    policyVersion: Type.Integer({ minimum: 1, description: 'its newest policy version (1: the defaults, until one is published)' }),
  },
  { additionalProperties: false },
);
export const MerchantPage = Type.Object(
  { items: Type.Array(MerchantSummary), nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page; null on the last' })) },
  { additionalProperties: false },
);
export const CasePage = Type.Object(
  {
    items: Type.Array(CaseRow),
    nextCursor: Nullable(Type.String({ description: 'pass as `cursor` for the next page; null on the last' })),
    syncCursor: Type.Optional(
      Nullable(
        Type.String({
          description:
            'order=updated only: keep it, and start your next sync with it as `cursor` (with the same filters): that sync lists exactly what changed since this page, nothing missed, however late a change commits. A first sync (no `cursor`) that lists nothing still hands one out (`<seq>.`, no case: every change up to now seen), so a shop that starts syncing from now (`updatedAfter`) has where to go on from; a sync from a cursor that lists nothing hands back that cursor',
          examples: ['48213.a1b2c3d4e5f60718293a'],
        }),
      ),
    ),
  },
  { additionalProperties: false },
);

const StockMovement = Type.Object(
  { sku: Type.String(), delta: Type.Integer({ description: 'units: + into stock, − out of stock' }) },
  { additionalProperties: false },
);

/** The kinds of ledger entry (prisma/schema.prisma LedgerKind), as the API names them. */
const BANK_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
/** Where a refund's money is, as the refund follower last heard it from the provider (RefundHold.status). */
export const BankStatus = Type.Union(
  [Type.Literal(BANK_STATUSES[0]), Type.Literal(BANK_STATUSES[1]), Type.Literal(BANK_STATUSES[2])],
  {
    description:
      'a refund: where the money is — PENDING (accepted, the customer’s bank has not settled it yet), SUCCEEDED (paid, or settled since), FAILED (sent back: see its REFUND_RETURNED). Absent for other documents and for refunds paid before statuses were kept (docs/refund-settlement.md)',
  },
);
/** A hold's status as the API shows it; null (paid before statuses were kept) or anything else: none. */
export const bankStatusOf = (s: string | null): (typeof BANK_STATUSES)[number] | undefined => BANK_STATUSES.find((known) => known === s);

export const LEDGER_KINDS = [Type.Literal('REFUND'), Type.Literal('OUTBOUND'), Type.Literal('OUTBOUND_REVERSAL'), Type.Literal('RETURN_NOTE'), Type.Literal('EXPENSE_NOTE'), Type.Literal('CLAIM_RECOVERY'), Type.Literal('PAYMENT_RECEIVED'), Type.Literal('REFUND_RETURNED')] as const;

const CaseDocument = Type.Object(
  {
    kind: Type.Union([...LEDGER_KINDS], {
      description:
        'REFUND (money paid back), OUTBOUND (goods sent out), OUTBOUND_REVERSAL (an outbound corrected: goods that never left come back on the books), RETURN_NOTE (goods back at the warehouse), EXPENSE_NOTE (a cost: discount, gift, return shipping, repair, a refund with no goods back), CLAIM_RECOVERY (paid by a courier on a claim), PAYMENT_RECEIVED (paid by the customer within the case: an exchange’s price difference for a dearer replacement) or REFUND_RETURNED (a refund the customer’s bank sent back: positive, the refund’s reference and lines; the money never reached the customer and an agent pays it again)',
    }),
    amountMinor: Type.Integer({ description: 'money that moved, signed: a refund paid is negative, a claim recovery positive, as is the price difference a customer paid for a dearer exchange (PAYMENT_RECEIVED when paid; in cases paid before it was booked so, on the replacement’s OUTBOUND); otherwise 0 for warehouse documents and expense notes, whose amounts are in their lines' }),
    currency: Type.String({ description: 'ISO 4217' }),
    reference: Nullable(Type.String({ description: 'a refund, or a refund sent back: the payment provider’s refund id; a claim recovery: the claim id; a reversal: the outbound it reverses; a payment received (or, before it was booked so, an exchange’s outbound with a price difference): the customer’s payment id' })),
    bookedAt: Iso,
    lines: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      description:
        'as booked, by kind: goods lines { sku, quantity, unitCostMinor?, condition?, stockDelta? }; expense lines { purpose, amountMinor }; refund lines name what was paid for ({ kind, amountMinor, … }); a claim recovery { claimId, carrier, trackingNumber, claimedMinor, paidMinor, decidedAt? } (decidedAt: epoch ms of the carrier’s decision, which may fall in an earlier month than bookedAt)',
    }),
    stock: Type.Array(StockMovement, { description: 'the stock movement of each goods line that records one, netted per SKU (empty for money-only documents)' }),
    bankStatus: Type.Optional(BankStatus),
  },
  { additionalProperties: false },
);

export const CaseDocuments = Type.Object(
  {
    caseId: Type.String(),
    documents: Type.Array(CaseDocument, { description: 'in booking order; a customer sees only the refunds' }),
    stockNet: Type.Array(StockMovement, { description: 'the documents’ stock movements netted per SKU (sorted by SKU): what the case moved in the warehouse' }),
  },
  {
    additionalProperties: false,
    description: 'The case’s documents and money, as booked',
    examples: [
      {
        caseId: '3f9c2a7d41b84e06a5d1',
        documents: [
          {
            kind: 'OUTBOUND_REVERSAL',
            amountMinor: 0,
            currency: 'CNY',
            reference: null,
            bookedAt: '2026-03-04T09:12:30.000Z',
            lines: [{ sku: 'KETTLE', quantity: -1, unitCostMinor: 9000, stockDelta: 1 }],
            stock: [{ sku: 'KETTLE', delta: 1 }],
          },
          { kind: 'EXPENSE_NOTE', amountMinor: 0, currency: 'CNY', reference: null, bookedAt: '2026-03-04T09:12:30.000Z', lines: [{ purpose: 'REFUND', amountMinor: 19900 }], stock: [] },
          { kind: 'REFUND', amountMinor: -19900, currency: 'CNY', reference: 'rf_8c1d2e', bookedAt: '2026-03-04T09:12:31.000Z', lines: [{ sku: 'KETTLE', quantity: 1 }], stock: [] },
        ],
        stockNet: [{ sku: 'KETTLE', delta: 1 }],
      },
    ],
  },
);

const CaseInputView = Type.Object(
  {
    seq: Type.Integer({ description: '0 = the opening; then in the order the inputs were recorded' }),
    at: Iso,
    afterMs: Type.Integer({ description: 'milliseconds after the opening (never less than the input before)' }),
    via: Type.String({ description: 'START (the opening), UPDATE or SIGNAL' }),
    kind: Type.String({ description: 'the update or signal name of the case workflows’ contract; for START the workflow type', examples: ['submitReturnShipment'] }),
    workflowId: Type.String({ description: 'where it went: the case’s workflow, or a courier claim’s (claim-<caseId>-<trackingNumber>)' }),
    arg: Type.Unknown({ description: 'the argument exactly as sent; the opening’s is the workflow input with policy (and fulfilment) as { policyVersion }' }),
    sender: Type.Object({ role: Type.String({ description: 'CUSTOMER, STOREFRONT, WAREHOUSE, AGENT, SUPERVISOR, ADMIN, or COURIER for signed callbacks' }), id: Nullable(Type.String({ description: 'the key’s or token’s id; the carrier code of a courier' })) }, { additionalProperties: false }),
    requestId: Nullable(Type.String({ description: 'the request that carried it (x-request-id)' })),
    outcome: Type.String({ description: 'ACCEPTED or REFUSED' }),
    reason: Nullable(Type.String({ description: 'why it was refused: the workflow’s reason, or that the case had ended' })),
  },
  { additionalProperties: false },
);

export const CaseInputs = Type.Object(
  {
    caseId: Type.String(),
    policyVersion: Type.Integer({ description: 'the policy version the case opened under (the opening names it instead of carrying the rules)' }),
    openedAt: Iso,
    inputs: Type.Array(CaseInputView, { description: 'the opening first, then every update and signal sent to the case’s workflows, accepted or refused' }),
  },
  {
    additionalProperties: false,
    description: 'What came into the case from outside, as sent, with its offset from the opening: what a policy what-if sends again',
    examples: [
      {
        caseId: '3f9c2a7d41b84e06a5d1',
        policyVersion: 3,
        openedAt: '2026-03-01T02:00:00.000Z',
        inputs: [
          {
            seq: 0,
            at: '2026-03-01T02:00:00.000Z',
            afterMs: 0,
            via: 'START',
            kind: 'returnAndRefund',
            workflowId: 'case-3f9c2a7d41b84e06a5d1',
            arg: { caseId: '3f9c2a7d41b84e06a5d1', merchantId: 'demo-merchant', policy: { policyVersion: 3 }, openedAt: 1772330400000, order: { orderId: 'SO20260227-0042' }, request: { lines: [{ sku: 'KETTLE', quantity: 1, reason: 'DEFECTIVE' }], evidenceUrls: [] }, customer: { id: 'cust-1', locale: 'zh-CN' } },
            sender: { role: 'STOREFRONT', id: 'key_storefront_1' },
            requestId: 'req-open-1',
            outcome: 'ACCEPTED',
            reason: null,
          },
          {
            seq: 1,
            at: '2026-03-03T11:20:00.000Z',
            afterMs: 206400000,
            via: 'UPDATE',
            kind: 'submitReturnShipment',
            workflowId: 'case-3f9c2a7d41b84e06a5d1',
            arg: { carrier: 'SF', trackingNumber: 'SF1234567890' },
            sender: { role: 'CUSTOMER', id: 'tok_cust_1' },
            requestId: 'req-ship-1',
            outcome: 'ACCEPTED',
            reason: null,
          },
          {
            seq: 2,
            at: '2026-03-03T11:25:00.000Z',
            afterMs: 206700000,
            via: 'UPDATE',
            kind: 'submitReturnShipment',
            workflowId: 'case-3f9c2a7d41b84e06a5d1',
            arg: { carrier: 'SF', trackingNumber: 'SF1234567891' },
            sender: { role: 'CUSTOMER', id: 'tok_cust_1' },
            requestId: 'req-ship-2',
            outcome: 'REFUSED',
            reason: 'the case is at stage AWAITING_ARRIVAL, not AWAITING_RETURN_SHIPMENT',
          },
        ],
      },
    ],
  },
);

export const CaseMessages = Type.Object(
  {
    caseId: Type.String(),
    messages: Type.Array(
      Type.Object(
        {
          template: Type.String({ description: 'which message (caseOpened, returnApproved, refundIssued, revisit …)' }),
          locale: Type.String({ description: 'the language it was written in: the case’s customer locale' }),
          channel: Type.String({ description: 'SMS, EMAIL, APP or CHAT' }),
          subject: Type.Union([Type.String(), Type.Null()], { description: 'as the customer got it; null if it can no longer be rendered' }),
          text: Type.Union([Type.String(), Type.Null()], { description: 'as the customer got it, times in the shop’s time zone; null if it can no longer be rendered' }),
          createdAt: Type.String({ format: 'date-time', description: 'when the case wrote it' }),
          sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when the provider took it; null while it is still to go' }),
          status: Type.Union([Type.Literal('SENT'), Type.Literal('QUEUED'), Type.Literal('RETRYING')], { description: 'SENT; QUEUED, not tried yet; RETRYING, the provider refused it so far (staff see why in lastError)' }),
          attempts: Type.Optional(Type.Integer({ description: 'staff only: failed sends so far' })),
          lastError: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'staff only: the last send’s error' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'The messages the case sent its customer, oldest first' },
);

export const EvidenceAdded = Type.Object({ caseId: Type.String(), added: Type.Integer({ description: 'how many of the links were new: a link the case has already is not added again' }) }, { additionalProperties: false });
export const NoteAdded = Type.Object({ caseId: Type.String() }, { additionalProperties: false });
export const CourierEventAccepted = Type.Object(
  { accepted: Type.Boolean(), matched: Type.Boolean({ description: 'the tracking number belongs to a case' }), duplicate: Type.Optional(Type.Boolean({ description: 'this eventId was received before (not passed on again)' })) },
  { additionalProperties: false },
);
export const ClaimDecisionAccepted = Type.Object({ accepted: Type.Boolean(), caseId: Type.String(), duplicate: Type.Boolean({ description: 'true: the same decision was taken before (a retried callback); nothing happened again' }) }, { additionalProperties: false });

/** Read views whose rows are described in their route summaries; the envelope is fixed. */
export const Report = (description: string) => Type.Object({}, { additionalProperties: true, description });

export const PolicyHistory = Type.Object(
  {
    merchantId: Type.String(),
    items: Type.Array(
      Type.Object({
        version: Type.Integer(),
        publishedAt: Iso,
        publishedBy: Nullable(Type.String({ description: 'the key that published it (`admin:<key id>`); null for the defaults a merchant starts with and versions published before this was kept' })),
        publisherLabel: Nullable(Type.String({ description: "that key's label, as whoever issued it named it; null when not known (a key since deleted)" })),
        note: Nullable(Type.String({ description: 'why, as the publisher said it' })),
        changed: Type.Array(Type.String(), { description: 'what it changed from the version before, as publishing names the fields (rules.noReasonReturnDays, businessHours.holidays, fulfilment.carriers.SF); empty for the first version' }),
      }),
      { description: 'newest first, at most 100' },
    ),
  },
  { additionalProperties: false },
);

export const Health = Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false });
export const Readiness = Type.Object(
  {
    database: Type.String({ description: 'ok, unavailable, or not migrated (naming the newest migration the database lacks: run npm run migrate; a 503)' }),
    temporal: Type.String({ description: 'ok or unavailable' }),
    worker: Type.String({ description: 'polling (a worker polled the case queue within 2 minutes), none polling (cases wait until one does; not a reason for 503: the API still accepts them) or unknown (Temporal did not answer)' }),
  },
  { additionalProperties: false },
);
export const CustomerToken = Type.Object(
  { token: Type.String({ description: 'send as Authorization: Bearer <token>; shown this once' }), tokenId: Type.String({ description: 'to revoke it' }), customerId: Type.String(), expiresAt: Iso },
  { additionalProperties: false },
);
export const CustomerTokenRevoked = Type.Object({ tokenId: Type.String(), customerId: Nullable(Type.String()), expiresAt: Nullable(Iso), revokedAt: Nullable(Iso) }, { additionalProperties: false });
export const CustomerTokens = Type.Object(
  { customerId: Type.String(), items: Type.Array(Type.Object({ tokenId: Type.String(), createdAt: Iso, expiresAt: Nullable(Iso) }, { additionalProperties: false })) },
  { additionalProperties: false, description: 'the customer’s live tokens, oldest first (never the tokens themselves)' },
);
export const CustomerTokensRevoked = Type.Object(
  { customerId: Type.String(), revoked: Type.Array(Type.String(), { description: 'the ids of the tokens revoked now (none: the customer had no live token)' }), revokedAt: Iso },
  { additionalProperties: false },
);

// ---- the console (issue 13) ----

export const ConsoleSession = Type.Object(
  {
    role: Type.Union([Type.Literal('AGENT'), Type.Literal('SUPERVISOR'), Type.Literal('ADMIN'), Type.Literal('WAREHOUSE')]),
    merchantId: Nullable(Type.String({ description: 'null for ADMIN (every merchant)' })),
    merchantName: Nullable(Type.String()),
    actorId: Type.String({ description: 'what the API records as the actor of this key’s commands; cases assigned to this id are "mine" (GET /v1/cases?mine=true)' }),
    label: Nullable(Type.String({ description: 'the key’s label' })),
    keyId: Type.String(),
    temporalUi: Type.Optional(
      Type.Object(
        { url: Nullable(Type.String({ description: 'the Temporal Web UI ops open (null: not configured; TEMPORAL_UI_URL)' })), namespace: Type.String() },
        {
          additionalProperties: false,
          description: "where the console links a case's workflow; for ADMIN keys only (the platform's operators): that UI has no sign-in and shows every merchant's workflows",
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'Who this key is in the console: what it may see and do' },
);

/** One message of GET /v1/case-changes (`event: case`): what a list shows of the case that changed. */
export const CaseChangeEvent = Type.Object(
  { caseId: Type.String(), merchantId: Type.String(), type: Type.String(), stage: Type.String(), status: Type.String(), updatedAt: Iso },
  { additionalProperties: false },
);

export const WarehouseTasks = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          caseId: Type.String(),
          type: Type.String(),
          stage: Type.String(),
          task: Type.String({
            description:
              'RECEIVE_RETURN, RECEIVE_INTERCEPTED_PARCEL, RECEIVE_SUBSTITUTE (an exchange’s loan product due back: its line is the loan), INSPECT_RETURN, INSPECT_SUBSTITUTE (the loan product scanned back in), VERIFY_DISPATCH (missing items, a lost parcel), VERIFY_WRONG_ITEM, CHECK_OUTGOING, PACK_RESHIPMENT (a re-shipment or a replacement), REPAIR, SHIP_ORDER, SEND_SUBSTITUTE (an urgent exchange’s loan product to send out at once: listed first, due when it was lent; done with POST /v1/cases/{caseId}/substitute-sent, its line is the loan) or OTHER',
          }),
          command: Type.Optional(Type.String({ description: 'the call that does the task, e.g. POST /v1/cases/{caseId}/inspection (the case id filled in)' })),
          what: Type.Optional(Type.String({ description: 'the task in words' })),
          dueAt: Nullable(Iso),
          late: Type.Boolean(),
          escalated: Type.Boolean(),
          orderId: Type.String(),
          returnTrackingNumber: Nullable(Type.String()),
          lines: Type.Array(Type.Object({ sku: Type.String(), name: Type.String(), quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), {
            description: 'what to expect or check: the lines the case is about (returned, missing, to re-ship), or the whole order when the case names none',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'Cases waiting on the warehouse, soonest deadline first' },
);

export const ParcelLookup = Type.Object(
  {
    trackingNumber: Type.String({ description: 'as the platform keeps it (white space gone, upper case, half width)' }),
    cases: Type.Array(
      Type.Object(
        {
          caseId: Type.String(),
          type: Type.String(),
          stage: Type.String(),
          status: Type.String(),
          role: Type.String({ description: "what the parcel is to the case: RETURN (the customer's return), OUTBOUND (goods the shop sent again: a re-shipment, a replacement, an exchange's), ORIGINAL (the order's own delivery)" }),
          carrier: Nullable(Type.String()),
          orderId: Type.String(),
          task: Nullable(Type.String({ description: "the warehouse's task when the case waits on it (as GET /v1/warehouse/tasks names it), else null" })),
          command: Type.Optional(Type.String({ description: 'the call that does the task' })),
          lines: Type.Array(Type.Object({ sku: Type.String(), name: Type.String(), quantity: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), { description: 'what to expect in it or check, as the task list names them' }),
        },
        { additionalProperties: false },
      ),
      { description: 'open cases first, newest first; empty when the parcel is no case’s' },
    ),
  },
  { additionalProperties: false, description: 'The cases a parcel in hand belongs to, without booking it in' },
);

// ---- the reports (004 §六–§七, 002, 003 §8) ----
// Property order is the order the handlers build their answers in: the serializer writes the
// schema's order, so keeping it leaves the answers byte for byte as they were.

const LocalDay = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local date YYYY-MM-DD' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'local month YYYY-MM' });
/** Figures are rounded to two decimals: Number, not Integer (the serializer would truncate them). */
const Rate = (description: string) => Nullable(Type.Number({ description: `${description}; null where there is nothing to divide by` }));
const Minor = (description?: string) => Type.Integer(description ? { description } : {});

export const FigureRow = Type.Object(
  {
    period: Type.String({ description: 'the first local day of the period (day, ISO week from Monday, or month), YYYY-MM-DD' }),
    key: Nullable(Type.String({ description: 'the breakdown’s value (case type, agent id, carrier, merchant); null without a breakdown, or for cases without one (unassigned, no carrier)' })),
    cases: Type.Integer({ description: 'cases opened in the period' }),
    resolved: Type.Integer(),
    onTime: Type.Integer({ description: 'cases that missed no deadline (never `late`: the same-day solution, a warehouse task or inspection, a return’s refund, a complaint’s handling time, a delivery); a case still open counts until it misses one' }),
    revisited: Type.Integer({ description: 'cases whose revisit was answered' }),
    satisfied: Type.Integer({ description: 'revisit answers 4 or 5 of 5' }),
    complaints: Type.Integer({ description: 'COMPLAINT cases opened' }),
    orders: Type.Integer({ description: 'the period’s orders as the storefront reported them (PUT /v1/order-counts/:day)' }),
    satisfactionPct: Rate('satisfied / revisited × 100'),
    resolutionPct: Rate('resolved / cases × 100'),
    complaintPermille: Rate('complaints / orders × 1000'),
    onTimePct: Rate('onTime / cases × 100'),
  },
  { additionalProperties: false },
);

export const FiguresReport = Type.Object(
  {
    merchantId: Nullable(Type.String({ description: 'null: all merchants (admins)' })),
    from: LocalDay,
    to: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local date YYYY-MM-DD, exclusive (the day after `from` when not given)' }),
    timeZone: Type.String({ description: 'the zone whose local days the periods are (the merchant’s business calendar; all merchants: Asia/Shanghai)' }),
    rows: Type.Array(FigureRow, { description: 'by period, then key (null first); a period and key without cases has no row' }),
  },
  { additionalProperties: false, description: 'Satisfaction, resolution, complaint and on-time rates per period and breakdown' },
);

const costFields = {
  refundsMinor: Minor('refunds paid'),
  replacementGoodsMinor: Minor('goods sent out again, at cost'),
  logisticsMinor: Minor('return shipping paid'),
  repairsMinor: Minor('repairs done for the customer: parts and labour'),
  compensationMinor: Minor('compensation and gifts'),
  recoveredMinor: Minor('paid back by carriers on claims'),
  netMinor: Minor('everything spent less what the carriers paid back'),
};

export const MonthCosts = Type.Object(
  {
    merchantId: Type.String(),
    period: Month,
    timeZone: Type.String({ description: 'the merchant’s zone: the month is its local month' }),
    ...costFields,
    currency: Type.String({ description: 'ISO 4217; only ledger entries in this currency count' }),
    otherCurrencies: Type.Array(Type.String(), { description: 'the other currencies the month booked entries in (ask again with `currency=` for each): empty when this total is the whole month' }),
    budgetMinor: Nullable(Minor('the month’s budget; null when none is set in this currency')),
    remainingMinor: Nullable(Minor('budget less net cost (negative: over budget); null without a budget')),
    overBudget: Nullable(Type.Boolean({ description: 'null without a budget' })),
  },
  { additionalProperties: false, description: 'A month’s after-sales cost against its budget, minor units' },
);

export const CaseCosts = Type.Object(
  { caseId: Type.String(), currency: Type.String({ description: 'the case’s currency (ISO 4217)' }), ...costFields },
  { additionalProperties: false, description: 'The case’s cost from its ledger, minor units' },
);

export const OrderCount = Type.Object({ merchantId: Type.String(), day: LocalDay, orders: Type.Integer() }, { additionalProperties: false, description: 'The orders of the local day, as recorded' });
export const Budget = Type.Object({ merchantId: Type.String(), period: Month, amountMinor: Type.Integer(), currency: Type.String() }, { additionalProperties: false, description: 'The month’s budget, as recorded' });

export const RootCauseBy = Type.Union([Type.Literal('category'), Type.Literal('subCause'), Type.Literal('warehouse'), Type.Literal('sku'), Type.Literal('carrier')]);

export const RootCauseCounts = Type.Object(
  {
    merchantId: Type.String(),
    from: LocalDay,
    to: LocalDay,
    by: RootCauseBy,
    rows: Type.Array(
      Type.Object(
        {
          key: Nullable(Type.String({ description: 'category, CATEGORY.SUB_CAUSE, warehouse, SKU or carrier; null where the cause names none' })),
          cases: Type.Integer({ description: 'cases whose latest recorded cause this is' }),
          share: Type.Number({ description: 'percent of the period’s cases with a cause, two decimals' }),
        },
        { additionalProperties: false },
      ),
      { description: 'the biggest first' },
    ),
  },
  { additionalProperties: false, description: 'Root causes of the cases opened in the period, the biggest first' },
);

const SkuQuantity = Type.Object({ sku: Type.String(), quantity: Type.Integer() }, { additionalProperties: false });

export const RegisterRow = Type.Object(
  {
    day: LocalDay,
    caseId: Type.String(),
    type: Type.String(),
    orderId: Type.String(),
    customerId: Type.String(),
    openedAt: Iso,
    status: Type.String({ description: 'the case’s status now' }),
    assigneeId: Nullable(Type.String()),
    late: Type.Boolean(),
    escalated: Type.Boolean(),
    closedAt: Nullable(Iso),
    progress: Type.Array(Type.String(), { description: 'the steps of that day, in order (empty: the case was waiting)' }),
    // What the shop's procedure asks per case type; null where the type has none or it is not known by the day's end.
    customerHandle: Nullable(Type.String({ description: 'transit damage: the customer’s shop handle (旺旺名)' })),
    items: Nullable(
      Type.Array(
        Type.Object(
          {
            // A wrong-item case's request always names the SKU ordered; only a row written without one (imported data) has none.
            sku: Nullable(Type.String()),
            quantity: Nullable(Type.Integer({ description: 'null for a wrong item before the warehouse verified what was short' })),
          },
          { additionalProperties: false },
        ),
        { description: 'the goods the case is about (damaged, missing, faulty; a return’s as an agent approved them, once one approved a part of the request; for a wrong item what was short once verified, the SKU ordered before)' },
      ),
    ),
    wrongItems: Nullable(Type.Array(SkuQuantity, { description: 'wrong item: what came instead, once the warehouse verified it' })),
    damageDegree: Nullable(Type.String({ description: 'transit damage: MINOR or SEVERE (the agent’s assessment once made, the customer’s report before)' })),
    fault: Nullable(Type.String({ description: 'quality problem: the fault as the customer described it' })),
    remedy: Nullable(Type.String({ description: 'quality problem: DISCOUNT, REFUND, RESHIP or REPAIR' })),
    stage: Type.String({ description: 'the stage at the end of the day' }),
    rootCause: Nullable(Type.Object({ category: Type.String(), subCause: Type.String() }, { additionalProperties: false, description: 'missing items and wrong item: the latest recorded root cause' })),
  },
  { additionalProperties: false },
);

export const Register = Type.Object(
  {
    merchantId: Type.String(),
    from: LocalDay,
    to: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'local date YYYY-MM-DD, exclusive (the day after `from` when not given)' }),
    timeZone: Type.String(),
    total: Type.Integer({ description: 'rows in the whole range (every page)' }),
    rows: Type.Array(RegisterRow, { description: 'this page’s rows (at most `limit`): one per case and local day it was open, by day, then opening' }),
    next: Nullable(Type.String({ description: 'pass as `after` for the next page; null on the last page' })),
  },
  { additionalProperties: false, description: 'JSON: a page of the register’s rows; with format=csv (text/csv, with BOM) or format=xlsx every row as a file' },
);

export const LedgerReport = Type.Object(
  {
    merchantId: Type.String(),
    from: LocalDay,
    to: LocalDay,
    timeZone: Type.String({ description: 'the merchant’s zone: the days are its local days' }),
    entries: Type.Array(
      Type.Object({ id: Type.String({ description: 'the entry’s number in booking order' }), caseId: Type.String(), caseType: Type.String(), orderId: Type.String(), ...CaseDocument.properties }, { additionalProperties: false }),
      { description: 'this page of the entries booked in the range, in booking order' },
    ),
    totals: Type.Array(
      Type.Object({ kind: Type.String(), currency: Type.String(), count: Type.Integer(), amountMinor: Type.Integer({ description: 'the sum of the entries’ signed amounts (refunds negative)' }) }, { additionalProperties: false }),
      { description: 'the whole range (every page), per kind and currency' },
    ),
    expenses: Type.Array(
      Type.Object(
        {
          purpose: Type.String({ description: 'what the lines were for: RETURN_SHIPPING, GIFT, DISCOUNT, REPAIR, REFUND (a refund with no goods back) …' }),
          currency: Type.String(),
          count: Type.Integer({ description: 'lines of this purpose' }),
          amountMinor: Type.Integer({ description: 'what they spent, minor units (positive)' }),
        },
        { additionalProperties: false },
      ),
      { description: 'the whole range’s expense notes (every page) by the purpose of their lines, per currency: an EXPENSE_NOTE entry’s own amountMinor is 0 (its total above too), its money is in its lines. REFUND and DISCOUNT lines document money a REFUND entry paid (a refund with no goods back): counted in the REFUND total already, not to be added to it. Empty when `kind` leaves expense notes out' },
    ),
    next: Nullable(Type.String({ description: 'pass as `after` for the next page; null on the last' })),
  },
  { additionalProperties: false, description: 'The merchant’s documents and money booked in a range of local days: refunds, claim recoveries, warehouse documents and expense notes of every case, by when they were booked' },
);
