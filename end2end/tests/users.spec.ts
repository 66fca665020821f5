// Beheer → Gebruikers (issue 3): requesting means by hand and from a CSV file validated in
// the browser. Each test uses its own e-mail addresses, so tests do not depend on order.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_MANAGER } from './support/accounts';
import { expectArrivedAt, gotoHydrated, pathPattern } from './support/app';
import { logIn } from './support/auth';

const HEADER = 'voornamen;tussenvoegsel;achternaam;geboortedatum;email;mobiel;in_loondienst;niveau';

/** A name of letters only, unique per number: 0 → "Aaa", 1 → "Aab", … */
function letters(n: number): string {
  const a = 'abcdefghijklmnopqrstuvwxyz';
  return 'A' + a[Math.floor(n / 676) % 26] + a[Math.floor(n / 26) % 26] + a[n % 26];
}

/** `rows` valid data rows with e-mail addresses under `tag`. */
function validRows(rows: number, tag: string): string[] {
  return Array.from({ length: rows }, (_, i) => {
    const mobile = '06' + String(20_000_000 + i).padStart(8, '0');
    return `Lid;;${letters(i)};15-06-1990;${tag}.${i}@example.nl;${mobile};ja;EH2`;
  });
}

function writeCsv(name: string, lines: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csv-')), name);
  fs.writeFileSync(file, '\uFEFF' + [HEADER, ...lines].join('\r\n') + '\r\n');
  return file;
}

async function openGebruikers(page: Page) {
  await gotoHydrated(page, '/beheer/gebruikers');
  await expect(page.getByRole('heading', { level: 1, name: 'Gebruikers' })).toBeVisible();
}

async function chooseFile(page: Page, file: string) {
  await page.getByLabel('CSV-bestand', { exact: true }).setInputFiles(file);
  await expect(page.getByTestId('csv-summary')).toBeVisible({ timeout: 20_000 });
}

async function searchFor(page: Page, term: string) {
  await page.getByLabel('Zoek op naam of e-mailadres').fill(term);
  await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
  await expect(page).toHaveURL(/q=/);
}

test.beforeEach(async ({ page, request }) => {
  await logIn(page, request, DEMO_MANAGER, '/beheer');
});

test('requesting means by hand for several people in one form', async ({ page }) => {
  const tag = `hand${Date.now()}`;
  await openGebruikers(page);
  const form = page.locator('form', { has: page.getByRole('button', { name: /^Aanvragen/ }) });
  await form.getByRole('button', { name: 'Persoon toevoegen' }).click();
  const people = [
    { given: 'Eva', surname: 'Pauw', email: `${tag}.eva@example.nl`, mobile: '06 41112222', level: 'EH3' },
    { given: 'Tom', surname: 'Kok', email: `${tag}.tom@example.nl`, mobile: '0641113333', level: 'EH2+' },
  ];
  for (const [i, p] of people.entries()) {
    const row = form.locator('fieldset').nth(i);
    await row.getByLabel('Voornamen').fill(p.given);
    await row.getByLabel('Achternaam').fill(p.surname);
    await row.getByLabel('Geboortedatum').fill('01-02-1988');
    await row.getByLabel('E-mailadres', { exact: true }).fill(p.email);
    await row.getByLabel('Mobiel nummer').fill(p.mobile);
    await row.getByLabel('In loondienst').selectOption('ja');
    await row.getByLabel('Niveau').selectOption(p.level);
  }
  // A mistake is shown at the field, in Dutch, before anything is sent.
  await form.locator('fieldset').nth(1).getByLabel('Geboortedatum').fill('31-02-1988');
  await form.getByRole('button', { name: 'Aanvragen (2)' }).click();
  await expect(form.getByText('Deze geboortedatum bestaat niet')).toBeVisible();
  await form.locator('fieldset').nth(1).getByLabel('Geboortedatum').fill('28-02-1988');
  await form.getByRole('button', { name: 'Aanvragen (2)' }).click();
  await expect(page.getByTestId('request-outcome')).toContainText('2 middelen aangevraagd');

  await searchFor(page, tag);
  await expect(page.getByTestId('people').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('people')).toContainText('aangevraagd');
});

test('a CSV with errors shows them by row and column and cannot be sent', async ({ page }) => {
  const tag = `fout${Date.now()}`;
  const good = validRows(3, tag);
  const file = writeCsv('met-fouten.csv', [
    good[0],
    `Piet;;Puk;31-02-1990;${tag}.piet@example.nl;06 41115555;ja;EH2`,
    good[1],
    `Eva;;Pauw;12-03-1990;${tag}.0@EXAMPLE.nl;020 1234567;misschien;EH4`,
  ]);
  await openGebruikers(page);
  await chooseFile(page, file);
  const errors = page.getByTestId('csv-errors');
  await expect(errors.locator('tr', { hasText: 'geboortedatum' }).first()).toContainText('3');
  for (const column of ['mobiel', 'in_loondienst', 'niveau', 'email']) {
    await expect(errors.locator('td', { hasText: new RegExp(`^${column}$`) }).first()).toBeVisible();
  }
  await expect(page.getByTestId('csv-summary')).toHaveAttribute('data-invalid', '3');
  await expect(page.getByRole('button', { name: /^Verstuur/ })).toHaveCount(0);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download het foutrapport (CSV)' }).click();
  const report = fs.readFileSync(await (await download).path(), 'utf8');
  expect(report).toContain('rij;kolom;reden');
  expect(report).toContain('geboortedatum');
});

test('a long error list is paged, 50 errors at a time', async ({ page }) => {
  const tag = `veel${Date.now()}`;
  const bad = Array.from({ length: 60 }, (_, i) => `Lid;;${letters(i)};31-02-1990;${tag}.${i}@example.nl;0620000000;ja;EH2`);
  await openGebruikers(page);
  await chooseFile(page, writeCsv('zestig-fouten.csv', bad));
  const errors = page.getByTestId('csv-errors');
  await expect(errors.locator('tbody tr')).toHaveCount(50);
  await expect(page.getByText('Fouten 1 van 2')).toBeVisible();
  await page.getByRole('button', { name: 'Volgende ›' }).click();
  await expect(page.getByText('Fouten 2 van 2')).toBeVisible();
  await expect(errors.locator('tbody tr')).toHaveCount(10);
  await expect(errors.locator('tbody tr').first().locator('td').first()).toHaveText('52');
  await expect(page.getByRole('button', { name: 'Volgende ›' })).toBeDisabled();
});

test('a corrected 1,000-row file goes through, and the same file again adds nothing', async ({ page }) => {
  test.setTimeout(90_000);
  const tag = `csv${Date.now()}`;
  const file = writeCsv('duizend.csv', validRows(1000, tag));
  await openGebruikers(page);
  await chooseFile(page, file);
  await expect(page.getByTestId('csv-summary')).toHaveAttribute('data-new', '1000');
  await page.getByRole('button', { name: 'Verstuur 1000 aanvragen' }).click();
  await expect(page.getByTestId('csv-sent')).toContainText('1000 aanvragen aangemaakt', { timeout: 60_000 });

  await searchFor(page, tag);
  await expect(page.getByTestId('people-total')).toHaveText('1000 middelen');

  // Again: every row is already present, and there is nothing to send.
  await openGebruikers(page);
  await chooseFile(page, file);
  await expect(page.getByTestId('csv-summary')).toHaveAttribute('data-present', '1000');
  await expect(page.getByTestId('csv-summary')).toHaveAttribute('data-new', '0');
  await expect(page.getByTestId('csv-nothing-new')).toBeVisible();
  await expect(page.getByRole('button', { name: /^Verstuur/ })).toHaveCount(0);
});

test('the template downloads with the columns the parser expects', async ({ page }) => {
  await openGebruikers(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download het sjabloon' }).click();
  const text = fs.readFileSync(await (await download).path(), 'utf8').replace(/^\uFEFF/, '');
  expect(text.split(/\r?\n/)[0]).toContain(HEADER);
  await expectArrivedAt(page, pathPattern('/beheer/gebruikers'));
});
