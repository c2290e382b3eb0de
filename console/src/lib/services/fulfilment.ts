/**
 * What agents and the warehouse report to the fulfilment case types (api/routes/fulfilment.ts,
 * exchanges.ts, complaints.ts): assessments, findings, checks, repairs and parcels sent. Each is a
 * workflow update, so a case not at the stage that waits for it is refused with the workflow's reason.
 */
import { get, post } from '../api';
import type {
  CarrierRefusalBody,
  CommandReply,
  ParcelCorrectionBody,
  ComplaintResolutionBody,
  DamageAssessmentBody,
  DelayCauseBody,
  LoanSentBody,
  DispatchConfirmationBody,
  MisuseFindingBody,
  OutgoingCheckBody,
  OutgoingCheckFailureBody,
  RepairBody,
  ReshipmentBody,
  WarehouseCheckBody,
  RefundPaidAgain,
  CaseRefund,
  WrongItemFindingsBody,
} from '../api/types';

const on = (caseId: string, action: string) => `/v1/cases/${encodeURIComponent(caseId)}/${action}`;

export const assessDamage = (caseId: string, body: DamageAssessmentBody) => post<CommandReply>(on(caseId, 'damage-assessment'), body);
export const recordMisuseFinding = (caseId: string, body: MisuseFindingBody) => post<CommandReply>(on(caseId, 'misuse-finding'), body);
export const recordDelayCause = (caseId: string, body: DelayCauseBody) => post<CommandReply>(on(caseId, 'delay-cause'), body);
export const resolveComplaint = (caseId: string, body: ComplaintResolutionBody) => post<CommandReply>(on(caseId, 'complaint-resolution'), body);
export const confirmDispatch = (caseId: string, body: DispatchConfirmationBody) => post<CommandReply>(on(caseId, 'dispatch-confirmation'), body);
export const reportWrongItem = (caseId: string, body: WrongItemFindingsBody) => post<CommandReply>(on(caseId, 'wrong-item-findings'), body);
export const reportWarehouseCheck = (caseId: string, body: WarehouseCheckBody) => post<CommandReply>(on(caseId, 'warehouse-check'), body);
export const recordRepair = (caseId: string, body: RepairBody) => post<CommandReply>(on(caseId, 'repair'), body);
export const reportReshipment = (caseId: string, body: ReshipmentBody) => post<CommandReply>(on(caseId, 'reshipment'), body);
/** The parcel the case follows was given under a wrong number: the right one (the number corrected names the one followed). */
export const correctParcel = (caseId: string, body: ParcelCorrectionBody) => post<CommandReply>(on(caseId, 'parcel-correction'), body);
/** An urgent exchange's loan product handed to the carrier (the warehouse's task SEND_SUBSTITUTE). */
export const reportLoanSent = (caseId: string, body: LoanSentBody) => post<CommandReply>(on(caseId, 'substitute-sent'), body);
export const reportOutgoingCheck = (caseId: string, body: OutgoingCheckBody) => post<CommandReply>(on(caseId, 'outgoing-check'), body);
/** A refund the bank sent back, paid again (202: the payment runs as its own workflow). */
/** One of a case's refunds: where its money is and, sent back, what paying it again would pay now. */
export const getCaseRefund = (caseId: string, refundId: string) => get<CaseRefund>(on(caseId, `refunds/${encodeURIComponent(refundId)}`));
export const payRefundAgain = (caseId: string, refundId: string, note: string) => post<RefundPaidAgain>(on(caseId, `refunds/${encodeURIComponent(refundId)}/pay-again`), note ? { note } : {});
export const reportOutgoingCheckFailure = (caseId: string, body: OutgoingCheckFailureBody) => post<CommandReply>(on(caseId, 'outgoing-check-failure'), body);
export const reportCarrierRefusal = (caseId: string, body: CarrierRefusalBody) => post<CommandReply>(on(caseId, 'carrier-refusal'), body);
