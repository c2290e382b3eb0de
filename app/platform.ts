/**
 * The whole platform in one process tree: database (DATABASE_URL or embedded Postgres), Temporal
 * (TEMPORAL_ADDRESS or the project's dev server), the worker and the API. Used by `npm start` and
 * by the end-to-end test.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Client } from '@temporalio/client';
import { createAdapters, type Adapters } from '../adapters/index.js';
import { buildApp } from '../api/app.js';
import { createCaseStore } from '../db/case-store.js';
import { policySimulationPorts } from '../worker/policy-simulation.js';
import { createHousekeeping } from '../db/housekeeping.js';
import { createSimulatorJournal } from '../db/simulator-journal.js';
import { createPrisma, logIdleConnectionError, SERVICE_DATABASE_TIMEOUTS } from '../db/client.js';
import { HELD_PARCEL_INTAKE_EVERY_MS } from '../api/held-parcel-intake.js';
import { UNSTARTED_OPENINGS_LOOK } from '../api/unstarted-openings.js';
import { connectApiToTemporal } from '../api/temporal-connection.js';
import { createIfMissing } from '../db/database.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { deployMigrations } from '../db/migrations.js';
import { createRepositories, type RoleName } from '../db/repositories.js';
import { startDevServer, startDevServerThread } from '../devserver/src/index.js';
import { createCaseWorker } from '../worker/worker.js';
import { caseTeller, paidAgainTeller } from '../worker/tell-case.js';
import type { RefundFollower } from '../activities/refund-follower.js';
import { createRefundSettlementStore } from '../db/refund-settlement.js';
import { courierSecretRotationNote, type Config } from './config.js';
import { assertPortsFree } from './ports.js';
import { publishEmbeddedUrl } from './embedded-database.js';
import { acquireDataDirLock } from './data-dir-lock.js';
import { repeatedFailureLog, simulatedProvidersLine } from './logging.js';
import { ensureDevelopmentKeys } from './dev-keys.js';
import { ensureHousekeepingSchedule } from './schedules.js';
import { registerCaseSearchAttributes } from './search-attributes.js';

export const DEMO_MERCHANT = 'demo-merchant';
/** The Temporal Web UI as built by `scripts/prepare.mjs` from the ui/ package. */
export const UI_BUILD_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../ui/build');
/** Where the demo shop's returns go (a merchant needs one before it can open return cases). */
/** In Chinese only: cases show it to their (Chinese) customers, and the console's Chinese pages. */
export const DEMO_RETURN_ADDRESS = { name: '演示店铺 售后部', phone: '+86 571 0000 0000', address: '浙江省杭州市余杭区 演示仓库 1 号门' };

export interface Platform {
  apiUrl: string;
  temporalAddress: string;
  /** The embedded dev server's Web UI and HTTP API (none with TEMPORAL_ADDRESS: the cluster has its own UI). */
  temporalUi?: { url: string; built: boolean };
  databaseUrl: string;
  keys: Partial<Record<RoleName, string>>;
  /** The simulators in use (all of them unless PAYMENT_URL / COURIER_URL / NOTIFIER_URL / WAREHOUSE_URL are set). */
  simulators: Adapters['simulators'];
  /** The worker's refund follower (activities/refund-follower.ts): tests drain it instead of waiting its minutes. */
  refundFollower: RefundFollower;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  log?: (msg: string) => void;
  /** The API's request log (`app/logging.ts`); none when absent. */
  logger?: Logger;
  /** Tests: the embedded Temporal dev server with a virtual clock that tests can move forward. */
  timeSkipping?: boolean;
  /** Whether the API looks for openings whose workflow did not start (api/unstarted-openings.ts); default yes. Tests that call the look themselves turn it off. */
  unstartedOpenings?: boolean;
  /** Whether the API takes in held parcels whose case asks for the goods (api/held-parcel-intake.ts); default yes. Tests that take them in themselves turn it off. */
  heldParcelIntake?: boolean;
}

export async function startPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const log = options.log ?? (() => undefined);
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((err) => log(`shutdown: ${String(err)}`));
  };
  // One platform per DATA_DIR when it keeps data there (embedded Postgres, the persisted dev
  // server): a second start stops here, before it opens either. Released last, on stop.
  if (!config.databaseUrl || (!config.temporalAddress && !options.timeSkipping)) {
    const lock = acquireDataDirLock(config.dataDir);
    stops.push(async () => lock.release());
  }
  try {
    // Tests listen on port 0; the platform's fixed ports are checked before anything starts.
    if (!options.timeSkipping) {
      await assertPortsFree([
        { setting: 'PORT', host: config.host, port: config.port },
        ...(config.temporalAddress
          ? []
          : [
              { setting: 'TEMPORAL_PORT', host: '127.0.0.1', port: config.temporalPort },
              { setting: 'TEMPORAL_UI_PORT', host: '127.0.0.1', port: config.temporalUiPort },
            ]),
      ]);
    }
    let databaseUrl = config.databaseUrl;
    if (databaseUrl && (await createIfMissing(databaseUrl))) log(`created database ${decodeURIComponent(new URL(databaseUrl).pathname.slice(1))} (DATABASE_URL named one its server did not have)`);
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres(path.join(config.dataDir, 'pg'));
      stops.push(pg.stop);
      databaseUrl = pg.url;
      // For `npm run keys` beside a running platform (app/embedded-database.ts).
      const unpublish = publishEmbeddedUrl(config.dataDir, pg.url);
      stops.push(async () => unpublish());
      log(`embedded Postgres in ${path.join(config.dataDir, 'pg')}`);
    }
    const applied = await deployMigrations(databaseUrl);
    if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
    const db = createPrisma(databaseUrl, options.logger ? logIdleConnectionError(options.logger) : undefined, SERVICE_DATABASE_TIMEOUTS);
    stops.push(() => db.$disconnect());
    const repos = createRepositories(db);

    let temporalAddress = config.temporalAddress;
    let temporalUi: Platform['temporalUi'];
    if (!temporalAddress) {
      const devOptions = {
        // Tests run on a virtual clock, many at once: never on the fixed ports.
        port: options.timeSkipping ? 0 : config.temporalPort,
        httpPort: options.timeSkipping ? 0 : config.temporalUiPort,
        uiDir: UI_BUILD_DIR,
        dbFilename: options.timeSkipping ? undefined : path.join(config.dataDir, 'temporal.db'),
        namespaces: [config.temporalNamespace],
        timeSkipping: options.timeSkipping,
      };
      // The real platform's server on a thread of its own (devserver/src/thread.ts): sharing the
      // event loop with the API and the worker, it held both up and used one core between them
      // (bench/README.md, "API": with it, and the workflow sandbox without stack traces, cases
      // were opened about 1.55 times as fast on a 2-core machine).
      // Tests' time-skipping servers stay in this thread: they carry little load, and run the
      // source a test changed rather than the compiled copy.
      const dev = await (options.timeSkipping ? startDevServer(devOptions) : startDevServerThread(devOptions)).catch((err: Error) => {
        throw new Error(`${err.message}\n  The embedded Temporal dev server needs TEMPORAL_PORT (${config.temporalPort}) and TEMPORAL_UI_PORT (${config.temporalUiPort}) free: set other ports (0 = any free one), or TEMPORAL_ADDRESS to use a Temporal server that is already running.`);
      });
      stops.push(dev.stop);
      temporalAddress = dev.address;
      temporalUi = { url: dev.httpUrl!, built: existsSync(path.join(UI_BUILD_DIR, 'index.html')) };
      log(`Temporal dev server on ${temporalAddress}, Web UI on ${temporalUi.url}${options.timeSkipping ? '' : ` (persisted in ${path.join(config.dataDir, 'temporal.db')})`}`);
    }
    const connection = await connectApiToTemporal(temporalAddress);
    stops.push(() => connection.close());
    const temporal = new Client({ connection, namespace: config.temporalNamespace });
    const registered = await registerCaseSearchAttributes(connection, config.temporalNamespace);
    if (registered.length) log(`registered search attributes: ${registered.join(', ')}`);

    const { payment, courier, notifier, warehouse, simulators } = createAdapters(config.adapters, { journal: createSimulatorJournal(db) });
    // Simulated providers are expected in development; said in production, where they may not be (SIMULATORS names them).
    for (const note of [courierSecretRotationNote(config.courierSecrets), config.mode === 'production' ? simulatedProvidersLine(simulators) : '']) if (note) log(note);
    const { worker, connection: workerConnection, run, refundFollower } = await createCaseWorker({
      address: temporalAddress,
      namespace: config.temporalNamespace,
      deps: { store: createCaseStore(db), payment, courier, notifier, warehouse, stuckLimits: config.stuckLimits, tellPaidAgain: paidAgainTeller(temporal) },
      refunds: { store: createRefundSettlementStore(db), payment, tellCase: caseTeller(temporal), onError: repeatedFailureLog((message) => log(`refund follower: ${message}`)) },
      housekeeping: createHousekeeping(db),
      policySimulations: policySimulationPorts(db),
      stackTraces: config.workflowStackTraces,
      onOutboxError: repeatedFailureLog((message) => log(`notification outbox: ${message}`)),
    });
    const running = run();
    if ((await ensureHousekeepingSchedule(temporal, config.retention)) === 'created') log('created the daily housekeeping schedule');
    stops.push(async () => {
      // The SDK's runtime starts draining on SIGINT/SIGTERM by itself; shut down only if it has not.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
      await workerConnection.close();
    });

    // Development keys, one per role, for the demo merchant: kept in <dataDir>/dev-keys.json and reused
    // while they still work. Made before the API listens: a script that waits for /ready reads them next.
    // In production mode (a shop running it for real) there is no demo shop and no key but those the
    // operator makes (npm run keys), and no controls to steer the simulators.
    const development = config.mode === 'development';
    if (development) await repos.ensureMerchant(DEMO_MERCHANT, 'Demo shop', 'CNY', DEMO_RETURN_ADDRESS);
    const keys: Platform['keys'] = development ? await ensureDevelopmentKeys(repos, config.dataDir, DEMO_MERCHANT) : {};
    const app = await buildApp({ repos, temporal, courierSecrets: config.courierSecrets, customerTokenTtlSeconds: config.customerTokenTtlSeconds, rateLimits: config.rateLimits }, { logger: options.logger, caseChanges: { connection: { connectionString: databaseUrl } }, temporalUi: { url: temporalUi?.url ?? config.temporalUiUrl, namespace: config.temporalNamespace }, corsOrigins: config.corsOrigins, ...(options.unstartedOpenings === false ? {} : { unstartedOpenings: UNSTARTED_OPENINGS_LOOK }), ...(options.heldParcelIntake === false ? {} : { heldParcelIntake: { everyMs: HELD_PARCEL_INTAKE_EVERY_MS } }), ...(development ? { simulators } : {}) });
    await app.listen({ port: config.port, host: config.host });
    stops.push(() => app.close());
    const address = app.server.address();
    const apiUrl = `http://${config.host}:${typeof address === 'object' && address ? address.port : config.port}`;

    return { apiUrl, temporalAddress, temporalUi, databaseUrl, keys, simulators, refundFollower: refundFollower!, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
