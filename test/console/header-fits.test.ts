/**
 * A staff console at 1280 × 800 (the screen the staff trial used): for a supervisor and an admin,
 * in English and in Chinese, the header (brand, five links, who is signed in, language, sign out)
 * is one line — it wrapped onto a second one, 88 px high instead of 48, in English — and on the
 * what-if page the "same day means" select is wide enough for its choices (its 389 px box cut
 * "By closing time that business day (after hours or on a day off: the next business day’s)").
 * Narrower screens may wrap the header (narrow-screen.test.ts keeps a phone's page within it).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { PATIENCE_MS } from '../support/wait.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const LANGS = [
  { lang: 'en', signOut: 'Sign out' },
  { lang: 'zh-CN', signOut: '退出' },
] as const;

let browser: Browser;

/** Switches the console's language and waits until the header reads in it. */
async function switchTo(page: Page, { lang, signOut }: (typeof LANGS)[number]): Promise<void> {
  await page.getByTestId('language').selectOption(lang);
  await page.waitForFunction(
    ({ lang, signOut }) => document.documentElement.lang === lang && document.querySelector('header.shell .tools button')?.textContent?.trim() === signOut,
    { lang, signOut },
    WAIT,
  );
}

/**
 * The header's height against one line of it (its tallest item plus its padding), and the items
 * whose top is below the brand's bottom (on a second line), to name in a failure.
 */
async function headerLines(page: Page) {
  return page.evaluate(() => {
    const header = document.querySelector('header.shell')!;
    const style = getComputedStyle(header);
    const items = [header.querySelector('.brand')!, ...header.querySelectorAll('nav a'), ...header.querySelectorAll('.tools > *')];
    const brand = items[0]!.getBoundingClientRect();
    const tallest = Math.max(...items.map((e) => e.getBoundingClientRect().height));
    const who = header.querySelector<HTMLElement>('[data-testid="session-who"]')!;
    return {
      height: header.getBoundingClientRect().height,
      oneLine: tallest + parseFloat(style.paddingTop) + parseFloat(style.paddingBottom),
      below: items.filter((e) => e.getBoundingClientRect().top >= brand.bottom).map((e) => (e.textContent ?? '').trim() || e.tagName.toLowerCase()),
      whoCut: who.scrollWidth > who.clientWidth,
      whoTitle: who.title,
      whoText: (who.textContent ?? '').replace(/\s+/g, ' ').trim(),
    };
  });
}

/**
 * How wide the select is, and how wide it would have to be to show its widest choice whole: a
 * hidden copy sized by its content (a select's scrollWidth does not grow with its chosen text).
 */
async function selectRoom(page: Page, selector: string) {
  return page.locator(selector).evaluate((select: HTMLSelectElement) => {
    const copy = select.cloneNode(true) as HTMLSelectElement;
    copy.removeAttribute('id');
    Object.assign(copy.style, { width: 'auto', minWidth: '0', maxWidth: 'none', position: 'absolute', visibility: 'hidden' });
    select.parentElement!.append(copy);
    const needed = copy.getBoundingClientRect().width;
    copy.remove();
    return { width: select.getBoundingClientRect().width, needed, chosen: select.selectedOptions[0]?.text ?? '' };
  });
}

run('the console at 1280 × 800', () => {
  beforeAll(async () => {
    browser = await launch();
  }, 2 * PATIENCE_MS);

  afterAll(async () => {
    await browser?.close();
  });

  for (const role of ['SUPERVISOR', 'ADMIN'] as const) {
    it(`has a one-line header for ${role.toLowerCase()}, in English and Chinese`, async () => {
      const cp = await openConsole(browser, { viewport: { width: 1280, height: 800 } });
      const { page } = cp;
      await signIn(cp, pt, pt.keys[role]!);
      await page.getByTestId('session-who').waitFor(WAIT);
      for (const l of LANGS) {
        await switchTo(page, l);
        const h = await headerLines(page);
        await photograph(page, `header-fits-${role.toLowerCase()}-${l.lang}`);
        expect(h.below, `${role} ${l.lang}: on a second line`).toEqual([]);
        expect(h.height, `${role} ${l.lang}: header ${h.height} px high, one line is ${h.oneLine} px`).toBeLessThanOrEqual(h.oneLine + 1);
        // A name cut short by the ellipsis is still there whole, on hover.
        if (h.whoCut) expect(h.whoTitle).toBe(h.whoText);
      }
      await cp.context.close();
    });
  }

  it("keeps one line for a key with a long label, the name cut short and whole in its title", async () => {
    const label = 'Zhang Wei, evening shift supervisor, returns and complaints desk, second floor';
    const issued = await pt.call('POST', '/v1/admin/keys', pt.keys.ADMIN, { role: 'SUPERVISOR', merchantId: 'demo-merchant', label });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const cp = await openConsole(browser, { viewport: { width: 1280, height: 800 } });
    const { page } = cp;
    await signIn(cp, pt, issued.body.key as string);
    await page.getByTestId('session-who').waitFor(WAIT);
    for (const l of LANGS) {
      await switchTo(page, l);
      const h = await headerLines(page);
      expect(h.below, `${l.lang}: on a second line`).toEqual([]);
      expect(h.height).toBeLessThanOrEqual(h.oneLine + 1);
      expect(h.whoCut).toBe(true);
      expect(h.whoTitle).toBe(h.whoText);
      expect(h.whoTitle).toContain(label);
    }
    await photograph(page, 'header-fits-long-label');
    await cp.context.close();
  });

  // One policy form (admin/PublishForm.svelte) serves the what-if's candidate and the admin's next version.
  for (const [where, role, path] of [
    ['the what-if page', 'SUPERVISOR', '/what-if'],
    ['the admin page', 'ADMIN', '/admin?merchant=demo-merchant'],
  ] as const)
  it(`shows the whole choice of "same day means" on ${where}, in English and Chinese`, async () => {
    const cp = await openConsole(browser, { viewport: { width: 1280, height: 800 } });
    const { page } = cp;
    await signIn(cp, pt, pt.keys[role]!);
    await page.goto(consoleUrl(pt, path));
    const select = '[data-field="rules.sameDayMeans"] select';
    await page.locator(select).waitFor(WAIT);
    for (const l of LANGS) {
      await switchTo(page, l);
      const room = await selectRoom(page, select);
      expect(room.chosen).not.toBe('');
      expect(room.width, `${l.lang}: "${room.chosen}" in a ${room.width} px select needs ${room.needed} px`).toBeGreaterThanOrEqual(room.needed - 0.5);
    }
    await page.locator(select).scrollIntoViewIfNeeded();
    await photograph(page, `header-fits-${path.slice(1, 8).replace(/\W/g, '')}`);
    await cp.context.close();
  });
});
