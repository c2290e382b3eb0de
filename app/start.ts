/** `npm start`: the whole platform on embedded defaults; Ctrl-C stops it cleanly. */
import { ConfigError, loadConfig } from './config.js';
import { startPlatform } from './platform.js';

try {
  const config = loadConfig();
  const platform = await startPlatform(config, { log: (msg) => console.log(`  ${msg}`) });
  console.log(`
After-sales platform is up
  API            ${platform.apiUrl}
  OpenAPI docs   ${platform.apiUrl}/docs
  Temporal       ${platform.temporalAddress}
  Database       ${platform.databaseUrl.replace(/:[^:@/]*@/, ':***@')}

Development API keys (merchant "demo-merchant"; use as Authorization: Bearer <key>):
${Object.entries(platform.keys).map(([role, key]) => `  ${role.padEnd(11)} ${key}`).join('\n')}
  CUSTOMER    POST /v1/customer-tokens with the STOREFRONT key
`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping…');
    await platform.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
