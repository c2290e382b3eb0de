/**
 * Shared helpers of the console's browser tests (test/console/): a page of the console in Debian's
 * Chromium (test/ui/browser.ts: playwright-core, nothing downloaded, skipped without a browser
 * except under CI), signing in with a key through the form as a person does, the things every
 * test checks (the key never in a URL), and screenshots into test-results/console/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { PlatformUnderTest } from '../e2e/platform-harness.js';
import { PATIENCE_MS } from '../support/wait.js';

export { browserAvailable, launch } from '../ui/browser.js';

export const CONSOLE_SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results/console');
/** How long a wait for something on the page may take (a loaded 2-core machine is slow). */
export const WAIT = { timeout: PATIENCE_MS };
export const KEY_STORAGE = 'aftersales.console.key';

export const consoleUrl = (pt: PlatformUnderTest, path = '/') => `${pt.platform.apiUrl}/console${path}`;

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Every URL the page asked for or went to (a key must be in none). */
  urls: string[];
  /** What the page logged (a key must be in none). */
  logs: string[];
}

/** A fresh browser context (own storage) on a 1280×800 screen, in `locale`'s language unless the person switches, in `timezoneId` (else the machine's zone). */
export async function openConsole(browser: Browser, options: { locale?: string; viewport?: { width: number; height: number }; timezoneId?: string } = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-US', viewport: options.viewport ?? { width: 1280, height: 800 }, ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}) });
  const page = await context.newPage();
  const urls: string[] = [];
  const logs: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('framenavigated', (f) => urls.push(f.url()));
  page.on('console', (m) => logs.push(m.text()));
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  return { context, page, urls, logs };
}

/** Signs in through the form (the field labelled "API key" / "API 密钥"), as a person pastes a key. */
export async function signIn(cp: ConsolePage, pt: PlatformUnderTest, key: string, fieldLabel: string | RegExp = /API key|API 密钥/): Promise<void> {
  await cp.page.goto(consoleUrl(pt, '/sign-in'));
  const field = cp.page.getByLabel(fieldLabel);
  await field.waitFor({ state: 'visible', ...WAIT });
  await field.fill(key);
  await field.press('Enter');
  // Signed in (the form moved on to the role's home) or refused (the form says why): a test that
  // goes to another page before the session is kept would land back on the sign-in page.
  await cp.page.waitForFunction(
    () => !location.pathname.endsWith('/sign-in') || document.querySelector('[data-testid="sign-in-error"]') !== null,
    undefined,
    WAIT,
  );
}

/** The key was never in a URL or a log, and lives in session storage only. */
export async function expectKeyKeptSafe(cp: ConsolePage, key: string): Promise<void> {
  expect(cp.urls.filter((u) => u.includes(key))).toEqual([]);
  expect(cp.logs.filter((l) => l.includes(key))).toEqual([]);
  const stored = await cp.page.evaluate(() => ({ local: JSON.stringify(localStorage), cookie: document.cookie }));
  expect(stored.local).not.toContain(key);
  expect(stored.cookie).not.toContain(key);
}

export async function photograph(page: Page, name: string): Promise<void> {
  mkdirSync(CONSOLE_SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(CONSOLE_SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Texts on the page that look like a platform code (SHOUTING_SNAKE of two words or more) rather than words. */
export async function visibleCodes(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  return [...new Set(text.match(/\b[A-Z]{2,}(_[A-Z]+)+\b/g) ?? [])];
}
