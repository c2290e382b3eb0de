/**
 * Who takes a case nobody was given: the first agent whose own act is on it. The read model makes
 * them its assignee (db/case-steps.ts), and so does the workflow for the Temporal UI's Assignee, so
 * the figures by agent, "my cases" and the search attribute all count what agents did without
 * anyone assigning first. An assignment, before or after, wins.
 */

/** An agent's own act: `agent:<id>` (a workflow without the id writes `agent:`, which names nobody). */
const AGENT_ACTOR = /^agent:(.+)$/;
/**
 * Steps an agent's name is on without their taking the case: passing it to a supervisor or to
 * someone else, and a satisfied revisit answer typed in for the customer (the case closes; the
 * caller did not handle it). A supervisor's or an admin's acts name them as such and take nothing:
 * only agents are given cases.
 */
const NOT_TAKING = new Set(['ESCALATED', 'ASSIGNED', 'ESCALATION_CLEARED', 'CLOSED_SATISFIED']);

/** The agent a step shows acting on the case themselves, or null. */
export const actingAgentOf = (t: { kind: string; actor?: string | null }): string | null => (NOT_TAKING.has(t.kind) ? null : (AGENT_ACTOR.exec(t.actor ?? '')?.[1] ?? null));
