// Beheer → Lopende aanvragen, upgrade and cancel means (issue 5): filter the list and open
// a timeline; cancel a request and see its link refused; resend the SMS and see the old
// code refused; upgrade an employee's means; cancel a means and see its authorisations
// revoked; and the last manager cannot cancel their own means.
import { expect, request as apiRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import { BASE_URL, DEMO_MANAGER } from './support/accounts';
import { gotoHydrated, saveScreenshot, waitHydrated } from './support/app';
import { logIn } from './support/auth';
import { inboxMessages, latestSms, newestSmsId } from './support/inbox';
import { requestMeans as requestMeansAs } from './support/means';

const headers = { Origin: BASE_URL };
const PASSWORD = 'zeven zilveren zwanen zwemmen';

interface Colleague {
  email: string;
  mobile: string;
}

let counter = 0;
function colleague(): Colleague {
  counter += 1;
  const digits = String((Date.now() * 10 + counter) % 100_000_000).padStart(8, '0');
  return { email: `aanvr${Date.now()}.${counter}@example.nl`, mobile: `+316${digits}` };
}

/** The demo manager (over the API, as the Gebruikers page does) asks for a means. */
async function requestMeans(request: APIRequestContext, c: Colleague, level: string, employed: boolean) {
  await requestMeansAs(request, { ...c, level, employed, given_names: 'Femke', surname: 'Aanvraag' });
}

/** The newest activation link to `c` (path only). */
async function activationLink(request: APIRequestContext, c: Colleague): Promise<string> {
  let link: string | undefined;
  await expect(async () => {
    const mail = (await inboxMessages(request, c.email)).find((m) => m.channel === 'email');
    link = mail?.body.split(/\r?\n/).find((l) => /^https?:\/\/\S+\/activeren\/\S+$/.test(l));
    expect(link).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  return new URL(link!).pathname;
}

/** The colleague activates on their own (a separate cookie jar): link, code, password. */
async function activate(request: APIRequestContext, c: Colleague): Promise<void> {
  const phone = await apiRequest.newContext({ baseURL: BASE_URL });
  const token = (await activationLink(request, c)).split('/').pop()!;
  const before = await newestSmsId(request, c.mobile);
  expect((await phone.post('/api/activation/confirm', { form: { token }, headers })).status()).toBeLessThan(400);
  const sms = await latestSms(request, c.mobile, before);
  expect((await phone.post('/api/activation/code', { form: { code: sms.code }, headers })).status()).toBeLessThan(400);
  const pw = await phone.post('/api/activation/password', { form: { password: PASSWORD, repeat: PASSWORD }, headers });
  expect(pw.status()).toBeLessThan(400);
  await phone.dispose();
}

/** Finds the colleague's open request in the list and opens its page. */
async function openRequest(page: Page, c: Colleague): Promise<void> {
  await gotoHydrated(page, `/beheer/aanvragen?q=${encodeURIComponent(c.email)}`);
  const row = page.locator(`[data-testid="request-row"][data-email="${c.email}"]`);
  await expect(row).toHaveCount(1);
  await row.getByRole('link').click();
  await expect(page).toHaveURL(/\/beheer\/aanvragen\/[0-9a-f-]+/);
  await waitHydrated(page);
}

/** Opens the colleague's means page from Gebruikers; returns the means id. */
async function openMeans(page: Page, email: string): Promise<string> {
  await gotoHydrated(page, `/beheer/gebruikers?q=${encodeURIComponent(email)}`);
  await page.getByRole('link', { name: `Upgrade of opzeggen: ${email}` }).click();
  await expect(page).toHaveURL(/\/beheer\/middelen\/[0-9a-f-]+/);
  await waitHydrated(page);
  return new URL(page.url()).pathname.split('/').pop()!;
}

async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForURL(/melding=/), page.getByRole('button', { name, exact: true }).click()]);
  await waitHydrated(page);
}

test('filter the list and open a request with its timeline', async ({ page, request }) => {
  const c = colleague();
  await requestMeans(request, c, 'EH2+', true);
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  await gotoHydrated(page, '/beheer/aanvragen');
  await page.getByLabel('Soort', { exact: true }).selectOption('new_means');
  await page.getByLabel('Status', { exact: true }).selectOption('awaiting_email');
  await page.getByLabel('Zoek op naam of e-mailadres').fill(c.email);
  await page.getByRole('button', { name: 'Filteren' }).click();
  await expect(page).toHaveURL(/status=awaiting_email/);
  const row = page.locator(`[data-testid="request-row"][data-email="${c.email}"]`);
  await expect(row).toContainText('wacht op bevestiging e-mail');
  await expect(row).toContainText('Marieke de Vries');
  await expect(page.getByTestId('requests-total')).toHaveText('1 aanvragen');
  await saveScreenshot(page, 'requests-list');
  await openRequest(page, c);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('aanvraag ingediend');
  await expect(timeline).toContainText('e-mail verstuurd');
  await expect(timeline).toContainText('Marieke de Vries');
  await saveScreenshot(page, 'request-detail');
});

test('cancel a request: its link is refused afterwards', async ({ page, request }) => {
  const c = colleague();
  await requestMeans(request, c, 'EH2', true);
  const link = await activationLink(request, c);
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  await openRequest(page, c);
  await submit(page, 'Aanvraag annuleren');
  await expect(page.getByTestId('outcome')).toContainText('Vink aan');
  await page.getByLabel(/Ja, annuleer deze aanvraag/).check();
  await submit(page, 'Aanvraag annuleren');
  await expect(page.getByTestId('outcome')).toContainText('Geannuleerd');
  await expect(page.getByTestId('request-state')).toHaveText('geannuleerd');
  await gotoHydrated(page, link);
  await expect(page.getByText('Deze aanvraag is ingetrokken')).toBeVisible();
});

test('resend the SMS: the old code is refused, the new one works', async ({ page, request, browser }) => {
  const c = colleague();
  await requestMeans(request, c, 'EH2+', true);
  const link = await activationLink(request, c);
  const phoneContext = await browser.newContext({ baseURL: BASE_URL });
  const phone = await phoneContext.newPage();
  await gotoHydrated(phone, link);
  const first = await newestSmsId(request, c.mobile);
  await Promise.all([phone.waitForURL(/\/activeren$/), phone.getByRole('button', { name: 'E-mailadres bevestigen' }).click()]);
  const old = await latestSms(request, c.mobile, first);

  await logIn(page, request, DEMO_MANAGER, '/beheer');
  await openRequest(page, c);
  await expect(page.getByTestId('resend-limit')).toContainText('0 van 5 gebruikt');
  await submit(page, 'De sms-code opnieuw versturen');
  await expect(page.getByTestId('outcome')).toContainText('Opnieuw verstuurd');
  await expect(page.getByTestId('resend-wait')).toContainText('Opnieuw versturen kan over');
  await saveScreenshot(page, 'request-resent');
  const fresh = await latestSms(request, c.mobile, old.id);

  await waitHydrated(phone);
  await phone.reload();
  await waitHydrated(phone);
  await phone.getByLabel('Sms-code', { exact: true }).fill(old.code);
  await Promise.all([phone.waitForURL(/melding=/), phone.getByRole('button', { name: 'Bevestigen', exact: true }).click()]);
  await expect(phone.getByRole('alert')).toBeVisible();
  await expect(phone.getByLabel('Nieuw wachtwoord', { exact: true })).toHaveCount(0);
  await waitHydrated(phone);
  await phone.getByLabel('Sms-code', { exact: true }).fill(fresh.code);
  await Promise.all([phone.waitForURL(/\/activeren/), phone.getByRole('button', { name: 'Bevestigen', exact: true }).click()]);
  await expect(phone.getByLabel('Nieuw wachtwoord', { exact: true })).toBeVisible();
  await phoneContext.close();
});

test("upgrade an employee's means: done at once, capped at the manager's level", async ({ page, request }) => {
  const c = colleague();
  await requestMeans(request, c, 'EH2+', true);
  await activate(request, c);
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  await openMeans(page, c.email);
  await expect(page.getByTestId('means-level')).toHaveText('EH2+');
  const levels = page.getByLabel('Nieuw niveau');
  await expect(levels.locator('option')).toHaveText(['EH3']);
  await levels.selectOption('EH3');
  await submit(page, 'Upgrade aanvragen');
  await expect(page.getByTestId('outcome')).toContainText('Geüpgraded');
  await expect(page.getByTestId('means-level')).toHaveText('EH3');
  await expect(page.getByTestId('means-state')).toHaveText('actief');
  await saveScreenshot(page, 'means-upgraded');
});

test('cancel a means: its authorisations are revoked', async ({ page, request }) => {
  const c = colleague();
  await requestMeans(request, c, 'EH2+', true);
  await activate(request, c);
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  const meansId = await openMeans(page, c.email);
  // Today in Amsterdam, as the server counts it (between 23:00 and 24:00 UTC the UTC date is
  // still yesterday there).
  const start = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });
  const grant = await request.post('/api/grant_authorisations', {
    data: { order: { means_ids: [meansId], services: [], up_to_level: 'EH2+', term: '1', start } },
    headers,
  });
  expect(grant.status(), await grant.text()).toBe(200);
  await page.reload();
  await waitHydrated(page);
  await expect(page.locator('[data-testid="authorisations"] tr[data-state="active"]')).toHaveCount(1);
  await page.getByLabel('Reden van opzeggen').fill('Uit dienst getreden');
  await page.getByLabel(/Ja, zeg dit middel op/).check();
  await submit(page, 'Middel opzeggen');
  await expect(page.getByTestId('outcome')).toContainText('Opgezegd');
  await expect(page.getByTestId('means-state')).toHaveText('opgezegd');
  await expect(page.locator('[data-testid="authorisations"] tr[data-state="active"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="authorisations"] tr[data-state="revoked"]')).toContainText('ingetrokken');
  await saveScreenshot(page, 'means-cancelled');
  const mail = (await inboxMessages(request, c.email)).find((m) => m.channel === 'email');
  expect(mail?.body).toContain('Uit dienst getreden');
});

test('the last manager cannot cancel their own means', async ({ page, request }) => {
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  await openMeans(page, DEMO_MANAGER.email);
  await expect(page.getByTestId('cancel-blocked')).toContainText('laatste actieve beheerder');
  await expect(page.getByRole('button', { name: 'Middel opzeggen' })).toHaveCount(0);
});
