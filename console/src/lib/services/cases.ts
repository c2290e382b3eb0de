/** The cases area of the API: the queue, a case and its ledger, and what agents tell a case. */
import { get, post } from '../api';
import type { ArrivalBody, ArrivalReply, CaseCosts, CaseMessages, ComplaintBody, OpenedComplaint, CaseDetail, CaseDocuments, CasePage, CommandReply, InspectionBody, ListQuery, ProposalAnswerBody, ProposalBody, RemedyChoiceBody, ResolutionBody, ReturnShipmentBody, RevisitBody, RootCauseBody } from '../api/types';

const enc = encodeURIComponent;

export const listCases = (query: ListQuery, signal?: AbortSignal) => get<CasePage>('/v1/cases', query as Record<string, string>, signal);
export const getCase = (caseId: string, signal?: AbortSignal) => get<CaseDetail>(`/v1/cases/${enc(caseId)}`, undefined, signal);
export const caseDocuments = (caseId: string) => get<CaseDocuments>(`/v1/cases/${enc(caseId)}/documents`);
export const caseCosts = (caseId: string) => get<CaseCosts>(`/v1/cases/${enc(caseId)}/costs`);
/** What the customer was told, rendered as they read it, with whether each went out. */
export const caseMessages = (caseId: string) => get<CaseMessages>(`/v1/cases/${enc(caseId)}/messages`);

export const propose = (caseId: string, body: ProposalBody) => post<CommandReply>(`/v1/cases/${enc(caseId)}/proposals`, body);
export const resolve = (caseId: string, body: ResolutionBody) => post<CommandReply>(`/v1/cases/${enc(caseId)}/resolution`, body);
export const recordRootCause = (caseId: string, body: RootCauseBody) => post<unknown>(`/v1/cases/${enc(caseId)}/root-cause`, body);
export const assign = (caseId: string, agentId: string) => post<CommandReply>(`/v1/cases/${enc(caseId)}/assignment`, { agentId });
export const escalate = (caseId: string, reason: string) => post<CommandReply>(`/v1/cases/${enc(caseId)}/escalations`, { reason });
// The customer's withdrawal, entered by staff for what the customer said (the step names the staff member).
export const withdraw = (caseId: string, reason: string) => post<CommandReply>(`/v1/cases/${enc(caseId)}/withdrawal`, { reason });
export const clearEscalation = (caseId: string, note: string) => post<CommandReply>(`/v1/cases/${enc(caseId)}/de-escalation`, { note });
// A customer who complains about a case (on the phone, by email…): a linked COMPLAINT case, recorded by the staff member.
export const recordComplaint = (caseId: string, body: ComplaintBody) => post<OpenedComplaint>(`/v1/cases/${enc(caseId)}/complaint`, body);
export const addNote = (caseId: string, text: string) => post<unknown>(`/v1/cases/${enc(caseId)}/notes`, { text });
export const inspect = (caseId: string, body: InspectionBody) => post<CommandReply>(`/v1/cases/${enc(caseId)}/inspection`, body);
// A customer's answers, entered by staff for them (what the customer said on the phone): the step names the staff member.
export const enterReturnShipment = (caseId: string, body: ReturnShipmentBody) => post<CommandReply>(`/v1/cases/${enc(caseId)}/return-shipment`, body);
export const enterProposalAnswer = (caseId: string, body: ProposalAnswerBody) => post<CommandReply>(`/v1/cases/${enc(caseId)}/proposal-answer`, body);
export const enterRemedyChoice = (caseId: string, body: RemedyChoiceBody) => post<CommandReply>(`/v1/cases/${enc(caseId)}/remedy-choice`, body);
export const enterRevisitAnswer = (caseId: string, body: RevisitBody) => post<CommandReply>(`/v1/cases/${enc(caseId)}/revisit`, body);
export const scanArrival = (body: ArrivalBody) => post<ArrivalReply>('/v1/warehouse/arrivals', body);
