/** The agents area of the API: whom a merchant's cases can be assigned to (GET /v1/agents). */
import { get } from '../api';
import type { Agent, Agents } from '../api/types';

/** The merchant's agents and supervisors by label; an admin names the merchant (its own for everyone else). */
export const listAgents = (merchantId?: string, signal?: AbortSignal) => get<Agents>('/v1/agents', { merchantId }, signal);

/** Each agent's label by id, for showing who a case is assigned to (an id not in it shows as it is). */
export const labelsById = (agents: readonly Agent[]): Map<string, string> => new Map(agents.map((a) => [a.id, a.label]));
