import { ACCOUNTS, expect, signIn, test } from './fixtures.js';
import { CommitmentForm, CommitmentPage, ImprovementPlanPage } from './pages/plan.js';

test('a board member turns a vague commitment into a measurable one, and the public sees it', async ({
  page,
  a11y,
}) => {
  const plan = new ImprovementPlanPage(page, a11y);
  const commitment = new CommitmentPage(page, a11y);
  const form = new CommitmentForm(page, a11y);
  await signIn(page, a11y, ACCOUNTS.board);
  await plan.openFromMenu('Improvement plan');
  await expect(plan.heading).toHaveText('Demo County SEND Priority Action Plan');
  await expect(page.getByText(/5 of 8 commitments are measurable/)).toBeVisible();
  await plan.check();

  // The demo plan's vague commitment on plan quality.
  await plan.follow(/Improve the quality of EHC plans/);
  await expect(page.getByRole('heading', { name: 'Not measurable yet' })).toBeVisible();
  await commitment.check();
  await commitment.follow('Change the commitment');
  await expect(form.heading).toHaveText('Change a commitment');
  await form.check();

  // Saved as measurable as it stands: refused, with every missing part named.
  await form.saveAsMeasurable();
  const summary = form.errorSummary;
  await expect(summary).toContainText('No target number');
  await expect(summary).toContainText('No data definition');
  await expect(summary).toContainText('A vague verb with no measure behind it: “improve”');
  await form.check();

  await form.statement('60% of EHC plans audited each month rated good or better by March 2028');
  await page.getByLabel('Measure').selectOption({ label: 'A series entered by hand (a survey, an audit ...)' });
  await page.getByLabel('Name').fill('Plans rated good or better at audit');
  await page.getByLabel('Data source').fill('Monthly audit of a random sample of plans issued');
  await page.getByLabel('Numerator').fill('Plans in the sample rated good or better');
  await page.getByLabel('Denominator').fill('Plans in the sample');
  await page.getByLabel('Percentages').check();
  await page.getByLabel('Higher').check();
  await page.getByLabel('Value').first().fill('38');
  await page.getByLabel('Month it describes').fill('October 2026');
  await page.getByLabel('Value').nth(1).fill('60');
  await form.fillDate('Date it is to be reached by', { day: '31', month: '3', year: '2028' });
  // The check without saving says a target this far off needs milestones.
  await form.checkWithoutSaving();
  await expect(page.getByText('Not measurable yet: 1 problem')).toBeVisible();
  await expect(page.locator('#check-result')).toContainText('A target with no trajectory');
  await form.check();

  await page.getByLabel('Milestones on the way').fill('June 2027 45\nDecember 2027 52');
  await form.saveAsMeasurable();
  await expect(page.getByText('Saved. The commitment is measurable and published with the plan.')).toBeVisible();
  await expect(page.getByText('No figures yet: Plans rated good or better at audit')).toBeVisible();
  await commitment.check();
  // Its first month's figure, entered by hand; a mistake first.
  await commitment.saveFigure({ month: 'Octember' });
  await expect(commitment.errorSummary).toContainText('Month must be a month');
  await commitment.check();
  await commitment.saveFigure({ month: 'October 2026', value: '38', from: '12' });
  await expect(page.getByText('Figure saved.')).toBeVisible();
  await expect(page.getByText('38% (October 2026): meets the trajectory of 38%')).toBeVisible();
  await commitment.check();

  // Anyone, signed out, sees it on the public plan with its history.
  await commitment.signOut();
  await expect(commitment.heading).toHaveText('You have signed out');
  await commitment.check();
  await page.goto('/performance/999/plan');
  await expect(page.getByRole('heading', { name: /60% of EHC plans audited each month/ })).toBeVisible();
  await expect(page.getByText('Improve the quality of EHC plans')).toHaveCount(0);
  await expect(page.getByText(/Strengthen communication with families/)).toHaveCount(0);
  await a11y.check(page);
});

test('the board report, an action and its owner’s progress', async ({ page, a11y }) => {
  // About a dozen pages, each checked by axe: the improvement plan's pages are long.
  test.setTimeout(180_000);
  await signIn(page, a11y, ACCOUNTS.manager);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Improvement plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo County SEND Priority Action Plan');
  await a11y.check(page);
  await page.getByRole('link', { name: 'Board report' }).click();
  await expect(page.getByRole('heading', { name: 'Exceptions needing attention' })).toBeVisible();
  await expect(page.getByText(/Action overdue since/)).toBeVisible();
  await a11y.check(page);
  const pdf = page.waitForEvent('download');
  await page.getByRole('link', { name: 'PDF for board papers' }).click();
  expect((await pdf).suggestedFilename()).toMatch(/^board-report-\d{4}-\d\d-\d\d\.pdf$/);

  await page.getByRole('link', { name: /^C2\b/ }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Halve the number of requests/);
  await a11y.check(page);
  await page.getByRole('link', { name: /Review every request waiting over 30 weeks/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Review every request waiting over 30 weeks/);
  await expect(page.getByText('Overdue')).toBeVisible();
  await a11y.check(page);
  await page.getByLabel('Done').check();
  await page.getByRole('button', { name: 'Save progress' }).click();
  await expect(page.getByRole('alert')).toContainText('Say what shows the action is done');
  await a11y.check(page);
  await page.getByLabel('Evidence').fill('Every family contacted; dates agreed');
  await page.getByRole('button', { name: 'Save progress' }).click();
  await expect(page.getByText('Progress saved.')).toBeVisible();
  await a11y.check(page);

  await page.getByRole('link', { name: 'Add an action' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Add an action');
  await a11y.check(page);
  await page.goto('/improvement-plan');
  await a11y.check(page);
  // The forecast, as fan charts with their table (worked out by the job after start).
  await page.getByRole('link', { name: 'Forecast', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Forecast');
  await expect(page.getByRole('img', { name: /Forecast share of new EHC plans issued within 20 weeks/ })).toBeVisible();
  await a11y.check(page);
  // The timeliness commitment's page carries the chance of meeting its target and its own fan chart.
  await page.goto('/improvement-plan');
  await page.getByRole('link', { name: /^C1\. 60% of new EHC plans/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^60% of new EHC plans/);
  await expect(page.getByText(/% \(forecast of \d+ \w+ \d{4}\)/)).toBeVisible();
  await expect(page.getByRole('img', { name: /Forecast share of new EHC plans/ })).toBeVisible();
  await a11y.check(page);
  await page.goto('/improvement-plan');
  await page.getByRole('link', { name: 'Change priority area: Quality of EHC plans' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change a priority area');
  await a11y.check(page);
  await page.getByRole('button', { name: 'Remove priority area' }).click();
  await expect(page.getByRole('alert')).toContainText('This priority area has commitments under it');
  await a11y.check(page);
  await page.goto('/improvement-plan');
  await page.getByRole('link', { name: /^Change objective: Families trust/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change a long-term objective');
  await a11y.check(page);
  for (const path of [
    '/improvement-plan/details',
    '/improvement-plan/objectives/new',
    '/improvement-plan/priorities/new',
  ]) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await a11y.check(page);
  }
});
