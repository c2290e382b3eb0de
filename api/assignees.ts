import type { ApiDeps } from './context.js';
import { badRequest } from './errors.js';

/**
 * A case is assigned to one of its merchant's agents or supervisors (GET /v1/agents), never to an id
 * nobody holds: such a case would sit in no one's queue ("mine" is the key's id). One lookup by
 * primary key.
 */
export async function assertAssignee(deps: ApiDeps, merchantId: string, agentId: string): Promise<void> {
  if (await deps.repos.credentials.isAssignee(merchantId, agentId)) return;
  throw badRequest('body.agentId', `is none of the merchant’s agents or supervisors (live keys of role AGENT or SUPERVISOR): take an id from GET /v1/agents?merchantId=${merchantId}`);
}
