// Activation on the phone (issue 4), in a Pixel 5 viewport, with and without JavaScript:
// the manager requests a means (over the API, as the Gebruikers page does), the colleague
// opens the e-mail link from the dev inbox, confirms, types the SMS code, chooses a
// password and — as a non-employee at EH3 — uploads an ID that the back office approves.
import { devices, expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { BASE_URL, type Account } from './support/accounts';
import { gotoHydrated, saveScreenshot, waitHydrated } from './support/app';
import { logIn } from './support/auth';
import { inboxMessages, latestSms, newestSmsId } from './support/inbox';
import { requestMeans } from './support/means';

const BACKOFFICE: Account = {
  email: 'backoffice@demo.example',
  password: 'Demo-backoffice-2026!',
  mobile: '+31611112222',
};
const PASSWORD = 'zeven zilveren zwanen zwemmen';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

interface Colleague {
  email: string;
  /** E.164, as the dev inbox lists it. */
  mobile: string;
  employed: boolean;
  level: 'EH2' | 'EH2+' | 'EH3';
}

let counter = 0;
function colleague(employed: boolean, level: Colleague['level']): Colleague {
  counter += 1;
  const digits = String((Date.now() * 10 + counter) % 100_000_000).padStart(8, '0');
  return { email: `act${Date.now()}.${counter}@example.nl`, mobile: `+316${digits}`, employed, level };
}

/** The activation link from the e-mail in the dev inbox (on a line of its own). */
async function activationLink(request: APIRequestContext, email: string): Promise<string> {
  let link: string | undefined;
  await expect(async () => {
    const mail = (await inboxMessages(request, email)).find((m) => m.channel === 'email');
    link = mail?.body.split(/\r?\n/).find((l) => /^https?:\/\/\S+\/activeren\/\S+$/.test(l));
    expect(link, 'an activation e-mail with the link on its own line').toBeTruthy();
  }).toPass({ timeout: 10_000 });
  return new URL(link!).pathname;
}

/** Opens a page on the phone; with JavaScript, waits until it has hydrated. */
async function open(page: Page, url: string, js: boolean): Promise<void> {
  if (js) await gotoHydrated(page, url);
  else await page.goto(url);
}

/** Presses a button that posts a plain form and waits for the page it leads to. */
async function press(page: Page, name: string, js: boolean): Promise<void> {
  await Promise.all([page.waitForURL(/\/activeren/), page.getByRole('button', { name, exact: true }).click()]);
  await page.waitForLoadState('load');
  if (js) await waitHydrated(page);
}

async function confirmLink(page: Page, request: APIRequestContext, c: Colleague, js: boolean): Promise<string> {
  const link = await activationLink(request, c.email);
  await open(page, link, js);
  await expect(page.getByRole('heading', { level: 1, name: 'Middel activeren' })).toBeVisible();
  await expect(page.getByText(`op niveau ${c.level}`)).toBeVisible();
  const before = await newestSmsId(request, c.mobile);
  await press(page, 'E-mailadres bevestigen', js);
  await expect(page).toHaveURL(/\/activeren$/);
  const sms = await latestSms(request, c.mobile, before);
  return sms.code;
}

async function typeCode(page: Page, code: string, js: boolean): Promise<void> {
  const input = page.getByLabel('Sms-code', { exact: true });
  await expect(input).toHaveAttribute('autocomplete', 'one-time-code');
  await input.fill(code);
  await press(page, 'Bevestigen', js);
}

async function choosePassword(page: Page, js: boolean): Promise<void> {
  await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Herhaal het wachtwoord', { exact: true }).fill(PASSWORD);
  await press(page, 'Wachtwoord opslaan', js);
}

async function phone(browser: Browser, js: boolean) {
  const context = await browser.newContext({
    ...devices['Pixel 5'],
    baseURL: BASE_URL,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    javaScriptEnabled: js,
  });
  return { context, page: await context.newPage() };
}

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'without JavaScript';

  test(`an employee activates on the phone and logs in (${mode})`, async ({ browser, request }) => {
    const c = colleague(true, 'EH2+');
    await requestMeans(request, { ...c, prefix: 'de' });
    const { context, page } = await phone(browser, js);
    const code = await confirmLink(page, request, c, js);
    await expect(page.getByText('We hebben een sms met een code van 6 cijfers gestuurd')).toBeVisible();
    // Usable at 360 px: nothing sticks out sideways, the code field and button are large.
    await page.setViewportSize({ width: 360, height: 740 });
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, 'no sideways scrolling at 360 px').toBeLessThanOrEqual(360);
    const button = await page.getByRole('button', { name: 'Bevestigen', exact: true }).boundingBox();
    expect(button!.height, 'a large touch target').toBeGreaterThanOrEqual(44);
    await saveScreenshot(page, `activation-sms-${js ? 'js' : 'nojs'}`);
    await typeCode(page, code, js);
    await expect(page.getByLabel('Nieuw wachtwoord', { exact: true })).toBeVisible();
    // A password from the common list is refused with the reason, and nothing is lost.
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('password1234');
    await page.getByLabel('Herhaal het wachtwoord', { exact: true }).fill('password1234');
    await press(page, 'Wachtwoord opslaan', js);
    await expect(page.getByRole('alert')).toContainText('lijst van veelgebruikte wachtwoorden');
    await choosePassword(page, js);
    await expect(page.getByTestId('activated')).toContainText('is actief');
    await saveScreenshot(page, `activation-done-${js ? 'js' : 'nojs'}`);
    await context.close();

    // The new password works, and the person sees the active means.
    if (js) {
      const login = await phone(browser, true);
      await logIn(login.page, request, { email: c.email, password: PASSWORD, mobile: c.mobile }, '/mijn');
      await expect(login.page.getByText('actief')).toBeVisible();
      await login.context.close();
    }
  });

  test(`a non-employee at EH3 is issued after the back office approves the ID (${mode})`, async ({
    browser,
    request,
    page: desk,
  }) => {
    const c = colleague(false, 'EH3');
    await requestMeans(request, { ...c, prefix: 'de' });
    const { context, page } = await phone(browser, js);
    const code = await confirmLink(page, request, c, js);
    await typeCode(page, code, js);
    await choosePassword(page, js);
    await expect(page.getByLabel('Foto of PDF van uw identiteitsbewijs')).toBeVisible();
    await page.getByLabel('Foto of PDF van uw identiteitsbewijs').setInputFiles({
      name: 'paspoort.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await press(page, 'Uploaden', js);
    await expect(page.getByTestId('id-waiting')).toBeVisible();
    await saveScreenshot(page, `activation-id-${js ? 'js' : 'nojs'}`);

    await logIn(desk, request, BACKOFFICE, '/backoffice');
    const item = desk.locator(`[data-testid="queue-item"][data-email="${c.email}"]`);
    await expect(item).toContainText('Sanne de Boer');
    await expect(item).toContainText('14-07-1991');
    await expect(item.getByRole('link', { name: 'Identiteitsbewijs bekijken' })).toBeVisible();
    await saveScreenshot(desk, 'backoffice-queue');
    await item.getByRole('button', { name: 'Identiteitsbewijs goedkeuren' }).click();
    await expect(desk.getByTestId('outcome')).toContainText('Goedgekeurd');
    await expect(desk.locator(`[data-testid="queue-item"][data-email="${c.email}"]`)).toHaveCount(0);

    await open(page, '/activeren', js);
    await expect(page.getByTestId('activated')).toContainText('is actief');
    await context.close();
  });
}

test('a used link says so and points the way', async ({ browser, request }) => {
  const c = colleague(true, 'EH2');
  await requestMeans(request, { ...c, prefix: 'de' });
  const { context, page } = await phone(browser, true);
  await confirmLink(page, request, c, true);
  const link = await activationLink(request, c.email);
  await open(page, link, true);
  await expect(page.getByTestId('link-problem')).toHaveText(/Deze link is al gebruikt/);
  await expect(page.getByText('Vraag de beheerder van uw organisatie om een nieuwe activatielink.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'E-mailadres bevestigen' })).toHaveCount(0);
  await context.close();
});

test('a wrong code five times kills the code; a new code works', async ({ browser, request }) => {
  const c = colleague(true, 'EH2+');
  await requestMeans(request, { ...c, prefix: 'de' });
  const { context, page } = await phone(browser, false);
  const code = await confirmLink(page, request, c, false);
  const wrong = code === '000000' ? '111111' : '000000';
  for (let i = 1; i <= 4; i++) {
    await typeCode(page, wrong, false);
    await expect(page.getByRole('alert')).toHaveText(`De sms-code klopt niet. Nog ${5 - i} ${5 - i === 1 ? 'poging' : 'pogingen'}.`);
  }
  await typeCode(page, wrong, false);
  await expect(page.getByRole('alert')).toContainText('werkt niet meer');
  await expect(page.getByLabel('Sms-code', { exact: true })).toHaveCount(0);
  const before = await newestSmsId(request, c.mobile);
  await press(page, 'Nieuwe code sturen', false);
  await expect(page.getByRole('status').filter({ hasText: 'nieuwe sms-code' })).toBeVisible();
  const fresh = await latestSms(request, c.mobile, before);
  await typeCode(page, fresh.code, false);
  await expect(page.getByLabel('Nieuw wachtwoord', { exact: true })).toBeVisible();
  await context.close();
});
