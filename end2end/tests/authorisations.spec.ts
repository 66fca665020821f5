// Beheer → Machtigingen and Overzicht (issue 6): grant two services to three people (the
// form warns about a too-weak means before anything is sent), revoke one with a reason,
// open the overview, follow a number to the list behind it, download the CSV export.
// Uses demo people nobody else's spec touches: Marieke (EH3), Fatima (EH3), Mehmet (EH2+)
// and Pieter (EH2), and the EH2+ services "Mijn RVO" and "Bedrijfsparkeervergunning".
import * as fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { DEMO_MANAGER } from './support/accounts';
import { clickAndAwaitPost, expectArrivedAt, gotoHydrated, pathPattern, saveScreenshot } from './support/app';
import { logIn } from './support/auth';

test('grant, warn, revoke, overview, follow a number, export', async ({ page, request }) => {
  test.setTimeout(90_000); // one long walk through four pages
  await logIn(page, request, DEMO_MANAGER, '/beheer');
  await page.getByRole('link', { name: 'Machtigingen', exact: true }).click();
  await expectArrivedAt(page, pathPattern('/beheer/machtigingen'));
  await expect(page.getByRole('heading', { level: 1, name: 'Machtigingen' })).toBeVisible();

  const people = page.getByTestId('grant-people');
  const services = page.getByTestId('grant-services');
  await people.getByLabel(/^Pieter van den Berg/).check();
  await services.getByLabel(/^Mijn RVO \(RVO\)/).check();
  await services.getByLabel(/^Bedrijfsparkeervergunning \(Gemeente Amsterdam\)/).check();
  const warnings = page.getByTestId('grant-warnings');
  await expect(warnings).toContainText(
    'Pieter van den Berg — Mijn RVO (RVO): Het middel (EH2) is te zwak voor deze dienst (vereist EH2+).',
  );
  // The server refuses it with the same message.
  await clickAndAwaitPost(page, page.getByRole('button', { name: 'Machtigingen verlenen' }));
  await expect(page.getByTestId('grant-error')).toContainText('Pieter van den Berg — Mijn RVO (RVO): Het middel (EH2) is te zwak');
  await saveScreenshot(page, 'grant-refused');

  await people.getByLabel(/^Pieter van den Berg/).uncheck();
  await expect(warnings).toHaveCount(0);
  for (const name of [/^Marieke de Vries/, /^Fatima el Amrani/, /^Mehmet Yılmaz/]) {
    await people.getByLabel(name).check();
  }
  await expect(page.getByText('Gekozen: 3 personen, 2 diensten.')).toBeVisible();
  await clickAndAwaitPost(page, page.getByRole('button', { name: 'Machtigingen verlenen' }));
  await expect(page.getByTestId('grant-outcome')).toContainText('6 machtigingen verleend.');

  // Revoke Mehmet's "Mijn RVO" with a reason.
  await page.getByLabel('Persoon (naam of e-mailadres)').fill('Mehmet');
  await page.getByRole('button', { name: 'Filteren' }).click();
  await expect(page).toHaveURL(/persoon=Mehmet/);
  await expect(page.getByTestId('auth-total')).toHaveText('2 machtigingen');
  await page.getByLabel('Kies Mehmet Yılmaz — Mijn RVO (RVO)').check();
  await page.getByLabel('Reden van intrekken').fill('Werkt niet meer met RVO');
  await clickAndAwaitPost(page, page.getByRole('button', { name: 'Intrekken (1)' }));
  await expect(page.getByTestId('revoke-outcome')).toHaveText('1 machtiging(en) ingetrokken.');
  await expect(page.locator('tr[data-state="revoked"]')).toContainText('Reden: Werkt niet meer met RVO');

  // The overview: follow the number of active "Mijn RVO" authorisations at EH2+.
  await page.getByRole('link', { name: 'Overzicht', exact: true }).click();
  await expectArrivedAt(page, pathPattern('/overzicht'));
  const row = page.getByTestId('auth-counts').getByRole('row', { name: /Mijn RVO/ });
  await expect(row.getByRole('link').first()).toHaveText('2');
  await row.getByRole('link').first().click();
  await expectArrivedAt(page, pathPattern('/beheer/machtigingen'));
  await expect(page).toHaveURL(/dienst=rvo-mijn-rvo/);
  await expect(page.getByTestId('auth-total')).toHaveText('2 machtigingen');
  await expect(page.getByTestId('authorisations')).toContainText('Marieke de Vries');
  await expect(page.getByTestId('authorisations')).toContainText('Fatima el Amrani');
  await expect(page.getByTestId('authorisations')).not.toContainText('Mehmet');

  // The matrix: one page of people here, so no paging links; the grants show in the cells.
  await gotoHydrated(page, '/overzicht');
  await expect(page.getByTestId('matrix-total')).toHaveText(/^\d+ personen met een middel, 20 per pagina$/);
  await expect(page.getByTestId('matrix-pager').getByRole('link')).toHaveCount(0);
  await expect(page.getByTestId('matrix').getByRole('row', { name: /Marieke de Vries/ })).toContainText('EH2+');
  await saveScreenshot(page, 'overview-matrix');

  // The export of the overview.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-overview').click()]);
  expect(download.suggestedFilename()).toMatch(/^overzicht-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = fs.readFileSync(await download.path(), 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text).toContain('onderdeel;omschrijving;EH2;EH2+;EH3;EH4;totaal');
  expect(text).toMatch(/machtigingen;Mijn RVO \(RVO\);0;2;0;0;2/);
});
