/**
 * The checks at the end, from three independent sources: what the clients drove (and what each
 * case must come to), what the provider stubs saw (refunds paid, claims filed), and what Postgres
 * holds (cases, ledger). Money must have moved exactly once on both sides and the two must agree.
 *
 *   DUPLICATE   money paid, booked or claimed more than once, more than due, or a second case
 *               opened for one order by a retried opening
 *   LOSS        money due and not paid, paid and not booked, booked and not paid, a claim paid
 *               and not recovered in the books, or books that disagree on an amount
 *   NOT_ENDED   a case that did not reach its end state (or a claim decision never taken)
 *   PROTOCOL    a provider saw a bad signature, or one Idempotency-Key with two different requests
 */
import type { Carrier } from './carrier.js';
import type { CaseRow, LedgerRow } from './db.js';
import type { CaseRecord } from './drive.js';
import type { ProviderStubs } from './stubs.js';

export type FindingKind = 'DUPLICATE' | 'LOSS' | 'NOT_ENDED' | 'PROTOCOL';

export interface Finding {
  kind: FindingKind;
  caseId?: string;
  type?: string;
  /** The step: an idempotency key (`<case>:refund`), a client command, or the opening. */
  step?: string;
  detail: string;
}

export interface TypeFigures {
  type: string;
  cases: number;
  ended: number;
  refundsDue: number;
  providerRefunds: number;
  ledgerRefunds: number;
  claimsDue: number;
  providerClaims: number;
  ledgerRecoveries: number;
}

export interface Verification {
  types: TypeFigures[];
  endStates: Record<string, number>;
  money: {
    providerRefunds: number;
    providerRefundedMinor: number;
    ledgerRefunds: number;
    ledgerRefundedMinor: number;
    providerClaims: number;
    claimedMinor: number;
    ledgerRecoveries: number;
    recoveredMinor: number;
    /** Every provider refund booked once with its amount, and every booked refund paid. */
    agree: boolean;
  };
  findings: Finding[];
}

export interface VerifyInput {
  records: CaseRecord[];
  cases: CaseRow[];
  ledger: LedgerRow[];
  stubs: ProviderStubs;
  carrier: Carrier;
}

const groupBy = <T>(items: T[], key: (t: T) => string) => {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
};
const sum = (xs: Array<{ amountMinor: number }>) => xs.reduce((s, x) => s + x.amountMinor, 0);

export function verify({ records, cases, ledger, stubs, carrier }: VerifyInput): Verification {
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);
  const rowsByOrder = groupBy(cases, (c) => c.orderId);
  const refundsByOrder = groupBy(stubs.refunds, (r) => r.orderId);
  const claimsByParcel = groupBy(stubs.claims, (c) => c.trackingNumber);
  const ledgerRefunds = ledger.filter((l) => l.kind === 'REFUND');
  const recoveries = ledger.filter((l) => l.kind === 'CLAIM_RECOVERY');
  const bookedRefunds = groupBy(ledgerRefunds, (l) => l.reference ?? '');
  const bookedRecoveries = groupBy(recoveries, (l) => l.reference ?? '');
  const endStates: Record<string, number> = {};
  const figures = new Map<string, TypeFigures>();

  for (const r of records) {
    const t = figures.get(r.type) ?? { type: r.type, cases: 0, ended: 0, refundsDue: 0, providerRefunds: 0, ledgerRefunds: 0, claimsDue: 0, providerClaims: 0, ledgerRecoveries: 0 };
    figures.set(r.type, t);
    t.cases += 1;
    const at = { caseId: r.caseId, type: r.type };
    const rows = rowsByOrder.get(r.facts.orderId) ?? [];
    const row = rows.find((c) => c.id === r.caseId);
    const ended = !!row && row.stage === 'CLOSED' && row.closeReason === r.expected.closeReason;
    endStates[row ? `${row.stage}/${row.closeReason ?? '-'}` : 'no case'] = (endStates[row ? `${row.stage}/${row.closeReason ?? '-'}` : 'no case'] ?? 0) + 1;
    if (ended) t.ended += 1;
    else {
      const where = r.failure ? `client stopped at "${r.failure.step}": ${r.failure.message}` : `client ${r.outcome}`;
      add({ kind: 'NOT_ENDED', ...at, step: r.failure?.step, detail: `ended at ${row ? `${row.stage}/${row.closeReason ?? '-'}` : 'no case row'}, expected CLOSED/${r.expected.closeReason}; ${where}` });
    }
    // One order, one case: a second row is a retried opening the platform did twice.
    if (rows.length > 1) {
      const when = (c: CaseRow) => c.createdAt.toISOString().slice(11, 23);
      const others = rows.filter((c) => c.id !== r.caseId).map((c) => `${c.id} (stage ${c.stage}, created ${when(c)})`);
      const own = row ? `${row.id} (created ${when(row)})` : '(none: no answer)';
      add({ kind: 'DUPLICATE', ...at, step: 'open', detail: `order ${r.facts.orderId} has ${rows.length} cases from one opening (one Idempotency-Key): the client's ${own} and ${others.join(', ')}` });
    }

    // --- refunds: at the provider, per order (whichever case of the order paid them) ---
    const paid = refundsByOrder.get(r.facts.orderId) ?? [];
    const due = r.expected.refundMinor;
    t.refundsDue += due > 0 ? 1 : 0;
    t.providerRefunds += paid.length;
    const booked = ledgerRefunds.filter((l) => rows.some((c) => c.id === l.caseId));
    t.ledgerRefunds += booked.length;
    if (paid.length > (due > 0 ? 1 : 0)) add({ kind: 'DUPLICATE', ...at, step: paid.map((p) => p.idempotencyKey).join(', '), detail: `${paid.length} refunds paid for order ${r.facts.orderId}: ${paid.map((p) => `${p.amountMinor} (key ${p.idempotencyKey})`).join(', ')}; due once: ${due}` });
    else if (paid.length === 1 && paid[0]!.amountMinor !== due) {
      add({ kind: paid[0]!.amountMinor > due ? 'DUPLICATE' : 'LOSS', ...at, step: paid[0]!.idempotencyKey, detail: `refunded ${paid[0]!.amountMinor}, due ${due}` });
    } else if (paid.length === 0 && due > 0 && ended) add({ kind: 'LOSS', ...at, step: 'refund', detail: `case closed ${row!.closeReason} but the payment provider never paid the ${due} due` });
    const orderPaid = stubs.paidTotals.get(r.facts.orderId) ?? 0;
    if (sum(paid) > orderPaid) add({ kind: 'DUPLICATE', ...at, detail: `refunds of order ${r.facts.orderId} reach ${sum(paid)}, more than the ${orderPaid} paid` });
    if (booked.length > paid.length) add({ kind: 'DUPLICATE', ...at, step: booked.map((b) => b.idempotencyKey).join(', '), detail: `${booked.length} REFUND ledger entries for ${paid.length} refunds paid` });

    // --- courier claims: filed once for the parcel, the carrier's payment booked once ---
    const claims = claimsByParcel.get(r.facts.tracking) ?? [];
    t.claimsDue += r.expected.claimMinor > 0 ? 1 : 0;
    t.providerClaims += claims.length;
    t.ledgerRecoveries += recoveries.filter((l) => rows.some((c) => c.id === l.caseId)).length;
    if (claims.length > (r.expected.claimMinor > 0 ? 1 : 0)) add({ kind: 'DUPLICATE', ...at, step: claims.map((c) => c.idempotencyKey).join(', '), detail: `${claims.length} claims filed for parcel ${r.facts.tracking}` });
    else if (claims.length === 1 && claims[0]!.amountMinor !== r.expected.claimMinor) add({ kind: 'LOSS', ...at, step: claims[0]!.idempotencyKey, detail: `claimed ${claims[0]!.amountMinor}, due ${r.expected.claimMinor}` });
    else if (claims.length === 0 && r.expected.claimMinor > 0 && ended) add({ kind: 'LOSS', ...at, step: 'claim', detail: `case closed but no claim was filed for parcel ${r.facts.tracking}` });
  }

  // --- the two books agree: every provider refund booked once with its amount, every booked refund paid ---
  let agree = true;
  for (const p of stubs.refunds) {
    const entries = bookedRefunds.get(p.refundId) ?? [];
    if (entries.length === 0) {
      agree = false;
      add({ kind: 'LOSS', step: p.idempotencyKey, detail: `refund ${p.refundId} (${p.amountMinor}, order ${p.orderId}) paid at the provider but not in the ledger` });
    } else if (entries.length > 1) {
      agree = false;
      add({ kind: 'DUPLICATE', caseId: entries[0]!.caseId, step: p.idempotencyKey, detail: `refund ${p.refundId} booked ${entries.length} times` });
    } else if (entries[0]!.amountMinor !== -p.amountMinor) {
      agree = false;
      add({ kind: 'LOSS', caseId: entries[0]!.caseId, step: entries[0]!.idempotencyKey, detail: `refund ${p.refundId}: provider paid ${p.amountMinor}, ledger says ${-entries[0]!.amountMinor}` });
    }
  }
  for (const l of ledgerRefunds) {
    if (!stubs.refunds.some((p) => p.refundId === l.reference)) {
      agree = false;
      add({ kind: 'LOSS', caseId: l.caseId, step: l.idempotencyKey, detail: `ledger REFUND ${-l.amountMinor} (reference ${l.reference}) that the payment provider never paid` });
    }
  }
  // Claims: what the carrier paid is booked once, never above the claim.
  for (const c of stubs.claims) {
    const entries = bookedRecoveries.get(c.claimId) ?? [];
    const delivered = carrier.deliveries.get(c.claimId);
    if (entries.length > 1) add({ kind: 'DUPLICATE', caseId: entries[0]!.caseId, step: c.idempotencyKey, detail: `claim ${c.claimId} recovery booked ${entries.length} times` });
    else if (entries.length === 1 && entries[0]!.amountMinor !== c.decision?.paidMinor) add({ kind: 'LOSS', caseId: entries[0]!.caseId, step: c.idempotencyKey, detail: `claim ${c.claimId}: carrier paid ${c.decision?.paidMinor}, ledger booked ${entries[0]!.amountMinor}` });
    else if (entries.length === 0 && delivered?.acceptedAt) add({ kind: 'LOSS', step: c.idempotencyKey, detail: `claim ${c.claimId} paid by the carrier (decision accepted by the API) but no CLAIM_RECOVERY in the ledger` });
    else if (entries.length === 0) add({ kind: 'NOT_ENDED', step: c.idempotencyKey, detail: `claim ${c.claimId}: the carrier's decision was never accepted (${delivered?.attempts ?? 0} attempts, last: ${delivered?.lastProblem ?? '-'})` });
  }
  for (const l of recoveries) {
    if (!stubs.claims.some((c) => c.claimId === l.reference)) add({ kind: 'LOSS', caseId: l.caseId, step: l.idempotencyKey, detail: `CLAIM_RECOVERY ${l.amountMinor} for claim ${l.reference}, unknown to the courier` });
  }

  // --- the protocol itself ---
  for (const k of stubs.keyConflicts) add({ kind: 'PROTOCOL', step: k.key, detail: `${k.provider}: one Idempotency-Key sent with two different requests` });
  for (const o of stubs.refusedRefunds) add({ kind: 'DUPLICATE', step: o.idempotencyKey, detail: `refund of ${o.amountMinor} on order ${o.orderId} refused by the provider: ${o.alreadyMinor} already refunded of ${o.paidMinor} paid` });
  if (stubs.badSignatures) add({ kind: 'PROTOCOL', detail: `${stubs.badSignatures} provider requests with a missing or wrong signature` });
  // Cases of the merchant for orders no client opened (cannot happen unless ids collide): listed, not hidden.
  const known = new Set(records.map((r) => r.facts.orderId));
  for (const c of cases) if (!known.has(c.orderId)) add({ kind: 'DUPLICATE', caseId: c.id, detail: `case for unknown order ${c.orderId}` });

  return {
    types: [...figures.values()],
    endStates,
    money: {
      providerRefunds: stubs.refunds.length,
      providerRefundedMinor: sum(stubs.refunds),
      ledgerRefunds: ledgerRefunds.length,
      ledgerRefundedMinor: -sum(ledgerRefunds),
      providerClaims: stubs.claims.length,
      claimedMinor: sum(stubs.claims),
      ledgerRecoveries: recoveries.length,
      recoveredMinor: sum(recoveries),
      agree,
    },
    findings,
  };
}
