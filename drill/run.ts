/**
 * The crash drill, start to end: a fresh database, the provider stubs (in this process, never
 * killed), the production layout as separate processes (dev server persisted to a file, `npm run
 * migrate` once, the worker, the API — in production mode, every provider pointed at a stub), the
 * first admin key from `npm run keys`, the merchant, its policy and the role keys over the API;
 * then the clients drive the cases while the chaos kills and restarts the three processes; then a
 * bounded wait for everything to come to rest, the checks, and the cleanup — processes, database
 * and files — whatever happened.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Carrier } from './carrier.js';
import { Chaos } from './chaos.js';
import { ApiClient } from './client.js';
import { createDatabase, readCases, readLedger, type DrillDatabase } from './db.js';
import { driveCases, type CaseRecord } from './drive.js';
import { Platform } from './platform.js';
import { tally, type DrillSummary } from './report.js';
import { SCENARIOS, type Role } from './scenarios.js';
import { PROVIDERS } from './stubs.js';
import { errorText, pause, seededRng } from './util.js';
import { verify } from './verify.js';

export interface DrillOptions {
  cases: number;
  concurrency: number;
  /** SIGKILLs per process (worker, API, dev server). */
  kills: number;
  seed: number;
  /** Openings carry a `reference` too (the API's own guard against a second case); by default only the Idempotency-Key. */
  withReference: boolean;
  /** The Postgres server the drill makes its database on. */
  serverUrl: string;
  /** Bound of one wait (a stage, a call, a process start, the final settling); the clients also stop after this long without any progress. */
  patienceMs: number;
  /** Keep the temp dir with the processes' logs: always, only when the drill failed, or never. */
  keepLogs: 'always' | 'on-failure' | 'never';
  log: (line: string) => void;
}

export const DEFAULTS = { cases: 300, concurrency: 8, kills: 3, patienceMs: 5 * 60_000 } as const;

export class Drill {
  private stopped = false;
  private platform: Platform | undefined;
  private db: DrillDatabase | undefined;
  private chaos: Chaos | undefined;
  private readonly tmp = mkdtempSync(path.join(tmpdir(), 'drill-'));
  private cleaned: Promise<void> | undefined;

  constructor(private readonly o: DrillOptions) {}

  /** Runs the drill; always cleans up. Throws only when the drill could not be set up at all. */
  async run(): Promise<DrillSummary> {
    const t0 = Date.now();
    let summary: DrillSummary | undefined;
    try {
      summary = await this.execute(t0);
      return summary;
    } finally {
      await this.cleanup(summary?.ok === true);
      if (summary && !summary.ok && this.o.keepLogs !== 'never') summary.logsDir = this.tmp;
    }
  }

  /** Where the processes' logs are (removed at the end unless kept). */
  get logsDir(): string {
    return this.tmp;
  }

  /** Stops everything now (a test that timed out, Ctrl-C): kills the processes, drops the database. */
  abort(): Promise<void> {
    this.stopped = true;
    return this.cleanup(false);
  }

  private async execute(t0: number): Promise<DrillSummary> {
    const { o } = this;
    const rng = seededRng(o.seed);
    const runId = `${o.seed.toString(36)}${Date.now().toString(36)}`.slice(-10);
    const merchantId = `drill-${runId}`;
    this.db = await createDatabase(o.serverUrl);
    o.log(`database ${this.db.name}, files in ${this.tmp}`);

    const platform = (this.platform = new Platform({ databaseUrl: this.db.url, dir: this.tmp, patienceMs: o.patienceMs }));
    const adminKey = await platform.start();
    const { stubs, apiUrl } = platform;
    o.log(`platform up: API ${apiUrl}, providers ${platform.stubUrl} (${Math.round((Date.now() - t0) / 1000)} s)`);

    // A platform that makes no progress at all (every call failing) must not hold the clients for
    // hours: after `patienceMs` without a single client call getting through, they stop.
    let stalled = false;
    const client = new ApiClient(apiUrl, { requestTimeoutMs: 60_000, patienceMs: o.patienceMs, stopped: () => this.stopped || stalled });
    const keys = await this.setUpMerchant(client, adminKey, merchantId, runId);

    // The cases: types in turn (every type gets cases), in a seeded random order.
    const records: CaseRecord[] = Array.from({ length: o.cases }, (_, index) => {
      const s = SCENARIOS[index % SCENARIOS.length]!;
      const facts = { index, orderId: `drill-${runId}-${index}`, tracking: `SF${runId.toUpperCase()}${String(index).padStart(5, '0')}`, customerId: `c-${runId}-${index}`, variant: (Math.floor(index / SCENARIOS.length) % 2) as 0 | 1 };
      s.setup(stubs, facts);
      return { index, type: s.type, facts, expected: s.expected, outcome: 'pending', takenEarlier: [] };
    });
    for (let i = records.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [records[i], records[j]] = [records[j]!, records[i]!];
    }
    const scenarios = new Map(SCENARIOS.map((s) => [s.type, s]));
    const totalSteps = records.reduce((n, r) => n + scenarios.get(r.type)!.steps(r.facts), 0);
    let stepsDone = 0;
    const progress = () => stepsDone / totalSteps;

    const carrier = new Carrier(apiUrl, platform.carrierSecrets, { stopped: () => this.stopped, patienceMs: o.patienceMs * 2 });
    stubs.onClaimFiled = (claim) => carrier.decide(claim);
    let openSent: (() => void) | undefined;
    let openMs = 150;
    const chaos = (this.chaos = new Chaos(platform.processes, o.kills, rng, progress, {
      worker: {
        moment: 'refund-in-flight',
        arm: (fire) => ((stubs.onRefundRequest = fire), () => (stubs.onRefundRequest = undefined)),
      },
      api: {
        moment: 'open-in-flight',
        arm: (fire) => ((openSent = fire), () => (openSent = undefined)),
        // Somewhere inside the handler (row written, workflow started, answer not yet recorded):
        // a random share of how long the last opening took.
        delayMs: () => Math.floor(rng() * openMs),
      },
    }));
    chaos.start();
    let reported = 0;
    let lastStepAt = Date.now();
    const watchdog = setInterval(() => {
      if (Date.now() - lastStepAt > o.patienceMs) stalled = true;
    }, 1_000);
    await driveCases(records, scenarios, client, {
      runId,
      concurrency: o.concurrency,
      withReference: o.withReference,
      keys,
      stagePatienceMs: o.patienceMs,
      pollMs: 300,
      stopped: () => this.stopped || stalled,
      onOpenSent: () => openSent?.(),
      onOpenAnswered: (ms) => void (ms < 10_000 && (openMs = ms)),
      onStep: () => {
        stepsDone += 1;
        lastStepAt = Date.now();
        if (stepsDone * 10 >= (reported + 1) * totalSteps) o.log(`progress ${++reported * 10} % of client calls (${chaos.kills.length} kills so far)`);
      },
    }).finally(() => clearInterval(watchdog));
    o.log(`clients done (${Math.round((Date.now() - t0) / 1000)} s); ${chaos.pendingKills} kills still owed`);
    await chaos.finish(o.patienceMs);
    await chaos.stop();
    const killsShort = chaos.pendingKills;

    // Come to rest (bounded): every case the clients drove closed, every claim filed, its recovery booked.
    const settleUntil = Date.now() + o.patienceMs;
    let rows = await readCases(this.db.url, merchantId);
    let ledger = await readLedger(this.db.url, merchantId);
    const driven = records.filter((r) => r.outcome === 'driven' && r.caseId);
    // A claim runs as a process of its own that outlives its case: it may be filed after the case closed.
    const atRest = () =>
      driven.every((r) => rows.find((c) => c.id === r.caseId)?.stage === 'CLOSED' && (r.expected.claimMinor === 0 || stubs.claims.some((c) => c.trackingNumber === r.facts.tracking))) &&
      stubs.claims.every((c) => ledger.some((l) => l.kind === 'CLAIM_RECOVERY' && l.reference === c.claimId));
    while (!atRest() && Date.now() < settleUntil && !this.stopped) {
      await pause(1_000);
      [rows, ledger] = [await readCases(this.db.url, merchantId), await readLedger(this.db.url, merchantId)];
    }

    const checked = verify({ records, cases: rows, ledger, stubs, carrier });
    const counts = tally(checked.findings);
    const processes = platform.processes.map((p) => ({
      name: p.name,
      kills: p.kills,
      targetedKills: chaos.kills.filter((k) => k.process === p.name && k.moment !== 'random').length,
      starts: p.starts,
      unexpectedExits: p.unexpectedExits.length,
      maxDownMs: Math.max(0, ...chaos.kills.filter((k) => k.process === p.name).map((k) => k.downMs ?? 0)),
    }));
    const drillError = stalled
      ? `the clients stopped: no call got through for ${Math.round(o.patienceMs / 1000)} s (is the platform broken? see the API log)`
      : killsShort > 0
        ? `${killsShort} planned kills were not carried out (a process never came back up?)`
        : undefined;
    return {
      ...checked,
      ...counts,
      ok: counts.duplicates + counts.losses + counts.notEnded + counts.protocol === 0 && !drillError,
      seed: o.seed,
      cases: o.cases,
      concurrency: o.concurrency,
      withReference: o.withReference,
      killsPlanned: o.kills,
      wallMs: Date.now() - t0,
      processes,
      kills: chaos.kills,
      providers: {
        requests: Object.fromEntries(PROVIDERS.map((p) => [p, stubs.requests.filter((r) => r.provider === p).length])),
        replays: stubs.replays,
        keyConflicts: stubs.keyConflicts.length,
        badSignatures: stubs.badSignatures,
        messages: stubs.messages,
      },
      client: client.stats,
      ...(drillError ? { drillError } : {}),
    };
  }

  /** The merchant (with a return address), a policy whose revisit comes at once, and a key per role. */
  private async setUpMerchant(client: ApiClient, adminKey: string, merchantId: string, runId: string): Promise<Record<Role, string>> {
    const must = async (what: string, p: Promise<{ status: number; body: any }>, ok: number[]) => {
      const res = await p;
      if (!ok.includes(res.status)) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    await must('PUT merchant', client.call('PUT', `/v1/admin/merchants/${merchantId}`, adminKey, { name: '演练商店 drill shop', defaultCurrency: 'CNY', returnAddress: { name: '售后部 演练', phone: '+86 571 0000 0000', address: '浙江省杭州市余杭区 演练仓 售后组' } }), [200, 201]);
    await must('POST policy', client.call('POST', `/v1/admin/merchants/${merchantId}/policies`, adminKey, { rules: { revisitAfterDays: 0 } }, `${runId}-policy`), [201]);
    const keys = {} as Record<Role, string>;
    for (const role of ['storefront', 'warehouse', 'agent', 'supervisor'] as const) {
      const body = await must(`POST key ${role}`, client.call('POST', '/v1/admin/keys', adminKey, { role: role.toUpperCase(), merchantId, label: `drill ${role}` }, `${runId}-key-${role}`), [201]);
      keys[role] = String(body.key);
    }
    return keys;
  }

  private cleanup(ok: boolean): Promise<void> {
    this.cleaned ??= (async () => {
      this.stopped = true;
      const problems: string[] = [];
      await this.chaos?.stop().catch((e: unknown) => problems.push(errorText(e)));
      problems.push(...((await this.platform?.stop()) ?? []));
      await this.db?.drop().catch((e: unknown) => problems.push(`dropping ${this.db?.name}: ${errorText(e)}`));
      const keep = this.o.keepLogs === 'always' || (this.o.keepLogs === 'on-failure' && !ok);
      if (!keep) rmSync(this.tmp, { recursive: true, force: true });
      if (problems.length) this.o.log(`cleanup: ${problems.join('; ')}`);
    })();
    return this.cleaned;
  }
}
