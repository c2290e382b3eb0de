import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployMigrations, listMigrations, MIGRATIONS_DIR } from '../../db/migrations.js';
import { sqlForSchema } from '../../db/schema-engine.js';
import { createTestDatabase, describeSchema, SERVER_URL } from '../../db/test-database.js';

const SCHEMA = path.resolve(MIGRATIONS_DIR, '../schema.prisma');
const drops: Array<() => Promise<void>> = [];
let migrated: { url: string };

beforeAll(async () => {
  const db = await createTestDatabase();
  drops.push(db.drop);
  migrated = db;
});

afterAll(async () => {
  for (const drop of drops) await drop();
});

async function sql(url: string, text: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, params);
  } finally {
    await c.end();
  }
}

describe('migrations', () => {
  it('apply on a fresh database and record themselves like prisma migrate deploy; a second deploy applies nothing', async () => {
    const rows = (await sql(migrated.url, 'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name')).rows;
    expect(rows.map((r) => r.migration_name)).toEqual(listMigrations().map((m) => m.name));
    expect(rows.every((r) => r.applied_steps_count === 1 && r.finished_at !== null)).toBe(true);
    expect(rows[0].checksum).toBe(listMigrations()[0]!.checksum);
    expect(await deployMigrations(migrated.url)).toEqual([]);
  });

  it('no drift: the migrations build exactly the schema that schema.prisma describes', async () => {
    const fromSchema = await createTestDatabase({ migrate: false });
    drops.push(fromSchema.drop);
    await sql(fromSchema.url, await sqlForSchema(SCHEMA, SERVER_URL));
    expect(await describeSchema(migrated.url)).toEqual(await describeSchema(fromSchema.url));
  });

  it('the drift check notices a model the migrations lack', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schema-'));
    const changed = path.join(dir, 'schema.prisma');
    writeFileSync(changed, `${readFileSync(SCHEMA, 'utf8')}\nmodel Tag {\n  id String @id\n}\n`);
    const fromSchema = await createTestDatabase({ migrate: false });
    drops.push(fromSchema.drop);
    await sql(fromSchema.url, await sqlForSchema(changed, SERVER_URL));
    const a = await describeSchema(migrated.url);
    const b = await describeSchema(fromSchema.url);
    expect(b.columns.filter((c) => !a.columns.includes(c))).toEqual([expect.stringMatching(/^Tag \| id \| text/)]);
  });

  it('refuses to continue past an edited migration', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const first = listMigrations(dir)[0]!.name;
    writeFileSync(path.join(dir, first, 'migration.sql'), `${readFileSync(path.join(dir, first, 'migration.sql'), 'utf8')}\n-- edited\n`);
    await expect(deployMigrations(migrated.url, dir)).rejects.toThrow(/was edited after it was applied/);
  });

  it('a failing migration rolls back completely and blocks later deploys until resolved', async () => {
    const db = await createTestDatabase();
    drops.push(db.drop);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const bad = path.join(dir, '29990101000000_bad');
    cpSync(path.join(dir, listMigrations(dir)[0]!.name), bad, { recursive: true });
    writeFileSync(path.join(bad, 'migration.sql'), 'CREATE TABLE "Half" (id int);\nSELECT * FROM "no_such_table";\n');
    await expect(deployMigrations(db.url, dir)).rejects.toThrow(/29990101000000_bad failed/);
    expect((await sql(db.url, `SELECT to_regclass('"Half"') AS t`)).rows[0].t).toBeNull();
    await expect(deployMigrations(db.url, dir)).rejects.toThrow(/P3009/);
  });

  it('the ledger is append-only in the database itself', async () => {
    await sql(migrated.url, `INSERT INTO "Merchant" (id, name, "defaultCurrency") VALUES ('m1', 'Shop', 'CNY')`);
    await sql(
      migrated.url,
      `INSERT INTO "Case" (id, "merchantId", type, stage, "orderId", "orderSnapshot", request, "customerId", currency, "policyVersion", "workflowId", "updatedAt")
       VALUES ('c1', 'm1', 'RETURN_AND_REFUND', 'OPENED', 'o1', '{}', '{}', 'cust', 'CNY', 1, 'case-c1', now())`,
    );
    await sql(migrated.url, `INSERT INTO "LedgerEntry" ("caseId", kind, "amountMinor", currency, "idempotencyKey") VALUES ('c1', 'REFUND', -500, 'CNY', 'c1:refund')`);
    await expect(sql(migrated.url, `UPDATE "LedgerEntry" SET "amountMinor" = -1 WHERE "idempotencyKey" = 'c1:refund'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql(migrated.url, `DELETE FROM "LedgerEntry"`)).rejects.toThrow(/append-only: DELETE/);
    expect((await sql(migrated.url, `SELECT "amountMinor" FROM "LedgerEntry"`)).rows).toEqual([{ amountMinor: '-500' }]);
  });
});
