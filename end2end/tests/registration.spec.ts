// Registering a manager (issue 7), the whole path: the public wizard (checked as typed,
// kept on reload), the applicant confirming their own e-mail address with a code (issue 12:
// nothing goes to the representative before that), the representative's approval from the
// e-mail link, the back office's review, and the new manager activating the means (link,
// SMS, password), logging in and seeing Beheer.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { type Account } from './support/accounts';
import { expectArrivedAt, gotoHydrated, pathPattern, saveScreenshot, waitHydrated } from './support/app';
import { logIn } from './support/auth';
import { extractCode, inboxMessages, latestSms, newestSmsId } from './support/inbox';

const BACKOFFICE: Account = {
  email: 'backoffice@demo.example',
  password: 'Demo-backoffice-2026!',
  mobile: '+31611112222',
};
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const PASSWORD = 'blauwe fietsen rijden langs de gracht';

/** Today in Amsterdam as dd-mm-jjjj (the extract must be at most 14 days old). */
function todayNl(): string {
  const parts = new Intl.DateTimeFormat('nl-NL', {
    timeZone: 'Europe/Amsterdam',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).formatToParts(new Date());
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('day')}-${get('month')}-${get('year')}`;
}

/** The path of the link on its own line in the newest e-mail to `to` that has one. */
async function mailLink(request: APIRequestContext, to: string, path: RegExp): Promise<string> {
  let link: string | undefined;
  await expect(async () => {
    const mails = (await inboxMessages(request, to)).filter((m) => m.channel === 'email');
    link = mails.flatMap((m) => m.body.split(/\r?\n/)).find((l) => path.test(l.trim()));
    expect(link, `an e-mail to ${to} with a link matching ${path}`).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  return new URL(link!.trim()).pathname;
}

/** The 6-digit code in the newest e-mail to `to` with `subject`. */
async function mailCode(request: APIRequestContext, to: string, subject: string): Promise<string> {
  let code: string | undefined;
  await expect(async () => {
    const mail = (await inboxMessages(request, to)).find((m) => m.channel === 'email' && m.subject === subject);
    expect(mail, `an e-mail to ${to} titled "${subject}"`).toBeTruthy();
    code = extractCode(mail!.body);
  }).toPass({ timeout: 10_000 });
  return code!;
}

/** Presses a button that posts a plain form and waits for the page it leads to. */
async function press(page: Page, name: string, url: RegExp): Promise<void> {
  await Promise.all([page.waitForURL(url), page.getByRole('button', { name, exact: true }).click()]);
  await page.waitForLoadState('load');
  await waitHydrated(page);
}

test('a manager registers, is approved twice, activates and sees Beheer', async ({ browser, page, request }) => {
  test.setTimeout(90_000); // one long walk: wizard, e-mail code, representative, back office, activation
  const n = String(Date.now() % 100_000_000).padStart(8, '0');
  const kvk = n;
  const org = `Fietsenmakerij ${n} B.V.`;
  const rep = { email: `rep${n}@ketting.example`, mobile: `06${n}` };
  const manager: Account = { email: `beheer${n}@ketting.example`, password: PASSWORD, mobile: `+316${n.slice(0, 7)}9` };

  // 1. The wizard, step by step; every field checks itself as it is typed.
  await gotoHydrated(page, '/registreren');
  await expect(page.getByTestId('gratis')).toHaveText('De module is gratis.');
  await expect(page.locator('.progress__step--current')).toHaveText('Organisatie');
  await page.getByLabel('KvK-nummer').fill('1234');
  await expect(page.getByTestId('fout-kvk')).toHaveText('Het KvK-nummer moet uit precies 8 cijfers bestaan.');
  await page.getByLabel('KvK-nummer').fill(kvk);
  await expect(page.getByTestId('fout-kvk')).toHaveText('');
  await page.getByLabel('Naam van de organisatie').fill(org);
  await press(page, 'Volgende stap', /stap=2/);

  await expect(page.locator('.progress__step--current')).toHaveText('KvK-uittreksel');
  await page.getByLabel('Datum van het uittreksel').fill('01-01-2020');
  await expect(page.getByTestId('fout-extract_date')).toContainText('te oud');
  await page.getByLabel('Datum van het uittreksel').fill(todayNl());
  await page.getByLabel('Uittreksel (PDF)').setInputFiles({ name: 'uittreksel.pdf', mimeType: 'application/pdf', buffer: PDF });
  await press(page, 'Volgende stap', /stap=3/);

  await page.getByLabel('Eén vertegenwoordiger tekent zelfstandig').check();
  await page.getByLabel('Voornamen', { exact: true }).fill('Ria');
  await page.getByLabel('Achternaam', { exact: true }).fill('Jansen');
  await page.getByLabel('E-mailadres', { exact: true }).fill(rep.email);
  await page.getByLabel('Mobiel nummer', { exact: true }).fill('020 123 4567');
  await expect(page.getByTestId('fout-rep0_mobile')).toContainText('06');
  await page.getByLabel('Mobiel nummer', { exact: true }).fill(rep.mobile);
  await page.getByLabel('Kopie identiteitsbewijs vertegenwoordiger 1').setInputFiles({ name: 'id.png', mimeType: 'image/png', buffer: PNG });
  await press(page, 'Volgende stap', /stap=4/);

  await page.getByLabel('Voornamen', { exact: true }).fill('Bas');
  await page.getByLabel('Achternaam', { exact: true }).fill('Kuipers');
  await page.getByLabel('Geboortedatum').fill('01-02-1980');
  await page.getByLabel('E-mailadres', { exact: true }).fill(manager.email);
  await page.getByLabel('Mobiel nummer', { exact: true }).fill('06' + manager.mobile.slice(4));
  await page.getByLabel('Ja', { exact: true }).check();
  await page.getByLabel('Kopie identiteitsbewijs nieuwe beheerder').setInputFiles({ name: 'id.pdf', mimeType: 'application/pdf', buffer: PDF });
  await press(page, 'Volgende stap', /stap=5/);

  await page.getByLabel('Naam contracthouder').fill('Ria Jansen');
  await page.getByLabel('E-mailadres contracthouder').fill(rep.email);
  await page.getByLabel('EH3', { exact: true }).check();
  await press(page, 'Volgende stap', /stap=6/);

  // The data survives a reload (kept on the server behind an HttpOnly cookie).
  await page.reload();
  await waitHydrated(page);
  await expect(page.getByTestId('samenvatting')).toContainText(org);
  await expect(page.getByTestId('samenvatting')).toContainText('Bas Kuipers');
  await saveScreenshot(page, 'registration-review-step');

  // First the applicant's own address: a code by e-mail, and nothing to the representative yet.
  await press(page, 'Aanmelding versturen', /melding=code-verstuurd/);
  await expect(page.getByTestId('bevestig-email')).toContainText(manager.email);
  const code = await mailCode(request, manager.email, 'Uw code om uw e-mailadres te bevestigen');
  expect((await inboxMessages(request, rep.email)).length, 'no e-mail to the representative yet').toBe(0);
  await page.getByLabel('Code uit de e-mail').fill(code === '000000' ? '111111' : '000000');
  await press(page, 'Bevestigen en versturen', /melding=code-onjuist/);
  await expect(page.getByTestId('notice')).toContainText('De code klopt niet');
  await saveScreenshot(page, 'registration-confirm-email');
  await page.getByLabel('Code uit de e-mail').fill(code);
  await press(page, 'Bevestigen en versturen', /\/registreren\/status\//);
  await expect(page.getByTestId('ingediend')).toBeVisible();
  await expect(page.getByTestId('status')).toHaveText('wacht op vertegenwoordiger');
  const statusUrl = new URL(page.url()).pathname;

  // 2. The representative approves from the e-mail link.
  const approval = await mailLink(request, rep.email, /\/registreren\/goedkeuren\/\S+$/);
  const repContext = await browser.newContext();
  const repPage = await repContext.newPage();
  await gotoHydrated(repPage, approval);
  await expect(repPage.getByTestId('beheerder')).toContainText('Bas Kuipers');
  await press(repPage, 'Aanmelding goedkeuren', /melding=goedgekeurd/);
  await expect(repPage.getByTestId('beantwoord')).toBeVisible();
  await repContext.close();
  await gotoHydrated(page, statusUrl);
  await expect(page.getByTestId('status')).toHaveText('wacht op beoordeling');

  // 3. The back office reviews and approves.
  const deskContext = await browser.newContext();
  const desk = await deskContext.newPage();
  await logIn(desk, request, BACKOFFICE, '/backoffice');
  const item = desk.locator(`[data-testid="registration-item"][data-kvk="${kvk}"]`);
  await expect(item).toContainText(org);
  await expect(item).toContainText('Bas Kuipers');
  await expect(item.getByRole('link', { name: /KvK-uittreksel bekijken/ })).toBeVisible();
  await saveScreenshot(desk, 'registration-backoffice');
  await item.getByRole('button', { name: 'Aanmelding goedkeuren' }).click();
  await expect(desk.getByTestId('registration-outcome')).toContainText('goedgekeurd');
  await deskContext.close();

  // 4. The new manager activates: link, SMS code, password.
  const activation = await mailLink(request, manager.email, /\/activeren\/\S+$/);
  const phoneContext = await browser.newContext();
  const phone = await phoneContext.newPage();
  await gotoHydrated(phone, activation);
  const before = await newestSmsId(request, manager.mobile);
  await press(phone, 'E-mailadres bevestigen', /\/activeren$/);
  const sms = await latestSms(request, manager.mobile, before);
  await phone.getByLabel('Sms-code', { exact: true }).fill(sms.code);
  await press(phone, 'Bevestigen', /\/activeren/);
  await phone.getByLabel('Nieuw wachtwoord', { exact: true }).fill(PASSWORD);
  await phone.getByLabel('Herhaal het wachtwoord', { exact: true }).fill(PASSWORD);
  await press(phone, 'Wachtwoord opslaan', /\/activeren/);
  await expect(phone.getByTestId('activated')).toContainText('is actief');
  await phoneContext.close();

  // 5. The manager logs in and sees Beheer for the new organisation.
  const mContext = await browser.newContext();
  const mPage = await mContext.newPage();
  await logIn(mPage, request, manager, '/beheer');
  await expectArrivedAt(mPage, pathPattern('/beheer'));
  await expect(mPage.getByRole('link', { name: 'Beheer', exact: true })).toBeVisible();
  await expect(mPage.getByText(org).first()).toBeVisible();
  await saveScreenshot(mPage, 'registration-new-manager');
  await mContext.close();
});
