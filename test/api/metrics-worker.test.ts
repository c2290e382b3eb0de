/**
 * The worker's Temporal SDK metrics (app/logging.ts `installTemporalLogging`, WORKER_METRICS_ADDRESS
 * in app/config.ts): served for Prometheus when the address is free, skipped with a warning when it
 * is taken — the worker runs either way. The runtime is installed once per process, so each case
 * runs in a child process of its own: the dev server and an activity worker, as `npm start` has them.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The child: installs the runtime as worker/main.ts does, runs a worker against the dev server, prints JSON lines. */
const CHILD = `
(async () => {
  const { createLogger, installTemporalLogging } = await import('./app/logging.ts');
  const { startDevServer } = await import('./devserver/src/index.ts');
  const { NativeConnection, Worker } = await import('@temporalio/worker');
  const served = installTemporalLogging(createLogger({ level: 'info', pretty: false }), 'WARN', { address: process.env.METRICS_ADDRESS });
  const dev = await startDevServer({ port: 0 });
  const connection = await NativeConnection.connect({ address: dev.address });
  const worker = await Worker.create({ connection, taskQueue: 'metrics-probe', activities: { ping: async () => 'pong' } });
  const running = worker.run();
  let text = '';
  for (let i = 0; served && i < 100 && !/temporal_num_pollers/.test(text); i++) {
    await new Promise((r) => setTimeout(r, 100));
    text = await (await fetch('http://' + served + '/metrics')).text();
  }
  console.log(JSON.stringify({ served: served ?? null, state: worker.getState(), metrics: text }));
  worker.shutdown();
  await running;
  await connection.close();
  await dev.stop();
  process.exit(0);
})().catch((err) => { console.error(err); process.exit(1); });
`;

function runChild(address: string): Promise<{ code: number | null; lines: Array<Record<string, unknown>>; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', CHILD], { cwd: ROOT, env: { ...process.env, METRICS_ADDRESS: address } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const lines = out.split('\n').flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
      resolve({ code, lines, out });
    });
  });
}

async function listening(): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

describe('worker metrics (Temporal SDK, Prometheus)', () => {
  it('serves the SDK metrics at http://WORKER_METRICS_ADDRESS/metrics', async () => {
    const probe = await listening();
    const port = portOf(probe);
    await new Promise((resolve) => probe.close(resolve));
    const { code, lines, out } = await runChild(`127.0.0.1:${port}`);
    expect(code, out).toBe(0);
    const result = lines.find((l) => 'served' in l);
    expect(result).toMatchObject({ served: `127.0.0.1:${port}`, state: 'RUNNING' });
    expect(result?.metrics).toMatch(/^# TYPE temporal_num_pollers gauge$/m);
    expect(result?.metrics).toMatch(/^temporal_worker_start\{.*task_queue="metrics-probe".*\} 1$/m);
    expect(lines.some((l) => String(l.msg).startsWith(`worker metrics (Temporal SDK, Prometheus) on http://127.0.0.1:${port}/metrics`))).toBe(true);
  });

  it('runs the worker without metrics, with a warning, when the address is taken', async () => {
    const taken = await listening();
    try {
      const { code, lines, out } = await runChild(`127.0.0.1:${portOf(taken)}`);
      expect(code, out).toBe(0);
      expect(lines.find((l) => 'served' in l)).toMatchObject({ served: null, state: 'RUNNING' });
      const warning = lines.find((l) => l.level === 40);
      expect(String(warning?.msg)).toMatch(/^worker metrics not served: 127\.0\.0\.1:\d+ cannot be bound \(.*in use.*\); set WORKER_METRICS_ADDRESS/i);
      expect(lines.some((l) => Number(l.level) >= 50)).toBe(false);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('takes WORKER_METRICS_ADDRESS, or a default per mode: all interfaces for npm run worker, the loopback for npm start, none under tests', () => {
    const production = { COURIER_SECRETS: 'SF=sf-secret-0123456789', SIMULATORS: 'all' };
    expect(loadConfig(production, { mode: 'production' }).workerMetricsAddress).toBe('0.0.0.0:9464');
    expect(loadConfig({}, { mode: 'development' }).workerMetricsAddress).toBe('127.0.0.1:9464');
    expect(loadConfig({ NODE_ENV: 'test' }, { mode: 'development' }).workerMetricsAddress).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'test', WORKER_METRICS_ADDRESS: '127.0.0.1:9999' }).workerMetricsAddress).toBe('127.0.0.1:9999');
    expect(loadConfig({ ...production, WORKER_METRICS_ADDRESS: 'off' }, { mode: 'production' }).workerMetricsAddress).toBeUndefined();
    expect(loadConfig({ WORKER_METRICS_ADDRESS: '[::]:9464' }).workerMetricsAddress).toBe('[::]:9464');
    for (const bad of ['9464', 'localhost:0', 'localhost:70000', 'http://x:9464']) {
      expect(() => loadConfig({ WORKER_METRICS_ADDRESS: bad }), bad).toThrow(ConfigError);
    }
  });
});
