import { readFile } from 'node:fs/promises';
import { ACCOUNTS, expect, signIn, test } from './fixtures.js';
import { Sen2Page } from './pages/sen2.js';

test('a data officer makes the SEN2 return, sees it agree with the dashboard, downloads it and checks it back in', async ({
  page,
  a11y,
}, testInfo) => {
  test.setTimeout(120_000);
  const sen2 = new Sen2Page(page, a11y);
  await signIn(page, a11y, ACCOUNTS.data);
  await sen2.openFromMenu('SEN2 return');
  await expect(sen2.heading).toHaveText('SEN2 return');
  await sen2.check();

  await sen2.makeReturn('2026');
  await expect(page.getByRole('heading', { name: 'The 2026 return' })).toBeVisible();
  await expect(sen2.panelTitle).toHaveText('No errors');
  const figures = sen2.figures;
  await expect(figures.getByRole('row')).toHaveCount(10);
  // Every headline figure agrees with the dashboard's, the plans ceased and the review decisions too.
  await expect(figures.getByText('Yes', { exact: true })).toHaveCount(9);
  await sen2.check();

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the 2026 return (XML)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('SEN2_999_2026.xml');
  const file = testInfo.outputPath('SEN2_999_2026.xml');
  await download.saveAs(file);
  expect(await readFile(file, 'utf8')).toContain('<Collection>SEN2</Collection>');

  // Forgetting the file is refused on the form.
  await sen2.importFile();
  await expect(sen2.errorSummary).toContainText('Select a SEN2 XML or CSV file');
  await sen2.check();

  // The return checked back in as a dry run: everyone in it is already here, so nothing would be created.
  await sen2.importFile(file, 'SEN2 XML return', /Check it and show what would be created/);
  // A job: its page shows progress and opens the outcome by itself.
  await expect(page).toHaveURL(/\/sen2\/imports\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Import checked', { timeout: 90_000 });
  await expect(page.getByText('Children to create')).toBeVisible();
  await expect(page.locator('.govuk-summary-list')).toContainText(/Children to create\s*0/);
  await a11y.check(page);

  // The import format is documented.
  await page.goto('/sen2-import-format');
  await expect(page.getByRole('cell', { name: 'received_date' })).toBeVisible();
  await a11y.check(page);
});

test('a file that is no SEN2 return is refused on the form, and the sixth check in a minute gets the limit page', async ({
  page,
  a11y,
}) => {
  test.setTimeout(120_000);
  // The manager (who may also make the return), so the data officer's checks above do not count towards this limit.
  const sen2 = new Sen2Page(page, a11y);
  await signIn(page, a11y, ACCOUNTS.manager);
  await sen2.open();
  await sen2.check();
  const notSen2 = { name: 'not-sen2.xml', mimeType: 'application/xml', buffer: Buffer.from('<!DOCTYPE x><x/>') };
  // Five checks a minute (middleware/expensive.ts): each of these is refused as bad input, with the reason.
  for (let i = 0; i < 5; i++) {
    await sen2.checkFile(notSen2);
    await expect(sen2.errorSummary).toContainText('The selected file cannot be checked');
  }
  await sen2.check();
  await sen2.checkFile(notSen2);
  await expect(sen2.heading).toHaveText('Sorry, you have sent too many requests');
  await expect(page.getByText('check or import up to 5 SEN2 files a minute')).toBeVisible();
  await a11y.check(page);
});
