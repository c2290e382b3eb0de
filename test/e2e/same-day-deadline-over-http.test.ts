/**
 * "The same day" for a case opened while the shop is closed is the merchant's choice
 * (`rules.sameDayMeans`), over real HTTP: published as a policy rule, it moves the solution
 * deadline of cases opened afterwards — and the case view says which reading applied.
 */
import { describe, expect, it } from 'vitest';
import { closedAtNoon } from '../support/shop-hours.js';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const DAY = 86_400_000;
const p = usePlatform();
const POLICIES = '/v1/admin/merchants/demo-merchant/policies';

let seq = 0;
async function openReturn() {
  const now = Date.now();
  const opened = await p.call('POST', '/v1/returns', p.keys.STOREFRONT, {
    customer: { id: 'cust-sd', locale: 'en' },
    order: {
      orderId: `o-sd-${++seq}`,
      currency: 'CNY',
      items: [{ sku: 'CUP', name: 'Cup', quantity: 1, unitPriceMinor: 2000, unitCostMinor: 800 }],
      shippingFeeMinor: 500,
      paidTotalMinor: 2500,
      shippedAt: now - 3 * DAY,
      deliveredAt: now - DAY,
    },
    lines: [{ sku: 'CUP', quantity: 1, reason: 'NO_REASON' }],
  });
  expect(opened.status).toBe(201);
  return opened.body as { caseId: string; policyVersion: number };
}

/** The case once its workflow has set the solution deadline. */
const withDeadline = (caseId: string) =>
  waitUntil(`case ${caseId} to have its solution deadline`, async () => {
    const c = await p.call('GET', `/v1/cases/${caseId}`, p.keys.AGENT);
    return c.body?.solutionDueAt ? c.body : undefined;
  });

describe('rules.sameDayMeans over HTTP', () => {
  it('CALENDAR_DAY moves an after-hours case from the next business day to the end of the same day; the case view explains it', async () => {
    expect((await p.call('GET', '/v1/admin/merchants/demo-merchant/policy', p.keys.ADMIN)).body.rules.sameDayMeans).toBe('BUSINESS_DAY');
    const hours = closedAtNoon();
    expect((await p.call('POST', POLICIES, p.keys.ADMIN, { businessHours: hours })).status).toBe(201);
    const before = await withDeadline((await openReturn()).caseId);
    expect(before.solutionDeadline).toMatchObject({ sameDayMeans: 'BUSINESS_DAY', situation: 'AFTER_CLOSING', dueAt: before.solutionDueAt });
    expect(before.solutionDeadline.explanation).toMatch(/^opened after closing time \(00:01\) on \w+ [\d-]+ 12:\d\d: due at the end of the next business day, \w+ [\d-]+ 00:01 \(Etc\/GMT.*policy: same day means business day\)$/);

    const published = await p.call('POST', POLICIES, p.keys.ADMIN, { rules: { sameDayMeans: 'CALENDAR_DAY' } });
    expect(published).toMatchObject({ status: 201, body: { rules: { sameDayMeans: 'CALENDAR_DAY' }, businessHours: hours } });
    const opened = await openReturn();
    expect(opened.policyVersion).toBe(published.body.version);
    const after = await withDeadline(opened.caseId);
    expect(after.solutionDeadline).toMatchObject({ sameDayMeans: 'CALENDAR_DAY', situation: 'AFTER_CLOSING', dueAt: after.solutionDueAt });
    expect(after.solutionDeadline.explanation).toMatch(/due by the end of the same calendar day, \w+ [\d-]+ 24:00 .*policy: same day means calendar day\)$/);
    // Same local day: midnight, one minute before the next day's 00:01 closing time — and not yet past.
    expect(Date.parse(before.solutionDueAt) - Date.parse(after.solutionDueAt)).toBe(60_000);
    expect(Date.parse(after.solutionDueAt)).toBeGreaterThan(Date.parse(after.createdAt));
    expect(after.late).toBe(false);

    // The earlier case keeps the version it opened under.
    expect((await p.call('GET', `/v1/cases/${before.id}`, p.keys.AGENT)).body.solutionDeadline).toEqual(before.solutionDeadline);
  });

  it('any other value is a 400 naming the rule and its allowed values, and publishes nothing', async () => {
    const version = (await p.call('GET', '/v1/admin/merchants/demo-merchant/policy', p.keys.ADMIN)).body.version;
    const refused = await p.call('POST', POLICIES, p.keys.ADMIN, { rules: { sameDayMeans: 'WEEKDAYS' } });
    expect(refused).toMatchObject({ status: 400, body: { field: 'body.rules.sameDayMeans', problems: [{ field: 'body.rules.sameDayMeans', allowed: ['BUSINESS_DAY', 'CALENDAR_DAY'] }] } });
    expect(refused.body.message).toContain("must be one of 'BUSINESS_DAY', 'CALENDAR_DAY'");
    expect((await p.call('GET', '/v1/admin/merchants/demo-merchant/policy', p.keys.ADMIN)).body.version).toBe(version);
  });
});
