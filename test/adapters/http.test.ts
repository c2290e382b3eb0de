/**
 * The HTTP clients against a real local server standing in for the providers: it checks the
 * signature and the Idempotency-Key of every request the way a provider would, and answers what
 * each test tells it to.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { HttpCourierGateway } from '../../adapters/http/courier.js';
import { HttpNotifier } from '../../adapters/http/notifier.js';
import { HttpPaymentGateway } from '../../adapters/http/payment.js';
import { HttpWarehouseGateway } from '../../adapters/http/warehouse.js';
import { verify } from '../../adapters/http/signature.js';

const SECRET = 'provider-shared-secret';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  signatureValid: boolean;
}
interface Reply {
  status?: number;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Wait before sending headers. */
  delayMs?: number;
  /** Send headers and half a body, then stall. */
  stallBody?: boolean;
}

let server: Server;
let baseUrl: string;
let received: Received[] = [];
let reply: (r: Received) => Reply = () => ({ status: 500 });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        signatureValid: verify(SECRET, req.headers['x-signature'] as string | undefined, body, { toleranceSeconds: 300, now: Date.now() }),
      };
      received.push(r);
      // Like a provider: a wrongly signed request, or a mutation without an idempotency key, is refused before anything else.
      const out: Reply = !r.signatureValid
        ? { status: 401, body: { code: 'BAD_SIGNATURE', message: 'signature does not verify' } }
        : r.method === 'POST' && !req.headers['idempotency-key']
          ? { status: 400, body: { code: 'IDEMPOTENCY_KEY_REQUIRED', message: 'Idempotency-Key header is required' } }
          : reply(r);
      setTimeout(() => {
        res.writeHead(out.status ?? 200, { 'content-type': 'application/json', ...out.headers });
        const text = out.raw ?? JSON.stringify(out.body ?? {});
        if (out.stallBody) res.write(text.slice(0, 3));
        else res.end(text);
      }, out.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
});

const config = (over: Partial<{ secret: string; timeoutMs: number; baseUrl: string }> = {}) => ({ baseUrl, secret: SECRET, timeoutMs: 2000, ...over });
const refundRequest = { idempotencyKey: 'case-1:refund', merchantId: 'm1', orderId: 'o-1', amountMinor: 6666, currency: 'CNY', reason: 'return' };

async function failure(p: Promise<unknown>): Promise<AdapterError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdapterError);
  return err as AdapterError;
}

describe('payment over HTTP', () => {
  it('POSTs a signed JSON body with the Idempotency-Key header and returns the refund', async () => {
    reply = (r) => ({ status: 201, body: { refundId: 'rf_9', status: 'SUCCEEDED', amountMinor: JSON.parse(r.body).amountMinor } });
    const result = await new HttpPaymentGateway(config()).refund(refundRequest);
    expect(result).toEqual({ refundId: 'rf_9', status: 'SUCCEEDED', amountMinor: 6666 });
    const [req] = received;
    expect(req).toMatchObject({ method: 'POST', url: '/api/v1/refunds', signatureValid: true });
    expect(req!.headers['idempotency-key']).toBe('case-1:refund');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['x-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(JSON.parse(req!.body)).toEqual({ merchantId: 'm1', orderId: 'o-1', amountMinor: 6666, currency: 'CNY', reason: 'return' });
  });

  it("reads a refund the bank sent back, with its reason; a refund just asked for may not answer FAILED", async () => {
    reply = () => ({ status: 200, body: { refundId: 'rf_9', status: 'FAILED', failureReason: 'ACCOUNT_CLOSED', amountMinor: 6666, orderId: 'o-1', currency: 'CNY' } });
    expect(await new HttpPaymentGateway(config()).getRefund('rf_9')).toEqual({ refundId: 'rf_9', status: 'FAILED', failureReason: 'ACCOUNT_CLOSED', amountMinor: 6666, orderId: 'o-1', currency: 'CNY' });
    expect(await failure(new HttpPaymentGateway(config()).refund(refundRequest))).toMatchObject({ type: 'TRANSIENT', code: 'BAD_RESPONSE' });
  });

  it('signs GET requests too and maps 404 to NOT_FOUND', async () => {
    reply = () => ({ status: 404, body: { code: 'REFUND_NOT_FOUND', message: 'no such refund' } });
    const err = await failure(new HttpPaymentGateway(config()).getRefund('rf/../x'));
    expect(err).toMatchObject({ type: 'NOT_FOUND', code: 'REFUND_NOT_FOUND', status: 404, retryable: false, provider: 'payment' });
    expect(received[0]).toMatchObject({ method: 'GET', url: '/api/v1/refunds/rf%2F..%2Fx', signatureValid: true });
    expect(received[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('5xx is TRANSIENT and retryable', async () => {
    reply = () => ({ status: 503, body: { code: 'MAINTENANCE', message: 'try later' } });
    const err = await failure(new HttpPaymentGateway(config()).refund(refundRequest));
    expect(err).toMatchObject({ type: 'TRANSIENT', retryable: true, status: 503, code: 'MAINTENANCE' });
  });

  it('429 is TRANSIENT and carries Retry-After', async () => {
    reply = () => ({ status: 429, headers: { 'retry-after': '2' } });
    const err = await failure(new HttpPaymentGateway(config()).refund(refundRequest));
    expect(err).toMatchObject({ type: 'TRANSIENT', retryable: true, status: 429, code: 'HTTP_429', retryAfterMs: 2000 });
  });

  it('a 4xx business refusal is REJECTED with the provider code and message, not retryable', async () => {
    reply = () => ({ status: 422, body: { code: 'REFUND_EXCEEDS_PAID', message: 'refund exceeds captured amount' } });
    const err = await failure(new HttpPaymentGateway(config()).refund(refundRequest));
    expect(err).toMatchObject({ type: 'REJECTED', retryable: false, status: 422, code: 'REFUND_EXCEEDS_PAID', provider: 'payment' });
    expect(err.message).toBe('REFUND_EXCEEDS_PAID: refund exceeds captured amount');
  });

  it('reads the { error: { code, message } } envelope and maps 400 to INVALID_REQUEST', async () => {
    reply = () => ({ status: 400, body: { error: { code: 'BAD_CURRENCY', message: 'currency not supported' } } });
    const err = await failure(new HttpPaymentGateway(config()).refund(refundRequest));
    expect(err).toMatchObject({ type: 'INVALID_REQUEST', retryable: false, code: 'BAD_CURRENCY' });
  });

  it('a request signed with the wrong secret is refused by the provider (REJECTED BAD_SIGNATURE)', async () => {
    const err = await failure(new HttpPaymentGateway(config({ secret: 'wrong-secret' })).refund(refundRequest));
    expect(err).toMatchObject({ type: 'REJECTED', status: 401, code: 'BAD_SIGNATURE' });
    expect(received[0]!.signatureValid).toBe(false);
  });

  it('a slow provider is a TRANSIENT timeout', async () => {
    reply = () => ({ status: 200, body: { refundId: 'rf_1', status: 'SUCCEEDED', amountMinor: 6666 }, delayMs: 1000 });
    const started = Date.now();
    const err = await failure(new HttpPaymentGateway(config({ timeoutMs: 100 })).refund(refundRequest));
    expect(err).toMatchObject({ type: 'TRANSIENT', retryable: true, code: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('a provider that stalls in the middle of the body is a timeout too', async () => {
    reply = () => ({ status: 200, body: { refundId: 'rf_1', status: 'SUCCEEDED', amountMinor: 6666 }, stallBody: true });
    const err = await failure(new HttpPaymentGateway(config({ timeoutMs: 150 })).refund(refundRequest));
    expect(err).toMatchObject({ type: 'TRANSIENT', code: 'TIMEOUT' });
  });

  it('a refused connection is TRANSIENT', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await failure(new HttpPaymentGateway(config({ baseUrl: `http://127.0.0.1:${port}` })).refund(refundRequest));
    expect(err).toMatchObject({ type: 'TRANSIENT', retryable: true, code: 'NETWORK' });
  });

  it('a malformed success body is TRANSIENT (safe to ask again under the same key)', async () => {
    reply = () => ({ status: 200, raw: '<html>oops' });
    expect(await failure(new HttpPaymentGateway(config()).refund(refundRequest))).toMatchObject({ type: 'TRANSIENT', code: 'BAD_RESPONSE' });
    reply = () => ({ status: 200, body: { refundId: 'rf_1', status: 'DONE', amountMinor: 1 } });
    expect(await failure(new HttpPaymentGateway(config()).refund(refundRequest))).toMatchObject({ type: 'TRANSIENT', code: 'BAD_RESPONSE' });
  });

  it('refuses locally, without a request, what no provider should see', async () => {
    const gw = new HttpPaymentGateway(config());
    expect(await failure(gw.refund({ ...refundRequest, amountMinor: 66.6 }))).toMatchObject({ type: 'INVALID_REQUEST' });
    expect(await failure(gw.refund({ ...refundRequest, currency: 'rmb' }))).toMatchObject({ type: 'INVALID_REQUEST' });
    expect(await failure(gw.refund({ ...refundRequest, idempotencyKey: '' }))).toMatchObject({ type: 'INVALID_REQUEST' });
    expect(received).toEqual([]);
  });
});

describe('courier over HTTP', () => {
  it('tracks a parcel by carrier and number', async () => {
    reply = () => ({ body: { status: 'DELIVERED', events: [{ at: 1, code: 'SIGNED', description: 'signed', location: '上海' }], deliveredAt: 1 } });
    const trace = await new HttpCourierGateway(config()).track({ carrier: 'SF', trackingNumber: 'SF 1/2' });
    expect(trace).toEqual({ status: 'DELIVERED', events: [{ at: 1, code: 'SIGNED', description: 'signed', location: '上海' }], deliveredAt: 1 });
    expect(received[0]).toMatchObject({ method: 'GET', url: '/api/v1/carriers/SF/parcels/SF%201%2F2', signatureValid: true });
  });

  it('files a claim with its idempotency key', async () => {
    reply = () => ({ status: 201, body: { claimId: 'cl_7', status: 'FILED' } });
    const claim = { idempotencyKey: 'case-1:lost-return-claim', carrier: 'YTO', trackingNumber: 'YT1', amountMinor: 6666, currency: 'CNY', reason: 'lost', evidenceUrls: ['https://e/1.jpg'] };
    expect(await new HttpCourierGateway(config()).fileClaim(claim)).toEqual({ claimId: 'cl_7', status: 'FILED' });
    expect(received[0]!.headers['idempotency-key']).toBe('case-1:lost-return-claim');
    expect(received[0]).toMatchObject({ url: '/api/v1/claims', signatureValid: true });
  });

  it('withdraws a claim with its idempotency key, answered with the claim as it stands', async () => {
    reply = () => ({ body: { claimId: 'cl_7', status: 'WITHDRAWN', carrier: 'YTO', trackingNumber: 'YT1', claimedMinor: 6666, currency: 'CNY', decidedAt: 5 } });
    const withdrawn = await new HttpCourierGateway(config()).withdrawClaim({ idempotencyKey: 'case-1:claim:YT1:withdrawal', claimId: 'cl_7', reason: 'parcel delivered after all' });
    expect(withdrawn).toEqual({ claimId: 'cl_7', status: 'WITHDRAWN', carrier: 'YTO', trackingNumber: 'YT1', claimedMinor: 6666, currency: 'CNY', decidedAt: 5 });
    expect(received[0]).toMatchObject({ method: 'POST', url: '/api/v1/claims/cl_7/withdrawal', signatureValid: true });
    expect(received[0]!.headers['idempotency-key']).toBe('case-1:claim:YT1:withdrawal');
    expect(await failure(new HttpCourierGateway(config()).withdrawClaim({ idempotencyKey: '', claimId: 'cl_7', reason: 'x' }))).toMatchObject({ type: 'INVALID_REQUEST' });
  });

  it('an interception the carrier refuses is REJECTED with its code', async () => {
    reply = () => ({ status: 409, body: { code: 'ALREADY_DELIVERED', message: 'parcel signed for' } });
    const err = await failure(new HttpCourierGateway(config()).intercept({ idempotencyKey: 'case-1:intercept', carrier: 'SF', trackingNumber: 'SF1' }));
    expect(err).toMatchObject({ type: 'REJECTED', code: 'ALREADY_DELIVERED', status: 409 });
  });
});

describe('warehouse over HTTP', () => {
  it("reads an order's fulfilment", async () => {
    reply = () => ({ body: { orderId: 'o/1', status: 'PICKED', outboundId: 'ob-9', carrier: null } });
    expect(await new HttpWarehouseGateway(config()).orderStatus('o/1')).toEqual({ orderId: 'o/1', status: 'PICKED', outboundId: 'ob-9' });
    expect(received[0]).toMatchObject({ method: 'GET', url: '/api/v1/orders/o%2F1/fulfilment', signatureValid: true });
  });

  it('cancels with its idempotency key; a shipped order is REJECTED ALREADY_SHIPPED; an unknown status is a bad answer', async () => {
    reply = () => ({ body: { orderId: 'o-2', status: 'CANCELLED', reversedOutboundId: 'ob-2' } });
    expect(await new HttpWarehouseGateway(config()).cancelOrder({ idempotencyKey: 'case-2:cancel-order', orderId: 'o-2', reason: 'refund before shipping' })).toEqual({ orderId: 'o-2', status: 'CANCELLED', reversedOutboundId: 'ob-2' });
    expect(received[0]!.headers['idempotency-key']).toBe('case-2:cancel-order');
    expect(JSON.parse(received[0]!.body)).toEqual({ reason: 'refund before shipping' });
    reply = () => ({ status: 409, body: { code: 'ALREADY_SHIPPED', message: 'left the warehouse' } });
    expect(await failure(new HttpWarehouseGateway(config()).cancelOrder({ idempotencyKey: 'k-3', orderId: 'o-3', reason: 'r' }))).toMatchObject({ type: 'REJECTED', code: 'ALREADY_SHIPPED' });
    reply = () => ({ body: { orderId: 'o-4', status: 'LOST_IN_SPACE' } });
    expect(await failure(new HttpWarehouseGateway(config()).orderStatus('o-4'))).toMatchObject({ type: 'TRANSIENT', code: 'BAD_RESPONSE' });
  });
});

describe('notifier over HTTP', () => {
  it('sends the rendered text, signed, with the idempotency key', async () => {
    reply = () => ({ status: 202, body: { messageId: 'm-1' } });
    const res = await new HttpNotifier(config()).send({
      idempotencyKey: 'case-1:9:notify:refundIssued',
      to: { customerId: 'cust-1', channel: 'SMS' },
      template: 'refundIssued',
      locale: 'zh-CN',
      params: { amountMinor: 6666, currency: 'CNY' },
    });
    expect(res).toEqual({ messageId: 'm-1' });
    const sent = JSON.parse(received[0]!.body);
    expect(sent).toMatchObject({ to: { customerId: 'cust-1', channel: 'SMS' }, template: 'refundIssued', locale: 'zh-CN', subject: '退款已发起' });
    expect(sent.text).toContain('¥66.66');
    expect(received[0]!.headers['idempotency-key']).toBe('case-1:9:notify:refundIssued');
  });

  it('a message whose template does not render never leaves (INVALID_REQUEST)', async () => {
    const err = await failure(
      new HttpNotifier(config()).send({ idempotencyKey: 'k', to: { customerId: 'c', channel: 'APP' }, template: 'refundIssued', locale: 'en', params: { amountMinor: 1 } }),
    );
    expect(err).toMatchObject({ type: 'INVALID_REQUEST', code: 'TEMPLATE', retryable: false });
    expect(received).toEqual([]);
  });

  it('a template this version does not know is retried (a newer version may have queued it during an upgrade), and never leaves', async () => {
    const err = await failure(new HttpNotifier(config()).send({ idempotencyKey: 'k', to: { customerId: 'c', channel: 'APP' }, template: 'refundIssuedInSomeLaterVersion', locale: 'en', params: {} }));
    expect(err).toMatchObject({ type: 'TRANSIENT', code: 'TEMPLATE_UNKNOWN', retryable: true, message: expect.stringContaining('template refundIssuedInSomeLaterVersion: unknown template to this version') });
    expect(received).toEqual([]);
  });
});
