#!/usr/bin/env node
// Stands in for Prisma's native schema engine, which cannot be downloaded here. `prisma generate`
// only needs the file to exist; anything that would really run the engine (migrate, db push)
// must fail loudly instead of "succeeding" while doing nothing. Migrations: npm run db:* (WASM engine).
if (process.argv.includes('--version')) {
  console.log('schema-engine offline stub');
  process.exit(0);
}
console.error('Prisma native schema engine is not available offline: use npm run db:deploy / db:dev / db:check (WASM engine).');
process.exit(1);
