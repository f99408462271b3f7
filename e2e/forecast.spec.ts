import { ACCOUNTS, expect, signIn, test } from './fixtures.js';

const nextYear = String(new Date().getFullYear() + 1);

test('a manager compares current capacity, the plan and their own scenario, and asks how many more EPs it would take', async ({
  page,
  a11y,
}) => {
  test.setTimeout(240_000);
  await signIn(page, a11y, ACCOUNTS.manager);
  await page.goto('/forecast');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forecast');
  await expect(page.getByRole('heading', { name: 'How well the method has done: a back-test' })).toBeVisible();
  await expect(page.getByRole('img', { name: /requests open 52 weeks or more/ })).toBeVisible();
  await a11y.check(page);
  await page.getByRole('link', { name: /Compare scenarios/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forecast scenarios: what would it take?');
  // The plan's actions that change capacity are listed, ready to be simulated.
  await expect(
    page.getByText(/\+3 educational psychologists from .* \(Recruit three more educational psychologists\)/),
  ).toBeVisible();
  await a11y.check(page);

  // Mistakes first: more EPs with no count of EPs now, and a chance over 99%.
  await page.getByLabel('More educational psychologists (optional)').fill('2');
  await page.getByRole('group', { name: 'From (if more educational psychologists)' }).getByLabel('Day').fill('1');
  await page.getByRole('group', { name: 'From (if more educational psychologists)' }).getByLabel('Month').fill('4');
  await page.getByRole('group', { name: 'From (if more educational psychologists)' }).getByLabel('Year').fill(nextYear);
  await page.getByLabel('Yes: educational psychologists').check();
  await page.getByLabel('Chance wanted (if working out how many more)').fill('150');
  await page.getByRole('button', { name: 'Run the scenarios' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Enter the number of educational psychologists now, to add more');
  await expect(summary).toContainText('The chance wanted must be between 1% and 99%');
  await expect(summary).toContainText('Enter the date more educational psychologists could start');
  await a11y.check(page);

  await page.getByLabel('Educational psychologists now').fill('28');
  await page.getByLabel('EHC caseworkers now').fill('20');
  await page.getByLabel('Save these numbers for next time').check();
  await page.getByLabel('Chance wanted (if working out how many more)').fill('80');
  const solveFrom = page.getByRole('group', { name: /The date more staff could start/ });
  await solveFrom.getByLabel('Day').fill('1');
  await solveFrom.getByLabel('Month').fill('4');
  await solveFrom.getByLabel('Year').fill(nextYear);

  // Without JavaScript the progress page has a button to check again.
  await page.route('**/assets/app.mjs', (route) => route.abort());
  await page.getByRole('button', { name: 'Run the scenarios' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Working out the scenarios|Forecast scenarios/);
  if ((await page.getByRole('heading', { level: 1 }).textContent()) === 'Working out the scenarios') {
    await expect(page.getByText(/% done/)).toBeVisible();
    await a11y.check(page);
  }
  await expect(async () => {
    if ((await page.getByRole('heading', { level: 1 }).textContent()) !== 'Forecast scenarios') {
      await page.getByRole('button', { name: 'Check progress' }).click();
    }
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forecast scenarios', { timeout: 1000 });
  }).toPass({ timeout: 180_000, intervals: [2000] });
  await page.unroute('**/assets/app.mjs');

  const table = page.getByRole('table', { name: 'The scenarios side by side' });
  await expect(table.getByRole('columnheader', { name: 'Current capacity' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'The improvement plan' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Your scenario' })).toBeVisible();
  await expect(table).toContainText('+2 educational psychologists from 1 April');
  await expect(page.getByRole('heading', { name: 'How many more it would take' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Each number tried, with the same simulated futures' })).toBeVisible();
  await expect(page.getByRole('img', { name: /Your scenario: forecast share/ })).toBeVisible();
  await a11y.check(page);

  // With JavaScript the progress page follows the run by itself and opens the results.
  await page.getByRole('link', { name: 'Run other scenarios' }).click();
  await expect(page.getByLabel('Educational psychologists now')).toHaveValue('28');
  await page.getByRole('button', { name: 'Run the scenarios' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forecast scenarios', { timeout: 120_000 });
  await expect(page.getByRole('table', { name: 'The scenarios side by side' })).toBeVisible();
  await a11y.check(page);
});
