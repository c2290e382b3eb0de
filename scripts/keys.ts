/**
 * API keys from a shell, for production where nothing else makes the first admin key:
 *
 *   npm run keys -- create --role ROLE [--merchant ID] [--label TEXT] [--expires 90d|2027-01-31T00:00:00Z]
 *   npm run keys -- list [--merchant ID] [--all]
 *   npm run keys -- revoke ID
 *
 * Uses DATABASE_URL, or else the embedded database `npm start` keeps in DATA_DIR (whether the
 * platform runs or not: app/embedded-database.ts); applies pending migrations first (like `npm run migrate`), so it works on a
 * fresh database. A new key is printed once; only its hash is stored. Bad arguments end the process
 * with one line on stderr and exit code 2, other failures with exit code 1.
 */
import { parseArgs } from 'node:util';
import { openEmbeddedDatabase } from '../app/embedded-database.js';
import { deployMigrations } from '../db/migrations.js';
import { createCredentialRepository, KEY_ROLES, type Credential } from '../db/repositories/credentials.js';

const USAGE = `usage:
  npm run keys -- create --role ROLE [--merchant ID] [--label TEXT] [--expires 90d|12h|2027-01-31T00:00:00Z]
  npm run keys -- list [--merchant ID] [--all]
  npm run keys -- revoke ID

ROLE is one of ${KEY_ROLES.join(', ')}; ADMIN keys have no merchant, the others need an existing one.
--expires: a lifetime in days (d) or hours (h), or an ISO instant; without it the key lives until revoked.
list shows live keys (--all: revoked and expired too) and never a key.
The database: DATABASE_URL, or else the embedded one npm start keeps in DATA_DIR (default .data).`;

/** A refusal caused by the arguments: exit code 2 and one line, without the stack. */
class UsageError extends Error {}

const UNIT_MS = { d: 86_400_000, h: 3_600_000 } as const;
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function parseExpiry(text: string, now: number): Date {
  const lifetime = /^(\d+)([dh])$/.exec(text);
  if (lifetime && Number(lifetime[1]) > 0) return new Date(now + Number(lifetime[1]) * UNIT_MS[lifetime[2] as keyof typeof UNIT_MS]);
  // An instant needs its time zone (or is a date, read as UTC midnight): a server's local zone must not decide.
  const at = ISO.test(text) ? new Date(text) : undefined;
  if (!at || Number.isNaN(at.getTime())) throw new UsageError(`--expires must be like 90d, 12h or 2027-01-31T00:00:00Z, got ${JSON.stringify(text)}`);
  if (at.getTime() <= now) throw new UsageError(`--expires ${text} is in the past`);
  return at;
}

const shown = (d: Date | null) => d?.toISOString() ?? '-';

function table(rows: Credential[]): string {
  const head = ['id', 'role', 'merchant', 'label', 'created', 'expires', 'revoked'];
  const cells = rows.map((c) => [c.id, c.role, c.merchantId ?? '-', c.label, shown(c.createdAt), shown(c.expiresAt), shown(c.revokedAt)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  return [head, ...cells].map((r) => r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function parse(argv: string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { role: { type: 'string' }, merchant: { type: 'string' }, label: { type: 'string' }, expires: { type: 'string' }, all: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
    return { values, positionals };
  } catch (err) {
    throw new UsageError((err as Error).message.split('. To specify')[0]!);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values: o, positionals } = parse(argv);
  const [command, ...rest] = positionals;
  if (o.help || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  const allowed: Record<string, string[]> = { create: ['role', 'merchant', 'label', 'expires'], list: ['merchant', 'all'], revoke: [] };
  if (!command || !allowed[command]) throw new UsageError(command ? `unknown command ${JSON.stringify(command)} (create, list or revoke; --help)` : 'a command is needed: create, list or revoke (--help)');
  const stray = Object.keys(o).find((k) => !allowed[command]!.includes(k));
  if (stray) throw new UsageError(`--${stray} does not go with ${command}`);
  if (rest.length > (command === 'revoke' ? 1 : 0)) throw new UsageError(`unexpected argument ${JSON.stringify(rest.at(-1))}`);
  if (command === 'revoke' && !rest[0]) throw new UsageError('revoke needs the key id (npm run keys -- list shows it)');
  if (command === 'create') {
    if (!o.role) throw new UsageError(`create needs --role (one of ${KEY_ROLES.join(', ')})`);
    if (!(KEY_ROLES as readonly string[]).includes(o.role)) throw new UsageError(`unknown role ${JSON.stringify(o.role)} (one of ${KEY_ROLES.join(', ')})`);
    if (o.role !== 'ADMIN' && !o.merchant) throw new UsageError(`${o.role} keys need --merchant ID`);
    if (o.role === 'ADMIN' && o.merchant) throw new UsageError('ADMIN keys belong to no merchant: drop --merchant');
  }
  const expiresAt = o.expires === undefined ? undefined : parseExpiry(o.expires, Date.now());

  // Without DATABASE_URL: the embedded database `npm start` keeps in DATA_DIR (default .data).
  const dataDir = process.env.DATA_DIR ?? '.data';
  const embedded = process.env.DATABASE_URL ? undefined : await openEmbeddedDatabase(dataDir);
  const url = process.env.DATABASE_URL ?? embedded?.url;
  if (!url) throw new UsageError(`DATABASE_URL is not set (the platform database, postgresql://user:password@host:5432/name), and DATA_DIR (${dataDir}) holds no embedded database yet: run npm start once, or set DATABASE_URL`);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError('DATABASE_URL must be a postgresql:// URL');
  if (embedded) console.error(`using ${embedded.source}`);
  try {
    return await run(url, command, o, rest, expiresAt);
  } finally {
    await embedded?.close();
  }
}

async function run(url: string, command: string, o: ReturnType<typeof parse>['values'], rest: string[], expiresAt: Date | undefined): Promise<number> {
  const applied = await deployMigrations(url);
  if (applied.length) console.error(`applied migrations: ${applied.join(', ')}`);
  // Loaded only now: the Prisma client is the slow part of starting, and --help or bad arguments need none of it.
  const { createPrisma } = await import('../db/client.js');
  const db = createPrisma(url);
  try {
    const credentials = createCredentialRepository(db);
    if (command === 'create') {
      const issued = await credentials.issue({ role: o.role!, merchantId: o.merchant, label: o.label ?? `${o.role!.toLowerCase()} key`, expiresAt });
      if ('problem' in issued) throw new UsageError(issued.problem.reason);
      const c = issued.credential;
      console.log(`created ${c.role} key${c.merchantId ? ` for merchant ${c.merchantId}` : ''} (label ${JSON.stringify(c.label)}, expires ${c.expiresAt?.toISOString() ?? 'never'})`);
      console.log(`  id   ${c.id}`);
      console.log(`  key  ${issued.key}`);
      console.log('The key is shown only now (only its hash is stored): use it as Authorization: Bearer <key>.');
    } else if (command === 'list') {
      console.log(table(await credentials.list({ merchantId: o.merchant, all: o.all })));
    } else {
      const found = await credentials.findById(rest[0]!);
      if (!found || !(KEY_ROLES as readonly string[]).includes(found.role)) throw new UsageError(`no key with id ${JSON.stringify(rest[0])}`);
      const revoked = (await credentials.revoke(found.id))!;
      console.log(`revoked ${revoked.id} (${revoked.role}${revoked.merchantId ? `, merchant ${revoked.merchantId}` : ''}, label ${JSON.stringify(revoked.label)}) at ${shown(revoked.revokedAt)}`);
    }
    return 0;
  } finally {
    await db.$disconnect();
  }
}

try {
  process.exit(await main(process.argv.slice(2)));
} catch (err) {
  console.error(`keys: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(err instanceof UsageError ? 2 : 1);
}
