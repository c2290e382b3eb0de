/**
 * A timeline reads by its step names: two steps with one name look like the same thing happening
 * twice (a delay's timeline showed "Following the parcel" twice, for the case turning to wait for the
 * courier and then for its tracking number being followed).
 */
import { describe, expect, it } from 'vitest';
import { STEP_NAMES } from '../../domain/step-names.js';

describe('step names', () => {
  it.each(['zh-CN', 'en'] as const)('every step has a name of its own in %s', (lang) => {
    const stepsByName = new Map<string, string[]>();
    for (const [step, names] of Object.entries(STEP_NAMES)) stepsByName.set(names[lang], [...(stepsByName.get(names[lang]) ?? []), step]);
    expect([...stepsByName].filter(([, steps]) => steps.length > 1)).toEqual([]);
  });
});
