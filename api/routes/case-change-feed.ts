/**
 * The changes of case rows, from the read model: a trigger on "Case" sends each change as a NOTIFY
 * on `case_changes` at commit (migration console_queue), and one `pg` connection per API process
 * LISTENs and hands every change to the subscribers in memory (the SSE streams of
 * GET /v1/case-changes). The connection is opened by the first subscriber, not at start (most API
 * processes in tests never stream), and kept until the app closes. If it is lost, every
 * subscriber is told (its stream ends, the console reconnects and reloads what it shows: nothing
 * sent meanwhile is replayed) and the next subscriber opens a new one.
 *
 * PGlite (the embedded database of `npm start` without DATABASE_URL) serves every socket from one
 * backend, so a NOTIFY never reaches the listening socket: there the feed reads the rows changed
 * since its last look every POLL_MS instead (by updatedAt, which every write of a case sets).
 */
import pg from 'pg';

export const CASE_CHANGES_CHANNEL = 'case_changes';
export const POLL_MS = 500;
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export interface CaseChange {
  caseId: string;
  merchantId: string;
  type: string;
  stage: string;
  status: string;
  updatedAt: string;
}

export interface CaseChangeSubscriber {
  onChange(change: CaseChange): void;
  /** The feed stopped (connection lost, or the app closes): no change will come any more. */
  onEnd(): void;
}

function parseChange(payload: string | undefined): CaseChange | undefined {
  try {
    const c = JSON.parse(payload ?? '') as Partial<CaseChange>;
    if (typeof c.caseId !== 'string' || typeof c.merchantId !== 'string') return undefined;
    return { caseId: c.caseId, merchantId: c.merchantId, type: String(c.type), stage: String(c.stage), status: String(c.status), updatedAt: String(c.updatedAt) };
  } catch {
    return undefined;
  }
}

/**
 * How the read model's own pool connects (Prisma's `pg` driver adapter keeps it), so the feed
 * reaches the same database without every caller of buildApp passing its URL a second time.
 */
export function readModelConnection(db: object): pg.ClientConfig | undefined {
  const engine = (db as { _engineConfig?: { adapter?: { externalPool?: { options?: pg.PoolConfig } | null } } })._engineConfig;
  const options = engine?.adapter?.externalPool?.options;
  if (!options) return undefined;
  const { connectionString, host, port, user, password, database, ssl } = options;
  return { connectionString, host, port, user, password, database, ssl };
}

export class CaseChangeFeed {
  private readonly subscribers = new Set<CaseChangeSubscriber>();
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private polling: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly connection: pg.ClientConfig | undefined,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** How many streams are listening (tests check that none is left behind). */
  get size(): number {
    return this.subscribers.size;
  }

  /** Resolves once the feed listens, so no change committed after it is missed; returns the unsubscribe. */
  async subscribe(subscriber: CaseChangeSubscriber): Promise<() => void> {
    await this.listen();
    this.subscribers.add(subscriber);
    return () => void this.subscribers.delete(subscriber);
  }

  /** Ends every subscriber and the listening connection; nobody can subscribe afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.stop(client);
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.closed) throw new Error('the case change feed is closed');
    if (this.client) return;
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    await this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    if (!this.connection) throw new Error('the case change feed has no database connection');
    const client = new pg.Client({ ...this.connection, application_name: 'aftersales-api case changes' });
    client.on('notification', (n) => {
      const change = n.channel === CASE_CHANGES_CHANNEL ? parseChange(n.payload) : undefined;
      if (change) for (const s of this.subscribers) s.onChange(change);
    });
    client.on('error', (err) => this.lost(client, err.message));
    client.on('end', () => this.lost(client, 'the connection ended'));
    try {
      await client.connect();
      const [{ version }] = (await client.query<{ version: string }>('SELECT version()')).rows as [{ version: string }];
      if (/PGlite/.test(version)) await this.poll(client);
      else await client.query(`LISTEN ${CASE_CHANGES_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      clearInterval(this.polling);
      await client.end().catch(() => undefined);
      throw new Error('the case change feed is closed');
    }
    this.client = client;
    return client;
  }

  private async poll(client: pg.Client): Promise<void> {
    const changed = `SELECT id AS "caseId", "merchantId", type::text, stage, status::text, to_char("updatedAt" AT TIME ZONE 'UTC', ${ISO}) AS "updatedAt"
                       FROM "Case" WHERE "updatedAt" >= $1::timestamptz ORDER BY "updatedAt", id LIMIT 1000`;
    let since = (await client.query<{ now: string }>(`SELECT to_char(now() AT TIME ZONE 'UTC', ${ISO}) AS now`)).rows[0]!.now;
    /** The changes already sent at `since` (the next look starts there again: rows written in the same millisecond). */
    let sentAtSince = new Set<string>();
    let looking = false;
    this.polling = setInterval(() => {
      if (looking) return;
      looking = true;
      client
        .query<CaseChange>(changed, [since])
        .then(({ rows }) => {
          for (const change of rows) {
            const key = `${change.caseId}@${change.updatedAt}`;
            if (sentAtSince.has(key)) continue;
            if (change.updatedAt !== since) [since, sentAtSince] = [change.updatedAt, new Set()];
            sentAtSince.add(key);
            for (const s of this.subscribers) s.onChange(change);
          }
        })
        .catch((err: Error) => this.lost(client, err.message))
        .finally(() => (looking = false));
    }, POLL_MS);
  }

  private lost(client: pg.Client, reason: string): void {
    if (this.client !== client) return;
    if (!this.closed) this.warn(`case changes: listening connection lost (${reason}); subscribers disconnected`);
    this.stop(client);
    void client.end().catch(() => undefined);
  }

  private stop(client: pg.Client | undefined): void {
    if (this.client === client) this.client = undefined;
    clearInterval(this.polling);
    this.polling = undefined;
    const ending = [...this.subscribers];
    this.subscribers.clear();
    for (const s of ending) s.onEnd();
  }
}
