/**
 * Every saved history of a case workflow replays against the current workflow code without a
 * non-determinism error. A change to a workflow's command sequence that is not behind patched()
 * fails here. Refresh the histories with SAVE_HISTORIES=1 npx vitest run test/workflows/return-refund.test.ts
 * — only when the change is meant to apply to new cases only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIR = path.join(HERE, 'histories');

describe('replay of saved case histories', () => {
  it('replays every saved history without a non-determinism error', async () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.pb')).sort();
    expect(files.length).toBeGreaterThanOrEqual(8);
    const histories = files.map((f) => ({ workflowId: f.replace(/\.pb$/, ''), history: temporal.api.history.v1.History.decode(readFileSync(path.join(DIR, f))) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: path.resolve(HERE, '../../workflows/index.ts') }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
