/** `npm start`: the whole platform on embedded defaults; Ctrl-C stops it cleanly. */
import path from 'node:path';
import { ConfigError, loadConfig } from './config.js';
import { DEV_KEYS_FILE } from './dev-keys.js';
import { createLogger, installTemporalLogging } from './logging.js';
import { DEMO_MERCHANT, startPlatform, type Platform } from './platform.js';

function temporalUiLines(platform: Platform): string {
  const ui = platform.temporalUi;
  if (!ui) return '   (its own Web UI shows the cases)';
  const page = ui.built ? `${ui.url}` : `${ui.url}  (not built: run npm run ui:build, then reload)`;
  return `\n  Temporal UI    ${page}\n  Temporal HTTP  ${ui.url}/api/v1/namespaces/default/workflows`;
}

/** `DATA_DIR=… ` before a command when the data is not where commands look by default (`.data`). */
const dataDirVar = (dataDir: string): string => (path.resolve(dataDir) !== path.resolve('.data') ? `DATA_DIR=${dataDir} ` : '');

/**
 * What the demo scripts need to find this platform when it is not where they look by default
 * (port 3000, `.data`): printed before each command, so it reaches this platform and not another.
 */
function demoEnv(platform: Platform, dataDir: string): string {
  const port = new URL(platform.apiUrl).port;
  return `${port !== '3000' ? `PORT=${port} ` : ''}${dataDirVar(dataDir)}`;
}

/** Where everything is, as both banners list it; a note may follow the console's, the docs' and the data's line. */
function whereLines(platform: Platform, dataDir: string, notes: { console?: string; docs?: string; data?: string } = {}): string {
  return `  API            ${platform.apiUrl}
  Console        ${platform.apiUrl}/console/${notes.console ?? ''}
  OpenAPI docs   ${platform.apiUrl}/docs${notes.docs ?? ''}
  Health         ${platform.apiUrl}/ready
  Temporal       ${platform.temporalAddress}${temporalUiLines(platform)}
  Database       ${platform.databaseUrl.replace(/:[^:@/]*@/, ':***@')}
  Data           ${path.resolve(dataDir)}${notes.data ?? ''}`;
}

/**
 * Production mode (NODE_ENV=production): one shop running the platform for real on one machine. No
 * demo shop and no development keys; what to do first instead.
 */
function productionBanner(platform: Platform, dataDir: string): string {
  return `
After-sales platform is up (production mode)
${whereLines(platform, dataDir, { data: '   (back it up: docs/operations.md)' })}

  No development keys in production mode. The first admin key, from another shell:
    ${dataDirVar(dataDir)}npm run keys -- create --role ADMIN --label first-admin
  then set up your shop with it (PUT /v1/admin/merchants/{merchantId}, its policy, keys per role):
  README, "Production on one machine".

  Press Ctrl-C to stop.
`;
}

/** Everything a newcomer needs, printed last so nothing scrolls it away at start. */
function banner(platform: Platform, dataDir: string): string {
  const keys = platform.keys as Record<string, string>;
  const env = demoEnv(platform, dataDir);
  const keyLines = Object.entries(keys).map(([role, key]) => `    ${role.padEnd(11)} ${key}`).join('\n');
  return `
After-sales platform is up
${whereLines(platform, dataDir, { console: '   (sign in with an AGENT, WAREHOUSE, SUPERVISOR or ADMIN key below)', docs: `   (JSON: ${platform.apiUrl}/docs/json)` })}

  Development API keys for merchant "${DEMO_MERCHANT}" (kept in ${path.join(dataDir, DEV_KEYS_FILE)}; send as Authorization: Bearer <key>):
${keyLines}
    CUSTOMER    POST /v1/customer-tokens with the STOREFRONT key

  Try it:  ${env}npm run demo:return   (a scripted return from opening to closing)
           ${env}npm run demo:cases    (one case of each quick type)
  Keys:    ${dataDirVar(dataDir)}npm run keys -- --help

  Press Ctrl-C to stop.
`;
}

try {
  // The development platform: development secrets and simulators fill what is not configured —
  // unless NODE_ENV=production, where nothing is filled in (a shop running it for real on one machine).
  const config = loadConfig(process.env, { mode: process.env.NODE_ENV === 'production' ? 'production' : 'development' });
  const logger = createLogger({ level: config.logLevel, pretty: config.logPretty });
  // The worker's own info lines (its state, the bundler's report) would bury the banner: warnings only.
  installTemporalLogging(logger, 'WARN', { address: config.workerMetricsAddress });
  const platform = await startPlatform(config, { log: (msg) => logger.info(msg), logger });
  process.stdout.write(config.mode === 'production' ? productionBanner(platform, config.dataDir) : banner(platform, config.dataDir));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping…');
    await platform.stop();
    logger.info('stopped cleanly');
    logger.flush();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
