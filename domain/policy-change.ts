/**
 * A policy change: the current version plus the changes an admin sends (the body of publishing a
 * version), merged and validated. Publishing stores the result as the next version; the policy
 * what-if (docs/policy-simulation.md) runs recorded cases under it without storing anything, so
 * both take the same candidate and name the same fields when it is wrong. Pure.
 */
import { canonicalJson } from './canonical-json.js';
import { carrierCodeOf, isCarrierCode } from './carriers.js';
import { parseFulfilmentRules, type FulfilmentPolicy, type FulfilmentRules } from './fulfilment/index.js';
import { parsePolicy, type Policy, type PolicyProblem } from './policy.js';

export interface PolicyChange {
  /** Rules to change; null removes an optional rule. */
  rules?: Record<string, unknown>;
  /** Calendar fields to change. */
  businessHours?: Record<string, unknown>;
  /** Fulfilment rules to change; carrier contracts merge by carrier code (null removes one). */
  fulfilment?: Record<string, unknown>;
}

export interface PolicyCandidate {
  policy?: Policy;
  fulfilment?: FulfilmentPolicy;
  /** Field paths as in the change's body: `rules.noReasonReturnDays`, `businessHours.close`, `fulfilment.carriers.SF.claimWindowDays`. */
  problems: PolicyProblem[];
}

/** The JSON of the next version: each changed rule replaced (null removes it), the rest carried over. */
export function mergePolicyChange(current: Policy, currentFulfilment: FulfilmentRules, change: PolicyChange): { rules: Record<string, unknown>; businessHours: Record<string, unknown>; fulfilment: Record<string, unknown> } {
  const rules: Record<string, unknown> = { ...current.rules };
  for (const [key, value] of Object.entries(change.rules ?? {})) {
    if (value === null) delete rules[key];
    else own(rules, key, value);
  }
  const changes = change.fulfilment ?? {};
  const carriers: Record<string, unknown> = { ...currentFulfilment.carriers };
  for (const [named, contract] of Object.entries((changes.carriers ?? {}) as Record<string, unknown>)) {
    // "顺丰" or "sf" changes SF's contract, "best" BEST's (domain/carriers.ts); a key that makes no code stays as sent, for the validation to refuse.
    const code = isCarrierCode(carrierCodeOf(named)) ? carrierCodeOf(named) : named;
    if (contract === null) delete carriers[code];
    else own(carriers, code, contract);
  }
  return { rules, businessHours: { ...current.businessHours, ...change.businessHours }, fulfilment: { ...currentFulfilment, ...changes, carriers } };
}

/**
 * Sets `key` as the object's own property, whatever its name: `o["__proto__"] = v` would replace
 * the object's prototype instead, and the change vanish before the validation that refuses it.
 */
function own(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Whether two versions' JSON say the same, whatever the order of their keys. */
export const samePolicyJson = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/** Validates a version's JSON; `version` is the number it would get (the database gives the real one when publishing). */
export function parsePolicyVersion(json: { rules?: unknown; businessHours?: unknown; fulfilment?: unknown }, version: number): PolicyCandidate {
  const parsed = parsePolicy({ rules: json.rules, businessHours: json.businessHours, version });
  const f = parseFulfilmentRules(json.fulfilment ?? {});
  const problems = [...parsed.problems, ...f.problems.map((p) => ({ field: p.field ? `fulfilment.${p.field}` : 'fulfilment', reason: p.reason }))];
  if (!parsed.policy || !f.rules) return { problems };
  return { policy: parsed.policy, fulfilment: { version, rules: f.rules }, problems: [] };
}

/** The candidate a change makes of the current version, numbered as the next one. */
export function policyCandidate(current: Policy, currentFulfilment: FulfilmentRules, change: PolicyChange): PolicyCandidate {
  return parsePolicyVersion(mergePolicyChange(current, currentFulfilment, change), current.version + 1);
}

/** A version's JSON as stored: its rules, calendar and fulfilment rules. */
export interface PolicyVersionJson {
  rules: unknown;
  businessHours: unknown;
  fulfilment: unknown;
}

/**
 * What a version changed from the one before, as the fields of publishing name them
 * (`rules.noReasonReturnDays`, `businessHours.holidays`, `fulfilment.carriers.SF`): the rules and
 * calendar fields added, removed or given another value, and each carrier's contract on its own.
 */
export function policyChangedPaths(before: PolicyVersionJson, after: PolicyVersionJson): string[] {
  const objectOf = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
  const changed = (prefix: string, a: Record<string, unknown>, b: Record<string, unknown>) =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k])).map((k) => `${prefix}.${k}`);
  const [fa, fb] = [objectOf(before.fulfilment), objectOf(after.fulfilment)];
  const { carriers: ca, ...ra } = fa;
  const { carriers: cb, ...rb } = fb;
  return [
    ...changed('rules', objectOf(before.rules), objectOf(after.rules)),
    ...changed('businessHours', objectOf(before.businessHours), objectOf(after.businessHours)),
    ...changed('fulfilment', ra, rb),
    ...changed('fulfilment.carriers', objectOf(ca), objectOf(cb)),
  ];
}
