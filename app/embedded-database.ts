/**
 * The embedded database of a DATA_DIR, for tools run beside `npm start` (`npm run keys`): while the
 * platform runs, its Postgres (PGlite behind a socket on a port chosen at each start) is reached at
 * the URL `npm start` writes to `DATA_DIR/database-url`; while it does not, the tool opens the same
 * files itself, holding the DATA_DIR lock meanwhile so a start cannot open them at the same time.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { acquireDataDirLock, liveLockHolder } from './data-dir-lock.js';

export const DATABASE_URL_FILE = 'database-url';

/** Written by the platform once its embedded Postgres listens; removed when it stops. */
export function publishEmbeddedUrl(dataDir: string, url: string): () => void {
  const file = path.join(dataDir, DATABASE_URL_FILE);
  fs.writeFileSync(file, `${url}\n`, { mode: 0o600 });
  return () => fs.rmSync(file, { force: true });
}

export interface EmbeddedDatabase {
  url: string;
  /** Where it came from, for the tool's first line. */
  source: string;
  close(): Promise<void>;
}

/** The DATA_DIR's embedded database, or undefined when it has none yet (no `npm start` there so far). */
export async function openEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase | undefined> {
  const running = runningPlatformUrl(dataDir);
  if (running) return { url: running, source: `the running platform's embedded Postgres (${path.resolve(dataDir)})`, close: async () => undefined };
  const pgDir = path.join(dataDir, 'pg');
  if (!fs.existsSync(pgDir)) return undefined;
  const lock = acquireDataDirLock(dataDir);
  try {
    const pg = await startEmbeddedPostgres(pgDir);
    return {
      url: pg.url,
      source: `the embedded Postgres in ${path.resolve(pgDir)}`,
      close: async () => {
        await pg.stop();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** The URL a live `npm start` published, if one holds the DATA_DIR now. */
function runningPlatformUrl(dataDir: string): string | undefined {
  if (liveLockHolder(dataDir) === undefined) return undefined;
  try {
    return fs.readFileSync(path.join(dataDir, DATABASE_URL_FILE), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
