/**
 * Migrations through Prisma's WASM schema engine (db/schema-engine.ts) — the offline stand-in for
 * `prisma migrate`:
 *
 *   tsx db/migrate.ts deploy                       apply pending migrations (prisma migrate deploy)
 *   tsx db/migrate.ts dev <name> [--create-only] [--force]
 *                                                  create the next migration from schema.prisma and apply it
 *   tsx db/migrate.ts check                        drift between schema.prisma and the migrations; exit 2 on drift
 *   tsx db/migrate.ts status                       the database's history against prisma/migrations
 *   tsx db/migrate.ts resolve --rolled-back|--applied <name>
 *   tsx db/migrate.ts sql                          the SQL that builds schema.prisma from nothing
 *
 * DATABASE_URL (and SHADOW_DATABASE_URL for dev/check) select the server; without DATABASE_URL the
 * embedded PGlite in PGLITE_DIR (default .data/pg) is used, with an in-memory PGlite as shadow.
 * Ends with process.exit: the engine's pool and timers must not keep the process waiting.
 */
import { startEmbeddedPostgres } from './embedded.js';
import { openSchemaEngine, type ShadowDatabase } from './schema-engine.js';

const USAGE = 'usage: tsx db/migrate.ts deploy | dev <name> [--create-only] [--force] | check | status | resolve --rolled-back|--applied <name> | sql';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const names = rest.filter((a) => !a.startsWith('--'));
  if (!command || !['deploy', 'dev', 'check', 'status', 'resolve', 'sql'].includes(command)) throw new Error(USAGE);

  let url = process.env.DATABASE_URL;
  let shadow: ShadowDatabase = process.env.SHADOW_DATABASE_URL ?? 'same-server';
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const embedded = await startEmbeddedPostgres(process.env.PGLITE_DIR);
    url = embedded.url;
    stopEmbedded = embedded.stop;
    shadow = () => startEmbeddedPostgres(null); // PGlite serves one database: the shadow is a server of its own
  }

  const engine = await openSchemaEngine({ url, shadow });
  try {
    switch (command) {
      case 'deploy': {
        const applied = await engine.deploy();
        console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'no pending migrations');
        return 0;
      }
      case 'dev': {
        if (!names[0]) throw new Error(`dev needs a migration name\n${USAGE}`);
        const result = await engine.dev(names[0], { createOnly: flags.has('--create-only'), force: flags.has('--force') });
        for (const w of result.warnings) console.warn(`warning: ${w}`);
        if (result.createdMigrationName) console.log(`created prisma/migrations/${result.createdMigrationName}/migration.sql`);
        else console.log('schema.prisma and the migrations agree: nothing to create');
        if (result.appliedMigrationNames.length) console.log(`applied: ${result.appliedMigrationNames.join(', ')}`);
        return 0;
      }
      case 'check': {
        const { drift, sql } = await engine.check();
        if (!drift) {
          console.log('no drift: the migrations build exactly what schema.prisma describes');
          return 0;
        }
        console.log('drift: schema.prisma differs from the migrations; a new migration would hold:\n');
        console.log(sql);
        return 2;
      }
      case 'status': {
        const status = await engine.status();
        console.log(JSON.stringify(status, null, 2));
        return status.history || status.failedMigrationNames.length || status.editedMigrationNames.length ? 1 : 0;
      }
      case 'resolve': {
        const name = names[0];
        if (!name || flags.has('--rolled-back') === flags.has('--applied')) throw new Error(USAGE);
        await engine.resolve(flags.has('--rolled-back') ? { rolledBack: name } : { applied: name });
        console.log(`migration ${name} marked ${flags.has('--rolled-back') ? 'rolled back' : 'applied'}`);
        return 0;
      }
      default:
        process.stdout.write(await engine.sqlFromEmpty());
        return 0;
    }
  } finally {
    await engine.close();
    await stopEmbedded?.();
  }
}

try {
  process.exit(await main(process.argv.slice(2)));
} catch (err) {
  console.error(`db: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
