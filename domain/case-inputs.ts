/**
 * A case's recorded inputs (db/case-inputs.ts) as a timeline relative to its opening: what the
 * policy what-if sends again, each at the same offset from the opening, to the case's workflow
 * started anew under another policy. Pure: no I/O, no clock.
 *
 * The opening (seq 0, `via: 'START'`) holds the workflow input as it was sent, except the policy:
 * its `policy` (and `fulfilment`, for the case types that take the fulfilment rules) hold only
 * `{ policyVersion }` — the merchant's versioned policy is stored apart, and the what-if puts its
 * own in their place (`openingInput`).
 */

export type InputVia = 'START' | 'UPDATE' | 'SIGNAL';
export type InputOutcome = 'ACCEPTED' | 'REFUSED';

/** One input as recorded. `at` is epoch ms on the API's clock (the opening: the workflow's `openedAt`). */
export interface RecordedInput {
  seq: number;
  at: number;
  via: InputVia | string;
  kind: string;
  workflowId: string;
  arg: unknown;
  outcome: InputOutcome | string;
  reason: string | null;
}

export interface TimedInput {
  /** Milliseconds after the opening (0 for the opening itself). */
  afterMs: number;
  via: string;
  /** The update or signal name (workflows/contract.ts); for the opening the workflow type. */
  kind: string;
  workflowId: string;
  arg: unknown;
  outcome: string;
  reason: string | null;
}

/** What a policy takes the place of in a recorded opening. */
export interface PolicyReference {
  policyVersion: number;
}

/** The keys of a workflow input that hold the case's policy (the rules, and the fulfilment rules of the same version). */
export const POLICY_KEYS = ['policy', 'fulfilment'] as const;

/** The workflow input as recorded: every policy it carries replaced by a reference to its version. */
export function recordableOpening(input: Record<string, unknown>, policyVersion: number): Record<string, unknown> {
  const recorded = { ...input };
  for (const key of POLICY_KEYS) if (key in recorded) recorded[key] = { policyVersion } satisfies PolicyReference;
  return recorded;
}

/**
 * The workflow input of a recorded opening with the given policies in place of the references:
 * the case's own version (the opening again, exactly) or a proposed one (the what-if). A key the
 * opening did not carry is not added (a return takes no fulfilment rules).
 */
export function openingInput(recorded: Record<string, unknown>, policies: Partial<Record<(typeof POLICY_KEYS)[number], unknown>>): Record<string, unknown> {
  const input = { ...recorded };
  for (const key of POLICY_KEYS) {
    if (!(key in input)) continue;
    if (policies[key] === undefined) throw new Error(`the opening takes a ${key}: none given`);
    input[key] = policies[key];
  }
  return input;
}

/**
 * The inputs in the order they were recorded (seq) with their offsets from the opening. The
 * opening is the START input; without one (it failed to record) `openedAt` stands for it.
 * Offsets never go back: an input recorded after another is sent after it, even when the API
 * instances' clocks disagreed by a few milliseconds (or the other one was taken first while this
 * one was already on its way) — the workflow took them in recorded order.
 */
export function inputTimeline(inputs: readonly RecordedInput[], openedAt?: number): TimedInput[] {
  const ordered = [...inputs].sort((a, b) => a.seq - b.seq);
  const opening = ordered.find((i) => i.via === 'START');
  const origin = opening?.at ?? openedAt;
  if (origin === undefined) throw new Error('no opening recorded and no openedAt given: the timeline has no origin');
  let last = 0;
  return ordered.map((i) => {
    last = Math.max(last, i.at - origin);
    return { afterMs: last, via: i.via, kind: i.kind, workflowId: i.workflowId, arg: i.arg, outcome: i.outcome, reason: i.reason };
  });
}
