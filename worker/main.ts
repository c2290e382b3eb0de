/** `npm run worker`: the case worker alone, against DATABASE_URL and TEMPORAL_ADDRESS. */
import { CourierSimulator, NotifierSimulator, PaymentSimulator } from '../adapters/simulators.js';
import { ConfigError, loadConfig } from '../app/config.js';
import { createCaseStore } from '../db/case-store.js';
import { createPrisma } from '../db/client.js';
import { createCaseWorker } from './worker.js';

try {
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress) throw new ConfigError('npm run worker needs DATABASE_URL and TEMPORAL_ADDRESS');
  const db = createPrisma(config.databaseUrl);
  // The HTTP adapters (payment provider, couriers, notifications) are not configured yet: simulators.
  const { worker, connection } = await createCaseWorker({
    address: config.temporalAddress,
    namespace: config.temporalNamespace,
    deps: { store: createCaseStore(db), payment: new PaymentSimulator(), courier: new CourierSimulator(), notifier: new NotifierSimulator() },
  });
  await worker.run();
  await connection.close();
  await db.$disconnect();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
