/**
 * Approving only some lines of a request: each quantity checked on its own before sending (a whole
 * number, 0 to what was asked), and "the whole request" only when every quantity is the asked one.
 * A trial saw 5 of 3 asked called the whole request, two such lines answered by the workflow's
 * English ("quantity for CUP-01 must be 1…3"), and 1.5 by "must be integer". Pure console module;
 * the form in agent.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { approvedLines } from '../../console/src/lib/approved-lines.js';
import { consoleEn } from '../../console/src/lib/i18n/console-en.js';
import { consoleZh } from '../../console/src/lib/i18n/console-zh.js';

const ASKED = [
  { sku: 'CUP-01', quantity: 3 },
  { sku: 'POT-01', quantity: 2 },
];

describe('the quantities of a partial approval', () => {
  it('a quantity above what was asked is that line’s fault, not "the whole request"', () => {
    const r = approvedLines(ASKED, { 'CUP-01': '5' });
    expect(r.faults).toEqual({ 'CUP-01': { sku: 'CUP-01', fault: 'aboveAsked', asked: 3 } });
    expect(r.whole).toBe(false);
    expect(approvedLines(ASKED, { 'CUP-01': '5', 'POT-01': '5' }).faults).toMatchObject({ 'CUP-01': { fault: 'aboveAsked' }, 'POT-01': { fault: 'aboveAsked', asked: 2 } });
  });

  it('a quantity that is not a whole number (1.5, empty, negative) is that line’s fault', () => {
    for (const typed of ['1.5', '', '-1', '1e1']) expect(approvedLines(ASKED, { 'POT-01': typed }).faults, typed).toEqual({ 'POT-01': { sku: 'POT-01', fault: 'whole', asked: 2 } });
  });

  it('is the whole request only when every quantity is the asked one', () => {
    expect(approvedLines(ASKED, {}).whole).toBe(true);
    expect(approvedLines(ASKED, { 'CUP-01': '3', 'POT-01': ' 2 ' }).whole).toBe(true);
    expect(approvedLines(ASKED, { 'CUP-01': '2' })).toEqual({ lines: [{ sku: 'CUP-01', quantity: 2 }, { sku: 'POT-01', quantity: 2 }], faults: {}, whole: false });
  });

  it('0 leaves a line out', () => {
    expect(approvedLines(ASKED, { 'CUP-01': '0' }).lines).toEqual([{ sku: 'POT-01', quantity: 2 }]);
    expect(approvedLines(ASKED, { 'CUP-01': '0', 'POT-01': '0' }).lines).toEqual([]);
  });

  it('has words for each fault in both languages', () => {
    for (const dict of [consoleEn, consoleZh]) for (const key of ['form.lineWhole', 'form.lineAboveAsked']) expect(dict[key], key).toContain('{n}');
  });
});
