/** `npm run worker`: the case worker alone, against DATABASE_URL and TEMPORAL_ADDRESS. */
import { Client, Connection } from '@temporalio/client';
import { createAdapters } from '../adapters/index.js';
import { ConfigError, loadConfig } from '../app/config.js';
import { createLogger, installTemporalLogging, repeatedFailureLog, simulatedProvidersLine, temporalLevelOf } from '../app/logging.js';
import { createCaseStore } from '../db/case-store.js';
import { policySimulationPorts } from './policy-simulation.js';
import { createHousekeeping } from '../db/housekeeping.js';
import { createRefundSettlementStore } from '../db/refund-settlement.js';
import { createSimulatorJournal } from '../db/simulator-journal.js';
import { ensureHousekeepingSchedule } from '../app/schedules.js';
import { createPrisma, logIdleConnectionError, WORKER_DATABASE_TIMEOUTS } from '../db/client.js';
import { caseTeller, paidAgainTeller } from './tell-case.js';
import { createCaseWorker } from './worker.js';

try {
  // Production: no development default (courier secrets, simulators) is ever filled in.
  const config = loadConfig(process.env, { mode: 'production' });
  if (!config.databaseUrl || !config.temporalAddress) throw new ConfigError('npm run worker needs DATABASE_URL and TEMPORAL_ADDRESS');
  const logger = createLogger({ level: config.logLevel, pretty: config.logPretty });
  // The SDK's metrics for Prometheus: WORKER_METRICS_ADDRESS, by default 0.0.0.0:9464 (`off`: none).
  installTemporalLogging(logger, temporalLevelOf(config.logLevel), { address: config.workerMetricsAddress });
  const db = createPrisma(config.databaseUrl, logIdleConnectionError(logger), WORKER_DATABASE_TIMEOUTS);
  // HTTP providers where PAYMENT_URL / COURIER_URL / NOTIFIER_URL / WAREHOUSE_URL are set, simulators where SIMULATORS names them.
  const { payment, courier, notifier, warehouse, simulators } = createAdapters(config.adapters, { journal: createSimulatorJournal(db) });
  const simulated = simulatedProvidersLine(simulators);
  if (simulated) logger.warn(simulated);
  // A client beside the worker's own connection: the refund follower tells cases of refunds sent
  // back, and the housekeeping's schedule is made once per cluster.
  const clientConnection = await Connection.connect({ address: config.temporalAddress });
  const client = new Client({ connection: clientConnection, namespace: config.temporalNamespace });
  const { run, connection } = await createCaseWorker({
    address: config.temporalAddress,
    namespace: config.temporalNamespace,
    deps: { store: createCaseStore(db), payment, courier, notifier, warehouse, stuckLimits: config.stuckLimits, tellPaidAgain: paidAgainTeller(client) },
    refunds: { store: createRefundSettlementStore(db), payment, tellCase: caseTeller(client), onError: repeatedFailureLog((line, err) => (err ? logger.error({ err }, `refund follower: ${line}`) : logger.error(`refund follower: ${line}`))) },
    housekeeping: createHousekeeping(db),
    policySimulations: policySimulationPorts(db),
    stackTraces: config.workflowStackTraces,
    onOutboxError: repeatedFailureLog((line, err) => (err ? logger.error({ err }, `notification outbox: ${line}`) : logger.error(`notification outbox: ${line}`))),
  });
  // The daily housekeeping's schedule, once per cluster (left alone when it exists: ops may have re-timed it).
  const housekeeping = await ensureHousekeepingSchedule(client, config.retention);
  logger.info({ schedule: housekeeping }, 'housekeeping schedule');
  await run();
  await connection.close();
  await clientConnection.close();
  await db.$disconnect();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
