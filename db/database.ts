/**
 * The platform's database at DATABASE_URL: created when its server does not have it yet. (Without a
 * URL the platform starts the embedded one, db/embedded.ts; app/platform.ts does both.)
 */
import pg from 'pg';

/**
 * A DATABASE_URL naming a database its server does not have yet: created there (from the server's
 * `postgres` database, with the URL's credentials), as `prisma migrate dev` would, instead of
 * stopping the start with the driver's "database … does not exist" and its stack.
 */
export async function createIfMissing(url: string): Promise<boolean> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return false;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // invalid_catalog_name: no such database
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const server = new pg.Client({ connectionString: target.toString() });
  await server.connect();
  try {
    await server.query(`CREATE DATABASE ${server.escapeIdentifier(name)}`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by another start
  } finally {
    await server.end();
  }
  return true;
}
