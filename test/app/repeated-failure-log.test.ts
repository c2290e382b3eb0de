/** A failure repeating every second while its cause lasts is said once a minute, with a count, without its stack. */
import { describe, expect, it } from 'vitest';
import { repeatedFailureLog, simulatedProvidersLine } from '../../app/logging.js';

describe('repeatedFailureLog', () => {
  it('says a failure the first time with its error, keeps quiet for a minute, then says it with how often it came meanwhile', () => {
    let t = 0;
    const said: Array<[string, unknown]> = [];
    const fail = repeatedFailureLog((line, err) => void said.push([line, err]), 60_000, () => t);
    const err = new Error('connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect');
    for (; t < 40_000; t += 1_000) fail(err);
    expect(said).toEqual([['connect ECONNREFUSED 127.0.0.1:5432', err]]);
    for (; t <= 61_000; t += 1_000) fail(err);
    expect(said[1]).toEqual(['connect ECONNREFUSED 127.0.0.1:5432 (and 59 more times since it was last said)', undefined]);
    t += 120_000;
    fail(err);
    expect(said.at(-1)).toEqual(['connect ECONNREFUSED 127.0.0.1:5432 (and 1 more time since it was last said)', undefined]);
  });

  it('says another failure at once, with its error, during an outage', () => {
    let t = 0;
    const said: Array<[string, unknown]> = [];
    const fail = repeatedFailureLog((line, err) => void said.push([line, err]), 60_000, () => t);
    fail(new Error('Connection terminated unexpectedly'));
    t += 1_000;
    fail(new Error('Connection terminated unexpectedly'));
    const bug = new TypeError("Cannot read properties of undefined (reading 'params')");
    fail(bug);
    expect(said.map(([line]) => line)).toEqual(['Connection terminated unexpectedly', "Cannot read properties of undefined (reading 'params')"]);
    expect(said[1]![1]).toBe(bug);
  });

  it('names the simulated providers, or nothing when none is', () => {
    expect(simulatedProvidersLine({ payment: {}, courier: undefined, notifier: {} })).toMatch(/^simulated providers: payment, notifier — /);
    expect(simulatedProvidersLine({})).toBe('');
  });
});
