import type { Client } from '@temporalio/client';
import type { FastifyRequest } from 'fastify';
import type { CaseSummary, Repositories } from '../db/repositories.js';
import { caseWorkflowId } from '../workflows/contract.js';
import { canSee } from './auth.js';
import { conflict, notFound } from './errors.js';

export interface ApiDeps {
  repos: Repositories;
  temporal: Client;
  /** HMAC secrets of courier callbacks, per carrier code. */
  courierSecrets: Record<string, string>;
  now?: () => number;
}

/** The case, if the caller may see it (else 404, never 403: ids cannot be probed). */
export async function visibleCase(deps: ApiDeps, request: FastifyRequest, caseId: string): Promise<CaseSummary> {
  const c = await deps.repos.caseById(caseId);
  if (!c || !request.principal || !canSee(request.principal, c)) throw notFound();
  return c;
}

/** The case's workflow, for a command that needs the case to be still open. */
export function openWorkflow(deps: ApiDeps, c: CaseSummary) {
  if (c.status === 'CLOSED') throw conflict('the case is closed');
  return deps.temporal.workflow.getHandle(caseWorkflowId(c.id));
}

export const actorOf = (request: FastifyRequest) => ({ kind: request.principal!.role.toLowerCase() as 'agent', id: request.principal!.id });

/** JSON-safe view of a case row (BigInt amounts as numbers of minor units). */
export function caseView(c: CaseSummary) {
  return { ...c, requestedAmountMinor: Number(c.requestedAmountMinor), refundedAmountMinor: Number(c.refundedAmountMinor) };
}
