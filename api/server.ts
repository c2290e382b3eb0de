/** `npm run api`: the API alone (production: the worker runs separately, Temporal and Postgres are external). */
import { Client } from '@temporalio/client';
import { ConfigError, courierSecretRotationNote, loadConfig } from '../app/config.js';
import { createLogger } from '../app/logging.js';
import { registerCaseSearchAttributes } from '../app/search-attributes.js';
import { createPrisma, logIdleConnectionError, SERVICE_DATABASE_TIMEOUTS } from '../db/client.js';
import { assertPortsFree } from '../app/ports.js';
import { HELD_PARCEL_INTAKE_EVERY_MS } from './held-parcel-intake.js';
import { UNSTARTED_OPENINGS_LOOK } from './unstarted-openings.js';
import { createRepositories } from '../db/repositories.js';
import { buildApp } from './app.js';
import { connectApiToTemporal } from './temporal-connection.js';

try {
  // Production: no development default (courier secrets, simulators) is ever filled in.
  const config = loadConfig(process.env, { mode: 'production' });
  if (!config.databaseUrl || !config.temporalAddress) throw new ConfigError('npm run api needs DATABASE_URL and TEMPORAL_ADDRESS (npm start runs everything embedded)');
  // A port another program holds is said at once, naming the setting, not as a stack after connecting.
  await assertPortsFree([{ setting: 'PORT', host: config.host, port: config.port }]);
  const logger = createLogger({ level: config.logLevel, pretty: config.logPretty });
  const db = createPrisma(config.databaseUrl, logIdleConnectionError(logger), SERVICE_DATABASE_TIMEOUTS);
  const connection = await connectApiToTemporal(config.temporalAddress);
  // The API starts cases with these attributes: make sure the namespace knows them.
  await registerCaseSearchAttributes(connection, config.temporalNamespace);
  const app = await buildApp({ repos: createRepositories(db), temporal: new Client({ connection, namespace: config.temporalNamespace }), courierSecrets: config.courierSecrets, customerTokenTtlSeconds: config.customerTokenTtlSeconds, rateLimits: config.rateLimits }, { logger, caseChanges: { connection: { connectionString: config.databaseUrl } }, temporalUi: { url: config.temporalUiUrl, namespace: config.temporalNamespace }, corsOrigins: config.corsOrigins, unstartedOpenings: UNSTARTED_OPENINGS_LOOK, heldParcelIntake: { everyMs: HELD_PARCEL_INTAKE_EVERY_MS } });
  const rotation = courierSecretRotationNote(config.courierSecrets);
  if (rotation) app.log.warn(rotation);
  // HOST as configured (127.0.0.1 unless set, as the README says): a container sets 0.0.0.0 itself.
  await app.listen({ port: config.port, host: config.host });
  const close = async (signal: NodeJS.Signals) => {
    app.log.info(`${signal}: stopping (requests under way are answered first)`);
    await app.close();
    await connection.close();
    await db.$disconnect();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
