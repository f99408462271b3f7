import { ACCOUNTS, expect, signIn, test } from './fixtures.js';

test('a caseworker signs in, works through the caseload to a case, and signs out', async ({ page, a11y }) => {
  await page.goto('/');
  await a11y.check(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Education, health and care casework');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await a11y.check(page);

  // A mistake first: the error summary, linked to the field.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter your email address');
  await a11y.check(page);

  await signIn(page, a11y, ACCOUNTS.caseworker);
  const nav = page.getByRole('navigation', { name: 'Menu' });
  await expect(nav.getByRole('link')).toHaveText(['Caseload', 'Improvement plan', 'Messages']);

  await nav.getByRole('link', { name: 'Caseload' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Caseload');
  await expect(page.getByRole('table')).toContainText('Weeks since request');
  await a11y.check(page);

  await page.getByRole('link', { name: 'All open requests' }).click();
  await expect(page.getByText(/Showing 1 to 25 of/)).toBeVisible();
  await a11y.check(page);

  await page.getByRole('link', { name: /^Child/ }).click();
  await expect(page.getByRole('columnheader', { name: /Child/ })).toHaveAttribute('aria-sort', 'ascending');
  await a11y.check(page);

  await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: /Next/ }).click();
  await expect(page.getByText(/Showing 26 to 50 of/)).toBeVisible();
  await a11y.check(page);

  const firstCase = page.locator('tbody').getByRole('link').first();
  const name = (await firstCase.textContent())!.trim();
  await firstCase.click();
  const [family, given] = name.split(', ');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${given} ${family}`);
  await expect(page.getByRole('heading', { name: 'Timeline' })).toBeVisible();
  await a11y.check(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You have signed out');
  await a11y.check(page);
  await page.goto('/cases');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await a11y.check(page);
});

// What each role sees (its navigation, each of its pages checked with axe at a desk and on a phone) is in
// layout.spec.ts, one visit per page.

test("a parent follows their own child's request and cannot open the caseload", async ({ page, a11y }) => {
  await signIn(page, a11y, ACCOUNTS.parent);
  await page.getByRole('link', { name: 'Your child' }).first().click();
  await a11y.check(page);
  await page
    .getByRole('link', { name: /View details/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: 'Advice', exact: true })).toBeVisible();
  await a11y.check(page);
  const res = await page.goto('/cases');
  expect(res?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page');
  await a11y.check(page);
});

test('an admin reads the audit log, including their own reading of it', async ({ page, a11y }) => {
  await signIn(page, a11y, ACCOUNTS.admin);
  await page.getByRole('link', { name: 'Audit log' }).first().click();
  await expect(page.getByRole('table')).toContainText('sign in');
  await a11y.check(page);
  await page.getByRole('link', { name: 'Users' }).first().click();
  await expect(page.getByRole('table')).toContainText('caseworker@demo-county.example');
  await a11y.check(page);
  await page.getByRole('link', { name: 'Bank holidays' }).first().click();
  await page.getByRole('button', { name: 'Add bank holiday' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter the date of the bank holiday');
  await a11y.check(page);
  await page.getByLabel('Day').fill('1');
  await page.getByLabel('Month').fill('1');
  await page.getByLabel('Year').fill('2029');
  await page.getByRole('button', { name: 'Add bank holiday' }).click();
  await expect(page.getByText('Added 1 January 2029')).toBeVisible();
  await a11y.check(page);
});

test('a board member reads the measures: the summary, a measure, a breakdown and how it is worked out', async ({
  page,
  a11y,
}) => {
  await signIn(page, a11y, ACCOUNTS.board);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Measures' }).click();
  // The measures are worked out a few seconds after the service starts.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole('table', { name: 'Summary' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(
    page.getByRole('img', { name: /New EHC plans issued within 20 weeks, excluding exceptions/ }),
  ).toBeVisible();
  await a11y.check(page);
  await page
    .getByRole('link', { name: 'New EHC plans issued within 20 weeks, excluding exceptions', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'New EHC plans issued within 20 weeks, excluding exceptions',
  );
  await expect(page.getByRole('table')).toContainText('Number of children (n)');
  await a11y.check(page);
  await page.getByRole('link', { name: 'Primary need' }).click();
  await expect(page.getByRole('heading', { name: 'By primary need' })).toBeVisible();
  await a11y.check(page);
  await page.getByRole('link', { name: 'How this is worked out' }).click();
  await expect(page.getByText('Left out', { exact: true })).toBeVisible();
  await a11y.check(page);
  const bad = await page.goto('/measures/plans_issued?breakdown=postcode');
  expect(bad?.status()).toBe(400);
  await a11y.check(page);
});

test('a manager sets a target for a measure, after a mistake', async ({ page, a11y }) => {
  await signIn(page, a11y, ACCOUNTS.manager);
  await page.goto('/measures/decided_within_6_weeks');
  await a11y.check(page);
  await page.getByLabel('Target').fill('ninety');
  await page.getByRole('button', { name: 'Save target' }).click();
  await expect(page.getByRole('alert')).toContainText('Target must be a number, like 60 or 62.5');
  await expect(page.getByLabel('Target')).toHaveValue('ninety');
  await a11y.check(page);
  await page.getByLabel('Target').fill('90');
  await page.getByRole('button', { name: 'Save target' }).click();
  await expect(page.getByText('Target saved: 90%')).toBeVisible();
  await expect(page.getByText(/Target 90%/)).toBeVisible();
  await a11y.check(page);
});

test('a board member checks its current plan for measurable commitments', async ({ page, a11y }) => {
  await signIn(page, a11y, ACCOUNTS.board);
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Improvement plan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demo County SEND Priority Action Plan');
  await a11y.check(page);
  await page.getByRole('link', { name: 'Check a plan’s text' }).click();
  await page.getByRole('button', { name: 'Check the plan' }).click();
  await expect(page.getByRole('alert')).toContainText('Paste the text of the plan');
  await a11y.check(page);
  await page
    .getByLabel('The plan’s text')
    .fill(
      '## Timeliness\n- We will strengthen our approach to timeliness.\n- 60% of new EHCPs within 20 weeks (SEN2) by July 2026, owner: Director of SEND, up from 32.6% in 2022; milestone 50% by April 2026.',
    );
  await page.getByRole('button', { name: 'Check the plan' }).click();
  await expect(page.getByText('2 statements read; 1 is measurable as written.')).toBeVisible();
  await expect(page.getByRole('table')).toContainText('A vague verb with no measure behind it: “strengthen”');
  await a11y.check(page);
});

test('anyone reads the public performance page and downloads its figures, without signing in', async ({
  page,
  a11y,
}) => {
  await page.goto('/performance');
  await a11y.check(page);
  await page.getByRole('link', { name: 'Demo County Council' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'How quickly EHC needs assessments and plans are done',
  );
  await expect(page.getByRole('img', { name: /New EHC plans issued/ }).first()).toBeVisible();
  await a11y.check(page);
  // Hidden figures are explained in plain words on the method page.
  await page.getByText('How to read these figures').click();
  await page.getByRole('link', { name: 'How figures are hidden' }).click();
  await expect(page.getByRole('heading', { name: 'Hidden figures' })).toBeVisible();
  await a11y.check(page);
  await page.goBack();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: /Download all the figures/ }).click();
  expect((await download).suggestedFilename()).toBe('openehcp-999-measures.csv');
});

test('error and information pages are accessible', async ({ page, a11y }) => {
  for (const [path, status, heading] of [
    ['/no-such-page', 404, 'Page not found'],
    ['/accessibility', 200, 'Accessibility statement'],
    ['/cookies', 200, 'Cookies'],
  ] as const) {
    const res = await page.goto(path);
    expect(res?.status()).toBe(status);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
    await a11y.check(page);
  }
  await signIn(page, a11y, ACCOUNTS.manager);
  const bad = await page.goto('/cases?sort=bogus');
  expect(bad?.status()).toBe(400);
  await a11y.check(page);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('a manager signs in and uses the caseload', async ({ page, a11y }) => {
    await signIn(page, a11y, ACCOUNTS.manager);
    await page.goto('/cases?view=all&sort=stage&direction=asc');
    await expect(page.getByRole('columnheader', { name: /Stage/ })).toHaveAttribute('aria-sort', 'ascending');
    await a11y.check(page);
    await page.locator('tbody').getByRole('link').first().click();
    await expect(page.getByRole('heading', { name: 'Request', exact: true })).toBeVisible();
    await a11y.check(page);
  });

  test('the public performance page works: charts, tables and figures behind a summary', async ({ page, a11y }) => {
    await page.goto('/performance/999');
    await expect(page.getByRole('img', { name: /New EHC plans issued/ }).first()).toBeVisible();
    await page.getByText('Figures: New EHC plans issued', { exact: true }).click();
    await expect(page.getByRole('table').first()).toBeVisible();
    await a11y.check(page);
  });
});
