/**
 * The production layout the drill runs against, as separate processes on the drill's database:
 * the dev server persisted to a file (restarted on the same port and file), `npm run migrate` once,
 * the first admin key from `npm run keys` (as an operator makes it), the worker and the API — in
 * production mode (as `npm run worker|api` start them), every provider pointed at the drill's
 * stubs with its own secret, no simulator. `stop()` ends it all, however far `start()` got.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { logSays, ManagedProcess, runToEnd, type ProcessSpec } from './processes.js';
import { PROVIDERS, ProviderStubs, type Provider } from './stubs.js';
import { freePort } from './util.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const secret = () => randomBytes(24).toString('hex');

/** Child processes get the drill's environment minus its runner's (vitest, loaders) and any platform setting of the caller's. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|NODE_OPTIONS$|TEST$|DATABASE_URL$|TEMPORAL_|PAYMENT_|COURIER_|NOTIFIER_|WAREHOUSE_|SIMULATORS$|RATE_LIMIT_)/.test(k)) env[k] = v;
  return env;
}

/** `npm run worker` / `npm run api` without npm: the package.json script's command, run directly (restarts skip npm and its pre-script). */
function scriptCommand(name: string): { command: string; args: string[] } {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  // `exec node …` (the script replaces its shell by node, so npm's stop signal reaches it): the same command.
  const [command, ...args] = scripts[name]!.replace(/^exec\s+/, '').split(/\s+/);
  if (command === 'node') return { command: process.execPath, args };
  // A package binary (e.g. `tsx worker/main.ts`), as npm would find it.
  const bin = path.join(ROOT, 'node_modules', '.bin', command!);
  return { command: existsSync(bin) ? bin : command!, args };
}

const tcpOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

export class Platform {
  readonly stubs = new ProviderStubs(Object.fromEntries(PROVIDERS.map((p) => [p, secret()])) as Record<Provider, string>);
  /** The carriers' callback secrets (COURIER_SECRETS): the drill signs claim decisions with them. */
  readonly carrierSecrets: Record<string, string> = { SF: secret(), YTO: secret() };
  processes: ManagedProcess[] = [];
  apiUrl = '';
  stubUrl = '';

  constructor(private readonly o: { databaseUrl: string; dir: string; patienceMs: number }) {}

  /** Starts everything and waits until the worker and the API are ready; returns the first admin key. */
  async start(): Promise<string> {
    const { o } = this;
    this.stubUrl = await this.stubs.listen();
    const [devPort, apiPort] = [await freePort(), await freePort()];
    this.apiUrl = `http://127.0.0.1:${apiPort}`;
    const env: NodeJS.ProcessEnv = {
      ...baseEnv(),
      DATABASE_URL: o.databaseUrl,
      TEMPORAL_ADDRESS: `127.0.0.1:${devPort}`,
      TEMPORAL_NAMESPACE: 'default',
      PORT: String(apiPort),
      HOST: '127.0.0.1',
      COURIER_SECRETS: Object.entries(this.carrierSecrets).map(([c, s]) => `${c}=${s}`).join(','),
      SIMULATORS: '',
      ...Object.fromEntries(PROVIDERS.flatMap((p) => [[`${p.toUpperCase()}_URL`, `${this.stubUrl}/${p}`], [`${p.toUpperCase()}_SECRET`, this.stubs.secrets[p]]])),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      // The clients are one caller per role at a high rate; the limits guard production, not the drill.
      RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000',
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000',
    };
    const spec = (name: ProcessSpec['name'], cmd: { command: string; args: string[] }, ready: ProcessSpec['ready'], extra: NodeJS.ProcessEnv = {}): ProcessSpec => ({
      name,
      ...cmd,
      env: { ...env, ...extra },
      cwd: ROOT,
      logFile: path.join(o.dir, `${name}.log`),
      ready,
    });
    const devserver = new ManagedProcess(
      spec('devserver', { command: process.execPath, args: ['devserver/bin/temporal-dev.js', '--port', String(devPort), '--db-filename', path.join(o.dir, 'temporal.db')] }, () => tcpOpen(devPort)),
    );
    // The worker has no port: it is ready when the SDK says RUNNING (an info line, hence its log level).
    const worker = new ManagedProcess(spec('worker', scriptCommand('worker'), logSays(path.join(o.dir, 'worker.log'), /"state":"RUNNING"/), { LOG_LEVEL: 'info' }));
    const api = new ManagedProcess(spec('api', scriptCommand('api'), async () => (await fetch(`${this.apiUrl}/ready`, { signal: AbortSignal.timeout(5_000) })).status === 200));
    this.processes = [devserver, worker, api];

    devserver.start();
    await devserver.waitReady(o.patienceMs);
    const oneShot = { cwd: ROOT, env, logFile: path.join(o.dir, 'setup.log') };
    await runToEnd('npm', ['run', 'migrate'], oneShot);
    const adminOut = await runToEnd('npm', ['run', 'keys', '--', 'create', '--role', 'ADMIN', '--label', 'drill-admin'], oneShot);
    const adminKey = /^\s*key\s+(\S+)/m.exec(adminOut)?.[1];
    if (!adminKey) throw new Error(`npm run keys printed no key: ${adminOut.slice(-500)}`);
    worker.start();
    api.start();
    await Promise.all([worker.waitReady(o.patienceMs), api.waitReady(o.patienceMs)]);
    return adminKey;
  }

  /** Kills every process for good and closes the stubs. */
  async stop(): Promise<string[]> {
    const problems: string[] = [];
    const note = (e: unknown) => void problems.push(e instanceof Error ? e.message : String(e));
    await Promise.all(this.processes.map((p) => p.stop().catch(note)));
    await this.stubs.close().catch(note);
    return problems;
  }
}
