/**
 * What happens after each opening, for the OpenAPI page (api/openapi.ts adds it to the route): an
 * integrator reading only that page learned the roles an opening needs and nothing of who acts next
 * or with which command. The procedures themselves: docs/after-sales.md.
 */
const AFTER =
  'The answer (201) holds the `caseId`; `GET /v1/cases/{caseId}` shows its `stage` and `waitingFor` (who acts next, with which command, by when) at every step, and `GET /v1/cases/{caseId}/messages` what the customer was told. The same request again with its `reference` (or `Idempotency-Key`) is the same case.';

export const OPENING_HOW: Readonly<Record<string, string>> = {
  '/v1/returns':
    'A return and refund (退货退款). Within the policy’s no-reason window and amount it is approved at once; otherwise an agent decides (`POST …/proposals`, all or some lines). The customer sends the goods with the return code (`POST …/return-shipment`), the warehouse scans them in (`POST /v1/warehouse/arrivals`) and inspects them (`POST …/inspection`), and what came back in order is refunded; a revisit (`POST …/revisit`) follows.',
  '/v1/exchanges':
    'An exchange or a re-shipment (换货 / 补发). A dearer replacement is paid first (`POST …/difference-paid`); the old goods come back (`…/return-shipment`, arrival scan, `…/inspection`) before or after the replacement goes out, as the policy says; the warehouse checks and packs the replacement (`POST …/outgoing-check`, or `…/outgoing-check-failure`) and ships it (`POST …/reshipment`); it is followed until delivered. An urgent customer may be lent a product (`substitute`), asked back later.',
  '/v1/missing-items':
    'Missing items (少货). The warehouse checks its three records (`POST …/warehouse-check`); records that say the parcel left complete go to an agent (`POST …/resolution`); small and light goods are refunded at once; otherwise the customer chooses a refund or a re-shipment (`POST …/remedy-choice`, silence refunds) and the warehouse ships (`POST …/reshipment`).',
  '/v1/refunds-before-shipping':
    'A refund before shipping (仅退款-未发货). The warehouse system is asked where the order is: not picked and a clear reason → cancelled and refunded at once; picked, or an unclear reason → the merchant answers (`POST …/proposals`, APPROVE or REJECT; silence refunds); already shipped (at the first look, after the merchant’s answer, or as it is cancelled) → never refunded as unshipped: with the parcel’s number on the warehouse’s record the case, keeping its type, goes on as a refund after shipping (FOUND_SHIPPED; the courier asked to bring the parcel back; back at the warehouse, `POST /v1/warehouse/arrivals` and `POST …/inspection`, it is refunded; delivered already, the customer is pointed to a return), and without one it closes ALREADY_SHIPPED, the customer told to refuse or return the parcel.',
  '/v1/refunds-after-shipping':
    'A refund after shipping (仅退款-已发货). Delivered → the customer is pointed to a return. In transit → the courier is asked to intercept it and the customer to refuse it; back at the warehouse (`POST /v1/warehouse/arrivals`, `POST …/inspection`, or the courier’s signed events) it is refunded, and at the interception’s deadline it is refunded anyway.',
  '/v1/delays':
    'A delivery delay (延误). Not yet past the expected arrival: explained and followed. Past it: an agent records the cause and the new arrival (`POST …/delay-cause`); the courier’s cause is explained, the shop’s own is apologised for and compensated per day late. Followed until delivered (courier events, or the trace), then a revisit.',
  '/v1/lost-parcels':
    'A lost parcel (货物丢失). The warehouse confirms the dispatch with its tracking number and proof (`POST …/dispatch-confirmation`); the courier’s trace decides: lost on the way → a courier claim of its own; never handed over, or never received by the courier → the shop’s responsibility; still moving → followed as a delay. The customer chooses a re-shipment or a refund (`POST …/remedy-choice`, silence refunds) without waiting for any claim.',
  '/v1/quality-problems':
    'A quality problem (质量问题). An agent establishes whether it was misuse (`POST …/misuse-finding`); if not, a small discount is offered and the customer answers (`POST …/proposal-answer`); one who insists chooses a refund, an exchange or (where the shop repairs) a repair (`POST …/remedy-choice`) and sends the goods back at the shop’s cost (`…/return-shipment`, arrival scan, `…/inspection`); a repair is recorded with `POST …/repair`.',
  '/v1/transit-damage':
    'Transit damage (运输破损). Photos first; an agent assesses the degree, cause and what is possible (`POST …/damage-assessment`). Minor → a partial refund under the policy’s cap (above it an agent decides, `POST …/resolution`); severe → the goods come back and are refunded, or a partial or full refund when they cannot. Damage in transport is claimed from the courier on its own.',
  '/v1/tracking-inquiries':
    'Where is my parcel / please hurry (查件 / 催件). With a shipment, the courier’s trace is read and answered in words; a stalled, untraced or difficult parcel goes to an agent. Without one, the warehouse system is asked: past the promised ship time the customer gets an apology and the warehouse ships now (`POST …/reshipment`); the parcel is followed until delivered.',
  '/v1/wrong-items':
    'A wrong item (错货). The barcode of what arrived is checked against the order: the same → explained and closed. Otherwise the warehouse records what was short and what came instead (`POST …/wrong-item-findings`); goods worth returning come back for an exchange or a refund (`POST …/remedy-choice`), cheaper ones are offered at a discount (`POST …/proposal-answer`) or kept as a gift. An agent records the root cause (`POST …/root-cause`) before the case resolves.',
  '/v1/complaints':
    'A complaint (投诉). Its priority follows from what it is about, whether it repeats one and whether the customer threatens to escalate; an agent answers within the policy’s hours for that priority and records the plan, the cause and the improvement (`POST …/complaint-resolution`). A complaint about an existing case is made on that case instead (`POST /v1/cases/{caseId}/complaint`).',
};

/** The description of an opening route: what happens next, then what its answer and reads hold. */
export const openingDescription = (url: string): string | undefined => (OPENING_HOW[url] ? `${OPENING_HOW[url]}\n\n${AFTER}` : undefined);
