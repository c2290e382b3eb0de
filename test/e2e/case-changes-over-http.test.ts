/**
 * Live case updates over real HTTP, the whole platform running (issue 13): an agent following
 * GET /v1/case-changes sees a return it did not touch move through its stages as the workflow
 * projects them into the read model; another merchant's agent, following too, never gets a word
 * of it — only a change of its own merchant's case, which comes after A's in commit order.
 */
import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const DAY = 86_400_000;
const B = 'changes-b';

interface Stream {
  status: number;
  changes: Array<{ caseId: string; merchantId: string; stage: string; status: string }>;
  close(): void;
}

/** Follows the stream as the console does (key in the header; node:http, so closing it closes its socket). */
function follow(key: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${pt.platform.apiUrl}/v1/case-changes`, { headers: { authorization: `Bearer ${key}` } }, (res) => {
      const stream: Stream = { status: res.statusCode ?? 0, changes: [], close: () => request.destroy() };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const data = buffer
            .slice(0, end)
            .split('\n')
            .find((l) => l.startsWith('data: '));
          buffer = buffer.slice(end + 2);
          if (data) stream.changes.push(JSON.parse(data.slice(6)));
        }
      });
      resolve(stream);
    });
    request.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)));
  });
}

const keyOfB: Record<string, string> = {};

beforeAll(async () => {
  expect((await pt.call('PUT', `/v1/admin/merchants/${B}`, pt.keys.ADMIN, { name: 'Shop B', defaultCurrency: 'CNY' })).status).toBe(201);
  keyOfB.AGENT = (await pt.call('POST', '/v1/admin/keys', pt.keys.ADMIN, { role: 'AGENT', merchantId: B, label: 'changes test' })).body.key;
});

describe('GET /v1/case-changes with the platform running', () => {
  it('brings the agent each stage a return reaches, and nothing of it to another merchant’s agent', async () => {
    const [a, b] = await Promise.all([follow(pt.keys.AGENT!), follow(keyOfB.AGENT!)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const now = Date.now();
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-live-1', locale: 'en' },
      order: {
        orderId: 'SO-LIVE-1',
        currency: 'CNY',
        items: [{ sku: 'MUG-01', name: 'Mug', quantity: 1, unitPriceMinor: 3900, unitCostMinor: 1500 }],
        shippingFeeMinor: 0,
        paidTotalMinor: 3900,
        shippedAt: now - 3 * DAY,
        deliveredAt: now - DAY,
      },
      lines: [{ sku: 'MUG-01', quantity: 1, reason: 'DEFECTIVE' }],
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    // A shop-fault return is approved by policy: the case moves on without anyone acting on it.
    await waitUntil(`case ${caseId} reaching AWAITING_RETURN_SHIPMENT on A's stream`, () => a.changes.some((c) => c.caseId === caseId && c.stage === 'AWAITING_RETURN_SHIPMENT'), {
      state: () => JSON.stringify(a.changes),
    });
    expect(a.changes.find((c) => c.caseId === caseId)).toMatchObject({ merchantId: 'demo-merchant' });

    // B's own change, committed after A's: once it is on B's stream, A's changes were left out.
    await pt.db.case.create({
      data: { id: 'changes-b-sentinel', merchantId: B, type: 'COMPLAINT', stage: 'OPENED', orderId: 'SO-B', orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: 'wf-changes-b-sentinel' },
    });
    await waitUntil('B’s own change on B’s stream', () => b.changes.some((c) => c.caseId === 'changes-b-sentinel'));
    expect(b.changes.map((c) => c.merchantId)).toEqual(b.changes.map(() => B));
    expect(a.changes.some((c) => c.caseId === 'changes-b-sentinel')).toBe(false);
    a.close();
    b.close();
  });
});
