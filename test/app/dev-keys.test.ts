/**
 * `npm start`'s development keys survive a restart: kept in <dataDir>/dev-keys.json (0600) and
 * reused while they authenticate against the database; replaced when they do not (revoked, or the
 * file belongs to another database).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_KEYS_FILE, ensureDevelopmentKeys } from '../../app/dev-keys.js';
import { createRepositories, type Repositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

type Opened = Awaited<ReturnType<typeof openTestDatabase>>;
let first: Opened;
let second: Opened;
let repos: Repositories;
let dataDir: string;
const ROLES = ['STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR', 'ADMIN'];

beforeAll(async () => {
  [first, second] = await Promise.all([openTestDatabase(), openTestDatabase()]);
  repos = createRepositories(first.prisma);
  for (const r of [repos, createRepositories(second.prisma)]) await r.ensureMerchant('demo-merchant', 'Demo shop');
  dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'dev-keys-')), 'data'); // not there yet: it is created
});

afterAll(async () => {
  rmSync(path.dirname(dataDir), { recursive: true, force: true });
  await Promise.all([first?.drop(), second?.drop()]);
});

const count = (db: Opened) => db.prisma.apiCredential.count();
const file = () => path.join(dataDir, DEV_KEYS_FILE);

describe('development keys', () => {
  it('are made once, one per role for the merchant, and kept owner-readable only', async () => {
    const keys = await ensureDevelopmentKeys(repos, dataDir, 'demo-merchant');
    expect(Object.keys(keys).sort()).toEqual([...ROLES].sort());
    for (const [role, key] of Object.entries(keys)) {
      expect(await repos.credential(key)).toMatchObject({ role, merchantId: role === 'ADMIN' ? null : 'demo-merchant' });
    }
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(keys);
    expect(statSync(file()).mode & 0o777).toBe(0o600);
    expect(await count(first)).toBe(5);
  });

  it('are reused at the next start: same keys, no new credentials', async () => {
    const before = JSON.parse(readFileSync(file(), 'utf8'));
    expect(await ensureDevelopmentKeys(repos, dataDir, 'demo-merchant')).toEqual(before);
    expect(await count(first)).toBe(5);
  });

  it('a revoked one is replaced, the others kept', async () => {
    const before = JSON.parse(readFileSync(file(), 'utf8')) as Record<string, string>;
    const agent = await repos.credential(before.AGENT!);
    await repos.credentials.revoke(agent!.id);
    const after = await ensureDevelopmentKeys(repos, dataDir, 'demo-merchant');
    expect(after.AGENT).not.toBe(before.AGENT);
    expect(await repos.credential(after.AGENT)).toMatchObject({ role: 'AGENT' });
    expect({ ...after, AGENT: undefined }).toEqual({ ...before, AGENT: undefined });
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(after);
    expect(await count(first)).toBe(6);
  });

  it('another database (DATABASE_URL changed) gets keys of its own, and the file follows it', async () => {
    const before = JSON.parse(readFileSync(file(), 'utf8')) as Record<string, string>;
    const otherRepos = createRepositories(second.prisma);
    const other = await ensureDevelopmentKeys(otherRepos, dataDir, 'demo-merchant');
    for (const role of ROLES) expect(other[role as keyof typeof other]).not.toBe(before[role]);
    for (const key of Object.values(other)) expect(await otherRepos.credential(key)).not.toBeNull();
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(other);
    expect(await count(second)).toBe(5);
  });

  it('a damaged file is replaced rather than stopping the start', async () => {
    writeFileSync(file(), '{ not json');
    const keys = await ensureDevelopmentKeys(repos, dataDir, 'demo-merchant');
    for (const key of Object.values(keys)) expect(await repos.credential(key)).not.toBeNull();
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual(keys);
  });
});
