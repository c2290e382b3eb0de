/**
 * Migrations through Prisma's WASM schema engine against the Postgres at DATABASE_URL: deploy,
 * the drift check, dev, failure and resolve — and the append-only ledger the migrations install.
 */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployMigrations } from '../../db/migrations.js';
import { deployWithEngine, MIGRATIONS_DIR, SCHEMA_PATH, withSchemaEngine } from '../../db/schema-engine.js';
import { createTestDatabase, describeSchema } from '../../db/test-database.js';

const drops: Array<() => Promise<void>> = [];
let fresh: { url: string };
let firstDeploy: string[];

const migrationFolders = () => readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

async function emptyDatabase() {
  const db = await createTestDatabase({ migrate: false });
  drops.push(db.drop);
  return db;
}

async function sql(url: string, text: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, params);
  } finally {
    await c.end();
  }
}

/** A scratch copy of prisma/ (schema + migrations) that a test may change. */
function scratchPrisma(extraSchema = '') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'prisma-'));
  cpSync(MIGRATIONS_DIR, path.join(dir, 'migrations'), { recursive: true });
  writeFileSync(path.join(dir, 'schema.prisma'), readFileSync(SCHEMA_PATH, 'utf8') + extraSchema);
  return { schemaPath: path.join(dir, 'schema.prisma'), migrationsDir: path.join(dir, 'migrations') };
}

beforeAll(async () => {
  fresh = await emptyDatabase();
  firstDeploy = await deployWithEngine(fresh.url);
});

afterAll(async () => {
  for (const drop of drops) await drop();
});

describe('deploy', () => {
  it('applies every migration on a fresh database, records it like prisma migrate deploy, and a second deploy applies nothing', async () => {
    expect(firstDeploy).toEqual(migrationFolders());
    const rows = (await sql(fresh.url, 'SELECT migration_name, checksum, applied_steps_count, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name')).rows;
    expect(rows.map((r) => r.migration_name)).toEqual(migrationFolders());
    for (const r of rows) {
      expect(r).toMatchObject({ applied_steps_count: 1, rolled_back_at: null });
      expect(r.finished_at).not.toBeNull();
      // The checksum is the SHA-256 of the file, so the native CLI accepts these rows as its own.
      expect(r.checksum).toBe(createHash('sha256').update(readFileSync(path.join(MIGRATIONS_DIR, r.migration_name, 'migration.sql'))).digest('hex'));
    }
    expect(await deployWithEngine(fresh.url)).toEqual([]);
    expect(await withSchemaEngine({ url: fresh.url }, (e) => e.status())).toEqual({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });
  });

  it('the plain SQL runner (db/migrations.ts) reaches the same state, which the engine then accepts as its own', async () => {
    const byRunner = await emptyDatabase();
    expect(await deployMigrations(byRunner.url)).toEqual(migrationFolders());
    expect(await describeSchema(byRunner.url)).toEqual(await describeSchema(fresh.url));
    expect(await deployWithEngine(byRunner.url)).toEqual([]);
    expect((await withSchemaEngine({ url: byRunner.url }, (e) => e.status())).history).toBeNull();
  });

  it('a failing migration rolls back completely and blocks deploys until it is resolved', async () => {
    const db = await createTestDatabase();
    drops.push(db.drop);
    const scratch = scratchPrisma();
    const bad = path.join(scratch.migrationsDir, '29990101000000_bad');
    cpSync(path.join(scratch.migrationsDir, migrationFolders()[0]!), bad, { recursive: true });
    writeFileSync(path.join(bad, 'migration.sql'), `CREATE TABLE "Half" (id int);\nALTER TYPE "LedgerKind" ADD VALUE 'HALF';\nSELECT * FROM "no_such_table";\n`);

    await expect(deployWithEngine(db.url, scratch)).rejects.toThrow(/no_such_table/);
    expect((await sql(db.url, `SELECT to_regclass('"Half"') AS t`)).rows[0].t).toBeNull(); // one transaction: nothing left behind
    expect((await sql(db.url, `SELECT count(*)::int AS n FROM pg_enum WHERE enumlabel = 'HALF'`)).rows[0].n).toBe(0);
    await expect(deployWithEngine(db.url, scratch)).rejects.toThrow(/29990101000000_bad/);
    expect((await withSchemaEngine({ url: db.url, ...scratch }, (e) => e.status())).failedMigrationNames).toEqual(['29990101000000_bad']);

    await withSchemaEngine({ url: db.url, ...scratch }, (e) => e.resolve({ rolledBack: '29990101000000_bad' }));
    writeFileSync(path.join(bad, 'migration.sql'), 'CREATE TABLE "Half" (id int);\n');
    expect(await deployWithEngine(db.url, scratch)).toEqual(['29990101000000_bad']);
  });
});

describe('drift check', () => {
  it('reports no drift: the migrations build exactly what schema.prisma describes', async () => {
    expect(await withSchemaEngine({ url: fresh.url }, (e) => e.check())).toEqual({ drift: false, sql: expect.any(String) });
  });

  it('reports drift, with the SQL a new migration would hold, when the schema has a model the migrations lack', async () => {
    const scratch = scratchPrisma('\nmodel Tag {\n  id String @id\n}\n');
    const result = await withSchemaEngine({ url: fresh.url, schemaPath: scratch.schemaPath }, (e) => e.check());
    expect(result.drift).toBe(true);
    expect(result.sql).toMatch(/CREATE TABLE "Tag"/);
  });
});

describe('dev', () => {
  it('creates the next migration folder from a changed schema, applies it, and leaves no drift', async () => {
    const db = await createTestDatabase();
    drops.push(db.drop);
    const scratch = scratchPrisma('\nmodel Tag {\n  id String @id\n}\n');
    const result = await withSchemaEngine({ url: db.url, ...scratch }, (e) => e.dev('Add tags'));
    expect(result.createdMigrationName).toMatch(/^\d{14}_add_tags$/);
    expect(result.appliedMigrationNames).toEqual([result.createdMigrationName]);
    expect(readFileSync(path.join(scratch.migrationsDir, result.createdMigrationName!, 'migration.sql'), 'utf8')).toMatch(/CREATE TABLE "Tag"/);
    expect(readFileSync(path.join(scratch.migrationsDir, 'migration_lock.toml'), 'utf8')).toBe(readFileSync(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8'));
    expect((await withSchemaEngine({ url: db.url, ...scratch }, (e) => e.check())).drift).toBe(false);
  });

  it('on an empty database: applies the folder’s migrations, then creates and applies the next one, in one run', async () => {
    const db = await createTestDatabase({ migrate: false });
    drops.push(db.drop);
    const scratch = scratchPrisma('\nmodel Tag {\n  id String @id\n}\n');
    const result = await withSchemaEngine({ url: db.url, ...scratch }, (e) => e.dev('Add tags'));
    expect(result.createdMigrationName).toMatch(/^\d{14}_add_tags$/);
    expect(result.appliedMigrationNames).toEqual([...migrationFolders(), result.createdMigrationName]);
    expect((await sql(db.url, `SELECT to_regclass('"Tag"') AS t`)).rows[0].t).toBe('"Tag"');
  });
});

describe('the ledger', () => {
  it('refuses UPDATE, DELETE and TRUNCATE in the database itself', async () => {
    await sql(fresh.url, `INSERT INTO "Merchant" (id, name, "defaultCurrency") VALUES ('m1', 'Shop', 'CNY')`);
    await sql(
      fresh.url,
      `INSERT INTO "Case" (id, "merchantId", type, stage, "orderId", "orderSnapshot", request, "customerId", currency, "policyVersion", "workflowId", "updatedAt")
       VALUES ('c1', 'm1', 'RETURN_AND_REFUND', 'OPENED', 'o1', '{}', '{}', 'cust', 'CNY', 1, 'case-c1', now())`,
    );
    await sql(fresh.url, `INSERT INTO "LedgerEntry" ("caseId", kind, "amountMinor", currency, "idempotencyKey") VALUES ('c1', 'REFUND', -500, 'CNY', 'c1:refund')`);
    await expect(sql(fresh.url, `UPDATE "LedgerEntry" SET "amountMinor" = -1 WHERE "idempotencyKey" = 'c1:refund'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql(fresh.url, `DELETE FROM "LedgerEntry"`)).rejects.toThrow(/append-only: DELETE/);
    await expect(sql(fresh.url, `TRUNCATE "LedgerEntry"`)).rejects.toThrow(/append-only: TRUNCATE/);
    expect((await sql(fresh.url, `SELECT "amountMinor" FROM "LedgerEntry"`)).rows).toEqual([{ amountMinor: '-500' }]);
  });
});
