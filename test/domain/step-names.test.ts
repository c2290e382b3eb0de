/**
 * A timeline reads by its step names: two steps with one name look like the same thing happening
 * twice (a delay's timeline showed "Following the parcel" twice, for the case turning to wait for the
 * courier and then for its tracking number being followed).
 */
import { describe, expect, it } from 'vitest';
import { CLAIM_OUTCOMES } from '../../domain/fulfilment/courier-claim.js';
import { STEP_NAMES } from '../../domain/step-names.js';
import { codesInWorkflows, RECORDED_STEP } from '../support/workflow-source.js';

describe('step names', () => {
  it.each(['zh-CN', 'en'] as const)('every step has a name of its own in %s', (lang) => {
    const stepsByName = new Map<string, string[]>();
    for (const [step, names] of Object.entries(STEP_NAMES)) stepsByName.set(names[lang], [...(stepsByName.get(names[lang]) ?? []), step]);
    expect([...stepsByName].filter(([, steps]) => steps.length > 1)).toEqual([]);
  });

  it('every step a workflow records has a name (the register showed CLAIM_PARTLY_PAID as a code)', () => {
    const recorded = new Set([...CLAIM_OUTCOMES.map((o) => `CLAIM_${o}`), ...codesInWorkflows(...RECORDED_STEP)]);
    expect(recorded.size).toBeGreaterThan(100);
    expect([...recorded].filter((kind) => !Object.hasOwn(STEP_NAMES, kind))).toEqual([]);
  });
});
