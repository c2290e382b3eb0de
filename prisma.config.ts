import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// The CLI downloads the native schema engine before generate/migrate (fails offline). Migrations run
// through the WASM engine (db/migrate.ts), so point the CLI at a stub that fails loudly if something
// really needs the engine. PRISMA_NATIVE_ENGINE=1 keeps the stock behaviour (machines with internet).
if (process.env.PRISMA_NATIVE_ENGINE !== '1') {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./tools/no-schema-engine.cjs', import.meta.url));
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
