/**
 * `npm run db:deploy` — applies the committed migrations to DATABASE_URL (production entry point;
 * the platform also runs it at start). `npm run db:sql` prints the SQL that builds schema.prisma
 * from nothing (the starting point of a new migration).
 */
import path from 'node:path';
import { deployMigrations, MIGRATIONS_DIR } from './migrations.js';
import { sqlForSchema } from './schema-engine.js';

const url = process.env.DATABASE_URL;
const command = process.argv[2] ?? 'deploy';
try {
  if (!url) throw new Error('DATABASE_URL is not set (e.g. postgresql://postgres@127.0.0.1:5432/aftersales)');
  if (command === 'deploy') {
    const applied = await deployMigrations(url);
    console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'no pending migrations');
  } else if (command === 'sql') {
    process.stdout.write(await sqlForSchema(path.resolve(MIGRATIONS_DIR, '../schema.prisma'), url));
  } else {
    throw new Error(`unknown command ${command} (deploy | sql)`);
  }
  process.exit(0);
} catch (err) {
  console.error(`db: ${(err as Error).message}`);
  process.exit(1);
}
