/**
 * Every saved history of a case workflow replays against the current workflow code without a
 * non-determinism error. A change to a workflow's command sequence that is not behind patched()
 * fails here. Refresh the histories with SAVE_HISTORIES=1 npx vitest run test/workflows/return-refund.test.ts
 * — only when the change is meant to apply to new cases only.
 *
 * One test per case type (the file name's first word), each with its own time limit: the 250-odd
 * histories took 79 s in one test on a busy 2-core machine, close to a single 120 s limit, and a
 * failure now names the case type at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { caseWorkflowBundle } from '../../worker/workflow-bundle.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIR = path.join(HERE, 'histories');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.pb')).sort();

/** The case type a history is of: its file name up to the first part that is a version, a number or a variant. */
const typeOf = (file: string) => file.replace(/\.pb$/, '').split('-').filter((_, i, parts) => !parts.slice(0, i + 1).some((p) => /^(v\d+|\d+|batched|ops|local|prepatch|requests|late|settled)$/.test(p))).join('-');
const TYPES = [...new Set(FILES.map(typeOf))];

describe('replay of saved case histories', () => {
  it('has histories of every case type the workflows run', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(8);
    expect(TYPES).toEqual(expect.arrayContaining(['return-refund', 'exchange', 'missing-items', 'lost-parcel', 'wrong-item', 'transit-damage', 'quality-problem', 'delivery-delay', 'refund-not-shipped', 'refund-shipped', 'tracking-inquiry', 'complaint']));
  });

  it.each(TYPES)('replays every saved %s history without a non-determinism error', async (type) => {
    const files = FILES.filter((f) => typeOf(f) === type);
    const histories = files.map((f) => ({ workflowId: f.replace(/\.pb$/, ''), history: temporal.api.history.v1.History.decode(readFileSync(path.join(DIR, f))) }));
    const failures: string[] = [];
    // The bundle the worker and the tests share (worker/bundle-cache.ts): made once, not per type.
    for await (const result of Worker.runReplayHistories({ workflowBundle: await caseWorkflowBundle({ stackTraces: true }) }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(files.length).toBeGreaterThan(0);
  }, 120_000);
});
