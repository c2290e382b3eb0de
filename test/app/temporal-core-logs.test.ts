/**
 * The SDK core's own log messages (its worker, its connection; e.g. TMPRL1104 when a workflow task
 * runs over 5 s) reach the platform's JSON logger (app/logging.ts), tagged component "temporal"
 * and sdkComponent "core": left to the core, they went to stderr as coloured text among the JSON.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

it('are JSON lines on stdout, nothing in colour on stderr', () => {
  const probe = spawnSync(process.execPath, ['--import', 'tsx', 'test/app/fixtures/core-log-probe.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, LOG_FORMAT: 'json' } });
  expect(probe.status, probe.stderr).toBe(0);
  const lines = probe.stdout.split('\n').filter(Boolean);
  const core = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.sdkComponent === 'core');
  expect(core.map((l) => l.msg)).toContain('Initializing worker');
  expect(core.every((l) => l.component === 'temporal')).toBe(true);
  expect(probe.stderr).not.toMatch(/\x1b\[|temporalio_sdk_core/);
}, 150_000);
