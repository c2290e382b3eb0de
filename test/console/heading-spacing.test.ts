/**
 * Headings stand apart from what is around them: on every page of the console (queue, case,
 * warehouse, supervisor, admin, what-if), at 1280×800 and on a phone's 390 px, no heading sits
 * directly against the text or controls above, under or beside it. A staff trial saw headings run
 * into the lines around them: the case page's "Lines" under the order's facts, "Documents" under the
 * ledger's figures, the budget form's heading under the cost table.
 * A failure names the heading, what it touches and the gap.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { PATIENCE_MS } from '../support/wait.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const SCREENS = { wide: { width: 1280, height: 800 }, narrow: { width: 390, height: 844 } };
/** Less than this between a heading and its neighbour reads as one run of text (px). */
const MIN_GAP = 4;

let browser: Browser;
let returnCase: string;

/**
 * Every visible heading (h1–h3, and a table's caption) closer than `min` px to what is next to it:
 * the nearest visible thing with content of its own (text or a control) before it and after it in
 * reading order, outside the heading — above or below it (vertical gap), or beside it on its line
 * (horizontal gap, from the heading's words).
 */
async function crowdedHeadings(page: Page, min: number): Promise<string[]> {
  return page.evaluate((minGap) => {
    const main = document.querySelector('main')!;
    const name = (e: Element) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''} "${(e.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      if (!(r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.position !== 'absolute' && s.position !== 'fixed')) return false;
      // Inside a closed <details> (its summary aside): not on screen.
      if (e.closest('details:not([open])') && !e.closest('summary')) return false;
      return shown(e) !== null;
    };
    /** The part of an element on screen: cut to the boxes that scroll around it (a long table's rows), null when scrolled out. */
    const shown = (e: Element) => {
      const r = e.getBoundingClientRect();
      let { top, bottom, left, right } = r;
      for (let up = e.parentElement; up && up !== main; up = up.parentElement) {
        if (getComputedStyle(up).overflow === 'visible') continue;
        const box = up.getBoundingClientRect();
        top = Math.max(top, box.top);
        bottom = Math.min(bottom, box.bottom);
        left = Math.max(left, box.left);
        right = Math.min(right, box.right);
        if (bottom <= top || right <= left) return null;
      }
      return { top, bottom, left, right };
    };
    const CONTROLS = ['INPUT', 'SELECT', 'BUTTON', 'TEXTAREA', 'CANVAS', 'svg', 'IMG', 'HR'];
    const content = (n: Element) => [...n.childNodes].some((c) => c.nodeType === Node.TEXT_NODE && c.textContent!.trim()) || CONTROLS.includes(n.tagName);
    /** The nearest element with content before (`back`) or after the heading, outside it and not holding it. */
    const neighbour = (h: Element, back: boolean): Element | null => {
      const walker = document.createTreeWalker(main, NodeFilter.SHOW_ELEMENT);
      walker.currentNode = h;
      for (let n = (back ? walker.previousNode() : walker.nextNode()) as Element | null; n; n = (back ? walker.previousNode() : walker.nextNode()) as Element | null) {
        if (h.contains(n) || n.contains(h) || !visible(n)) continue;
        // A caption stands on its own table's first row by design: only what is outside the table counts.
        if (h.tagName === 'CAPTION' && h.parentElement!.contains(n)) continue;
        if (content(n)) return n;
      }
      return null;
    };
    const words = (h: Element) => {
      const range = document.createRange();
      range.selectNodeContents(h);
      return range.getBoundingClientRect();
    };
    const found: string[] = [];
    for (const h of main.querySelectorAll('h1, h2, h3, caption')) {
      if (!visible(h)) continue;
      const hr = h.getBoundingClientRect();
      const wr = words(h);
      for (const back of [false, true]) {
        const n = neighbour(h, back);
        if (!n) continue;
        const nr = shown(n)!;
        const sameLine = nr.top < hr.bottom - 2 && nr.bottom > hr.top + 2;
        let gap: number;
        if (sameLine) gap = nr.left >= wr.left ? nr.left - wr.right : wr.left - nr.right;
        else gap = back ? hr.top - nr.bottom : nr.top - hr.bottom;
        // Only what is really above (below) it and in its column counts: not the next column's content, which reading order may put next.
        if (!sameLine && (nr.right < hr.left || nr.left > hr.right || (back ? nr.bottom > hr.bottom : nr.top < hr.top))) continue;
        if (gap < minGap) found.push(`${name(h)} ${back ? 'after' : 'before'} ${name(n)}: ${Math.round(gap)} px ${sameLine ? 'beside it' : back ? 'above it' : 'below it'}`);
      }
    }
    return found;
  }, min);
}

run('headings apart from what follows them', () => {
  beforeAll(async () => {
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-SO-HEADINGS-1', locale: 'en-GB' },
      order: mugAndTeaOrder('SO-HEADINGS-1', Date.now(), 1),
      lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    returnCase = opened.body.caseId as string;
    await pt.until(returnCase, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    browser = await launch();
  }, 2 * PATIENCE_MS);

  afterAll(async () => {
    await browser?.close();
  });

  /** Each page with the key that sees it and what shows it has loaded. */
  const pages = () => [
    { name: 'queue', key: pt.keys.AGENT!, path: '/', ready: (p: Page) => p.locator(`[data-testid="queue-row"][data-case-id="${returnCase}"]`).first().waitFor(WAIT) },
    // The ledger loads after the timeline: its cost figures sat against the "Documents" heading.
    { name: 'case', key: pt.keys.AGENT!, path: `/cases/${returnCase}`, ready: async (p: Page) => { await p.getByTestId('timeline').waitFor(WAIT); await p.getByTestId('costs').waitFor(WAIT); } },
    { name: 'warehouse', key: pt.keys.WAREHOUSE!, path: '/warehouse', ready: (p: Page) => p.getByTestId('warehouse-tasks').waitFor(WAIT) },
    // The cost panel and its budget form load after the first heading: the form's heading sat against the table.
    { name: 'supervisor', key: pt.keys.SUPERVISOR!, path: '/supervisor', ready: async (p: Page) => { await p.locator('main h2').first().waitFor(WAIT); await p.getByTestId('budget-form').waitFor(WAIT); } },
    { name: 'admin', key: pt.keys.ADMIN!, path: '/admin?merchant=demo-merchant', ready: (p: Page) => p.getByTestId('publish-form').waitFor(WAIT) },
    { name: 'what-if', key: pt.keys.SUPERVISOR!, path: '/what-if', ready: (p: Page) => p.getByTestId('publish-form').waitFor(WAIT) },
  ];

  for (const [screen, viewport] of Object.entries(SCREENS)) {
    it(`no heading touches the next line or control (${screen}: ${viewport.width} px)`, async () => {
      const found: Record<string, string[]> = {};
      for (const p of pages()) {
        const cp = await openConsole(browser, { viewport });
        try {
          await signIn(cp, pt, p.key);
          await cp.page.goto(consoleUrl(pt, p.path));
          await p.ready(cp.page);
          await photograph(cp.page, `headings-${p.name}-${screen}`);
          const crowded = await crowdedHeadings(cp.page, MIN_GAP);
          if (crowded.length) found[p.name] = crowded;
        } finally {
          await cp.context.close();
        }
      }
      expect(found, 'headings against the next line or control').toEqual({});
    });
  }
});
