/**
 * `npm start` as a user runs it — the real entry point under Node's ESM loader (tsx), not vitest's
 * module graph, which forgives things Node does not — and the scripted storefront / customer /
 * warehouse client (`npm run demo:return`) running a return from opening to closing against it.
 * Then Ctrl-C (SIGINT) must stop the whole process tree cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../db/test-database.js';
import { GiveUp, TEST_TIMEOUT_MS, waitUntil } from '../support/wait.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

let drop: () => Promise<void>;
let dataDir: string;
let platform: ChildProcess;
let output = '';

const ROLES = ['STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR', 'ADMIN'];
const line = (label: string) => new RegExp(`^\\s*${label}\\s+(\\S+)`, 'm').exec(output)?.[1] ?? '';
/** The labelled line has arrived whole (output comes in chunks). */
const printed = (label: string) => new RegExp(`^\\s*${label}\\s+\\S+.*\\n`, 'm').test(output);

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

beforeAll(async () => {
  const t = await createTestDatabase({ migrate: false });
  drop = t.drop;
  dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-'));
  // As package.json's start script runs it: tsx as Node's loader, no tsx process in between.
  platform = spawn(process.execPath, ['--import', 'tsx', 'app/start.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: t.url, PORT: '0', TEMPORAL_PORT: '0', TEMPORAL_UI_PORT: '0', DATA_DIR: dataDir } });
  platform.stdout!.on('data', (d) => (output += d));
  platform.stderr!.on('data', (d) => (output += d));
  // Up once the banner is out: the API and docs lines and a key line per role (it may arrive in pieces).
  await waitUntil(
    'npm start to print the API and a key per role',
    () => {
      if (platform.exitCode !== null) throw new GiveUp(`npm start exited with ${platform.exitCode}:\n${output}`);
      return ['API', 'OpenAPI docs', ...ROLES].every(printed);
    },
    { intervalMs: 100, state: () => `output so far:\n${output}` },
  );
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  if (platform && platform.exitCode === null) platform.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  await drop?.();
});


describe('npm start', () => {
  it('prints the API, the docs and a key per role; the API is ready', async () => {
    const api = line('API');
    expect(api).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(line('OpenAPI docs')).toBe(`${api}/docs`);
    for (const role of ROLES) expect(line(role)).toMatch(new RegExp(`^${role.toLowerCase()}_`));
    expect(output).toContain('registered search attributes: CaseType, MerchantId, CaseStage, CaseStatus, CaseLate, Escalated, Assignee, OrderId, SolutionDueAt');
    const ready = await fetch(`${api}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ database: 'ok', temporal: 'ok' });
    // The platform's own worker polls the case queue (its first poll may reach the server a moment after the banner).
    await waitUntil('/ready to see the worker polling', async () => (await (await fetch(`${api}/ready`)).json()).worker === 'polling');
  });

  it('the scripted storefront, customer and warehouse run a return from opening to closing', async () => {
    const demo = await run(TSX, ['scripts/demo-return.ts'], { API_URL: line('API'), STOREFRONT_KEY: line('STOREFRONT'), WAREHOUSE_KEY: line('WAREHOUSE'), ADMIN_KEY: line('ADMIN') });
    expect(demo.out).toMatch(/closed\s+SATISFIED/);
    expect(demo.code).toBe(0);
    // Run again: the policy it publishes is in place already, which is no reason to stop.
    const again = await run(TSX, ['scripts/demo-return.ts'], { API_URL: line('API'), STOREFRONT_KEY: line('STOREFRONT'), WAREHOUSE_KEY: line('WAREHOUSE'), ADMIN_KEY: line('ADMIN') });
    expect(again.out).toContain('already revisits right after the refund');
    expect(again.out).toMatch(/closed\s+SATISFIED/);
    expect(again.code).toBe(0);
    // Ops find the case in the Temporal UI's HTTP API (the UI itself is tried in a browser by test/ui/).
    const ui = line('Temporal UI').split(/\s+/)[0]!;
    expect(ui).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const listed = (await (await fetch(`${ui}/api/v1/namespaces/default/workflows?query=${encodeURIComponent('CaseType="RETURN_AND_REFUND"')}`)).json()) as { executions: Array<{ execution: { workflowId: string } }> };
    expect(listed.executions.length).toBeGreaterThanOrEqual(1);
    expect(listed.executions[0]!.execution.workflowId).toMatch(/^case-/);
  }, 180_000);

  it('the scripted storefront, warehouse and agent end a case of each quick type, run as the banner prints it', async () => {
    // Moved port and data directory: the printed command carries them, so it reaches this platform.
    const printed = /Try it:\s+((?:[A-Z_]+=\S+ )*)npm run demo:return/.exec(output)?.[1] ?? '';
    const env = Object.fromEntries(printed.trim().split(/\s+/).filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    expect(env).toEqual({ PORT: new URL(line('API')).port, DATA_DIR: dataDir });
    const demo = await run(TSX, ['scripts/demo-cases.ts'], env);
    for (const type of ['missing items', 'wrong item', 'quality problem', 'transit damage', 'lost parcel', 'refund before shipping', 'complaint']) expect(demo.out).toContain(type);
    expect(demo.code).toBe(0);
  }, 120_000);

  it('Ctrl-C stops the whole process tree cleanly', async () => {
    const exited = new Promise<number | null>((resolve) => platform.on('exit', (code) => resolve(code)));
    platform.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopping…');
    expect(output).toContain('stopped cleanly');
    expect(output).not.toMatch(/unhandled|Error:/i);
  }, 60_000);
});
