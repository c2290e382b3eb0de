/**
 * What the API reads and writes directly (everything else is the workflows' job): opening a case
 * row, the customer's and agents' views, lists by the agent filters, notes and evidence, policies,
 * credentials and idempotency records. Explicit selects: nothing leaks that a view did not ask for.
 */
import { randomUUID } from 'node:crypto';
import { defaultPolicy, parseFulfilmentRules, parsePolicy, type CaseType, type FulfilmentPolicy, type Policy, type ReturnAddress } from '../domain/index.js';
import { carrierCodeOf } from '../domain/carriers.js';
import { itemNamesOf } from '../domain/return-refund.js';
import { parsePolicyVersion, policyChangedPaths, type PolicyCandidate } from '../domain/policy-change.js';
import { normaliseTrackingNumber } from '../domain/tracking-number.js';
import { Prisma, type LedgerKind } from '../generated/prisma/client.js';
import { sqlOf, type Db } from './client.js';
import { caseCursor, caseQueuePage, syncHorizon, type CaseQueueFilter } from './case-queue.js';
import { createCredentialRepository, hashKey, isLive } from './repositories/credentials.js';
import { createHeldParcelRepository } from './repositories/held-parcels.js';
import { createLoanRepository } from './repositories/loans.js';
import { createIdempotencyRepository } from './repositories/idempotency.js';
import { createLedgerRepository } from './repositories/ledger.js';
import { createPolicyRepository } from './repositories/policies.js';

export type RoleName = 'CUSTOMER' | 'STOREFRONT' | 'WAREHOUSE' | 'AGENT' | 'SUPERVISOR' | 'ADMIN' | 'COURIER';
export interface Principal {
  id: string;
  role: RoleName;
  merchantId: string | null;
  customerId: string | null;
}

export { hashKey };

/**
 * The case view of the API, what lists and case pages show: the read model's row without the order
 * snapshot and the request (`caseDetails`) and without its bookkeeping (the projection version).
 */
const caseSummary = {
  id: true,
  merchantId: true,
  reference: true,
  type: true,
  status: true,
  stage: true,
  orderId: true,
  customerId: true,
  customerLocale: true,
  currency: true,
  requestedAmountMinor: true,
  refundedAmountMinor: true,
  deadlines: true,
  solutionDueAt: true,
  solutionGivenAt: true,
  nextDeadlineAt: true,
  assigneeId: true,
  escalated: true,
  late: true,
  policyVersion: true,
  workflowId: true,
  satisfaction: true,
  closeReason: true,
  stuck: true,
  stuckReason: true,
  createdAt: true,
  updatedAt: true,
  resolvedAt: true,
  closedAt: true,
  returnTrackingNumber: true,
} satisfies Prisma.CaseSelect;

export type CaseSummary = Prisma.CaseGetPayload<{ select: typeof caseSummary }>;

/** The same view as a plain-SQL select list: enums and amounts as text (both of sqlOf's paths return text alike). */
const CASE_SUMMARY_COLUMNS = Object.keys(caseSummary)
  .map((k) => (['type', 'status', 'requestedAmountMinor', 'refundedAmountMinor'].includes(k) ? `c."${k}"::text AS "${k}"` : `c."${k}"`))
  .join(', ');

/** A row read with CASE_SUMMARY_COLUMNS: the amounts come as text. */
type CaseSummaryRow = Omit<CaseSummary, 'requestedAmountMinor' | 'refundedAmountMinor'> & { requestedAmountMinor: string; refundedAmountMinor: string };
const summaryOf = (r: CaseSummaryRow): CaseSummary => ({ ...r, requestedAmountMinor: BigInt(r.requestedAmountMinor), refundedAmountMinor: BigInt(r.refundedAmountMinor) });

/** What an open with a reference already used needs: the case it opened and the request it was opened with. */
const caseByReference = { id: true, merchantId: true, workflowId: true, policyVersion: true, referenceHash: true, status: true, stage: true, closeReason: true, createdAt: true } satisfies Prisma.CaseSelect;
/** A case's opening as recorded with its row (CaseInput seq 0, via START): the workflow input with its policy named by version. */
export interface OpeningRecord {
  kind: string;
  arg: unknown;
  at: number;
  sender: { role: string; id: string | null };
  requestId?: string;
}

export type CaseByReference = Prisma.CaseGetPayload<{ select: typeof caseByReference }>;

/** What a case opens under: the merchant's newest policy version, and where returns go. */
export interface OpeningTerms {
  policy: Policy;
  fulfilment: FulfilmentPolicy;
  returnAddress?: ReturnAddress;
  /** The merchant's currency: the one its policy's amounts are counted in. */
  currency?: string;
}

/** The agents' filters (db/case-queue.ts): `stuck` — a side effect keeps failing; `reference` — the merchant's own name of a case. */
export type CaseFilter = CaseQueueFilter;

function fulfilmentOf(merchantId: string, version: number, stored: unknown): FulfilmentPolicy {
  const parsed = parseFulfilmentRules(stored ?? {});
  if (!parsed.rules) throw new Error(`stored fulfilment rules ${merchantId} v${version} are invalid: ${JSON.stringify(parsed.problems)}`);
  return { version, rules: parsed.rules };
}

export function createRepositories(db: Db) {
  // The statements of every opening (and the key lookup of every request) in plain SQL: db/client.ts.
  const sql = sqlOf(db);

  /**
   * What opening a case takes from the merchant, in one statement: the newest policy version with
   * its fulfilment rules, and the merchant's return address (none: no merchant row, or no address yet).
   */
  async function openingTerms(merchantId: string): Promise<OpeningTerms> {
    const newest = async () =>
      (
        await sql.query<{ version: number | null; rules: unknown; businessHours: unknown; fulfilment: unknown; returnAddress: unknown; defaultCurrency: string | null }>(
          `SELECT p.version, p.rules, p."businessHours", p.fulfilment, m."returnAddress", m."defaultCurrency"
             FROM (SELECT $1::text AS id) k
             LEFT JOIN "Merchant" m ON m.id = k.id
             LEFT JOIN LATERAL (SELECT version, rules, "businessHours", fulfilment FROM "PolicyVersion" WHERE "merchantId" = k.id ORDER BY version DESC LIMIT 1) p ON true`,
          [merchantId],
        )
      )[0]!;
    let latest = await newest();
    if (latest.version === null) {
      // Many first requests at once: INSERT … ON CONFLICT DO NOTHING, then read what won.
      const p = defaultPolicy(1);
      await db.policyVersion.createMany({
        data: [{ merchantId, version: 1, rules: p.rules as unknown as Prisma.InputJsonValue, businessHours: p.businessHours as unknown as Prisma.InputJsonValue }],
        skipDuplicates: true,
      });
      latest = await newest();
    }
    const version = latest.version!;
    const parsed = parsePolicy({ version, rules: latest.rules, businessHours: latest.businessHours });
    if (!parsed.policy) throw new Error(`stored policy ${merchantId} v${version} is invalid: ${JSON.stringify(parsed.problems)}`);
    return {
      policy: parsed.policy,
      fulfilment: fulfilmentOf(merchantId, version, latest.fulfilment),
      returnAddress: (latest.returnAddress ?? undefined) as ReturnAddress | undefined,
      ...(latest.defaultCurrency ? { currency: latest.defaultCurrency } : {}),
    };
  }

  const policies = createPolicyRepository(db);
  const credentials = createCredentialRepository(db);
  const idempotency = createIdempotencyRepository(db);
  const ledger = createLedgerRepository(db);
  const heldParcels = createHeldParcelRepository(db);
  const loans = createLoanRepository(db);
  return {
    db,
    heldParcels,
    loans,

    /** The caller a key belongs to, looked up on every request (so a revoked key is refused at once, whichever process revoked it). */
    async credential(key: string): Promise<Principal | null> {
      const [c] = await sql.query<Principal & { expiresAt: Date | null; revokedAt: Date | null }>(
        'SELECT id, role::text AS role, "merchantId", "customerId", "expiresAt", "revokedAt" FROM "ApiCredential" WHERE "keyHash" = $1',
        [hashKey(key)],
      );
      return c && isLive(c, new Date()) ? { id: c.id, role: c.role, merchantId: c.merchantId, customerId: c.customerId } : null;
    },

    /** Creates a credential; the plain key is returned once and only its hash is stored. */
    async createCredential(p: { role: RoleName; merchantId?: string; customerId?: string; label: string; expiresAt?: Date }): Promise<{ id: string; key: string; expiresAt: Date | null }> {
      const { credential, key } = await credentials.create(p);
      return { id: credential.id, key, expiresAt: credential.expiresAt };
    },

    /** Issuing, listing and revoking keys (the listings never hold a key or its hash). */
    credentials,

    /** Idempotency-Key records: claimed before a request runs, answered after (api/idempotency.ts). */
    idempotency,

    async ensureMerchant(id: string, name: string, currency = 'CNY', returnAddress?: ReturnAddress) {
      const address = returnAddress as unknown as Prisma.InputJsonValue | undefined;
      await db.merchant.upsert({ where: { id }, create: { id, name, defaultCurrency: currency, returnAddress: address }, update: {}, select: { id: true } });
    },

    async merchant(id: string) {
      const [m] = await sql.query<{ id: string; name: string; defaultCurrency: string; returnAddress: unknown; createdAt: Date }>('SELECT id, name, "defaultCurrency", "returnAddress", "createdAt" FROM "Merchant" WHERE id = $1', [id]);
      return m ? { ...m, returnAddress: (m.returnAddress ?? undefined) as ReturnAddress | undefined } : null;
    },

    /**
     * A page of merchants in id order, each with its newest policy version (1 where none was
     * published: the defaults a first case creates); `after` is the last id of the previous page.
     */
    async merchants(page: { after?: string; limit: number }) {
      const rows = await sql.query<{ id: string; name: string; defaultCurrency: string; returnAddress: unknown; createdAt: Date; policyVersion: number }>(
        `SELECT m.id, m.name, m."defaultCurrency", m."returnAddress", m."createdAt",
                COALESCE((SELECT max(p.version) FROM "PolicyVersion" p WHERE p."merchantId" = m.id), 1) AS "policyVersion"
           FROM "Merchant" m
          WHERE $1::text IS NULL OR m.id > $1
          ORDER BY m.id
          LIMIT $2`,
        [page.after ?? null, page.limit],
      );
      return rows.map((m) => ({ ...m, returnAddress: (m.returnAddress ?? undefined) as ReturnAddress | undefined }));
    },

    /**
     * Creates or changes a merchant: 'created', 'changed', or — the currency asked differs from the
     * merchant's and it has a case — `{ currencyInUse }`, nothing written: its cases, ledger and
     * figures are counted in that currency, and the policy's amounts were written in it. A return
     * address left out (undefined) is kept, null removes it. `onlyIfNew`: create it or change
     * nothing ('exists'), in one statement, so that two creations of one id cannot both succeed.
     */
    async saveMerchant(id: string, m: { name: string; defaultCurrency: string; returnAddress?: ReturnAddress | null }, onlyIfNew = false): Promise<'created' | 'changed' | 'exists' | { currencyInUse: string }> {
      const address = m.returnAddress ? (m.returnAddress as unknown as Prisma.InputJsonValue) : Prisma.DbNull;
      const data = { name: m.name, defaultCurrency: m.defaultCurrency };
      if (onlyIfNew) {
        const { count } = await db.merchant.createMany({ data: [{ id, ...data, returnAddress: address }], skipDuplicates: true });
        return count ? 'created' : 'exists';
      }
      return db.$transaction(async (tx) => {
        // Locked: a case inserted meanwhile (its foreign key takes a share lock on this row) is seen once it commits.
        // Not closed: an opening that read the old currency a few milliseconds before may still insert its
        // case after this commits — a window only around the merchant's very first case, left as it is.
        const [existing] = await tx.$queryRaw<Array<{ defaultCurrency: string }>>`SELECT "defaultCurrency" FROM "Merchant" WHERE id = ${id} FOR UPDATE`;
        if (existing && existing.defaultCurrency !== m.defaultCurrency && (await tx.case.findFirst({ where: { merchantId: id }, select: { id: true } }))) return { currencyInUse: existing.defaultCurrency };
        await tx.merchant.upsert({ where: { id }, create: { id, ...data, returnAddress: address }, update: { ...data, ...(m.returnAddress !== undefined ? { returnAddress: address } : {}) }, select: { id: true } });
        return existing ? 'changed' : 'created';
      });
    },

    async policyVersion(merchantId: string, version: number): Promise<Policy | null> {
      const stored = await db.policyVersion.findUnique({ where: { merchantId_version: { merchantId, version } }, select: { version: true, rules: true, businessHours: true } });
      return stored ? (parsePolicy(stored).policy ?? null) : null;
    },

    /** The merchant's newest policy version (version 1 = the defaults, created on first use). */
    async currentPolicy(merchantId: string): Promise<Policy> {
      return (await openingTerms(merchantId)).policy;
    },

    openingTerms,

    /**
     * The merchant's newest versions (newest first), each with when and by whom it was published,
     * why, and what it changed from the version before (domain/policy-change.ts policyChangedPaths;
     * fulfilment rules compared as they apply, the defaults where a version stored none).
     */
    async policyHistory(merchantId: string, limit = 100) {
      const rows = await policies.newest(merchantId, limit + 1);
      // Compared as they apply (the defaults where none were stored); a version stored before today's
      // checks that no longer passes them is compared as stored: a history shows old versions too.
      const applied = (r: (typeof rows)[number]) => ({ rules: r.rules, businessHours: r.businessHours, fulfilment: parseFulfilmentRules(r.fulfilment ?? {}).rules ?? r.fulfilment });
      // The publishing keys' labels, as people named them ("Wang Li, ops lead"): a key id says nothing to a reader.
      // publishedBy is `role:keyId`.
      const keyIdOf = (publishedBy: string | null) => (publishedBy?.includes(':') ? publishedBy.slice(publishedBy.indexOf(':') + 1) : undefined);
      const keyIds = [...new Set(rows.flatMap((r) => keyIdOf(r.publishedBy) ?? []))];
      const labels = new Map((keyIds.length ? await db.apiCredential.findMany({ where: { id: { in: keyIds } }, select: { id: true, label: true } }) : []).map((k) => [k.id, k.label]));
      return rows.slice(0, limit).map((r, i) => {
        const before = rows[i + 1];
        const publisherLabel = labels.get(keyIdOf(r.publishedBy) ?? '') ?? null;
        return { version: r.version, publishedAt: r.createdAt.toISOString(), publishedBy: r.publishedBy, publisherLabel, note: r.note, changed: before ? policyChangedPaths(applied(before), applied(r)) : [] };
      });
    },

    /** Validates and publishes the next version; two admins publishing at once get consecutive versions. */
    async publishPolicy(merchantId: string, json: { rules?: unknown; businessHours?: unknown; fulfilment?: unknown }, audit: { publishedBy?: string; note?: string } = {}): Promise<PolicyCandidate> {
      const parsed = parsePolicyVersion(json, 1); // the number is the database's to give
      if (!parsed.policy || !parsed.fulfilment) return parsed;
      const { rules, businessHours } = parsed.policy;
      const stored = await policies.create(merchantId, {
        rules: rules as unknown as Prisma.InputJsonValue,
        businessHours: businessHours as unknown as Prisma.InputJsonValue,
        fulfilment: parsed.fulfilment.rules as unknown as Prisma.InputJsonValue,
        ...audit,
      });
      return { policy: { version: stored.version, rules, businessHours }, fulfilment: { version: stored.version, rules: parsed.fulfilment.rules }, problems: [] };
    },

    /** The fulfilment rules of a policy version (the defaults where the version has none). */
    async fulfilmentPolicy(merchantId: string, version: number): Promise<FulfilmentPolicy> {
      const stored = await db.policyVersion.findUnique({ where: { merchantId_version: { merchantId, version } }, select: { fulfilment: true } });
      return fulfilmentOf(merchantId, version, stored?.fulfilment);
    },

    /**
     * The case row, written before its workflow starts, with the evidence it was opened with (one
     * transaction: a row is never left without its evidence, and evidence never comes twice). The
     * id is minted by the API; a `reference` is unique per merchant, so of two opens with one
     * reference only one inserts (ON CONFLICT DO NOTHING) and the other gets the case that did.
     */
    async openCase(
      c: {
        id: string;
        merchantId: string;
        reference?: string;
        referenceHash?: string;
        type: CaseType;
        orderId: string;
        orderSnapshot: unknown;
        request: unknown;
        customerId: string;
        customerLocale: string;
        currency: string;
        requestedAmountMinor: number;
        policyVersion: number;
        workflowId: string;
      },
      evidence?: { urls: string[]; kinds: string[]; addedBy: string },
      opening?: OpeningRecord,
    ): Promise<{ created: true } | { created: false; existing: CaseByReference }> {
      // Without evidence the row is one INSERT … ON CONFLICT DO NOTHING: no transaction (two statements fewer).
      // The opening (CaseInput seq 0) is written by the same statement: a case row never stands
      // without what its workflow is started from (api/unstarted-openings.ts starts it from that).
      const open = async (tx: Pick<Db, 'case' | 'evidence' | '$queryRawUnsafe'>) => {
        const values = [c.id, c.merchantId, c.reference ?? null, c.referenceHash ?? null, c.type, c.orderId, JSON.stringify(c.orderSnapshot), JSON.stringify(c.request), c.customerId, c.customerLocale, c.currency, String(c.requestedAmountMinor), c.policyVersion, c.workflowId];
        const insertCase = `INSERT INTO "Case" (id, "merchantId", reference, "referenceHash", type, stage, "orderId", "orderSnapshot", request, "customerId", "customerLocale", currency, "requestedAmountMinor", "policyVersion", "workflowId", "updatedAt")
           VALUES ($1, $2, $3, $4, $5::text::"CaseType", 'OPENED', $6, $7::jsonb, $8::jsonb, $9, $10, $11, $12::bigint, $13, $14, now())
           ON CONFLICT DO NOTHING RETURNING id, "merchantId"`;
        const [row] = opening
          ? await sqlOf(tx).query<{ id: string }>(
              `WITH c AS (${insertCase}), i AS (
                 INSERT INTO "CaseInput" ("caseId", "seq", "merchantId", "at", "via", "kind", "workflowId", "arg", "senderRole", "senderId", "requestId", "outcome")
                 SELECT c.id, 0, c."merchantId", $15::timestamptz, 'START', $16::text, $14, $17::jsonb, $18::text, $19::text, $20::text, 'ACCEPTED' FROM c
               )
               SELECT id FROM c`,
              [...values, new Date(opening.at).toISOString(), opening.kind, JSON.stringify(opening.arg), opening.sender.role, opening.sender.id, opening.requestId ?? null],
            )
          : await sqlOf(tx).query<{ id: string }>(insertCase, values);
        if (row) {
          if (evidence?.urls.length) await tx.evidence.createMany({ data: evidence.urls.map((url, i) => ({ caseId: c.id, url, kind: evidence.kinds[i] ?? 'photo', addedBy: evidence.addedBy })), skipDuplicates: true });
          return { created: true as const };
        }
        // The reference's case, or (an id derived from an Idempotency-Key) the case an earlier try of the same request wrote.
        const existing = c.reference
          ? await tx.case.findUnique({ where: { reference_merchantId: { merchantId: c.merchantId, reference: c.reference } }, select: caseByReference })
          : await tx.case.findFirst({ where: { id: c.id, merchantId: c.merchantId }, select: caseByReference });
        // Otherwise a minted id or its workflow id is taken (never expected of 80 random bits).
        if (!existing) throw new Error(`case ${c.id} could not be opened: its id is taken`);
        return { created: false as const, existing };
      };
      return evidence?.urls.length ? db.$transaction(open) : open(db);
    },

    /**
     * The merchant's earlier cases of an order, oldest first (at most 100: an order has a handful),
     * with what an opening checks against them: the order they recorded, what they asked for and
     * whether they were resolved.
     */
    async casesOfOrder(merchantId: string, orderId: string) {
      return sql.query<{ id: string; reference: string | null; type: CaseType; status: string; closeReason: string | null; resolved: boolean; refundedAmountMinor: number; customerId: string; returnTrackingNumber: string | null; orderSnapshot: unknown; request: unknown; createdAt: Date }>(
        `SELECT id, reference, type::text AS type, status::text AS status, "closeReason", "resolvedAt" IS NOT NULL AS resolved, "refundedAmountMinor"::float8 AS "refundedAmountMinor", "customerId", "returnTrackingNumber", "orderSnapshot", request, "createdAt" FROM "Case" WHERE "merchantId" = $1 AND "orderId" = $2 ORDER BY "createdAt", id LIMIT 100`,
        [merchantId, orderId],
      );
    },

    /** The merchant's case with this reference (what an open with the same reference answers). */
    async caseByReference(merchantId: string, reference: string): Promise<CaseByReference | null> {
      return db.case.findUnique({ where: { reference_merchantId: { merchantId, reference } }, select: caseByReference });
    },

    // Every command on a case looks it up first: in plain SQL, a third of the CPU the query engine
    // takes on the API's event loop (0.2–0.3 ms against 0.6–1.0 ms a lookup, idle, same rows).
    async caseById(id: string): Promise<CaseSummary | null> {
      const [row] = await sql.query<CaseSummaryRow>(`SELECT ${CASE_SUMMARY_COLUMNS} FROM "Case" c WHERE c.id = $1`, [id]);
      return row ? summaryOf(row) : null;
    },

    /** What a case was opened with (the order as it was, the customer's language). */
    async caseDetails(id: string) {
      return db.case.findUniqueOrThrow({ where: { id }, select: { orderSnapshot: true, request: true, customerLocale: true, escalatedBy: true } });
    },

    /** Marks the case as complained about; true when it already was (a repeat complaint). */
    async markComplained(id: string): Promise<boolean> {
      const before = await db.case.findUniqueOrThrow({ where: { id }, select: { complaint: true } });
      if (!before.complaint) await db.case.update({ where: { id }, data: { complaint: true }, select: { id: true } });
      return before.complaint;
    },

    /**
     * The cases whose return parcel this is: the open ones, newest first; when none is open, the
     * newest case of any status (a scan of a finished case's parcel is then told the case is closed).
     */
    async casesByReturnTracking(trackingNumber: string, merchantId?: string): Promise<CaseSummary[]> {
      const rows = await sql.query<CaseSummaryRow & { open: boolean }>(
        `SELECT ${CASE_SUMMARY_COLUMNS}, c."status" NOT IN ('RESOLVED', 'CLOSED') AS open FROM "Case" c
          WHERE c."returnTrackingNumber" = $1 AND ($2::text IS NULL OR c."merchantId" = $2)
          ORDER BY (c."status" NOT IN ('RESOLVED', 'CLOSED')) DESC, c."createdAt" DESC LIMIT 20`,
        [trackingNumber, merchantId ?? null],
      );
      const open = rows.filter((r) => r.open);
      return (open.length ? open : rows.slice(0, 1)).map(({ open: _, ...r }) => summaryOf(r));
    },

    async timeline(caseId: string) {
      return db.caseEvent.findMany({ where: { caseId }, orderBy: { id: 'asc' }, select: { stepKey: true, at: true, kind: true, actor: true, data: true, decision: true } });
    },

    /** The case's documents and money (ledger entries) in booking order; only `kinds` when given. */
    async documents(caseId: string, kinds?: readonly LedgerKind[]) {
      return ledger.list(caseId, kinds);
    },

    /** A merchant's ledger by booking time (GET /v1/ledger): a page of entries, and the range's totals. */
    bookedEntries: ledger.booked,
    bookedTotals: ledger.bookedTotals,
    bookedExpenses: ledger.bookedExpenses,
    /** What the order's other cases refunded (a return's refund is capped by it). */
    refundedOnOrder: ledger.refundedOnOrder,

    async evidence(caseId: string) {
      return db.evidence.findMany({ where: { caseId }, orderBy: { id: 'asc' }, select: { url: true, kind: true, addedBy: true, at: true } });
    },

    /** The messages the case has sent (or is sending) its customer, oldest first: what the outbox holds. */
    /** The case's messages, oldest first, and its order's item names (what the messages call the goods). */
    async messages(caseId: string) {
      const [messages, c] = await Promise.all([
        db.notification.findMany({ where: { caseId }, orderBy: { id: 'asc' }, select: { template: true, locale: true, channel: true, params: true, createdAt: true, sentAt: true, attempts: true, lastError: true } }),
        db.case.findUnique({ where: { id: caseId }, select: { orderSnapshot: true } }),
      ]);
      return { messages, itemNames: itemNamesOf(c?.orderSnapshot) };
    },

    /**
     * Adds the links the case does not have yet (a double click adds nothing) and, when any was new,
     * marks the case changed (its updatedAt, so the storefront's sync and the live updates hear of
     * it), in one statement. How many were new. `kinds[i]` is the kind of `urls[i]`.
     */
    async addEvidence(caseId: string, urls: string[], kinds: string[], addedBy: string): Promise<number> {
      const [row] = await sql.query<{ added: number }>(
        `WITH added AS (
           INSERT INTO "Evidence" ("caseId", url, kind, "addedBy")
           SELECT $1, u.url, u.kind, $4 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS u(url, kind, ord) ORDER BY u.ord
           ON CONFLICT ("caseId", url) DO NOTHING
           RETURNING 1
         ), touched AS (
           UPDATE "Case" SET "updatedAt" = now() WHERE id = $1 AND EXISTS (SELECT 1 FROM added)
         )
         SELECT count(*)::int AS added FROM added`,
        [caseId, urls, kinds, addedBy],
      );
      return row?.added ?? 0;
    },

    /**
     * A root cause found for a case (002 taxonomy), validated by the caller; the latest one counts.
     * The same cause as the latest is not recorded again (a retried request, a second click): false.
     */
    async recordRootCause(caseId: string, actor: string, record: Record<string, unknown>): Promise<boolean> {
      const added = await db.$executeRaw`
        INSERT INTO "CaseEvent" ("caseId", "stepKey", kind, actor, data)
        SELECT ${caseId}, ${`root-cause:${randomUUID()}`}, 'ROOT_CAUSE_RECORDED', ${actor}, ${JSON.stringify(record)}::jsonb
         WHERE NOT EXISTS (
           SELECT 1 FROM (SELECT data FROM "CaseEvent" WHERE "caseId" = ${caseId} AND kind = 'ROOT_CAUSE_RECORDED' ORDER BY at DESC, id DESC LIMIT 1) latest
            WHERE latest.data = ${JSON.stringify(record)}::jsonb)`;
      return added > 0;
    },

    /**
     * On the case a complaint is about, that it was made (COMPLAINT_OPENED, naming the complaint):
     * an agent reading the case later sees the customer complained. Once per complaint.
     */
    async recordComplaintAbout(caseId: string, complaint: { caseId: string; category: string }, actor: string) {
      await db.caseEvent.createMany({ data: [{ caseId, stepKey: `complaint:${complaint.caseId}`, kind: 'COMPLAINT_OPENED', actor, data: { relatedCaseId: complaint.caseId, category: complaint.category } }], skipDuplicates: true });
    },

    async addNote(caseId: string, actor: string, text: string) {
      await db.caseEvent.create({ data: { caseId, stepKey: `note:${randomUUID()}`, kind: 'NOTE', actor, data: { text } }, select: { id: true } });
    },

    /**
     * Cases waiting on the warehouse, the soonest deadline first: found by Case(merchantId, status,
     * createdAt) and sorted in the database — the waiting set is small, and a second index on
     * (merchantId, status, …) made the planner pick it for the agents' list filters instead.
     */
    /** Cases waiting on the warehouse, of `merchantId` (undefined: every merchant's), only at `stages` when given. */
    async waitingOnWarehouse(merchantId: string | undefined, limit: number, stages?: string[]) {
      return db.case.findMany({
        // A repair waits on the warehouse (domain/waiting.ts) though cases opened before it said so were left OPEN.
        // A parcel being intercepted waits on the courier to bring it and on the warehouse to scan it in: the dock must expect it.
        // So does a loan product due back (the customer sends it with no shipment entered first, so its case waits on the customer).
        where: {
          OR: [
            { status: 'WAITING_WAREHOUSE' },
            { stage: 'AWAITING_REPAIR', status: 'OPEN' },
            { stage: 'AWAITING_INTERCEPTED_PARCEL', status: 'WAITING_COURIER' },
            { stage: 'AWAITING_SUBSTITUTE_RETURN', status: 'WAITING_CUSTOMER' },
          ],
          ...(merchantId ? { merchantId } : {}),
          ...(stages ? { stage: { in: stages } } : {}),
        },
        orderBy: [{ nextDeadlineAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }],
        take: limit,
        // The order and the request: what the warehouse is to expect or check (api/routes/warehouse-tasks.ts).
        select: { id: true, merchantId: true, type: true, stage: true, nextDeadlineAt: true, late: true, escalated: true, orderId: true, returnTrackingNumber: true, orderSnapshot: true, request: true },
      });
    },

    /** The case's steps of these kinds (its timeline), oldest first: kind, when, by whom. */
    async stepsOf(caseId: string, kinds: string[]): Promise<Array<{ kind: string; at: Date; actor: string; data: unknown }>> {
      return db.caseEvent.findMany({ where: { caseId, kind: { in: kinds } }, orderBy: { id: 'asc' }, select: { kind: true, at: true, actor: true, data: true } });
    },

    /** The data of the case's latest step of one of these kinds (its timeline), or null when it has none. */
    async latestStepData(caseId: string, kinds: string[]): Promise<Record<string, unknown> | null> {
      const e = await db.caseEvent.findFirst({ where: { caseId, kind: { in: kinds } }, orderBy: { id: 'desc' }, select: { data: true } });
      return e ? ((e.data ?? {}) as Record<string, unknown>) : null;
    },

    /** The claim a carrier decides on: the case and parcel it was filed for (from the claim's timeline entry). */
    async filedClaim(claimId: string, carrier: string): Promise<{ caseId: string; carrier: string; trackingNumber: string; claimedMinor: number; filedAt: Date } | null> {
      // A claim id is the carrier's: two carriers may number alike, and one that restarts its
      // numbering (the simulator, on a restart) names its newest claim so. The carrier's newest claim of that id.
      const filed = await db.caseEvent.findMany({ where: { kind: 'CLAIM_FILED', data: { path: ['claimId'], equals: claimId } }, select: { caseId: true, data: true, at: true }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
      const e = filed.find((f) => carrierCodeOf(String((f.data as { carrier?: unknown } | null)?.carrier ?? '')) === carrier);
      const d = e?.data as { claimId?: string; carrier?: string; trackingNumber?: string; claimedMinor?: number; filedAt?: number } | undefined;
      if (!e || !d?.carrier || !d.trackingNumber || typeof d.claimedMinor !== 'number') return null;
      // When it was filed: the claim process's own time, or the step's row when that was written first
      // (the row can come later than the filing, when the step's write waited on a worker).
      const filedAt = typeof d.filedAt === 'number' && d.filedAt < e.at.getTime() ? new Date(d.filedAt) : e.at;
      return { caseId: e.caseId, carrier: d.carrier, trackingNumber: d.trackingNumber, claimedMinor: d.claimedMinor, filedAt };
    },

    /** The parcel a case follows from its opening (the shipment it is about). */
    async followParcel(caseId: string, p: { carrier: string; trackingNumber: string; role: string }) {
      await db.caseParcel.createMany({ data: [{ caseId, carrier: carrierCodeOf(p.carrier), trackingNumber: normaliseTrackingNumber(p.trackingNumber), role: p.role }], skipDuplicates: true });
    },

    /**
     * The lines of the latest agent's approval, by case, for the cases an agent approved lines of:
     * `approvedLinesOf` (domain/goods-lines.ts) over many cases' timelines in one statement. What
     * such a case expects back is those lines, not its whole request (`approvedOrAsked`).
     */
    async approvedLines(caseIds: string[]): Promise<Map<string, unknown>> {
      if (!caseIds.length) return new Map();
      const rows = await sql.query<{ caseId: string; lines: unknown }>(
        `SELECT DISTINCT ON ("caseId") "caseId", decision->'values'->'lines' AS lines FROM "CaseEvent"
          WHERE "caseId" = ANY($1::text[]) AND kind = 'SOLUTION_PROPOSED' AND decision->>'rule' = 'agentDecision' AND decision->>'outcome' = 'APPROVE'
          ORDER BY "caseId", id DESC`,
        [caseIds],
      );
      return new Map(rows.filter((r) => Array.isArray(r.lines)).map((r) => [r.caseId, r.lines]));
    },

    /**
     * Every case a parcel belongs to, of `merchantId` when given (undefined: every merchant's): as the
     * case's return (its row) or as a parcel it follows (CaseParcel), open cases first, newest first.
     */
    async casesOfParcel(trackingNumber: string, merchantId: string | undefined) {
      const rows = await sql.query<{ id: string; type: string; stage: string; status: string; orderId: string; orderSnapshot: unknown; request: unknown; role: string; carrier: string | null }>(
        `SELECT c.id, c.type::text AS type, c.stage, c.status::text AS status, c."orderId", c."orderSnapshot", c.request, p.role, p.carrier
           FROM (SELECT "caseId", role, carrier FROM "CaseParcel" WHERE "trackingNumber" = $1
                 UNION SELECT id, 'RETURN', NULL FROM "Case" WHERE "returnTrackingNumber" = $1) p
           JOIN "Case" c ON c.id = p."caseId"
          WHERE ($2::text IS NULL OR c."merchantId" = $2)
          ORDER BY (c.status::text NOT IN ('RESOLVED', 'CLOSED')) DESC, c."createdAt" DESC
          LIMIT 20`,
        [trackingNumber, merchantId ?? null],
      );
      // A return kept both on the row and as a followed parcel: once, with its carrier.
      const seen = new Map<string, (typeof rows)[number]>();
      for (const r of rows) {
        const key = `${r.id}\u0000${r.role}`;
        const had = seen.get(key);
        if (!had || (!had.carrier && r.carrier)) seen.set(key, r);
      }
      return [...seen.values()];
    },

    /** Every case following a parcel with this tracking number, under whichever carrier. */
    async casesFollowing(trackingNumber: string) {
      return db.caseParcel.findMany({ where: { trackingNumber }, select: { carrier: true, role: true, case: { select: { id: true, type: true, createdAt: true, status: true, merchantId: true, orderId: true, customerId: true } } } });
    },

    /** Records a courier's event once per step key: true when it is new on the case (false: sent before). */
    async recordCourierEvent(caseId: string, stepKey: string, data: Record<string, unknown>): Promise<boolean> {
      try {
        await db.caseEvent.create({ data: { caseId, stepKey, kind: 'COURIER_EVENT', actor: `courier:${String(data.carrier)}`, data: data as Prisma.InputJsonValue }, select: { id: true } });
        return true;
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return false;
        throw err;
      }
    },

    /** The courier events already recorded under any of `stepKeys` on any of these cases (a resent event id). */
    async recordedCourierEvents(caseIds: string[], stepKeys: string[]): Promise<Array<{ caseId: string; stepKey: string; data: Record<string, unknown> }>> {
      const rows = await db.caseEvent.findMany({ where: { caseId: { in: caseIds }, stepKey: { in: stepKeys } }, select: { caseId: true, stepKey: true, data: true } });
      return rows.map((r) => ({ caseId: r.caseId, stepKey: r.stepKey, data: (r.data ?? {}) as Record<string, unknown> }));
    },

    /** Keyset-paged list by the agent filters, newest first, most urgent first or by last change (db/case-queue.ts). */
    async listCases(f: CaseFilter): Promise<{ items: CaseSummary[]; nextCursor?: string; syncCursor?: string }> {
      // A first sync (no cursor) that lists nothing still hands out where the next one goes on from.
      const horizon = f.order === 'updated' && !f.cursor ? await syncHorizon(sql) : undefined;
      const rows = await caseQueuePage<CaseSummaryRow & { changeSeq?: string }>(sql, f, CASE_SUMMARY_COLUMNS);
      const page = rows.slice(0, f.limit);
      const last = page.at(-1);
      return {
        items: page.map(({ changeSeq: _, ...r }) => summaryOf(r)),
        nextCursor: rows.length > f.limit ? caseCursor(f.order, last!) : undefined,
        // The sync order: where the next sync goes on from (this page's last case, else where this one began).
        ...(f.order === 'updated' ? { syncCursor: last ? caseCursor(f.order, last) : (f.cursor ?? horizon) } : {}),
      };
    },
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
