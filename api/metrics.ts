/**
 * `GET /metrics` for Prometheus (text format 0.0.4), for ops: no API key, never rate limited, not
 * in the OpenAPI document (README, "Metrics").
 * - requests: `http_requests_total` and `http_request_duration_seconds` by method, route pattern
 *   (`/v1/cases/:caseId`, never the URL with its ids; `unmatched` for unknown routes) and status;
 * - cases, read from Postgres at scrape time in one statement (db/case-gauges.ts), by type and
 *   stage: `aftersales_cases_open`, `aftersales_cases_late`, `aftersales_cases_escalated`,
 *   `aftersales_cases_stuck`;
 * - refunds whose money is not where it should be, by currency (db/case-gauges.ts):
 *   `aftersales_refunds_pending` (and `_minor`, `_over_week`), `aftersales_refunds_returned_owed`
 *   (and `_minor`); `aftersales_read_model_up` is 0 when these reads failed (the request metrics
 *   are still served);
 * - the process: prom-client's default Node.js metrics (CPU, memory, event-loop lag, GC).
 *
 * One registry per app (tests build several apps in one process). The scrape is answered in an
 * `onRequest` hook installed before the rate limiter and authentication (api/app.ts): it returns
 * the reply, which settles once the answer has gone, and Fastify runs no hook after a sent reply,
 * so neither sees a scrape. The route exists for the router (the pattern, HEAD) and answers alike.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from './typed-app.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { PENDING_TOO_LONG_MS } from '../activities/refund-follower.js';
import { readCaseGauges, readRefundGauges, type CaseGaugeRow, type RefundGaugeRow } from '../db/case-gauges.js';

export const METRICS_PATH = '/metrics';

/** Seconds: from a fast read to a slow workflow update (the API waits up to 30 s for an idempotent duplicate). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export async function installMetrics(app: ApiApp, deps: { repos: { db: object } }): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'API requests answered, by method, route pattern and status code', labelNames, registers: [registry] });
  const durations = new Histogram({ name: 'http_request_duration_seconds', help: 'Time to answer an API request, by method, route pattern and status code', labelNames, buckets: DURATION_BUCKETS, registers: [registry] });
  const caseLabels = ['type', 'stage'] as const;
  const cases = {
    open: new Gauge({ name: 'aftersales_cases_open', help: 'Cases not yet resolved or closed, by case type and stage', labelNames: caseLabels, registers: [registry] }),
    late: new Gauge({ name: 'aftersales_cases_late', help: 'Open cases past their solution deadline (marked late), by case type and stage', labelNames: caseLabels, registers: [registry] }),
    escalated: new Gauge({ name: 'aftersales_cases_escalated', help: 'Open cases escalated to a supervisor, by case type and stage', labelNames: caseLabels, registers: [registry] }),
    stuck: new Gauge({ name: 'aftersales_cases_stuck', help: 'Running cases whose side effect keeps failing (stuck), by case type and stage', labelNames: caseLabels, registers: [registry] }),
  };
  const refunds = {
    pending: new Gauge({ name: 'aftersales_refunds_pending', help: 'Refunds accepted by the payment provider and not yet settled by the customer’s bank, by currency', labelNames: ['currency'], registers: [registry] }),
    pendingMinor: new Gauge({ name: 'aftersales_refunds_pending_minor', help: 'Their amount, in minor units (fen, cents), by currency', labelNames: ['currency'], registers: [registry] }),
    pendingLong: new Gauge({ name: 'aftersales_refunds_pending_over_week', help: 'Of those, refunds pending at the bank for over 7 days (their cases escalated at their next check, within 6 hours), by currency', labelNames: ['currency'], registers: [registry] }),
    owed: new Gauge({ name: 'aftersales_refunds_returned_owed', help: 'Refunds the customer’s bank sent back and not yet paid again, by currency', labelNames: ['currency'], registers: [registry] }),
    owedMinor: new Gauge({ name: 'aftersales_refunds_returned_owed_minor', help: 'Their amount, in minor units (fen, cents), by currency', labelNames: ['currency'], registers: [registry] }),
  };
  const readModelUp = new Gauge({ name: 'aftersales_read_model_up', help: '1 when the case gauges were read from Postgres at this scrape, 0 when that failed', registers: [registry] });

  // Scrapes that arrive together share one read.
  // Each read on its own: one failing leaves the other's gauges served.
  let reading: Promise<[PromiseSettledResult<CaseGaugeRow[]>, PromiseSettledResult<RefundGaugeRow[]>]> | undefined;
  const readGauges = () => (reading ??= Promise.allSettled([readCaseGauges(deps.repos.db), readRefundGauges(deps.repos.db, PENDING_TOO_LONG_MS)]).finally(() => (reading = undefined)));

  async function scrape(request: FastifyRequest, reply: FastifyReply) {
    for (const gauge of [...Object.values(cases), ...Object.values(refunds)]) gauge.reset();
    const [caseRows, refundRows] = await readGauges();
    if (caseRows.status === 'fulfilled') {
      for (const row of caseRows.value) {
        const labels = { type: row.type, stage: row.stage };
        for (const [name, gauge] of Object.entries(cases)) gauge.set(labels, row[name as keyof typeof cases]);
      }
    }
    if (refundRows.status === 'fulfilled') {
      for (const row of refundRows.value) {
        for (const [name, gauge] of Object.entries(refunds)) gauge.set({ currency: row.currency }, row[name as keyof typeof refunds]);
      }
    }
    const failed = [caseRows, refundRows].find((r) => r.status === 'rejected');
    readModelUp.set(failed ? 0 : 1);
    if (failed) request.log.warn({ err: failed.reason }, 'metrics: the case or refund gauges could not be read');
    return reply.type(registry.contentType).send(await registry.metrics());
  }

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url === METRICS_PATH && (request.method === 'GET' || request.method === 'HEAD')) return scrape(request, reply);
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
    requests.inc(labels);
    durations.observe(labels, reply.elapsedTime / 1000);
  });
  // Scraped every few seconds: its request log lines only at warn and above.
  app.get(METRICS_PATH, { logLevel: 'warn', config: { auth: 'public' }, schema: { hide: true } }, scrape);
}
