/**
 * Prints the API's OpenAPI document (the one the app serves at /docs/json) without a running
 * platform: the app is built with a database client and a Temporal client that never dial, and
 * only /docs/json is asked. Run by `npm run types` (scripts/types.mjs) with the root's tsx.
 */
import { Client } from '@temporalio/client';
import { buildApp } from '../../api/app.js';
import { createPrisma } from '../../db/client.js';
import { createRepositories } from '../../db/repositories.js';

// Lazily connected: no query is ever sent, so the address need not exist.
const db = createPrisma('postgresql://nobody@127.0.0.1:1/none');
const app = await buildApp({ repos: createRepositories(db), temporal: new Client(), courierSecrets: {} });
const res = await app.inject({ method: 'GET', url: '/docs/json' });
if (res.statusCode !== 200) throw new Error(`/docs/json answered ${res.statusCode}`);
process.stdout.write(res.body);
await app.close();
await db.$disconnect();
