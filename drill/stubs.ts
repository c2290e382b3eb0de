/**
 * The four providers (payment, courier gateway, notifications, warehouse system) as HTTP stubs in
 * the drill process — which is never killed — speaking the protocol of adapters/http: signed JSON
 * (`X-Signature`, checked here with each provider's own secret) and `Idempotency-Key` on every
 * mutating call, honoured the way a real provider does: the same key with the same request gets
 * the first answer again and has no second effect; the same key with another request is 422
 * IDEMPOTENCY_KEY_REUSED. Every request is recorded, so the drill counts effects (refunds paid,
 * claims filed) on the provider side, independently of what the platform believes it did.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SIGNATURE_HEADER, verify } from '../adapters/http/signature.js';
import { canonicalJson } from './util.js';

export const PROVIDERS = ['payment', 'courier', 'notifier', 'warehouse'] as const;
export type Provider = (typeof PROVIDERS)[number];

interface Answer {
  status: number;
  body: unknown;
}

export interface RefundRecord {
  refundId: string;
  idempotencyKey: string;
  merchantId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  at: number;
}

export interface ClaimRecord {
  claimId: string;
  idempotencyKey: string;
  carrier: string;
  trackingNumber: string;
  amountMinor: number;
  currency: string;
  at: number;
  /** Set when the carrier (the drill) decides; GET /v1/claims/:id tells it from then on. */
  decision?: { status: 'PAID'; paidMinor: number; at: number };
  /** Set when the platform withdrew it before the carrier decided (the parcel turned up). */
  withdrawnAt?: number;
}

export interface RequestRecord {
  at: number;
  provider: string;
  method: string;
  path: string;
  key?: string;
  status: number;
  replay: boolean;
}

const json = (status: number, body: unknown): Answer => ({ status, body });
const refusal = (status: number, code: string, message: string): Answer => ({ status, body: { code, message } });

export class ProviderStubs {
  readonly refunds: RefundRecord[] = [];
  readonly claims: ClaimRecord[] = [];
  /** Refunds the provider refused because they would pay back more than the order's payment. */
  readonly refusedRefunds: Array<{ idempotencyKey: string; orderId: string; amountMinor: number; alreadyMinor: number; paidMinor: number }> = [];
  readonly requests: RequestRecord[] = [];
  readonly replays: Record<Provider, number> = { payment: 0, courier: 0, notifier: 0, warehouse: 0 };
  readonly keyConflicts: Array<{ provider: Provider; key: string }> = [];
  badSignatures = 0;
  messages = 0;

  /** The world the platform asks about, set up by the scenarios before a case opens. */
  readonly paidTotals = new Map<string, number>();
  readonly parcels = new Map<string, 'IN_TRANSIT' | 'EXCEPTION' | 'DELIVERED'>();
  readonly wmsOrders = new Map<string, { status: 'NOT_PICKED' | 'PICKED' | 'CANCELLED' | 'SHIPPED'; outboundId?: string }>();

  /** Hooks: the chaos kills the worker while a refund answer is on its way; the carrier decides filed claims. */
  onRefundRequest: (() => void) | undefined;
  onClaimFiled: ((claim: ClaimRecord) => void) | undefined;

  private readonly remembered = new Map<string, { hash: string; answer: Answer }>();
  private server: Server | undefined;

  constructor(readonly secrets: Record<Provider, string>) {}

  /** Listens on a free port; returns `http://127.0.0.1:<port>` (each provider under its own path prefix). */
  async listen(): Promise<string> {
    // A request cut off mid-way (its caller was killed) must not take the drill down with it.
    const server = createServer((req, res) => void this.handle(req, res).catch(() => res.destroy()));
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stub');
    const [, provider, ...rest] = url.pathname.split('/');
    const path = `/${rest.join('/')}`;
    const method = req.method ?? 'GET';
    const key = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    let answer: Answer;
    let replay = false;
    if (!(PROVIDERS as readonly string[]).includes(provider ?? '')) answer = refusal(404, 'NOT_FOUND', 'no such provider');
    else {
      const p = provider as Provider;
      const signature = req.headers[SIGNATURE_HEADER.toLowerCase()];
      if (!verify(this.secrets[p], typeof signature === 'string' ? signature : undefined, raw, { toleranceSeconds: 300, now: Date.now() })) {
        this.badSignatures += 1;
        answer = refusal(401, 'BAD_SIGNATURE', 'signature missing, stale or wrong');
      } else {
        let body: Record<string, any> | undefined;
        try {
          body = raw ? (JSON.parse(raw) as Record<string, any>) : {};
        } catch {
          body = undefined;
        }
        if (!body) answer = refusal(400, 'INVALID_JSON', 'body is not JSON');
        else if (method === 'POST') {
          const parsed = body;
          ({ answer, replay } = this.idempotent(p, key, parsed, () => this.route(p, method, path, parsed, key!)));
        }
        else answer = this.route(p, method, path, body, '');
      }
    }
    this.requests.push({ at: Date.now(), provider: provider ?? '', method, path, ...(key ? { key } : {}), status: answer.status, replay });
    // A real provider commits, then answers: the answer to a refund takes a moment, the window in
    // which a worker killed now has paid without learning it (its retry must be a replay).
    if (provider === 'payment' && method === 'POST') {
      this.onRefundRequest?.();
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 130)));
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }

  /** One effect per Idempotency-Key; the first answer (success or refusal) is the answer for good. */
  private idempotent(provider: Provider, key: string | undefined, body: unknown, effect: () => Answer): { answer: Answer; replay: boolean } {
    if (!key) return { answer: refusal(400, 'IDEMPOTENCY_KEY_REQUIRED', 'mutating calls need an Idempotency-Key'), replay: false };
    const hash = canonicalJson(body);
    const earlier = this.remembered.get(`${provider} ${key}`);
    if (earlier) {
      if (earlier.hash !== hash) {
        this.keyConflicts.push({ provider, key });
        return { answer: refusal(422, 'IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used with another request'), replay: false };
      }
      this.replays[provider] += 1;
      return { answer: earlier.answer, replay: true };
    }
    const answer = effect();
    this.remembered.set(`${provider} ${key}`, { hash, answer });
    return { answer, replay: false };
  }

  /** `key`: the Idempotency-Key of a POST, kept with the effect it caused. */
  private route(provider: Provider, method: string, path: string, body: Record<string, any>, key: string): Answer {
    const m = (pattern: RegExp) => pattern.exec(path);
    let r: RegExpExecArray | null;
    switch (provider) {
      case 'payment':
        if (method === 'POST' && path === '/v1/refunds') return this.refund(body, key);
        if (method === 'GET' && (r = m(/^\/v1\/refunds\/([^/]+)$/))) {
          const f = this.refunds.find((x) => x.refundId === decodeURIComponent(r![1]!));
          return f ? json(200, { refundId: f.refundId, status: 'SUCCEEDED', amountMinor: f.amountMinor, orderId: f.orderId, currency: f.currency }) : refusal(404, 'NOT_FOUND', 'refund not found');
        }
        break;
      case 'courier':
        if (method === 'GET' && (r = m(/^\/v1\/carriers\/([^/]+)\/parcels\/([^/]+)$/))) return json(200, { status: this.parcels.get(decodeURIComponent(r[2]!)) ?? 'NO_TRACE', events: [] });
        if (method === 'POST' && path === '/v1/claims') return this.fileClaim(body, key);
        if (method === 'GET' && (r = m(/^\/v1\/claims\/([^/]+)$/))) {
          const c = this.claims.find((x) => x.claimId === decodeURIComponent(r![1]!));
          if (!c) return refusal(404, 'NOT_FOUND', 'claim not found');
          return json(200, claimView(c));
        }
        if (method === 'POST' && (r = m(/^\/v1\/claims\/([^/]+)\/withdrawal$/))) {
          const c = this.claims.find((x) => x.claimId === decodeURIComponent(r![1]!));
          if (!c) return refusal(404, 'NOT_FOUND', 'claim not found');
          if (!c.decision) c.withdrawnAt ??= Date.now();
          return json(200, claimView(c));
        }
        if (method === 'POST' && path === '/v1/pickups') return json(200, { pickupId: `pk_${this.requests.length + 1}`, status: 'SCHEDULED' });
        if (method === 'POST' && path === '/v1/intercepts') return json(200, { interceptId: `ic_${this.requests.length + 1}`, status: 'REQUESTED' });
        break;
      case 'notifier':
        if (method === 'POST' && path === '/v1/messages') {
          this.messages += 1;
          return json(200, { messageId: `msg_${this.messages}` });
        }
        break;
      case 'warehouse':
        if (method === 'GET' && (r = m(/^\/v1\/orders\/([^/]+)\/fulfilment$/))) {
          const orderId = decodeURIComponent(r[1]!);
          const o = this.wmsOrders.get(orderId);
          return o ? json(200, { orderId, status: o.status, ...(o.outboundId ? { outboundId: o.outboundId } : {}) }) : refusal(404, 'NOT_FOUND', 'order not found');
        }
        if (method === 'POST' && (r = m(/^\/v1\/orders\/([^/]+)\/cancel$/))) {
          const orderId = decodeURIComponent(r[1]!);
          const o = this.wmsOrders.get(orderId);
          if (!o) return refusal(404, 'NOT_FOUND', 'order not found');
          if (o.status === 'SHIPPED') return refusal(422, 'ALREADY_SHIPPED', 'the order has left the warehouse');
          const reversed = o.status === 'PICKED' ? o.outboundId : undefined;
          this.wmsOrders.set(orderId, { ...o, status: 'CANCELLED' });
          return json(200, { orderId, status: 'CANCELLED', ...(reversed ? { reversedOutboundId: reversed } : {}) });
        }
        break;
    }
    return refusal(404, 'NOT_FOUND', `no route ${method} ${path}`);
  }

  /** Pays a refund — never more, over all refunds of the order, than the order's payment. */
  private refund(body: Record<string, any>, idempotencyKey: string): Answer {
    const { orderId, amountMinor, currency, merchantId } = body;
    if (typeof orderId !== 'string' || !Number.isSafeInteger(amountMinor) || amountMinor <= 0 || typeof currency !== 'string') return refusal(400, 'INVALID_REQUEST', 'orderId, amountMinor > 0 and currency are required');
    const paidMinor = this.paidTotals.get(orderId);
    if (paidMinor === undefined) return refusal(404, 'NOT_FOUND', `no payment for order ${orderId}`);
    const alreadyMinor = this.refunds.filter((x) => x.orderId === orderId).reduce((s, x) => s + x.amountMinor, 0);
    if (alreadyMinor + amountMinor > paidMinor) {
      this.refusedRefunds.push({ idempotencyKey, orderId, amountMinor, alreadyMinor, paidMinor });
      return refusal(422, 'REFUND_EXCEEDS_PAID', `refunds of ${orderId} would reach ${alreadyMinor + amountMinor}, more than the ${paidMinor} paid`);
    }
    const record: RefundRecord = { refundId: `rf_${this.refunds.length + 1}`, idempotencyKey, merchantId: String(merchantId), orderId, amountMinor, currency, at: Date.now() };
    this.refunds.push(record);
    return json(200, { refundId: record.refundId, status: 'SUCCEEDED', amountMinor });
  }

  private fileClaim(body: Record<string, any>, idempotencyKey: string): Answer {
    const { carrier, trackingNumber, amountMinor, currency } = body;
    if (typeof carrier !== 'string' || typeof trackingNumber !== 'string' || !Number.isSafeInteger(amountMinor) || amountMinor < 0) return refusal(400, 'INVALID_REQUEST', 'carrier, trackingNumber and amountMinor are required');
    const claim: ClaimRecord = { claimId: `cl_${this.claims.length + 1}`, idempotencyKey, carrier, trackingNumber, amountMinor, currency: String(currency), at: Date.now() };
    this.claims.push(claim);
    setImmediate(() => this.onClaimFiled?.(claim));
    return json(200, { claimId: claim.claimId, status: 'FILED' });
  }
}

/** A claim as the courier API answers it: decided, withdrawn, or still FILED. */
function claimView(c: ClaimRecord) {
  const d = c.decision;
  const status = d?.status ?? (c.withdrawnAt !== undefined ? 'WITHDRAWN' : 'FILED');
  return { claimId: c.claimId, status, carrier: c.carrier, trackingNumber: c.trackingNumber, claimedMinor: c.amountMinor, currency: c.currency, ...(d ? { paidMinor: d.paidMinor, decidedAt: d.at } : c.withdrawnAt !== undefined ? { decidedAt: c.withdrawnAt } : {}) };
}
