import { ACCOUNTS, expect, signIn, test } from './fixtures.js';
import { AuditForm, QualityPage } from './pages/quality.js';

test('an auditor audits a plan from the monthly sample: refused half done, then graded, with a correction for the caseworker', async ({
  page,
  a11y,
}) => {
  // An audit of a whole plan, then the case page, each checked by axe.
  test.setTimeout(180_000);
  const quality = new QualityPage(page, a11y);
  const audit = new AuditForm(page, a11y);
  await signIn(page, a11y, ACCOUNTS.qa);
  await quality.openFromMenu('Plan quality');
  await expect(quality.heading).toHaveText('Plan quality');
  await expect(page.getByRole('heading', { name: 'Your audits' })).toBeVisible();
  await quality.check();

  // The demo leaves last month's audits to do: open one not started.
  await quality.openAudit('Not started');
  await expect(audit.heading).toHaveText('Plan audit');
  await audit.check();

  await audit.submit();
  const summary = audit.errorSummary;
  await expect(summary).toContainText('Select whom you audit for');
  await expect(summary).toContainText('Answer every criterion before submitting, or save as a draft: 21 not answered');
  await audit.check();

  await audit.auditFor('Education');
  await audit.allMet();
  // Provision not specified: the F criteria are not met.
  for (const criterion of ['Provision is specified and quantified', 'It says who delivers each item']) {
    await audit.notMet(criterion);
  }
  await audit.submit();
  await expect(audit.grade).toHaveText(/Good|Outstanding|Requires improvement/);
  await expect(page.getByRole('button', { name: 'Submit the audit' })).toHaveCount(0);
  await audit.check();

  await audit.addCorrection(
    'Section F: special educational provision',
    'Say how many reading sessions a week and who delivers them',
  );
  await expect(page.getByText('Say how many reading sessions a week and who delivers them (open)')).toBeVisible();
  await a11y.check(page);

  // The caseworker sees the correction on the case and marks it done, after forgetting to say how.
  const planHref = (await page.getByRole('link', { name: 'Read the whole plan' }).getAttribute('href'))!;
  const caseHref = planHref.replace(/\/plan\?version=\d+$/, '');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await a11y.check(page);
  await signIn(page, a11y, ACCOUNTS.caseworker);
  await page.goto(`${caseHref}#findings`);
  const correction = page.locator('.govuk-summary-card').filter({ hasText: 'Say how many reading sessions a week' });
  await expect(correction).toContainText('To correct');
  await a11y.check(page);
  await correction.getByRole('button', { name: 'Mark as corrected' }).click();
  await expect(page.getByRole('alert')).toContainText('Say how the plan was corrected');
  await a11y.check(page);
  await correction
    .getByLabel('How the plan was corrected')
    .fill('Section F amended: 3 sessions of 20 minutes a week, by the TA');
  await correction.getByRole('button', { name: 'Mark as corrected' }).click();
  await expect(page.getByText('Correction marked as done.')).toBeVisible();
  await expect(correction).toContainText('Corrected (Section F amended: 3 sessions of 20 minutes a week, by the TA)');
  await a11y.check(page);
});

test('a manager reads the results, the rubric and draws a sample', async ({ page, a11y }) => {
  await signIn(page, a11y, ACCOUNTS.manager);
  await page.goto('/quality');
  await expect(page.getByRole('heading', { name: 'All audits' })).toBeVisible();
  await a11y.check(page);
  await page.getByRole('link', { name: /Results: plans rated good or better/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Plan quality results');
  await expect(page.getByText(/Rated good or better: \d+(\.\d)?% \(\d+ of \d+\)/)).toBeVisible();
  await expect(page.getByText('Agreement on grades (weighted kappa)')).toBeVisible();
  await a11y.check(page);
  await page.goto('/quality/rubric');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('The audit rubric');
  await a11y.check(page);
  await page.getByRole('link', { name: 'Change the rubric' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Change the audit rubric');
  await a11y.check(page);
  await page.getByLabel('Outstanding from').fill('120');
  await page.getByRole('button', { name: 'Save the rubric' }).click();
  await expect(page.getByRole('alert')).toContainText('The Outstanding boundary must be between 1 and 100');
  await a11y.check(page);

  await page.goto('/quality/sample');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Draw a month’s sample');
  await a11y.check(page);
  // Last month's sample is already drawn: refused, named against the month.
  await page.getByRole('button', { name: 'Draw the sample' }).click();
  await expect(page.getByRole('alert')).toContainText('The sample for this month has already been drawn');
  await a11y.check(page);
  // Eight months ago has none yet.
  const when = new Date();
  when.setUTCDate(1);
  when.setUTCMonth(when.getUTCMonth() - 8);
  await page.getByLabel('Month').fill(String(when.getUTCMonth() + 1));
  await page.getByLabel('Year').fill(String(when.getUTCFullYear()));
  await page.getByRole('button', { name: 'Draw the sample' }).click();
  await expect(page.locator('.govuk-panel__title')).toHaveText('Sample drawn');
  await a11y.check(page);
});
