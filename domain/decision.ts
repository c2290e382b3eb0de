/**
 * Every automatic decision says which rule decided, on which values, under which policy version
 * — so the case timeline can explain it to an agent, a customer or an auditor.
 */
export interface Decision {
  rule: string;
  values: Record<string, unknown>;
  policyVersion: number;
  outcome: string;
}
