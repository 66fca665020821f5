// Login (PRODUCT.md flow 2): password, then SMS code; the manager's Beheer home and
// organisation switcher; logout; a user without manager rights.
//
// Every test logs in on its own, in its own browser context, against the one demo
// database of this run, so none depends on another's effects or on their order.
import { expect, test, type Page } from '@playwright/test';
import {
  DEMO_MANAGER,
  DEMO_ORGANISATION,
  DEMO_USER,
  SECOND_ORGANISATION,
} from './support/accounts';
import {
  COUNT_TEST_IDS,
  EXPECT_TIMEOUT_MS,
  alert,
  clickAndAwaitPost,
  expectArrivedAt,
  expectHeaderOrganisation,
  expectSelectedOrganisation,
  gotoHydrated,
  organisationSelect,
  pathPattern,
  readCount,
  readCounts,
  saveScreenshot,
} from './support/app';
import { logIn, passPasswordStep, smsCodeInput, submitPassword, submitSmsCode } from './support/auth';
import { latestSms } from './support/inbox';

const WRONG_CREDENTIALS = 'E-mailadres of wachtwoord onjuist.';

/** Checks the Beheer home of the current organisation; returns its counts. */
async function expectBeheerHome(page: Page, organisation: string, others: string[]) {
  await expect(page.getByRole('heading', { level: 1, name: 'Beheer', exact: true })).toBeVisible();
  await expectHeaderOrganisation(page, organisation, others);
  await expectSelectedOrganisation(page, organisation);
  const counts = await readCounts(page);
  for (const id of COUNT_TEST_IDS) {
    expect(Number.isInteger(counts[id]) && counts[id] >= 0, `${id} is a count`).toBe(true);
  }
  return counts;
}

/** Asserts that after `ms` the page is still (or again) on `path`: for refusals that
 *  must not navigate, where waiting for the absence of a navigation is the only check. */
async function expectStillOn(page: Page, path: string, ms = 1_500) {
  await page.waitForTimeout(ms);
  await expect(page).toHaveURL(pathPattern(path));
}

/** A 6-digit code that is certainly not `code`. */
function wrongCode(code: string): string {
  return code.slice(0, 5) + ((Number(code[5]) + 1) % 10).toString();
}

test('the demo manager logs in with password and SMS code and sees the Beheer home', async ({
  page,
  request,
}) => {
  const sms = await passPasswordStep(page, request, DEMO_MANAGER);
  // The page says where the code went: a masked number, showing its end but never all of it.
  await expect(async () => {
    const pageDigits = (await page.locator('body').innerText()).replace(/\D/g, '');
    expect(pageDigits, 'the SMS page shows the end of the mobile number').toContain(DEMO_MANAGER.mobile.slice(-2));
    expect(pageDigits, 'the SMS page never shows the whole mobile number').not.toContain(DEMO_MANAGER.mobile.slice(3));
  }).toPass({ timeout: EXPECT_TIMEOUT_MS });
  await expect(smsCodeInput(page)).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(smsCodeInput(page)).toHaveAttribute('inputmode', 'numeric');

  await submitSmsCode(page, sms.code);
  await expectArrivedAt(page, pathPattern('/beheer'));

  const counts = await expectBeheerHome(page, DEMO_ORGANISATION, [SECOND_ORGANISATION]);
  expect(counts['count-persons'], 'the demo organisation has at least 5 persons').toBeGreaterThanOrEqual(5);
  for (const organisation of [DEMO_ORGANISATION, SECOND_ORGANISATION]) {
    await expect(
      organisationSelect(page).locator('option').filter({ hasText: organisation }),
      `the switcher offers ${organisation}`,
    ).toHaveCount(1);
  }
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Beheer', exact: true })).toBeVisible();

  await saveScreenshot(page, 'beheer-home');
});

test('a wrong password and an unknown e-mail address get the same message', async ({ page }) => {
  await submitPassword(page, DEMO_USER.email, 'Dit-is-niet-het-wachtwoord-2026!');
  await expect(alert(page)).toHaveText(WRONG_CREDENTIALS);
  await expect(page).toHaveURL(pathPattern('/inloggen'));
  const forWrongPassword = (await alert(page).innerText()).trim();

  await submitPassword(page, 'niemand-bekend@demo.example', DEMO_USER.password);
  await expect(alert(page)).toHaveText(WRONG_CREDENTIALS);
  await expect(page).toHaveURL(pathPattern('/inloggen'));
  const forUnknownAccount = (await alert(page).innerText()).trim();

  expect(forUnknownAccount).toBe(forWrongPassword);
});

test('wrong SMS codes count down, five kill the code, and a new code works', async ({ page, request }) => {
  // Many round trips on a slow machine: more room than the 30 s default.
  test.setTimeout(60_000);
  const sms = await passPasswordStep(page, request, DEMO_MANAGER);
  const wrong = wrongCode(sms.code);

  for (const left of [4, 3, 2, 1]) {
    await submitSmsCode(page, wrong);
    const message = alert(page);
    await expect(message).toContainText('De sms-code klopt niet');
    await expect(message).toContainText(new RegExp(`Nog ${left} poging${left === 1 ? '(en)?' : 'en'}\\b`));
    await expect(page).toHaveURL(pathPattern('/inloggen/sms'));
  }
  await submitSmsCode(page, wrong);
  await expect(alert(page)).toContainText('nieuwe code');
  await expect(alert(page)).not.toContainText(/Nog \d/);

  // Five wrong answers in a row: the login limits make the next try wait a second
  // (tests/api/limits.rs proves the delay; here it only must pass).
  await page.waitForTimeout(1_200);

  // The code is dead: even the right one is refused now.
  await submitSmsCode(page, sms.code);
  await expect(alert(page)).toContainText('nieuwe code');
  await expectStillOn(page, '/inloggen/sms');

  await clickAndAwaitPost(page, page.getByRole('button', { name: 'Nieuwe code sturen', exact: true }));
  const fresh = await latestSms(request, DEMO_MANAGER.mobile, sms.id);
  await submitSmsCode(page, fresh.code);
  await expectArrivedAt(page, pathPattern('/beheer'));
  await expect(page.getByRole('heading', { level: 1, name: 'Beheer', exact: true })).toBeVisible();
});

test('logging out ends the session, also for a replayed session cookie', async ({ page, context, request }) => {
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  const sessionCookies = await context.cookies();
  expect(sessionCookies.length, 'the logged-in browser holds a session cookie').toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Uitloggen', exact: true }).click();
  await expectArrivedAt(page, pathPattern('/inloggen'));
  await expect(page.getByText('U bent uitgelogd.')).toBeVisible();

  await gotoHydrated(page, '/beheer');
  await expect(page).toHaveURL(pathPattern('/inloggen'));

  // The server must have ended the session itself, not only told the browser to forget it.
  await context.clearCookies();
  await context.addCookies(sessionCookies);
  await gotoHydrated(page, '/beheer');
  await expect(page).toHaveURL(pathPattern('/inloggen'));
  await expect(page.getByRole('heading', { level: 1, name: 'Beheer', exact: true })).toHaveCount(0);
});

test('the organisation switcher changes the organisation being managed', async ({ page, request }) => {
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  await expectBeheerHome(page, DEMO_ORGANISATION, [SECOND_ORGANISATION]);

  await organisationSelect(page).selectOption({ label: SECOND_ORGANISATION });
  await waitForOrganisation(page, SECOND_ORGANISATION, DEMO_ORGANISATION);

  // The choice holds for the session: a reload shows the same organisation.
  await page.reload();
  await waitForOrganisation(page, SECOND_ORGANISATION, DEMO_ORGANISATION);

  // And back, which also shows the demo organisation's own counts again.
  await organisationSelect(page).selectOption({ label: DEMO_ORGANISATION });
  await waitForOrganisation(page, DEMO_ORGANISATION, SECOND_ORGANISATION);
  expect(await readCount(page, 'count-persons')).toBeGreaterThanOrEqual(5);
});

/** After a switch (which may reload the page): hydrated, on /beheer, showing `organisation`. */
async function waitForOrganisation(page: Page, organisation: string, previous: string) {
  await expectHeaderOrganisation(page, organisation, [previous]);
  await expectArrivedAt(page, pathPattern('/beheer'));
  await expectBeheerHome(page, organisation, [previous]);
}

test('a user without manager rights lands on Mijn middelen and cannot open Beheer', async ({
  page,
  request,
}) => {
  await logIn(page, request, DEMO_USER, '/mijn');
  await expect(page.getByRole('heading', { level: 1, name: 'Mijn middelen', exact: true })).toBeVisible();

  await gotoHydrated(page, '/beheer');
  await expect(page).toHaveURL(pathPattern('/mijn'));
  await expect(page.getByRole('heading', { level: 1, name: 'Mijn middelen', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Beheer', exact: true })).toHaveCount(0);
});
