/** A failure repeating every second while its cause lasts is said once a minute, with a count, without its stack. */
import { describe, expect, it } from 'vitest';
import { repeatedFailureLog, simulatedProvidersLine } from '../../app/logging.js';

describe('repeatedFailureLog', () => {
  it('says the first failure, keeps quiet for a minute, then says the next with how many came meanwhile', () => {
    let t = 0;
    const said: string[] = [];
    const fail = repeatedFailureLog((m) => said.push(m), 60_000, () => t);
    const err = new Error('connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect');
    for (; t < 40_000; t += 1_000) fail(err);
    expect(said).toEqual(['connect ECONNREFUSED 127.0.0.1:5432']);
    for (; t <= 61_000; t += 1_000) fail(err);
    expect(said).toEqual(['connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED 127.0.0.1:5432 (and 59 more times since it was last said)']);
    t += 120_000;
    fail('a string');
    expect(said.at(-1)).toBe('a string (and 1 more time since it was last said)');
  });

  it('names the simulated providers, or nothing when none is', () => {
    expect(simulatedProvidersLine({ payment: {}, courier: undefined, notifier: {} })).toMatch(/^simulated providers: payment, notifier — /);
    expect(simulatedProvidersLine({})).toBe('');
  });
});
