/**
 * The Temporal Web UI as ops use it with `npm start`: the real UI (ui/, built from
 * @temporalio/ui) served by the embedded dev server, in a real headless Chromium. A return is
 * driven to AWAITING_RETURN_SHIPMENT over the API; then the list shows it, filtering by CaseStage
 * works, its page shows the history, the current details and the pending deadline timer, a query
 * answers the case state, the call stack renders (WORKFLOW_STACK_TRACES=on), and terminating from the UI terminates it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { browserAvailable, launch, photograph } from './browser.js';

// The Call Stack tab needs the stacks the worker captures only when asked to (worker/workflow-bundle.ts).
const pt = usePlatform({ WORKFLOW_STACK_TRACES: 'on' });
const run = browserAvailable() ? describe : describe.skip;
/** Generous: a busy 2-core machine renders the UI's big bundles slowly. */
const WAIT = { timeout: 60_000 };

let browser: Browser;
let page: Page;
/** Requests of the UI's pages that failed (status ≥ 400). */
const failed: string[] = [];
let workflowId: string;
let runId: string;
let ui: string;

const visible = (text: string | RegExp) => page.getByText(text).first().waitFor({ state: 'visible', ...WAIT });

run('the Temporal Web UI served by the dev server', () => {
  beforeAll(async () => {
    const now = Date.now();
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-ui-1', locale: 'en' },
      order: mugAndTeaOrder('ui-o-1', now, 1),
      lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    workflowId = `case-${caseId}`;
    ui = pt.platform.temporalUi!.url;
    expect(pt.platform.temporalUi!.built).toBe(true);
    const described = (await (await fetch(`${ui}/api/v1/namespaces/default/workflows/${workflowId}`)).json()) as { workflowExecutionInfo: { execution: { runId: string } } };
    runId = described.workflowExecutionInfo.execution.runId;
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('response', (r) => void (r.status() >= 400 && failed.push(`${r.status()} ${new URL(r.url()).pathname}`)));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the case, and filters the list by CaseStage', async () => {
    await page.goto(`${ui}/namespaces/default/workflows`);
    await visible(workflowId);
    await visible('returnAndRefund');
    await photograph(page, '1-workflow-list');

    await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent('CaseStage="AWAITING_RETURN_SHIPMENT"')}`);
    await visible('CaseStage = "AWAITING_RETURN_SHIPMENT"');
    await visible(workflowId);
    await photograph(page, '2-filtered-by-stage');
    await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent('CaseStage="CLOSED"')}`);
    await visible('CaseStage = "CLOSED"');
    await visible('No Results');
    expect(await page.getByText(workflowId).count()).toBe(0);
    // Every request of these pages answered (a missing /favicon.ico was an error on every page).
    expect(failed).toEqual([]);
  }, 120_000);

  it("shows the case's history, its current details and the pending deadline timer", async () => {
    await page.goto(`${ui}/namespaces/default/workflows/${workflowId}/${runId}/history`);
    await visible('Workflow Task Completed');
    // The customer has 7 days to ship the return: the timer the case waits on.
    await visible('Timer Started');
    await visible(/\d+ days/);
    await page.getByText('Current Details').first().click();
    // Rendered Markdown, in the frame the UI's viewer loads from /render.
    const details = page.frameLocator('iframe[title="output"]').getByText('Awaiting the return shipment');
    await details.first().waitFor({ state: 'visible', ...WAIT });
    await photograph(page, '3-case-history-and-details');
  }, 120_000);

  it('answers a query with the case state, and shows the call stack', async () => {
    await page.goto(`${ui}/namespaces/default/workflows/${workflowId}/${runId}/query`);
    await page.getByTestId('query-select-button').waitFor({ state: 'visible', ...WAIT });
    await page.getByTestId('query-select-button').click();
    await page.getByRole('option', { name: 'caseView' }).click();
    await page.getByRole('button', { name: /Run Query|Refresh/ }).click();
    await visible(/"stage":\s*"AWAITING_RETURN_SHIPMENT"/);
    await photograph(page, '4-query-case-view');

    await page.goto(`${ui}/namespaces/default/workflows/${workflowId}/${runId}/call-stack`);
    await visible(/at returnAndRefund/);
    await photograph(page, '5-call-stack');
  }, 120_000);

  it("shows the platform's daily housekeeping schedule with its next runs", async () => {
    await page.goto(`${ui}/namespaces/default/schedules/aftersales-housekeeping`);
    await visible('Upcoming Runs');
    await visible('Asia/Shanghai');
    await visible(/idempotencyRetentionDays/);
    await photograph(page, '6-housekeeping-schedule');
  }, 120_000);

  it('terminates the case from the UI', async () => {
    await page.goto(`${ui}/namespaces/default/workflows/${workflowId}/${runId}/history`);
    await page.locator('#workflow-actions-menu-button:visible').waitFor({ state: 'visible', ...WAIT });
    await page.locator('#workflow-actions-menu-button:visible').click();
    await page.locator('[data-testid="terminate-button"]:visible').click();
    // The UI renders its action menu twice (wide and narrow layouts): act on the one on screen.
    const modal = page.locator('[data-testid="terminate-confirmation-modal"]:visible');
    await modal.locator('#workflow-termination-reason').fill('terminated from the UI test');
    await modal.getByRole('button', { name: 'Terminate' }).click();
    await visible(/Terminated/);
    const described = (await (await fetch(`${ui}/api/v1/namespaces/default/workflows/${workflowId}`)).json()) as { workflowExecutionInfo: { status: string } };
    expect(described.workflowExecutionInfo.status).toBe('WORKFLOW_EXECUTION_STATUS_TERMINATED');
    await photograph(page, '7-terminated');
  }, 120_000);
});
