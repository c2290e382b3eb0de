/**
 * The carrier's side of a courier claim: once a claim is filed at the courier stub, the carrier
 * pays it in full and pushes its decision to the platform (`POST /v1/couriers/:carrier/claims/:id/decision`,
 * signed with the carrier's secret, like a real carrier callback). Without the push the claim
 * process would ask again only after days. The push is repeated until the API accepts it (202):
 * the API may be down, or the claim not yet on record (the worker was killed between filing it and
 * recording it) — a 404 then is "not yet", asked again.
 */
import { sign, SIGNATURE_HEADER } from '../adapters/http/signature.js';
import type { ClaimRecord } from './stubs.js';
import { errorText, pause } from './util.js';

export interface ClaimDecisionDelivery {
  claimId: string;
  attempts: number;
  /** When the API accepted it; undefined while still trying (or given up). */
  acceptedAt?: number;
  lastProblem?: string;
}

export class Carrier {
  readonly deliveries = new Map<string, ClaimDecisionDelivery>();

  constructor(
    private readonly apiUrl: string,
    private readonly secrets: Record<string, string>,
    private readonly options: { stopped: () => boolean; patienceMs: number },
  ) {}

  /** Decides at once (paid in full) and delivers the decision in the background. */
  decide(claim: ClaimRecord): void {
    claim.decision = { status: 'PAID', paidMinor: claim.amountMinor, at: Date.now() };
    const delivery: ClaimDecisionDelivery = { claimId: claim.claimId, attempts: 0 };
    this.deliveries.set(claim.claimId, delivery);
    void this.deliver(claim, delivery);
  }

  get pending(): number {
    return [...this.deliveries.values()].filter((d) => d.acceptedAt === undefined).length;
  }

  private async deliver(claim: ClaimRecord, d: ClaimDecisionDelivery): Promise<void> {
    const until = Date.now() + this.options.patienceMs;
    const body = JSON.stringify({ status: claim.decision!.status, paidMinor: claim.decision!.paidMinor, at: claim.decision!.at });
    while (!this.options.stopped() && Date.now() < until) {
      d.attempts += 1;
      try {
        const path = `/v1/couriers/${claim.carrier}/claims/${claim.claimId}/decision`;
        const res = await fetch(`${this.apiUrl}${path}`, {
          method: 'POST',
          // v2: the signature covers the URL, which names the claim (a decision takes no other form).
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(this.secrets[claim.carrier] ?? '', body, Math.floor(Date.now() / 1000), { method: 'POST', path }) },
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        // 404 "already closed" after a lost answer: an earlier attempt got through and the claim process has ended.
        if (res.status === 202 || (res.status === 404 && d.lastProblem !== undefined && text.includes('already closed'))) {
          d.acceptedAt = Date.now();
          return;
        }
        d.lastProblem = `${res.status} ${text.slice(0, 200)}`;
      } catch (err) {
        d.lastProblem = errorText(err);
      }
      await pause(1_000 + Math.floor(Math.random() * 1_000));
    }
  }
}
