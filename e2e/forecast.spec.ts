import { ACCOUNTS, expect, signIn, test } from './fixtures.js';
import { ForecastPage, ScenariosForm } from './pages/forecast.js';

const nextYear = String(new Date().getFullYear() + 1);

test('a manager compares current capacity, the plan and their own scenario, and asks how many more EPs it would take', async ({
  page,
  a11y,
}) => {
  test.setTimeout(240_000);
  const forecast = new ForecastPage(page, a11y);
  const scenarios = new ScenariosForm(page, a11y);
  await signIn(page, a11y, ACCOUNTS.manager);
  await forecast.open();
  await expect(forecast.heading).toHaveText('Forecast');
  await expect(page.getByRole('heading', { name: 'How well the method has done: a back-test' })).toBeVisible();
  await expect(forecast.chart(/requests open 52 weeks or more/)).toBeVisible();
  await forecast.check();
  await forecast.follow(/Compare scenarios/);
  await expect(scenarios.heading).toHaveText('Forecast scenarios: what would it take?');
  // The plan's actions that change capacity are listed, ready to be simulated.
  await expect(
    page.getByText(/\+3 educational psychologists from .* \(Recruit three more educational psychologists\)/),
  ).toBeVisible();
  await a11y.check(page);

  // Mistakes first: more EPs with no count of EPs now, and a chance over 99%.
  await scenarios.moreEps('2', { day: '1', month: '4', year: nextYear });
  await scenarios.field('Yes: educational psychologists').check();
  await scenarios.field('Chance wanted (if working out how many more)').fill('150');
  await scenarios.run();
  const summary = scenarios.errorSummary;
  await expect(summary).toContainText('Enter the number of educational psychologists now, to add more');
  await expect(summary).toContainText('The chance wanted must be between 1% and 99%');
  await expect(summary).toContainText('Enter the date more educational psychologists could start');
  await a11y.check(page);

  await scenarios.staffNow('28', '20');
  await scenarios.field('Save these numbers for next time').check();
  await scenarios.field('Chance wanted (if working out how many more)').fill('80');
  await scenarios.fillDate(/The date more staff could start/, { day: '1', month: '4', year: nextYear });

  // Without JavaScript the progress page has a button to check again.
  await page.route('**/assets/app.mjs', (route) => route.abort());
  await scenarios.run();
  await expect(scenarios.heading).toHaveText(/Working out the scenarios|Forecast scenarios/);
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

  const table = scenarios.results;
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
  await expect(scenarios.field('Educational psychologists now')).toHaveValue('28');
  await scenarios.run();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forecast scenarios', { timeout: 120_000 });
  await expect(page.getByRole('table', { name: 'The scenarios side by side' })).toBeVisible();
  await a11y.check(page);
});
