/** The agents area of the API: whom a merchant's cases can be assigned to (GET /v1/agents). */
import { get } from '../api';
import type { Agent, Agents, KeyList } from '../api/types';

/** The merchant's agents and supervisors by label; an admin names the merchant (its own for everyone else). */
export const listAgents = (merchantId?: string, signal?: AbortSignal) => get<Agents>('/v1/agents', { merchantId }, signal);

/** Each agent's label by id, for showing who a case is assigned to (an id not in it shows as it is). */
export const labelsById = (agents: readonly Agent[]): Map<string, string> => new Map(agents.map((a) => [a.id, a.label]));

/**
 * For an admin, whose queue spans every merchant: each merchant's agents and supervisors by key id,
 * named with their merchant ("王芳 · demo-merchant"), revoked keys too (their cases keep their
 * assignee until someone else takes them).
 */
export async function everyMerchantsAgents(signal?: AbortSignal): Promise<Map<string, string>> {
  const keys = await get<KeyList>('/v1/admin/keys', { all: true }, signal);
  const people = keys.items.filter((k) => k.role === 'AGENT' || k.role === 'SUPERVISOR');
  return new Map(people.sort((a, b) => a.label.localeCompare(b.label)).map((k) => [k.id, k.merchantId ? `${k.label} · ${k.merchantId}` : k.label]));
}

/**
 * Every key of the merchant by its label (storefronts, the warehouse, people; revoked ones too: their
 * steps stay), for naming who did a step — "Storefront 官方商城" rather than an id's start. The API
 * lists keys to supervisors (their merchant's) and admins (`merchantId`) only; others get none.
 */
export async function keyLabels(merchantId?: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const keys = await get<KeyList>('/v1/admin/keys', { all: true, ...(merchantId ? { merchantId } : {}) }, signal);
  return new Map(keys.items.filter((k) => k.label).map((k) => [k.id, k.label]));
}
