// Page helpers shared by the specs: navigation that waits for hydration, the header's
// organisation name, the count cards, and screenshots.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, type Locator, type Page, type Response } from '@playwright/test';

/** Same as `expect.timeout` in playwright.config.ts, for `toPass` blocks (whose default is none). */
export const EXPECT_TIMEOUT_MS = 10_000;

/** Where named screenshots go (end2end/screenshots, ignored by git). */
export const SCREENSHOT_DIR = path.resolve(__dirname, '..', '..', 'screenshots');

/** Waits until the WASM bundle has hydrated the page (the app sets body[data-hydrated]). */
export async function waitHydrated(page: Page): Promise<void> {
  await page.waitForSelector('body[data-hydrated="true"]');
}

/** `page.goto` that returns only once the page is hydrated, so clicks reach the handlers. */
export async function gotoHydrated(page: Page, url: string): Promise<Response | null> {
  const response = await page.goto(url);
  await waitHydrated(page);
  return response;
}

/**
 * Waits for the URL to match and the (possibly new) document to hydrate. Use after an
 * action that navigates, whether the router does it in the page or the server redirects.
 */
export async function expectArrivedAt(page: Page, url: RegExp): Promise<void> {
  await expect(page).toHaveURL(url);
  await waitHydrated(page);
}

/** `/path` with an optional query string, nothing else after it. */
export function pathPattern(pathname: string): RegExp {
  const escaped = pathname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^[a-z]+://[^/]+${escaped}/?(?:[?#].*)?$`);
}

/**
 * Clicks a button that submits to the server and waits for the server's answer (the
 * server function call, or the form POST). Returns that response. When the answer is a
 * new document (a plain form POST, e.g. before hydration), also waits until that new
 * document has hydrated, so the next action does not hit the old page.
 */
export async function clickAndAwaitPost(page: Page, button: Locator): Promise<Response> {
  await page.evaluate(() => {
    (window as unknown as Record<string, unknown>).__e2eOldDocument = true;
  });
  const answered = page.waitForResponse((r) => r.request().method() === 'POST');
  await button.click();
  const response = await answered;
  if (response.request().isNavigationRequest()) {
    await page.waitForFunction(
      () =>
        !(window as unknown as Record<string, unknown>).__e2eOldDocument &&
        document.body?.dataset.hydrated === 'true',
    );
  }
  return response;
}

/** A non-empty `role="alert"` element: live regions that are still empty do not count. */
export function alert(page: Page): Locator {
  return page.getByRole('alert').filter({ hasText: /\S/ });
}

/** The header's visible text without the organisation `<select>` (its options name every organisation). */
export async function headerTextOutsideSelects(page: Page): Promise<string> {
  return page.getByRole('banner').evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('select').forEach((s) => s.remove());
    return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/**
 * Waits until the header, outside the switcher, names `organisation` and none of `others`.
 * Retries through a page reload that a switch may cause.
 */
export async function expectHeaderOrganisation(
  page: Page,
  organisation: string,
  others: string[] = [],
): Promise<void> {
  await expect(async () => {
    const text = await headerTextOutsideSelects(page);
    expect(text, `the header names ${organisation}`).toContain(organisation);
    for (const other of others) expect(text, `the header does not name ${other}`).not.toContain(other);
  }).toPass({ timeout: EXPECT_TIMEOUT_MS });
}

/** The organisation switcher and the label of its selected option. */
export function organisationSelect(page: Page): Locator {
  return page.getByRole('banner').getByLabel('Organisatie', { exact: true });
}

export async function expectSelectedOrganisation(page: Page, organisation: string): Promise<void> {
  await expect(organisationSelect(page).locator('option:checked')).toHaveText(organisation);
}

export const COUNT_TEST_IDS = [
  'count-persons',
  'count-active-means',
  'count-open-requests',
  'count-active-authorisations',
] as const;
export type CountTestId = (typeof COUNT_TEST_IDS)[number];

// A whole number standing on its own (the 3 in "EH3" does not count); Dutch thousands
// separators ("1.250") allowed.
const NUMBER = /(?<![\w.])\d{1,3}(?:\.\d{3})+(?![\w.])|(?<![\w.])\d+(?!\w|\.\d)/g;

/** Reads the one number in a count card, waiting for it while the data loads. */
export async function readCount(page: Page, testId: CountTestId): Promise<number> {
  let value = NaN;
  await expect(async () => {
    const numbers = (await page.getByTestId(testId).innerText({ timeout: 2_000 })).match(NUMBER) ?? [];
    expect(numbers, `count card ${testId} shows exactly one number`).toHaveLength(1);
    value = Number(numbers[0]!.replace(/\./g, ''));
  }).toPass({ timeout: EXPECT_TIMEOUT_MS });
  return value;
}

export async function readCounts(page: Page): Promise<Record<CountTestId, number>> {
  const counts = {} as Record<CountTestId, number>;
  for (const id of COUNT_TEST_IDS) counts[id] = await readCount(page, id);
  return counts;
}

/** Full-page screenshot to end2end/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
