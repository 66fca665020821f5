// Identity no other organisation can touch (issue 11), played in the browser through two
// organisations. Organisation A requests a means for the victim's address with A's own
// mobile number and a made-up name; organisation B then requests one for the same
// address with the real name and number. B's list shows B's names, the activation SMS
// goes to B's number, and A's number receives nothing — also once the account exists.
import { devices, expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { BASE_URL, DEMO_MANAGER, DEMO_ORGANISATION, SECOND_ORGANISATION } from './support/accounts';
import { expectHeaderOrganisation, gotoHydrated, organisationSelect, saveScreenshot, waitHydrated } from './support/app';
import { logIn } from './support/auth';
import { inboxMessages, latestSms, newestSmsId } from './support/inbox';

const A = DEMO_ORGANISATION;
const B = SECOND_ORGANISATION;
const PASSWORD = 'het dak van de schuur lekt weer';

function unique() {
  const n = Date.now() % 100_000_000;
  return {
    email: `ceo.${Date.now()}@victim.example`,
    aMobile: `+316${String(n).padStart(8, '0')}`,
    bMobile: `+316${String((n + 50_000_037) % 100_000_000).padStart(8, '0')}`,
  };
}

/** Requests a means for one person with the Gebruikers page's form. */
async function requestByHand(page: Page, given: string, surname: string, email: string, mobile: string) {
  await gotoHydrated(page, '/beheer/gebruikers');
  const form = page.locator('form', { has: page.getByRole('button', { name: /^Aanvragen/ }) });
  const row = form.locator('fieldset').first();
  await row.getByLabel('Voornamen').fill(given);
  await row.getByLabel('Achternaam').fill(surname);
  await row.getByLabel('Geboortedatum').fill('03-04-1969');
  await row.getByLabel('E-mailadres', { exact: true }).fill(email);
  await row.getByLabel('Mobiel nummer').fill('06' + mobile.slice(4));
  await row.getByLabel('In loondienst').selectOption('ja');
  await row.getByLabel('Niveau').selectOption('EH2+');
  await form.getByRole('button', { name: 'Aanvragen (1)' }).click();
  await expect(page.getByTestId('request-outcome')).toContainText('1 middel');
}

async function switchTo(page: Page, organisation: string, previous: string) {
  await organisationSelect(page).selectOption({ label: organisation });
  await expectHeaderOrganisation(page, organisation, [previous]);
  await waitHydrated(page);
}

async function peopleFound(page: Page, email: string) {
  await gotoHydrated(page, '/beheer/gebruikers');
  await page.getByLabel('Zoek op naam of e-mailadres').fill(email);
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await expect(page).toHaveURL(/q=/);
  const table = page.getByTestId('people');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  return table;
}

/** The activation link of the e-mail that names `organisation`. */
async function linkFor(request: APIRequestContext, email: string, organisation: string): Promise<string> {
  let link: string | undefined;
  await expect(async () => {
    const mail = (await inboxMessages(request, email)).find((m) => m.channel === 'email' && m.body.includes(organisation));
    link = mail?.body.split(/\r?\n/).find((l) => /^https?:\/\/\S+\/activeren\/\S+$/.test(l));
    expect(link, `an activation e-mail naming ${organisation}`).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  return new URL(link!).pathname;
}

async function smsCount(request: APIRequestContext, mobile: string): Promise<number> {
  return (await inboxMessages(request, mobile)).filter((m) => m.channel === 'sms').length;
}

test('another organisation cannot steer a person: B sees B\'s names and the SMS goes to B\'s number', async ({
  page,
  request,
  browser,
}) => {
  test.setTimeout(90_000);
  const v = unique();
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  await expectHeaderOrganisation(page, A, [B]);
  // A, the attacker, types a made-up name and its own number.
  await requestByHand(page, 'Nep', 'Naam', v.email, v.aMobile);
  // B, later, the real name and number.
  await switchTo(page, B, A);
  await requestByHand(page, 'Echte', 'Directeur', v.email, v.bMobile);
  const bList = await peopleFound(page, v.email);
  await expect(bList).toContainText('Echte Directeur');
  await expect(bList).not.toContainText('Nep');
  await saveScreenshot(page, 'identity-b-gebruikers');

  // The person opens B's link on their phone: the code goes to B's number, not A's.
  const phone = await browser.newContext({ ...devices['Pixel 5'], baseURL: BASE_URL, locale: 'nl-NL' });
  const mobile = await phone.newPage();
  await gotoHydrated(mobile, await linkFor(request, v.email, B));
  await expect(mobile.getByText(B)).toBeVisible();
  const before = await newestSmsId(request, v.bMobile);
  await Promise.all([mobile.waitForURL(/\/activeren$/), mobile.getByRole('button', { name: 'E-mailadres bevestigen' }).click()]);
  await waitHydrated(mobile);
  const sms = await latestSms(request, v.bMobile, before);
  expect(await smsCount(request, v.aMobile), "A's number receives nothing").toBe(0);
  await mobile.getByLabel('Sms-code', { exact: true }).fill(sms.code);
  await Promise.all([mobile.waitForURL(/\/activeren$/), mobile.getByRole('button', { name: 'Bevestigen', exact: true }).click()]);
  await waitHydrated(mobile);
  await mobile.getByLabel('Nieuw wachtwoord', { exact: true }).fill(PASSWORD);
  await mobile.getByLabel('Herhaal het wachtwoord', { exact: true }).fill(PASSWORD);
  await Promise.all([mobile.waitForURL(/\/activeren$/), mobile.getByRole('button', { name: 'Wachtwoord opslaan' }).click()]);
  await expect(mobile.getByTestId('activated')).toContainText(B);

  // Opening A's link afterwards asks for the account's own password; the code then goes
  // to the account's verified number (B's), still never to A's.
  await gotoHydrated(mobile, await linkFor(request, v.email, A));
  await Promise.all([mobile.waitForURL(/\/activeren$/), mobile.getByRole('button', { name: 'E-mailadres bevestigen' }).click()]);
  await waitHydrated(mobile);
  await expect(mobile.getByText('U heeft al een account bij ons')).toBeVisible();
  await expect(mobile.getByTestId('mobile-differs')).toContainText('••');
  await saveScreenshot(mobile, 'identity-existing-account');
  const beforeProof = await newestSmsId(request, v.bMobile);
  await mobile.getByLabel('Wachtwoord van uw account', { exact: true }).fill(PASSWORD);
  await Promise.all([mobile.waitForURL(/\/activeren$/), mobile.getByRole('button', { name: 'Bevestigen met wachtwoord' }).click()]);
  await waitHydrated(mobile);
  const proof = await latestSms(request, v.bMobile, beforeProof);
  await mobile.getByLabel('Sms-code', { exact: true }).fill(proof.code);
  await Promise.all([mobile.waitForURL(/\/activeren$/), mobile.getByRole('button', { name: 'Bevestigen', exact: true }).click()]);
  await expect(mobile.getByTestId('activated')).toContainText(A);
  expect(await smsCount(request, v.aMobile), "A's number never receives anything").toBe(0);
  await phone.close();

  // Each organisation still shows only its own particulars.
  const bAgain = await peopleFound(page, v.email);
  await expect(bAgain).toContainText('Echte Directeur');
  await switchTo(page, A, B);
  const aList = await peopleFound(page, v.email);
  await expect(aList).toContainText('Nep Naam');
  await expect(aList).not.toContainText('Echte');
});
