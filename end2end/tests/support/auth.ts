// The login flow: e-mail and password on /inloggen, then the SMS code from the dev inbox
// on /inloggen/sms.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { Account } from './accounts';
import { clickAndAwaitPost, expectArrivedAt, gotoHydrated, pathPattern } from './app';
import { latestSms, newestSmsId, type SmsCode } from './inbox';

/** Fills in /inloggen and presses "Inloggen"; the caller checks where that leads. */
export async function submitPassword(page: Page, email: string, password: string): Promise<void> {
  await gotoHydrated(page, '/inloggen');
  const emailInput = page.getByLabel('E-mailadres', { exact: true });
  const passwordInput = page.getByLabel('Wachtwoord', { exact: true });
  await expect(emailInput).toHaveAttribute('type', 'email');
  await expect(passwordInput).toHaveAttribute('type', 'password');
  await emailInput.fill(email);
  await passwordInput.fill(password);
  await page.getByRole('button', { name: 'Inloggen', exact: true }).click();
}

/**
 * Logs in with the password and waits on /inloggen/sms for the SMS that the login sent.
 * Returns that SMS (its code and message id).
 */
export async function passPasswordStep(
  page: Page,
  request: APIRequestContext,
  account: Account,
): Promise<SmsCode> {
  const before = await newestSmsId(request, account.mobile);
  await submitPassword(page, account.email, account.password);
  await expectArrivedAt(page, pathPattern('/inloggen/sms'));
  return latestSms(request, account.mobile, before);
}

export function smsCodeInput(page: Page) {
  return page.getByLabel('Sms-code', { exact: true });
}

/** Types a code on /inloggen/sms, presses "Bevestigen" and waits for the server's answer. */
export async function submitSmsCode(page: Page, code: string): Promise<void> {
  await smsCodeInput(page).fill(code);
  await clickAndAwaitPost(page, page.getByRole('button', { name: 'Bevestigen', exact: true }));
}

/** The whole login; returns once the landing page (`/beheer` or `/mijn`) has hydrated. */
export async function logIn(
  page: Page,
  request: APIRequestContext,
  account: Account,
  landing: '/beheer' | '/mijn' | '/backoffice',
): Promise<void> {
  const sms = await passPasswordStep(page, request, account);
  await submitSmsCode(page, sms.code);
  await expectArrivedAt(page, pathPattern(landing));
}
