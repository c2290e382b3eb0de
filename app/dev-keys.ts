/**
 * The development keys of `npm start`: one per role, for the demo merchant. The database keeps only
 * hashes, so the plain keys are kept in `<dataDir>/dev-keys.json` (readable by the owner only) and
 * reused at the next start — scripts and bookmarks keep working across restarts. A key that no longer
 * authenticates against this database (another DATABASE_URL, revoked, expired) is replaced.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Repositories } from '../db/repositories.js';
import { KEY_ROLES, type KeyRole } from '../db/repositories/credentials.js';

export const DEV_KEYS_FILE = 'dev-keys.json';

async function readKeys(file: string): Promise<Partial<Record<string, unknown>>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {}; // missing or damaged: new keys are made and the file rewritten
  }
}

export async function ensureDevelopmentKeys(repos: Repositories, dataDir: string, merchantId: string): Promise<Record<KeyRole, string>> {
  const file = path.join(dataDir, DEV_KEYS_FILE);
  const stored = await readKeys(file);
  const keys = {} as Record<KeyRole, string>;
  let changed = false;
  for (const role of KEY_ROLES) {
    const owner = role === 'ADMIN' ? null : merchantId;
    const candidate = stored[role];
    const principal = typeof candidate === 'string' ? await repos.credential(candidate) : null;
    if (principal && principal.role === role && principal.merchantId === owner) {
      keys[role] = candidate as string;
      continue;
    }
    keys[role] = (await repos.createCredential({ role, merchantId: owner ?? undefined, label: `development ${role.toLowerCase()} key` })).key;
    changed = true;
  }
  if (changed) {
    await mkdir(dataDir, { recursive: true });
    // Written aside and renamed: a start that dies half-way never leaves half a file; 0600: these are secrets.
    const aside = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(aside, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
    await rename(aside, file);
  }
  return keys;
}
