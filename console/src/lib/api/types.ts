/** Names for the API's answers, taken from the generated OpenAPI types (schema.d.ts), never hand-copied. */
// `.js`: the chart builders that use these names are also compiled by the platform's tsc (NodeNext) for their tests.
import type { paths } from './schema.js';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? Json<R[200 & keyof R]> : never;
/** The answer of a command taken asynchronously (202 Accepted). */
type Accepted<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? Json<R[202 & keyof R]> : never;

export type CasePage = Ok<'/v1/cases', 'get'>;
export type CaseRow = CasePage['items'][number];
export type ListQuery = NonNullable<paths['/v1/cases']['get']['parameters']['query']>;
export type CaseDetail = Ok<'/v1/cases/{caseId}', 'get'>;
export type CaseOrder = NonNullable<CaseDetail['order']>;
export type OrderItem = CaseOrder['items'][number];
export type TimelineEntry = CaseDetail['timeline'][number];
export type Evidence = CaseDetail['evidence'][number];
export type WaitingFor = NonNullable<CaseDetail['waitingFor']>;
export type CaseDocuments = Ok<'/v1/cases/{caseId}/documents', 'get'>;
/** A merchant as its admin routes answer it (GET and PUT), with its newest policy version. */
export type Merchant = Ok<'/v1/admin/merchants/{merchantId}', 'get'>;
export type CaseDocument = CaseDocuments['documents'][number];
export type WarehouseTasks = Ok<'/v1/warehouse/tasks', 'get'>;
export type WarehouseTask = WarehouseTasks['items'][number];
export type CommandReply = Ok<'/v1/cases/{caseId}/proposals', 'post'>;
export type ArrivalReply = Accepted<'/v1/warehouse/arrivals', 'post'>;
export type RefundPaidAgain = Accepted<'/v1/cases/{caseId}/refunds/{refundId}/pay-again', 'post'>;
export type CaseRefund = Ok<'/v1/cases/{caseId}/refunds/{refundId}', 'get'>;
export type HeldParcels = Ok<'/v1/warehouse/held-parcels', 'get'>;
export type HeldParcel = HeldParcels['items'][number];
export type CaseCosts = Ok<'/v1/cases/{caseId}/costs', 'get'>;
export type CaseMessages = Ok<'/v1/cases/{caseId}/messages', 'get'>;
export type FiguresReport = Ok<'/v1/figures', 'get'>;
export type FigureRow = FiguresReport['rows'][number];
export type MonthCosts = Ok<'/v1/costs', 'get'>;
export type RootCauseReport = Ok<'/v1/root-causes', 'get'>;
export type PolicyHistory = Ok<'/v1/admin/merchants/{merchantId}/policies', 'get'>;
export type PolicyHistoryItem = PolicyHistory['items'][number];
export type RootCauseRow = RootCauseReport['rows'][number];
export type Register = Ok<'/v1/register', 'get'>;
export type RegisterRow = Register['rows'][number];

type Body<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;
export type ProposalBody = Body<'/v1/cases/{caseId}/proposals'>;
export type ResolutionBody = Body<'/v1/cases/{caseId}/resolution'>;
export type ComplaintBody = Body<'/v1/cases/{caseId}/complaint'>;
/** The complaint case a complaint about a case opened (201), or the one the same complaint opened a moment ago (200). */
export type OpenedComplaint = Ok<'/v1/cases/{caseId}/complaint', 'post'>;
export type RootCauseBody = Body<'/v1/cases/{caseId}/root-cause'>;
export type InspectionBody = Body<'/v1/cases/{caseId}/inspection'>;
export type ArrivalBody = Body<'/v1/warehouse/arrivals'>;
export type DamageAssessmentBody = Body<'/v1/cases/{caseId}/damage-assessment'>;
export type MisuseFindingBody = Body<'/v1/cases/{caseId}/misuse-finding'>;
export type DelayCauseBody = Body<'/v1/cases/{caseId}/delay-cause'>;
export type ComplaintResolutionBody = Body<'/v1/cases/{caseId}/complaint-resolution'>;
export type DispatchConfirmationBody = Body<'/v1/cases/{caseId}/dispatch-confirmation'>;
export type WrongItemFindingsBody = Body<'/v1/cases/{caseId}/wrong-item-findings'>;
export type WarehouseCheckBody = Body<'/v1/cases/{caseId}/warehouse-check'>;
export type RepairBody = Body<'/v1/cases/{caseId}/repair'>;
export type ReshipmentBody = Body<'/v1/cases/{caseId}/reshipment'>;
export type ParcelCorrectionBody = Body<'/v1/cases/{caseId}/parcel-correction'>;
export type LoanSentBody = Body<'/v1/cases/{caseId}/substitute-sent'>;
export type OutgoingCheckBody = Body<'/v1/cases/{caseId}/outgoing-check'>;
export type OutgoingCheckFailureBody = Body<'/v1/cases/{caseId}/outgoing-check-failure'>;
export type CarrierRefusalBody = Body<'/v1/cases/{caseId}/carrier-refusal'>;
export type ReturnShipmentBody = Body<'/v1/cases/{caseId}/return-shipment'>;
export type ProposalAnswerBody = Body<'/v1/cases/{caseId}/proposal-answer'>;
export type RemedyChoiceBody = Body<'/v1/cases/{caseId}/remedy-choice'>;
export type RevisitBody = Body<'/v1/cases/{caseId}/revisit'>;

/** A decision the workflow made by itself (the timeline's `decision`): rule, values, policy version, outcome. */
export interface Decision {
  rule: string;
  values: Record<string, unknown>;
  outcome: string;
  policyVersion: number;
}

export type Agents = Ok<'/v1/agents', 'get'>;
/** API keys as an admin lists them (never the keys themselves). */
export type KeyList = Ok<'/v1/admin/keys', 'get'>;
export type Agent = Agents['items'][number];
