/**
 * devserver/CONFORMANCE.md says, for every WorkflowService / OperatorService / TestService method,
 * whether the dev server implements it and which conformance files test it. This keeps it true:
 * a handler added or removed, or a test file reaching a method, changes the table.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_FILE, conformanceTable } from './conformance-table.js';

describe('the conformance table', () => {
  it('is current (UPDATE_CONFORMANCE=1 rewrites it)', () => {
    const table = conformanceTable();
    if (process.env.UPDATE_CONFORMANCE === '1') fs.writeFileSync(CONFORMANCE_FILE, table);
    expect(fs.readFileSync(CONFORMANCE_FILE, 'utf8')).toBe(table);
  });

  it('has a test for every implemented method but a few internal ones', () => {
    const untested = conformanceTable()
      .split('\n')
      .filter((l) => /^\| \w+ \| yes \|  \|$/.test(l))
      .map((l) => l.split('|')[1]!.trim());
    // Reported here so that a new handler without a test shows up in review, not silently.
    expect(untested.length).toBeLessThan(40);
  });
});
